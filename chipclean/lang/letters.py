"""Letters as evidence between languages that share a script.

A Cyrillic text with ы is not Ukrainian, Bulgarian or Macedonian; one with і
is not Russian. Beyond such hard exclusions, a language's own letters are
expected in any text of some length: a 30-letter text without і, ї or є is
unlikely (about one in ten) to be Ukrainian. ``cyrillic_prior`` turns both into
prior weights that the backend multiplies with what the n-grams say, which
matters most on short text where the n-grams alone say little.
"""

from __future__ import annotations

import regex

# (alphabet, its own letters, their combined frequency in running text)
_CYRILLIC = {
    "ru": ("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", "ыэё", 0.024),
    "uk": ("абвгґдеєжзиіїйклмнопрстуфхцчшщьюя", "іїєґ", 0.067),
    "bg": ("абвгдежзийклмнопрстуфхцчшщъьюя", "ъ", 0.026),
    "mk": ("абвгдѓежзѕијклљмнњопрстќуфхцчџш", "ѓѕјљњќџ", 0.03),
}
# A letter outside a language's alphabet makes it nearly, not entirely,
# impossible: names and typos cross alphabets.
_OUTSIDE = 1e-4
_LETTER = regex.compile(r"\p{Cyrillic}")


def cyrillic_prior(text: str) -> dict[str, float]:
    letters = _LETTER.findall(text.lower())
    n = len(letters)
    present = set(letters)
    prior = {}
    for lang, (alphabet, own, freq) in _CYRILLIC.items():
        if present - set(alphabet):
            prior[lang] = _OUTSIDE
        elif present & set(own):
            prior[lang] = 1.0
        else:
            prior[lang] = (1.0 - freq) ** n
    return prior
