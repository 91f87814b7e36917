"""The cascade: script first, then character evidence, then function words,
and a statistical backend only for what is still open, on a bounded sample.

Each step decides only what it can decide for sure:

1. Unicode script. Hangul is Korean, kana Japanese, Thai script Thai, and so
   on (``script.SINGLE_LANGUAGE``). Han text is Chinese unless it holds kana
   or Japanese-only kanji.
2. Han characters split Chinese into ``zh-Hans`` and ``zh-Hant``
   (``han.py``); Arabic letters that Persian and Urdu never use mark Arabic.
3. Function words decide plain English, German, French, Spanish and
   Russian (``words.py``).
4. The backend (langdetect by default) sees a sample of the text in the
   dominant script only, at most ``BACKEND_CHARS`` characters; for Cyrillic,
   with letter evidence as a prior (``letters.py``). Text under 100 characters
   is scored exactly on langdetect's profiles (``backends.py``).

``Verdict.by`` names the step that decided, so a tag can be traced.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from . import words
from .backends import get_backend
from .han import chinese_script, han_evidence, one_side
from .letters import cyrillic_prior
from .script import SINGLE_LANGUAGE, ScriptCounts, count_scripts

#: Characters of a document the cascade looks at: its head, middle and tail.
SAMPLE_CHARS = 3000
#: Characters of the dominant script the function words are counted on.
WORDS_CHARS = 800
#: Characters the statistical backend sees. langdetect reads text at about
#: 4 microseconds a character, and two or three sentences decide a language
#: as well as a whole article does.
BACKEND_CHARS = 240

# Japanese uses kana in nearly every sentence, and kanji forms of its own
# (気, 売, 駅); a Chinese text quoting a Japanese name or brand has a few of
# either. When together they make this share of the CJK text, it is Japanese.
_JAPANESE_SHARE = 0.1

# Letters of the Arabic script that Arabic uses and Persian and Urdu replace
# (ي ك ة), and letters only Persian or Urdu use.
_ARABIC_ONLY = regex.compile(r"[\u064a\u0643\u0629]")
_ARABIC_MARGIN = 5
_PERSIAN_URDU = regex.compile(r"[\u067e\u0686\u0698\u06af\u06a9\u06cc\u0679\u0688\u0691\u06ba\u06be\u06c1\u06d2]")


@dataclass(frozen=True)
class Verdict:
    lang: str
    score: float
    by: str  # the step that decided: script, han, arabic, words, <backend>, none
    group: str = ""  # the dominant script group ("cjk", "latin", ...)


UNDETERMINED = Verdict("und", 0.0, "none")


def sample(text: str, size: int = SAMPLE_CHARS) -> str:
    """Head, middle and tail of a long text; all of a short one."""
    if len(text) <= size:
        return text
    half, quarter = size // 2, size // 4
    mid = len(text) // 2
    return "\n".join((text[:half], text[mid - quarter // 2 : mid + quarter // 2], text[-quarter:]))


class Identifier:
    """Language of a text, with the backend named in the config."""

    def __init__(self, backend: str = "langdetect"):
        self.backend_name = backend

    @property
    def backend(self):
        return get_backend(self.backend_name)

    def identify(self, text: str) -> Verdict:
        text = sample(text)
        return self.decide(text, count_scripts(text))

    def decide(self, text: str, counts: ScriptCounts) -> Verdict:
        group, share = counts.group()
        if not group:
            return UNDETERMINED
        decided = self.by_script(text, counts, group, share)
        if decided is None:
            decided = self.by_model(counts.text_of(text, group, WORDS_CHARS), group, share)
        # built directly: dataclasses.replace costs several times more
        return Verdict(decided.lang, decided.score, decided.by, group)

    def by_script(self, text: str, counts: ScriptCounts, group: str, share: float) -> Verdict | None:
        """What the script and its characters decide, or None."""
        if group == "cjk":
            return _cjk(text, counts, share)
        if group in SINGLE_LANGUAGE:
            return Verdict(SINGLE_LANGUAGE[group], round(share, 4), "script")
        if group == "arabic":
            letters = counts.text_of(text, "arabic", SAMPLE_CHARS)
            arabic = len(_ARABIC_ONLY.findall(letters))
            # Arabic web text borrows a Persian letter now and then (keyboards)
            if arabic and arabic >= _ARABIC_MARGIN * len(_PERSIAN_URDU.findall(letters)):
                return Verdict("ar", round(share, 4), "arabic")
        return None

    def by_model(self, text: str, group: str, share: float) -> Verdict:
        if group in ("latin", "cyrillic"):
            found = words.decide(text)
            if found is not None:
                return Verdict(found[0], round(share * min(1.0, 0.5 + found[1]), 4), "words")
        text = _clip(text, BACKEND_CHARS)
        prior = cyrillic_prior(text) if group == "cyrillic" else None
        lang, score = self.backend.detect(text, prior)
        if lang == "und":
            return UNDETERMINED
        if lang in ("zh", "yue", "wuu") or lang.startswith("zh-"):
            # a backend's Chinese is split by the characters, as on the fast path
            s, t, _ = han_evidence(text)
            lang = chinese_script(s, t)[0]
        return Verdict(lang, round(share * score, 4), self.backend_name)


def _clip(text: str, size: int) -> str:
    """At most ``size`` characters, cut at a space when there is one."""
    if len(text) <= size:
        return text
    cut = text.rfind(" ", size // 2, size)
    return text[: cut if cut > 0 else size]


def _cjk(text: str, counts: ScriptCounts, share: float) -> Verdict:
    w = counts.weights
    han, kana, hangul = w.get("han", 0), w.get("kana", 0), w.get("hangul", 0)
    if hangul > han + kana:
        return Verdict("ko", round(share * hangul / (han + kana + hangul), 4), "script")
    han_text = counts.text_of(text, "han", SAMPLE_CHARS)
    side = one_side(han_text)
    if isinstance(side, str):
        if kana / (han + kana) < _JAPANESE_SHARE:
            # one script's characters only and none of Japan's: all the
            # evidence is on that side (the share below would be exactly 1)
            return Verdict(side, round(share, 4), "han")
        # no Japanese-only kanji, so the kana alone make it Japanese below
        side = (0, 0, 0)
    simplified, traditional, japanese = side
    # weights count a character three times, like kana
    japanese_share = (kana + 3 * japanese) / (han + kana)
    if japanese_share >= _JAPANESE_SHARE:
        by = "script" if kana else "han"
        return Verdict("ja", round(share * (han + kana) / (han + kana + hangul), 4), by)
    lang, evidence = chinese_script(simplified, traditional)
    score = share if lang == "zh" else share * evidence
    return Verdict(lang, round(score, 4), "han")
