"""Build a realistic news corpus for throughput benchmarks.

English and Chinese news-like documents of 2-10 KB, made of the lingua
sentences under ``DATA/langid/`` (read by path, never copied), wrapped in the
site chrome real scraped pages carry (share bars, promos, comment widgets,
datelines, disclaimers), with 2% of documents corrupted by mojibake. Written
as JSONL shards with a ``url`` field, so that per-site rules and the
``repeats`` stage see sources. Deterministic for a given seed and size.

    python bench/corpus.py OUTDIR --mb 50 [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import json
import os
import random
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data"

SITES = {
    "en": ["news.example.com", "markets.example.net", "chipwire.example.org", "ainvest.com"],
    "zh": ["caijing.example.cn", "keji.example.com.cn", "caixin.com", "aicoin.com"],
}
HEAD = {
    "en": [["Share To", "APP", "", "X", "", "Telegram", "", "Facebook", "", "Reddit", "", "CopyLink"],
           ["Listen to the full version"], ["5 hours ago"], ["Share: Facebook Twitter LinkedIn Email"]],
    "zh": [["分享到：微信 微博 QQ空间"], ["5小时前"], ["阅读量：1.2万"]],
}
TAIL = {
    "en": [["Unlock exclusive discounts with a Newsline group subscription — ideal for teams and organizations."],
           ["Subscribe to our Morning Ledger newsletter"], ["Already a subscriber? Log in"],
           ["Comments", "No comments yet"], ["Read more »", "Download the app"],
           ["Disclaimer: This article is for informational purposes only and does not constitute investment advice."]],
    "zh": [["发表评论", "暂无评论，快来抢沙发"], ["扫码关注公众号，获取更多资讯"],
           ["免责声明：本文仅代表作者个人观点，不构成投资建议。"], ["下载文档到电脑，查找使用更方便"]],
}


def load_sentences(data: Path) -> dict[str, list[str]]:
    out = {}
    for lang in ("en", "zh"):
        path = data / "langid" / f"{lang}.txt"
        out[lang] = [s.strip() for s in path.read_text(encoding="utf-8").splitlines() if s.strip()]
    return out


def mojibake(text: str) -> str:
    """UTF-8 bytes read as Windows-1252: the commonest web corruption."""
    return text.encode("utf-8").decode("cp1252", errors="replace")


def document(rng: random.Random, lang: str, sentences: list[str], n: int) -> dict:
    site = rng.choice(SITES[lang])
    target = rng.randint(2048, 10240)
    joiner = " " if lang == "en" else ""
    paras, size = [], 0
    while size < target:
        para = joiner.join(rng.choice(sentences) for _ in range(rng.randint(2, 5)))
        paras.append(para)
        size += len(para.encode("utf-8")) + 2
    title = rng.choice(sentences)[:80]
    lines = [title]
    if rng.random() < 0.7:
        lines += rng.choice(HEAD[lang])
    lines.append("")
    lines += [p + "\n" for p in paras]
    if rng.random() < 0.7:
        lines += rng.choice(TAIL[lang])
    text = "\n".join(lines)
    if rng.random() < 0.02:
        # corrupt a run of paragraphs, as a bad re-encoding of part of a page does
        cut = len(text) // 3
        text = text[:cut] + mojibake(text[cut : cut * 2]) + text[cut * 2 :]
    return {"id": f"doc-{n:07d}", "url": f"https://{site}/a/{n}", "lang_hint": lang, "text": text}


def build(outdir: Path, mb: float, data: Path = DEFAULT_DATA, seed: int = 0, shard_mb: float = 8.0) -> list[Path]:
    sentences = load_sentences(data)
    rng = random.Random(seed)
    outdir.mkdir(parents=True, exist_ok=True)
    limit = int(mb * 1024 * 1024)
    shard_limit = int(shard_mb * 1024 * 1024)
    paths: list[Path] = []
    total = n = 0
    fh = None
    shard_size = shard_limit
    try:
        while total < limit:
            if shard_size >= shard_limit:
                if fh:
                    fh.close()
                paths.append(outdir / f"shard-{len(paths):04d}.jsonl")
                fh = open(paths[-1], "w", encoding="utf-8")
                shard_size = 0
            lang = "en" if rng.random() < 0.5 else "zh"
            line = json.dumps(document(rng, lang, sentences[lang], n), ensure_ascii=False) + "\n"
            fh.write(line)
            size = len(line.encode("utf-8"))
            total += size
            shard_size += size
            n += 1
    finally:
        if fh:
            fh.close()
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--mb", type=float, default=50)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    paths = build(args.outdir, args.mb, args.data, args.seed)
    size = sum(os.path.getsize(p) for p in paths)
    print(f"{len(paths)} shards, {size / 1e6:.1f} MB in {args.outdir}")


if __name__ == "__main__":
    main()
