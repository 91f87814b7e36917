"""Throughput: chipclean's default pipeline against what people write by hand.

Builds a realistic English/Chinese news corpus in a temporary folder (see
``bench/corpus.py``: lingua sentences read from ``--data``, site chrome, 2%
mojibake), then runs, each in its own process so peak RSS is its own:

- ``chipclean clean`` with default settings at ``--jobs 1`` and ``--jobs 2``
  (the two outputs must be byte-identical);
- the naive loop: ``ftfy.fix_text`` then ``langdetect.detect`` on each record;
- ``ftfy.fix_text`` alone.

The two baselines are slow, so they run on the first ``--baseline-mb`` of the
corpus; every figure is a rate (MB/s of input), so the ratios compare like
with like. ``--flat`` also runs ``--jobs 1`` on a corpus 4x larger to show
that peak memory does not grow with the input. Nothing is written into the
repository.

    python bench/bench_throughput.py [--data ../shared/data] [--mb 50] [--flat]
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from corpus import DEFAULT_DATA, build  # noqa: E402

MB = 1024 * 1024

# Runs a command and reports its wall time and the peak RSS of the largest
# process it started (workers included: they are waited for by their parent).
_MEASURE = """
import json, resource, subprocess, sys, time
t0 = time.perf_counter()
rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
dt = time.perf_counter() - t0
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": rc, "seconds": dt, "cpu": ru.ru_utime + ru.ru_stime, "rss_mb": ru.ru_maxrss / 1024}))
"""

_NAIVE = """
import json, sys
import ftfy
from langdetect import DetectorFactory, detect
from langdetect.lang_detect_exception import LangDetectException
DetectorFactory.seed = 0
mode, out, *paths = sys.argv[1:]
with open(out, "w", encoding="utf-8") as dst:
    for path in paths:
        with open(path, encoding="utf-8") as src:
            for line in src:
                rec = json.loads(line)
                rec["text"] = ftfy.fix_text(rec["text"])
                if mode == "naive":
                    try:
                        rec["lang"] = detect(rec["text"])
                    except LangDetectException:
                        rec["lang"] = "und"
                dst.write(json.dumps(rec, ensure_ascii=False) + "\\n")
