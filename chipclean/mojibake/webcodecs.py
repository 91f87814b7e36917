"""Code pages as browsers and Windows run them, where Python's codec differs.

Browsers read a page labelled GBK with the WHATWG gb18030 decoder, and Windows
code page 936 reads much the same; both read byte 0x80 as the euro sign, which
Python's ``gbk`` and ``gb18030`` codecs reject. UTF-8 read the first
way turns each 0x80 at a character start into "€": 一个 (E4 B8 80 E4 B8 AA)
shows as 涓€涓, the commonest sight in Chinese mojibake on the web. The search
treats such a code page as a codec of its own, so that "€" goes back to byte
0x80 and a U+FFFD is never taken for it.
"""

from __future__ import annotations

import codecs

# name -> (the Python codec it extends, the byte it adds, what that byte reads
# as, the codec's own bytes for that character)
_EXTRA = {"web-gbk": ("gb18030", 0x80, "€", b"\xa2\xe3")}


def encode(text: str, codec: str) -> bytes:
    """``text`` in ``codec``; raises UnicodeEncodeError as ``str.encode`` does.

    GBK has "€" of its own (A2 E3), and UTF-8 makes that pair too: a
    continuation byte, then the lead of a CJK mark (。 is E3 80 82, so "慢。"
    reads 鎱€€ plus a lost byte). Each "€" is the byte that keeps the UTF-8
    valid, 0x80 when both do.
    """
    extra = _EXTRA.get(codec)
    if extra is None:
        return text.encode(codec)
    base, byte, ch, own = extra
    parts = [piece.encode(base) for piece in text.split(ch)]
    added = bytes((byte,))
    out = parts[0]
    for k in range(1, len(parts)):
        # the rest of the line goes along, with its "€"s as 0x80 for now
        rest = parts[k] + added + added.join(parts[k + 1 :]) if k + 1 < len(parts) else parts[k]
        out += own if _invalid(out + own + rest) < _invalid(out + added + rest) else added
        out += parts[k]
    return out


def _invalid(raw: bytes) -> int:
    # a character cut short at the end is not counted: a lost byte may follow
    return codecs.getincrementaldecoder("utf-8")("replace").decode(raw, final=False).count("\ufffd")


def decode(raw: bytes, codec: str) -> str:
    """``raw`` (a character or two) in ``codec``; raises UnicodeDecodeError."""
    extra = _EXTRA.get(codec)
    if extra is None:
        return raw.decode(codec)
    base, byte, ch, _ = extra
    # the added byte is a character only where one starts, never a pair's second byte
    if raw[:1] == bytes((byte,)):
        return ch + raw[1:].decode(base)
    return raw.decode(base)
