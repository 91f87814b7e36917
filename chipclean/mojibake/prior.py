"""How plausible a character is in real text, without shipping frequency data.

Legacy codecs were designed around character frequency: GB2312 splits its
hanzi into a common level 1 and a rarer level 2, Big5 has a "frequently used"
block before the "less frequently used" one, JIS X 0208 has level 1 and level 2
kanji, and KS X 1001 lists the 2,350 Hangul syllables in everyday use. Their
symbol rows and the 0x80-0x9F extras of Windows-1252 list the punctuation that
mattered enough to get a code point. Decoding those code ranges at import time
gives a tiered prior: a cost (negative log plausibility, roughly in nats) per
character. Emoji properties come from the ``regex`` module's Unicode tables.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from itertools import repeat

import regex

# Costs. Lower means more plausible.
ASCII_WORD = 2.0
ASCII_PUNCT = 3.0
COMMON = 5.0  # common hanzi/kanji/hangul, kana, CJK punctuation
TYPOGRAPHIC = 5.5  # cp1252 extras: • – — ‘ ’ “ ” … € ™
EMOJI = 6.5
EMOJI_WEB = 5.8  # in Western web text an emoji beats a rare symbol
LETTER = 7.0  # letters of other alphabets, Latin-1 letters
SYMBOL_COMMON = 8.0  # symbols that legacy CJK codecs encode
UNCOMMON = 9.0  # level-2 hanzi/kanji, hanja
PICTOGRAPH = 9.0
SYMBOL = 11.0
RARE_HAN = 13.0
HALFWIDTH = 12.0
PRIVATE = 25.0
CONTROL = 30.0
INVALID = 40.0


def _decode_rows(codec: str, leads: range, trails) -> set[str]:
    out: set[str] = set()
    trails = bytes(trails)
    for lead in leads:
        row = b"".join(bytes((lead, t)) for t in trails)
        try:
            # a whole row at once when every pair in it is one character
            chars = row.decode(codec)
            if len(chars) == len(trails) and chars.encode(codec) == row:
                out.update(chars)
                continue
        except (UnicodeDecodeError, UnicodeEncodeError):
            pass
        for trail in trails:
            try:
                ch = bytes((lead, trail)).decode(codec)
            except UnicodeDecodeError:
                continue
            if len(ch) == 1:
                out.add(ch)
    return out


_EUC_TRAILS = range(0xA1, 0xFF)
_BIG5_TRAILS = [*range(0x40, 0x7F), *range(0xA1, 0xFF)]
_SJIS_TRAILS = [*range(0x40, 0x7F), *range(0x80, 0xFD)]


#: The scripts a line can be scored for; None scores for all of them at once.
SCRIPTS = ("hans", "hant", "ja", "ko")

#: Western web text: what bullets, arrows and emoji turn into in a Thai codepage.
WEB = "web"
# The cp1252 extras that are punctuation rather than letters or rarities.
TYPOGRAPHY = "•–—‘’“”…€™"
# Markers pages use for lists, links and "read more" (chosen by hand: shapes, not frequencies).
MARKERS = "▶►▸▹◀◄▲△▼▽■□▪▫●○◆◇◦★☆✓✔✕✖✗✘➜➤→←↑↓↔⇒⇐"
# Emoji that pages use as interface marks (time, status, attention), chosen by hand.
WEB_EMOJI = "⚡⏳⌛⏰⏱✅❌❗❓⭐✨☑⚠"


@lru_cache(maxsize=1)
def _common_sets() -> dict[str, frozenset]:
    return {
        "hans": frozenset(_decode_rows("gb2312", range(0xB0, 0xD8), _EUC_TRAILS)),  # GB2312 level 1
        "hant": frozenset(_decode_rows("big5", range(0xA4, 0xC7), _BIG5_TRAILS)),  # Big5 frequent block
        "ja": frozenset(_decode_rows("euc_jp", range(0xB0, 0xD0), _EUC_TRAILS)),  # JIS level 1
        "ko": frozenset(_decode_rows("euc_kr", range(0xB0, 0xC9), _EUC_TRAILS)),  # KS X 1001 Hangul
    }


@lru_cache(maxsize=8)
def _tables(script: str | None = None) -> dict[str, float]:
    table: dict[str, float] = {}

    def put(chars, cost):
        for ch in chars:
            if table.get(ch, 99.0) > cost:
                table[ch] = cost

    if script == WEB:
        put(TYPOGRAPHY, TYPOGRAPHIC)
        put("\ufe0f\u200d", TYPOGRAPHIC)  # emoji presentation selector, joiner
        put(WEB_EMOJI, TYPOGRAPHIC - 0.2)
        put(MARKERS, TYPOGRAPHIC + 0.5)
        put((chr(c) for c in range(0x1F000, 0x1FB00) if _EMOJI.match(chr(c))), EMOJI_WEB)
        put((chr(c) for c in range(0x2000, 0x2C00) if _EMOJI.match(chr(c))), EMOJI_WEB)
        put(bytes(range(0x80, 0xA0)).decode("cp1252", "ignore"), SYMBOL_COMMON)
        put((chr(c) for c in range(0x3000, 0xA000)), RARE_HAN + 5)
        return table

    common = _common_sets()
    if script is None:
        # A character that several standards list as common is more common
        # than one only a single standard does.
        votes: dict[str, int] = {}
        for name in ("hans", "hant", "ja"):
            for ch in common[name]:
                votes[ch] = votes.get(ch, 0) + 1
        for ch, k in votes.items():
            put((ch,), COMMON + 1.0 - 0.5 * k)
        put(common["ko"], COMMON)
    else:
        put(common[script], COMMON - 0.5)
        for name in SCRIPTS:
            put(common[name], COMMON + 1.0)
    # small vowel kana only modify a kana before them in loanwords: rarer
    small = set("ぁぃぅぇぉゃゅょゎゕゖァィゥェォャュョヮヵヶ")
    kana = [chr(c) for c in [*range(0x3041, 0x3097), *range(0x30A1, 0x30FD)]]
    put((ch for ch in kana if ch not in small), COMMON - (0.5 if script == "ja" else 0))
    put(small, COMMON + 0.5)
    # the handful of CJK punctuation marks that end or split most sentences
    put("，。", COMMON - 1.5)
    put("、：；！？“”（）《》「」", COMMON - 1.0)
    # punctuation rows: GB2312 row 1 and full-width forms, JIS row 1, Big5 A1 row
    put(_decode_rows("gb2312", range(0xA1, 0xA2), _EUC_TRAILS), COMMON)
    put(_decode_rows("gb2312", range(0xA3, 0xA4), _EUC_TRAILS), COMMON)
    put(_decode_rows("euc_jp", range(0xA1, 0xA2), _EUC_TRAILS), COMMON)
    # rarer ideographs
    put(_decode_rows("gb2312", range(0xD8, 0xF8), _EUC_TRAILS), UNCOMMON)
    put(_decode_rows("big5", range(0xC9, 0xFA), _BIG5_TRAILS), UNCOMMON)
    put(_decode_rows("euc_jp", range(0xD0, 0xF5), _EUC_TRAILS), UNCOMMON)
    put(_decode_rows("euc_kr", range(0xCA, 0xFE), _EUC_TRAILS), UNCOMMON)
    # the other symbol rows of the CJK codecs
    put(_decode_rows("gb2312", range(0xA2, 0xAA), _EUC_TRAILS), SYMBOL_COMMON)
    put(_decode_rows("euc_jp", range(0xA2, 0xA9), _EUC_TRAILS), SYMBOL_COMMON)
    put(_decode_rows("euc_kr", range(0xA1, 0xAD), _EUC_TRAILS), SYMBOL_COMMON)
    put(_decode_rows("big5", range(0xA1, 0xA4), _BIG5_TRAILS), SYMBOL_COMMON)
    # Windows-1252 spent its spare bytes on the typographic characters people use
    put(TYPOGRAPHY, TYPOGRAPHIC)
    put(bytes(range(0x80, 0xA0)).decode("cp1252", "ignore"), SYMBOL_COMMON)
    if script == "ko":
        # Korean ends and splits sentences with ASCII marks; the full-width
        # ones of Chinese and Japanese are rare there
        for ch in _FULL_WIDTH_MARKS:
            table[ch] = max(table[ch], SYMBOL_COMMON)
    return table


_FULL_WIDTH_MARKS = "，。、：；！？（）"


@lru_cache(maxsize=1)
def rare_cjk():
    """A pattern for CJK-range characters that are *not* common in any script.

    Mojibake from a double-byte codec is about half level-2, extension and
    half-width characters; genuine text rarely has more than a few percent.
    (The standard-library engine handles a class this large much faster.)
    """
    import re

    common = set().union(*_common_sets().values())
    common.update(chr(c) for c in range(0x3000, 0x3040))
    common.update(chr(c) for c in range(0x3041, 0x30FD))
    common.update(chr(c) for c in range(0xFF01, 0xFF5F))
    points = sorted(ord(ch) for ch in common if ch >= "\u3000")
    ranges = []
    start = 0x3000
    for cp in points + [0x10000]:
        if cp > start:
            ranges.append((start, cp - 1))
        start = cp + 1
    body = "".join(
        re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges
    )
    return re.compile("[" + body + "]")


def rare_positions(text: str) -> list[int]:
    """Where ``text`` has CJK-range characters that no script uses often."""
    return [m.start() for m in rare_cjk().finditer(text)]


_KANA = regex.compile(r"[\u3041-\u30fc]")


def guess_script(text: str) -> str | None:
    """Which script's prior fits the ideographs and syllables of a text best."""
    common = _common_sets()
    counts = {name: sum(map(common[name].__contains__, text)) for name in SCRIPTS}
    counts["ja"] += 3 * len(_KANA.findall(text))
    best = max(SCRIPTS, key=lambda k: (counts[k], -SCRIPTS.index(k)))
    return best if counts[best] else None


