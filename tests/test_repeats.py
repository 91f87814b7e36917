"""The repeats stage: corpus-level repeated lines, counted per source."""

import json

import pytest

from chipclean.cli import main
from chipclean.config import Config
from chipclean.document import Document
from chipclean.pipeline import Cleaner
from chipclean.rulepack import RuleSet
from chipclean.stages.repeats import RepeatsStage, content_like, line_hash, line_key, source_key, surely_content

SENTENCES = [
    "Revenue rose 12% in the third quarter, beating forecasts",
    "The regulator opened an inquiry into the merger",
    "Shares of the chipmaker fell 4% in early trading",
    "Analysts expect demand for memory to recover next year",
    "The company plans to build two new fabs in Arizona",
    "Exports of equipment to China fell for a third month",
    "The central bank left interest rates unchanged",
    "Smartphone shipments grew for the first time in two years",
]


def article(i: int) -> str:
    a, b = SENTENCES[i % 8], SENTENCES[(i * 3 + 1) % 8]
    return f"Story {i}: {a.split()[0]} news\n{a} (report {i}).\n\n{b}, officials said on day {i}."


def stage(**config):
    return RepeatsStage(Config(**config), RuleSet([]))


def run_corpus(texts, sources=None, **config):
    st = stage(**config)
    docs = [Document(t, source=(sources[i] if sources else "")) for i, t in enumerate(texts)]
    for d in docs:
        st.observe(d)
    for d in docs:
        st.process(d)
    return st, docs


def test_injected_chrome_found_and_content_kept():
    texts = [f"Follow us on Mastodon\n\n{article(i)}\nTrending now\n" for i in range(20)]
    _, docs = run_corpus(texts)
    for i, d in enumerate(docs):
        assert d.text == article(i) + "\n"
        assert {e.rule for e in d.edits} == {"repeats.line"}
        assert "in 20 of 20 documents from the corpus" in d.edits[0].note


def test_below_threshold_is_kept():
    texts = [article(i) + ("\nFollow us on Mastodon" if i < 4 else "") for i in range(20)]
    _, docs = run_corpus(texts)
    assert all(not d.edits for d in docs)


def test_fraction_threshold_scales_with_the_source():
    # in 6 of 1000 documents: past K=5 but under 1%
    texts = [article(i) + ("\nFollow us on Mastodon" if i < 6 else "") for i in range(1000)]
    _, docs = run_corpus(texts)
    assert all(not d.edits for d in docs)
    _, docs = run_corpus(texts, repeats_min_fraction=0.005)
    assert sum(bool(d.edits) for d in docs) == 6


def test_repeated_real_sentences_are_protected():
    quote = '"We remain committed to our customers in every market," the chief executive said.'
    zh = "公司表示，将继续加大在先进制程芯片研发方面的投入，以满足客户需求。"
    standard = "The company did not respond to a request for comment."
    texts = [f"{article(i)}\n{quote}\n{zh}\n{standard}\nSubscribe for more" for i in range(30)]
    _, docs = run_corpus(texts)
    for i, d in enumerate(docs):
        assert d.text == f"{article(i)}\n{quote}\n{zh}\n{standard}", d.text


def test_digits_are_kept_when_normalizing():
    # different date lines must not be merged into one "repeated" line
    texts = [f"Dec.{i % 28 + 1} 2025\n{article(i)}" for i in range(40)]
    _, docs = run_corpus(texts)
    assert all(not d.edits for d in docs)
    assert line_key("Dec.31 2025") != line_key("Dec.30 2025")
    assert line_key("Share  To：") == line_key("share to:")


def test_counted_per_source():
    chrome = "Download the Example app"
    texts, sources = [], []
    for i in range(40):
        site = "news.example.com" if i % 2 else "other.example.org"
        texts.append(article(i) + (f"\n{chrome}" if site == "news.example.com" else ""))
        sources.append(f"https://www.{site}/a/{i}")
    # the same line on five documents of another site is below that site's threshold
    texts[0] += f"\n{chrome}"
    _, docs = run_corpus(texts, sources)
    assert all(d.edits for i, d in enumerate(docs) if i % 2)
    assert chrome in docs[0].text


@pytest.mark.parametrize(
    "source, key",
    [
        ("https://www.example.com/a/b", "example.com"),
        ("news.example.com", "news.example.com"),
        ("samples/page.txt", ""),
        ("", ""),
    ],
)
def test_source_key(source, key):
    assert source_key(source) == key


@pytest.mark.parametrize(
    "line, expected",
    [
        ("The company did not respond to a request for comment.", True),
        ("公司表示，将继续加大在先进制程芯片研发方面的投入，以满足客户需求。", True),
        ("| Feature | A | B |", True),
        ("Daily stocks & crypto headlines, free to your inbox", False),
        ("下载文档到电脑，查找使用更方便", False),
        ("Comments", False),
        ("It is much less destructive.", True),
        ("听说，清华大学这次牺牲最惨重。", True),
        ("All rights reserved.", False),
        ("Photo: Reuters.", False),
        ("Follow Harbor Daily on Mastodon", False),
    ],
)
def test_content_like(line, expected):
    assert content_like(line) is expected


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Shares of the chipmaker rose 4% on Tuesday after the earnings call.", True),
        ("Die Aktie stieg am Dienstag um vier Prozent, sagte ein Händler.", True),
        ("听说，清华大学这次牺牲最惨重。", True),
        ("“芯片出口管制将持续收紧，”他说。”", True),
        # sentences it leaves to the full test, and lines that are no sentence
        ("Photo: Reuters. Read more here", False),
        ("All rights reserved.", False),
        ("关注港湾日报视频号 获取更多一手资讯", False),
        ("芯片 chips 芯片 chips 芯片 chips 芯片 chips. One two three four", True),
        ("首页 | 要闻 | 财经 | 科技 | 视频 | 评论 | 数据 | 专题。", True),
        ("한국 반도체 수출이 석 달 연속 늘었다고 밝혔다 정부는.", False),
        ("Follow Harbor Daily on Mastodon and Bluesky for more", False),
    ],
)
def test_surely_content_implies_content_like(line, expected):
    assert surely_content(line) is expected
    if expected:
        assert content_like(line)


