"""Drive a cleaning run over files: read, clean, write, audit, report.

The CLI parses flags into a :class:`RunOptions` and calls :func:`run`; nothing
here prints a traceback. Problems with one input are collected with their file
and line, the rest of the input is processed, and the exit code says what
happened (see :mod:`chipclean.exitcodes`).
"""

from __future__ import annotations

import contextlib
import difflib
import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Iterator

from . import exitcodes
from .chunks import CHUNK_BYTES, ChunkResult, Job, ReadFailure, Wants, file_jobs
from .config import Config
from .io.atomic import atomic_writer
from .io.inputs import InputError, InputFile, discover
from .io.streams import file_size, open_output
from .manifest import Manifest, options_hash, sweep_temporaries
from .parallel import Engine, default_jobs
from .pipeline import Cleaner, Stats
from .progress import Progress, summary_table

#: --in-place holds back up to this much output before it knows whether a
#: file changes, so that clean files are never rewritten.
HOLD_BYTES = 8 * 1024 * 1024


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
    jobs: int | None = None  # worker processes; None: one per core
    engine: str = "local"  # or "ray"
    address: str | None = None  # the Ray cluster to join
    fail_on_change: bool = False  # exit 1 when files were rewritten, as pre-commit fixers do

    @property
    def writes(self) -> bool:
        return not (self.check or self.diff)


@dataclass
class Outcome:
    exit_code: int
    stats: Stats
    errors: list[str] = field(default_factory=list)
    changed_files: list[str] = field(default_factory=list)


class _Start:
    def __init__(self, index: int):
        self.index = index


class _End(_Start):
    pass


class _Fail(_Start):
    def __init__(self, index: int, error: InputError):
        super().__init__(index)
        self.error = error


class _FileState:
    """What the run knows about the file whose results are arriving."""

    def __init__(self, f: InputFile, target: str | None):
        self.f = f
        self.target = target
        self.sink = None  # the open output's context manager
        self.fh: IO[str] | None = None
        self.held: list[str] = []  # output kept back until we know it changed (--in-place)
        self.held_bytes = 0
        self.has_output = False
        self.changed = False
        self.failed = False
        self.errors = 0
        self.new: list[str] = []  # --diff keeps the file's text
        self.original: list[str] = []


