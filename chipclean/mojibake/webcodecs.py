"""Code pages as browsers and Windows run them, where Python's codec differs.

Browsers read a page labelled GBK with the WHATWG gb18030 decoder, and Windows
code page 936 reads much the same; both read byte 0x80 as the euro sign, which
Python's ``gbk`` and ``gb18030`` codecs reject. UTF-8 read the first
way turns each 0x80 at a character start into "€": 一个 (E4 B8 80 E4 B8 AA)
shows as 涓€涓, the commonest sight in Chinese mojibake on the web. The search
treats such a code page as a codec of its own, so that "€" goes back to byte
0x80 and a U+FFFD is never taken for it.

Browsers read Shift_JIS as Windows-31J (Python's ``cp932``) with two changes:
bytes 0xA0 and 0xFD-0xFF are errors rather than private-use characters, and a
first byte that can't pair with a non-ASCII second byte takes that byte along
into one U+FFFD. So in ``web-sjis`` a U+FFFD is one byte or two, and the pair
it hides is one the code page leaves unmapped: see :func:`pairs`. They read
EUC-KR the same way, as Windows code page 949 (``web-euc-kr``).
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache

# name -> (the Python codec it extends, the byte it adds, what that byte reads
# as, the codec's own bytes for that character)
_EXTRA = {"web-gbk": ("gb18030", 0x80, "€", b"\xa2\xe3")}
# name -> (the Python codec it narrows, the single bytes it rejects although
# that codec maps them)
_NARROWED = {
    "web-sjis": ("cp932", frozenset((0xA0, 0xFD, 0xFE, 0xFF))),
    "web-euc-kr": ("cp949", frozenset()),
}

#: Code pages whose decoder may swallow two bytes into one U+FFFD.
PAIRED = frozenset(_NARROWED)
# The bytes that start a pair there, mapped or not (the WHATWG decoder's ranges).
_LEADS = {
    "web-sjis": frozenset((*range(0x81, 0xA0), *range(0xE0, 0xFD))),
    "web-euc-kr": frozenset(range(0x81, 0xFF)),
}


def leads(codec: str) -> frozenset:
    """The bytes that start a two-byte sequence in a :data:`PAIRED` code page."""
    return _LEADS[codec]


def encode(text: str, codec: str) -> bytes:
    """``text`` in ``codec``; raises UnicodeEncodeError as ``str.encode`` does.

    Some characters have two byte sequences in a code page, and UTF-8 can
    make either: GBK as browsers read it has "€" as 0x80 and as A2 E3 (。 is
    E3 80 82, so "慢。" reads 鎱€€ plus a lost byte), and Windows-31J has ≡ as
    81 DF and as 87 91 (金 is E9 87 91 and reads 驥≡ after 成). Each such
    character gets the bytes that keep the UTF-8 valid, the first listed
    when both do.
    """
    narrowed = _NARROWED.get(codec)
    if narrowed is not None:
        for b in narrowed[1]:
            # the characters these bytes are in the base codec never come out of this one
            if bytes((b,)).decode(narrowed[0]) in text:
                raise UnicodeEncodeError(codec, text, 0, len(text), "not produced by this code page")
    spellings, found = _spellings(codec)
    if not spellings or not found.search(text):
        return _encode_plain(text, codec)
    parts = found.split(text)  # text, then (character, text) pairs
    raw = [_encode_plain(p, codec) for p in parts[::2]]
    chars = parts[1::2]
    out = raw[0]
    for k, ch in enumerate(chars):
        options = spellings[ch]
        # the rest of the line goes along, its own doubles spelled the first way for now
        rest = b"".join(r + (spellings[c][0] if c else b"") for r, c in zip(raw[k + 1 :], [*chars[k + 1 :], ""]))
        out += min(options, key=lambda o: (_invalid(out + o + rest), options.index(o)))
        out += raw[k + 1]
    return out


def _base(codec: str) -> str:
    """The Python codec a code page of this module runs on."""
    return (_NARROWED.get(codec) or _EXTRA.get(codec) or (codec,))[0]


def _encode_plain(text: str, codec: str) -> bytes:
    return text.encode(_base(codec))


@lru_cache(maxsize=None)
def _spellings(codec: str) -> tuple[dict[str, tuple[bytes, ...]], object]:
    """The characters ``codec`` has more than one byte sequence for, each
    with its sequences (its own encoder's first), and a pattern that finds them."""
    found: dict[str, list[bytes]] = {}
    base = _base(codec)
    special = _NARROWED[codec][1] if codec in _NARROWED else {_EXTRA[codec][1]} if codec in _EXTRA else set()
    for a in range(0x80, 0x100):
        for raw in [bytes((a,)), *(bytes((a, b)) for b in range(0x40, 0x100))]:
            if a in special:
                try:
                    ch = decode(raw, codec)
                except UnicodeDecodeError:
                    continue
            else:
                ch = raw.decode(base, "replace")  # no exception to raise and catch: much faster
            if len(ch) == 1 and ch != "\ufffd":
                found.setdefault(ch, []).append(raw)
    out = {}
    for ch, raws in found.items():
        if len(raws) > 1:
            extra = _EXTRA.get(codec)
            first = bytes((extra[1],)) if extra and ch == extra[2] else _encode_plain(ch, codec)
            out[ch] = (first, *sorted(r for r in raws if r != first))
    pattern = re.compile("([" + "".join(re.escape(c) for c in sorted(out)) + "])") if out else None
    return out, pattern


def _invalid(raw: bytes) -> int:
    # A character cut short at either end is not counted: lost bytes may come
    # before (the text may start right after a U+FFFD) or after.
    raw = cut_in(raw)
    return codecs.getincrementaldecoder("utf-8")("replace").decode(raw, final=False).count("\ufffd")


def cut_in(raw: bytes) -> bytes:
    """``raw`` without the continuation bytes (three at most) that open it:
    the rest of a character whose first byte went elsewhere."""
    start = 0
    while start < min(3, len(raw)) and 0x80 <= raw[start] <= 0xBF:
        start += 1
    return raw[start:]


def decode(raw: bytes, codec: str) -> str:
    """``raw`` (a character or two) in ``codec``; raises UnicodeDecodeError."""
    narrowed = _NARROWED.get(codec)
    if narrowed is not None:
        base, rejected = narrowed
        if raw[:1] and raw[0] in rejected:
            raise UnicodeDecodeError(codec, raw, 0, 1, "not a character in this code page")
        return raw.decode(base)
    extra = _EXTRA.get(codec)
    if extra is None:
        return raw.decode(codec)
    base, byte, ch, _ = extra
    # the added byte is a character only where one starts, never a pair's second byte
    if raw[:1] == bytes((byte,)):
        return ch + raw[1:].decode(base)
    return raw.decode(base)


@lru_cache(maxsize=None)
def pairs(codec: str) -> tuple[frozenset, frozenset, frozenset]:
    """(first bytes, second bytes, (first, second) pairs) of the two-byte
    sequences that a :data:`PAIRED` decoder turns into one U+FFFD: a first
    byte of a pair followed by a non-ASCII byte it doesn't pair with."""
    base = _NARROWED[codec][0]
    leads = _LEADS[codec]
    bad = set()
    for g in leads:
        for y in range(0x80, 0x100):
            try:
                ok = len(bytes((g, y)).decode(base)) == 1
            except UnicodeDecodeError:
                ok = False
            if not ok:
                bad.add((g, y))
    return frozenset(g for g, _ in bad), frozenset(y for _, y in bad), frozenset(bad)
