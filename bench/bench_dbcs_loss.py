"""How much of a line survives UTF-8 being decoded by a CJK codec with
``errors="replace"``, and so how much any repair could hope to get back.

    python bench/bench_dbcs_loss.py --data ../shared/data [--limit 200] [--read 20]

For the lingua sentences (``<data>/langid/<lang>.txt``, read by path) it reports
per codec: the share of bytes replaced by U+FFFD, the share of characters
whose bytes all survived (certain), the doubt left per line (log2 of the number
of common characters that fit each broken one, summed: the bits a language
model must supply), what :mod:`chipclean.mojibake.dbcs` diagnoses and repairs,
and how many characters its best full reading gets right when forced to read
every line (``--read`` lines per codec; slow, since that search is normally
refused for such lines). Writes nothing.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chipclean.mojibake import dbcs  # noqa: E402
from chipclean.mojibake.prior import guess_script  # noqa: E402

CASES = (("gbk", "zh"), ("big5", "zh"), ("cp932", "ja"), ("euc_kr", "ko"), ("cp949", "ko"), ("euc_jp", "ja"))


def load(data: Path, lang: str, limit: int) -> list[str]:
    f = data / "langid" / f"{lang}.txt"
    if not f.exists():
        sys.exit(f"error: missing {f}")
    return [x.strip() for x in f.read_text(encoding="utf-8").splitlines() if x.strip()][:limit]


@lru_cache(maxsize=None)
def _fits(codec: str, script, pattern: tuple, after, at_end: bool) -> int:
    limit, dbcs._OPTIONS = dbcs._OPTIONS, 10**6  # count them all, not just the ones searched
    try:
        return len(dbcs.options(codec, script, dbcs.Broken(0, pattern, after, at_end)))
    finally:
        dbcs._OPTIONS = limit


def measure(codec: str, lines: list[str], read: int) -> dict:
    lost = total = certain = chars = repaired = wrong = diagnosed = split_ok = 0
    bits: list[float] = []
    for good in lines:
        broken = good.encode("utf-8").decode(codec, "replace")
        raw = good.encode("utf-8")
        items = dbcs.stream(broken, codec)
        if items is None or len(items) != len(raw):
            continue  # this decoder's U+FFFD is not always one byte (GBK drops some)
        pieces = dbcs.split(items)
        lost += items.count(None)
        total += len(raw)
        if pieces is None or len(pieces) != len(good):
            continue
        split_ok += 1
        script = guess_script("".join(p for p in pieces if isinstance(p, str)))
        chars += len(pieces)
        certain += sum(1 for p in pieces if isinstance(p, str))
        bits.append(sum(math.log2(max(1, _fits(codec, script, p.pattern, p.after, p.at_end)))
                        for p in pieces if not isinstance(p, str)))
        diagnosed += dbcs.diagnose(broken) is not None
        rep = dbcs.repair_line(broken)
        if rep is not None:
            fixed = broken[: rep.start] + rep.text + broken[rep.end :]
            repaired += fixed == good
            wrong += fixed != good
    # the best reading of whole lines, which the repair refuses to attempt
    right = seen = exact = 0
    t = time.process_time()
    limits = dbcs._MAX_HOLES, dbcs._MAX_BROKEN
    dbcs._MAX_HOLES = dbcs._MAX_BROKEN = 10**6
    try:
        for good in lines[:read]:
            found = dbcs.read(good.encode("utf-8").decode(codec, "replace"), codec)
            if found is None or len(found.chars) != len(good):
                continue
            exact += found.text == good
            guessed = [(a, b) for a, b, m in zip(found.chars, good, found.margins) if m != math.inf]
            right += sum(a == b for a, b in guessed)
            seen += len(guessed)
    finally:
        dbcs._MAX_HOLES, dbcs._MAX_BROKEN = limits
    return dict(n=len(lines), lost=lost / max(total, 1), certain=certain / max(chars, 1),
                bits=sum(bits) / max(len(bits), 1), split=split_ok, diagnosed=diagnosed,
                repaired=repaired, wrong=wrong, guess_acc=right / max(seen, 1), exact=exact,
                read=min(read, len(lines)), read_cpu=time.process_time() - t)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--limit", type=int, default=200, help="sentences per language")
    ap.add_argument("--read", type=int, default=20, help="lines per codec read in full (slow)")
    args = ap.parse_args()
    print(f"information lost per line, {args.limit} sentences per language; data {args.data}")
    print()
    print("| codec  | lang | lines | bytes lost | chars certain | doubt, bits/line | diagnosed | repaired "
          "| wrong | full reading: guesses right | lines exact |")
    print("|--------|------|-------|------------|---------------|------------------|-----------|----------"
          "|-------|-----------------------------|-------------|")
    for codec, lang in CASES:
        r = measure(codec, load(args.data, lang, args.limit), args.read)
        print(f"| {codec:6} | {lang:4} | {r['n']:5} | {100 * r['lost']:9.1f}% | {100 * r['certain']:12.1f}% "
              f"| {r['bits']:16.1f} | {r['diagnosed']:9} | {r['repaired']:8} | {r['wrong']:5} "
              f"| {100 * r['guess_acc']:26.1f}% | {r['exact']:4} of {r['read']:<4} |")
    print()
    print("doubt: log2 of the common characters (word list and structural prior) that fit")
    print("each broken character, summed over a line; GBK is given for comparison.")


if __name__ == "__main__":
    main()
