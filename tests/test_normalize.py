"""normalize: each fold changes what it should and leaves everything else."""

import pytest

from chipclean.config import Config
from chipclean.document import Document
from chipclean.stages.normalize import NormalizeStage
from chipclean.rulepack import RuleSet

RULES = RuleSet([])


def norm(text, **config):
    doc = Document(text=text)
    NormalizeStage(Config(stages=("normalize",), **config), RULES).process(doc)
    return doc


@pytest.mark.parametrize(
    "before,after,rule",
    [
        ("免责声明:本文", "免责声明：本文", "normalize.cjk-punctuation"),
        ("观点,不代表", "观点，不代表", "normalize.cjk-punctuation"),
        ("观点, 不代表", "观点，不代表", "normalize.cjk-punctuation"),
        ("真的吗?是的!好;行", "真的吗？是的！好；行", "normalize.cjk-punctuation"),
        ("《三体》,他说", "《三体》，他说", "normalize.cjk-punctuation"),
        ("Ｈ２００芯片", "H200芯片", "normalize.fullwidth-alnum"),
        ("ｎｖｉｄｉａ", "nvidia", "normalize.fullwidth-alnum"),
        ("a\u00a0b", "a b", "normalize.nbsp"),
        ("a\u202fb\u2009c", "a b c", "normalize.nbsp"),
        ("ab\u200bc\ufeff", "abc", "normalize.zero-width"),
        ("芯片\u200d公司", "芯片公司", "normalize.zero-width"),
        ("line  \nnext\t\n", "line\nnext\n", "normalize.trailing-space"),
        ("中文　\n", "中文\n", "normalize.trailing-space"),
        ("a\n\n\n\nb", "a\n\nb", "normalize.blank-lines"),
        ("a\n\n\n\n\nb", "a\n\nb", "normalize.blank-lines"),
    ],
)
def test_folds(before, after, rule):
    doc = norm(before)
    assert doc.text == after
    assert {e.rule for e in doc.edits} == {rule}


@pytest.mark.parametrize(
    "text",
    [
        "“Hello,” she said: ok; fine! Really?",  # English punctuation and curly quotes
        "他说：“你好。”‘引号’不变",  # Chinese curly quotes
        "《三体》【注】「引用」『书名』",  # CJK brackets
        "，。！？：；（）",  # full-width punctuation is never folded to ASCII
        "兀 豈 﨑",  # compatibility ideographs: NFKC would change them
        "Price: 10:30, ok",
        "NVIDIA,英伟达",  # ASCII comma with Latin on one side
        "👨\u200d👩\u200d👧 family",  # a joiner inside an emoji sequence
        "می\u200cخواهم",  # a non-joiner Persian needs
        "clean text\nwith lines\n",
        "　　段首缩进保留",  # leading ideographic spaces indent paragraphs
    ],
)
def test_left_alone(text):
    assert norm(text).text == text


def test_cjk_spacing_is_opt_in():
    text = "英伟达H100芯片增长10%的"
    assert norm(text).text == text
    doc = norm(text, cjk_spacing=True)
    assert doc.text == "英伟达 H100 芯片增长 10% 的"
    assert {e.rule for e in doc.edits} == {"normalize.cjk-spacing"}
    assert norm("已经有空格 H100 了", cjk_spacing=True).text == "已经有空格 H100 了"


def test_clean_text_costs_one_scan():
    doc = norm("Plain English.\n\n中文句子。\n")
    assert not doc.edits


def test_one_scan_first_look_sees_every_fold():
    from chipclean.stages.normalize import _quiet

    for loud in ("中文\u3000\n下一行", "中文 \n下一行", "a\n\n\nb", "中文,好", "ｈｉ", "a\u00a0b", "中\n\n\n文", "末尾\u3000"):
        assert not _quiet(loud), repr(loud)
    for quiet in ("中文，好。\n\n下一行", "Hello, world.\nNext line", "Café au lait, “quoted” here.\n", "中文\n\n文"):
        assert _quiet(quiet), repr(quiet)
