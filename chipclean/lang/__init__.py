"""Language identification: a script cascade in front of a statistical backend.

``identify(text)`` gives one :class:`Verdict` (BCP-47 tag, score, deciding
step); :func:`segments` and :func:`present_languages` work per paragraph.
"""

from .cascade import Identifier, Verdict
from .segments import present_languages, segments


def identify(text: str, backend: str = "langdetect") -> Verdict:
    return Identifier(backend).identify(text)


__all__ = ["Identifier", "Verdict", "identify", "present_languages", "segments"]
