"""The zh-script stage: OpenCC's own cases, entity protection, what it leaves alone."""

import json
import re

import pytest

from chipclean.cli import main
from chipclean.config import Config
from chipclean.pipeline import Cleaner
from chipclean.rulepack import RuleSet
from chipclean.zh.convert import convert
from chipclean.zh.mentions import matcher_for

from .conftest import SHARED

OPENCC_CASES = SHARED / "data" / "opencc" / "testcases.json"
RULES = RuleSet.load()
TARGETS = {"t2s": "hans", "s2t": "hant", "s2tw": "tw", "s2twp": "twp", "s2hk": "hk"}

# Cases whose input mixes both scripts, or has no character that tells the
# script, and so is (on purpose) not wholly run through OpenCC: the Simplified
# part must not go through t2s (破坏 -> 破坯), Traditional text is already there.
MIXED_INPUT = {
    ("case_054", "t2s"),  # 抬头 擡头 抬頭 擡頭
    ("medical_phrases_tw_hepatitis_s2twp", "s2twp"),  # 乙肝 … 追蹤: already Traditional by its characters
    ("BYVoid_OpenCC_Issue_914", "t2s"),
    ("BYVoid_OpenCC_Issue_1246_core_reverse_phrase", "t2s"),  # 核心 原子核 无核化 稽覈
    ("BYVoid_OpenCC_PR_1266_zhou", "t2s"),  # 甲胄 甲冑
    ("BYVoid_OpenCC_Issue_506", "s2t"),  # 几率 機率 機會率 概率
    ("BYVoid_OpenCC_Issue_506", "s2tw"),
    ("BYVoid_OpenCC_Issue_506", "s2twp"),
    ("BYVoid_OpenCC_Issue_506", "s2hk"),
    ("BYVoid_OpenCC_PR_464_ke_vs_ke", "t2s"),  # 相剋 剋架: no Traditional-only character
    ("BYVoid_OpenCC_PR_464_zha_vs_zha", "t2s"),
    ("BYVoid_OpenCC_PR_464_jia_vs_jia", "t2s"),
    ("BYVoid_OpenCC_Issue_1335", "t2s"),  # 幷州
}


def _zh(text, target, entities="canonical", stages=("zh-script", "entities")):
    cleaner = Cleaner(Config(zh_script=target, entities=entities, stages=stages), RULES)
    return cleaner.clean_text(text, lang="zh")


def _opencc_cases():
    if not OPENCC_CASES.is_file():
        return None
    raw = OPENCC_CASES.read_text(encoding="utf-8")
    return json.loads(re.sub(r",(\s*[}\]])", r"\1", raw))["cases"]  # the file has trailing commas


def test_opencc_cases_pass_where_no_entity_is_involved():
    cases = _opencc_cases()
    if cases is None:
        pytest.skip(f"OpenCC test cases not found at {OPENCC_CASES} (set CHIPCLEAN_SHARED)")
    cleaners = {cfg: Cleaner(Config(zh_script=t, stages=("zh-script",)), RULES) for cfg, t in TARGETS.items()}
    matcher = matcher_for(cleaners["t2s"].rules)
    checked, failures, tofu = 0, [], 0
    for case in cases:
        for cfg, expected in case["expected"].items():
            if cfg not in TARGETS or matcher.find(case["input"]) or matcher.find(expected):
                continue
            if convert(cfg, case["input"]) != expected:
                tofu += 1  # needs the tofu-risk dictionaries, which are off on purpose
                continue
            if (case["id"], cfg) in MIXED_INPUT:
                continue
            checked += 1
            got = cleaners[cfg].clean_text(case["input"], lang="zh").text
            if got != expected:
                failures.append(f"{case['id']} {cfg}: {case['input']!r} -> {got!r}, expected {expected!r}")
    assert checked > 300 and tofu <= 5
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    "text,target,expected",
    [
        ("华为昇腾芯片性能提升", "hans", "华为昇腾芯片性能提升"),
        ("華為昇騰晶片效能提升", "hans", "华为昇腾晶片效能提升"),
        ("台积电扩产", "tw", "台積電擴產"),
        ("台积电扩产", "hant", "台積電擴產"),
        ("摩尔线程发布新显卡", "twp", "摩爾線程釋出新顯示卡"),
        ("英伟达芯片", "tw", "輝達芯片"),
        ("英伟达芯片", "hk", "英偉達芯片"),
    ],
)
def test_entity_names_survive_conversion(text, target, expected):
    assert _zh(text, target).text == expected


