"""disclaimers: strip moves text to the metadata, tag records, keep leaves alone."""

import json

import pytest

from chipclean.cli import main
from chipclean.config import Config
from chipclean.pipeline import Cleaner

from .conftest import SHARED

SEEDS = SHARED / "seeds"
ZH = "正文第一段。\n\n免责声明:本文章仅代表作者个人观点,不代表本平台的立场和观点。不构成投资建议。\n"
EN = "Shares rose.\n\nThis article is for informational purposes only and does not constitute investment advice.\n"


def clean(text, mode="strip", lang="zh"):
    return Cleaner(Config(stages=("disclaimers",), disclaimers=mode)).clean_text(text, lang=lang)


def test_strip_moves_the_text_to_the_metadata():
    r = clean(ZH)
    assert r.text == "正文第一段。\n"
    assert r.metadata["disclaimers"] == [
        {"rule": "zh-disclaimers.platform-stance",
         "text": "免责声明:本文章仅代表作者个人观点,不代表本平台的立场和观点。不构成投资建议。"}
    ]
    assert [e.before.strip() for e in r.edits] == [r.metadata["disclaimers"][0]["text"]]


def test_tag_records_without_removing():
    r = clean(EN, "tag", "en")
    assert r.text == EN
    assert r.metadata["disclaimers"][0]["rule"] == "en-disclaimers.informational-only"


def test_keep_leaves_everything():
    r = clean(ZH, "keep")
    assert r.text == ZH and "disclaimers" not in r.metadata


def test_text_without_disclaimers_has_no_metadata_key():
    r = clean("公司发布免责声明后股价下跌。\n")
    assert r.text == "公司发布免责声明后股价下跌。\n" and "disclaimers" not in r.metadata


@pytest.mark.parametrize(
    "text,rule",
    [
        ("正文。\n市场有风险，投资需谨慎。", "zh-disclaimers.market-risk"),
        ("正文。\n以上内容仅供参考，不构成投资建议。", "zh-disclaimers.reference-only"),
        ("正文。\n（内容由人工智能辅助生成）", "zh-disclaimers.ai-generated"),
        ("Body.\nAll content rights belong to original publishers.", "en-disclaimers.rights-belong"),
        ("Body.\n\nThe views expressed in this article are those of the author.", "en-disclaimers.views-own"),
    ],
)
def test_each_kind_is_found(text, rule):
    r = clean(text, lang="zh" if text.startswith("正文") else "en")
    assert [d["rule"] for d in r.metadata["disclaimers"]] == [rule]


def test_jsonl_metadata_carries_the_disclaimers(runner, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"text": ZH}, ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    r = runner.invoke(main, ["clean", str(src), "-o", str(out)])
    assert r.exit_code == 0, r.output
    record = json.loads(out.read_text(encoding="utf-8"))
    assert "免责声明" not in record["text"]
    assert record["chipclean"]["disclaimers"][0]["rule"] == "zh-disclaimers.platform-stance"


def test_seed_articles():
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS} (set CHIPCLEAN_SHARED)")
    cleaner = Cleaner(Config())
    results = {p.name[:3]: cleaner.clean_text(p.read_text(encoding="utf-8"), source=str(p)) for p in sorted(SEEDS.glob("*.txt"))}
    moved = {k: [d["rule"] for d in r.metadata.get("disclaimers", [])] for k, r in results.items()}
    assert "zh-disclaimers.platform-stance" in moved["001"]
    assert "免责声明" not in results["001"].text
    assert {"en-disclaimers.ai-generated", "en-disclaimers.rights-belong"} <= set(moved["003"])
    assert "AI-generated analysis for this event." not in results["003"].text
    # the glosses that talk about a name stay exactly as written
    assert "OpenAI, referred to as 美国开放人工智能研究中心, is" in results["002"].text
    assert "Alphabet (known as 字母表公司 in Chinese)" in results["002"].text
