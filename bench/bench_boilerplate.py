"""Boilerplate removal, line by line: how much real content is kept and how much
site chrome is removed.

The corpus is the ``samples/boilerplate-*.txt`` pages (labelled by their
``.expected`` output) plus synthetic pages: paragraphs of lingua sentences
(``<data>/langid/en.txt`` and ``zh.txt``, read by path) wrapped in site chrome
written the way real sites phrase it - share bars, promos, datelines, bylines,
counters, comment widgets, related-link blocks, cookie and copyright footers,
document-site wrappers - some of it in wordings no pack names. Every input line
is labelled content or chrome; after cleaning, a line counts as kept when a
line with the same letters and digits is in the output (so spacing and
punctuation fixes by earlier stages don't count as losses).

    python bench/bench_boilerplate.py --data ../shared/data [--docs 400] [--seed 0]

It runs the pipeline without ``repair`` and ``entities`` (which rewrite words in
content lines on purpose - HTML entities in the lingua sentences, company names -
and would count as losses here), once without and once with ``repeats``, in a
temporary folder, and writes nothing into the repository.

It then times the rule engine on the same pages (the ``disclaimers`` and
``boilerplate`` stages, CPU seconds, inputs as the stages before them leave
them) against the obvious way of running the same packs - every rule that
matches somewhere tried on every line - side by side, and checks that both
make the same edits.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chipclean.config import STAGES, Config  # noqa: E402
from chipclean.runner import RunOptions, run  # noqa: E402
from chipclean.stages.repeats import line_key  # noqa: E402

_PARA = __import__("regex").compile(r"^\[para\.\s*\d+\]\s*")

FIRST = ["Dana", "Lee", "Maria", "Tom", "Priya", "Chen", "Olga", "Sam"]
LAST = ["Whitfield", "Park", "Alvarez", "Okafor", "Novak", "Li", "Haddad", "Brooks"]
OUTLETS = ["Harbor Daily", "The Ledger", "Metro Wire", "Pacific Post", "Chip Times"]
ZH_NAMES = ["王明", "陈立", "李华", "赵敏", "周婷"]
ZH_OUTLETS = ["港湾日报", "财经观察", "科技前沿", "金融时报中文网"]
SITES = {"en": ["harbordaily.example", "ledger.example", "metrowire.example"],
         "zh": ["gangwan.example.cn", "caijing.example.cn", "wendang.example.com"]}


def en_chrome(rng: random.Random, headline) -> dict[str, list[list[str]]]:
    n = rng.randint(2, 59)
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    outlet = rng.choice(OUTLETS)
    year = rng.choice([2024, 2025, 2026])
    share = ["Share To", "APP", "", "X", "", "Telegram", "", "Facebook", "", "Reddit", "", "CopyLink"]
    return {
        "top": [
            share,
            ["Listen to the full version"],
            [f"Listen to this article · {rng.randint(2, 9)} min"],
            [f"{n} hours ago"],
            [f"Updated {n} minutes ago"],
            [f"By {name}"],
            [f"By {name} | {outlet}"],
            [f"Original authors: {name}, {rng.choice(FIRST)} {rng.choice(LAST)}"],
            [f"Original source: {outlet}"],
            ["Share: Facebook Twitter LinkedIn Email"],
            [f"{outlet} Newsletter", "Daily stocks & crypto headlines, free to your inbox"],
            [f"Sign up for our {rng.choice(['Morning Briefing', 'Markets', 'Tech'])} newsletter"],
            [f"{n:,} views"],
        ],
        "middle": [
            ["ADVERTISEMENT"],
            ["Advertisement"],
            ["Story continues below advertisement"],
            ["Related:", headline(), headline()],
            [f"Unlock exclusive discounts with a {outlet} group subscription — ideal for teams and organizations."],
            ["Subscribe now"],
            ["Already a subscriber? Log in"],
            [f"Read more: {headline()}"],  # one-line form no pack names
        ],
        "bottom": [
            ["Comments", "No comments yet"],
            [f"{n} Comments", "Leave a comment"],
            ["Be the first to comment"],
            ["Related Articles", headline(), headline()],
            [f"© {year} {outlet} Ltd. All rights reserved."],
            ["We use cookies to improve your experience on our site.", "Accept all cookies"],
            ["Share this article", "Facebook", "Twitter", "LinkedIn", "Email"],
            [f"{rng.randint(1, 9)},{rng.randint(100, 999)} views · {n} comments"],
            ["- PODCAST", "- MOST POPULAR"],
            ["TRENDING"],
            [f"Mar.{n % 28 + 1} {year}"] * 5,
            ["Read more »"],
            [f"Download the {outlet} app"],
            [f"Follow {outlet} on Mastodon"],  # no pack names it
            ["Weekly AI Recap", "Read this week's curated digest of top AI events →"],
        ],
    }


def zh_chrome(rng: random.Random, headline) -> dict[str, list[list[str]]]:
    n = rng.randint(2, 59)
    m = n + rng.randint(5, 40)
    name = rng.choice(ZH_NAMES)
    outlet = rng.choice(ZH_OUTLETS)
    return {
        "top": [
            [f"{n}小时前"],
            [f"作者 | {name}"],
            [f"来源：{outlet}"],
            [f"阅读量：{n}.{rng.randint(1, 9)}万"],
            ["分享到：微信 微博 QQ空间"],
            ["下载文档到电脑，查找使用更方便", f"文档页数：{m}页", "文档格式：.pdf"],
        ],
        "middle": [
            ["广告"],
            ["展开全文"],
            [f"第 {n} 页 共 {m} 页"],
            [f"已阅读{n}页，还剩{m}页未读，继续免费阅读"],
            ["相关阅读：", headline(), headline()],
        ],
        "bottom": [
            ["发表评论", "暂无评论，快来抢沙发"],
            [f"责任编辑：{name}"],
            ["扫码关注公众号，获取更多资讯"],
            ["本文档由用户上传，收益归属内容提供方"],
            ["点赞 | 收藏 | 转发"],
            ["热门推荐"],
            ["返回顶部"],
            [f"版权所有 © 2025 {outlet}"],
            [f"本文来源：{outlet}，转载请注明出处"],  # no pack names it
        ],
    }


def load(data: Path, lang: str) -> list[str]:
    path = data / "langid" / f"{lang}.txt"
    if not path.is_file():
        sys.exit(f"error: {path} not found; pass --data pointing at the shared data folder")
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def synthetic(rng: random.Random, lang: str, sentences: list[str]) -> list[tuple[str, bool]]:
    """One page as (line, is_chrome) pairs; "" is a paragraph break."""

    def headline() -> str:
        s = rng.choice(sentences)
        return s[: rng.randint(10, 16)] if lang == "zh" else " ".join(s.rstrip(".").split()[:7])

    chrome = (zh_chrome if lang == "zh" else en_chrome)(rng, headline)
    paras = []
    for _ in range(rng.randint(3, 8)):
        k = rng.randint(1, 3)
        picked = rng.sample(sentences, k)
        paras.append(("" if lang == "zh" else " ").join(picked))
    lines: list[tuple[str, bool]] = [(headline(), False)]
    for unit in rng.sample(chrome["top"], rng.randint(1, 3)):
        lines += [(l, True) for l in unit]
    middles = rng.sample(chrome["middle"], rng.randint(0, 2))
    for i, p in enumerate(paras):
        lines += [("", False), (p, False)]
        if middles and i == len(paras) // 2:
            for unit in middles:
                lines += [("", False)] + [(l, True) for l in unit]
    lines.append(("", False))
    for unit in rng.sample(chrome["bottom"], rng.randint(1, 3)):
        lines += [(l, True) for l in unit]
    return lines


def key_of(line: str) -> str:
    """Letters and digits, less a leading paragraph marker (an inline edit)."""
    return line_key(_PARA.sub("", line.strip()))


def from_sample(path: Path) -> list[tuple[str, bool]]:
    """A sample page labelled by its golden output: a line is content when its
    letters and digits survive."""
    kept = Counter(line_key(l) for l in path.with_name(path.name + ".expected").read_text(encoding="utf-8").splitlines())
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        key = key_of(line)
        if not key:
            out.append((line, False))
        elif kept[key] > 0:
            kept[key] -= 1
            out.append((line, False))
        else:
            out.append((line, True))
    return out


def score(pages: list[list[tuple[str, bool]]], outputs: list[str]) -> dict:
    res = Counter()
    missed: Counter = Counter()
    lost: list[str] = []
    for labelled, text in zip(pages, outputs):
        left = Counter(line_key(l) for l in text.splitlines())
        for line, is_chrome in labelled:
            key = key_of(line)
            if not key:
                continue
            present = left[key] > 0
            if present:
                left[key] -= 1
            if is_chrome:
                res["chrome"] += 1
                res["chrome_removed"] += not present
                if present:
                    missed[line if len(line) < 60 else line[:57] + "..."] += 1
            else:
                res["content"] += 1
                res["content_kept"] += present
                if not present:
                    lost.append(line)
    return {"counts": res, "missed": missed, "lost": lost}


def clean_all(pages, kinds, workdir: Path, stages) -> tuple[list[str], float]:
    src = workdir / "corpus.jsonl"
    with open(src, "w", encoding="utf-8") as fh:
        for i, (page, (kind, site)) in enumerate(zip(pages, kinds)):
            rec = {"id": f"p{i}", "text": "\n".join(l for l, _ in page) + "\n"}
            if site:
                rec["url"] = f"https://{site}/{kind}/{i}"
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    out = workdir / f"out-{len(stages)}.jsonl"
    t0 = time.perf_counter()
    outcome = run([str(src)], Config(stages=stages), RunOptions(output=str(out), quiet=True))
    secs = time.perf_counter() - t0
    if outcome.exit_code != 0:
        sys.exit(f"error: cleaning failed: {outcome.errors}")
    texts = {}
    for line in out.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        texts[rec["id"]] = rec["text"]
    return [texts.get(f"p{i}", "") for i in range(len(pages))], secs


def engine_speed(pages, kinds, rounds: int = 2) -> None:
    from chipclean.document import Document
    from chipclean.pipeline import Cleaner

    config = Config()
    before = Cleaner(config)
    names = [s.name for s in before.stages]
    inputs = []
    for page, (kind, site) in zip(pages, kinds):
        doc = Document("\n".join(l for l, _ in page) + "\n", source=f"https://{site}/{kind}" if site else "")
        for stage in before.stages[: names.index("disclaimers")]:
            stage.process(doc)
        inputs.append(doc)
    mb = sum(len(d.text.encode("utf-8")) for d in inputs) / 1024 / 1024

    def one_pass(unfiltered: bool) -> tuple[float, list]:
        cleaner = Cleaner(config)  # fresh: caches start empty, as in a real run
        stages = [s for s in cleaner.stages if s.name in ("disclaimers", "boilerplate")]
        if unfiltered:
            for s in stages:
                s.matcher.run = s.matcher.run_unfiltered
        out, cpu = [], 0.0
        for src in inputs:
            doc = Document(src.text, source=src.source, lang=src.lang, metadata=dict(src.metadata))
            t0 = time.process_time()
            for s in stages:
                s.process(doc)
            cpu += time.process_time() - t0
            out.append((doc.text, [e.to_dict() for e in doc.edits], doc.metadata))
        return cpu, out

    best = {}
    outputs = {}
    for _ in range(rounds):  # alternated, best of each: the machine is shared
        for label, unfiltered in (("line verdicts", False), ("every rule, every line", True)):
            cpu, outputs[label] = one_pass(unfiltered)
            best[label] = min(cpu, best.get(label, cpu))
    base = best["line verdicts"]
    print(f"\nrule engine (disclaimers + boilerplate stages), {len(inputs)} pages, {mb:.1f} MB, best of {rounds}")
    print(f"{'run':<24} {'CPU s':>7} {'MB/s':>7} {'x slower':>9}")
    for label, cpu in best.items():
        print(f"{label:<24} {cpu:>7.3f} {mb / cpu if cpu else float('inf'):>7.1f} {cpu / base if base else 1:>9.1f}")
    same = outputs["line verdicts"] == outputs["every rule, every line"]
    print(f"same edits: {'yes' if same else 'NO'}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--docs", type=int, default=400, help="synthetic pages (half English, half Chinese)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--show", type=int, default=12, help="missed chrome and lost content lines to print")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    pages, kinds = [], []
    for path in sorted((ROOT / "samples").glob("boilerplate-*.txt")):
        pages.append(from_sample(path))
        kinds.append(("sample", ""))
    n_samples = len(pages)
    sentences = {lang: load(args.data, lang) for lang in ("en", "zh")}
    for i in range(args.docs):
        lang = "en" if i % 2 == 0 else "zh"
        pages.append(synthetic(rng, lang, sentences[lang]))
        kinds.append((lang, rng.choice(SITES[lang])))

    base = tuple(s for s in STAGES if s not in ("repair", "entities"))
    rows = []
    with tempfile.TemporaryDirectory(prefix="chipclean-bench-") as tmp:
        for label, stages in (("packs", tuple(s for s in base if s != "repeats")), ("packs + repeats", base)):
            outputs, secs = clean_all(pages, kinds, Path(tmp), stages)
            for part, lo, hi in (("samples", 0, n_samples), ("synthetic", n_samples, len(pages)), ("all", 0, len(pages))):
                r = score(pages[lo:hi], outputs[lo:hi])
                c = r["counts"]
                rows.append((label, part, c["content"], c["content_kept"], c["chrome"], c["chrome_removed"], secs, r))

    print(f"{n_samples} sample pages, {args.docs} synthetic pages (seed {args.seed}); lines compared by letters and digits\n")
    print(f"{'run':<16} {'pages':<10} {'content':>8} {'kept':>8} {'kept %':>8} {'chrome':>8} {'removed':>8} {'removed %':>10}")
    for label, part, content, kept, chrome, removed, secs, _ in rows:
        print(f"{label:<16} {part:<10} {content:>8} {kept:>8} {100 * kept / max(content, 1):>7.2f}% "
              f"{chrome:>8} {removed:>8} {100 * removed / max(chrome, 1):>9.2f}%")
    for label, part, *_, r in rows:
        if part != "all":
            continue
        print(f"\n[{label}] chrome lines left most often:")
        for line, n in r["missed"].most_common(args.show):
            print(f"  {n:>5}  {line}")
        print(f"[{label}] content lines lost: {len(r['lost'])}")
        for line in r["lost"][: args.show]:
            print(f"         {line[:110]}")
    engine_speed(pages, kinds)


if __name__ == "__main__":
    main()
