"""Open inputs and outputs as byte streams, compressed or not.

``.gz`` is read and written with the standard library; ``.zst`` needs the
``zstandard`` package (``pip install 'chipclean[zstd]'``). Everything is read
and written incrementally, so memory does not grow with the size of a file;
the limits below bound what one record or one text document may hold.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from typing import IO, Iterator

from .atomic import atomic_writer

#: A JSONL record (one line) larger than this is not cleaned: it is reported
#: with its file and line, and left out of the output (a file rewritten with
#: ``--in-place`` is then left untouched).
MAX_RECORD_BYTES = 64 * 1024 * 1024
#: A text file is one document, read whole; larger files are reported and
#: skipped (split them, or turn them into JSONL records).
MAX_TEXT_BYTES = 256 * 1024 * 1024

READ_BLOCK = 1024 * 1024


class StreamError(Exception):
    """A stream can't be opened or read (missing codec, corrupt archive)."""


def compression(path: str) -> str | None:
    lower = path.lower()
    if lower.endswith(".gz"):
        return "gz"
    if lower.endswith(".zst") or lower.endswith(".zstd"):
        return "zst"
    return None


def _zstd():
    try:
        import zstandard
    except ImportError:
        raise StreamError("reading or writing .zst needs the zstandard package: pip install 'chipclean[zstd]'") from None
    return zstandard


@contextlib.contextmanager
def open_input(path: str) -> Iterator[IO[bytes]]:
    """A binary stream of the decompressed content of ``path`` ("-" is stdin)."""
    if path == "-":
        yield sys.stdin.buffer
        return
    kind = compression(path)
    raw = _open_raw(path)
    try:
        if kind == "gz":
            import gzip

            with gzip.GzipFile(fileobj=raw, mode="rb") as fh:
                yield fh
        elif kind == "zst":
            reader = _zstd().ZstdDecompressor().stream_reader(raw, read_across_frames=True)
            with reader:
                yield io.BufferedReader(reader, READ_BLOCK)
        else:
            yield raw
    finally:
        raw.close()


def is_uri(path: str) -> bool:
    return "://" in path and not path.startswith("file://")


def _open_raw(path: str) -> IO[bytes]:
    if path.startswith("file://"):
        path = path[len("file://"):]
    if not is_uri(path):
        return open(path, "rb")
    # object stores (s3://, gs://, hdfs://...) through pyarrow, which the
    # ray extra installs
    try:
        from pyarrow import fs
    except ImportError:
        raise StreamError("reading URLs needs pyarrow: pip install 'chipclean[ray]'") from None
    filesystem, inner = fs.FileSystem.from_uri(path)
    return filesystem.open_input_stream(inner)


def read_limited(fh: IO[bytes], limit: int) -> bytes | None:
    """The whole stream, or None when it holds more than ``limit`` bytes."""
    data = fh.read(limit + 1)
    return None if len(data) > limit else data


def iter_lines(fh: IO[bytes], limit: int = MAX_RECORD_BYTES) -> Iterator[bytes | None]:
    """Lines (with their ending) read incrementally; None stands for a line
    longer than ``limit``, which is skipped without being held in memory."""
    while True:
        line = fh.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            while True:  # drain the rest of the oversized line
                more = fh.readline(READ_BLOCK)
                if not more or more.endswith(b"\n"):
                    break
            yield None
            continue
        yield line


@contextlib.contextmanager
def open_output(target: str) -> Iterator[IO[str]]:
    """A text stream that lands atomically at ``target``, compressed by its
    suffix; nothing appears under the name unless the block completes."""
    kind = compression(target)
    if kind is None:
        with atomic_writer(target) as fh:
            yield fh
        return
    with atomic_writer(target, "wb") as raw:
        if kind == "gz":
            import gzip

            # mtime=0: the same input gives byte-identical archives
            with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
                with io.TextIOWrapper(gz, encoding="utf-8", newline="") as fh:
                    yield fh
        else:
            cctx = _zstd().ZstdCompressor(level=3)
            with cctx.stream_writer(raw, closefd=False) as zw:
                with io.TextIOWrapper(zw, encoding="utf-8", newline="") as fh:
                    yield fh


def file_size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0
