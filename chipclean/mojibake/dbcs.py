"""UTF-8 that was decoded as Big5, EUC-KR or EUC-JP with ``errors="replace"``.

These decoders lose far more than GBK does. Each of them reads a byte pair
only when both bytes fall in its own ranges; UTF-8 continuation bytes 80-A0
are never a valid first or second byte, so any pair that touches one fails.
Python's CJK decoders then emit one U+FFFD for the *first* byte alone and
start again at the next one, which is read as a first byte in turn. So every
U+FFFD is exactly one byte at a known position, and which byte it can be is
constrained: it must make the decoder fail before the byte that follows it.
About half of the bytes of Chinese and Korean text (three quarters of
Japanese) are lost that way, against a twentieth for GBK.

This module rebuilds the byte stream with its one-byte holes, splits it into
UTF-8 characters, lists the common characters that fit each broken one, lets
the word-frequency model of :mod:`.freq` choose the likeliest chain of words,
and then checks the whole reading by running the same decoder over it: a
repair is offered only when it reproduces the damaged line exactly and every
character it guessed was a clear choice over its runners-up.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from . import freq
from .prior import cost as char_cost
from .prior import guess_script, ranked
from .spans import Repair, trimmed

#: The decoders whose holes this module knows how to size; tried in this order.
CODECS = ("big5", "euc_kr", "euc_jp")

# Per broken character: how many candidates go into the word search.
_OPTIONS = 60
# The margin (nats) a guessed character needs over the best reading without it.
_SURE = 10.0
# The runners-up a guess is measured against.
_RIVALS = _OPTIONS
# How far along the line a choice reaches when its margin is measured.
_REACH = 4
# Punctuation that running CJK text uses all the time; other symbols that the
# structural prior calls common cost this much more when guessed.
# (Costs about -ln of their share of the characters of news text.)
_MARKS = {"，": 3.2, "。": 4.0, "、": 4.8, "“": 5.5, "”": 5.5, "：": 6.0, "（": 6.5, "）": 6.5,
          "《": 6.5, "》": 6.5, "「": 6.5, "」": 6.5, "；": 7.0, "！": 7.0, "？": 7.0, "・": 7.0,
          "『": 7.5, "』": 7.5, "…": 7.5, "—": 7.5}
_SYMBOL = 6.0
# A line with more holes than this costs too much to search for what it can give.
_MAX_HOLES = 12
# More broken characters than this and the word model picks wrongly more often
# than not: a Big5 line of Chinese loses about half its bytes, which leaves
# some 4.5 bits of doubt per character (see bench/bench_dbcs_loss.py).
_MAX_BROKEN = 4


@dataclass(frozen=True)
class Broken:
    """One UTF-8 character with some bytes unknown (None)."""

    index: int  # position in the stream
    pattern: tuple  # byte values, None where lost
    after: int | None  # the stream byte after it, None if lost or at the end
    at_end: bool


def stream(text: str, codec: str) -> list[int | None] | None:
    """The bytes the decoder read, None for each byte it replaced, or None
    when the text could not have come out of this decoder."""
    try:
        parts = [piece.encode(codec) for piece in text.split("\ufffd")]
    except UnicodeEncodeError:
        return None
    out: list[int | None] = list(parts[0])
    for part in parts[1:]:
        out.append(None)
        out += part
    return out


def explains(reading: str, observed: str, codec: str) -> bool:
    """Whether decoding ``reading`` as UTF-8 bytes with ``codec`` gives ``observed``."""
    return reading.encode("utf-8").decode(codec, "replace") == observed


@lru_cache(maxsize=None)
def fails(codec: str, rest: bytes) -> bool:
    """Whether the decoder, at the first byte of ``rest``, gives up on that byte alone."""
    got = rest.decode(codec, "replace")
    return got[:1] == "\ufffd" and got[1:] == rest[1:].decode(codec, "replace")


def utf8_length(lead: int) -> int:
    """How many bytes a UTF-8 character with this first byte has; 0 if it can't start one."""
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    if 0xF0 <= lead <= 0xF4:
        return 4
    return 0


