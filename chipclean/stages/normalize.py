"""``normalize``: whitespace and CJK-safe typography.

Never applies NFKC: it would rewrite Chinese punctuation (，→,) and
compatibility ideographs. Only the specific folds below are made, each as its
own rule, and curly quotes, 《》【】「」 and punctuation in Latin-script text are
never touched.
"""

from __future__ import annotations

import re

import regex

from ..document import Change
from .base import Stage

# Characters that decide whether a zero-width joiner is typography noise:
# between Han, ASCII or CJK punctuation it is; beside emoji or in scripts that
# need it (Arabic, Indic) it is meaningful and stays.
_PLAIN = r"\p{Han}\x00-\x7f\u3000-\u303f\uff00-\uffef"
_ZERO_WIDTH = regex.compile(
    rf"[\u200b\u2060\ufeff]+|(?<![^{_PLAIN}])[\u200c\u200d]+(?![^{_PLAIN}])"
)
_SPACES = regex.compile(r"[\u00a0\u2000-\u200a\u202f\u205f]")
_TRAILING = regex.compile(r"[ \t\u3000]+$", regex.MULTILINE)
_BLANK_RUNS = regex.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
_FULLWIDTH_ALNUM = regex.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+")
# ASCII , : ; ! ? between two CJK characters becomes its full-width form; a
# space typed after it goes too (观点, 不代表 -> 观点，不代表)
_CJK = r"[\p{Han}\u3000-\u303f\uff00-\uffef]"
_ASCII_PUNCT = regex.compile(rf"(?<={_CJK})([,:;!?]) ?(?={_CJK})")
_FULLWIDTH_PUNCT = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？"}
# Chinese Copywriting Guidelines: a space between Han and Latin letters or
# digits (a percent sign stays with its number)
_CJK_LATIN = regex.compile(r"(?<=\p{Han})(?=[A-Za-z0-9])|(?<=[A-Za-z0-9%])(?=\p{Han})")
_FAST = regex.compile(
    r"[\u00a0\u2000-\u200d\u202f\u205f\u2060\ufeff\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]"
    rf"|[ \t\u3000]\n|[ \t\u3000]\Z|\n[ \t]*\n[ \t]*\n|{_CJK}[,:;!?]"
)


# _FAST in stdlib ``re``, some five times quicker, with any non-ASCII
# character standing in for a CJK one: a clean document ends here
_FAST_LOOK = re.compile(
    r"[\u00a0\u2000-\u200d\u202f\u205f\u2060\ufeff\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]"
    r"|[ \t\u3000]\n|[ \t\u3000]\Z|\n[ \t]*\n[ \t]*\n|[^\x00-\x7f][,:;!?]"
).search

# A cheap first look for each rule (stdlib ``re`` on plain character
# classes): a rule whose look finds nothing cannot match, so its pass over
# the text is skipped.
_LOOKS = {
    "normalize.nbsp": re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f]").search,
    "normalize.zero-width": re.compile(r"[\u200b-\u200d\u2060\ufeff]").search,
    "normalize.fullwidth-alnum": re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]").search,
    # needs a CJK character beside the punctuation, and those are not ASCII
    "normalize.cjk-punctuation": lambda text: not text.isascii(),
    "normalize.trailing-space": re.compile(r"[ \t\u3000]$", re.MULTILINE).search,
    "normalize.blank-lines": re.compile(r"\n[ \t]*\n[ \t]*\n").search,
}


def _halfwidth(m) -> str:
    return "".join(chr(ord(c) - 0xFEE0) for c in m.group())


# Spaces first: whether a joiner goes depends on its neighbours, so they must
# already be in their final form (a joiner beside a no-break space would
# otherwise only go on a second cleaning).
_RULES = (
    ("normalize.nbsp", _SPACES, lambda m: " "),
    ("normalize.zero-width", _ZERO_WIDTH, lambda m: ""),
    ("normalize.fullwidth-alnum", _FULLWIDTH_ALNUM, _halfwidth),
    ("normalize.cjk-punctuation", _ASCII_PUNCT, lambda m: _FULLWIDTH_PUNCT[m.group(1)]),
    ("normalize.trailing-space", _TRAILING, lambda m: ""),
    ("normalize.blank-lines", _BLANK_RUNS, lambda m: "\n\n"),
)


class NormalizeStage(Stage):
    name = "normalize"

    def process(self, doc) -> None:
        spacing = self.config.cjk_spacing
        if _FAST_LOOK(doc.text) and _FAST.search(doc.text):
            for rule, pattern, repl in _RULES:
                if not _LOOKS[rule](doc.text):
                    continue
                changed = self._run(doc, rule, pattern, repl)
                # removing a zero-width space can leave a joiner between plain
                # characters, where it goes too: repeat until nothing changes
                while changed and rule == "normalize.zero-width":
                    changed = self._run(doc, rule, pattern, repl)
        if spacing:
            self._run(doc, "normalize.cjk-spacing", _CJK_LATIN, lambda m: " ")

    def _run(self, doc, rule, pattern, repl) -> bool:
        text = doc.text
        changes = [Change(m.start(), m.end(), repl(m), rule) for m in pattern.finditer(text)]
        if changes:
            doc.apply(self.name, changes)
        return bool(changes)
