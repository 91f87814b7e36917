"""The boilerplate stage: shipped packs on whole look-alike pages, source
scoping, the citation option and the repeated date-stamp rule."""

import json

import pytest

from chipclean.cli import main
from chipclean.config import Config
from chipclean.pipeline import Cleaner
from chipclean.stages.boilerplate import STAMP, repeated_stamps
from chipclean.document import Document

CLEANER = Cleaner(Config(stages=("boilerplate",)))


def clean(text, lang="en", source="", **config):
    cleaner = Cleaner(Config(stages=("boilerplate",), **config)) if config else CLEANER
    doc = Document(text, lang=lang, source=source)
    cleaner.clean(doc)
    return doc


# -- the code-defined rule: repeated date stamps -------------------------------


def test_repeated_stamps_removed_as_one_block():
    text = "Body.\nAbout the writer.\n\nDec.31 2025\n\nDec.31 2025\n\nDec.31 2025\nComments"
    doc = Document(text)
    doc.apply("boilerplate", repeated_stamps(text))
    assert doc.text == "Body.\nAbout the writer.\n\nComments"
    assert [e.rule for e in doc.edits] == ["boilerplate.repeated-stamp"]


def test_single_or_double_dateline_and_timelines_kept():
    for text in (
        "Dec.31 2025\nBody text.",
        "Dec.31 2025\nBody.\nDec.31 2025\nMore body.",
        "- October 2025:\n- A deal.\n- October 2025:\n- Another deal.\n- October 2025:\n- A third.",
        "2023-11\nLaunch.\n2023-11\nLaunch.\n2023-11\nLaunch.",
    ):
        assert repeated_stamps(text) == [], text


@pytest.mark.parametrize("line", ["Dec.31 2025", "31 December 2025", "2025-12-31 08:30", "2025年12月31日", "Jan 5, 2026"])
def test_stamp_shapes(line):
    assert STAMP.match(line)


@pytest.mark.parametrize("line", ["2025", "2023-11", "Dec.31 2025 was a Wednesday", "May"])
def test_not_stamps(line):
    assert not STAMP.match(line)


def test_repeated_stamp_rule_can_be_disabled(runner):
    text = "Body.\n\nDec.31 2025\n\nDec.31 2025\n\nDec.31 2025\n"
    result = runner.invoke(main, ["clean", "--only", "boilerplate", "--disable", "boilerplate.repeated-stamp", "-"], input=text)
    assert result.exit_code == 0 and result.stdout == text


# -- packs on whole pages ------------------------------------------------------

AGGREGATOR_PAGE = (
    "🇺🇸Tech Feed (Full RSS)•Freshcollected in 12m\n"
    "Chipmaker Beats Forecasts\n\n"
    "Revenue rose 40% on data-centre demand.\n"
    "📊 Peer Comparison▸ Show\n"
    "| Metric | A | B |\n"
    "📰\n"
    "Weekly AI Recap\n"
    "Read this week's curated digest of top AI events →\n"
    "🔗Related Updates\n"
    "AI-curated news aggregator. All content rights belong to original publishers.\n"
    "Original source: Tech Feed (Full RSS) →\n"
)


def test_aggregator_page():
    doc = clean(AGGREGATOR_PAGE)
    assert doc.text == (
        "Chipmaker Beats Forecasts\n\nRevenue rose 40% on data-centre demand.\n📊 Peer Comparison\n| Metric | A | B |\n"
    )
    assert {e.rule.split(".")[0] for e in doc.edits} == {"aggregator"}


def test_site_pack_does_not_fire_elsewhere():
    # the same widget text on a page without the aggregator's marker stays
    text = "Chipmaker Beats Forecasts\n📊 Peer Comparison▸ Show\nWeekly AI Recap\n"
    assert clean(text).text == text


def test_site_pack_scoped_by_source_field():
    text = "Deals were signed.\n- DIGEST HUB\n- Chip spending rose."
    assert clean(text).text == text
    doc = clean(text, source="https://www.caixinglobal.com/2025-10-20/a.html")
    assert doc.text == "Deals were signed.\n- Chip spending rose."


