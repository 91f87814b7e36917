"""Character references decoded without ftfy must give ftfy's result exactly."""

import ftfy
import pytest
from ftfy.badness import is_bad

from chipclean.config import Config
from chipclean.document import Document
from chipclean.mojibake.htmlrefs import SAFE_EXTRA, SAFE_NEAR_ASCII, unescape_only
from chipclean.stages.repair import RepairStage, _ftfy_config

ALPHABET = [chr(c) for c in range(0x20, 0x7F)] + ["\t"] + list(SAFE_EXTRA)


def test_no_text_over_the_safe_alphabet_looks_bad_to_ftfy():
    # ftfy's badness pattern matches windows of at most three characters from
    # this alphabet (its four-character windows need Ø or Ù), so checking
    # every window proves it for text of any length
    assert not any(is_bad(a + b) for a in ALPHABET for b in ALPHABET)
    bad = [a + b + c for a in SAFE_EXTRA for b in ALPHABET for c in ALPHABET if is_bad(a + b + c)]
    bad += [a + b + c for a in ALPHABET for b in SAFE_EXTRA for c in ALPHABET if is_bad(a + b + c)]
    bad += [a + b + c for a in ALPHABET for b in ALPHABET for c in SAFE_EXTRA if is_bad(a + b + c)]
    assert bad == []
    everything = "".join(ALPHABET)
    assert ftfy.fix_text(everything, _ftfy_config()) == everything


def test_half_and_times_are_safe_among_ascii_only():
    # with nothing but ASCII within two places (which the decoder checks),
    # every window holding ½ or × is over this alphabet
    near = [chr(c) for c in range(0x20, 0x7F)] + ["\t"] + list(SAFE_NEAR_ASCII)
    assert not any(is_bad(a + b) for a in near for b in near)
    assert not any(is_bad(a + b + c) for a in near for b in near for c in near)
    assert is_bad("½“") and is_bad("×‘")  # why the neighbours are checked


DECODED = [
    "But I&#8217;m talking about it &#8220;now&#8221;.",
    "91-R-2000 &#151; Authorization, more often&#151;and more",
    "&#160;Byron Alvarez also said",
    "on &ldquo;the kingdom of God&rdquo; (19:8)",
    "&#x2019;tis &#X2019;twas &NBSP;x &COPY; 2024",
    "dots&#133;. and &hellip; and &mdash;&ndash;",
    "$12.95, 8&frac12;&times;5&frac12; paperback",
]
LEFT_TO_FTFY = [
    "8&frac12;&ldquo; paperback",  # “ after ½ is one of ftfy's bad pairs
    "&copy;x&times;",  # © two places before ×
    "AT&amp;#8217;s",  # decodes to a new reference
    "<b>I&#8217;m</b>",  # ftfy doesn't unescape next to markup
    "caf&eacute; &#8217;",  # é can pair badly with what follows
    "R&D; team &#8217;",  # not a reference ftfy knows
    "nothing to decode",
    "&#0; &#9999999;",
    "Ã©t&#8217;s",
]


@pytest.mark.parametrize("line", DECODED)
def test_references_into_typography_match_ftfy(line):
    got = unescape_only(line)
    assert got is not None
    assert got == ftfy.fix_text(line, _ftfy_config())


@pytest.mark.parametrize("line", LEFT_TO_FTFY)
def test_anything_else_is_left_to_ftfy(line):
    assert unescape_only(line) is None


def test_stage_decodes_a_document_whose_only_defect_is_named_references():
    doc = Document("He spoke on &ldquo;the kingdom&rdquo; today.\nA plain line.\n")
    RepairStage(Config(stages=("repair",)), None).process(doc)
    assert doc.text == "He spoke on “the kingdom” today.\nA plain line.\n"
    assert [e.rule for e in doc.edits] == ["repair.ftfy"]


def test_stage_leaves_ampersands_that_are_not_references():
    text = "AT&T and R&D; rose 5% & more.\n"
    doc = Document(text)
    RepairStage(Config(stages=("repair",)), None).process(doc)
    assert doc.text == text and not doc.edits