class Run:
    def __init__(self, config: Config, options: RunOptions, stdout: IO[str] | None = None, stderr: IO[str] | None = None,
                 cleaner: Cleaner | None = None):
        self.config = config
        self.opt = options
        self.cleaner = cleaner if cleaner is not None else Cleaner(config)
        self.out = stdout or sys.stdout
        self.err = stderr or sys.stderr
        self.errors: list[InputError] = []
        self.changed_files: list[str] = []
        self.audit_fh: IO[str] | None = None
        self.rejects_fh: IO[str] | None = None
        self.files: list[dict] = []
        self.stats = Stats()
        self.warnings: list[str] = []
        self.dir_mode = False
        self.manifest: Manifest | None = None
        self._claimed: dict[str, str] = {}  # output path -> the input it comes from
        self.skipped = 0

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
        self.dir_mode = dir_mode and opt.writes and not opt.in_place
        if not opt.writes or opt.in_place:
            return [(f, _in_place_target(f) if opt.in_place else None) for f in files]
        if opt.output:
            if dir_mode:
                return [(f, os.path.join(opt.output, f.rel if f.path != "-" else "stdin.txt")) for f in files]
            return [(f, opt.output) for f in files]
        if len(files) > 1 or any(os.path.isdir(p) for p in paths):
            raise UsageError(
                "several inputs need somewhere to go: give -o DIR, --in-place, --check or --diff"
            )
        return [(f, None) for f in files]

    def _check_side_outputs(self, plan) -> None:
        """--audit, --report and --rejects never replace an input or an output."""
        for flag, path in (("--audit", self.opt.audit), ("--report", self.opt.report), ("--rejects", self.opt.rejects)):
            if not path:
                continue
            for f, target in plan:
                if (f.path != "-" and _same_file(f.path, path)) or (target and _same_file(target, path)):
                    raise UsageError(f"{flag} {path} would overwrite {'an input' if _same_file(f.path, path) else 'an output'}"
                                     f" ({f.path}); choose another file")

    def _jobs_wanted(self, plan) -> int:
        if self.opt.jobs:
            return self.opt.jobs
        # by default, no pool where it costs more than it saves: a small input,
        # or standard input (mostly short; ask for --jobs on a big stream)
        if any(f.path == "-" for f, _ in plan) or sum(file_size(f.path) for f, _ in plan) < 2 * CHUNK_BYTES:
            return 1
        return default_jobs()

    # -- running -----------------------------------------------------------

    def run(self, paths: list[str]) -> Outcome:
        t0 = time.perf_counter()
        plan = self.plan(paths)
        self._check_side_outputs(plan)
        if self.dir_mode:
            self.manifest = Manifest(self.opt.output, options_hash(self.config, self.cleaner.rules))
            sweep_temporaries(self.opt.output)
        todo = plan
        if self.manifest is not None:
            todo = [(f, t) for f, t in plan if f.path == "-" or not self.manifest.is_done(f.path, t)]
            self.skipped = len(plan) - len(todo)
            if self.skipped:
                self.message(f"skipping {self.skipped} input{'s' * (self.skipped != 1)} already cleaned with these "
                             f"options (delete {self.manifest.path} to clean them again)")
        wants = Wants(explain=self.opt.explain, audit=bool(self.opt.audit), rejects=bool(self.opt.rejects),
                      original=self.opt.diff)
        engine = self._engine(todo, wants)
        progress = Progress(self.err, self._live(), len(todo), sum(file_size(f.path) for f, _ in todo))
        try:
            with _maybe_atomic(self.opt.audit) as audit, _maybe_atomic(self.opt.rejects) as rejects:
                self.audit_fh, self.rejects_fh = audit, rejects
                if todo and self.cleaner.needs_corpus_pass:
                    # the counts cover every input, done or not, so that a resumed
                    # run removes exactly what an uninterrupted one would
                    self._observe(engine, plan)
                self._clean(engine, todo, progress)
        finally:
            progress.close()
            engine.close()
        self.warnings.extend(self.cleaner.warnings())
        for w in self.warnings:
            self.message(f"warning: {w}")
        stats = self.stats
        seconds = time.perf_counter() - t0
        if self.opt.report:
            report = {
                "chipclean": _version(),
                "options": self.config.fingerprint(),
                "seconds": round(seconds, 3),
                **stats.to_dict(),
                "files": self.files,
                "skipped": self.skipped,
                "errors": [str(e) for e in self.errors],
            }
            with atomic_writer(self.opt.report) as fh:
                json.dump(report, fh, ensure_ascii=False, indent=2, sort_keys=True)
                fh.write("\n")
        code = exitcodes.SUCCESS
        if self.errors:
            code = exitcodes.ERROR
        elif (self.opt.check or self.opt.fail_on_change) and self.changed_files:
            code = exitcodes.FAIL
        self._summary(stats, seconds, len(todo))
        return Outcome(code, stats, [str(e) for e in self.errors], self.changed_files)

    def _live(self) -> bool:
        try:
            return not self.opt.quiet and self.err.isatty()
        except (AttributeError, ValueError):
            return False

    def _summary(self, stats: Stats, seconds: float, nfiles: int) -> None:
        if self.opt.quiet:
            return
        if self._live() or self.opt.verbose:
            self.message(summary_table(stats, seconds, nfiles, self.skipped))
        verb = "would be changed" if not self.opt.writes else "changed"
        n = len(self.changed_files)
        parts = [f"{stats.documents} document{'s' * (stats.documents != 1)}", f"{n} file{'s' * (n != 1)} {verb}"]
        if stats.dropped:
            parts.append(f"{stats.dropped} dropped")
        if self.errors:
            parts.append(f"{len(self.errors)} error{'s' * (len(self.errors) != 1)}")
        self.message(", ".join(parts) + ".")

    def _engine(self, plan, wants: Wants):
        if self.opt.engine != "ray":
            return Engine(self.cleaner, self._jobs_wanted(plan), wants)
        if any(f.path == "-" for f, _ in plan):
            raise UsageError("--engine ray reads files or URLs, not standard input")
        from .engines.ray import RayEngine, RayUnavailable

        try:
            return RayEngine(self.cleaner, wants, self.opt.address, self.opt.jobs)
        except RayUnavailable as exc:
            raise UsageError(str(exc)) from None

    def _observe(self, engine, plan) -> None:
        if any(f.path == "-" for f, _ in plan):
            self.message("warning: the repeats stage can't make a counting pass over standard input; it learns as it goes")
            return
        if isinstance(engine, Engine):
            engine.observe(job for f, _ in plan for job in _quiet_jobs(f))
        else:
            engine.observe([f for f, _ in plan])

    # -- the cleaning pass -------------------------------------------------

    def _items(self, plan) -> Iterator[object]:
        for i, (f, target) in enumerate(plan):
            yield _Start(i)
            problem = self._refusal(f, target)
            if problem is not None:
                yield _Fail(i, problem)
                continue
            try:
                yield from file_jobs(f)
            except ReadFailure as exc:
                yield _Fail(i, exc.error)
                continue
            yield _End(i)

    def _refusal(self, f: InputFile, target: str | None) -> InputError | None:
        if target and self.opt.writes and not self.opt.in_place and f.path != "-" and _same_file(f.path, target):
            return InputError(f.path, "refusing to overwrite the input; use --in-place to rewrite files")
        if self.opt.in_place and os.path.islink(f.path) and not _link_inside(f.path, f.root):
            return InputError(f.path, "symbolic link points outside the input tree; not rewritten in place")
        if target and self.opt.writes and not self.opt.in_place:
            # two inputs with one output name (a/x.txt b/x.txt -o out/): the
            # second would silently replace the first
            first = self._claimed.setdefault(os.path.abspath(target), f.path)
            if first != f.path:
                return InputError(f.path, f"its output {target} is already the output of {first}; skipped "
                                          "(clean the folder that holds both, so that their paths are kept)")
        return None

    def _remote_items(self, engine, plan) -> Iterator[tuple[object, ChunkResult | None]]:
        """The stream _clean expects, from an engine that reads the files itself."""
        wanted = [(i, f) for i, (f, target) in enumerate(plan) if self._refusal(f, target) is None]
        results = engine.clean([f for _, f in wanted])
        for i, (f, target) in enumerate(plan):
            yield _Start(i), None
            problem = self._refusal(f, target)
            if problem is not None:
                yield _Fail(i, problem), None
                continue
            _, got = next(results)
            if isinstance(got, InputError):
                yield _Fail(i, got), None
                continue
            for res in got:
                yield None, res
            yield _End(i), None

    def _clean(self, engine, plan, progress: Progress) -> None:
        state: _FileState | None = None
        stream = engine.clean(self._items(plan)) if isinstance(engine, Engine) else self._remote_items(engine, plan)
        try:
            for item, res in stream:
                if isinstance(item, _Fail):
                    self.error(item.error)
                    _abort(state)
                    state = None
                    progress.advance(files=1)
                elif isinstance(item, _End):
                    self._finish(state)
                    state = None
                    progress.advance(files=1)
                elif isinstance(item, _Start):
                    state = _FileState(*plan[item.index])
                else:
                    self._take(state, res)
                    progress.advance(res.nbytes, res.stats.documents)
        except BaseException:
            _abort(state)  # an interrupted file leaves no partial output
            raise

    def _take(self, st: _FileState, res: ChunkResult) -> None:
        self.stats.merge(res.stats)
        self.warnings.extend(res.warnings)
        for note in res.notes:
            self.message(note)
        for line in res.explain:
            print(line, file=self.err)
        for e in res.errors:
            self.error(e)
        st.errors += len(res.errors)
        if self.audit_fh is not None:
            self.audit_fh.writelines(line + "\n" for line in res.audit)
        if self.rejects_fh is not None:
            self.rejects_fh.writelines(line + "\n" for line in res.rejects)
        if res.fatal is not None:
            self.error(InputError(st.f.path, res.fatal))
            st.failed = True
            return
        if st.failed or res.out is None:
            return
        st.has_output = True
        st.changed = st.changed or res.changed
        if self.opt.diff and isinstance(res.out, str):
            st.new.append(res.out)
            st.original.append(res.original if res.original is not None else res.out)
        if self.opt.writes:
            self._write(st, res.out)

    def _write(self, st: _FileState, text: str) -> None:
        if st.target is None:
            if isinstance(text, bytes):
                st.failed = True
                self.error(InputError(st.f.path, "a Parquet shard is written with --output or --in-place, not to standard output"))
                return
            self.out.write(text)
            self.out.flush()
            return
        try:
            if isinstance(text, bytes):  # a whole Parquet shard, from --engine ray
                if st.fh is None:
                    _open(st)
                st.fh.flush()
                st.fh.buffer.write(text)
                return
            if st.fh is None:
                if self.opt.in_place and not st.changed and st.held_bytes < HOLD_BYTES:
                    # most files are clean: rewrite one only once a change shows up
                    st.held.append(text)
                    st.held_bytes += len(text)
                    return
                _open(st)
            st.fh.write(text)
        except OSError as exc:  # a full disk: drop this output, keep going
            st.failed = True
            with contextlib.suppress(OSError):
                _abort(st)
            self.error(InputError(st.target, f"cannot write output: {exc.strerror or exc}; earlier outputs are complete"))

    def _finish(self, st: _FileState) -> None:
        f = st.f
        if st.failed:
            _abort(st)
            return
        if not st.has_output:  # a dropped text document: nothing to write
            if self.manifest is not None and not st.errors:
                self.manifest.record(f.path, st.target, written=False)
            return
        changed = st.changed
        self.files.append({"path": f.path, "changed": changed})
        if changed:
            self.changed_files.append(f.path)
        if self.opt.diff and changed:
            self._diff(f, "".join(st.original), "".join(st.new))
        if self.opt.check and changed and not self.opt.diff:
            self.message(f"would clean {f.path}")
        if not self.opt.writes or st.target is None:
            return
        if self.opt.in_place and not changed:
            _abort(st)
            return
        try:
            if st.fh is None:  # everything was held back, or the file is empty
                _open(st)
            sink, st.sink, st.fh = st.sink, None, None
            sink.__exit__(None, None, None)
        except OSError as exc:
            _abort(st)
            self.error(InputError(st.target, f"cannot write output: {exc.strerror or exc}; earlier outputs are complete"))
            return
        if self.manifest is not None and not st.errors:
            self.manifest.record(f.path, st.target, written=True)
        if self.opt.verbose:
            self.message(f"cleaned {f.path} -> {st.target}")

    def _diff(self, f: InputFile, original: str, new: str) -> None:
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


def _open(st: _FileState) -> None:
    st.sink = open_output(st.target)
    st.fh = st.sink.__enter__()
    st.fh.writelines(st.held)
    st.held = []


class _Discard(Exception):
    """Thrown into an open output to make it delete its temporary file."""


def _abort(st: _FileState | None) -> None:
    if st is None or st.sink is None:
        return
    sink, st.sink, st.fh = st.sink, None, None
    exc = _Discard()
    sink.__exit__(_Discard, exc, None)


def _quiet_jobs(f: InputFile) -> Iterator[Job]:
    try:
        yield from file_jobs(f)
    except ReadFailure:
        return  # reported in the cleaning pass


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


def _in_place_target(f: InputFile) -> str:
    """Rewrite what a symbolic link points to (checked to be inside the input
    tree), so that the link stays a link."""
    return os.path.realpath(f.path) if f.path != "-" and os.path.islink(f.path) else f.path


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


def run(paths: list[str], config: Config, options: RunOptions, stdout=None, stderr=None, cleaner=None) -> Outcome:
    return Run(config, options, stdout, stderr, cleaner).run(paths)
