"""Named rules for encoding residue and web artifacts.

Each rule is a function from a line to ``(start, end, replacement, note)``
tuples, registered under a rule id. They only fire on shapes that do not occur
in clean text; the tests hold, for every rule, text it must change and text it
must leave alone.

``repair.replacement-residue``
    ``锟斤拷`` is UTF-8 ``U+FFFD U+FFFD`` read as GBK, ``烫烫烫``/``屯屯屯`` are
    uninitialised memory (0xCC/0xCD) read as GBK. The text they stood for is
    gone; they follow the ``unrecoverable`` option.
``repair.half-entity``
    A numeric character reference that lost its ``&``: ``革新#xff1a;vLLM``.
``repair.double-escaped-entity``
    An escaped entity escaped again: ``&amp;amp;``, ``&amp;quot;``, ``&amp;#39;``.
``repair.br-tag``
    A literal ``<br>`` / ``<br />`` left in text: becomes a line break.
``repair.pinyin-gloss``
    Pages that add pinyin after every character: ``現(xiàn)在(zài)`` → ``現在``.
    Only when a line has three or more such glosses; one gloss is a real
    annotation and stays.
"""

from __future__ import annotations

import html
import re

import regex

RESIDUE = regex.compile(r"(?:锟斤拷)+锟?斤?|(?:烫){3,}|(?:屯){3,}")
HALF_ENTITY = regex.compile(r"(?<![&0-9A-Za-z])#(x[0-9a-fA-F]{2,6}|[0-9]{3,7});")
DOUBLE_ENTITY = regex.compile(r"&amp;(?:amp;)*(#x[0-9a-fA-F]{1,6};|#[0-9]{1,7};|[a-zA-Z]{2,8};)?")
BR_TAG = regex.compile(r"(?<![`'\"])<br\s*/?>(?![`'\"])", regex.IGNORECASE)
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
PINYIN = regex.compile(r"(?<=\p{Han})\(([a-zü]*[" + _TONED + r"][a-zü]*)\)")
PINYIN_MIN = 3
# a quick test that a line may need any of these rules
PREFILTER = re.compile(r"锟斤|烫烫烫|屯屯屯|#x?[0-9a-fA-F]{2,7};|&amp;|<[bB][rR]|[\u3400-\u9fff]\([a-zü]*[" + _TONED + "]")


def _char_of(ref: str) -> str | None:
    try:
        code = int(ref[1:], 16) if ref[0] in "xX" else int(ref)
        ch = chr(code)
    except (ValueError, OverflowError):
        return None
    if code < 0x20 or 0xD800 <= code <= 0xDFFF or 0x7F <= code < 0xA0:
        return None
    return ch


def half_entity(line: str):
    for m in HALF_ENTITY.finditer(line):
        ch = _char_of(m.group(1))
        # an ASCII result is more likely an issue number or a colour than residue
        if ch is None or ch.isascii():
            continue
        yield m.start(), m.end(), ch, f"numeric reference {m.group()} without its &"


def double_entity(line: str):
    for m in DOUBLE_ENTITY.finditer(line):
        tail = m.group(1) or ""
        if tail:
            fixed = html.unescape("&" + tail)
            if fixed == "&" + tail:
                continue
        elif m.group() == "&amp;":
            continue  # a single &amp; is ordinary escaping; leave it to the HTML reader
        else:
            fixed = "&"
        yield m.start(), m.end(), fixed, "entity escaped more than once"


def br_tag(line: str):
    for m in BR_TAG.finditer(line):
        yield m.start(), m.end(), "\n", "literal line-break tag"


def pinyin_gloss(line: str):
    hits = list(PINYIN.finditer(line))
    if len(hits) < PINYIN_MIN:
        return
    for m in hits:
        yield m.start(), m.end(), "", "pinyin gloss injected after a character"


def residue(line: str):
    for m in RESIDUE.finditer(line):
        yield m.start(), m.end(), None, "GBK reading of U+FFFD or of uninitialised memory"


#: rule id -> function(line) yielding (start, end, replacement or None, note);
#: None means "unrecoverable": the stage applies the configured policy.
RULES = {
    "repair.replacement-residue": residue,
    "repair.half-entity": half_entity,
    "repair.double-escaped-entity": double_entity,
    "repair.br-tag": br_tag,
    "repair.pinyin-gloss": pinyin_gloss,
}
