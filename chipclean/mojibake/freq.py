"""Word frequencies of real text, when they are installed.

The structural prior of :mod:`.prior` knows which characters a codec calls
common, but ranks them by pronunciation or stroke count, so a lost byte that
leaves 一, 中 and 个 (or う and い) to choose from is a coin toss. The optional
``wordfreq`` package (``pip install chipclean[cjk]``) carries word frequencies
for Chinese, Japanese and Korean. With it, the holes of a line are filled so
that the line reads as the likeliest chain of words (个 before 事业, not 一事
before 业), and a character on its own is scored by how often words use it.
Nothing is downloaded: without the package the structural prior is used alone.

A model is built the first time a line of CJK mojibake is found (a second or
two per language) and kept for the life of the process.
"""

from __future__ import annotations

import math
import unicodedata
from functools import lru_cache
from importlib.util import find_spec

# Which word list serves which script of :data:`.prior.SCRIPTS`. The Chinese
# list is folded to simplified characters; traditional text falls back to the
# structural prior for the characters it lacks.
_LANG = {"hans": "zh", "hant": "zh", "ja": "ja", "ko": "ko"}
# A letter the word list never shows is at least this unlikely; rarer
# structural tiers are pushed further down by their extra cost.
_FLOOR = 2e-7
# A letter read on its own that the list doesn't hold as a one-letter word.
_ALONE = 3.0
# How many of the commonest characters are tried in holes too wide to enumerate.
_TOP = 6000
LONGEST = 8  # characters per word looked up


@lru_cache(maxsize=1)
def available() -> bool:
    """Whether the word lists are installed (found without importing them)."""
    try:
        return find_spec("wordfreq") is not None
    except (ImportError, ValueError):  # ValueError: a module blocked in sys.modules
        return False


def _is_letter(ch: str) -> bool:
    return ch >= "\x80" and unicodedata.category(ch)[0] in "LN"


class Model:
    """Word costs and character costs (negative natural logs of frequency)."""

    def __init__(self, words: dict[str, float]) -> None:
        kept = words
        per_char: dict[str, float] = {}
        for word, f in kept.items():
            for ch in word:
                per_char[ch] = per_char.get(ch, 0.0) + f
        total = sum(per_char.values()) or 1.0
        self.chars = {ch: -math.log(f / total) for ch, f in per_char.items()}
        self.words = {w: -math.log(f) for w, f in kept.items() if f > 0}
        self.prefixes = {w[:k] for w in self.words for k in range(1, min(len(w), LONGEST))}
        # the commonest characters by UTF-8 length, for holes too wide to enumerate
        common = sorted(self.chars, key=lambda ch: (self.chars[ch], ch))[:_TOP]
        self.top: dict[int, list[tuple[str, bytes]]] = {}
        for ch in common:
            raw = ch.encode("utf-8")
            self.top.setdefault(len(raw), []).append((ch, raw))

    def unigram(self, ch: str, fallback: float) -> float:
        """-log P(ch); ``fallback`` is the structural cost of :mod:`.prior`.

        Word lists hold no punctuation, so for marks and symbols the structural
        cost (roughly nats already) stands; a letter the list never shows is rare.
        """
        if not _is_letter(ch):
            return fallback
        found = self.chars.get(ch)
        if found is not None:
            return found
        return -math.log(_FLOOR) + max(0.0, fallback - 5.0)

    def segment(self, options: list[list[tuple[float, str, float]]]) -> tuple[float, list[str]]:
        """The cheapest reading of a line as a chain of words, and its cost.

        ``options`` holds, per position, (extra cost, character, structural
        cost) triples: one for a known character, several for a hole. A word
        fixes the characters of the positions it covers, so the search needs no
        state beyond the position: best[j] is the cheapest chain covering 0..j.
        """
        n = len(options)
        best = [0.0] + [math.inf] * n
        back: list = [None] * (n + 1)
        words, prefixes = self.words, self.prefixes
        for i in range(n):
            if best[i] == math.inf:
                continue
            frontier = [("", best[i])]
            for j in range(i, min(n, i + LONGEST)):
                grown = []
                for text, c in frontier:
                    for extra, ch, fallback in options[j]:
                        t = text + ch
                        cost = c + extra
                        w = words.get(t)
                        if w is None and j == i:
                            w = self.unigram(ch, fallback) + (_ALONE if _is_letter(ch) else 0.0)
                        if w is not None and cost + w < best[j + 1]:
                            best[j + 1] = cost + w
                            back[j + 1] = (i, t)
                        if t in prefixes:
                            grown.append((t, cost))
                if not grown:
                    break
                frontier = grown
        pieces: list[str] = []
        j = n
        while j > 0:
            i, t = back[j]
            pieces.append(t)
            j = i
        return best[n], list("".join(reversed(pieces)))


@lru_cache(maxsize=4)
def _model(lang: str) -> Model | None:
    try:
        import wordfreq
    except ImportError:
        return None
    for size in ("large", "small"):
        try:
            return Model(wordfreq.get_frequency_dict(lang, size))
        except (LookupError, ValueError, OSError):
            continue
    return None


def model(script: str | None) -> Model | None:
    """The frequency model for a script, or None when the package is missing."""
    if not available():
        return None
    return _model(_LANG.get(script, "zh"))
