"""OpenCC converters, built once per process.

Converters are expensive to build (they load dictionaries) and cheap to call,
so each configuration is built on first use and kept. The "tofu risk"
dictionaries map to characters many fonts cannot show; they are left out
whenever the installed OpenCC lets us.

Loading the dictionaries costs a process about a tenth of a second, so the
conversions every run makes (the character tables and the names of the
shipped packs) are also kept in ``converted.json``, written by
``python -m chipclean.zh.memo`` with the OpenCC version named in it: a process
that finds that version installed reads them from there instead.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

MEMO_FILE = Path(__file__).with_name("converted.json")

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
    known = memo().get("convert", {}).get(config, {}).get(text)
    return known if known is not None else converter(config).convert(text)


@functools.lru_cache(maxsize=1)
def memo() -> dict:
    """The kept conversions, or {} when they were made with another OpenCC."""
    try:
        data = json.loads(MEMO_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    import opencc

    return data if data.get("opencc") == getattr(opencc, "__version__", None) else {}