def test_plain_opencc_would_damage_those_names():
    # the reason for protecting them: keep this true, or the tests above prove nothing
    assert convert("t2s", "昇騰") == "升腾"
    assert convert("s2t", "台积电") == "臺積電"
    assert convert("s2twp", "摩尔线程发布") != "摩爾線程發佈"


def test_names_keep_their_own_form_when_entities_are_not_canonicalised():
    # with --entities tag the name is only converted in script, not replaced
    assert _zh("辉达发布新芯片", "tw", entities="tag").text == "輝達發佈新芯片"
    assert _zh("台积电扩产", "tw", entities="off").text == "台積電擴產"


def test_simplified_text_is_not_run_through_t2s():
    text = "这块坏布被退回了。"
    assert convert("t2s", text) != text  # 坏布 -> 坯布
    assert _zh(text, "hans").text == text


def test_traditional_text_is_left_alone_for_traditional_targets():
    text = "台積電的晶圓產能持續擴張。"
    assert _zh(text, "tw").text == text


def test_only_lines_in_the_other_script_change():
    text = "这块坏布被退回了。\n這篇報導來自台灣。\n"
    r = _zh(text, "hans")
    assert r.text == "这块坏布被退回了。\n这篇报导来自台湾。\n"
    assert all(e.line == 2 for e in r.edits)


def test_traditional_minority_in_simplified_text_is_mapped_by_character():
    # a Simplified sentence with one stray Traditional character: t2s would
    # also rewrite 破坏; only the stray character changes
    r = _zh("这块坏布是个问題", "hans")
    assert r.text == "这块坏布是个问题"


def test_japanese_and_english_lines_are_left_alone():
    text = "東京の天気は晴れです。\nOpenAI, referred to as 美国开放人工智能研究中心, said.\n這是繁體中文。"
    r = _zh(text, "hans")
    assert r.text.splitlines()[:2] == text.splitlines()[:2]
    assert r.text.splitlines()[2] == "这是繁体中文。"


def test_one_edit_per_sentence_trimmed_to_what_changed():
    r = _zh("我們在寮國的伺服器。這是測試。", "hans")
    assert r.text == "我们在寮国的伺服器。这是测试。"
    assert [e.before for e in r.edits] == ["們在寮國", "這是測試"]


def test_keep_changes_nothing():
    text = "華為昇騰晶片"
    assert _zh(text, "keep").text == text


def test_cli_zh_script_flag(runner, tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("摩尔线程与台积电合作。\n", encoding="utf-8")
    out = tmp_path / "out.txt"
    r = runner.invoke(main, ["clean", str(f), "-o", str(out), "--zh-script", "twp", "--only", "zh-script,entities"])
    assert r.exit_code == 0, r.output
    assert out.read_text(encoding="utf-8") == "摩爾線程與台積電合作。\n"


def test_changes_found_in_bulk_match_the_character_by_character_trim():
    from chipclean.stages.zh_script import _change, _trimmed

    cases = [
        (["我們在寮國的伺服器。", "這是測試。", "不變。"], ["我们在寮国的伺服器。", "这是测试。", "不變。"]),
        (["鼠標", "軟件"], ["滑鼠", "軟體"]),  # every character changes
        (["出租車", "資訊"], ["計程車", "資訊科技"]),  # a length changes: trimmed one by one
        (["\ud800們"], ["\ud800们"]),  # a lone surrogate does not stop the bulk path
    ]
    for sources, converted in cases:
        starts = [10 * i for i in range(len(sources))]
        joined, out = "\n".join(sources), "\n".join(converted)
        got = _trimmed(sources, converted, starts, joined, out, "r")
        want = [_change(s, a, b, "r") for s, a, b in zip(starts, sources, converted) if a != b]
        assert got == want
