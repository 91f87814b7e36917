"""Legacy CJK bytes shown as Latin-1 or Windows-1252: ``ÕâÊÇ`` for ``这是``.

Here the bytes survive intact (Latin-1 maps every byte to a character), so the
repair is exact: take the bytes back and decode them with the legacy codec.
The UTF-8 case is left to ftfy; this only handles bytes that are not UTF-8.
"""

from __future__ import annotations

import re

import regex

from .prior import UNCOMMON, cost, text_cost
from .spans import Repair, trimmed

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


def repair_line(line: str, offset: int = 0) -> Repair | None:
    if not RUN.search(line):
        return None
    high = HIGH.findall(line)
    if len(high) < MIN_HIGH:
        return None
    raw = _raw(line)
    if raw is None:
        return None
    try:
        raw.decode("utf-8")
        return None  # UTF-8 mojibake: ftfy's job
    except UnicodeDecodeError:
        pass
    before = text_cost(line)
    best = None
    for codec in CODECS:
        try:
            fixed = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        wide = [ch for ch in fixed if ch > "\x7f"]
        if not wide:
            continue
        # nearly every character must be a common one: mojibake read through
        # the wrong legacy codec is full of rare ones
        costs = [cost(ch) for ch in wide]
        if max(costs) > UNCOMMON or sum(costs) > 6.0 * len(costs):
            continue
        after = text_cost(fixed)
        if after + 2.0 * len(wide) < before and (best is None or after < best[0]):
            best = (after, codec, fixed)
    if best is None:
        return None
    _, codec, fixed = best
    return trimmed(line, fixed, offset, f"{codec} bytes shown as latin-1/cp1252")
