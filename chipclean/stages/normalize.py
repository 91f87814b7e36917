"""``normalize``: whitespace and CJK-safe typography.

Never applies NFKC: it would rewrite Chinese punctuation and compatibility
ideographs. Only the specific folds below are made, each as its own rule.
"""

from __future__ import annotations

import regex

from ..document import Change
from .base import Stage

_ZERO_WIDTH = regex.compile(r"[\u200b\u200c\u200d\u2060\ufeff]+")
_NBSP = regex.compile(r"[\u00a0\u2007\u202f]")
_TRAILING = regex.compile(r"[ \t]+$", regex.MULTILINE)
_BLANK_RUNS = regex.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
_FULLWIDTH_ALNUM = regex.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+")
# ASCII , : ; ! ? between two CJK characters becomes its full-width form
_CJK = r"[\p{Han}\u3000-\u303f\uff00-\uffef]"
_ASCII_PUNCT = regex.compile(rf"(?<={_CJK})[,:;!?](?={_CJK})")
_FULLWIDTH_PUNCT = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？"}
_FAST = regex.compile(r"[\u00a0\u2007\u202f\u200b-\u200d\u2060\ufeff\uff10-\uff5a]|[ \t]\n|[ \t]$|\n[ \t]*\n[ \t]*\n|\p{Han}[,:;!?]")


class NormalizeStage(Stage):
    name = "normalize"

    def process(self, doc) -> None:
        if not _FAST.search(doc.text):
            return
        for rule, pattern, repl in (
            ("normalize.zero-width", _ZERO_WIDTH, lambda m: ""),
            ("normalize.nbsp", _NBSP, lambda m: " "),
            ("normalize.fullwidth-alnum", _FULLWIDTH_ALNUM, lambda m: "".join(chr(ord(c) - 0xFEE0) for c in m.group())),
            ("normalize.cjk-punctuation", _ASCII_PUNCT, lambda m: _FULLWIDTH_PUNCT[m.group()]),
            ("normalize.trailing-space", _TRAILING, lambda m: ""),
            ("normalize.blank-lines", _BLANK_RUNS, lambda m: "\n\n"),
        ):
            text = doc.text
            doc.apply(self.name, [Change(m.start(), m.end(), repl(m), rule) for m in pattern.finditer(text)])
