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
from .webcodecs import PAIRED, decode, leads, pairs

# A slot holds a known byte, an unknown one (a U+FFFD), or, in a paired code
# page, the unknown byte a U+FFFD may hide after that one.
KNOWN, GAP, OPTIONAL = 0, 1, 2
# An unknown byte inside a character pattern is a negative marker that also
# carries the known byte after it (or -1), which constrains what it can be.


def _gap(nxt: int) -> int:
    return -2 - nxt  # -1 .. -257


def _inserted(nxt: int) -> int:
    return -1001 - nxt  # -1000 .. -1256


def vanished(marker: int) -> bool:
    """Whether a marker stands for a byte that vanished without a trace (its
    place among the known bytes is a guess)."""
    return -1256 <= marker <= -1000


# A U+FFFD that hides two bytes (see webcodecs.PAIRED): the first and the
# second byte of a pair that the code page leaves unmapped.
PAIR_FIRST = -3001
PAIR_SECOND = -3000


def _first_before(length: int) -> int:
    """The first byte of a hidden pair whose second byte leads a character of ``length`` bytes."""
    return -3002 - length  # -3004 .. -3006

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
    if codec in PAIRED:
        # there a first byte that fails before a non-ASCII byte takes it along:
        # the hole is both bytes, so on its own it is never such a first byte
        firsts = leads(codec)
        for y in range(0x80, 0x100):
            before[y] = before[y] - firsts
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

    @property
    def paired(self) -> bool:
        """Whether a U+FFFD may hide two bytes."""
        return self.codec in PAIRED

    def pool(self, marker: int) -> tuple[int, ...]:
        if marker <= PAIR_SECOND:
            return _pair_pool(self.codec, self.gap_bytes, marker)
        inserted = marker <= -1000
        base = self.insert_bytes if inserted else self.gap_bytes
        nxt = -marker - (1001 if inserted else 2)
        if self.codec is None:
            return base
        alone, before = _fails(self.codec)
        allowed = before[nxt] if nxt >= 0 else alone
        return tuple(b for b in base if b in allowed)


@lru_cache(maxsize=None)
def _pair_pool(codec: str, base: tuple[int, ...], marker: int) -> tuple[int, ...]:
    firsts, seconds, unmapped = pairs(codec)
    if marker == PAIR_SECOND:
        allowed = seconds
    elif marker == PAIR_FIRST:
        allowed = firsts
    else:
        starts = _LEADS[-3002 - marker]
        allowed = {g for g, y in unmapped if y in starts}
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
    admits = pair_filter(mode, pattern)
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
            if all(b in s for b, s in zip(raw, sets)) and (admits is None or admits(raw)):
                found.append((c, ch))
                if len(found) >= wanted:
                    break
        if mode.shade is not None:
            found = sorted((mode.cost(ch), ch) for _, ch in found)
        return found[:limit]
    for combo in product(*options):
        if admits is not None and not admits(combo):
            continue
        try:
            ch = bytes(combo).decode("utf-8")
        except UnicodeDecodeError:
            continue
        found.append((mode.cost(ch), ch))
    found.sort()
    return found[:limit]


def pair_filter(mode: Mode, pattern: tuple[int, ...]):
    """A test of the bytes that fit each position of a pattern: whether they
    also leave unmapped every hidden pair the pattern holds; None when it
    holds none, so that the common case costs no call per candidate."""
    at = [k for k in range(len(pattern) - 1) if pattern[k] == PAIR_FIRST and pattern[k + 1] == PAIR_SECOND]
    if not at:
        return None
    unmapped = pairs(mode.codec)[2]
    return lambda raw: all((raw[k], raw[k + 1]) in unmapped for k in at)


