"""``langid``: tag each document with a BCP-47 language and a confidence.

A tagger: it writes ``doc.lang``, ``doc.lang_score`` and metadata, never edits.
Script decides what script alone can decide; langdetect (seeded, so results
are deterministic) handles the rest on a bounded sample of the text.
"""

from __future__ import annotations

import regex

from .base import Stage

_HAN = regex.compile(r"\p{Han}")
_KANA = regex.compile(r"[\p{Hiragana}\p{Katakana}]")
_HANGUL = regex.compile(r"\p{Hangul}")
_LETTER = regex.compile(r"\p{L}")
SAMPLE_CHARS = 2000


def _detect_langdetect(text: str) -> tuple[str, float]:
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    try:
        best = detect_langs(text)[0]
    except LangDetectException:
        return "und", 0.0
    lang = best.lang
    if lang.startswith("zh"):
        lang = "zh"
    return lang, round(best.prob, 4)


def detect(text: str) -> tuple[str, float]:
    sample = text[:SAMPLE_CHARS]
    letters = len(_LETTER.findall(sample))
    if not letters:
        return "und", 0.0
    if len(_KANA.findall(sample)) / letters > 0.05:
        return "ja", 0.99
    if len(_HANGUL.findall(sample)) / letters > 0.3:
        return "ko", 0.99
    if len(_HAN.findall(sample)) / letters > 0.3:
        return "zh", 0.99
    return _detect_langdetect(sample)


class LangIdStage(Stage):
    name = "langid"

    def process(self, doc) -> None:
        lang, score = detect(doc.text)
        doc.lang = lang
        doc.lang_score = score
        doc.metadata["lang"] = lang
        doc.metadata["lang_score"] = score
