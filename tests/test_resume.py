"""Resumable runs: a manifest of finished inputs, and no partial output after
a kill or Ctrl-C, shown on a real chipclean process."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from chipclean.config import Config
from chipclean.manifest import NAME
from chipclean.runner import RunOptions, run

from .corpus_helpers import tree, write_corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return write_corpus(tmp_path_factory.mktemp("corpus"), files=30, records=25, texts=4, seed=7)


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("reference")
    outcome = run([str(corpus)], Config(), RunOptions(output=str(out), jobs=1, quiet=True))
    assert outcome.exit_code == 0
    return tree(out)


def start(corpus, out, *extra):
    env = dict(os.environ, PYTHONHASHSEED="random")
    return subprocess.Popen([sys.executable, "-m", "chipclean", "clean", str(corpus), "-o", str(out), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def wait_for_progress(proc, out, entries):
    """Wait until ``entries`` inputs are recorded as done, while the run goes on."""
    manifest = out / NAME
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if manifest.exists() and len(manifest.read_text().splitlines()) >= entries:
            return
        assert proc.poll() is None, "the run finished before it could be interrupted"
        time.sleep(0.02)
    pytest.fail("no progress within two minutes")


def assert_nothing_partial(out, reference):
    got = tree(out)
    assert got, "nothing was written before the interruption"
    assert len(got) < len(reference), "the run was not interrupted in the middle"
    for name, data in got.items():
        assert data == reference[name], f"{name} is partial or different"


@pytest.mark.parametrize("sig, jobs", [(signal.SIGKILL, "2"), (signal.SIGINT, "1")], ids=["kill-2-jobs", "ctrl-c-1-job"])
def test_interrupted_run_resumes_to_the_same_output(corpus, reference, tmp_path, sig, jobs):
    out = tmp_path / "out"
    proc = start(corpus, out, "--jobs", jobs)
    wait_for_progress(proc, out, 3)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    if sig == signal.SIGINT:
        assert proc.returncode == 130
        assert "interrupted" in err and "Traceback" not in err
    assert_nothing_partial(out, reference)
    done = len((out / NAME).read_text().splitlines())

    proc = start(corpus, out, "--jobs", jobs)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert f"skipping {done} inputs already cleaned" in err
    assert tree(out) == reference
    assert not [p for p in out.rglob("*") if p.name.endswith(".chipclean-tmp")]


def test_changed_input_or_options_are_cleaned_again(tmp_path):
    src = write_corpus(tmp_path / "src", files=2, records=5, texts=1)
    out = tmp_path / "out"
    opts = RunOptions(output=str(out), jobs=1, quiet=True, report=str(tmp_path / "r.json"))
    cfg = Config(stages=("normalize", "boilerplate"))
    assert run([str(src)], cfg, opts).exit_code == 0
    assert json.loads((tmp_path / "r.json").read_text())["skipped"] == 0

    run([str(src)], cfg, opts)
    assert json.loads((tmp_path / "r.json").read_text())["skipped"] == 3

    with open(src / "part-00.jsonl", "a", encoding="utf-8") as fh:
        fh.write(json.dumps({"text": "One more record.\u00a0"}) + "\n")
    run([str(src)], cfg, opts)
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["skipped"] == 2 and report["documents"] == 6
    assert '"text": "One more record."' in (out / "part-00.jsonl").read_text()

    run([str(src)], cfg.replace(stages=("normalize",)), opts)
    assert json.loads((tmp_path / "r.json").read_text())["skipped"] == 0

    (out / "part-01.jsonl").unlink()  # an output deleted by hand is written again
    run([str(src)], cfg.replace(stages=("normalize",)), opts)
    assert json.loads((tmp_path / "r.json").read_text())["skipped"] == 2
    assert (out / "part-01.jsonl").exists()


def test_files_with_errors_are_not_marked_done(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "bad.jsonl").write_text('{"text": "fine"}\nnot json\n', encoding="utf-8")
    out = tmp_path / "out"
    for _ in range(2):  # the error is reported again on a re-run
        outcome = run([str(src)], Config(stages=("normalize",)), RunOptions(output=str(out), jobs=1, quiet=True))
        assert outcome.exit_code == 123 and "bad.jsonl:2" in outcome.errors[0]
