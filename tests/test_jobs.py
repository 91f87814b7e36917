"""--jobs: a process pool whose output is byte-identical to one process."""

import gzip
import json
import os
from concurrent.futures import ProcessPoolExecutor
import multiprocessing

import pytest

from chipclean import chunks
from chipclean.chunks import ChunkResult, Job
from chipclean.cli import main
from chipclean.config import Config
from chipclean.io.inputs import InputFile
from chipclean.parallel import ordered
from chipclean.runner import RunOptions, run

from .corpus_helpers import REPEATED, tree, write_corpus


def clean_dir(src, out, jobs, tmp_path, tag, **extra):
    audit = tmp_path / f"audit-{tag}.jsonl"
    report = tmp_path / f"report-{tag}.json"
    rejects = tmp_path / f"rejects-{tag}.jsonl"
    outcome = run([str(src)], Config(**extra), RunOptions(output=str(out), jobs=jobs, quiet=True, audit=str(audit),
                                                          report=str(report), rejects=str(rejects)))
    rep = json.loads(report.read_text())
    for volatile in ("seconds", "seconds_per_stage"):
        rep.pop(volatile)
    return outcome, tree(out), audit.read_bytes(), rep, rejects.read_bytes()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return write_corpus(tmp_path_factory.mktemp("corpus"), files=3, records=40, texts=3)


def test_two_jobs_write_exactly_what_one_writes(corpus, tmp_path, monkeypatch):
    # small chunks, so that each file is split across both workers
    monkeypatch.setattr(chunks, "CHUNK_RECORDS", 7)
    one = clean_dir(corpus, tmp_path / "one", 1, tmp_path, "one")
    two = clean_dir(corpus, tmp_path / "two", 2, tmp_path, "two")
    assert one[0].exit_code == two[0].exit_code == 0
    assert one[1] == two[1] and len(one[1]) == 6
    assert one[2:] == two[2:]
    # the repeats stage saw the whole corpus in both: the repeated line is gone
    out = b"".join(v for k, v in one[1].items() if k.endswith(".jsonl")).decode()
    assert REPEATED not in out
    assert one[3]["edits_per_rule"].get("repeats.line", 0) > 0
    # record order is kept
    ids = [json.loads(line)["id"] for line in (tmp_path / "two" / "part-01.jsonl").read_text().splitlines()]
    assert ids == [f"d{n}" for n in range(40, 80)]


def test_jobs_option_and_explain_order_on_the_command_line(corpus, runner, tmp_path, monkeypatch):
    monkeypatch.setattr(chunks, "CHUNK_RECORDS", 5)
    src = corpus / "part-00.jsonl"
    outs = []
    for jobs in ("1", "2"):
        r = runner.invoke(main, ["clean", "--only", "normalize,boilerplate", "--explain", "-j", jobs, str(src)])
        assert r.exit_code == 0, r.output
        outs.append((r.stdout, r.stderr))
    assert outs[0] == outs[1]
    assert "boilerplate" in outs[0][1]


def test_a_broken_file_is_reported_and_the_others_are_written(corpus, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for name in ("a.jsonl", "c.jsonl"):
        (src / name).write_bytes((corpus / "part-00.jsonl").read_bytes())
    (src / "b.jsonl.gz").write_bytes(gzip.compress(b'{"text": "x"}\n' * 100)[:-30])  # cut short
    out = tmp_path / "out"
    r = run([str(src)], Config(stages=("normalize", "boilerplate")), RunOptions(output=str(out), jobs=2, quiet=True))
    assert r.exit_code == 123
    assert len(r.errors) == 1 and "b.jsonl.gz" in r.errors[0]
    assert sorted(tree(out)) == ["a.jsonl", "c.jsonl"]
    assert not list(out.glob(".*tmp"))


# -- a worker that dies -----------------------------------------------------------


def _die_on_poison(job: Job, _wants) -> ChunkResult:
    if job.data == b"poison":
        os._exit(3)  # as if killed: no exception, no result
    return ChunkResult(out=job.data.decode())


def test_a_dead_worker_loses_only_its_own_job():
    ctx = multiprocessing.get_context("spawn")
    pools = [ProcessPoolExecutor(2, mp_context=ctx)]

    def restart():
        pools[0].shutdown(wait=False, cancel_futures=True)
        pools.append(ProcessPoolExecutor(2, mp_context=ctx))
        pools[0] = pools[-1]

    f = InputFile("x.txt", "x.txt")
    items = ["start"] + [Job(f, i, data=d) for i, d in enumerate([b"a", b"b", b"poison", b"c", b"d"])] + ["end"]
    try:
        got = list(ordered(lambda fn, *a: pools[0].submit(fn, *a), _die_on_poison, (None,), items, 4, restart,
                           lambda job, why: ChunkResult(fatal=why)))
    finally:
        pools[0].shutdown()
    assert [i if isinstance(i, str) else i.data for i, _ in got] == ["start", b"a", b"b", b"poison", b"c", b"d", "end"]
    results = [r for _, r in got if r is not None]
    assert [r.out for r in results if r.fatal is None] == ["a", "b", "c", "d"]
    assert [r.fatal for r in results if r.fatal is not None][0].startswith("the worker process")
