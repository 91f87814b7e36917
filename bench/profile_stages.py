"""Where the time goes: CPU seconds per stage, and around the stages.

Builds a slice of the benchmark corpus (``bench/corpus.py``) and cleans it
in this process with the default settings, timing with CPU time (not wall
time, which a shared machine inflates): reading the records, the counting
pass of ``repeats``, each stage, and the JSON and bookkeeping around them. The first
document's one-off costs (imports, compiling packs, loading language
profiles) are reported apart.

    python bench/profile_stages.py [--data ../shared/data] [--mb 4]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from corpus import DEFAULT_DATA, build  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--mb", type=float, default=4)
    args = ap.parse_args()

    from chipclean.chunks import Wants, clean_job, file_jobs, observe_job
    from chipclean.config import Config
    from chipclean.document import Document
    from chipclean.io.inputs import InputFile
    from chipclean.pipeline import Cleaner

    cpu = time.process_time
    with tempfile.TemporaryDirectory(prefix="chipclean-profile-") as tmp:
        shards = build(Path(tmp), args.mb, args.data, shard_mb=args.mb + 1)
        files = [InputFile(str(p), p.name) for p in shards]
        size = sum(p.stat().st_size for p in shards)
        cleaner = Cleaner(Config())
        t = cpu()
        for text in ("Chipmakers rallied on Tuesday.", "芯片股周二走强。"):
            cleaner.clean(Document(text))
        warm = cpu() - t
        cleaner = Cleaner(Config())
        cleaner.stages  # compiled packs
        cleaner.stats.seconds_per_stage.clear()
        parts: Counter = Counter()
        t = cpu()
        jobs = [job for f in files for job in file_jobs(f)]
        parts["read (streamed JSONL lines)"] = cpu() - t
        t = cpu()
        for job in jobs:
            cleaner.merge_observed(observe_job(cleaner, job))
        parts["repeats counting pass"] = cpu() - t
        timings: Counter = Counter()
        total_jobs = jobs_wall = 0.0
        for job in jobs:
            t, w = cpu(), time.perf_counter()
            res = clean_job(cleaner, job, Wants())
            total_jobs += cpu() - t
            jobs_wall += time.perf_counter() - w
            timings.update(res.stats.seconds_per_stage)
        docs = sum(1 for job in jobs for _ in job.lines)
        # stage timings are wall clock inside the worker function; scale them
        # to the CPU time the whole cleaning took
        wall = jobs_wall or 1.0
        stage_cpu = {k: v / wall * total_jobs for k, v in timings.items()}
        around = total_jobs - sum(stage_cpu.values())
        rows = list(parts.items()) + [(f"stage {k}", v) for k, v in stage_cpu.items()]
        rows.append(("JSON parse/dump, stats, metadata", max(0.0, around)))
        total = sum(v for _, v in rows)
        mb = size / 1024 / 1024
        print(f"{mb:.1f} MB, {docs:,} documents; one-off start-up (imports, packs, profiles): {warm:.2f} s CPU\n")
        print(f"{'part':<38} {'CPU s':>7} {'share':>6} {'MB/s':>8}")
        for name, v in sorted(rows, key=lambda kv: -kv[1]):
            print(f"{name:<38} {v:>7.2f} {v / total:>6.1%} {mb / v if v else float('inf'):>8.1f}")
        print(f"{'total':<38} {total:>7.2f} {1:>6.0%} {mb / total:>8.2f}")


if __name__ == "__main__":
    main()
