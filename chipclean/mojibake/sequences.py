"""Single UTF-8 sequences shown as Windows-1252 that ftfy leaves alone.

ftfy decides per segment whether the whole thing reads better as UTF-8, so a
lone ``â–¸`` (▸) or ``âš¡`` (⚡) in otherwise clean English can stay broken. A
three- or four-byte UTF-8 sequence spelled in Windows-1252 characters — a lead
letter ``à``–``ô`` followed by two or three characters from the continuation
range — does not occur in real text, so each one is decoded on its own when it
yields a character a Western page would show.
"""

from __future__ import annotations

import re
import unicodedata

from .prior import PICTOGRAPH, WEB, cost

# Windows-1252 as browsers read it: the five undefined bytes become C1 controls.
_BYTE = {}
for _b in range(0x80, 0x100):
    try:
        _BYTE[bytes((_b,)).decode("cp1252")] = _b
    except UnicodeDecodeError:
        _BYTE[chr(_b)] = _b
for _b in range(0x80, 0xA0):
    _BYTE.setdefault(chr(_b), _b)
_CONT = "".join(re.escape(ch) for ch, b in _BYTE.items() if 0x80 <= b <= 0xBF)
_LEAD3 = "".join(re.escape(ch) for ch, b in _BYTE.items() if 0xE0 <= b <= 0xEF)
_LEAD4 = "".join(re.escape(ch) for ch, b in _BYTE.items() if 0xF0 <= b <= 0xF4)
SEQUENCE = re.compile(f"[{_LEAD3}][{_CONT}]{{2}}|[{_LEAD4}][{_CONT}]{{3}}")


def cjk_plane(ch: str) -> bool:
    """From the CJK blocks to the end of the BMP, where (bar U+FE0F) no
    character is a symbol a Western page would show (a test checks it)."""
    return "\u3000" <= ch <= "\uffff" and ch != "\ufe0f"


def repair_line(line: str):
    """(start, end, character) for each sequence that decodes to something plausible."""
    for m in SEQUENCE.finditer(line):
        raw = bytes(_BYTE[ch] for ch in m.group())
        try:
            ch = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue
        # symbols and punctuation only: letters are ftfy's call, made with context
        # (the cheap tests first: they spare building the web-text table for
        # CJK text, where nothing but the emoji selector is such a symbol)
        if cjk_plane(ch) or unicodedata.category(ch).startswith("L"):
            continue
        if cost(ch, WEB) <= PICTOGRAPH:
            yield m.start(), m.end(), ch


def fix_all(line: str) -> str:
    parts = []
    pos = 0
    for a, b, ch in repair_line(line):
        parts.append(line[pos:a])
        parts.append(ch)
        pos = b
    parts.append(line[pos:])
    return "".join(parts)
