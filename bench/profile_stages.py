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

    from chipclean.chunks import file_jobs, job_documents, observe_job
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
        # the last one is Chinese mojibake, which builds the word model the repair reads it with
        mojibake = "芯片股周二走强，英伟达领涨。".encode("utf-8").decode("gbk", "replace")
        for text in ("Chipmakers rallied on Tuesday.", "芯片股周二走强。", mojibake):
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
        # each stage timed with CPU time, document by document, as
        # Cleaner.clean runs them
        stage_cpu: Counter = Counter()
        docs = 0
        for job in jobs:
            for doc in job_documents(job, "text"):
                docs += 1
                for stage in cleaner.stages:
                    if doc.dropped:
                        break
                    t = cpu()
                    stage.process(doc)
                    stage_cpu[stage.name] += cpu() - t
        # around the stages: parsing each record and writing it back
        t = cpu()
        for job in jobs:
            for line in job.lines:
                json.dumps(json.loads(line), ensure_ascii=False)
        around = cpu() - t
        rows = list(parts.items()) + [(f"stage {k}", v) for k, v in stage_cpu.items()]
        rows.append(("JSON parse and dump of records", around))
        total = sum(v for _, v in rows)
        mb = size / 1024 / 1024
        print(f"{mb:.1f} MB, {docs:,} documents; one-off start-up (imports, packs, profiles, the CJK word model): {warm:.2f} s CPU\n")
        print(f"{'part':<38} {'CPU s':>7} {'share':>6} {'MB/s':>8}")
        for name, v in sorted(rows, key=lambda kv: -kv[1]):
            print(f"{name:<38} {v:>7.2f} {v / total:>6.1%} {mb / v if v else float('inf'):>8.1f}")
        print(f"{'total':<38} {total:>7.2f} {1:>6.0%} {mb / total:>8.2f}")


if __name__ == "__main__":
    main()
