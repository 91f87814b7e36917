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
_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f]")
_BLANK_RUNS = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
_FULLWIDTH_ALNUM = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+")
# ASCII , : ; ! ? between two CJK characters becomes its full-width form; a
# space typed after it goes too (观点, 不代表 -> 观点，不代表)
_CJK = r"[\p{Han}\u3000-\u303f\uff00-\uffef]"
_ASCII_PUNCT = regex.compile(rf"(?<={_CJK})([,:;!?]) ?(?={_CJK})")
_FULLWIDTH_PUNCT = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？"}
# Chinese Copywriting Guidelines: a space between Han and Latin letters or
# digits (a percent sign stays with its number)
_CJK_LATIN = regex.compile(r"(?<=\p{Han})(?=[A-Za-z0-9])|(?<=[A-Za-z0-9%])(?=\p{Han})")

# The characters the nbsp, zero-width and full-width folds replace, in one
# class: the standard library's engine skips through text without them at C
# speed, and the folds never write one, so one look serves all three.
_SPECIAL = re.compile(
    r"[\u00a0\u2000-\u200d\u202f\u205f\u2060\ufeff\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]"
).search
# An ASCII , : ; ! ? just after a non-ASCII character (where a CJK one must be
# for the punctuation fold). Led by the punctuation, so the engine only stops
# at punctuation, which Chinese text rarely writes in ASCII.
_WIDE_PUNCT = re.compile(r"[,:;!?](?<=[^\x00-\x7f].)")
# Both of the above in one scan, led by one class for the same reason.
_ANY_WIDE = re.compile(
    r"[\u00a0\u2000-\u200d\u202f\u205f\u2060\ufeff\uff10-\uff19\uff21-\uff3a\uff41-\uff5a,:;!?]"
    r"(?:(?<=[,:;!?])(?<=[^\x00-\x7f].)|(?<![,:;!?]))"
).search
_LINE_SPACE = (" \n", "\t\n", "\u3000\n")
_END_SPACE = (" ", "\t", "\u3000")


def _trailing_space(text: str) -> bool:
    return text.endswith(_END_SPACE) or any(s in text for s in _LINE_SPACE)


# A space before a newline, or (with none there) a run of blank lines, which
# is then "\n\n\n". Led by the newline, so the engine skips to each one.
_LINE_ENDS = r"\n(?:(?<=[ \t\u3000]\n)|\n\n)"
_ASCII_LOUD = re.compile(_LINE_ENDS).search
# The same and _ANY_WIDE in one scan, led by one class of the characters
# each starts with.
_LOUD = re.compile(
    r"[\u00a0\u2000-\u200d\u202f\u205f\u2060\ufeff\uff10-\uff19\uff21-\uff3a\uff41-\uff5a,:;!?\n]"
    r"(?:(?<=\n)(?:(?<=[ \t\u3000]\n)|\n\n)|(?<=[,:;!?])(?<=[^\x00-\x7f].)|(?<![,:;!?\n]))"
).search


def _quiet(text: str) -> bool:
    """True when no fold can apply: one C-level scan, so a clean document
    costs next to nothing."""
    if text.endswith(_END_SPACE):
        return False
    return not (_ASCII_LOUD(text) if text.isascii() else _LOUD(text))


def _trailing_matches(text: str):
    """The spans ``[ \t\u3000]+$`` (multi-line) matches: the run of spaces
    at the end of each line."""
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        if line.endswith(_END_SPACE):
            yield end - (len(line) - len(line.rstrip(" \t\u3000"))), end
        pos = end + 1


def _punct_matches(text: str):
    # the pattern is tried only where an ASCII mark follows a non-ASCII
    # character, the one place it can match
    for m in _WIDE_PUNCT.finditer(text):
        hit = _ASCII_PUNCT.match(text, m.start())
        if hit:
            yield hit.start(), hit.end(), _FULLWIDTH_PUNCT[hit.group(1)]


def _halfwidth(m) -> str:
    return "".join(chr(ord(c) - 0xFEE0) for c in m.group())


def _spans(pattern, repl):
    return lambda text: ((m.start(), m.end(), repl(m)) for m in pattern.finditer(text))


# Spaces first: whether a joiner goes depends on its neighbours, so they must
# already be in their final form (a joiner beside a no-break space would
# otherwise only go on a second cleaning). Each rule has a cheap first look:
# when it finds nothing the rule cannot match and its pass is skipped.
_RULES = (
    ("normalize.nbsp", _SPACES.search, _spans(_SPACES, lambda m: " ")),
    ("normalize.zero-width", re.compile(r"[\u200b-\u200d\u2060\ufeff]").search, _spans(_ZERO_WIDTH, lambda m: "")),
    # a plain class, not the pattern's run of it: the engine skips to a member
    # of a class at C speed, but tries a repeat at every position
    ("normalize.fullwidth-alnum", re.compile(_FULLWIDTH_ALNUM.pattern[:-1]).search, _spans(_FULLWIDTH_ALNUM, _halfwidth)),
    ("normalize.cjk-punctuation", _WIDE_PUNCT.search, _punct_matches),
    ("normalize.trailing-space", _trailing_space, lambda text: ((a, b, "") for a, b in _trailing_matches(text))),
    ("normalize.blank-lines", _BLANK_RUNS.search, _spans(_BLANK_RUNS, lambda m: "\n\n")),
)

_SPECIAL_RULES = frozenset(("normalize.nbsp", "normalize.zero-width", "normalize.fullwidth-alnum"))


class NormalizeStage(Stage):
    name = "normalize"

    def process(self, doc) -> None:
        if not _quiet(doc.text):
            special = not doc.text.isascii() and _SPECIAL(doc.text)
            for rule, look, spans in _RULES:
                if rule in _SPECIAL_RULES and not special or not look(doc.text):
                    continue
                changed = self._run(doc, rule, spans)
                # removing a zero-width space can leave a joiner between plain
                # characters, where it goes too: repeat until nothing changes
                while changed and rule == "normalize.zero-width":
                    changed = self._run(doc, rule, spans)
        if self.config.cjk_spacing:
            self._run(doc, "normalize.cjk-spacing", _spans(_CJK_LATIN, lambda m: " "))

    def _run(self, doc, rule, spans) -> bool:
        changes = [Change(a, b, after, rule) for a, b, after in spans(doc.text)]
        if changes:
            doc.apply(self.name, changes)
        return bool(changes)