def test_sentences_are_not_counted_yet_lines_around_them_are_removed():
    chrome = "Follow Harbor Daily on Mastodon"
    quote = "The minister said the export rules would stay in place for now."
    texts = [f"{chrome}\n{quote}\n{article(i)}" for i in range(20)]
    st, docs = run_corpus(texts)
    assert all(chrome not in d.text and quote in d.text for d in docs)
    assert st.counts[line_hash("", line_key(chrome))] == 20
    assert line_hash("", line_key(quote)) not in st.counts  # a sentence: never removed, so not counted


def test_memory_cap_forgets_rare_lines_never_overcounts():
    st = stage()
    st.max_entries = 200
    texts = [f"Site chrome line\nunique line {i}\nanother unique {i}" for i in range(300)]
    for t in texts:
        st.observe(Document(t))
    assert len(st.counts) <= 200
    assert st.pruned
    assert max(st.counts.values()) == 300  # the repeated line survived with its exact count
    assert any("filled up" in w for w in st.warnings())


def test_merged_partial_counts_equal_one_pass():
    texts = [f"Follow us\n{article(i)}" for i in range(30)]
    one, _ = run_corpus(texts)
    a, b, merged = stage(), stage(), stage()
    for i, t in enumerate(texts):
        (a if i % 2 else b).observe(Document(t))
    merged.merge_observed(a.observed_state())
    merged.merge_observed(b.observed_state())
    assert merged.counts == one.counts and merged.docs == one.docs


def test_cli_files_two_pass(runner, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(12):
        (src / f"a{i:02}.txt").write_text(f"{article(i)}\n\nTrending now\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(main, ["clean", "--only", "repeats", "-o", str(out), str(src)])
    assert result.exit_code == 0, result.output
    assert (out / "a00.txt").read_text(encoding="utf-8") == article(0) + "\n"
    assert "warning" not in result.stderr


def test_cli_jsonl_sources_and_audit(runner, tmp_path):
    src = tmp_path / "c.jsonl"
    lines = []
    for i in range(10):
        lines.append(json.dumps({"url": f"https://site{i % 2}.example/{i}", "text": f"{article(i)}\nSite nav {i % 2}"}))
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    audit = tmp_path / "a.jsonl"
    result = runner.invoke(main, ["clean", "--only", "repeats", "--audit", str(audit), str(src)])
    assert result.exit_code == 0, result.output
    records = [json.loads(l) for l in result.stdout.splitlines()]
    assert all("Site nav" not in r["text"] for r in records)
    edits = [json.loads(l) for l in audit.read_text().splitlines()]
    assert len(edits) == 10 and {e["rule"] for e in edits} == {"repeats.line"}
    assert edits[0]["note"] == "in 5 of 5 documents from site0.example"


def test_single_pass_learns_as_it_goes():
    st = stage()
    docs = [Document(f"{article(i)}\nNav bar") for i in range(8)]
    for d in docs:
        st.process(d)  # no observe(): the stream fallback
    # the first four can't know yet; from the fifth on the line is known chrome
    assert ["Nav bar" in d.text for d in docs] == [True] * 4 + [False] * 4


def test_cli_stdin_warns(runner):
    result = runner.invoke(main, ["clean", "--only", "repeats", "-"], input=article(1))
    assert result.exit_code == 0
    assert "learns as it goes" in result.stderr
    assert result.stdout == article(1)


def test_cleaner_observe_counts_raw_documents_cheaply():
    # the counting pass must not run the earlier stages on every document
    cleaner = Cleaner(Config())
    docs = [Document(f"{article(i)}\nNav bar") for i in range(6)]
    cleaner.observe(iter(docs))
    assert all(not d.edits and d.lang is None for d in docs)


def test_repeated_lines_separated_by_blank_lines_all_removed():
    texts = [f"{article(i)}\n\nNav one\n\nNav two" for i in range(10)]
    _, docs = run_corpus(texts)
    assert all(d.text == article(i) for i, d in enumerate(docs))


def test_explain_says_how_often_a_line_was_seen(runner, tmp_path):
    src = tmp_path / "c.jsonl"
    src.write_text("".join(json.dumps({"url": f"https://a.example/{i}", "text": f"{article(i)}\nNav bar"}) + "\n" for i in range(6)),
                   encoding="utf-8")
    result = runner.invoke(main, ["clean", "--only", "repeats", "--explain", str(src)])
    assert result.exit_code == 0
    assert "repeats repeats.line: '\\nNav bar' -> '' (in 6 of 6 documents from a.example)" in result.stderr
