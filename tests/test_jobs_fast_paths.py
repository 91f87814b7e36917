"""The rule engine's fast paths never hide a rule that would fire."""

import glob
import random

import pytest

from chipclean.config import Config
from chipclean.document import Document
from chipclean.pipeline import Cleaner
from chipclean.prefilter import needed_literals
from chipclean.ruleengine import StageRules, _anchored, rule_changes

from .conftest import SAMPLES, SHARED
from .corpus_helpers import document


@pytest.mark.parametrize("pattern, expected", [
    (r"\s*(▸|โธ)\s*Show$|(?<=\S)AI analysis grounded in cited sources$", ("AI analysis grounded in cited sources", "Show")),
    (r"\((Full )?RSS\).{0,6}Fresh\s*collected in \d+", ("collected in ",)),
    (r"abcd?ef", ("abcdef", "abcef")),  # an optional character: both spellings
    (r"a\.bc", ("a.bc",)),
    (r"[abc]def", ("adef", "bdef", "cdef")),
    (r"abc\d{1,4}xyz1", ("xyz1",)),
    (r"hello{2}", ("hell",)),
    (r"abc?d", ("abcd", "abd")),
    (r"foo|b", ("b", "foo")),
    (r"(?m)^([ \t]*)\[(para|paragraph)\]", ("[para]", "[paragraph]")),  # read inside groups
])
def test_needed_literals_found(pattern, expected):
    assert needed_literals(pattern) == (expected, False)


def test_verbose_patterns_are_not_read():
    assert needed_literals(r"(?x) a b c d e") is None


@pytest.mark.parametrize("pattern, anchored", [
    ("^a|^b", True), ("(?i)^a", True), (r"^[|]x|^c", True), (r"^(a|b)c|^x", True),
    ("^a|b", False), (r"\^a", False), ("(^a)", False), ("[|^]a", False),
])
def test_anchored(pattern, anchored):
    assert _anchored(pattern) is anchored


def _texts():
    rng = random.Random(3)
    texts = [document(rng, n)["text"] for n in range(200)]
    texts += [open(p, encoding="utf-8").read() for p in sorted(glob.glob(str(SHARED / "seeds" / "*.txt")))]
    texts += [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))]
    # chrome of every kind the packs know, from their own examples
    for rule in Cleaner(Config()).rules.all_rules():
        for ex in rule.examples:
            texts.append(ex.text)
    return texts


def test_candidates_include_every_rule_that_fires():
    cleaner = Cleaner(Config(citations=True))
    matchers = [m for s in cleaner.stages for m in vars(s).values() if isinstance(m, StageRules) and m.rules]
    assert matchers
    missed = []
    for text in _texts():
        doc = Document(text)
        for m in matchers:
            found = {r.id for r in m.candidates(doc)}
            for rule in m.rules:
                if rule.pattern is None or rule.id in found or not m.applies(rule, doc, None):
                    continue
                if rule_changes(rule, text, 5.0):
                    missed.append((rule.id, text[:60]))
    assert not missed