def test_chinese_document_site_wrapper():
    text = "集成电路产业报告\n下载文档到电脑，查找使用更方便\n文档页数：52页\n一、行业概况\n国内芯片产能持续扩张。\n已阅读5页，还剩47页未读\n"
    doc = clean(text, lang="zh")
    assert doc.text == "集成电路产业报告\n一、行业概况\n国内芯片产能持续扩张。\n"


def test_english_pack_skips_chinese_documents():
    text = "芯片股下跌。\nRead more »\n"
    assert clean(text, lang="zh").text == text
    assert clean(text, lang="en").text == "芯片股下跌。\n"


def test_para_markers_always_and_citations_only_with_option():
    text = "[para. 1] Demand rose at AWS scale [1]. Prices fell [2][3].\n[1] A source [https://example.com]\n"
    assert clean(text).text == "Demand rose at AWS scale [1]. Prices fell [2][3].\n[1] A source [https://example.com]\n"
    doc = clean(text, citations=True)
    assert doc.text == "Demand rose at AWS scale. Prices fell.\n[1] A source [https://example.com]\n"


def test_long_content_line_with_promo_words_kept():
    text = (
        "Analysts said readers who sign up for our newsletter and subscribe to the paper read more, "
        "and the publisher expects the subscription business to grow 20% next year.\n"
    )
    assert clean(text).text == text


def test_explain_and_report_name_the_rules(runner, tmp_path):
    src = tmp_path / "page.txt"
    src.write_text("Headline here\nListen to the full version\n\nBody of the article.\n\nComments\nNo comments yet\n", encoding="utf-8")
    report = tmp_path / "r.json"
    result = runner.invoke(main, ["clean", "--explain", "--report", str(report), str(src)])
    assert result.exit_code == 0
    assert result.stdout == "Headline here\n\nBody of the article.\n"
    assert "en-promos.listen" in result.stderr and "en-widgets.comments-block" in result.stderr
    removed = json.loads(report.read_text())["removed_per_rule"]
    assert removed == {"en-promos.listen": 1, "en-widgets.comments-block": 1}


def test_rule_not_hidden_by_an_out_of_scope_rule_on_the_same_line(tmp_path):
    # both packs match "- PODCAST"; the site pack is out of scope and comes
    # first, and must not keep the generic rule from firing
    (tmp_path / "a-site.yaml").write_text(
        "pack: a-site\ndescription: d\nstage: boilerplate\nscope: {source: ['site\\.example']}\nrules:\n"
        "  - id: a-site.label\n    description: d\n    kind: delete-line\n    pattern: '^- (PODCAST|DIGEST)$'\n"
        "    examples:\n      - {in: \"a\\n- PODCAST\", out: a, source: site.example}\n      - unchanged: \"- PODCASTS\"\n",
        encoding="utf-8")
    (tmp_path / "b-generic.yaml").write_text(
        "pack: b-generic\ndescription: d\nstage: boilerplate\nrules:\n"
        "  - id: b-generic.label\n    description: d\n    kind: delete-line\n    pattern: '^-\\s*PODCAST$'\n"
        "    examples:\n      - {in: \"a\\n- PODCAST\", out: a}\n      - unchanged: \"- PODCASTS\"\n",
        encoding="utf-8")
    cleaner = Cleaner(Config(stages=("boilerplate",), rules=(str(tmp_path),), default_rules=False))
    doc = Document("Body.\n- PODCAST\n", source="other.example")
    cleaner.clean(doc)
    assert doc.text == "Body.\n" and [e.rule for e in doc.edits] == ["b-generic.label"]


def test_deletions_separated_by_blank_lines_all_apply():
    # each deletion takes its neighbouring blank lines; two of them with only
    # blanks between must not overlap (the second would be dropped)
    doc = clean("Shares rose.\n\nRead more »\n\nDownload the Harbor Daily app")
    assert doc.text == "Shares rose."
