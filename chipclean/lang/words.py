"""Function words: common languages decided without a statistical model.

The commonest words of a language (articles, prepositions, auxiliaries) are
a large share of any running text in it and nearly absent from its
neighbours. On the lingua sentences, English function words below make up 36%
of the tokens of a median English sentence and at most 22% of any German,
French or Spanish one. A text of enough tokens where one language's words
clear ``MIN_SHARE``, and whose own words (found in no other profile)
outnumber the runner-up's own words ``MARGIN`` times, is decided here.

Only the languages in ``DECIDED`` are ever decided; the other profiles are
there to object: Portuguese, Italian, Catalan or Dutch text scores high on its
own list and so is left to the backend instead of passing for Spanish, French
or German. Words shared by two languages are listed in both and count for
neither's margin.
"""

from __future__ import annotations

import re
from collections import Counter

PROFILES: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "en": """the of and to that for with this which from have has been were would their they
            said not but its it's are will more than about after who what when there these those
            into other only also can could should our your you his her it by at on or as be
            was is in we he she them had""",
        "de": """der die das und ist nicht ein eine einen einem einer eines zu den dem des mit sich
            auf für von auch im wird werden wurde sind hat haben bei nach aus wie noch nur oder aber
            dass durch über vor kann sie ich wir er zum zur an in""",
        "fr": """le la les de des du un une et est en que qui dans pour pas sur au aux ce il elle ils
            sont par plus avec cette mais ou été être leur nous vous je ses ne se on""",
        "es": """el la los las de del un una y a o en que es por con para está están pero más como
            su sus fue ser han hay muy sin sobre también este esta entre cuando ya desde porque
            hasta se lo al""",
        "pt": """o a os as de do da dos das um uma e em no na nos nas não para com que é são mais
            também foi pelo pela ao à se por como mas seu sua""",
        "it": """il lo la gli le di del della delle dei che non per con un una sono è anche più
            nel nella alla al si come ma da in""",
        "ca": """el la els les de del i que amb per una un és són no més també però aquest
            aquesta en al dels""",
        "nl": """de het een van en is dat op te zijn niet met voor ook aan er maar om als bij
            wordt werd heeft hebben in""",
        "ru": """и в не на что с по как это из для он она они так же был была были бы который
            которые также его ее её их мы вы все только или когда уже если чтобы при от""",
        "uk": """і в не на що з у до як це та й від для він вона вони також був була були який які
            його її їх ми ви всі тільки або коли вже якщо""",
        "bg": """и в на да се не от за с е че са по като това които който но или до при към ще""",
    }.items()
}

DECIDED = frozenset({"en", "de", "fr", "es", "ru"})
MIN_TOKENS = 10
MIN_OWN = 3
#: Least share of a text the winner's words must make up. Russian has no
#: articles, so its function words are a smaller share of running text.
MIN_SHARE = {"ru": 0.15}
DEFAULT_MIN_SHARE = 0.2
#: The winner's words found in no other profile must outnumber the
#: runner-up's own words by this factor, and be this share of the tokens.
MARGIN = 2.0
MIN_OWN_SHARE = 0.05
# letters are [^\W\d_]; the standard library's engine tokenizes faster
_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_ASCII_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?")


def _owners() -> dict[str, tuple[str, ...]]:
    seen: dict[str, tuple[str, ...]] = {}
    for lang, words in sorted(PROFILES.items()):
        for w in words:
            seen[w] = seen.get(w, ()) + (lang,)
    return seen


#: Every profile each word belongs to.
OWNERS = _owners()
#: Words that belong to one profile only.
OWN = {w: langs[0] for w, langs in OWNERS.items() if len(langs) == 1}


# ASCII letters lowered, apostrophes kept, everything else a space: split()
# then gives the runs of [a-z'] in which _ASCII_TOKEN finds its tokens
_ASCII_WORDS = bytes(c | 0x20 if chr(c).isalpha() else 39 if c == 39 else 32 for c in range(128)) + b" " * 128
# apostrophes that do not join two letters into one token ("'tis", "rock'n'roll")
# (led by the apostrophe, so the engine skips to each one at C speed)
_LOOSE_APOSTROPHE = re.compile(r"'(?:(?<![a-z]')|(?![a-z])|[a-z]+')")


def tokens(text: str) -> list[str]:
    if text.isascii():
        # the same tokens as _ASCII_TOKEN on the lowered text, by C-level
        # byte translation and split instead of a regex scan
        runs = text.encode("ascii").translate(_ASCII_WORDS).decode("ascii")
        if "'" in runs and _LOOSE_APOSTROPHE.search(runs):
            return [t for run in runs.split() for t in (_ASCII_TOKEN.findall(run) if "'" in run else (run,))]
        return runs.split()
    text = text.lower()
    found = _TOKEN.findall(text)
    return [t.replace("’", "'") for t in found] if "’" in text else found


def decide(text: str) -> tuple[str, float] | None:
    """(language, share of its words) when function words settle it, else None."""
    toks = tokens(text)
    n = len(toks)
    if n < MIN_TOKENS:
        return None
    # counted in C (map, Counter), not in a Python loop over the tokens
    own = Counter(map(OWN.get, toks))
    del own[None]
    if not own:
        return None
    ranked = sorted(own.items(), key=lambda kv: (-kv[1], kv[0]))
    best, top = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0
    if best not in DECIDED or top < MARGIN * second or top < max(MIN_OWN, MIN_OWN_SHARE * n):
        return None
    words = PROFILES[best]
    share = sum(map(words.__contains__, toks)) / n
    if share < MIN_SHARE.get(best, DEFAULT_MIN_SHARE):
        return None
    return best, share
