"""Han characters: Simplified or Traditional Chinese, or Japanese kanji.

The evidence is per character. A character that OpenCC's Traditional-to-
Simplified table changes, and its Simplified-to-Traditional table leaves
alone, is written only in Traditional text (國, 聲); the reverse holds for
Simplified-only characters (国, 声). The tables are read from OpenCC once per
process by converting every CJK Unified Ideograph, so they follow the installed
OpenCC and need no copy in this package.

Japanese writes some characters in forms that neither Chinese script uses
(気, 売, 駅: shinjitai); one of those in a run of Han text is Japanese.
"""

from __future__ import annotations

import functools

# Shinjitai forms that neither Simplified nor Traditional Chinese uses,
# limited to common ones (jōyō kanji). Checked against Chinese news text:
# none of them occurs there.
JAPANESE_ONLY = frozenset(
    "両乗亀亜仏仮伝価児円処剣剤労効勧単厳収営団囲図圏圧塩増壊売変奨嬢実対専巣帯帰庁広廃"
    "弾従徳応悩悪懐戦戻払抜択拝拠拡挙捜掲揺撃斉歓歩歯歳歴殻毎気浄浜渇済渉渋満滝焼犠猟獣"
    "畳発県砕穏粋粛経絵継続総緑縁縄縦繊聴脳臓薬蔵覚覧観訳証説読譲豊賛転軽辺遅郷酔醸釈鉄"
    "鉱銭鋭録関闘険隠隣雑霊頼顔顕駅駆騒験髪鶏黒黙齢"
)

_CJK_RANGE = (0x4E00, 0xA000)


@functools.lru_cache(maxsize=1)
def script_tables() -> tuple[frozenset[str], frozenset[str]]:
    """(simplified-only, traditional-only) characters, from OpenCC."""
    import opencc

    chars = [chr(c) for c in range(*_CJK_RANGE)]
    joined = "\n".join(chars)
    to_trad = opencc.OpenCC("s2t").convert(joined).split("\n")
    to_simp = opencc.OpenCC("t2s").convert(joined).split("\n")
    if not (len(to_trad) == len(to_simp) == len(chars)):  # pragma: no cover - OpenCC contract
        return frozenset(), frozenset()
    simplified = frozenset(c for c, t, s in zip(chars, to_trad, to_simp) if t != c and s == c)
    traditional = frozenset(c for c, t, s in zip(chars, to_trad, to_simp) if s != c and t == c)
    return simplified, traditional


@functools.lru_cache(maxsize=1)
def _patterns() -> tuple:
    # the standard library compiles a large class into a bitmap; the regex
    # module scans it member by member (30 times slower here)
    import re

    simplified, traditional = script_tables()
    return tuple(
        re.compile("[" + "".join(sorted(chars)) + "]") if chars else None
        for chars in (simplified, traditional, JAPANESE_ONLY)
    )


def han_evidence(text: str) -> tuple[int, int, int]:
    """Counts of (simplified-only, traditional-only, Japanese-only) characters."""
    return tuple(_count(p, text, p and p.search(text)) for p in _patterns())  # type: ignore[return-value]


def _count(pattern, text: str, first) -> int:
    """Matches of a one-character ``pattern`` from its first match ``first``
    (None: there is none) on, in one C-level scan. findall of single
    characters is cheaper than subn, which copies all the text it keeps."""
    return 0 if first is None else len(pattern.findall(text, first.start()))


def one_side(text: str) -> str | tuple[int, int, int]:
    """``zh-Hans`` when the text holds Simplified-only characters and no
    Traditional-only or Japanese-only one, ``zh-Hant`` the other way round,
    else the counts of :func:`han_evidence`. Searches that stop at a hit
    settle the common case, with no counting at all; otherwise only the kinds
    found are counted, from their first hit."""
    simplified, traditional, japanese = _patterns()
    if simplified is None or traditional is None or japanese is None:  # pragma: no cover - OpenCC contract
        return han_evidence(text)
    found_s = simplified.search(text)
    # one scan rules out both kinds that a Simplified text lacks
    either = _traditional_or_japanese().search(text)
    if either is None:
        return "zh-Hans" if found_s is not None else (0, 0, 0)
    found_j = japanese.search(text, either.start())
    found_t = traditional.search(text, either.start())
    if found_j is None and found_s is None:
        return "zh-Hant"
    return (_count(simplified, text, found_s), _count(traditional, text, found_t), _count(japanese, text, found_j))


@functools.lru_cache(maxsize=1)
def _traditional_or_japanese():
    import re

    _, traditional = script_tables()
    return re.compile("[" + "".join(sorted(traditional | JAPANESE_ONLY)) + "]")


def chinese_script(simplified: int, traditional: int) -> tuple[str, float]:
    """``zh-Hans`` or ``zh-Hant`` by majority of the evidence, and its share.

    Text with no script-specific character reads the same in both; it is
    tagged ``zh`` so that nobody mistakes a guess for evidence.
    """
    total = simplified + traditional
    if not total:
        return "zh", 0.5
    if traditional > simplified:
        return "zh-Hant", traditional / total
    return "zh-Hans", simplified / total
