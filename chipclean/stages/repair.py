"""``repair``: undo mojibake and encoding residue.

ftfy is run with Chinese-safe settings: no full-width folding (it rewrites
Chinese punctuation), no quote uncurling and no NFKC/NFC, so clean Chinese,
Japanese and English text comes out byte-identical. Lines that cannot hold
mojibake are skipped by one compiled scan before ftfy is ever imported.
"""

from __future__ import annotations

import regex

from ..document import Change
from .base import Stage

# Characters that appear when UTF-8 is decoded with a single-byte codec. A line
# with none of them cannot be ftfy-style mojibake.
_SUSPECT = regex.compile(r"[\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122\ufffd]")


def _ftfy_config():
    import ftfy

    return ftfy.TextFixerConfig(
        fix_character_width=False,
        uncurl_quotes=False,
        normalization=None,
        fix_latin_ligatures=False,
        explain=False,
    )


class RepairStage(Stage):
    name = "repair"

    def __init__(self, config, rules):
        super().__init__(config, rules)
        self._ftfy = None

    def process(self, doc) -> None:
        text = doc.text
        if text.isascii() or not _SUSPECT.search(text):
            return
        if self._ftfy is None:
            import ftfy

            self._ftfy = (ftfy.fix_text, _ftfy_config())
        fix, cfg = self._ftfy
        changes = []
        pos = 0
        for line in text.splitlines(keepends=True):
            body = line.rstrip("\r\n")
            if body and not body.isascii() and _SUSPECT.search(body):
                fixed = fix(body, cfg)
                if fixed != body:
                    changes.append(Change(pos, pos + len(body), fixed, "repair.ftfy"))
            pos += len(line)
        doc.apply(self.name, changes)
