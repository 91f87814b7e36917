"""Find input files and turn them into documents.

A text file is one document. A JSONL file is one document per record; records
that are not JSON objects, or whose text field is not a string, are reported
as ``file:line`` problems while the good records go on.
"""

from __future__ import annotations

import errno
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from ..document import Document
from .decode import BinaryInput, decode_bytes

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ".jsonl", ".ndjson"}
JSONL_SUFFIXES = (".jsonl", ".ndjson")
SOURCE_FIELDS = ("url", "source", "domain")


class InputError(Exception):
    """A problem with one input (file, or one record of it)."""

    def __init__(self, path: str, message: str, line: int | None = None):
        self.path = path
        self.line = line
        self.message = message
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")

    def __reduce__(self):  # errors travel back from worker processes
        return (type(self), (self.path, self.message, self.line))


@dataclass
class InputFile:
    path: str  # as given or found; "-" for stdin
    rel: str  # path relative to the directory it was found under
    root: str | None = None  # the directory argument it came from

    @property
    def is_jsonl(self) -> bool:
        return is_jsonl(self.path)


def is_jsonl(path: str) -> bool:
    name = path.lower()
    for ext in ("", ".gz", ".zst"):
        if any(name.endswith(s + ext) for s in JSONL_SUFFIXES):
            return True
    return False


def discover(paths: list[str], errors: list[InputError]) -> list[InputFile]:
    """Expand directories recursively (without following symlinked folders,
    so a link loop can't trap us), in a stable sorted order."""
    found: list[InputFile] = []
    for p in paths:
        if p == "-":
            found.append(InputFile("-", "-"))
            continue
        if "://" in p:
            found.extend(_discover_uri(p, errors))
            continue
        if os.path.isdir(p):
            root = p
            for dirpath, dirnames, filenames in os.walk(p, followlinks=False):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    full = os.path.join(dirpath, name)
                    if name.startswith(".") or not _wanted(name):
                        continue
                    if os.path.islink(full) and not os.path.exists(full):
                        errors.append(InputError(full, f"{_dangling(full)}; skipped"))
                        continue
                    if not os.path.isfile(full):
                        # opening a FIFO would block the run forever; a device
                        # never ends (a file named on the command line is the
                        # user's choice, e.g. <(zcat feed.gz))
                        what = ("the file disappeared before it could be read" if not os.path.lexists(full)
                                else "not a regular file (a FIFO, socket or device); skipped")
                        errors.append(InputError(full, what))
                        continue
                    found.append(InputFile(full, os.path.relpath(full, root), root))
        elif os.path.exists(p):
            found.append(InputFile(p, os.path.basename(p)))
        else:
            errors.append(InputError(p, "no such file or directory"))
    return found


def _discover_uri(uri: str, errors: list[InputError]) -> list[InputFile]:
    """Files under an object-store URL (s3://, gs://, file://...), listed
    through pyarrow's filesystems (installed with the ray extra)."""
    try:
        from pyarrow import fs
    except ImportError:
        errors.append(InputError(uri, "reading URLs needs pyarrow: pip install 'chipclean[ray]'"))
        return []
    try:
        filesystem, inner = fs.FileSystem.from_uri(uri)
        info = filesystem.get_file_info(inner)
        if info.type == fs.FileType.NotFound:
            errors.append(InputError(uri, "no such file or directory"))
            return []
        if info.type == fs.FileType.File:
            return [InputFile(uri, inner.rsplit("/", 1)[-1])]
        infos = filesystem.get_file_info(fs.FileSelector(inner, recursive=True))
    except (OSError, ValueError) as exc:
        errors.append(InputError(uri, f"cannot list: {exc}"))
        return []
    prefix = uri[: len(uri) - len(inner)] if uri.endswith(inner) else uri.split("://", 1)[0] + "://"
    out = []
    for i in sorted((i for i in infos if i.type == fs.FileType.File), key=lambda i: i.path):
        rel = i.path[len(inner):].lstrip("/")
        if any(part.startswith(".") for part in rel.split("/")) or not _wanted(i.base_name):
            continue
        out.append(InputFile(prefix + i.path, rel, uri))
    return out


