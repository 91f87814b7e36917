"""Run a cleaning job on a Ray cluster with Ray Data.

The input shards (JSONL, plain or compressed, or Parquet, from local paths or
object stores such as ``s3://``) become a Ray dataset with one row per shard.
Each row is cleaned in ``map_batches`` by the very function the local engine
uses, :func:`chipclean.chunks.clean_job`, in the same chunks, so the output
is byte-identical to a local run. The driver writes each shard's output as
its results stream back, in input order, atomically. A Parquet shard's rows
are cleaned as the same records in a JSONL file would be, and the shard comes
back as Parquet (:mod:`chipclean.io.parquet`).

Corpus-level stages (``repeats``) need their counts before anything is
cleaned: a first ``map_batches`` pass counts each shard, the driver merges
the counts in input order (so the merged table is the one a local run
builds), and the second pass ships the merged table to every worker once,
as a constructor argument of the cleaning actors.
"""

from __future__ import annotations

import pickle
from typing import Iterator

from ..chunks import CHUNK_RECORDS, ChunkResult, Job, ReadFailure, Wants, clean_job, file_jobs, observe_job
from ..config import Config
from ..io import parquet
from ..io.inputs import InputError, InputFile
from ..pipeline import Cleaner


class RayUnavailable(Exception):
    pass


def _ray():
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError:
        raise RayUnavailable("--engine ray needs Ray Data: pip install 'chipclean[ray]'") from None
    return ray


def _rows(files: list[InputFile]) -> list[dict]:
    return [{"i": i, "path": f.path, "rel": f.rel, "root": f.root or ""} for i, f in enumerate(files)]


def _file(row) -> InputFile:
    return InputFile(str(row["path"]), str(row["rel"]), str(row["root"]) or None)


def _each_row(batch):
    keys = list(batch)
    for n in range(len(batch[keys[0]])):
        yield {k: batch[k][n] for k in keys}


def _parquet_jobs(f: InputFile, text_field: str) -> Iterator[tuple[Job, object]]:
    first = 1
    for index, batch in enumerate(parquet.shard_batches(f, CHUNK_RECORDS)):
        yield Job(f, index, lines=parquet.batch_lines(batch, text_field), first_line=first, nbytes=batch.nbytes), batch
        first += batch.num_rows


def _jobs(f: InputFile, text_field: str) -> Iterator[Job]:
    if parquet.is_parquet(f.path):
        return (job for job, _ in _parquet_jobs(f, text_field))
    return file_jobs(f)


def _clean_shard(cleaner: Cleaner, f: InputFile, wants: Wants) -> list[ChunkResult]:
    """A shard's chunk results; a Parquet shard's output travels whole, as
    the Parquet file, in one last result."""
    if not parquet.is_parquet(f.path):
        return [clean_job(cleaner, job, wants) for job in file_jobs(f)]
    config = cleaner.config
    results, batches = [], []
    for job, batch in _parquet_jobs(f, config.text_field):
        res = clean_job(cleaner, job, wants)
        if res.fatal is None:
            batches.append(parquet.cleaned_batch(batch, res.out, config.text_field, config.meta_field))
        res.out, res.original = "", None
        results.append(res)
    if len(batches) == len(results):
        results.append(ChunkResult(out=parquet.shard_bytes(batches)))
    return results


class _Observe:
    """Counts one shard per row: the corpus-pass state of each chunk."""

    def __init__(self, config: Config):
        self.cleaner = Cleaner(config)

    def __call__(self, batch):
        out = []
        for row in _each_row(batch):
            try:
                states = [observe_job(self.cleaner, job) for job in _jobs(_file(row), self.cleaner.config.text_field)]
            except (ReadFailure, InputError):
                states = []  # reported by the cleaning pass
            out.append(pickle.dumps(states))
        return {"i": batch["i"], "states": out}


class _Clean:
    """Cleans one shard per row; returns its chunk results, pickled."""

    def __init__(self, config: Config, corpus_state: dict | None, wants: Wants):
        self.cleaner = Cleaner(config)
        self.cleaner.load_corpus_state(corpus_state)
        self.wants = wants

    def __call__(self, batch):
        out = []
        for row in _each_row(batch):
            try:
                results: list[ChunkResult] | InputError = _clean_shard(self.cleaner, _file(row), self.wants)
            except ReadFailure as exc:
                results = exc.error
            except InputError as exc:
                results = exc
            out.append(pickle.dumps(results))
        return {"i": batch["i"], "results": out}


class RayEngine:
    """The Ray counterpart of :class:`chipclean.parallel.Engine`."""

    def __init__(self, cleaner: Cleaner, wants: Wants, address: str | None = None, workers: int | None = None):
        self.cleaner = cleaner
        self.wants = wants
        self.ray = _ray()
        if not self.ray.is_initialized():
            self.ray.init(address=address, include_dashboard=False, log_to_driver=False,
                          configure_logging=False)
        import logging

        for name in ("ray", "ray.data"):  # progress chatter; errors still show
            logging.getLogger(name).setLevel(logging.WARNING)
        ctx = self.ray.data.DataContext.get_current()
        ctx.execution_options.preserve_order = True
        ctx.enable_progress_bars = False
        self.workers = workers or max(1, int(self.ray.cluster_resources().get("CPU", 1)))

    def _dataset(self, files: list[InputFile]):
        return self.ray.data.from_items(_rows(files), override_num_blocks=max(1, len(files)))

    def _actors(self, files: list[InputFile]):
        return self.ray.data.ActorPoolStrategy(size=min(self.workers, len(files)))

    def observe(self, files: list[InputFile]) -> None:
        if not files:
            return
        ds = self._dataset(files).map_batches(
            _Observe, fn_constructor_args=(self.cleaner.config,), batch_size=1,
            compute=self._actors(files), batch_format="numpy")
        # merged in input order: the same table a local run builds
        for row in sorted(ds.iter_rows(), key=lambda r: int(r["i"])):
            for state in pickle.loads(row["states"]):
                self.cleaner.merge_observed(state)

    def clean(self, files: list[InputFile]) -> Iterator[tuple[int, list[ChunkResult] | InputError]]:
        if not files:
            return
        state = self.cleaner.corpus_state() if self.cleaner.needs_corpus_pass else None
        ds = self._dataset(files).map_batches(
            _Clean, fn_constructor_args=(self.cleaner.config, state, self.wants), batch_size=1,
            compute=self._actors(files), batch_format="numpy")
        for row in ds.iter_rows():
            yield int(row["i"]), pickle.loads(row["results"])

    def close(self) -> None:
        pass
