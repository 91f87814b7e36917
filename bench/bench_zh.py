"""Chinese script conversion and entity matching: throughput of the
``zh-script`` + ``entities`` stages against plain OpenCC on the same text,
side by side in one run (the machine is shared, so the ratio is the figure
to read). Times are CPU seconds (``time.process_time``), the best of
``--repeat`` passes, each pass timing the stages and then OpenCC.

Reads the lingua Chinese sentences (``<data>/langid/zh.txt``) by path and
writes nothing. Documents are 20 sentences each, with two sentences naming
entities from the shipped packs; the Traditional corpus is the same text
through OpenCC ``s2t``.

    python bench/bench_zh.py --data ../shared/data [--mb 8] [--repeat 3]

Rows: converting Traditional text to Simplified (``--zh-script hans`` against
``t2s``), Simplified to Taiwan forms (``tw`` against ``s2tw``), and entities
alone on Simplified text that needs no conversion.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chipclean.config import Config  # noqa: E402
from chipclean.document import Document  # noqa: E402
from chipclean.pipeline import Cleaner  # noqa: E402
from chipclean.zh.convert import converter  # noqa: E402

TEMPLATES = ("据报道，{}本周公布了新的计划，股价随之上涨。", "分析师认为{}的订单将在下半年增长。")


def build_corpus(data: Path, mb: float, cleaner: Cleaner) -> list[str]:
    path = data / "langid" / "zh.txt"
    if not path.is_file():
        sys.exit(f"error: {path} not found (pass --data pointing at the shared data folder)")
    sentences = [s.strip() for s in path.read_text(encoding="utf-8").splitlines() if s.strip()]
    names = [
        r.data["canonical"]["zh-Hans"]
        for r in cleaner.rules.rules_for("entities")
        if r.kind == "entity"
    ]
    docs, size, i = [], 0, 0
    while size < mb * 1_000_000:
        body = [sentences[(i * 20 + k) % len(sentences)] for k in range(20)]
        body.insert(5, TEMPLATES[0].format(names[i % len(names)]))
        body.insert(15, TEMPLATES[1].format(names[(i * 7 + 3) % len(names)]))
        doc = "\n".join(body) + "\n"
        docs.append(doc)
        size += len(doc.encode("utf-8"))
        i += 1
    return docs


def time_opencc(config: str, docs: list[str]) -> float:
    conv = converter(config)
    t0 = time.process_time()
    for d in docs:
        conv.convert(d)
    return time.process_time() - t0


def time_stages(cleaner: Cleaner, docs: list[str]) -> tuple[float, int]:
    edits = 0
    t0 = time.process_time()
    for d in docs:
        doc = Document(text=d, lang="zh")
        cleaner.clean(doc)
        edits += len(doc.edits)
    return time.process_time() - t0, edits


def side_by_side(cleaner: Cleaner, plain: str, docs: list[str], repeat: int) -> tuple[float, float, int]:
    """Best CPU time of the stages and of plain OpenCC, timed in turn."""
    cleaner.clean(Document(text=docs[0], lang="zh"))  # build stages, packs and patterns first
    converter(plain).convert(docs[0])
    ours = base = float("inf")
    edits = 0
    for _ in range(repeat):
        t, edits = time_stages(cleaner, docs)
        ours = min(ours, t)
        base = min(base, time_opencc(plain, docs))
    return ours, base, edits


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--mb", type=float, default=4.0, help="size of each corpus in MB of UTF-8")
    ap.add_argument("--repeat", type=int, default=3, help="best of this many timed passes")
    args = ap.parse_args()

    def cleaner(target: str) -> Cleaner:
        return Cleaner(Config(zh_script=target, stages=("zh-script", "entities")))

    hans = build_corpus(args.data, args.mb, cleaner("keep"))
    hant = [converter("s2t").convert(d) for d in hans]
    rows = []
    for label, target, plain, docs in (
        ("Traditional -> hans", "hans", "t2s", hant),
        ("Simplified -> tw", "tw", "s2tw", hans),
        ("Simplified, keep (entities only)", "keep", "t2s", hans),
    ):
        mb = sum(len(d.encode("utf-8")) for d in docs) / 1e6
        ours, base, edits = side_by_side(cleaner(target), plain, docs, args.repeat)
        rows.append((label, mb, mb / ours, f"OpenCC {plain}", mb / base, base / ours, edits))

    print(f"{'run':34} {'MB':>6} {'stages MB/s':>12} {'baseline':>12} {'base MB/s':>10} {'ratio':>6} {'edits':>8}")
    for label, mb, ours, name, base, ratio, edits in rows:
        print(f"{label:34} {mb:6.2f} {ours:12.2f} {name:>12} {base:10.2f} {ratio:6.2f} {edits:8d}")
    print("MB/s of CPU time; ratio = stages throughput / plain OpenCC throughput on the same documents, same run")


if __name__ == "__main__":
    main()
