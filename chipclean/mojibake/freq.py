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

from . import prior

# Which word list serves which script of :data:`.prior.SCRIPTS`. The Chinese
# list is folded to simplified characters; traditional text falls back to the
# structural prior for the characters it lacks.
# (wordfreq language, langdetect profile) per script.
_LANG = {"hans": ("zh", "zh-cn"), "hant": ("zh", "zh-tw"), "ja": ("ja", "ja"), "ko": ("ko", "ko")}
# A letter the word list never shows is at least this unlikely; rarer
# structural tiers are pushed further down by their extra cost.
_FLOOR = 2e-7
# A letter read on its own that the list doesn't hold as a one-letter word.
_ALONE = 3.0
# How much a pair seen inside words counts across a word boundary.
_JOIN = 0.6
# The shade: how much a nat of word frequency moves the structural cost, around
# which cost, and how far at most.
_SHADE = 0.5
_SHADE_MID = 8.0
_SHADE_MAX = 1.5
# A symbol that no CJK code page encodes (⨰, ⊁) is rarer in the text the
# word lists describe than its structural cost says: rarer than a letter
# that turns up in a handful of words (騰).
_SYMBOL_RARER = 4.0
# How many of the commonest characters are tried in holes too wide to enumerate.
_TOP = 6000
_LONGEST = 6  # characters per word looked up


@lru_cache(maxsize=1)
def available() -> bool:
    """Whether the word lists are installed (found without importing them)."""
    try:
        return find_spec("wordfreq") is not None
    except (ImportError, ValueError):  # ValueError: a module blocked in sys.modules
        return False


def _is_letter(ch: str) -> bool:
    # Full-width digits and Latin letters are folded to ASCII in the word
    # lists, so the lists never show them: they keep their structural cost.
    return ch >= "\x80" and not "\uff01" <= ch <= "\uff5e" and unicodedata.category(ch)[0] in "LN"


class TextPairs:
    """How often running text puts a character next to a digit or a Latin letter.

    From langdetect's language profiles (installed with langdetect): counts of
    the commonest one- and two-character n-grams of Wikipedia text, with every
    ASCII character folded into a space. (langdetect also folds some CJK
    characters into classes and all kana into あ and ア; such pairs say
    nothing about one character and are never asked for, or not found.)
    """

    def __init__(self, counts: dict[str, int]) -> None:
        self.counts = counts
        self.single = sum(n for g, n in counts.items() if len(g) == 1) or 1
        self.after_space = sum(n for g, n in counts.items() if len(g) == 2 and g[0] == " ") or 1
        self.before_space = sum(n for g, n in counts.items() if len(g) == 2 and g[1] == " ") or 1

    def lift(self, prev: str, ch: str) -> float:
        """log(1 + P(pair | one side ASCII) / P(the other character))."""
        if prev.isascii() == ch.isascii():
            return 0.0
        other = ch if prev.isascii() else prev
        alone = self.counts.get(other)
        if other in "あア" or not alone:
            return 0.0
        gram = " " + ch if prev.isascii() else prev + " "
        total = self.after_space if prev.isascii() else self.before_space
        return math.log1p(self.counts.get(gram, 0) / total * self.single / alone)


@lru_cache(maxsize=4)
def _text_pairs(profile: str) -> TextPairs | None:
    import json
    from pathlib import Path

    try:
        import langdetect

        path = Path(langdetect.__file__).parent / "profiles" / profile
        return TextPairs(json.loads(path.read_text(encoding="utf-8"))["freq"])
    except (ImportError, OSError, ValueError, KeyError):
        return None


