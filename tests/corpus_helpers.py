"""A small mixed English/Chinese corpus with site chrome, repeated lines and
some mojibake, for tests of whole runs (parallel, resumed, streamed)."""

from __future__ import annotations

import json
import random
from pathlib import Path

EN = [
    "Chipmakers rallied on Tuesday after the company raised its forecast for the year.",
    "Analysts said demand for accelerators would stay strong through the next quarter.",
    "The export rules, announced last month, apply to the most advanced processors.",
    "Shares of memory makers rose as prices for high-bandwidth memory climbed again.",
    "The factory in Arizona is expected to begin volume production next year.",
    "Executives declined to comment on talks with the government about subsidies.",
]
ZH = [
    "芯片股周二走强，公司上调了全年业绩预期。",
    "分析师表示，加速器需求在下个季度仍将保持强劲。",
    "上个月公布的出口规则适用于最先进的处理器。",
    "由于高带宽内存价格再次上涨，存储芯片制造商股价上升。",
    "位于亚利桑那州的工厂预计明年开始量产。",
]
CHROME_EN = ["Share To", "Subscribe to our Morning Ledger newsletter", "Comments", "No comments yet"]
CHROME_ZH = ["分享到：微信 微博 QQ空间", "扫码关注公众号，获取更多资讯"]
REPEATED = "Market Pulse Daily — curated for professionals"


def document(rng: random.Random, n: int) -> dict:
    zh = rng.random() < 0.4
    pool = ZH if zh else EN
    sep = "" if zh else " "
    paras = [sep.join(rng.choice(pool) for _ in range(rng.randint(2, 4))) for _ in range(rng.randint(2, 5))]
    lines = [rng.choice(pool)[:40]]
    if rng.random() < 0.5:
        lines.append(rng.choice(CHROME_ZH if zh else CHROME_EN))
    if rng.random() < 0.3:
        lines.append(REPEATED)
    lines.append("")
    lines.append("\n\n".join(paras))
    if rng.random() < 0.4:
        lines.append(rng.choice(CHROME_ZH if zh else CHROME_EN))
    text = "\n".join(lines) + "\n"
    if rng.random() < 0.05:
        text = text.replace(paras[0], paras[0].encode("utf-8").decode("cp1252", "replace"))
    return {"id": f"d{n}", "url": f"https://site{n % 3}.example.com/a/{n}", "text": text}


def write_corpus(root: Path, files: int = 4, records: int = 60, seed: int = 1, texts: int = 3) -> Path:
    """``files`` JSONL files of ``records`` records and ``texts`` text files."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    n = 0
    for i in range(files):
        with open(root / f"part-{i:02d}.jsonl", "w", encoding="utf-8") as fh:
            for _ in range(records):
                fh.write(json.dumps(document(rng, n), ensure_ascii=False) + "\n")
                n += 1
    sub = root / "articles"
    sub.mkdir(exist_ok=True)
    for i in range(texts):
        (sub / f"article-{i}.txt").write_text(document(rng, n)["text"], encoding="utf-8")
        n += 1
    return root


def tree(root: Path) -> dict[str, bytes]:
    """Every output file by relative path (the manifest and temporaries aside)."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.name.startswith(".")}
