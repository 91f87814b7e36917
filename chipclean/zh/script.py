"""Which Chinese script a stretch of text is written in.

A character counts as Simplified-only when OpenCC turns it into a different
Traditional character, Big5 cannot encode it, and converting back returns it;
Traditional-only likewise, with GB 2312. The round trip keeps out variants
that both scripts use, such as 昇 (Simplified keeps it in 昇腾, but ``t2s``
maps it to 升).
"""

from __future__ import annotations

import functools
import re

from .convert import convert, memo, remember_tables, save

HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))


def _encodable(ch: str, codec: str) -> bool:
    try:
        ch.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def _convert_each(config: str, chars: list[str]) -> list[str]:
    # one call for all characters; newlines keep phrases from forming
    return convert(config, "\n".join(chars)).split("\n")


@functools.lru_cache(maxsize=1)
def char_tables() -> tuple[dict[str, str], dict[str, str]]:
    """Simplified-only -> Traditional and Traditional-only -> Simplified,
    character by character."""
    kept = memo().get("tables")
    if kept:
        return tuple(dict(zip(*kept[name])) for name in ("simp", "trad"))  # type: ignore[return-value]
    simp, trad = compute_char_tables()
    remember_tables({name: ["".join(t), "".join(t.values())] for name, t in (("simp", simp), ("trad", trad))})
    save()
    return simp, trad


def compute_char_tables() -> tuple[dict[str, str], dict[str, str]]:
    """:func:`char_tables` from OpenCC's dictionaries."""
    han = [chr(i) for a, b in _RANGES for i in range(a, b)]
    s2t = _convert_each("s2t", han)
    t2s = _convert_each("t2s", han)
    simp_cands = [(c, t) for c, t in zip(han, s2t) if t != c and len(t) == 1 and not _encodable(c, "big5")]
    trad_cands = [(c, s) for c, s in zip(han, t2s) if s != c and len(s) == 1 and not _encodable(c, "gb2312")]
    back_t2s = _convert_each("t2s", [t for _, t in simp_cands])
    simp = {c: t for (c, t), b in zip(simp_cands, back_t2s) if b == c}
    backs = [_convert_each(cfg, [s for _, s in trad_cands]) for cfg in ("s2t", "s2tw", "s2hk")]
    trad = {c: s for i, (c, s) in enumerate(trad_cands) if any(b[i] == c for b in backs)}
    return simp, trad


def char_classes() -> tuple[str, str]:
    """(Simplified-only, Traditional-only) characters, as strings."""
    simp, trad = char_tables()
    return "".join(simp), "".join(trad)


def to_hans_chars(text: str) -> str:
    """Replace Traditional-only characters one by one; unlike ``t2s`` this
    leaves characters both scripts use (昇, 台) alone."""
    return text.translate(_translate_tables()[1])


def to_hant_chars(text: str) -> str:
    return text.translate(_translate_tables()[0])


@functools.lru_cache(maxsize=1)
def _translate_tables():
    simp, trad = char_tables()
    return str.maketrans(simp), str.maketrans(trad)


@functools.lru_cache(maxsize=1)
def _patterns():
    # the standard library's engine scans a large character class as a
    # bitmap, many times faster than ``regex`` does
    simp, trad = char_classes()
    return re.compile(_class(simp)), re.compile(_class(trad))


def _class(chars: str) -> str:
    """A character class of ``chars`` written as ranges."""
    codes = sorted({ord(c) for c in chars})
    parts, i = [], 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        a, b = chr(codes[i]), chr(codes[j])
        parts.append(re.escape(a) if i == j else f"{re.escape(a)}-{re.escape(b)}")
        i = j + 1
    return "[" + "".join(parts) + "]"


def script_counts(text: str) -> tuple[int, int]:
    """(Simplified-only, Traditional-only) character counts in ``text``."""
    simp, trad = _patterns()
    return len(simp.findall(text)), len(trad.findall(text))


def script_presence(text: str) -> tuple[bool, bool]:
    """Whether ``text`` has any Simplified-only, any Traditional-only
    character (cheaper than counting them)."""
    simp, trad = _patterns()
    return simp.search(text) is not None, trad.search(text) is not None


def has_han(text: str) -> bool:
    return HAN.search(text) is not None
