"""Run jobs inline or in a pool of worker processes, results in input order.

Each worker builds its own :class:`~chipclean.pipeline.Cleaner` from the
Config (plus, when a stage counts over the whole corpus, the merged counts)
once, then cleans the jobs it is sent. At most a few jobs per worker are in
flight, so memory stays flat however large the input is. Results are yielded
in the order the jobs were read, so the output does not depend on the number
of workers. A worker that dies is replaced; the job it held is retried once
and then reported as failed, without losing the other jobs' results.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, Iterable, Iterator

from .chunks import ChunkResult, Job, Wants, clean_job, job_documents, observe_job
from .config import Config
from .pipeline import Cleaner

IN_FLIGHT_PER_WORKER = 3


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# -- in the worker processes ---------------------------------------------------

_CLEANER: Cleaner | None = None
# With fork, a worker starts from a copy of the parent's Cleaner, its packs
# compiled, its language profiles loaded and its counts merged; with spawn it
# rebuilds all of that from the Config and the shipped counts.
_INHERITED: Cleaner | None = None


def _init_worker(config: Config, corpus_state: dict | None) -> None:
    global _CLEANER
    # the parent handles Ctrl-C and shuts the pool down; workers just stop
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent()
    if _INHERITED is not None and _INHERITED.config == config:
        _CLEANER = _INHERITED
        return
    _CLEANER = Cleaner(config)
    _CLEANER.load_corpus_state(corpus_state)


def _exit_with_parent() -> None:
    """A parent killed outright (SIGKILL, the OOM killer) can't shut its pool
    down; its orphaned workers notice and leave instead of lingering."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="chipclean-parent-watch", daemon=True).start()


def _worker_clean(job: Job, wants: Wants) -> ChunkResult:
    return clean_job(_CLEANER, job, wants)


def _worker_observe(job: Job) -> dict:
    return observe_job(_CLEANER, job)


# -- in the parent -------------------------------------------------------------


class Engine:
    """Cleans a stream of jobs (interleaved with markers that pass straight
    through) with ``jobs`` processes; ``jobs == 1`` runs inline."""

    def __init__(self, cleaner: Cleaner, jobs: int, wants: Wants):
        self.cleaner = cleaner
        self.jobs = max(1, jobs)
        self.wants = wants
        self._pool: ProcessPoolExecutor | None = None
        self._pool_args: tuple = ()

    # -- the counting pass --------------------------------------------------

    def observe(self, jobs: Iterable[Job]) -> None:
        """Run the corpus-level counting pass and merge it into ``cleaner``."""
        cleaner = self.cleaner
        if not cleaner.mergeable_corpus_pass:
            text_field = cleaner.config.text_field
            cleaner.observe(doc for job in jobs for doc in job_documents(job, text_field))
            return
        if self.jobs == 1:
            # the same parts merged in the same order as with a pool, so that
            # the counts (and a capped table's pruning) don't depend on --jobs
            for job in jobs:
                cleaner.merge_observed(observe_job(cleaner, job))
            return
        self._start(None)
        for _, state in ordered(self._submit, _worker_observe, (), jobs, self._window, self._restart,
                                lambda job, why: {}):
            cleaner.merge_observed(state)
        self.close()

    # -- the cleaning pass ----------------------------------------------------

    def clean(self, items: Iterable[Any]) -> Iterator[tuple[Any, ChunkResult | None]]:
        if self.jobs == 1:
            for item in items:
                yield item, (clean_job(self.cleaner, item, self.wants) if isinstance(item, Job) else None)
            return
        state = self.cleaner.corpus_state() if self.cleaner.needs_corpus_pass else None
        self._start(state)
        try:
            yield from ordered(self._submit, _worker_clean, (self.wants,), items, self._window, self._restart,
                               _crashed)
        finally:
            self.close()

    # -- the pool ---------------------------------------------------------------

    @property
    def _window(self) -> int:
        return self.jobs * IN_FLIGHT_PER_WORKER

    def _start(self, state: dict | None) -> None:
        global _INHERITED
        self.close()
        methods = multiprocessing.get_all_start_methods()
        # fork starts workers in milliseconds and shares the parent's imports
        ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        if ctx.get_start_method() == "fork":
            warm_up(self.cleaner)
            _INHERITED = self.cleaner
        self._pool_args = (state,)
        self._pool = ProcessPoolExecutor(self.jobs, mp_context=ctx, initializer=_init_worker,
                                         initargs=(self.cleaner.config, state))

    def _restart(self) -> None:
        self._start(*self._pool_args)

    def _submit(self, fn: Callable, *args) -> Future:
        return self._pool.submit(fn, *args)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


_WARM_UP = (
    "Chipmakers rallied on Tuesday after the company said demand for its accelerators would stay strong.",
    "芯片股周二走强，公司表示其加速器需求将保持强劲。台积电与华为的订单均有增长。",
)


def warm_up(cleaner: Cleaner) -> None:
    """Load what the stages load lazily (libraries, models, compiled packs)
    once in the parent, so that forked workers share it instead of each
    loading it again. Corpus-level stages are left out: they count what
    they see."""
    from .document import Document

    for text in _WARM_UP:
        doc = Document(text)
        for stage in cleaner.stages:
            if not stage.corpus_pass and not doc.dropped:
                stage.process(doc)
    cleaner.warnings()


def _crashed(job: Job, why: str) -> ChunkResult:
    return ChunkResult(fatal=why, nbytes=job.nbytes)


def ordered(submit: Callable[..., Future], fn: Callable, args: tuple, items: Iterable[Any], window: int,
            restart: Callable[[], None], on_crash: Callable[[Job, str], Any]) -> Iterator[tuple[Any, Any]]:
    """Yield ``(item, fn(item, *args))`` for jobs, ``(item, None)`` for other
    items, in input order, with at most ``window`` jobs in flight.

    When a worker dies (killed, out of memory, a crash in C code) every job
    in flight is lost with it. A fresh pool then runs those jobs one at a time,
    so that the one that kills its worker again is found and reported, and
    the others come through."""
    pending: deque[list] = deque()  # [item, future (None: not submitted yet), crashes]
    source = iter(items)
    exhausted = False
    careful = 0  # jobs at the head of the queue to run one at a time
    while True:
        if not careful:
            in_flight = sum(1 for e in pending if e[1] is not None)
            while not exhausted and in_flight < window:
                try:
                    item = next(source)
                except StopIteration:
                    exhausted = True
                    break
                if isinstance(item, Job):
                    pending.append([item, submit(fn, item, *args), 0])
                    in_flight += 1
                else:
                    pending.append([item, None, 0])
        if not pending:
            return
        entry = pending[0]
        item = entry[0]
        if not isinstance(item, Job):
            pending.popleft()
            yield item, None
            continue
        if entry[1] is None:
            entry[1] = submit(fn, item, *args)
        try:
            result = entry[1].result()
        except BrokenProcessPool:
            restart()
            entry[2] += 1
            if entry[2] < 2:
                for e in pending:
                    e[1] = None
                careful = sum(1 for e in pending if isinstance(e[0], Job))
                continue
            result = on_crash(item, "the worker process cleaning this part died (killed, out of memory or a crash); "
                                    f"records from line {item.first_line} were not cleaned")
        pending.popleft()
        if careful:
            careful -= 1
        yield item, result