"""


def _burn(n: int) -> None:
    x = 0
    for i in range(n):
        x += i


def parallel_headroom(n: int = 20_000_000) -> float:
    """How much faster two CPU-bound processes finish than one after the
    other on this machine right now: the ceiling for --jobs 2."""
    import multiprocessing

    t = time.perf_counter()
    _burn(n)
    _burn(n)
    serial = time.perf_counter() - t
    with multiprocessing.get_context("fork").Pool(2) as pool:
        t = time.perf_counter()
        pool.map(_burn, [n, n])
        parallel = time.perf_counter() - t
    return serial / parallel


def measure(cmd: list[str]) -> dict:
    out = subprocess.run([sys.executable, "-c", _MEASURE, *cmd], capture_output=True, text=True, check=True)
    res = json.loads(out.stdout.strip().splitlines()[-1])
    if res["rc"] != 0:
        raise SystemExit(f"failed ({res['rc']}): {' '.join(cmd)}")
    return res


def chipclean(src: Path, out: Path, jobs: int) -> dict:
    return measure([sys.executable, "-m", "chipclean", "clean", str(src), "-o", str(out), "--jobs", str(jobs), "-q"])


def sample(paths: list[Path], mb: float, dest: Path) -> Path:
    """The first ``mb`` of the corpus, whole records only."""
    limit = int(mb * MB)
    size = 0
    with open(dest, "w", encoding="utf-8") as fh:
        for p in paths:
            with open(p, encoding="utf-8") as src:
                for line in src:
                    if size >= limit:
                        return dest
                    fh.write(line)
                    size += len(line.encode("utf-8"))
    return dest


def same_tree(a: Path, b: Path) -> bool:
    names = sorted(p.name for p in a.iterdir() if not p.name.startswith("."))
    if names != sorted(p.name for p in b.iterdir() if not p.name.startswith(".")):
        return False
    match, mismatch, errors = filecmp.cmpfiles(a, b, names, shallow=False)
    return not mismatch and not errors


def main() -> None:
    ap = argparse.ArgumentParser(description="chipclean throughput against ftfy and ftfy+langdetect")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder (default: %(default)s)")
    ap.add_argument("--mb", type=float, default=50, help="corpus size (default: %(default)s)")
    ap.add_argument("--baseline-mb", type=float, default=8, help="corpus share the baselines run on (default: %(default)s)")
    ap.add_argument("--flat", action="store_true", help="also run on a corpus 4x larger and compare peak RSS")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="chipclean-bench-") as tmp:
        tmp = Path(tmp)
        shards = build(tmp / "corpus", args.mb, args.data)
        size = sum(p.stat().st_size for p in shards)
        base = sample(shards, args.baseline_mb, tmp / "sample.jsonl")
        base_size = base.stat().st_size
        print(f"corpus: {len(shards)} JSONL shards, {size / MB:.1f} MB; baselines on the first {base_size / MB:.1f} MB")
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores\n")

        rows = []
        headroom = [parallel_headroom()]
        r1 = chipclean(tmp / "corpus", tmp / "out1", 1)
        rows.append(("chipclean defaults --jobs 1", size, r1))
        r2 = chipclean(tmp / "corpus", tmp / "out2", 2)
        rows.append(("chipclean defaults --jobs 2", size, r2))
        headroom.append(parallel_headroom())
        identical = same_tree(tmp / "out1", tmp / "out2")
        naive = measure([sys.executable, "-c", _NAIVE, "naive", str(tmp / "naive.jsonl"), str(base)])
        rows.append(("naive ftfy.fix_text + langdetect.detect", base_size, naive))
        ftfy_only = measure([sys.executable, "-c", _NAIVE, "ftfy", str(tmp / "ftfy.jsonl"), str(base)])
        rows.append(("ftfy.fix_text alone", base_size, ftfy_only))
        if args.flat:
            big = build(tmp / "corpus4", args.mb * 4, args.data, seed=1)
            big_size = sum(p.stat().st_size for p in big)
            rows.append(("chipclean defaults --jobs 1, 4x corpus", big_size, chipclean(tmp / "corpus4", tmp / "out4", 1)))

        # wall-clock rates show what a user waits for; CPU rates (user+sys of
        # every process of the run) are what a shared machine can't distort, so
        # the single-process comparisons use them and --jobs uses wall clock
        rate = {name: s / MB / r["seconds"] for name, s, r in rows}
        cpu_rate = {name: s / MB / max(r["cpu"], 1e-9) for name, s, r in rows}
        print(f"{'run':<42} {'MB':>6} {'wall s':>7} {'MB/s':>6} {'CPU s':>7} {'MB/CPU-s':>9} {'peak RSS MB':>12}")
        for name, s, r in rows:
            print(f"{name:<42} {s / MB:>6.1f} {r['seconds']:>7.1f} {rate[name]:>6.2f} {r['cpu']:>7.1f} "
                  f"{cpu_rate[name]:>9.2f} {r['rss_mb']:>12.0f}")
        one, two = "chipclean defaults --jobs 1", "chipclean defaults --jobs 2"
        checks = [
            ("--jobs 1 vs naive ftfy+langdetect (CPU)", cpu_rate[one] / cpu_rate["naive ftfy.fix_text + langdetect.detect"], 10.0),
            ("--jobs 1 vs ftfy.fix_text alone (CPU)", cpu_rate[one] / cpu_rate["ftfy.fix_text alone"], 2.0),
            ("--jobs 2 vs --jobs 1 (wall clock)", rate[two] / rate[one], 1.6),
        ]
        print()
        for name, ratio, target in checks:
            print(f"{name:<42} {ratio:>6.2f}x  (target >= {target:g}x: {'met' if ratio >= target else 'NOT met'})")
        print(f"{'two busy processes vs one, same machine':<42} {min(headroom):>6.2f}x .. {max(headroom):.2f}x "
              "(the ceiling for --jobs 2 while the runs above ran)")
        print(f"{'--jobs 2 output identical to --jobs 1':<42} {'yes' if identical else 'NO'}")
        rss = max(r1["rss_mb"], r2["rss_mb"])
        print(f"{'peak RSS per process':<42} {rss:>6.0f} MB (target <= 300 MB: {'met' if rss <= 300 else 'NOT met'})")
        if args.flat:
            r4 = rows[-1][2]["rss_mb"]
            print(f"{'peak RSS, 4x corpus vs 1x (--jobs 1)':<42} {r4:>6.0f} MB vs {r1['rss_mb']:.0f} MB "
                  f"({'flat' if r4 <= r1['rss_mb'] * 1.15 + 10 else 'GROWS'})")


if __name__ == "__main__":
    main()
