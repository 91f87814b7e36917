"""Streaming: compressed JSONL in and out, bounded records, flat memory,
progress on terminals only."""

import gzip
import io
import json
import resource
import subprocess
import sys

import pytest

from chipclean.chunks import ChunkResult
from chipclean.config import Config
from chipclean.io.inputs import InputFile, jsonl_records
from chipclean.io.streams import iter_lines
from chipclean.runner import RunOptions, run

from .corpus_helpers import tree, write_corpus

zstandard = pytest.importorskip("zstandard", reason="zstandard is not installed: pip install 'chipclean[zstd]'")

CFG = Config(stages=("normalize", "boilerplate", "repeats"))


def test_gz_and_zst_in_and_out_match_plain_jsonl(tmp_path):
    src = write_corpus(tmp_path / "plain", files=2, records=30, texts=0)
    assert run([str(src)], CFG, RunOptions(output=str(tmp_path / "a"), quiet=True)).exit_code == 0
    plain = tree(tmp_path / "a")
    codecs = {"gz": (gzip.compress, gzip.decompress),
              "zst": (zstandard.ZstdCompressor().compress,
                      lambda b: zstandard.ZstdDecompressor().stream_reader(io.BytesIO(b)).read())}
    for ext, (pack, unpack) in codecs.items():
        packed = tmp_path / ext
        packed.mkdir()
        for p in sorted(src.glob("*.jsonl")):
            (packed / f"{p.name}.{ext}").write_bytes(pack(p.read_bytes()))
        out = tmp_path / f"out-{ext}"
        assert run([str(packed)], CFG, RunOptions(output=str(out), quiet=True, jobs=2)).exit_code == 0
        got = tree(out)
        assert {name: unpack(data) for name, data in got.items()} == {f"{k}.{ext}": v for k, v in plain.items()}
        # archives carry no timestamp: the same input gives the same bytes
        again = tmp_path / f"again-{ext}"
        run([str(packed)], CFG, RunOptions(output=str(again), quiet=True))
        assert tree(again) == got


def test_corrupt_archive_is_an_error_not_a_traceback(tmp_path, runner):
    from chipclean.cli import main

    bad = tmp_path / "bad.jsonl.gz"
    bad.write_bytes(gzip.compress(b'{"text": "a"}\n' * 50)[:20])
    r = runner.invoke(main, ["clean", str(bad), "-o", str(tmp_path / "out.jsonl")])
    assert r.exit_code == 123
    assert "bad.jsonl.gz: cannot read" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "out.jsonl").exists()


def test_a_line_over_the_limit_is_skipped_without_being_held(tmp_path):
    data = b'{"text": "short"}\n' + b'{"text": "' + b"x" * 5000 + b'"}\n' + b'{"text": "after"}'
    lines = list(iter_lines(io.BytesIO(data), limit=100))
    assert lines == [b'{"text": "short"}\n', None, b'{"text": "after"}']
    got = list(jsonl_records(InputFile("f.jsonl", "f.jsonl"), iter(lines), "text"))
    assert [d.text for _, _, d, _ in got if d is not None] == ["short", "after"]
    (lineno, _, _, err), = [g for g in got if g[3] is not None]
    assert lineno == 2 and "record longer than" in str(err) and "f.jsonl:2" in str(err)


def _peak_rss_mb(args) -> float:
    code = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)")
    out = subprocess.run([sys.executable, "-c", code, sys.executable, "-m", "chipclean", *args],
                         capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def test_peak_memory_does_not_grow_with_the_input(tmp_path):
    one = tmp_path / "one.jsonl"
    write_corpus(tmp_path / "c", files=1, records=3000, texts=0)
    (tmp_path / "c" / "part-00.jsonl").rename(one)
    four = tmp_path / "four.jsonl"
    with open(four, "wb") as fh:
        for _ in range(4):
            fh.write(one.read_bytes())
    args = ["clean", "--only", "normalize", "--jobs", "1", "-q"]
    small = _peak_rss_mb([*args, str(one), "-o", str(tmp_path / "o1.jsonl")])
    big = _peak_rss_mb([*args, str(four), "-o", str(tmp_path / "o4.jsonl")])
    assert four.stat().st_size > 4 * 1024 * 1024
    assert big < small * 1.15 + 5, (small, big)


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_and_summary_on_a_terminal_only(tmp_path):
    src = write_corpus(tmp_path / "src", files=2, records=10, texts=1)
    tty = Terminal()
    run([str(src)], CFG, RunOptions(output=str(tmp_path / "a"), jobs=1), stderr=tty)
    shown = tty.getvalue()
    assert "\r" in shown and "/3 files" in shown and "MB/s" in shown
    for row in ("documents", "MB in / out", "edits: boilerplate", "languages", "time"):
        assert row in shown
    quiet = Terminal()
    run([str(src)], CFG, RunOptions(output=str(tmp_path / "b"), jobs=1, quiet=True), stderr=quiet)
    assert quiet.getvalue() == ""
    pipe = io.StringIO()
    run([str(src)], CFG, RunOptions(output=str(tmp_path / "c"), jobs=1), stderr=pipe)
    assert "\r" not in pipe.getvalue() and "MB in / out" not in pipe.getvalue()


def test_url_inputs_are_listed_and_read_like_local_files(tmp_path):
    pytest.importorskip("pyarrow", reason="URL inputs need pyarrow: pip install 'chipclean[ray]'")
    src = write_corpus(tmp_path / "src", files=2, records=10, texts=1)
    run([str(src)], CFG, RunOptions(output=str(tmp_path / "a"), quiet=True))
    run([src.as_uri()], CFG, RunOptions(output=str(tmp_path / "b"), quiet=True))
    assert tree(tmp_path / "b") == tree(tmp_path / "a") and len(tree(tmp_path / "a")) == 3
    outcome = run([(tmp_path / "missing").as_uri()], CFG, RunOptions(output=str(tmp_path / "c"), quiet=True))
    assert outcome.exit_code == 123 and "no such file" in outcome.errors[0]