def split(items: list[int | None]) -> list | None:
    """Characters along the stream: str for whole ones, Broken for the rest.

    A known lead byte fixes where its character ends. A run of lost and
    continuation bytes between known characters is split into 3-byte
    characters (the CJK blocks) where it can be, else 2-byte ones; None when
    the stream cannot be UTF-8 at all.
    """
    out: list = []
    i, n = 0, len(items)
    while i < n:
        b = items[i]
        if b is not None and b < 0x80:
            out.append(chr(b))
            i += 1
            continue
        if b is not None and utf8_length(b):
            size = utf8_length(b)
        elif b is not None:
            return None  # a continuation byte where a character must start
        else:
            j = i
            while j < n and (items[j] is None or 0x80 <= items[j] <= 0xBF):
                j += 1
            run = j - i
            if run < 2:
                return None  # one byte on its own is no multi-byte character
            size = min(run, 3 if run % 3 == 0 or run % 2 else 2)
        part = items[i : i + size]
        if len(part) < size or any(x is not None and not 0x80 <= x <= 0xBF for x in part[1:]):
            return None
        if None not in part:
            try:
                out.append(bytes(part).decode("utf-8"))
            except UnicodeDecodeError:
                return None
        else:
            after = items[i + size] if i + size < n else None
            out.append(Broken(i, tuple(part), after, i + size >= n))
        i += size
    return out


@lru_cache(maxsize=8)
def _pool(script: str | None) -> dict[int, list[tuple[float, str, bytes]]]:
    """Characters worth guessing, by UTF-8 length: the word list's commonest
    letters and the structural prior's common tiers (punctuation included),
    cheapest first."""
    lm = freq.model(script)
    seen: dict[str, float] = {}
    for n in (2, 3):
        for c, ch, _raw in ranked(n, script):
            if c <= 8.0:
                seen[ch] = c
        if lm is not None:
            for ch, _raw in lm.top.get(n, ()):
                seen.setdefault(ch, char_cost(ch, script))
    out: dict[int, list] = {}
    for ch, c in seen.items():
        raw = ch.encode("utf-8")
        score = c if lm is None else lm.unigram(ch, c)
        if not freq._is_letter(ch):
            # a symbol row is listed as common, but running text seldom uses it
            score = _MARKS.get(ch, score + _SYMBOL)
        out.setdefault(len(raw), []).append((score, ch, raw))
    for v in out.values():
        v.sort()
    return out


@lru_cache(maxsize=8)
def _index(script: str | None, n: int, mask: tuple) -> dict:
    """The pool for length ``n`` keyed by the bytes at the known positions ``mask``."""
    table: dict = {}
    for entry in _pool(script).get(n, ()):
        key = tuple(entry[2][k] for k in mask)
        table.setdefault(key, []).append(entry)
    return table


def options(codec: str, script: str | None, piece: Broken) -> list[tuple[float, str]]:
    """The characters that fit a broken one, cheapest first."""
    n = len(piece.pattern)
    mask = tuple(k for k, b in enumerate(piece.pattern) if b is not None)
    key = tuple(piece.pattern[k] for k in mask)
    out = []
    for score, ch, raw in _index(script, n, mask).get(key, ()):
        ok = True
        for k, b in enumerate(piece.pattern):
            if b is not None:
                continue
            rest = raw[k:] + (bytes((piece.after,)) if piece.after is not None else b"")
            if (k + 1 < n or piece.after is not None or piece.at_end) and not fails(codec, rest):
                ok = False
                break
        if ok:
            out.append((score, ch))
            if len(out) >= _OPTIONS:
                break
    return out


@dataclass
class Found:
    chars: list[str]
    margins: list[float]  # per character: how much likelier than its runner-up (inf: read, not guessed)
    codec: str
    lost: int  # bytes

    @property
    def text(self) -> str:
        return "".join(self.chars)


def read(line: str, codec: str) -> Found | None:
    """The likeliest UTF-8 reading of ``line`` decoded by ``codec``, checked
    against the decoder; None when there is none."""
    items = stream(line, codec)
    if items is None:
        return None
    holes = items.count(None)
    if not holes or holes > _MAX_HOLES:
        return None
    chars = split(items)
    if chars is None or sum(not isinstance(c, str) for c in chars) > _MAX_BROKEN:
        return None
    known = "".join(c for c in chars if isinstance(c, str))
    script = guess_script(known)
    if script is None:
        # nothing survived whole to tell the script: ask the likeliest guesses
        firsts = (options(codec, None, c)[:1] for c in chars if not isinstance(c, str))
        script = guess_script("".join(o[0][1] for o in firsts if o))
    lm = freq.model(script)
    if lm is None:
        return None
    opts: list[list[tuple[float, str, float]]] = []
    for c in chars:
        if isinstance(c, str):
            opts.append([(0.0, c, char_cost(c, script))])
            continue
        found = options(codec, script, c)
        if not found:
            return None
        opts.append([(0.0, ch, score) for score, ch in found])
    out = _choose(lm, opts, chars, codec)
    if out is None:
        return None
    text = "".join(out)
    if not explains(text, line, codec):
        return None
    margins = [math.inf] * len(opts)
    for k, o in enumerate(opts):
        if len(o) < 2:
            continue
        a, b = max(0, k - _REACH), min(len(opts), k + _REACH + 1)
        window = [[x for x in opts[i] if x[1] == out[i]] for i in range(a, b)]
        here, _ = lm.segment(window)
        window[k - a] = [x for x in o if x[1] != out[k]][:_RIVALS]
        other, _ = lm.segment(window)
        margins[k] = other - here
    return Found(out, margins, codec, holes)


