"""The pre-commit hooks, driven by the real ``pre-commit`` client.

``pre-commit try-repo`` installs the hooks from a git repository at a commit;
the test commits a snapshot of this working tree to a temporary repository
(so it tests the code as it is now, not the last commit) and runs the hooks on
a second temporary repository holding a dirty file: the first run fixes it and
fails, the second passes. Each run builds a fresh hook environment with pip,
so the test is slow.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from chipclean.cli import main

from .conftest import ROOT

HOOKS = ROOT / ".pre-commit-hooks.yaml"
PROJECT_FILES = ("chipclean", "rules", "setup.cfg", "setup.py", "pyproject.toml", "README.md", "LICENSE",
                 "MANIFEST.in", ".pre-commit-hooks.yaml")
DIRTY = "Chip prices rose in June.\n\n\n\nAnalysts expect more.\n"
CLEANED = "Chip prices rose in June.\n\nAnalysts expect more.\n"


def hooks():
    return {h["id"]: h for h in yaml.safe_load(HOOKS.read_text(encoding="utf-8"))}


def git(cwd, *args):
    subprocess.run(["git", "-c", "user.name=chipclean tests", "-c", "user.email=tests@chipclean.invalid",
                    "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
                   cwd=cwd, check=True, capture_output=True)


def test_manifest_declares_both_hooks():
    h = hooks()
    assert set(h) == {"chipclean", "chipclean-check"}
    for hook in h.values():
        assert hook["language"] == "python"
        assert hook["types"] == ["text"]
        assert hook["require_serial"] is True  # chipclean runs its own worker processes
        for name in ("a.txt", "b.md", "c.jsonl"):
            assert re.search(hook["files"], name)
        assert not re.search(hook["files"], "setup.py")
    assert "--in-place" in h["chipclean"]["entry"]
    assert "--check" in h["chipclean-check"]["entry"] and "--diff" in h["chipclean-check"]["entry"]


def _run_entry(runner, hook_id, *files):
    entry = hooks()[hook_id]["entry"].split()
    assert entry[0] == "chipclean"
    return runner.invoke(main, [*entry[1:], *map(str, files)])


def test_fix_hook_entry_rewrites_and_fails_then_passes(runner, tmp_path):
    f = tmp_path / "notes.txt"
    f.write_text(DIRTY)
    first = _run_entry(runner, "chipclean", f)
    assert first.exit_code == 1, first.stderr
    assert f.read_text() == CLEANED
    second = _run_entry(runner, "chipclean", f)
    assert second.exit_code == 0, second.stderr


def test_check_hook_entry_shows_a_diff_and_writes_nothing(runner, tmp_path):
    f = tmp_path / "notes.txt"
    f.write_text(DIRTY)
    result = _run_entry(runner, "chipclean-check", f)
    assert result.exit_code == 1
    assert f"--- {f}\t(original)" in result.stdout and "-\n" in result.stdout
    assert f.read_text() == DIRTY
    f.write_text(CLEANED)
    assert _run_entry(runner, "chipclean-check", f).exit_code == 0


def _snapshot(dest: Path) -> None:
    """This working tree's package, committed to a fresh repository."""
    dest.mkdir()
    for name in PROJECT_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif src.exists():
            shutil.copy2(src, dest / name)
    git(dest, "init", "-q")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "snapshot")


def _try_repo(hook_repo: Path, project: Path):
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), "--all-files", "--color", "never"],
        cwd=project, capture_output=True, text=True, timeout=900,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )


@pytest.mark.slow
def test_pre_commit_try_repo_fixes_then_passes(tmp_path):
    hook_repo = tmp_path / "hooks"
    _snapshot(hook_repo)
    project = tmp_path / "project"
    project.mkdir()
    (project / "dirty.txt").write_text(DIRTY)
    (project / "clean.md").write_text(CLEANED)
    (project / "script.py").write_text("x = 1\n\n\n\ny = 2\n")  # not a file type the hooks take
    git(project, "init", "-q")
    git(project, "add", "-A")

    first = _try_repo(hook_repo, project)
    log = first.stdout + first.stderr
    assert first.returncode == 1, log
    assert "files were modified by this hook" in log
    assert (project / "dirty.txt").read_text() == CLEANED
    assert (project / "clean.md").read_text() == CLEANED
    assert (project / "script.py").read_text() == "x = 1\n\n\n\ny = 2\n"

    git(project, "add", "-A")
    second = _try_repo(hook_repo, project)
    log = second.stdout + second.stderr
    assert second.returncode == 0, log
    assert log.count("Passed") == 2  # both hooks: chipclean and chipclean-check
