"""Drive a cleaning run over files: read, clean, write, audit, report.

The CLI parses flags into a :class:`RunOptions` and calls :func:`run`; nothing
here prints a traceback. Problems with one input are collected with their file
and line, the rest of the input is processed, and the exit code says what
happened (see :mod:`chipclean.exitcodes`).
"""

from __future__ import annotations

import difflib
import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Iterator

from . import exitcodes
from .config import Config
from .document import Document
from .io.atomic import atomic_writer
from .io.inputs import InputError, InputFile, discover, jsonl_records, read_bytes, text_document
from .pipeline import Cleaner, Stats


class UsageError(Exception):
    """Options that can't work together (exit code 2)."""


@dataclass
class RunOptions:
    output: str | None = None
    in_place: bool = False
    check: bool = False
    diff: bool = False
    explain: bool = False
    audit: str | None = None
    report: str | None = None
    rejects: str | None = None
    quiet: bool = False
    verbose: bool = False

    @property
    def writes(self) -> bool:
        return not (self.check or self.diff)


@dataclass
class Outcome:
    exit_code: int
    stats: Stats
    errors: list[str] = field(default_factory=list)
    changed_files: list[str] = field(default_factory=list)


class Run:
    def __init__(self, config: Config, options: RunOptions, stdout: IO[str] | None = None, stderr: IO[str] | None = None):
        self.config = config
        self.opt = options
        self.cleaner = Cleaner(config)
        self.out = stdout or sys.stdout
        self.err = stderr or sys.stderr
        self.errors: list[InputError] = []
        self.changed_files: list[str] = []
        self.audit_fh: IO[str] | None = None
        self.rejects_fh: IO[str] | None = None
        self.files: list[dict] = []

    # -- messages ----------------------------------------------------------

    def message(self, text: str) -> None:
        if not self.opt.quiet:
            print(text, file=self.err)

    def error(self, exc: InputError) -> None:
        self.errors.append(exc)
        print(f"error: {exc}", file=self.err)

    # -- planning ----------------------------------------------------------

    def plan(self, paths: list[str]) -> list[tuple[InputFile, str | None]]:
        files = discover(paths, self.errors)
        for e in list(self.errors):
            print(f"error: {e}", file=self.err)
        opt = self.opt
        if opt.in_place and opt.output:
            raise UsageError("--in-place and --output can't be used together")
        if opt.in_place and any(f.path == "-" for f in files):
            raise UsageError("--in-place can't rewrite standard input")
        dir_mode = bool(opt.output) and (
            len(files) > 1
            or any(os.path.isdir(p) for p in paths)
            or os.path.isdir(opt.output)
            or opt.output.endswith(os.sep)
        )
        if not opt.writes or opt.in_place:
            return [(f, f.path if opt.in_place else None) for f in files]
        if opt.output:
            if dir_mode:
                return [(f, os.path.join(opt.output, f.rel if f.path != "-" else "stdin.txt")) for f in files]
            return [(f, opt.output) for f in files]
        if len(files) > 1 or any(os.path.isdir(p) for p in paths):
            raise UsageError(
                "several inputs need somewhere to go: give -o DIR, --in-place, --check or --diff"
            )
        return [(f, None) for f in files]

    # -- running -----------------------------------------------------------

    def run(self, paths: list[str]) -> Outcome:
        t0 = time.perf_counter()
        plan = self.plan(paths)
        with _maybe_atomic(self.opt.audit) as audit, _maybe_atomic(self.opt.rejects) as rejects:
            self.audit_fh, self.rejects_fh = audit, rejects
            if self.cleaner.needs_corpus_pass:
                self._observe(plan)
            for f, target in plan:
                self._process(f, target)
        for w in self.cleaner.warnings():
            self.message(f"warning: {w}")
        stats = self.cleaner.stats
        if self.opt.report:
            report = {
                "chipclean": _version(),
                "options": self.config.fingerprint(),
                "seconds": round(time.perf_counter() - t0, 3),
                **stats.to_dict(),
                "files": self.files,
                "errors": [str(e) for e in self.errors],
            }
            with atomic_writer(self.opt.report) as fh:
                json.dump(report, fh, ensure_ascii=False, indent=2, sort_keys=True)
                fh.write("\n")
        code = exitcodes.SUCCESS
        if self.errors:
            code = exitcodes.ERROR
        elif self.opt.check and self.changed_files:
            code = exitcodes.FAIL
        self._summary(stats)
        return Outcome(code, stats, [str(e) for e in self.errors], self.changed_files)

    def _summary(self, stats: Stats) -> None:
        if self.opt.quiet:
            return
        verb = "would be changed" if not self.opt.writes else "changed"
        n = len(self.changed_files)
        parts = [f"{stats.documents} document{'s' * (stats.documents != 1)}", f"{n} file{'s' * (n != 1)} {verb}"]
        if stats.dropped:
            parts.append(f"{stats.dropped} dropped")
        if self.errors:
            parts.append(f"{len(self.errors)} error{'s' * (len(self.errors) != 1)}")
        self.message(", ".join(parts) + ".")

    def _observe(self, plan) -> None:
        if any(f.path == "-" for f, _ in plan):
            self.message("warning: the repeats stage can't make a counting pass over standard input; it learns as it goes")
            return
        self.cleaner.observe(doc for f, _ in plan for doc in self._documents_quiet(f))

    def _documents_quiet(self, f: InputFile) -> Iterator[Document]:
        try:
            data = read_bytes(f)
            if f.is_jsonl:
                for _, _, doc, _ in jsonl_records(f, iter(data.splitlines()), self.config.text_field):
                    if doc is not None:
                        yield doc
            else:
                yield text_document(f, data).doc
        except InputError:
            return  # reported in the main pass

    def _process(self, f: InputFile, target: str | None) -> None:
        try:
            data = read_bytes(f)
        except InputError as exc:
            self.error(exc)
            return
        if target and self.opt.writes and not self.opt.in_place and f.path != "-" and _same_file(f.path, target):
            self.error(InputError(f.path, "refusing to overwrite the input; use --in-place to rewrite files"))
            return
        if self.opt.in_place and os.path.islink(f.path) and not _link_inside(f.path, f.root):
            self.error(InputError(f.path, "symbolic link points outside the input tree; not rewritten in place"))
            return
        try:
            if f.is_jsonl:
                original, new = self._process_jsonl(f, data)
            else:
                original, new = self._process_text(f, data)
        except InputError as exc:
            self.error(exc)
            return
        if new is None:
            return
        changed = original != new
        self.files.append({"path": f.path, "changed": changed})
        if changed:
            self.changed_files.append(f.path)
        if self.opt.diff and changed:
            name = f.path if f.path != "-" else "stdin"
            self.out.writelines(
                difflib.unified_diff(
                    original.splitlines(keepends=True),
                    new.splitlines(keepends=True),
                    f"{name}\t(original)",
                    f"{name}\t(cleaned)",
                )
            )
            if not new.endswith("\n"):
                self.out.write("\n")
        if self.opt.check and changed and not self.opt.diff:
            self.message(f"would clean {f.path}")
        if not self.opt.writes:
            return
        if target is None:
            self.out.write(new)
            self.out.flush()
            return
        if self.opt.in_place and not changed:
            return
        try:
            with atomic_writer(target) as fh:
                fh.write(new)
        except OSError as exc:
            self.error(InputError(target, f"cannot write output: {exc.strerror or exc}; earlier outputs are complete"))
            return
        if self.opt.verbose:
            self.message(f"cleaned {f.path} -> {target}")

    def _process_text(self, f: InputFile, data: bytes) -> tuple[str, str | None]:
        ti = text_document(f, data)
        doc = ti.doc
        if ti.encoding != "utf-8":
            self.message(f"note: {f.path}: not UTF-8, decoded as {ti.encoding}; output is UTF-8")
            self._audit_line({"doc": doc.id, "source": f.path, "stage": "input", "rule": "input.transcode",
                              "note": f"decoded from {ti.encoding}"})
        original = doc.text
        self.cleaner.clean(doc)
        self._record(doc, f)
        if doc.dropped:
            return original, None
        return original, doc.text

    def _process_jsonl(self, f: InputFile, data: bytes) -> tuple[str, str | None]:
        """Returns (before, after) where "before" differs from "after" only if
        some record's text changed or a record was dropped: the metadata that
        chipclean adds does not by itself count as a change."""
        out_lines: list[str] = []
        text_field = self.config.text_field
        changed = False
        for _, record, doc, err in jsonl_records(f, iter(data.splitlines()), text_field):
            if err is not None:
                self.error(err)
                if record is not None:  # keep records we can't clean, unchanged
                    out_lines.append(json.dumps(record, ensure_ascii=False))
                continue
            self.cleaner.clean(doc)
            self._record(doc, f)
            changed = changed or doc.changed or bool(doc.dropped)
            if doc.dropped:
                continue
            new_record = dict(record)
            new_record[text_field] = doc.text
            new_record[self.config.meta_field] = _meta(doc)
            out_lines.append(json.dumps(new_record, ensure_ascii=False))
        new = "".join(line + "\n" for line in out_lines)
        original = data.decode("utf-8", "replace") if changed else new
        return original, new

    def _record(self, doc: Document, f: InputFile) -> None:
        self.cleaner.stats.add_document(doc)
        if self.opt.explain:
            for e in doc.edits:
                where = f"{f.path}:{doc.metadata['record_line']}" if "record_line" in doc.metadata else f.path
                print(f"{where}: line {e.line}: {e.stage} {e.rule}: {e.before!r} -> {e.after!r}", file=self.err)
            if doc.dropped:
                print(f"{f.path}: {doc.id}: dropped: {doc.dropped}", file=self.err)
        if self.audit_fh is not None:
            for e in doc.edits:
                self._audit_line({"doc": doc.id, "source": doc.source, **e.to_dict()})
        if doc.dropped and self.rejects_fh is not None:
            self.rejects_fh.write(json.dumps({"id": doc.id, "source": doc.source, "reason": doc.dropped,
                                              "lang": doc.lang, "text": doc.original}, ensure_ascii=False) + "\n")

    def _audit_line(self, obj: dict) -> None:
        if self.audit_fh is not None:
            self.audit_fh.write(json.dumps(obj, ensure_ascii=False) + "\n")


def _meta(doc: Document) -> dict:
    meta = {
        "lang": doc.lang,
        "lang_score": doc.lang_score,
        "edits": len(doc.edits),
        "removed": doc.removed,
    }
    for key, value in doc.metadata.items():
        if key not in meta and key not in ("path", "record_line", "lang", "lang_score"):
            meta[key] = value
    return meta


class _Null:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def _maybe_atomic(path: str | None):
    return atomic_writer(path) if path else _Null()


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def _link_inside(path: str, root: str | None) -> bool:
    base = Path(root).resolve() if root else Path(path).parent.resolve()
    try:
        Path(path).resolve().relative_to(base)
        return True
    except ValueError:
        return False


def _version() -> str:
    from . import __version__

    return __version__


def run(paths: list[str], config: Config, options: RunOptions, stdout=None, stderr=None) -> Outcome:
    return Run(config, options, stdout, stderr).run(paths)
