"""Languages of the paragraphs of a document.

A paragraph is a non-blank line (scraped text rarely keeps blank lines between
paragraphs). Neighbouring paragraphs in the same language form one segment.
Lines too short to judge ("CN", "5 hours ago") join the segment before them.

Two depths:

* :func:`present_languages`, run on every document, relies on the script
  cascade: paragraphs in the document's own script take its language, others
  are decided by script where possible, and the rest of each script is sent to
  the backend together, once, on a bounded sample.
* :func:`segments`, on request, decides each paragraph on its own.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import regex

from . import words
from .cascade import WORDS_CHARS, Identifier, Verdict
from .script import count_scripts

#: Script weight below which a line is too short to judge: about two words of
#: Latin text, or two Han characters (weighted three each).
MIN_WEIGHT = 6
#: Longest stretch of a paragraph looked at (head and tail).
PARAGRAPH_CHARS = 800
PREVIEW_CHARS = 40
#: Words a paragraph needs to be given a language of its own by the backend.
SEGMENT_TOKENS = 8


@dataclass
class Paragraph:
    start: int
    end: int
    text: str


def paragraphs(text: str) -> list[Paragraph]:
    out = []
    pos = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            out.append(Paragraph(pos + lead, pos + lead + len(stripped), stripped))
        pos += len(line)
    return out


def _bounded(text: str) -> str:
    if len(text) <= PARAGRAPH_CHARS:
        return text
    half = PARAGRAPH_CHARS // 2
    return text[:half] + "\n" + text[-half:]


def present_languages(text: str, doc: Verdict, ident: Identifier) -> list[str]:
    """Sorted distinct languages of the paragraphs, cheaply.

    One C-level search finds letters foreign to the document's own script;
    only the lines holding them are looked at, so a plain English or Chinese
    article costs a single scan.
    """
    langs = {doc.lang} if doc.lang != "und" else set()
    foreign = foreign_letters(doc)
    if foreign is None or (doc.group == "latin" and text.isascii()):
        # every ASCII letter is a Latin one
        return sorted(langs)
    pending: dict[str, list[str]] = {}
    pos = 0
    while True:
        at = _next_foreign(text, pos, foreign)
        if at < 0:
            break
        start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at + 1)
        end = len(text) if end == -1 else end
        pos = end + 1
        body = _bounded(text[start:end].strip())
        counts = count_scripts(body)
        if counts.total < MIN_WEIGHT:
            continue
        group, share = counts.group()
        verdict = ident.by_script(body, counts, group, share)
        if verdict is not None:
            langs.add(verdict.lang)
        elif group != doc.group:
            pending.setdefault(group, []).append(counts.text_of(body, group, WORDS_CHARS))
    for group in sorted(pending):
        joined = " ".join(pending[group])[:WORDS_CHARS]
        verdict = ident.by_model(joined, group, 1.0)
        if verdict.lang != "und":
            langs.add(verdict.lang)
    return sorted(langs)


# Letters outside the scripts a document's language is written in.
_OWN_SCRIPTS = {
    "zh": r"\p{Han}",
    "ja": r"\p{Han}\p{Hiragana}\p{Katakana}",
    "ko": r"\p{Hangul}\p{Han}",
}


@functools.lru_cache(maxsize=None)
def _foreign(own: str) -> "regex.Pattern":
    return regex.compile(rf"[^\P{{L}}{own}]")


# Where nearly all text is written. Inside these ranges, the characters that
# are not foreign letters are known ahead, and a scan of the standard
# library's engine skips them far faster than the regex module's \\p{...}
# classes can test them.
_COMMON = ((0x0, 0x250), (0x2000, 0x2070), (0x3000, 0x3040), (0x4E00, 0xA000), (0xFF00, 0xFFF0))


@functools.lru_cache(maxsize=None)
def _maybe_foreign(pattern: "regex.Pattern") -> "re.Pattern":
    """A standard-library pattern for every character that ``pattern`` may
    match: all but the common characters it is known not to match."""
    # the complement of a negated class is the class itself: [^X] -> [X]+
    assert pattern.pattern.startswith("[^") and pattern.pattern.endswith("]")
    others = regex.compile("[" + pattern.pattern[2:] + "+")
    runs = []
    for a, b in _COMMON:
        for m in others.finditer("".join(map(chr, range(a, b)))):
            runs.append(f"\\U{a + m.start():08x}-\\U{a + m.end() - 1:08x}")
    return re.compile("[^" + "".join(runs) + "]")


def _next_foreign(text: str, pos: int, pattern: "regex.Pattern") -> int:
    """Where ``pattern`` (one character) first matches from ``pos``, or -1."""
    maybe = _maybe_foreign(pattern).search
    while True:
        m = maybe(text, pos)
        if m is None:
            return -1
        at = m.start()
        if pattern.match(text, at):
            return at
        pos = at + 1


def foreign_letters(doc: Verdict) -> "regex.Pattern | None":
    if doc.group == "cjk":
        own = _OWN_SCRIPTS.get(doc.lang.split("-")[0], _OWN_SCRIPTS["ja"])
    elif doc.group and doc.group != "other":
        own = rf"\p{{Script={doc.group.capitalize()}}}"
    else:
        return None
    return _foreign(own)


def segments(text: str, ident: Identifier, doc: Verdict | None = None) -> list[dict]:
    """Spans of consecutive paragraphs in one language, each with its score.

    A paragraph in the document's own script that its script can't decide
    and that is shorter than ``SEGMENT_TOKENS`` words ("Share To", "- Huawei
    Technologies Co. Ltd.") is too short for a statistical guess to beat the
    document's language, and takes that.
    """
    doc = doc or ident.identify(text)
    spans: list[dict] = []
    weights: list[int] = []
    for para in paragraphs(text):
        body = _bounded(para.text)
        counts = count_scripts(body)
        if counts.total < MIN_WEIGHT:
            if spans:
                spans[-1]["end"] = para.end
            continue
        group, share = counts.group()
        verdict = ident.by_script(body, counts, group, share)
        if verdict is None:
            if group == doc.group and len(words.tokens(body)) < SEGMENT_TOKENS:
                verdict = Verdict(doc.lang, doc.score, "document")
            else:
                verdict = ident.decide(body, counts)
        size = para.end - para.start
        last = spans[-1] if spans else None
        if last is not None and last["lang"] == verdict.lang:
            total = weights[-1] + size
            last["score"] = round((last["score"] * weights[-1] + verdict.score * size) / total, 4)
            last["end"] = para.end
            weights[-1] = total
            continue
        spans.append({"start": para.start, "end": para.end, "lang": verdict.lang, "score": verdict.score,
                      "preview": _preview(para.text)})
        weights.append(size)
    return spans


def _preview(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1] + "…"
