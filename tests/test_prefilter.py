"""Literal and first-character prefilters, and the line verdicts built on
them: they skip work, and must never skip a match."""

import random
import textwrap

import pytest
import regex

from chipclean.config import Config
from chipclean.document import Document
from chipclean.pipeline import Cleaner
from chipclean.prefilter import first_atoms, gate, needed_literals, whole_match_chars
from chipclean.rulepack import RuleSet, build_pack
from chipclean.ruleengine import LineView, StageRules
from chipclean.yamlload import load_yaml

from .test_jobs_fast_paths import _texts


@pytest.mark.parametrize("pattern, ignore_case, expected", [
    # literals inside groups and alternations count
    (r"(?m)^([ \t]*)\[(para|paragraph|段)\.?\s*\d{1,4}\][ \t]*", True, (("[para", "[段"), True)),
    (r"^(Share( To| this)?|分享到?)\s*[:：]?$", False, (("Share", "分享"), False)),
    # an optional part multiplies the alternatives
    (r"Listen (to )?now", False, (("Listen now", "Listen to now"), False)),
    # a small class is a set of literals
    (r"\d+\s*[页頁]", False, (("頁", "页"), False)),
    # a repeat of at least one keeps what its item needs
    (r"(abc|abd)+x?", False, (("abc", "abd"), False)),
    # a scoped flag anywhere makes the test ignore case
    (r"foo(?i:bar)", False, (("foobar",), True)),
])
def test_needed_literals(pattern, ignore_case, expected):
    assert needed_literals(pattern, ignore_case) == expected


@pytest.mark.parametrize("pattern", [
    r"a?b?c?",  # nothing is needed
    r"abc|\d+",  # one alternative needs no literal
    r"(?x) abc",  # verbose patterns are not read
    r"\x41BC",  # escapes that stand for other characters are not read
    r"ab{e<=1}",  # fuzzy matching is not read
    r"(ab)?\1",  # no literal outside the back-reference
])
def test_needed_literals_declined(pattern):
    assert needed_literals(pattern) is None


def test_case_insensitive_gate_agrees_with_the_regex_engine():
    # "İ" matches "i" ignoring case, though it case-folds to two characters
    test = gate(r"\b(to|in) your inbox$", ignore_case=True)
    assert test("Daily headlines, free to your İNBOX")
    assert test("free TO YOUR INBOX")
    assert not test("free to your mailbox")


@pytest.mark.parametrize("pattern, ignore_case, line", [
    (r"^(Comments?|\d+ Comments?)$", True, "12 Comments"),
    (r"^[^\p{Latin}\p{Han}\n]{0,3}(Weekly AI Recap)$", True, "🔗Weekly AI Recap"),
    (r"^(?![\d\s]+$)[^\p{Latin}\p{Han}\p{P}\s]{1,4}$", False, "📰"),
    (r"^((©|Ⓒ|Copyright)\s*)\d{4}", True, "ⓒ 2025"),
    (r"^Sep", True, "ſep"),
    (r"^Kelvin", True, "\u212aelvin"),
])
def test_first_atoms_accept_the_first_character(pattern, ignore_case, line):
    assert regex.match(pattern, line, regex.IGNORECASE if ignore_case else 0)
    atoms, folded = first_atoms(pattern, ignore_case)
    test = regex.compile("|".join(atoms), regex.IGNORECASE if folded else 0)
    assert test.match(line[0])


def test_first_atoms_declined_when_any_start_is_possible():
    assert first_atoms(r"^.{0,3}abc") is None
    assert first_atoms(r"^(x)?") is None  # can match the empty string
    assert first_atoms(r"^\X") is None


def test_prefilters_pass_every_matching_example():
    """Every line or text a shipped pattern matches passes its literal gate,
    and every line an anchored pattern matches starts with an accepted
    character."""
    for rule in RuleSet.load().all_rules():
        if rule.pattern is None:
            continue
        test = gate(rule.pattern_text, rule.ignore_case)
        atoms = first_atoms(rule.pattern_text, rule.ignore_case)
        first = atoms and regex.compile("|".join(atoms[0]), regex.IGNORECASE if atoms[1] else 0)
        for ex in rule.examples:
            for text in [ex.text, *ex.text.split("\n")]:
                m = rule.pattern.search(text)
                if m is None:
                    continue
                assert test is None or test(text), (rule.id, text)
                if first and m.start() == 0:
                    assert first.match(text[0]), (rule.id, text)


