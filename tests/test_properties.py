"""Idempotence: cleaning clean text changes nothing, for every stage on its
own and for the default pipeline, on generated multilingual text, mojibake and
boilerplate.

CI runs a short, derandomized profile; ``CHIPCLEAN_PROPERTIES=thorough`` runs
many more random examples. (The golden samples are checked for idempotence in
test_samples.py.)
"""

import os

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from chipclean import Cleaner, Config, RuleSet
from chipclean.config import STAGES

settings.register_profile(
    "chipclean-ci", max_examples=25, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "chipclean-thorough", max_examples=2000, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROFILE = settings.get_profile("chipclean-" + os.environ.get("CHIPCLEAN_PROPERTIES", "ci"))

# -- what documents are made of --------------------------------------------------------

ENGLISH = ("chip", "prices", "rose", "in", "June", "Nvidia", "TSMC", "said", "the", "market", "H100",
           "analysts", "expect", "demand", "10%", "$5bn", "U.S.", "AI", "memory", "Share", "Subscribe")
CHINESE = ("芯片", "价格", "上涨", "英伟达", "台积电", "市场", "分析师", "预计", "需求", "美国", "人工智能",
           "內存", "臺灣", "記憶體", "免责声明", "分享", "公司", "表示")
PUNCT = (" ", " ", " ", ", ", ". ", "，", "。", "！", "？", "：", "、", "“", "”", "《", "》", "（", "）",
         "(", ")", "'", '"', "-", "—", "…", ":", ";", "!", "?")
ODD_SPACE = ("\u00a0", "\u3000", "\u200b", "\u200d", "\ufeff", "\t", "  ", "\u2028", "\r")
WIDE = ("Ｈ１００", "ＡＩ", "２０２５", "ＴＳＭＣ", "％")


def _boilerplate_lines():
    """The text the shipped rules are written to change or keep: real-looking
    boilerplate and the look-alike content next to it."""
    rules = RuleSet.load()
    lines = set()
    for rule in rules.all_rules():
        for ex in rule.examples:
            lines.update(line for line in ex.text.splitlines() if line.strip())
    return sorted(lines)


BOILERPLATE = _boilerplate_lines()

word = st.one_of(st.sampled_from(ENGLISH), st.sampled_from(CHINESE), st.sampled_from(WIDE))
piece = st.one_of(word, word, word, st.sampled_from(PUNCT), st.sampled_from(ODD_SPACE),
                  st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=3))
sentence = st.lists(piece, min_size=1, max_size=14).map("".join)


def _mojibake(text: str, codec: str) -> str:
    return text.encode("utf-8").decode(codec, "replace")


mojibake = st.builds(_mojibake, sentence, st.sampled_from(["latin-1", "cp1252", "gbk", "cp874", "big5"]))
line = st.one_of(sentence, sentence, sentence, mojibake, st.sampled_from(BOILERPLATE), st.just(""))
document = st.lists(line, min_size=1, max_size=12).map("\n".join) | st.lists(line, max_size=6).map(
    lambda ls: "\n\n".join(ls) + "\n")


def cleaner(stages, **options) -> Cleaner:
    c = Cleaner(Config(stages=tuple(stages), **options))
    c.stages  # compile once, not inside the timed examples
    return c


def assert_idempotent(c: Cleaner, text: str) -> None:
    once = c.clean_text(text)
    if once.dropped:
        return
    twice = c.clean_text(once.text)
    assert twice.text == once.text, (
        f"second cleaning changed the text again: {[(e.stage, e.rule, e.before, e.after) for e in twice.edits]}"
    )


# -- one stage at a time -------------------------------------------------------------------

#: stage -> (options that make it do something, known counterexample to idempotence or None)
STAGE_CASES = {
    "repair": ({}, None),
    "normalize": ({"cjk_spacing": True}, None),
    "langid": ({}, None),
    "zh-script": ({"zh_script": "hans"}, None),
    "entities": ({}, None),
    "disclaimers": ({}, None),
    "boilerplate": ({}, None),
    "repeats": ({}, None),
}
CLEANERS: dict = {}


def _cleaner_for(stage):
    if stage not in CLEANERS:
        CLEANERS[stage] = cleaner([stage], **STAGE_CASES[stage][0])
    return CLEANERS[stage]


@pytest.mark.parametrize("stage", STAGES)
@PROFILE
@given(text=document)
@example(text="\xa0\u200d")  # a joiner beside a no-break space went only on a second pass
@example(text="a\u200d\u200bb")  # ... and one beside a zero-width space
def test_each_stage_alone_is_idempotent(stage, text):
    assert_idempotent(_cleaner_for(stage), text)


@PROFILE
@given(text=document)
@example(text="免责声明:本文仅代表作者个人观点。\n\nShare To\nAPP\n\nＨ１００芯片价格上涨１０％。")
def test_default_pipeline_is_idempotent(text):
    if "default" not in CLEANERS:
        CLEANERS["default"] = cleaner(STAGES)
    assert_idempotent(CLEANERS["default"], text)


def test_generators_produce_text_the_stages_change():
    """Guard against a vacuous property: the generated documents do give
    every rule-driven stage work to do."""
    changed = set()
    samples = [
        "免责声明:本文仅代表作者个人观点,不代表本平台的立场。\n" + BOILERPLATE[0],
        _mojibake("芯片价格上涨，市场担忧加剧。", "latin-1"),
        "Ｈ１００\u00a0芯片",
    ] + BOILERPLATE[:200]
    for stage in ("repair", "normalize", "boilerplate", "disclaimers"):
        c = _cleaner_for(stage)
        if any(c.clean_text(s).edits for s in samples):
            changed.add(stage)
    assert changed == {"repair", "normalize", "boilerplate", "disclaimers"}


# -- counterexamples found by bench/fuzz.py, kept as regression cases ------------------------

KNOWN = [
    # ftfy's answer ("ą¹\x82" -> "โ") is itself Thai-codepage mojibake of "→"
    pytest.param(("repair",), "ą¹\x82", id="repair-ftfy-then-thai-lossy"),
    # a no-break space before single-byte mojibake hides it from ftfy until normalize
    # turns the space into an ordinary one
    pytest.param(STAGES, "\xa0С•РЎ", id="default-nbsp-then-ftfy"),
    pytest.param(STAGES, "\xa0Ã©tÃ©", id="default-nbsp-then-ftfy-latin"),
]


@pytest.mark.parametrize("stages, text", KNOWN)
def test_known_counterexamples(stages, text):
    assert_idempotent(cleaner(stages), text)
