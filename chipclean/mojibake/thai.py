"""UTF-8 read as Thai TIS-620 / cp874, with the C1 bytes lost.

TIS-620 maps bytes 0xA1-0xFB to Thai letters and has nothing at 0x80-0x9F, so
when a Western page's UTF-8 goes through it, ``•`` (E2 80 A2) becomes ``โข``
with the 0x80 gone, ``⚡`` becomes ``โก`` and a flag becomes ``๐จ๐ณ``; 0xA0 comes
out as a no-break space that later turns into a plain space.

Each short Thai run inside non-Thai text is read back as bytes, the lost C1
bytes are searched for (:mod:`.utf8search`, scored with the web-text prior),
and a reading is accepted only if it contains no Thai at all. Where several
characters fit equally well, the neighbours decide for the few marks whose use
depends on position (quotes, apostrophes, dashes, arrows, flags); a character
that still can't be told apart is *unrecoverable* and left to the caller.
Genuine Thai never qualifies: it is long runs, and its bytes are not UTF-8.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from .prior import PICTOGRAPH, WEB, cost
from .utf8search import Mode, candidates, search

THAI = regex.compile(r"[\u0e01-\u0e5b]")
# Thai letters, possibly with spaces inside (a space may be a lost 0xA0).
RUN = regex.compile(r"[\u0e01-\u0e5b](?:[\u0e01-\u0e5b ]*[\u0e01-\u0e5b])?")
_MODE = Mode(
    script=WEB,
    insert_bytes=tuple(range(0x80, 0xA0)),
    insert_cost=0.25,
    unknown_cost=0.0,
    nbsp_space=True,
    max_unknown=3,
)
MAX_RUN = 12  # Thai characters in one run; real Thai words and phrases run longer
CLEAR = 0.5  # how much better the best character must be than the runner-up
_REGIONAL = range(0x1F1E6, 0x1F200)


@dataclass(frozen=True)
class Piece:
    start: int
    end: int
    text: str  # the repair, with U+FFFD for each character that could not be recovered
    recovered: bool
    note: str


# Mojibake comes in runs of at most four Thai characters per emoji; Thai words
# run longer. One long run means the document has real Thai in it.
_WORD = regex.compile(r"[\u0e01-\u0e5b]{10}")


def mostly_thai(text: str) -> bool:
    """True for text that has Thai in its own right (then nothing is touched)."""
    return bool(_WORD.search(text))


def _bytes_of(run: str) -> list[int]:
    return [0x20 if ch == " " else ord(ch) - 0x0E00 + 0xA0 for ch in run]


def repair_runs(line: str, offset: int = 0) -> list[Piece]:
    pieces: list[Piece] = []
    for m in RUN.finditer(line):
        run = m.group()
        if sum(1 for ch in run if ch != " ") > MAX_RUN:
            continue
        found = _repair_run(line, m.start(), m.end(), offset)
        # A space after the run may have been a no-break space (byte 0xA0)
        # that ended the last character, but only when the run can't be read
        # without it: if both readings are possible, neither can be trusted.
        if not found and m.end() < len(line) and line[m.end()] == " ":
            found = _repair_run(line, m.start(), m.end() + 1, offset)
        pieces.extend(found)
    return pieces


def _repair_run(line: str, a: int, b: int, offset: int) -> list[Piece]:
    run = line[a:b]
    slots = [(0, x) for x in _bytes_of(run)]
    reading = search(slots, _MODE)
    if reading is None or THAI.search(reading.text):
        return []
    # Every character must be one a Western page would show; anything else
    # means these were Thai letters after all.
    if any(cost(ch, WEB) > PICTOGRAPH for ch in reading.text if ch > "\x7f"):
        return []
    chars = reading.chars
    chosen: list[str | None] = []
    margins = []
    for k, (ch, unknown, margin, pattern) in enumerate(chars):
        if not unknown:
            chosen.append(ch)
            continue
        pick, margin = _decide(_candidates(pattern), line, a, b, chars, k, chosen)
        chosen.append(pick)
        margins.append(margin)
    # a selector or joiner means nothing once the emoji before it is lost
    for k in range(1, len(chosen)):
        if chosen[k] in ("\ufe0f", "\u200d") and chosen[k - 1] is None:
            chosen[k] = None
    lost = chosen.count(None)
    text = "".join("\ufffd" if ch is None else ch for ch in chosen)
    if lost:
        note = f"utf-8 read as tis-620 with C1 bytes lost; {lost} character(s) could not be recovered"
    else:
        # how far the chosen characters were ahead of their runners-up
        sure = min(margins, default=float("inf"))
        conf = 1.0 if sure == float("inf") else min(0.99, 0.5 + sure / 6)
        note = f"utf-8 read as tis-620 with C1 bytes lost, restored; confidence {conf:.2f}"
    return [Piece(offset + a, offset + b, text, not lost, note)]


@lru_cache(maxsize=4096)
def _candidates(pattern):
    return candidates(_MODE, pattern, limit=64)


def _decide(cands, line, a, b, chars, k, chosen) -> tuple[str | None, float]:
    """The character that fits best here and its lead, or None when it's a toss-up."""
    if not cands:
        return None, 0.0
    before = line[max(0, a - 8) : a] + "".join(c for c in chosen if c)
    after = "".join(c[0] for c in chars[k + 1 :]) + line[b : b + 8]
    pool = {ch for _, ch in cands}
    # context moves a candidate by at most a few points; the rest can't win
    band = cands[0][0] + 4.5
    scored = sorted((c + _context(ch, before, after, pool), ch) for c, ch in cands if c <= band)
    best = scored[0]
    runner = scored[1][0] if len(scored) > 1 else float("inf")
    if runner - best[0] < CLEAR:
        return None, runner - best[0]
    return best[1], runner - best[0]


