"""Units of work: a text file, or a run of records from a JSONL file.

The reading side (:func:`file_jobs`) streams a file into :class:`Job` objects
of bounded size; :func:`clean_job` turns one job into a :class:`ChunkResult`
holding everything the run writes for it (output, audit and reject lines,
``--explain`` lines, errors, counts). The same function runs inline for
``--jobs 1``, in worker processes, and in Ray tasks, which is what makes the
output identical whatever the engine and the number of workers.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass, field
from typing import Iterator

from .document import Document
from .io.inputs import InputError, InputFile, jsonl_records, open_error, text_document
from .io.streams import MAX_TEXT_BYTES, StreamError, iter_lines, open_input, read_limited
from .pipeline import Cleaner, Stats

#: A JSONL job holds at most this many bytes or records: big enough that
#: shipping it to a worker costs little, small enough to keep memory flat.
CHUNK_BYTES = 1 << 20
CHUNK_RECORDS = 2000


@dataclass(frozen=True)
class Wants:
    """Which by-products the run asked for (the rest is not computed)."""

    explain: bool = False
    audit: bool = False
    rejects: bool = False
    original: bool = False  # --diff needs the input text


@dataclass
class Job:
    file: InputFile
    index: int  # position of this chunk in its file
    lines: list[bytes | None] | None = None  # JSONL lines; None = too long
    first_line: int = 1
    data: bytes | None = None  # a whole text file
    nbytes: int = 0

    @property
    def is_jsonl(self) -> bool:
        return self.lines is not None


@dataclass
class ChunkResult:
    out: str | None = ""  # None: nothing to write (a dropped text document)
    changed: bool = False
    original: str | None = None
    audit: list[str] = field(default_factory=list)
    rejects: list[str] = field(default_factory=list)
    explain: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    stats: Stats = field(default_factory=Stats)
    nbytes: int = 0
    fatal: str | None = None  # the chunk could not be cleaned at all


class ReadFailure(Exception):
    """Reading a file failed part way (reported; its output is discarded)."""

    def __init__(self, error: InputError):
        self.error = error


def file_jobs(f: InputFile, opener=open_input) -> Iterator[Job]:
    """Stream ``f`` as jobs; raises ReadFailure if it can't be read.
    ``opener(path)`` gives a context manager for the decompressed bytes."""
    if f.path.lower().endswith(".parquet"):
        raise ReadFailure(InputError(f.path, "Parquet shards are cleaned with --engine ray "
                                             "(pip install 'chipclean[ray]'); skipped"))
    try:
        with opener(f.path) as fh:
            yield from stream_jobs(f, fh)
    except OSError as exc:
        raise ReadFailure(open_error(f.path, exc)) from None
    except (StreamError, EOFError, zlib.error) as exc:
        raise ReadFailure(InputError(f.path, f"cannot read: {exc}")) from None
    except Exception as exc:  # zstandard raises its own ZstdError
        if type(exc).__name__ == "ZstdError":
            raise ReadFailure(InputError(f.path, f"cannot read: corrupt zstd data ({exc})")) from None
        raise


def stream_jobs(f: InputFile, fh) -> Iterator[Job]:
    if not f.is_jsonl:
        data = read_limited(fh, MAX_TEXT_BYTES)
        if data is None:
            raise ReadFailure(InputError(
                f.path, f"larger than {MAX_TEXT_BYTES >> 20} MB, the limit for one text document; "
                "skipped (split it, or make it JSONL records)"))
        yield Job(f, 0, data=data, nbytes=len(data))
        return
    index, first, lines, size = 0, 1, [], 0
    for line in iter_lines(fh):
        lines.append(line)
        size += len(line) if line is not None else 0
        if size >= CHUNK_BYTES or len(lines) >= CHUNK_RECORDS:
            yield Job(f, index, lines=lines, first_line=first, nbytes=size)
            index, first, lines, size = index + 1, first + len(lines), [], 0
    if lines or index == 0:
        yield Job(f, index, lines=lines, first_line=first, nbytes=size)


def job_documents(job: Job, text_field: str) -> Iterator[Document]:
    """The documents of a job, for the counting pass (errors are reported by
    the cleaning pass)."""
    if job.is_jsonl:
        for _, _, doc, _ in jsonl_records(job.file, iter(job.lines), text_field, job.first_line):
            if doc is not None:
                yield doc
    else:
        try:
            yield text_document(job.file, job.data).doc
        except InputError:
            return


def observe_job(cleaner: Cleaner, job: Job) -> dict:
    return cleaner.observe_part(job_documents(job, cleaner.config.text_field))


def clean_job(cleaner: Cleaner, job: Job, wants: Wants) -> ChunkResult:
    """Clean one job. Never raises: an unexpected failure comes back as
    ``fatal`` so that the run reports it and carries on with other files."""
    saved = cleaner.stats
    cleaner.stats = result_stats = Stats()
    try:
        res = _clean_jsonl(cleaner, job, wants) if job.is_jsonl else _clean_text(cleaner, job, wants)
    except Exception as exc:  # noqa: BLE001 - one chunk must not sink the run
        res = ChunkResult(fatal=f"internal error while cleaning: {type(exc).__name__}: {exc}")
    finally:
        cleaner.stats = saved
    res.stats = result_stats
    res.nbytes = job.nbytes
    res.warnings = cleaner.warnings()
    return res


def _clean_text(cleaner: Cleaner, job: Job, wants: Wants) -> ChunkResult:
    res = ChunkResult()
    f = job.file
    try:
        ti = text_document(f, job.data)
    except InputError as exc:
        return ChunkResult(out=None, errors=[exc])
    doc = ti.doc
    if ti.encoding != "utf-8":
        res.notes.append(f"note: {f.path}: not UTF-8, decoded as {ti.encoding}; output is UTF-8")
        if wants.audit:
            res.audit.append(_dumps({"doc": doc.id, "source": f.path, "stage": "input", "rule": "input.transcode",
                                     "note": f"decoded from {ti.encoding}"}))
    original = doc.text
    cleaner.clean(doc)
    _record(cleaner, doc, f, res, wants)
    res.changed = original != doc.text or bool(doc.dropped)
    res.out = None if doc.dropped else doc.text
    if wants.original:
        res.original = original
    return res


def _clean_jsonl(cleaner: Cleaner, job: Job, wants: Wants) -> ChunkResult:
    """The metadata chipclean adds does not by itself count as a change; a
    changed text or a dropped record does."""
    res = ChunkResult()
    out: list[str] = []
    text_field = cleaner.config.text_field
    meta_field = cleaner.config.meta_field
    changed = False
    for _, record, doc, err in jsonl_records(job.file, iter(job.lines), text_field, job.first_line):
        if err is not None:
            res.errors.append(err)
            if record is not None:  # keep records we can't clean, unchanged
                out.append(_dumps(record))
            continue
        cleaner.clean(doc)
        _record(cleaner, doc, job.file, res, wants)
        changed = changed or doc.changed or bool(doc.dropped)
        if doc.dropped:
            continue
        new_record = dict(record)
        new_record[text_field] = doc.text
        new_record[meta_field] = meta(doc)
        out.append(_dumps(new_record))
    res.out = "".join(line + "\n" for line in out)
    res.changed = changed
    if wants.original:
        res.original = b"".join(line for line in job.lines if line is not None).decode("utf-8", "replace")
    return res


def _record(cleaner: Cleaner, doc: Document, f: InputFile, res: ChunkResult, wants: Wants) -> None:
    cleaner.stats.add_document(doc)
    if wants.explain:
        where = f"{f.path}:{doc.metadata['record_line']}" if "record_line" in doc.metadata else f.path
        for e in doc.edits:
            why = f" ({e.note})" if e.note else ""
            res.explain.append(f"{where}: line {e.line}: {e.stage} {e.rule}: {e.before!r} -> {e.after!r}{why}")
        if doc.dropped:
            res.explain.append(f"{f.path}: {doc.id}: dropped: {doc.dropped}")
    if wants.audit:
        for e in doc.edits:
            res.audit.append(_dumps({"doc": doc.id, "source": doc.source, **e.to_dict()}))
    if doc.dropped and wants.rejects:
        res.rejects.append(_dumps({"id": doc.id, "source": doc.source, "reason": doc.dropped,
                                   "lang": doc.lang, "text": doc.original}))


def meta(doc: Document) -> dict:
    out = {
        "lang": doc.lang,
        "lang_score": doc.lang_score,
        "edits": len(doc.edits),
        "removed": doc.removed,
    }
    for key, value in doc.metadata.items():
        if key not in out and key not in ("path", "record_line", "lang", "lang_score"):
            out[key] = value
    return out


# json.dumps builds a new encoder on every call that passes an option; one
# encoder with the same settings serves every record
_dumps = json.JSONEncoder(ensure_ascii=False).encode