# How many times a reading is corrected where two guesses disagree.
_ROUNDS = 12


def _choose(lm, opts, chars, codec) -> list[str] | None:
    """The word search's reading, corrected where a lost byte that the next
    character's guess follows would not have made the decoder fail."""
    for _ in range(_ROUNDS):
        _, out = lm.segment(opts)
        bad = _conflicts(out, chars, codec)
        if not bad:
            return out
        for k in bad:
            opts[k] = [o for o in opts[k] if o[1] != out[k]]
            if not opts[k]:
                return None
    return None


def _conflicts(out: list[str], chars: list, codec: str) -> list[int]:
    """The broken characters whose last lost byte doesn't fail before the next character."""
    bad = []
    for k, piece in enumerate(chars):
        if isinstance(piece, str) or piece.after is not None or piece.at_end:
            continue
        if piece.pattern[-1] is not None:
            continue
        nxt = out[k + 1].encode("utf-8") if k + 1 < len(out) else b""
        if not fails(codec, out[k].encode("utf-8")[-1:] + nxt[:2]):
            bad.append(k)
    return bad


def repair_line(line: str, start: int = 0) -> Repair | None:
    """A repair of one line, when one of the decoders explains it and every
    guess in it is clear."""
    if not 1 <= line.count("\ufffd") <= _MAX_HOLES:
        return None  # each U+FFFD is a lost byte: too many and no guess is clear
    for codec in CODECS:
        found = read(line, codec)
        if found is None:
            continue
        guessed = [m for m in found.margins if m != math.inf]
        if min(guessed, default=math.inf) < _SURE:
            return None
        wide = sum(1 for ch in found.chars if ch > "\x7f") or 1
        conf = 1.0 - len(guessed) / wide / 2
        return trimmed(line, found.text, start, f"utf-8 read as {codec}", found.lost, conf)
    return None


@dataclass(frozen=True)
class Loss:
    """A line that is UTF-8 read by one of :data:`CODECS` but lost too much to repair."""

    codec: str
    lost: int  # bytes replaced by U+FFFD
    total: int  # bytes the line had
    certain: int  # characters whose bytes all survived
    broken: int  # characters with lost bytes

    @property
    def note(self) -> str:
        return (f"utf-8 read as {self.codec}: {self.lost} of {self.total} bytes lost, "
                f"{self.broken} characters cannot be told apart")


# What marks a line as this kind of mojibake: lost characters are at least this
# share of it, and it shows this many decoded pairs, whose bytes must all fall
# where UTF-8 allows them.
_LOSS_SHARE = 0.2
_MIN_PAIRS = 2


def diagnose(line: str) -> Loss | None:
    """Which decoder broke ``line`` beyond repair, if its bytes say so clearly.

    The surviving bytes of such a line fall into valid UTF-8 around one-byte
    holes; genuine Chinese, Japanese or Korean text re-encoded in its own codec
    breaks UTF-8 at almost every byte, so it never passes :func:`split`.
    """
    holes = line.count("\ufffd")
    if holes < 2 or holes < _LOSS_SHARE * len(line):
        return None
    if sum(1 for ch in line if ch > "\x7f") - holes < _MIN_PAIRS:
        return None
    for codec in CODECS:
        items = stream(line, codec)
        chars = split(items) if items is not None else None
        if chars is not None:
            broken = sum(1 for c in chars if not isinstance(c, str))
            return Loss(codec, holes, len(items), len(chars) - broken, broken)
    return None


def scan(lines: list[tuple[int, str]], taken: list[int]) -> tuple[list[Repair], list[tuple[int, str, Loss]]]:
    """Repairs and diagnoses for the (offset, line) pairs holding U+FFFD that
    no other repair has touched (``taken``: offsets where changes start)."""
    repairs, losses = [], []
    for start, line in lines:
        if "\ufffd" not in line or any(start <= t <= start + len(line) for t in taken):
            continue
        rep = repair_line(line, start)
        if rep is not None:
            repairs.append(rep)
            continue
        loss = diagnose(line)
        if loss is not None:
            losses.append((start, line, loss))
    return repairs, losses
