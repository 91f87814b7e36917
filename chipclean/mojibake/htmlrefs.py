"""Lines whose only defect is HTML character references, fixed without ftfy.

News text is full of ``&#8217;``, ``&#151;`` and ``&ldquo;``. ftfy decodes
them and then runs its mojibake heuristics over the result; when the result
holds nothing but ASCII and a few typographic characters, those heuristics
cannot fire (no window of such characters matches ftfy's badness pattern, which
a test checks), so decoding the references the way ftfy does gives ftfy's
output exactly, for a small fraction of the cost and without importing ftfy.
Anything else returns None and goes to ftfy.
"""

from __future__ import annotations

import html
import html.entities
import re
from functools import lru_cache

# ftfy's pattern for a reference, and what it takes a semicolon-terminated one to mean.
REFERENCE = re.compile(r"&#?[0-9A-Za-z]{1,24};")
# Characters that ftfy's badness test can't combine into anything it calls
# mojibake, with ASCII, and that none of its other fixers touch.
SAFE_EXTRA = "’‘“”—–…\u00a0©®°"
# ½ and × are safe too, with ASCII only on both sides (8½×5½): next to a
# quote or © ftfy's pattern can fire.
SAFE_NEAR_ASCII = "½×"
_SAFE = re.compile("[^\t\x20-\x7e" + SAFE_EXTRA + SAFE_NEAR_ASCII + "]")
_CROWDED = re.compile(f"[{SAFE_NEAR_ASCII}].?[{SAFE_EXTRA}]|[{SAFE_EXTRA}].?[{SAFE_NEAR_ASCII}]")
# A decoded reference that could join its neighbours into a new reference.
_JOINS = re.compile(r"[&#;0-9A-Za-z]")


@lru_cache(maxsize=1)
def _named() -> dict[str, str]:
    """The named references ftfy decodes, built the way ftfy builds them."""
    entities = {}
    for name, char in html.entities.html5.items():
        if name.endswith(";"):
            entities["&" + name] = char
            # all-caps spellings only where they are not another entity
            if name == name.lower():
                upper = "&" + name.upper()
                if html.unescape(upper) == upper:
                    entities[upper] = char.upper()
    return entities


def _decoded(ref: str) -> str | None:
    named = _named().get(ref)
    if named is not None:
        return named
    if ref.startswith("&#"):
        out = html.unescape(ref)
        return None if ";" in out else out
    return None  # ftfy leaves it alone; so would we, but let ftfy decide


def unescape_only(line: str) -> str | None:
    """ftfy's output for ``line`` (one line, no line break) when it only has
    references to decode into safe characters; None when ftfy is needed."""
    if "<" in line or len(line) >= 1_000_000:  # ftfy skips unescaping next to markup, splits long text
        return None
    parts = []
    pos = 0
    for m in REFERENCE.finditer(line):
        out = _decoded(m.group())
        if not out or _JOINS.search(out):
            return None
        parts.append(line[pos : m.start()])
        parts.append(out)
        pos = m.end()
    if not parts:
        return None
    parts.append(line[pos:])
    fixed = "".join(parts)
    return None if _SAFE.search(fixed) or _CROWDED.search(fixed) else fixed