_EMOJI = regex.compile(r"\p{Emoji_Presentation}")
_PICTO = regex.compile(r"\p{Extended_Pictographic}")
# Blocks of symbols that turn up in web text as bullets and markers.
_MARKER_BLOCKS = ((0x2190, 0x21FF), (0x25A0, 0x25FF), (0x2700, 0x27BF))


@lru_cache(maxsize=1 << 17)
def cost(ch: str, script: str | None = None) -> float:
    o = ord(ch)
    if o < 0x80:
        if ch.isalnum() or ch == " ":
            return ASCII_WORD
        if o >= 0x20 or ch in "\t\n\r":
            return ASCII_PUNCT
        return CONTROL
    known = _tables(script).get(ch)
    if known is not None:
        return known
    if script == WEB and 0x2000 <= o < 0x2C00:
        if any(a <= o <= b for a, b in _MARKER_BLOCKS) or _PICTO.match(ch):
            return PICTOGRAPH
        return SYMBOL
    cat = unicodedata.category(ch)
    if cat in ("Cn", "Cs") or (o & 0xFFFE) == 0xFFFE or 0xFDD0 <= o <= 0xFDEF:
        return INVALID
    if cat == "Cc":
        return CONTROL
    if cat == "Co":
        return PRIVATE
    if _EMOJI.match(ch):
        return EMOJI
    if 0xFF61 <= o <= 0xFF9F:
        return HALFWIDTH
    if cat.startswith("L"):
        if 0x3400 <= o <= 0x9FFF or 0x20000 <= o <= 0x3FFFF or 0xF900 <= o <= 0xFAFF:
            return RARE_HAN
        if 0xAC00 <= o <= 0xD7A3:
            return UNCOMMON
        if o < 0x2000 and cat in ("Ll", "Lu", "Lo"):
            return LETTER
        return SYMBOL
    if _PICTO.match(ch):
        return PICTOGRAPH
    if any(a <= o <= b for a, b in _MARKER_BLOCKS):
        return PICTOGRAPH
    if cat == "Zs" or cat.startswith("P"):
        return SYMBOL_COMMON if o < 0x2070 else SYMBOL
    if cat.startswith("M"):
        return SYMBOL + 2
    return SYMBOL


@lru_cache(maxsize=32)
def ranked(nbytes: int, script: str | None = None) -> tuple[tuple[float, str, bytes], ...]:
    """Characters of a given UTF-8 length that the tables know, best first."""
    out = [(c, ch, ch.encode("utf-8")) for ch, c in _tables(script).items() if len(ch.encode("utf-8")) == nbytes]
    out.sort()
    return tuple(out)


def text_cost(text: str, script: str | None = None) -> float:
    return sum(map(cost, text, repeat(script)))
