"""UTF-8 seen as Latin-1 by something that then dropped the C1 controls.

Curly quotes, apostrophes and dashes are three bytes in UTF-8, E2 80 xx, and
for the commonest of them every byte after E2 falls in 0x80-0x9F: Latin-1
shows those as C1 controls, and a sanitizer that strips control characters
leaves a bare "â" (``Itâs``, ``âbigâ``, ``deal â really``). ftfy can't
read that back, since the bytes are gone. A bullet or an ellipsis keeps its
last byte (``â¢``, ``â¦``) and loses only the one in the middle.

A bare "â" could be any of a dozen marks, and "â" is a letter in French,
Portuguese, Romanian and Vietnamese, so it is read only where its place says
which mark it was: inside an English contraction or after a possessive
noun (’), opening and closing a quotation on the same line (“ ”), between
spaces (—), between digits (–) or after the last word of a line (→, as
in "Read more →"). A line that also holds a Latin-1 letter
outside any mojibake is real Latin-1 text and is left alone.
"""

from __future__ import annotations

import regex

from .spans import Repair
from .thai import CLEAR, _candidates, _context
from .utf8search import _inserted

# Where "â" can stand for a lost mark, and what it was.
_CONTRACTION = regex.compile(
    r"(?i)(?:\b(?:it|that|there|here|what|who|he|she|let|i|you|we|they|don|doesn|didn|isn|aren|wasn|"
    r"weren|hasn|haven|hadn|can|couldn|won|wouldn|shouldn|mustn|ain)â(?:s|t|d|m|ll|re|ve)"
    r"|[\p{L}\p{N}]â(?:s|d|ll|re|ve))(?![\p{L}\p{N}])"
)
_OPEN = regex.compile(r"(?:^|(?<=[\s(\[]))â(?=[\p{L}\p{N}])")
_CLOSE = regex.compile(r"(?<=[\p{L}\p{N}.,!?%)])â(?=[\s.,;:!?)\]]|$)")
_SPACED = regex.compile(r"(?<= )â(?= )")
_RANGE = regex.compile(r"(?<=\d)â(?=\d)")
# "Read more â" at the end of a line: the arrow of a link
_TRAILING = regex.compile(r"(?<= )â$")
# "â" with one continuation byte left: the byte between them was lost
_ONE_LOST = regex.compile(r"â([\xa0-\xbf])")
# Latin-1 letters that mojibake doesn't explain: the line is Latin-1 text
# in its own right (a UTF-8 lead byte followed by continuation bytes is mojibake)
_OWN_LATIN1 = regex.compile(r"[\xc0-\xff](?![\xa0-\xbf])")
CHAIN = "utf-8 read as latin-1 with the C1 bytes dropped, the mark read from its place"
# a guess from the place alone, however clear the place
CONFIDENCE = 0.9


def repair_line(line: str, offset: int = 0) -> list[Repair]:
    """The repairs for one line, or [] when it shows none of these marks."""
    if "â" not in line or _OWN_LATIN1.search(line.replace("â", "")):
        return []
    found: dict[int, tuple[int, str]] = {}  # start -> (end, mark)
    for m in _CONTRACTION.finditer(line):
        at = m.start() + m.group().index("â")
        found[at] = (at + 1, "’")
    opens = [m.start() for m in _OPEN.finditer(line) if m.start() not in found]
    closes = [m.start() for m in _CLOSE.finditer(line) if m.start() not in found]
    # quotation marks only in pairs, each opening before its closing one
    for a, b in zip(opens, closes):
        if a < b:
            found[a] = (a + 1, "“")
            found[b] = (b + 1, "”")
    for rx, mark in ((_SPACED, "—"), (_RANGE, "–"), (_TRAILING, "→")):
        for m in rx.finditer(line):
            found.setdefault(m.start(), (m.end(), mark))
    for m in _ONE_LOST.finditer(line):
        mark = _one_lost(line, m)
        if mark is not None:
            found.setdefault(m.start(), (m.end(), mark))
    # a bare "â" lost two bytes, "â¢" one
    return [Repair(offset + a, offset + b, mark, CHAIN, 3 - (b - a), CONFIDENCE) for a, (b, mark) in sorted(found.items())]


def _one_lost(line: str, m) -> str | None:
    """The character E2 ?? xx that a web page most likely showed here, when
    it is clear (the plausibility prior, and the place for the marks whose
    use depends on it: • and ™ differ only in the lost byte)."""
    pattern = (0xE2, _inserted(ord(m.group(1))), ord(m.group(1)))
    cands = _candidates(pattern)
    if not cands:
        return None
    before, after = line[max(0, m.start() - 8) : m.start()], line[m.end() : m.end() + 8]
    if before.endswith("â"):
        before = before[:-1] + "\ufffd"  # a mark still unread is no letter
    pool = {ch for _, ch in cands}
    band = cands[0][0] + 4.5
    scored = sorted((c + _context(ch, before, after, pool) + _TRADEMARK.get(ch, 0.0) * _word_end(before), ch)
                    for c, ch in cands if c <= band)
    if len(scored) > 1 and scored[1][0] - scored[0][0] < CLEAR:
        return None
    return scored[0][1]


# ™ follows a name; anything else that fits is likelier where no name ends
_TRADEMARK = {"™": -1.0, "•": 1.0}


def _word_end(before: str) -> float:
    return 1.0 if before[-1:].isalnum() else -1.0
