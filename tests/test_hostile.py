"""Hostile input: every bad file gets a message naming it (and the line), the
other files are still cleaned, the exit code is 123, and no traceback shows.

Runs go through the real command line (click's runner, or a subprocess where a
hang or a signal is the risk) on real files in temporary folders.
"""

import json
import os
import random
import subprocess
import sys

import pytest

from chipclean.cli import main

GOOD = "Chip prices rose again in June.\n"
ERROR = 123
# input handling doesn't depend on the stages; the cheap ones keep the tests fast
FAST = ("--only", "normalize,boilerplate")


def clean(runner, *args):
    result = runner.invoke(main, ["clean", *map(str, args)])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def with_good_file(tmp_path, name, data):
    """A folder holding the hostile file and a good one."""
    src = tmp_path / "in"
    src.mkdir()
    (src / name).write_bytes(data)
    (src / "zz-good.txt").write_text(GOOD, encoding="utf-8")
    return src


def assert_rest_processed(out):
    assert (out / "zz-good.txt").read_text(encoding="utf-8") == GOOD


def cli_subprocess(*args, timeout=120, **kw):
    return subprocess.run([sys.executable, "-m", "chipclean", "clean", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout, **kw)


# -- bytes that are not text -----------------------------------------------------

BAD_FILES = {
    # name: (content, what the message says, the line it names)
    "random.txt": (random.Random(8).randbytes(4096), "binary", None),
    "nul.txt": (b"first line\nsecond line\nthird\x00line\n", "NUL bytes", 3),
    "utf16-no-bom.txt": ("plain words in UTF-16\n".encode("utf-16-le"), "NUL bytes", 1),
    "half-utf8.txt": ("芯片价格上涨，市场担忧加剧。\n".encode() * 4 + b"damaged \xff\xfe here\n" + "后文。\n".encode(),
                      "invalid UTF-8 (byte 0xff)", 5),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_undecodable_file_is_named_with_its_line_and_skipped(runner, tmp_path, name):
    data, says, line = BAD_FILES[name]
    src = with_good_file(tmp_path, name, data)
    out = tmp_path / "out"
    result = clean(runner, src, "-o", out, *FAST)
    assert result.exit_code == ERROR
    where = f"{src / name}:{line}:" if line else f"{src / name}:"
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("error:")]
    assert len(errors) == 1 and where in errors[0] and says in errors[0], result.stderr
    assert not (out / name).exists()  # nothing half-decoded is written
    assert_rest_processed(out)


def test_empty_file_is_valid_input_and_stays_empty(runner, tmp_path):
    src = with_good_file(tmp_path, "empty.txt", b"")
    out = tmp_path / "out"
    result = clean(runner, src, "-o", out, *FAST)
    assert result.exit_code == 0, result.stderr
    assert (out / "empty.txt").read_bytes() == b""
    assert_rest_processed(out)


@pytest.mark.parametrize(
    "name, text, encoding, says",
    [
        ("gbk.txt", "芯片价格上涨，市场担忧加剧。分析人士表示，这一趋势可能持续到明年。\n" * 3, "gbk", "gb18030"),
        ("latin1.txt", "Les élèves ont réussi leur examen à la fin de l'année, déjà naïve.\n" * 3, "latin-1", "cp1252"),
    ],
)
def test_legacy_encoding_is_transcoded_without_garbling(runner, tmp_path, name, text, encoding, says):
    src = with_good_file(tmp_path, name, text.encode(encoding))
    out = tmp_path / "out"
    result = clean(runner, src, "-o", out, "--only", "normalize")
    assert result.exit_code == 0, result.stderr
    assert f"note: {src / name}: not UTF-8, decoded as {says}" in result.stderr
    # every character survives: no è -> č, no ï -> ļ
    assert (out / name).read_text(encoding="utf-8") == text
    assert_rest_processed(out)


# -- JSONL -------------------------------------------------------------------------

def test_jsonl_broken_lines_and_non_string_text_are_reported_by_line(runner, tmp_path):
    lines = [
        json.dumps({"id": "a", "text": "First record."}),
        '{"id": "b", "text": "cut off',
        json.dumps({"id": "c", "text": 42}),
        json.dumps({"id": "d", "text": None}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "e", "body": "no text field"}),
        b"\xff\xfe\x00\x01".decode("latin-1"),
        json.dumps({"id": "f", "text": "Last record."}),
    ]
    src = tmp_path / "feed.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "feed.clean.jsonl"
    result = clean(runner, src, "-o", out, "--only", "normalize")
    assert result.exit_code == ERROR
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("error:")]
    assert [e.split(":")[2] for e in errors] == ["2", "3", "4", "5", "6", "7"], result.stderr
    assert all(f"{src}:" in e for e in errors)
    assert "not valid JSON" in errors[0] and "is a int" in errors[1] and "must be a JSON object" in errors[3]
    # good records are cleaned; records whose text can't be cleaned pass through untouched, in order
    ids = [json.loads(line).get("id") for line in out.read_text(encoding="utf-8").splitlines()]
    assert ids == ["a", "c", "d", "e", "f"]