def _dangling(path: str) -> str:
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
    return "broken symbolic link"


def _wanted(name: str) -> bool:
    lower = name.lower()
    if is_jsonl(lower) or lower.endswith(".parquet"):  # Parquet: --engine ray
        return True
    return Path(lower).suffix in TEXT_SUFFIXES


@dataclass
class TextInput:
    """A whole text file, decoded."""

    doc: Document
    encoding: str
    trailing_newline: bool = field(default=False)


def read_bytes(f: InputFile) -> bytes:
    import sys

    if f.path == "-":
        return sys.stdin.buffer.read()
    try:
        with open(f.path, "rb") as fh:
            return fh.read()
    except OSError as exc:
        raise open_error(f.path, exc) from None


def open_error(path: str, exc: OSError) -> InputError:
    """The message for a file that can't be opened or read."""
    if isinstance(exc, FileNotFoundError):
        return InputError(path, "the file disappeared before it could be read")
    if isinstance(exc, IsADirectoryError):
        return InputError(path, "is a directory")
    if isinstance(exc, PermissionError):
        return InputError(path, "permission denied; check the file's permissions")
    return InputError(path, f"cannot read: {exc.strerror or exc}")


def text_document(f: InputFile, data: bytes) -> TextInput:
    try:
        decoded = decode_bytes(data)
    except BinaryInput as exc:
        raise InputError(f.path, f"{exc}; skipped", exc.line) from None
    doc = Document(text=decoded.text, id=f.rel, source=f.path)
    doc.metadata["path"] = f.path
    if decoded.encoding != "utf-8":
        doc.metadata["decoded_from"] = decoded.encoding
    return TextInput(doc, decoded.encoding)


def jsonl_records(f: InputFile, lines: Iterator[bytes | None], text_field: str, start: int = 1) -> Iterator[tuple[int, dict | None, Document | None, InputError | None]]:
    """Yield (line number, record, document, error) for each non-blank line.

    ``start`` is the number of the first line (chunks of a file start later);
    a None line stands for one longer than the record size limit."""
    for lineno, raw in enumerate(lines, start):
        if raw is None:
            from .streams import MAX_RECORD_BYTES

            yield lineno, None, None, InputError(
                f.path, f"record longer than {MAX_RECORD_BYTES >> 20} MB; skipped (split it into smaller records)", lineno)
            continue
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            try:
                line = decode_bytes(raw).text
            except BinaryInput as exc:
                yield lineno, None, None, InputError(f.path, f"{exc}; record skipped", lineno)
                continue
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            msg = getattr(exc, "msg", "too deeply nested")
            yield lineno, None, None, InputError(f.path, f"not valid JSON ({msg}); record skipped, fix or remove the line", lineno)
            continue
        if not isinstance(record, dict):
            yield lineno, None, None, InputError(f.path, "a JSONL record must be a JSON object; record skipped", lineno)
            continue
        text = record.get(text_field)
        if not isinstance(text, str):
            what = "missing" if text_field not in record else f"a {type(text).__name__}, not a string"
            yield lineno, record, None, InputError(
                f.path, f"field {text_field!r} is {what}; record passed through unchanged (use --text-field to pick another field)", lineno
            )
            continue
        rid = record.get("id")
        doc_id = str(rid) if isinstance(rid, (str, int)) else f"{f.rel}:{lineno}"
        source = next((record[k] for k in SOURCE_FIELDS if isinstance(record.get(k), str)), f.path)
        doc = Document(text=text, id=doc_id, source=source)
        doc.metadata["path"] = f.path
        doc.metadata["record_line"] = lineno
        yield lineno, record, doc, None
