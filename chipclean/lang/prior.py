"""How common each language is on the web: the prior for short text.

Two words carry too little evidence to pick among 55 languages on their
n-grams alone; weighing each language by how often it is met (rough shares of
pages in a large web crawl, in percent) is the Bayes decision and keeps a
snippet of Spanish from passing for Galician or Basque. Longer text outweighs
the prior by far. Languages not listed get ``RARE``.
"""

from __future__ import annotations

WEB_SHARE: dict[str, float] = {
    "en": 45, "ru": 6, "de": 6, "zh": 5, "ja": 5, "es": 4.5, "fr": 4.5, "it": 2.5, "pt": 2,
    "pl": 1.8, "nl": 1.5, "id": 1, "tr": 1, "vi": 1, "cs": 1, "fa": 0.7, "sv": 0.7, "ko": 0.7,
    "ar": 0.6, "hu": 0.5, "ro": 0.5, "el": 0.5, "da": 0.4, "fi": 0.4, "th": 0.4, "uk": 0.4,
    "sk": 0.3, "bg": 0.3, "no": 0.3, "he": 0.2, "hr": 0.2, "lt": 0.2, "sl": 0.15, "ca": 0.15,
    "lv": 0.1, "et": 0.1, "hi": 0.1,
}
RARE = 0.05


def web_share(lang: str) -> float:
    return WEB_SHARE.get(lang.split("-")[0], RARE)