def test_deeply_nested_and_huge_json_records(runner, tmp_path):
    deep = '{"id": "deep", "text": "x", "tree": ' + "[" * 100_000 + "]" * 100_000 + "}"
    huge = json.dumps({"id": "huge", "text": "Chip prices rose. " * 20_000, "numbers": list(range(200_000))})
    src = tmp_path / "feed.jsonl"
    src.write_text(deep + "\n" + huge + "\n" + json.dumps({"id": "ok", "text": "Fine."}) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = clean(runner, src, "-o", out, "--only", "normalize")
    assert result.exit_code == ERROR
    assert f"{src}:1: not valid JSON (too deeply nested)" in result.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["huge", "ok"]
    assert records[0]["numbers"] == list(range(200_000))


# -- big input -------------------------------------------------------------------

def test_ten_megabyte_single_line(runner, tmp_path):
    line = "chip " * 2_000_000  # 10 MB, no newline
    src = with_good_file(tmp_path, "big.txt", line.encode())
    out = tmp_path / "out"
    result = clean(runner, src, "-o", out, "--only", "boilerplate")
    assert result.exit_code == 0, result.stderr
    assert (out / "big.txt").read_text(encoding="utf-8") == line
    assert_rest_processed(out)


# -- files that can't be read ------------------------------------------------------

def test_fifo_in_a_folder_is_skipped_not_waited_on(tmp_path):
    src = with_good_file(tmp_path, "placeholder.txt", b"Fine.\n")
    os.mkfifo(src / "pipe.txt")
    result = cli_subprocess(src, "-o", tmp_path / "out", *FAST)
    assert result.returncode == ERROR, result.stderr
    assert f"error: {src / 'pipe.txt'}: not a regular file" in result.stderr
    assert "Traceback" not in result.stderr
    assert_rest_processed(tmp_path / "out")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode bits; "
                    "the FIFO and /proc tests cover unreadable files there")
def test_file_without_read_permission(runner, tmp_path):
    src = with_good_file(tmp_path, "secret.txt", b"Hidden.\n")
    (src / "secret.txt").chmod(0)
    try:
        result = clean(runner, src, "-o", tmp_path / "out", *FAST)
    finally:
        (src / "secret.txt").chmod(0o644)
    assert result.exit_code == ERROR
    assert f"{src / 'secret.txt'}: permission denied" in result.stderr
    assert_rest_processed(tmp_path / "out")