def slots_from(items, paired: bool = False) -> list[tuple[int, int]]:
    """Slots from ints (known bytes) and None (a U+FFFD: one byte, or one or
    two bytes when ``paired``)."""
    slots = []
    for it in items:
        if it is None:
            slots.append((GAP, 0))
            if paired:
                slots.append((OPTIONAL, 0))
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
    back: dict = {}
    best[0] = 0.0
    # In a paired code page a hole may hide the last byte of one character and
    # the lead of the next. Which first bytes leave such a pair unmapped
    # depends on the lead, so the search holds the slot of that lead apart per
    # length of the character it starts: {slot: {length: cost}}.
    held: dict = {}
    for i in range(n):
        starts = [(best[i], i, None)] if best[i] < INF else []
        if i in held:
            starts += [(c, (i, length), length) for length, c in held[i].items()]
        for here, state, length in starts:
            for j, pattern, ins, unknown in _expand(slots, i, mode, length):
                extra = unknown * mode.unknown_cost + ins * mode.insert_cost
                if pattern[-1] == PAIR_FIRST:
                    for lead in (2, 3, 4):
                        narrowed = pattern[:-1] + (_first_before(lead),)
                        found = _best(mode, narrowed)
                        if found is None:
                            continue
                        c, ch, margin = found
                        total = here + c + extra
                        if total < held.setdefault(j, {}).get(lead, INF):
                            held[j][lead] = total
                            back[(j, lead)] = (state, (ch, unknown, ins, margin, narrowed))
                    continue
                found = _best(mode, pattern)
                if found is None:
                    continue
                c, ch, margin = found
                total = here + c + extra
                if total < best[j]:
                    best[j] = total
                    back[j] = (state, (ch, unknown, ins, margin if unknown else INF, pattern))
    if best[n] == INF:
        return None
    chars = []
    state = n
    while state != 0:
        state, info = back[state]
        chars.append(info)
    chars.reverse()
    return best[n], [(c[0], c[1], c[3], c[4], c[2]) for c in chars]


def _expand(slots, i, mode: Mode, length: int | None = None):
    """Ways to read one character starting at slot ``i``: (end, pattern,
    inserted, unknown). ``length``: the character's length in bytes, when a
    hidden pair before it has settled that."""
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
        if kind == OPTIONAL:
            # the lead was the second byte of a pair the code page swallowed
            first = PAIR_SECOND
            lengths = (length,) if length else ()
        elif mode.paired:
            # a hole of two bytes (the lead and the byte after it), or of one
            single = _gap(_after_hole(slots, i + 2))
            for n in lengths:
                yield from _fill(slots, i + 2, n - 2, (PAIR_FIRST, PAIR_SECOND), 0, mode, mode.max_unknown, 2)
            for n in lengths:
                yield from _fill(slots, i + 2, n - 1, (single,), 0, mode, mode.max_unknown, 1)
            return
        else:
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
        elif mode.paired:
            if kind == GAP and unknown < limit:
                # one byte the code page rejects on its own, or the first of a
                # pair whose second byte is the next of this character or the
                # lead of the next character
                marker = _gap(_after_hole(slots, p + 2))
                yield from _fill(slots, p + 2, need - 1, pattern + (marker,), ins, mode, limit, unknown + 1)
                if need == 1:
                    yield p + 1, pattern + (PAIR_FIRST,), ins, unknown + 1
                elif unknown + 1 < limit:
                    both = pattern + (PAIR_FIRST, PAIR_SECOND)
                    yield from _fill(slots, p + 2, need - 2, both, ins, mode, limit, unknown + 2)
            return
        elif unknown < limit:
            marker = _gap(_next_known(slots, p + 1))
            yield from _fill(slots, p + 1, need - 1, pattern + (marker,), ins, mode, limit, unknown + 1)
    if mode.insert_bytes and unknown < limit:
        marker = _inserted(_next_known(slots, p))
        yield from _fill(slots, p, need - 1, pattern + (marker,), ins + 1, mode, limit, unknown + 1)


def _after_hole(slots, p) -> int:
    """What follows a one-byte hole in a paired code page: the known byte, -1
    at the end, or 0x80 for another hole (whose first byte is never ASCII),
    since a first byte that met a non-ASCII byte would have taken it along."""
    if p < len(slots) and slots[p][0] != KNOWN:
        return 0x80
    return _next_known(slots, p)


def _next_known(slots, p) -> int:
    """The known byte at slot ``p``, or -1 when it is unknown or past the end."""
    if p < len(slots) and slots[p][0] == KNOWN:
        return slots[p][1]
    return -1

