"""Legacy CJK bytes shown as Latin-1 or Windows-1252: ``ÕâÊÇ`` for ``这是``.

Here the bytes survive intact (Latin-1 maps every byte to a character), so the
repair is exact: take the bytes back and decode them with the legacy codec.
The UTF-8 case is left to ftfy; this only handles bytes that are not UTF-8.
"""

from __future__ import annotations

import re
from collections import Counter

import regex

from .prior import UNCOMMON, cost, text_cost
from .spans import Repair, trimmed
from .webcodecs import cut_in

CODECS = ("gbk", "big5", "cp932", "euc_kr")
_CP1252 = {ch: b for b in range(0x80, 0xA0) for ch in [bytes((b,)).decode("cp1252", "ignore")] if ch}
HIGH = regex.compile("[\u00a0-\u00ff" + "".join(_CP1252) + "]")
MIN_HIGH = 4  # two CJK characters at least
# Legacy CJK text has runs of these; Western text has one or two in a word.
RUN = re.compile("[\u00a0-\u00ff" + "".join(_CP1252) + "]{4}")


def _raw(text: str) -> bytes | None:
    out = bytearray()
    for ch in text:
        o = ord(ch)
        if o < 0x100:
            out.append(o)
        elif ch in _CP1252:
            out.append(_CP1252[ch])
        else:
            return None
    return bytes(out)


# A span of legacy double-byte text seen through Latin-1: it starts with a lead
# byte and a high trail byte, then goes on in pairs whose trail may be ASCII
# (GBK, Big5 and Shift-JIS trail bytes reach down to 0x40). Starting on a
# high-high pair keeps a lone curly quote or dash in English ("’s", "—it")
# from being read as one CJK character.
_H = "\u0080-\u00ff" + "".join(_CP1252)
SPAN = re.compile(f"[{_H}][{_H}](?:[{_H}][{_H}\x40-\x7e])*")
_DANGLING = re.compile(f"[{_H}]")


def _utf8_with_bytes_dropped(raw: bytes) -> bool:
    """Whether these bytes are UTF-8 that lost bytes, not legacy text.

    UTF-8 seen as Latin-1 by something that strips C1 controls keeps every
    first byte and every continuation byte from A0 up: "ä¸­" loses nothing
    but "ä»" has lost its 0x8E. Such bytes never hold a continuation byte
    that no first byte is waiting for; legacy double-byte text (GBK, Big5,
    Shift-JIS, EUC-KR) is full of them, since its first and second bytes
    both fall in that range at random. A run may start inside a character
    whose first byte went elsewhere, so up to three continuation bytes may
    open it.
    """
    need = 0
    for b in cut_in(raw):
        if b < 0x80:
            need = 0
        elif b <= 0xBF:
            if not need:
                return False
            need -= 1
        elif 0xC2 <= b <= 0xF4:
            need = 1 if b < 0xE0 else 2 if b < 0xF0 else 3
        else:
            return False
    return True


def repair_line(line: str, offset: int = 0) -> Repair | None:
    if not RUN.search(line):
        return None
    spans = [m.span() for m in SPAN.finditer(line)]
    # a lead byte with no trail byte after it: not double-byte text
    if any(b < len(line) and _DANGLING.match(line, b) for _, b in spans):
        return None
    raws = [_raw(line[a:b]) for a, b in spans]
    if sum(b - a for a, b in spans) < MIN_HIGH or any(r is None for r in raws):
        return None
    for raw in raws:
        try:
            raw.decode("utf-8")
            return None  # UTF-8 mojibake: ftfy's job
        except UnicodeDecodeError:
            pass
    if all(_utf8_with_bytes_dropped(raw) for raw in raws):
        return None
    before = text_cost("".join(line[a:b] for a, b in spans))
    best = None
    for codec in CODECS:
        try:
            pieces = [raw.decode(codec) for raw in raws]
        except UnicodeDecodeError:
            continue
        wide = [ch for piece in pieces for ch in piece if ch > "\x7f"]
        if not wide:
            continue
        # nearly every character must be a common one: mojibake read through
        # the wrong legacy codec is full of rare ones
        costs = [cost(ch) for ch in wide]
        if max(costs) > UNCOMMON or sum(costs) > 6.0 * len(costs):
            continue
        # one character over and over is a run of one byte pair ("ŽŽŽŽ"),
        # filler or noise, not a sentence
        if len(wide) >= 3 and 2 * max(Counter(wide).values()) > len(wide):
            continue
        after = text_cost("".join(pieces))
        if after + 2.0 * len(wide) < before and (best is None or after < best[0]):
            best = (after, codec, pieces)
    if best is None:
        return None
    _, codec, pieces = best
    parts, pos = [], 0
    for (a, b), piece in zip(spans, pieces):
        parts.append(line[pos:a])
        parts.append(piece)
        pos = b
    parts.append(line[pos:])
    return trimmed(line, "".join(parts), offset, f"{codec} bytes shown as latin-1/cp1252")
