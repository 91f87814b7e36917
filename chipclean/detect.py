"""``chipclean detect``: languages of documents, and of paragraphs.

One line per document: name, language, score and the languages present in
its paragraphs (tab-separated); with ``--segments`` an indented line per
segment (start-end offsets, language, score, preview). ``--json`` prints one
object per document instead.
"""

from __future__ import annotations

import json
import sys

from . import exitcodes
from .config import Config
from .io.inputs import InputError, discover, jsonl_records, read_bytes, text_document
from .pipeline import Cleaner


def detect_paths(paths: list[str], *, segments: bool, as_json: bool, text_field: str, backend: str) -> int:
    config = Config(stages=("langid",), segments=segments, lang_backend=backend, default_rules=False)
    cleaner = Cleaner(config)
    errors: list[InputError] = []
    files = discover(paths, errors)
    for e in errors:
        print(f"error: {e}", file=sys.stderr)
    for f in files:
        try:
            data = read_bytes(f)
            if f.is_jsonl:
                docs = []
                for _, _, doc, err in jsonl_records(f, iter(data.splitlines()), text_field):
                    if err is not None:
                        errors.append(err)
                        print(f"error: {err}", file=sys.stderr)
                    elif doc is not None:
                        docs.append(doc)
            else:
                docs = [text_document(f, data).doc]
        except InputError as exc:
            errors.append(exc)
            print(f"error: {exc}", file=sys.stderr)
            continue
        for doc in docs:
            cleaner.clean(doc)
            # a record is named by its id, a text file by the path as given
            _emit(doc.id if f.is_jsonl and doc.id else f.path, doc, segments, as_json)
    return exitcodes.ERROR if errors else exitcodes.SUCCESS


def _emit(name: str, doc, segments: bool, as_json: bool) -> None:
    segs = doc.metadata.get("segments", []) if segments else []
    langs = doc.metadata.get("langs", [])
    if as_json:
        obj = {"id": name, "lang": doc.lang, "score": doc.lang_score, "langs": langs,
               "by": doc.metadata.get("lang_by")}
        if segments:
            obj["segments"] = segs
        print(json.dumps(obj, ensure_ascii=False))
        return
    score = f"{doc.lang_score:.2f}" if doc.lang_score is not None else "-"
    print(f"{name}\t{doc.lang or 'und'}\t{score}\t{','.join(langs)}")
    for seg in segs:
        preview = seg.get("preview", "")
        print(f"  {seg.get('start')}-{seg.get('end')}\t{seg.get('lang')}\t{seg.get('score', 0):.2f}\t{preview}")
