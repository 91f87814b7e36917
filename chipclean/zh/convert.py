"""OpenCC converters, built once per process.

Converters are expensive to build (they load dictionaries) and cheap to call,
so each configuration is built on first use and kept. The "tofu risk"
dictionaries map to characters many fonts cannot show; they are left out
whenever the installed OpenCC lets us.

Loading the dictionaries and deriving the character tables costs a process
a few tenths of a second, every run, for the same answers: the character
tables and the conversions of the rule packs' Chinese names. Those answers
are kept in a cache file per OpenCC version
(``$CHIPCLEAN_CACHE_DIR``, else ``$XDG_CACHE_HOME/chipclean`` or
``~/.cache/chipclean``), written by the first process that works them out.
The file only ever holds what OpenCC itself returned, so output is the same
with or without it; ``CHIPCLEAN_CACHE_DIR=""`` turns it off, and a cache that
can't be read or written is simply not used.
"""

from __future__ import annotations

import functools
import json
import os
import tempfile
from pathlib import Path

#: ``--zh-script`` target -> the OpenCC configuration that converts to it.
#: Sources are Simplified for every Traditional target: a Traditional
#: paragraph is already in the target script and is left alone.
TARGETS = {"hans": "t2s", "hant": "s2t", "tw": "s2tw", "twp": "s2twp", "hk": "s2hk"}


@functools.lru_cache(maxsize=None)
def converter(config: str):
    import opencc

    try:
        return opencc.OpenCC(config, include_tofu_risk_dictionaries=False)
    except TypeError:  # an OpenCC without the option
        return opencc.OpenCC(config)


def convert(config: str, text: str) -> str:
    return converter(config).convert(text)


# what this process worked out that the cache file did not have
_fresh: dict = {"convert": {}, "tables": None}


def convert_name(config: str, text: str) -> str:
    """:func:`convert` for a rule pack's name, answered from the cache when it can be."""
    known = memo().get("convert", {}).get(config, {}).get(text)
    if known is not None:
        return known
    out = convert(config, text)
    _fresh["convert"].setdefault(config, {})[text] = out
    return out


def remember_tables(tables: dict) -> None:
    _fresh["tables"] = tables


def cache_file() -> Path | None:
    where = os.environ.get("CHIPCLEAN_CACHE_DIR")
    if where == "":
        return None
    if where is None:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        if not os.path.isabs(base):  # no home folder to be found: no cache
            return None
        where = os.path.join(base, "chipclean")
    import opencc

    return Path(where) / f"opencc-{getattr(opencc, '__version__', 'unknown')}.json"


@functools.lru_cache(maxsize=1)
def memo() -> dict:
    """The cached answers, or {} when there are none."""
    path = cache_file()
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save() -> None:
    """Add what this process worked out to the cache file (atomically: other
    processes may read or write it at the same time)."""
    if not _fresh["convert"] and _fresh["tables"] is None:
        return
    path = cache_file()
    if path is None:
        return
    data = {"convert": {c: dict(t) for c, t in memo().get("convert", {}).items()}, "tables": memo().get("tables")}
    for config, table in _fresh["convert"].items():
        data["convert"].setdefault(config, {}).update(table)
    if _fresh["tables"] is not None:
        data["tables"] = _fresh["tables"]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".opencc-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, sort_keys=True)
        os.replace(tmp, path)
    except OSError:
        return
    _fresh["convert"], _fresh["tables"] = {}, None
    memo.cache_clear()
