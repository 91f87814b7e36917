"""What chipclean promises about the user's files: outputs appear whole or not
at all, permissions are kept, nothing is written outside the input tree or the
output folder, inputs are never overwritten by accident, and a full disk
leaves the outputs already written intact."""

import json
import os
import resource
import signal
import stat
import subprocess
import sys

import pytest

from chipclean.cli import main
from chipclean.io.atomic import atomic_writer

DIRTY = "Chip prices rose in June.\n\n\n\nAnalysts expect more.\n"
CLEANED = "Chip prices rose in June.\n\nAnalysts expect more.\n"
FAST = ("--only", "normalize")
ERROR = 123


def clean(runner, *args):
    result = runner.invoke(main, ["clean", *map(str, args)])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def files_under(path):
    return sorted(str(p.relative_to(path)) for p in path.rglob("*"))


def test_fixture_text_is_dirty(runner, tmp_path):
    # the promises below are only tested if cleaning really rewrites DIRTY
    (tmp_path / "a.txt").write_text(DIRTY)
    result = clean(runner, tmp_path / "a.txt", *FAST)
    assert result.stdout == CLEANED


# -- atomic writes, permissions ----------------------------------------------------

def test_in_place_replaces_the_file_atomically_and_keeps_its_mode(runner, tmp_path):
    f = tmp_path / "notes.txt"
    f.write_text(DIRTY)
    f.chmod(0o640)
    inode = f.stat().st_ino
    result = clean(runner, "--in-place", f, *FAST)
    assert result.exit_code == 0, result.stderr
    assert f.read_text() == CLEANED
    assert stat.S_IMODE(f.stat().st_mode) == 0o640
    assert f.stat().st_ino != inode  # a new file renamed over the old one, not rewritten in place
    assert files_under(tmp_path) == ["notes.txt"]  # no temporary file left behind


def test_in_place_leaves_clean_files_untouched(runner, tmp_path):
    f = tmp_path / "clean.txt"
    f.write_text(CLEANED)
    before = f.stat()
    result = clean(runner, "--in-place", f, *FAST)
    assert result.exit_code == 0
    after = f.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_new_output_gets_the_umask_mode(runner, tmp_path):
    (tmp_path / "a.txt").write_text(DIRTY)
    old = os.umask(0o027)
    try:
        result = clean(runner, tmp_path / "a.txt", "-o", tmp_path / "out.txt", *FAST)
    finally:
        os.umask(old)
    assert result.exit_code == 0
    assert stat.S_IMODE((tmp_path / "out.txt").stat().st_mode) == 0o640


