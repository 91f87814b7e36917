"""UTF-8 read as Windows-1252, then written back in it: "â€?" for "”".

Five bytes (81 8D 8F 90 9D) have no character in Windows-1252. A browser
shows them as C1 controls, which ftfy reads back; but text that was saved in
that code page again (an editor, a database column, Python's
``errors="replace"``) has a "?" in their place, and ftfy gives up there: it
leaves U+FFFD where "”" was, and "英伟达�布" for "英伟达发布".

A "?" is a lost byte only where UTF-8 needs a continuation byte: after a lead
byte whose character is not complete yet. Nothing else about it is in doubt
but which of the five bytes it was, and that is a choice between five
characters (” or ‐ after "â€"; 偑 卑 发 向 坑 in "å?‘"). The likeliest one is put
back as its C1 control, and ftfy then decodes the line as it would have
decoded it before it was saved.
"""

from __future__ import annotations

import math

from . import freq
from .dbcs import utf8_length
from .prior import cost, guess_script
from .thai import _context

LOST = (0x81, 0x8D, 0x8F, 0x90, 0x9D)
# How far (nats) a chosen character must beat its runner-up to count as sure.
SURE = 2.0
_CP1252 = {bytes((b,)).decode("cp1252"): b for b in range(0x80, 0x100) if b not in LOST}


def _byte(ch: str) -> int | None:
    """The Windows-1252 byte behind ``ch`` (C1 controls stand for themselves)."""
    o = ord(ch)
    if o < 0x80 or 0x80 <= o <= 0x9F:
        return o
    return _CP1252.get(ch)


def _readings(pattern: list[int | None]) -> list[str]:
    """The characters a byte pattern with holes (None) can be."""
    out = [b""]
    for b in pattern:
        out = [done + bytes((x,)) for done in out for x in ((b,) if b is not None else LOST)]
    found = []
    for raw in out:
        try:
            found.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            pass
    return found


def fill(line: str) -> tuple[str, float] | None:
    """``line`` with each "?" that stands for a lost byte put back as the C1
    control of the likeliest byte, and how sure the choices were (the share
    of them that beat their runner-up by :data:`SURE` nats); or None when no
    "?" is one."""
    # (start, end) of each character of the line that is UTF-8 with holes,
    # with the characters it can be
    spans: list[tuple[int, int, list[str]]] = []
    i, n = 0, len(line)
    while i < n:
        lead = _byte(line[i])
        need = utf8_length(lead) if lead is not None else 0
        if not need:
            i += 1
            continue
        pattern: list[int | None] = [lead]
        j = i + 1
        while j < n and len(pattern) < need:
            b = _byte(line[j])
            if b == 0x3F:
                pattern.append(None)
            elif b is not None and 0x80 <= b <= 0xBF:
                pattern.append(b)
            else:
                break
            j += 1
        if len(pattern) == need and None in pattern:
            options = _readings(pattern)
            if options:
                spans.append((i, j, options))
        i = j if len(pattern) == need else i + 1
    if not spans:
        return None
    chosen, margins = _choose(line, spans)
    out, pos = [], 0
    for (a, b, _), ch in zip(spans, chosen):
        out.append(line[pos:a])
        raw = ch.encode("utf-8")
        out.append("".join(line[a + k] if line[a + k] != "?" else chr(raw[k]) for k in range(b - a)))
        pos = b
    out.append(line[pos:])
    return "".join(out), sum(1 for m in margins if m >= SURE) / len(margins)


def _choose(line: str, spans) -> tuple[list[str], list[float]]:
    """The likeliest character per span and its lead over the runner-up: by
    the word model when the line reads as CJK and word lists are installed,
    else by the plausibility prior."""
    # the script of what the line decodes to, holes left out
    raw = bytes(b for b in map(_byte, line) if b is not None and b != 0x3F)
    script = guess_script(raw.decode("utf-8", "ignore"))
    wide = any(ch > "\u2fff" for _, _, options in spans for ch in options)
    lm = freq.model(script) if script and wide else None
    if lm is None:
        chosen, margins = [], []
        for a, b, options in spans:
            # marks whose use depends on their place (” after a word, “ before one)
            before, after, pool = line[max(0, a - 8) : a], line[b : b + 8], set(options)
            ranked = sorted((cost(ch, script) + _context(ch, before, after, pool), ch) for ch in options)
            chosen.append(ranked[0][1])
            margins.append(ranked[1][0] - ranked[0][0] if len(ranked) > 1 else math.inf)
        return chosen, margins
    return _by_words(line, spans, lm, script)


def _by_words(line: str, spans, lm, script: str) -> tuple[list[str], list[float]]:
    """Each span's character chosen so that the line reads as the likeliest
    chain of words; the rest of the line is decoded as far as it is UTF-8."""
    options: list[list[tuple[float, str, float]]] = []
    at: list[int] = []  # index into options of each span
    raw = bytearray()
    spans_at = {a: (b, opts) for a, b, opts in spans}
    i, n = 0, len(line)

    def flush():
        if raw:
            for ch in raw.decode("utf-8", "replace"):
                options.append([(0.0, ch, cost(ch, script))])
            raw.clear()

    while i < n:
        if i in spans_at:
            flush()
            b, opts = spans_at[i]
            at.append(len(options))
            options.append([(0.0, ch, cost(ch, script)) for ch in opts])
            i = b
            continue
        byte = _byte(line[i])
        raw.append(byte if byte is not None else 0x3F)
        i += 1
    flush()
    best, out = lm.segment(options)
    margins = []
    for k in at:
        rivals = [o for o in options[k] if o[1] != out[k]]
        if not rivals:
            margins.append(math.inf)
            continue
        # the best reading of the line without the chosen character here
        other, _ = lm.segment(options[:k] + [rivals] + options[k + 1 :])
        margins.append(other - best)
    return [out[k] for k in at], margins
