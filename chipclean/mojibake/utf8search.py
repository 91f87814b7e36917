"""The most plausible UTF-8 reading of a byte sequence with holes.

Mojibake rarely survives as exact bytes: a decoder with ``errors="replace"``
turns each byte it could not place into U+FFFD, ``errors="ignore"`` drops it,
and a Thai-codepage page loses every C1 byte. The input here is a list of
*slots*: known bytes, unknown bytes that a U+FFFD stands for, and (when the
mode allows) unknown bytes inserted where something may have been dropped. A
dynamic programme over the slots finds the chain of UTF-8 characters with the
lowest total cost under :mod:`.prior`, filling each hole with the most
plausible byte and remembering how clear that choice was.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import product

from .prior import cost as char_cost
from .prior import ranked
from .webcodecs import decode

KNOWN, GAP, OPTIONAL = 0, 1, 2
# An unknown byte inside a character pattern is a negative marker that also
# carries the known byte after it (or -1), which constrains what it can be.


def _gap(nxt: int) -> int:
    return -2 - nxt  # -1 .. -257


def _inserted(nxt: int) -> int:
    return -1001 - nxt  # -1000 .. -1256

_LEADS = {2: range(0xC2, 0xE0), 3: range(0xE0, 0xF0), 4: range(0xF0, 0xF5)}
_CONT = range(0x80, 0xC0)
INF = float("inf")


@lru_cache(maxsize=None)
def _fails(codec: str) -> tuple[frozenset, dict]:
    """Which high bytes a decoder rejects at a character start.

    Returns (bytes rejected before some byte, {next byte: bytes rejected before
    it}). Python's CJK decoders report such a byte as one U+FFFD (or drop it)
    and restart at the next byte, so a hole in the text can only be a byte that
    fails here; this rules out most guesses.
    """
    alone = set()
    before: dict[int, frozenset] = {}
    singles = {}
    for g in range(0x80, 0x100):
        try:
            singles[g] = len(decode(bytes((g,)), codec)) == 1
        except UnicodeDecodeError:
            singles[g] = False
    for y in range(0x100):
        rejected = set()
        for g in range(0x80, 0x100):
            if singles[g]:
                continue
            try:
                ok = len(decode(bytes((g, y)), codec)) == 1
            except UnicodeDecodeError:
                ok = False
            if not ok:
                rejected.add(g)
        before[y] = frozenset(rejected)
    # with the next byte unknown, any byte that fails before something will do
    for rejected in before.values():
        alone |= rejected
    return frozenset(alone), before


@dataclass(frozen=True, eq=False)  # compared by identity: cheap as a cache key
class Mode:
    """What may be missing from the byte stream, and what guessing costs."""

    codec: str | None = None  # the decoder that made the holes, to constrain them
    script: str | None = None  # which script's prior to score with
    gap_bytes: tuple[int, ...] = tuple(range(0x80, 0x100))  # what a U+FFFD byte can be
    insert_bytes: tuple[int, ...] = ()  # bytes that may have vanished without trace
    insert_cost: float = 6.0  # per vanished byte we assume
    unknown_cost: float = 1.0  # per unknown byte we fill in
    nbsp_space: bool = False  # a space may stand for byte 0xA0
    nbsp_cost: float = 1.5  # ... but is more often just a space
    max_unknown: int = 3  # per character
    # an adjustment to the prior per character (see freq.Model.shade), or None
    shade: object = None

    def cost(self, ch: str) -> float:
        c = char_cost(ch, self.script)
        return c if self.shade is None else c + self.shade(ch)

    def pool(self, marker: int) -> tuple[int, ...]:
        inserted = marker <= -1000
        base = self.insert_bytes if inserted else self.gap_bytes
        nxt = -marker - (1001 if inserted else 2)
        if self.codec is None:
            return base
        alone, before = _fails(self.codec)
        allowed = before[nxt] if nxt >= 0 else alone
        return tuple(b for b in base if b in allowed)


@dataclass
class Reading:
    text: str
    cost: float
    unknown: int  # bytes filled in
    inserted: int  # bytes assumed to have vanished
    weakest: float  # smallest margin between a filled-in character and its runner-up
    chars: list  # (char, n_unknown, margin, pattern) per output character


def _reading(cost: float, chars: list) -> Reading:
    """A reading from (char, n_unknown, margin, pattern, inserted) tuples."""
    inserted = sum(int(c[4]) for c in chars)
    return Reading(
        text="".join(c[0] for c in chars),
        cost=cost,
        unknown=sum(c[1] for c in chars) - inserted,
        inserted=inserted,
        weakest=min((c[2] for c in chars), default=INF),
        chars=[c[:4] for c in chars],
    )


@lru_cache(maxsize=None)
def _best(mode: Mode, pattern: tuple[int, ...]):
    """(cost, char, margin) of the best character matching a byte pattern."""
    found = candidates(mode, pattern, limit=2)
    if not found:
        return None
    second = found[1][0] if len(found) > 1 else INF
    return found[0][0], found[0][1], second - found[0][0]


def choices(mode: Mode, pattern: tuple[int, ...]) -> list[tuple[int, ...]]:
    """The bytes each position of a character pattern can hold."""
    out = []
    n = len(pattern)
    for k, b in enumerate(pattern):
        if b >= 0:
            out.append((b,))
        else:
            allowed = _LEADS[n] if k == 0 else _CONT
            out.append(tuple(x for x in mode.pool(b) if x in allowed))
    return out


def candidates(mode: Mode, pattern: tuple[int, ...], limit: int = 12) -> list[tuple[float, str]]:
    """The most plausible characters matching a pattern, best first."""
    options = choices(mode, pattern)
    n = len(pattern)
    size = 1
    for c in options:
        size *= len(c)
    found = []
    if size > 4096:
        sets = [frozenset(c) for c in options]
        # a shade reorders characters within a tier, so look further down the tiers
        wanted = limit if mode.shade is None else max(limit, 64)
        for c, ch, raw in ranked(n, mode.script):
            if all(b in s for b, s in zip(raw, sets)):
                found.append((c, ch))
                if len(found) >= wanted:
                    break
        if mode.shade is not None:
            found = sorted((mode.cost(ch), ch) for _, ch in found)
        return found[:limit]
    for combo in product(*options):
        try:
            ch = bytes(combo).decode("utf-8")
        except UnicodeDecodeError:
            continue
        found.append((mode.cost(ch), ch))
    found.sort()
    return found[:limit]


def slots_from(items, gap_max: int = 1) -> list[tuple[int, int]]:
    """Slots from ints (known bytes) and None (a U+FFFD: 1..gap_max bytes)."""
    slots = []
    for it in items:
        if it is None:
            slots.append((GAP, 0))
            slots.extend([(OPTIONAL, 0)] * (gap_max - 1))
        else:
            slots.append((KNOWN, it))
    return slots


def search(slots: list[tuple[int, int]], mode: Mode) -> Reading | None:
    """The best reading; characters whose bytes are all known and complete are
    read directly, and only the stretches around holes go through the search.

    UTF-8 synchronises itself: a lead byte always starts a character, so a
    lead followed by all its continuation bytes is that character whatever
    was lost around it.
    """
    if mode.nbsp_space:
        found = _search(slots, mode)  # any space may be a byte: no certain stretches
        return None if found is None else _reading(*found)
    chars: list = []
    total = 0.0
    problem: list = []
    tokens = _tokens(slots)
    for k, (one, at, width) in enumerate(tokens):
        if one is None:
            problem.append(slots[at])
            continue
        if problem:
            # the next certain character goes along, so the holes see the byte after them
            found = _search(problem + slots[at : at + width], mode)
            if found is None:
                return None
            cost, got = found
            chars.extend(got[:-1])
            total += cost - _char_cost_of(one, mode)
            problem = []
        chars.append((one, 0, INF, (), 0))
        total += _char_cost_of(one, mode)
    if problem:
        found = _search(problem, mode)
        if found is None:
            return None
        chars.extend(found[1])
        total += found[0]
    return _reading(total, chars)


def _tokens(slots):
    """(certain char or None, first slot, slot count) along the slots.

    Runs of known bytes are decoded in one go; bytes that don't form a
    complete character come back as lone surrogates and are the problems.
    """
    out = []
    i, n = 0, len(slots)
    while i < n:
        if slots[i][0] != KNOWN:
            out.append((None, i, 1))
            i += 1
            continue
        j = i
        while j < n and slots[j][0] == KNOWN:
            j += 1
        text = bytes(v for _, v in slots[i:j]).decode("utf-8", "surrogateescape")
        pos = i
        for ch in text:
            if "\udc80" <= ch <= "\udcff":
                out.append((None, pos, 1))
                pos += 1
            else:
                width = 1 if ch < "\x80" else 2 if ch < "\u0800" else 3 if ch < "\U00010000" else 4
                out.append((ch, pos, width))
                pos += width
        i = j
    return out


def _char_cost_of(ch: str, mode: Mode) -> float:
    return mode.cost(ch)


def _search(slots: list[tuple[int, int]], mode: Mode):
    """(cost, [(char, n_unknown, margin, pattern, inserted), ...]) or None."""
    n = len(slots)
    best = [INF] * (n + 1)
    back: list = [None] * (n + 1)
    best[0] = 0.0
    for i in range(n):
        here = best[i]
        if here == INF:
            continue
        kind, val = slots[i]
        if kind == OPTIONAL and here < best[i + 1]:
            best[i + 1] = here
            back[i + 1] = (i, None)
        for j, pattern, ins, unknown in _expand(slots, i, mode):
            found = _best(mode, pattern)
            if found is None:
                continue
            c, ch, margin = found
            total = here + c + unknown * mode.unknown_cost + ins * mode.insert_cost
            if total < best[j]:
                best[j] = total
                back[j] = (i, (ch, unknown, ins, margin if unknown else INF, pattern))
    if best[n] == INF:
        return None
    chars = []
    j = n
    while j > 0:
        i, info = back[j]
        if info is not None:
            chars.append(info)
        j = i
    chars.reverse()
    return best[n], [(c[0], c[1], c[3], c[4], c[2]) for c in chars]


def _expand(slots, i, mode: Mode):
    """Ways to read one character starting at slot ``i``: (end, pattern, inserted, unknown)."""
    kind, val = slots[i]
    if kind == KNOWN:
        if val < 0x80:
            yield i + 1, (val,), 0, 0
            return
        if 0xC2 <= val <= 0xDF:
            lengths = (2,)
        elif 0xE0 <= val <= 0xEF:
            lengths = (3,)
        elif 0xF0 <= val <= 0xF4:
            lengths = (4,)
        else:
            return
        first = val
    else:
        lengths = (2, 3, 4)
        first = _gap(_next_known(slots, i + 1))
    limit = mode.max_unknown + (1 if lengths == (4,) else 0)
    known_first = 0 if kind == KNOWN else 1
    for length in lengths:
        yield from _fill(slots, i + 1, length - 1, (first,), 0, mode, limit, known_first)


def _fill(slots, p, need, pattern, ins, mode, limit, unknown):
    if need == 0:
        yield p, pattern, ins, unknown
        return
    if p < len(slots):
        kind, val = slots[p]
        if kind == KNOWN:
            if 0x80 <= val <= 0xBF:
                yield from _fill(slots, p + 1, need - 1, pattern + (val,), ins, mode, limit, unknown)
            elif val == 0x20 and mode.nbsp_space:
                # counted as a fraction of an assumed-lost byte, so it costs nbsp_cost
                extra = mode.nbsp_cost / mode.insert_cost if mode.insert_cost else 0.0
                yield from _fill(slots, p + 1, need - 1, pattern + (0xA0,), ins + extra, mode, limit, unknown)
        elif unknown < limit:
            marker = _gap(_next_known(slots, p + 1))
            yield from _fill(slots, p + 1, need - 1, pattern + (marker,), ins, mode, limit, unknown + 1)
        if kind == OPTIONAL:
            yield from _fill(slots, p + 1, need, pattern, ins, mode, limit, unknown)
    if mode.insert_bytes and unknown < limit:
        marker = _inserted(_next_known(slots, p))
        yield from _fill(slots, p, need - 1, pattern + (marker,), ins + 1, mode, limit, unknown + 1)


def _next_known(slots, p) -> int:
    """The known byte at slot ``p``, or -1 when it is unknown or past the end."""
    if p < len(slots) and slots[p][0] == KNOWN:
        return slots[p][1]
    return -1

