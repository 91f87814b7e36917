"""Golden tests: every sample in samples/ cleans to its ``.expected`` file.

To add one, write ``samples/NAME.txt`` (or ``.jsonl``) showing a defect, run
``chipclean clean samples/NAME.txt`` and check the output by eye before saving
it as ``samples/NAME.txt.expected``.
"""

import pytest

from chipclean.config import Config
from chipclean.runner import RunOptions, run

from .conftest import SAMPLES

INPUTS = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".txt", ".md", ".jsonl"))


def test_every_sample_has_expected_output():
    missing = [p.name for p in INPUTS if not p.with_name(p.name + ".expected").exists()]
    assert not missing


@pytest.mark.parametrize("path", INPUTS, ids=[p.name for p in INPUTS])
def test_sample_golden(path, tmp_path):
    out = tmp_path / path.name
    outcome = run([str(path)], Config(), RunOptions(output=str(out), quiet=True))
    assert outcome.exit_code == 0, outcome.errors
    expected = path.with_name(path.name + ".expected").read_text(encoding="utf-8")
    assert out.read_text(encoding="utf-8") == expected


@pytest.mark.parametrize("path", INPUTS, ids=[p.name for p in INPUTS])
def test_sample_idempotent(path, tmp_path):
    once = tmp_path / "once" / path.name
    twice = tmp_path / "twice" / path.name
    run([str(path)], Config(), RunOptions(output=str(once), quiet=True))
    run([str(once)], Config(), RunOptions(output=str(twice), quiet=True))
    assert twice.read_text(encoding="utf-8") == once.read_text(encoding="utf-8")
