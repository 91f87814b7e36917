"""The Ray engine on a local Ray instance: same output as the local engine."""

import json
import random
from datetime import datetime

import pytest

from chipclean.config import Config
from chipclean.runner import RunOptions, run

from .corpus_helpers import REPEATED, document, tree, write_corpus

try:
    import ray
    import ray.data  # noqa: F401
except ImportError:  # pragma: no cover - depends on the environment
    ray = None

pytestmark = [
    pytest.mark.ray,
    pytest.mark.skipif(ray is None, reason="Ray is not installed: pip install 'chipclean[ray]' to run this test"),
]


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield
    ray.shutdown()


def test_ray_output_equals_local_output(local_ray, tmp_path):
    src = write_corpus(tmp_path / "src", files=3, records=30, texts=2, seed=5)
    # a shard that can't be read is reported; the others are still written
    (src / "broken.jsonl.gz").write_bytes(b"\x1f\x8b\x08\x00not really gzip")
    runs = {}
    for engine in ("local", "ray"):
        out = tmp_path / engine
        audit = tmp_path / f"{engine}.audit.jsonl"
        outcome = run([str(src)], Config(), RunOptions(output=str(out), engine=engine, jobs=2, quiet=True,
                                                       audit=str(audit)))
        runs[engine] = (outcome.exit_code, outcome.errors, tree(out), audit.read_bytes(), outcome.stats.to_dict())
    local, remote = runs["local"], runs["ray"]
    assert local[0] == remote[0] == 123 and len(local[1]) == 1 and "broken.jsonl.gz" in remote[1][0]
    assert local[2] == remote[2] and len(local[2]) == 5
    assert local[3] == remote[3]
    assert {k: v for k, v in local[4].items() if k != "seconds_per_stage"} == \
        {k: v for k, v in remote[4].items() if k != "seconds_per_stage"}
    # the counting pass ran on Ray too: the repeated chrome line is gone
    assert REPEATED not in b"".join(v for k, v in remote[2].items() if k.endswith(".jsonl")).decode()


def test_ray_cleans_parquet_shards_as_the_local_engine_cleans_the_same_records(local_ray, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    records = [document(random.Random(n), n) for n in range(90)]
    jsonl, shards = tmp_path / "jsonl", tmp_path / "parquet"
    jsonl.mkdir()
    shards.mkdir()
    for i, part in enumerate((records[:50], records[50:])):
        with open(jsonl / f"part-{i}.jsonl", "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in part)
        # columns JSON can't carry, which must come back as they were
        extra = {"n": pa.array([int(r["id"][1:]) for r in part], pa.int32()),
                 "raw": pa.array([r["text"].encode("utf-8")[:8] for r in part], pa.binary()),
                 "seen": pa.array([datetime(2025, 1, 1 + k % 28) for k in range(len(part))], pa.timestamp("ms"))}
        table = pa.table({"id": [r["id"] for r in part], "url": [r["url"] for r in part],
                          "text": [r["text"] for r in part], **extra})
        pq.write_table(table, shards / f"part-{i}.parquet", row_group_size=20)
    (shards / "broken.parquet").write_bytes(b"PAR1 not really parquet")

    local = run([str(jsonl)], Config(), RunOptions(output=str(tmp_path / "local"), jobs=1, quiet=True))
    assert local.exit_code == 0
    remote = run([str(shards)], Config(), RunOptions(output=str(tmp_path / "ray"), engine="ray", jobs=2, quiet=True))
    assert remote.exit_code == 123 and len(remote.errors) == 1 and "broken.parquet" in remote.errors[0]
    for i in range(2):
        want = [json.loads(line) for line in (tmp_path / "local" / f"part-{i}.jsonl").read_text("utf-8").splitlines()]
        got = pq.read_table(tmp_path / "ray" / f"part-{i}.parquet")
        source = pq.read_table(shards / f"part-{i}.parquet")
        assert got.schema.names == source.schema.names + ["chipclean"]
        assert got.column("text").to_pylist() == [r["text"] for r in want]
        assert got.column("chipclean").to_pylist() == [json.dumps(r["chipclean"], ensure_ascii=False) for r in want]
        for name in ("id", "n", "raw", "seen"):  # every row kept, unchanged
            assert got.column(name).equals(source.column(name))
    # the counting pass ran over the Parquet rows: the repeated line is gone
    assert REPEATED in "".join(r["text"] for r in records)
    texts = [t for i in range(2) for t in pq.read_table(tmp_path / "ray" / f"part-{i}.parquet").column("text").to_pylist()]
    assert not any(REPEATED in t for t in texts)
    # the local engine says where Parquet is read instead of misreading it
    refused = run([str(shards / "part-0.parquet")], Config(), RunOptions(output=str(tmp_path / "x.parquet"), quiet=True))
    assert refused.exit_code == 123 and "--engine ray" in refused.errors[0]
