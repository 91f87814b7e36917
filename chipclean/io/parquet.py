"""Parquet shards: read as jobs of records, written back as Parquet.

Each row becomes a JSON record holding only what cleaning reads (the text
field, ``id`` and the source fields, when their values are JSON values) and
its row number, so rows are cleaned by the very code that cleans JSONL
records (:func:`chipclean.chunks.clean_job`), with the same ids, sources and
line numbers as the same records in a JSONL file. The other columns never go
through JSON: the output shard is the input's rows that were kept, in the
input's schema, with the text column replaced and chipclean's metadata added
as a column of JSON strings (``meta_field``; null for a row that could not be
cleaned and went through unchanged).

pyarrow comes with the ray extra; it is imported only when a shard is read.
"""

from __future__ import annotations

import json
from typing import Iterator

from .inputs import SOURCE_FIELDS, InputError, InputFile

#: the key carrying a record's row number through cleaning (no column can be
#: named like this and clash with it: it is dropped before writing)
ROW_KEY = "\x00row"
_READ_FIELDS = ("id", *SOURCE_FIELDS)
_JSON_VALUES = (str, int, float, bool, type(None))


def is_parquet(path: str) -> bool:
    return path.lower().endswith(".parquet")


def _open(path: str):
    import pyarrow.parquet as pq

    if "://" in path:  # an object store, or file://, through pyarrow's filesystems
        from pyarrow import fs

        filesystem, inner = fs.FileSystem.from_uri(path)
        return pq.ParquetFile(filesystem.open_input_file(inner))
    return pq.ParquetFile(path)


def shard_batches(f: InputFile, rows: int) -> Iterator:
    """The record batches of a shard (one empty batch for an empty shard);
    raises InputError when it can't be read."""
    try:
        import pyarrow as pa
    except ImportError:
        raise InputError(f.path, "reading Parquet needs pyarrow: pip install 'chipclean[ray]'") from None
    try:
        pf = _open(f.path)
        empty = True
        for batch in pf.iter_batches(batch_size=rows):
            empty = False
            yield batch
        if empty:
            schema = pf.schema_arrow
            yield pa.record_batch([pa.array([], type=field.type) for field in schema], schema=schema)
    except (OSError, ValueError) as exc:  # pyarrow's ArrowIOError, ArrowInvalid
        raise InputError(f.path, f"cannot read Parquet: {exc}") from None


def batch_lines(batch, text_field: str) -> list[bytes]:
    """A JSON record per row with what cleaning reads, and the row number."""
    names = [n for n in (text_field, *_READ_FIELDS) if n in batch.schema.names]
    columns = {n: batch.column(n).to_pylist() for n in dict.fromkeys(names)}
    lines = []
    for i in range(batch.num_rows):
        record: dict = {ROW_KEY: i}
        for name, values in columns.items():
            if isinstance(values[i], _JSON_VALUES):
                record[name] = values[i]
        lines.append(json.dumps(record, ensure_ascii=False).encode("utf-8"))
    return lines


def cleaned_batch(batch, out: str, text_field: str, meta_field: str):
    """``batch`` with the rows ``out`` (the JSONL the cleaner wrote for it)
    kept, their cleaned text and a metadata column."""
    import pyarrow as pa

    rows, texts, metas = [], {}, []
    for line in out.split("\n"):
        if not line:
            continue
        record = json.loads(line)
        row = record[ROW_KEY]
        rows.append(row)
        meta = record.get(meta_field)
        if meta is not None:  # cleaned; otherwise passed through unchanged
            texts[row] = record[text_field]
        metas.append(None if meta is None else json.dumps(meta, ensure_ascii=False))
    kept = batch.take(pa.array(rows, type=pa.int64()))
    names = kept.schema.names
    columns = list(kept.columns)
    fields = list(kept.schema)
    if text_field in names:
        i = names.index(text_field)
        original = kept.column(i).to_pylist()
        values = [texts.get(row, value) for row, value in zip(rows, original)]
        columns[i] = pa.array(values, type=fields[i].type)
    meta_column = pa.array(metas, type=pa.string())
    if meta_field in names:
        i = names.index(meta_field)
        columns[i], fields[i] = meta_column, pa.field(meta_field, pa.string())
    else:
        columns.append(meta_column)
        fields.append(pa.field(meta_field, pa.string()))
    return pa.RecordBatch.from_arrays(columns, schema=pa.schema(fields, metadata=kept.schema.metadata))


def shard_bytes(batches: list) -> bytes:
    """The cleaned batches (at least one) as one Parquet file."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_batches(batches)
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return sink.getvalue().to_pybytes()
