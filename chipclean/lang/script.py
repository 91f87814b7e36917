"""Unicode scripts: what the writing system alone says about the language.

One compiled pattern finds runs of each script in a single C-level scan; a
run spans the spaces and punctuation between words of the same script, so a
paragraph of English is a handful of matches, not one per word. The lengths
are weights, not exact letter counts: they only need to rank scripts.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

import regex

# Scripts, in the order of the pattern's groups. "kana" holds the Japanese
# syllabaries and the prolonged-sound mark, which Unicode files under Common.
SCRIPTS: tuple[str, ...] = (
    "latin", "han", "kana", "hangul", "cyrillic", "arabic", "thai", "greek", "hebrew",
    "devanagari", "bengali", "georgian", "armenian", "tamil", "telugu", "kannada",
    "malayalam", "gujarati", "gurmukhi", "khmer", "lao", "sinhala", "other",
)
_CLASSES = {
    "kana": r"\p{Hiragana}\p{Katakana}\u30fc",
    "other": r"\p{L}",
}
_GLUE = r"[\s\p{P}\p{N}\p{Sk}]"


def _class(script: str) -> str:
    return _CLASSES.get(script, rf"\p{{Script={script.capitalize()}}}")


def _run(script: str) -> str:
    if script == "other":
        return r"(\p{L})"
    cls = _class(script)
    return rf"([{cls}]+(?:{_GLUE}+[{cls}]+)*)"


_RUNS = regex.compile("|".join(_run(s) for s in SCRIPTS))

# Where nearly all text is written: ASCII and Latin-1, general punctuation,
# CJK punctuation and kana, the main block of Han and the full-width forms.
_COMMON = ((0x0, 0x250), (0x2000, 0x2070), (0x3000, 0x3100), (0x4E00, 0xA000), (0xFF00, 0xFFF0))
_UNCOMMON = "[^" + "".join(f"\\U{a:08x}-\\U{b - 1:08x}" for a, b in _COMMON) + "]"


def _members(cls: str, blocks: list[tuple[int, str]]) -> str:
    """The characters of ``blocks`` (start, characters) in ``cls``, as the
    ranges of a class."""
    return "".join(
        f"\\U{a + m.start():08x}-\\U{a + m.end() - 1:08x}"
        for a, chars in blocks
        for m in regex.finditer(f"[{cls}]+", chars)
    )


@functools.lru_cache(maxsize=1)
def _common_runs() -> tuple["re.Pattern", tuple[str, ...]]:
    """``_RUNS`` for text of the common blocks only, on the standard library's
    engine (which tests a class as a bitmap, several times faster than the
    regex module's property lookups). Each class is the set of common
    characters the full class holds, so on such text the matches are the
    same; scripts with no common character are left out. A last group
    matches any other character, which none of the runs can hold: when it
    matches, the text is not common and goes to ``_RUNS``."""
    blocks = [(a, "".join(map(chr, range(a, b)))) for a, b in _COMMON]
    glue = _members(_GLUE[1:-1], blocks)
    alternatives, scripts = [], []
    for script in SCRIPTS:
        cls = _members(_class(script), blocks)
        if not cls:
            continue
        scripts.append(script)
        alternatives.append(f"([{cls}])" if script == "other" else f"([{cls}]+(?:[{glue}]+[{cls}]+)*)")
    alternatives.append(f"({_UNCOMMON})")
    scripts.append("")
    return re.compile("|".join(alternatives)), tuple(scripts)


# The standard library's engine is several times faster than regex's on plain
# classes: these two decide the common all-Latin case before the full scan.
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
_NON_LATIN_LETTER = re.compile(r"[^\W\d_A-Za-z\u00aa\u00b5\u00ba\u00c0-\u024f\u1e00-\u1eff]")

#: Scripts that belong to one language among those we report (Devanagari is
#: shared by Hindi, Marathi and Nepali, Bengali by Bengali and Assamese, Arabic
#: by Arabic, Persian and Urdu, Cyrillic and Latin by many: those go further).
SINGLE_LANGUAGE: dict[str, str] = {
    "hangul": "ko",
    "kana": "ja",
    "thai": "th",
    "greek": "el",
    "hebrew": "he",
    "georgian": "ka",
    "armenian": "hy",
    "tamil": "ta",
    "telugu": "te",
    "kannada": "kn",
    "malayalam": "ml",
    "gujarati": "gu",
    "gurmukhi": "pa",
    "khmer": "km",
    "lao": "lo",
    "sinhala": "si",
}

# A Han character carries about as much as a short word; weigh the CJK scripts
# so that a Chinese paragraph is not outvoted by an English one of equal content.
_CJK_WEIGHT = 3
_CJK = ("han", "kana", "hangul")
LATIN_YIELDS = 0.4


@dataclass
class ScriptCounts:
    """Weights of each script in a text, and the text of each script."""

    weights: dict[str, int] = field(default_factory=dict)
    spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.weights.values())

    def group(self) -> tuple[str, float]:
        """The dominant script group ("cjk" for Han, kana and Hangul) and its share."""
        total = self.total
        if not total:
            return "", 0.0
        groups: dict[str, int] = {}
        for script, w in self.weights.items():
            key = "cjk" if script in _CJK else script
            groups[key] = groups.get(key, 0) + w
        # ties broken by name, never by dict order
        ranked = sorted(groups, key=lambda k: (-groups[k], k))
        best = ranked[0]
        if best == "latin" and len(ranked) > 1 and groups[ranked[1]] >= LATIN_YIELDS * total:
            # Latin letters are everybody's names, brands and web addresses: a
            # text that gives this much to another script is written in it
            best = ranked[1]
        return best, groups[best] / total

    def text_of(self, text: str, script: str, limit: int) -> str:
        """The runs of ``script`` joined by spaces, at most ``limit`` characters."""
        parts: list[str] = []
        size = 0
        for start, end in self.spans.get(script, ()):
            parts.append(text[start:end])
            size += end - start + 1
            if size >= limit:
                break
        return " ".join(parts)[:limit]


@functools.lru_cache(maxsize=1)
def _maybe_non_latin() -> "re.Pattern":
    """A plain class holding every character ``_NON_LATIN_LETTER`` may match:
    all but the common characters it does not. Tested as a bitmap, it skips
    through Latin text about twice as fast as the letter class can."""
    runs = []
    for a, b in _COMMON:
        chars = "".join(map(chr, range(a, b)))
        for m in re.finditer(rf"(?:(?!{_NON_LATIN_LETTER.pattern}).)+", chars, re.S):
            runs.append(f"\\U{a + m.start():08x}-\\U{a + m.end() - 1:08x}")
    return re.compile("[^" + "".join(runs) + "]")


def _non_latin_letter(text: str) -> bool:
    maybe = _maybe_non_latin().search
    pos = 0
    while True:
        m = maybe(text, pos)
        if m is None:
            return False
        if _NON_LATIN_LETTER.match(text, m.start()):
            return True
        pos = m.start() + 1


def count_scripts(text: str) -> ScriptCounts:
    counts = ScriptCounts()
    if text.isascii() or not _non_latin_letter(text):
        # the common case costs one or two C-level searches
        if _LATIN_LETTER.search(text):
            counts.weights["latin"] = len(text)
            counts.spans["latin"] = [(0, len(text))]
        return counts
    weights = counts.weights
    spans = counts.spans
    runs, scripts = _common_runs()
    found = []
    for m in runs.finditer(text):
        script = scripts[m.lastindex - 1]
        if not script:  # a character outside the common blocks
            found = [(SCRIPTS[m.lastindex - 1], m.span()) for m in _RUNS.finditer(text)]
            break
        found.append((script, m.span()))
    for script, (start, end) in found:
        weights[script] = weights.get(script, 0) + (end - start) * (_CJK_WEIGHT if script in _CJK else 1)
        spans.setdefault(script, []).append((start, end))
    return counts
