"""OpenCC converters, built once per process.

Converters are expensive to build (they load dictionaries) and cheap to call,
so each configuration is built on first use and kept. The "tofu risk"
dictionaries map to characters many fonts cannot show; they are left out
whenever the installed OpenCC lets us.
"""

from __future__ import annotations

import functools

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
