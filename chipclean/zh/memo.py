"""Write ``converted.json``: the OpenCC conversions every run makes, kept so
that a process need not load OpenCC's dictionaries (see :mod:`.convert`).

Run ``python -m chipclean.zh.memo`` after changing the Chinese names of the
shipped entity packs or upgrading OpenCC.
"""

from __future__ import annotations

import json


def build() -> dict:
    import opencc

    from ..config import Config
    from ..pipeline import Cleaner
    from . import convert as conv
    from . import mentions, script

    calls: dict[str, dict[str, str]] = {}

    def recording(config: str, text: str) -> str:
        out = conv.converter(config).convert(text)
        calls.setdefault(config, {})[text] = out
        return out

    simp, trad = script.compute_char_tables()
    kept = mentions.convert
    mentions.convert = recording
    try:
        rules = Cleaner(Config()).rules.rules_for("entities")
        mentions.EntityMatcher([r for r in rules if r.kind == "entity"])
    finally:
        mentions.convert = kept
    return {
        "opencc": opencc.__version__,
        "tables": {name: ["".join(t), "".join(t.values())] for name, t in (("simp", simp), ("trad", trad))},
        "convert": {c: dict(sorted(calls[c].items())) for c in sorted(calls)},
    }


def main() -> None:
    from .convert import MEMO_FILE

    MEMO_FILE.write_text(json.dumps(build(), ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(MEMO_FILE)


if __name__ == "__main__":
    main()