@pytest.mark.skipif(not os.path.exists("/proc/self/mem"), reason="needs Linux /proc")
def test_file_whose_read_fails_with_an_io_error(runner, tmp_path):
    # reading /proc/self/mem at offset 0 fails with EIO even for root
    src = with_good_file(tmp_path, "placeholder.txt", b"Fine.\n")
    (src / "mem.txt").symlink_to("/proc/self/mem")
    result = clean(runner, src, "-o", tmp_path / "out", *FAST)
    assert result.exit_code == ERROR
    assert f"error: {src / 'mem.txt'}: cannot read: Input/output error" in result.stderr
    assert_rest_processed(tmp_path / "out")


def test_directory_named_like_a_file_is_walked_not_read(runner, tmp_path):
    src = with_good_file(tmp_path, "placeholder.txt", b"Fine.\n")
    (src / "notes.txt").mkdir()
    (src / "notes.txt" / "inner.md").write_text(GOOD, encoding="utf-8")
    result = clean(runner, src, "-o", tmp_path / "out", *FAST)
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "out" / "notes.txt" / "inner.md").read_text(encoding="utf-8") == GOOD


def test_symlink_loops_neither_hang_nor_stop_the_run(tmp_path):
    src = with_good_file(tmp_path, "placeholder.txt", b"Fine.\n")
    (src / "sub").mkdir()
    (src / "sub" / "up").symlink_to("..")  # a folder loop
    (src / "sub" / "again").symlink_to(src)
    (src / "self.txt").symlink_to(src / "self.txt")  # a file that points at itself
    result = cli_subprocess(src, "-o", tmp_path / "out", *FAST)
    assert result.returncode == ERROR, result.stderr
    assert f"error: {src / 'self.txt'}: symbolic link loop; skipped" in result.stderr
    assert "Traceback" not in result.stderr
    assert_rest_processed(tmp_path / "out")
    assert not (tmp_path / "out" / "sub" / "up").exists()


def test_file_that_disappears_after_the_folder_was_listed(runner, tmp_path, monkeypatch):
    src = with_good_file(tmp_path, "vanish.txt", b"Here a moment.\n")
    real_walk = os.walk

    def walk_then_delete(top, *a, **kw):
        # the listing names the file and chipclean takes it; then it is gone
        for dirpath, dirnames, filenames in real_walk(top, *a, **kw):
            yield dirpath, dirnames, filenames
            if "vanish.txt" in filenames:
                os.unlink(os.path.join(dirpath, "vanish.txt"))

    monkeypatch.setattr(os, "walk", walk_then_delete)
    result = clean(runner, src, "-o", tmp_path / "out", *FAST)
    assert result.exit_code == ERROR
    assert f"error: {src / 'vanish.txt'}: the file disappeared before it could be read" in result.stderr
    assert not (tmp_path / "out" / "vanish.txt").exists()
    assert_rest_processed(tmp_path / "out")


def test_every_hostile_file_in_one_folder(tmp_path):
    """All at once, through a real process: each bad file is named once, the
    good ones are written, and nothing hangs."""
    src = tmp_path / "in"
    src.mkdir()
    for name, (data, _, _) in BAD_FILES.items():
        (src / name).write_bytes(data)
    (src / "empty.txt").write_bytes(b"")
    (src / "feed.jsonl").write_text('{"text": "ok"}\n{oops\n{"text": 7}\n', encoding="utf-8")
    os.mkfifo(src / "pipe.md")
    (src / "loop").mkdir()
    (src / "loop" / "up").symlink_to("..")
    (src / "zz-good.txt").write_text(GOOD, encoding="utf-8")
    result = cli_subprocess(src, "-o", tmp_path / "out", "--only", "normalize,boilerplate")
    assert result.returncode == ERROR
    assert "Traceback" not in result.stderr
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("error:")]
    named = sorted({os.path.basename(e.split(":")[1]) for e in errors})
    assert named == sorted([*BAD_FILES, "feed.jsonl", "pipe.md"]), result.stderr
    assert_rest_processed(tmp_path / "out")
    assert (tmp_path / "out" / "empty.txt").read_bytes() == b""