@pytest.mark.parametrize("pattern, expected", [
    (r"^(CN|EN|ZH|繁|简)$", 2),
    (r"^(a|bb)$|^c{1,5}$", 5),
    (r"^(?i:abc)$", 3),
    (r"^(a|bb)$|^c+$", None),  # unbounded
    (r"^(a$|b)", None),  # "b" may be followed by anything
    (r"^Share", None),
    (r"^\p{L}{1,3}$", None),  # read by the regex module only
    (r"^(?|(a)|(bc))$", None),
])
def test_whole_match_chars(pattern, expected):
    assert whole_match_chars(pattern) == expected


def test_whole_match_chars_bound_every_matching_example():
    for rule in RuleSet.load().all_rules():
        most = rule.pattern is not None and whole_match_chars(rule.pattern_text)
        if not most:
            continue
        for ex in rule.examples:
            for line in ex.text.split("\n"):
                if rule.pattern.match(line.strip()):
                    assert len(line.strip()) <= most, (rule.id, line)


def _mutations(texts: list[str], n: int) -> list[str]:
    rng = random.Random(7)
    lines = [line for t in texts for line in t.split("\n")]
    twists = [str.upper, str.lower, lambda s: " " + s + "  ", lambda s: s + "\r",
              lambda s: s.replace("s", "ſ"), lambda s: "[para 3] " + s, lambda s: s[: len(s) // 2]]
    out = []
    for _ in range(n):
        picked = [rng.choice(twists)(rng.choice(lines)) if rng.random() < 0.5 else rng.choice(lines)
                  for _ in range(rng.randint(1, 12))]
        out.append("\n".join(picked) + ("\n" if rng.random() < 0.5 else ""))
    return out


def test_line_verdicts_change_what_trying_every_rule_changes():
    cleaner = Cleaner(Config(citations=True, translationese=True))
    matchers = [m for s in cleaner.stages for m in vars(s).values() if isinstance(m, StageRules) and m.rules]
    texts = _texts()
    texts += _mutations(texts, 400)
    for m in matchers:
        for text in texts:
            fast, slow = Document(text), Document(text)
            m.run(fast, lambda rule, changes: fast.apply(m.stage, changes))
            m.run_unfiltered(slow, lambda rule, changes: slow.apply(m.stage, changes))
            assert fast.text == slow.text, text[:80]
            assert [e.to_dict() for e in fast.edits] == [e.to_dict() for e in slow.edits], text[:80]


def _pack(yaml_text):
    return build_pack(load_yaml(textwrap.dedent(yaml_text)), "t.yaml")


def test_verdicts_are_remembered_per_line_and_follow_the_text_as_rules_apply():
    pack = _pack("""
        pack: t
        stage: boilerplate
        rules:
          - id: t.share
            description: share label
            kind: delete-line
            pattern: '^Share$'
            examples:
              - in: "a\\nShare\\nb"
                out: "a\\nb"
              - unchanged: "Share this"
          - id: t.promo
            description: promo line, short only
            kind: delete-line
            pattern: 'promo'
            guard: {line_max_chars: 20}
            examples:
              - in: "a\\nbig promo\\nb"
                out: "a\\nb"
              - unchanged: "a long line that mentions a promo in passing"
    """)
    m = StageRules("boilerplate", RuleSet([pack]), Config())
    text = "Body one.\nShare\nbig promo\n\na long line that mentions a promo in passing\nShare\n"
    doc = Document(text)
    m.run(doc, lambda rule, changes: doc.apply("boilerplate", changes))
    assert doc.text == "Body one.\n\na long line that mentions a promo in passing\n"
    assert [e.rule for e in doc.edits] == ["t.share", "t.share", "t.promo"]
    # short lines keep their verdicts for the next document
    assert m._verdicts["Share"] == (0,) and m._verdicts["big promo"] == (1,)
    assert m._verdicts["Body one."] == ()
    assert LineView.of(doc.text).stripped == ["Body one.", "", "a long line that mentions a promo in passing"]