_CONTRACTION = regex.compile(r"(?:s|t|d|m|ll|re|ve)(?![\p{L}])")
_OPENERS = "([{<"


def _context(ch: str, before: str, after: str, pool: set[str]) -> float:
    """Adjust a candidate's cost by its neighbours (negative is better)."""
    prev = before[-1:] 
    nxt = after[:1]
    p_word = prev.isalnum()
    n_word = nxt.isalnum()
    p_space = prev == "" or prev.isspace() or prev in _OPENERS
    n_space = nxt == "" or nxt.isspace()
    n_punct = not (n_space or n_word)
    if ch == "’":
        if p_word and _CONTRACTION.match(after):
            return -4.0
        return -2.0 if p_word and n_word else 0.0
    if ch == "“":
        return -3.0 if p_space and not n_space else 0.0
    if ch == "”":
        return -3.0 if not p_space and (n_space or n_punct) else 0.0
    if ch == "‘":
        return -1.0 if p_space and n_word else 0.5
    # ranges take an en dash; a dash between words or spaced out in running
    # English text is an em dash (the news style)
    if ch == "–":
        if prev.isdigit() and nxt.isdigit():
            return -3.0
        return -1.5 if prev == " " and nxt == " " else 0.0
    if ch == "—":
        return -2.5 if (p_word and n_word) or (prev == " " and nxt == " ") else 0.0
    if ch == "→":
        return -2.5 if (prev == " " or prev == "") and n_space else 0.0
    if ch == "…":
        return -2.0 if p_word and (n_space or n_punct) else 0.0
    if ch == "™":
        return -1.0 if p_word and not n_word else 1.0
    if ord(ch) in _REGIONAL:
        # a flag is two regional indicators side by side
        near = (prev, nxt)
        if any(n and (ord(n) in _REGIONAL or n == "\U0001f000") for n in near) or _flag_half(after):
            return -3.0
        return 0.0
    return 0.0


def _flag_half(after: str) -> bool:
    """The next character is (or may become) the other regional indicator."""
    return bool(after) and (ord(after[0]) in _REGIONAL or after[0] == "\u0e50")
