"""The Ray engine on a local Ray instance: same output as the local engine."""

import pytest

from chipclean.config import Config
from chipclean.runner import RunOptions, run

from .corpus_helpers import REPEATED, tree, write_corpus

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