def test_a_write_that_fails_half_way_leaves_the_old_file_whole(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("previous complete output\n")
    with pytest.raises(RuntimeError):
        with atomic_writer(target) as fh:
            fh.write("half of the new")
            raise RuntimeError("killed mid-write")
    assert target.read_text() == "previous complete output\n"
    assert files_under(tmp_path) == ["out.txt"]


def test_killed_run_leaves_no_partial_output(tmp_path):
    """SIGKILL in the middle of a big file: the output name either doesn't
    exist or holds a complete earlier output."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "big.txt").write_text("Chip prices rose.   \n" * 400_000)  # trailing spaces go
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "chipclean", "clean", str(src), "-o", str(out), *FAST],
                            stderr=subprocess.DEVNULL)
    try:
        # wait until the temporary output exists, then kill
        for _ in range(600):
            if out.exists() and any(p.name.endswith(".chipclean-tmp") for p in out.iterdir()):
                break
            if proc.poll() is not None:
                break
            import time

            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    assert not (out / "big.txt").exists() or (out / "big.txt").read_text() == "Chip prices rose.\n" * 400_000


# -- symbolic links and --in-place ---------------------------------------------------

def test_in_place_never_follows_a_link_out_of_the_tree(runner, tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text(DIRTY)
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "link.txt").symlink_to(outside)
    (tree / "own.txt").write_text(DIRTY)
    result = clean(runner, "--in-place", tree, *FAST)
    assert result.exit_code == ERROR
    assert f"{tree / 'link.txt'}: symbolic link points outside the input tree" in result.stderr
    assert outside.read_text() == DIRTY
    assert (tree / "link.txt").is_symlink()
    assert (tree / "own.txt").read_text() == CLEANED


def test_in_place_through_a_link_inside_the_tree_keeps_the_link(runner, tmp_path):
    tree = tmp_path / "tree"
    (tree / "sub").mkdir(parents=True)
    (tree / "sub" / "real.txt").write_text(DIRTY)
    (tree / "alias.txt").symlink_to(tree / "sub" / "real.txt")
    result = clean(runner, "--in-place", tree / "alias.txt", *FAST)
    assert result.exit_code == 0, result.stderr
    assert (tree / "alias.txt").is_symlink()
    assert (tree / "sub" / "real.txt").read_text() == CLEANED


# -- outputs stay inside -o DIR --------------------------------------------------------

def test_record_ids_never_become_paths(runner, tmp_path):
    feed = tmp_path / "in" / "feed.jsonl"
    feed.parent.mkdir()
    ids = ["../../escaped", "/tmp/absolute-escape", "..", "a/../../b", "C:\\evil", ""]
    feed.write_text("".join(json.dumps({"id": i, "text": DIRTY}) + "\n" for i in ids))
    out = tmp_path / "out"
    result = clean(runner, feed.parent, "-o", out, *FAST)
    assert result.exit_code == 0, result.stderr
    assert files_under(tmp_path) == sorted(["in", "in/feed.jsonl", "out", "out/.chipclean-manifest.jsonl",
                                            "out/feed.jsonl"])
    assert not os.path.exists("/tmp/absolute-escape")
    records = [json.loads(line) for line in (out / "feed.jsonl").read_text().splitlines()]
    assert [r["id"] for r in records] == ids


def test_inputs_outside_the_working_folder_land_inside_the_output_folder(runner, tmp_path, monkeypatch):
    (tmp_path / "far" / "deep").mkdir(parents=True)
    (tmp_path / "far" / "deep" / "a.txt").write_text(DIRTY)
    (tmp_path / "far" / "b.md").write_text(DIRTY)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    result = clean(runner, "../far/deep/a.txt", "../far/b.md", "-o", "out", *FAST)
    assert result.exit_code == 0, result.stderr
    assert sorted(p for p in files_under(work / "out") if not p.startswith(".")) == ["a.txt", "b.md"]
    assert files_under(tmp_path / "far") == ["b.md", "deep", "deep/a.txt"]


def test_two_inputs_with_one_output_name_are_not_merged(runner, tmp_path):
    for d, word in (("a", "first"), ("b", "second")):
        (tmp_path / d).mkdir()
        (tmp_path / d / "x.txt").write_text(f"The {word} file.\n")
    out = tmp_path / "out"
    result = clean(runner, tmp_path / "a" / "x.txt", tmp_path / "b" / "x.txt", "-o", out, *FAST)
    assert result.exit_code == ERROR
    assert f"{tmp_path / 'b' / 'x.txt'}: its output {out / 'x.txt'} is already the output of" in result.stderr
    assert (out / "x.txt").read_text() == "The first file.\n"


# -- never over the input without --in-place ---------------------------------------------

def test_output_equal_to_the_input_is_refused(runner, tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(DIRTY)
    result = clean(runner, f, "-o", f, *FAST)
    assert result.exit_code == ERROR
    assert f"{f}: refusing to overwrite the input; use --in-place" in result.stderr
    assert f.read_text() == DIRTY


def test_output_folder_equal_to_the_input_folder_is_refused(runner, tmp_path):
    (tmp_path / "a.txt").write_text(DIRTY)
    (tmp_path / "b.txt").write_text(DIRTY)
    result = clean(runner, tmp_path, "-o", tmp_path, *FAST)
    assert result.exit_code == ERROR
    assert result.stderr.count("refusing to overwrite the input") == 2
    assert (tmp_path / "a.txt").read_text() == (tmp_path / "b.txt").read_text() == DIRTY


def test_output_through_a_hard_link_to_the_input_is_refused(runner, tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(DIRTY)
    os.link(f, tmp_path / "same.txt")
    result = clean(runner, f, "-o", tmp_path / "same.txt", *FAST)
    assert result.exit_code == ERROR
    assert f.read_text() == DIRTY


@pytest.mark.parametrize("flag", ["--audit", "--report", "--rejects"])
def test_side_outputs_never_overwrite_an_input(runner, tmp_path, flag):
    f = tmp_path / "a.txt"
    f.write_text(DIRTY)
    result = clean(runner, f, "-o", tmp_path / "out.txt", flag, f, *FAST)
    assert result.exit_code == 2
    assert f"{flag} {f} would overwrite an input" in result.stderr
    assert f.read_text() == DIRTY
    assert not (tmp_path / "out.txt").exists()


# -- a full disk ---------------------------------------------------------------------------

def _disk_full_inputs(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(DIRTY * 200)  # ~10 kB
    (src / "b.txt").write_text(DIRTY * 20_000)  # ~1 MB: does not fit
    (src / "c.txt").write_text(DIRTY * 200)
    return src


def _assert_disk_full_outcome(result, src, out):
    assert result.returncode == ERROR, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{out / 'b.txt'}: cannot write output" in result.stderr
    # earlier (and later) outputs are whole; the one that didn't fit left nothing behind
    assert (out / "a.txt").read_text() == CLEANED * 200
    assert not (out / "b.txt").exists()
    assert not [p for p in out.iterdir() if p.name.endswith(".chipclean-tmp")]
    assert (out / "c.txt").read_text() == CLEANED * 200


def _limit_file_size(limit):
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG instead of being killed
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_file_size_limit_keeps_earlier_outputs_whole(tmp_path):
    src = _disk_full_inputs(tmp_path)
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "chipclean", "clean", str(src), "-o", str(out), *FAST],
                            capture_output=True, text=True, timeout=300, preexec_fn=_limit_file_size(200_000))
    _assert_disk_full_outcome(result, src, out)


@pytest.fixture
def small_tmpfs(tmp_path):
    mnt = tmp_path / "small"
    mnt.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root; the file-size-limit test covers a failing write")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mnt)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"can't mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", str(mnt)], check=False)


def test_full_disk_keeps_earlier_outputs_whole(tmp_path, small_tmpfs):
    src = _disk_full_inputs(tmp_path)
    out = small_tmpfs / "out"
    result = subprocess.run([sys.executable, "-m", "chipclean", "clean", str(src), "-o", str(out), *FAST],
                            capture_output=True, text=True, timeout=300)
    _assert_disk_full_outcome(result, src, out)
    assert "No space left on device" in result.stderr