class Model:
    """Word costs and character costs (negative natural logs of frequency)."""

    def __init__(self, words: dict[str, float], text: TextPairs | None = None) -> None:
        self.text = text
        per_char: dict[str, float] = {}
        pairs: dict[str, float] = {}
        for word, f in words.items():
            for ch in word:
                per_char[ch] = per_char.get(ch, 0.0) + f
            for k in range(len(word) - 1):
                pair = word[k : k + 2]
                pairs[pair] = pairs.get(pair, 0.0) + f
        self._per_char, self._pairs = per_char, pairs
        # How often a letter is followed by itself inside words (看看, 慢慢):
        # the share of a doubled pair that no listed word shows (艾未未, a name)
        doubled = sum(pairs.get(ch + ch, 0.0) for ch in per_char if _is_letter(ch))
        self._doubled = doubled / (sum(pairs.values()) or 1.0)
        self._joined: dict[tuple[str, str], float] = {}
        self._alone_costs: dict[tuple[str, float], float] = {}
        self._next: dict | None = None
        self._prev: dict | None = None
        total = sum(per_char.values()) or 1.0
        self.chars = {ch: -math.log(f / total) for ch, f in per_char.items()}
        self.words = {w: -math.log(f) for w, f in words.items() if f > 0}
        self.prefixes = {w[:k] for w in self.words for k in range(1, min(len(w), _LONGEST))}
        # the commonest characters by UTF-8 length, for holes too wide to enumerate
        common = sorted(self.chars, key=lambda ch: (self.chars[ch], ch))[:_TOP]
        self.top: dict[int, list[tuple[str, bytes]]] = {}
        for ch in common:
            raw = ch.encode("utf-8")
            self.top.setdefault(len(raw), []).append((ch, raw))

    def glue(self, chains) -> None:
        """Take chains of words as words of their own, a little cheaper than their parts."""
        for chain in chains:
            cost, pieces = self.segment([[(0.0, ch, prior.cost(ch))] for ch in chain])
            if len(pieces) == len(chain) and cost < math.inf:
                self.words[chain] = min(self.words.get(chain, math.inf), cost - _GLUE)
                self.prefixes.update(chain[:k] for k in range(1, len(chain)))

    def _neighbours(self) -> tuple[dict, dict]:
        if self._next is None:
            after: dict[str, list] = {}
            before: dict[str, list] = {}
            for pair, f in self._pairs.items():
                after.setdefault(pair[0], []).append((-f, pair[1]))
                before.setdefault(pair[1], []).append((-f, pair[0]))
            self._next = {ch: tuple(c for _, c in sorted(v)) for ch, v in after.items()}
            self._prev = {ch: tuple(c for _, c in sorted(v)) for ch, v in before.items()}
        return self._next, self._prev

    def followers(self, ch: str) -> tuple[str, ...]:
        """The characters words put right after ``ch``, the most used first."""
        return self._neighbours()[0].get(ch, ())

    def leaders(self, ch: str) -> tuple[str, ...]:
        """The characters words put right before ``ch``, the most used first."""
        return self._neighbours()[1].get(ch, ())

    def unigram(self, ch: str, fallback: float) -> float:
        """-log P(ch); ``fallback`` is the structural cost of :mod:`.prior`.

        Word lists hold no punctuation, so for marks and symbols the structural
        cost (roughly nats already) stands; a letter the list never shows is rare.
        """
        if not _is_letter(ch):
            if fallback >= prior.SYMBOL or unicodedata.category(ch)[0] == "S":
                return fallback + _SYMBOL_RARER
            return fallback
        found = self.chars.get(ch)
        if found is not None:
            return found
        return -math.log(_FLOOR) + max(0.0, fallback - 5.0)

    def shade(self, ch: str) -> float:
        """A nudge to the structural cost of a letter: down for the ones words
        use most, up for the rare ones, within ±_SHADE_MAX so that the tiers
        (and what the search accepts) stay as the structural prior has them."""
        if not _is_letter(ch):
            return 0.0
        u = self.chars.get(ch)
        if u is None:
            return _SHADE_MAX
        return max(-_SHADE_MAX, min(_SHADE_MAX, _SHADE * (u - _SHADE_MID)))

    def joined(self, prev: str, ch: str) -> float:
        """A bonus for a word that starts with a character words often put
        after ``prev`` (ょ then う): the list splits でしょう into でしょ + う,
        so the pair inside other words is the only trace of it. A doubled
        letter is never rarer than doubling is in general (一一, 未未). Next
        to a digit or a Latin letter, which word lists keep apart, running
        text says what is common (10月, 61个, 于12)."""
        key = (prev, ch)
        found = self._joined.get(key)
        if found is None:
            found = 0.0
            if prev.isascii() or ch.isascii():
                if self.text is not None:
                    found = _JOIN * self.text.lift(prev, ch)
            else:
                seen = self._per_char.get(prev)
                given = self._pairs.get(prev + ch, 0.0) / seen if seen else 0.0
                if prev == ch and _is_letter(ch):
                    given = max(given, self._doubled)
                if given and ch in self.chars:
                    found = _JOIN * math.log1p(given * math.exp(self.chars[ch]))
            self._joined[key] = found
        return found

    def _alone(self, ch: str, fallback: float) -> float:
        """The cost of ``ch`` as a word of its own when the list has no such word."""
        key = (ch, fallback)
        found = self._alone_costs.get(key)
        if found is None:
            found = self._alone_costs[key] = self.unigram(ch, fallback) + (_ALONE if _is_letter(ch) else 0.0)
        return found

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
        words_get, prefixes, joined = self.words.get, self.prefixes, self.joined
        # a hole's pair with the known character after it, per option
        tails: list = [None] * n
        for j in range(n - 1):
            if len(options[j]) > 1 and len(options[j + 1]) == 1:
                nxt = options[j + 1][0][1]
                tails[j] = [joined(ch, nxt) for _, ch, _ in options[j]]
        for i in range(n):
            here = best[i]
            if here == math.inf:
                continue
            # words of one character, which every character may be
            opts, tail = options[i], tails[i]
            prev = back[i][1][-1] if i and len(opts) > 1 else None
            frontier = []
            for k, (extra, ch, fallback) in enumerate(opts):
                cost = here + extra
                if prev is not None:
                    cost -= joined(prev, ch)
                w = words_get(ch)
                if w is None:
                    w = self._alone(ch, fallback)
                if tail is not None:
                    w -= tail[k]
                if cost + w < best[i + 1]:
                    best[i + 1] = cost + w
                    back[i + 1] = (i, ch)
                if ch in prefixes:
                    frontier.append((ch, cost))
            # longer words, as far as some word goes on
            for j in range(i + 1, min(n, i + _LONGEST)):
                if not frontier:
                    break
                opts, tail = options[j], tails[j]
                grown = []
                if len(opts) == 1:
                    extra, ch, _ = opts[0]
                    for text, c in frontier:
                        t = text + ch
                        cost = c + extra
                        w = words_get(t)
                        if w is not None and cost + w < best[j + 1]:
                            best[j + 1] = cost + w
                            back[j + 1] = (i, t)
                        if t in prefixes:
                            grown.append((t, cost))
                else:
                    for text, c in frontier:
                        for k, (extra, ch, _) in enumerate(opts):
                            t = text + ch
                            cost = c + extra
                            w = words_get(t)
                            if w is not None:
                                if tail is not None:
                                    w -= tail[k]
                                if cost + w < best[j + 1]:
                                    best[j + 1] = cost + w
                                    back[j + 1] = (i, t)
                            if t in prefixes:
                                grown.append((t, cost))
                frontier = grown
        pieces: list[str] = []
        j = n
        while j > 0:
            i, t = back[j]
            pieces.append(t)
            j = i
        return best[n], list("".join(reversed(pieces)))


@lru_cache(maxsize=4)
def _model(lang: str, profile: str) -> Model | None:
    try:
        import wordfreq
    except ImportError:
        return None
    for size in ("large", "small"):
        try:
            found = Model(wordfreq.get_frequency_dict(lang, size), _text_pairs(profile))
        except (LookupError, ValueError, OSError):
            continue
        found.glue(_GLUED.get(lang, ()))
        return found
    return None


# Chains the Japanese word list keeps apart although grammar fixes them:
# auxiliaries (い + ます, でしょ + う), a case particle before the topic
# particle (に + は), and the topic particle before a comma. Each is given the
# cost of its parts less _GLUE (about the odds of seven to one), so that a
# lost byte of い or う, or of は among の, に and な, is read the way grammar
# has it rather than as the commonest kana.
_GLUED = {
    "ja": (
        "います", "いました", "いません", "でしょう", "ましょう", "ています", "ていました", "ていない",
        "には", "では", "とは", "は、",
    )
}
_GLUE = 2.0


def model(script: str | None) -> Model | None:
    """The frequency model for a script, or None when the package is missing."""
    if not available():
        return None
    return _model(*_LANG.get(script, _LANG["hans"]))
