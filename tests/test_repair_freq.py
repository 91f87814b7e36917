"""Filling the holes of CJK mojibake by real word frequencies (the ``cjk``
extra), and the structural prior that serves when the extra is missing. Every
sentence is ours, corrupted here the way a lossy decoder corrupts it."""

import subprocess
import sys

import pytest

from chipclean.config import Config
from chipclean.mojibake import freq
from chipclean.pipeline import Cleaner

pytestmark = pytest.mark.skipif(not freq.available(), reason="the cjk extra (wordfreq) is not installed")

# Each loses 3-6 bytes read as GBK, and each hole fits several common
# characters (一/中/个, 月/有/最) that only word frequencies tell apart.
TIED = [
    "我们今天在中国举行了一个重要的会议。",
    "这个月的销售额比去年同期增长了百分之十。",
    "中国芯片公司今年的收入增长了一倍。",
    "他是一个很有经验的工程师，也是我们的朋友。",
]

CLEAN = [
    "一个中国芯片公司的月度报告显示，收入增长了一倍。",
    "半導體產業鏈的「關鍵」環節，仍然在臺灣。",
    "今日はとても良い天気ですね。新しい会社は東京にあります。",
    "삼성전자는 새로운 메모리 칩을 발표했다.",
    "中文里夹着几个罕见字：犇、骉、鱻，照样保留。",
]


def clean(text):
    return Cleaner(Config(stages=("repair",))).clean_text(text)


@pytest.mark.parametrize("good", TIED)
def test_holes_are_filled_with_the_common_word(good):
    broken = good.encode("utf-8").decode("gbk", "replace")
    assert broken.count("\ufffd") >= 3
    result = clean(broken)
    assert result.text == good
    assert [e.rule for e in result.edits] == ["repair.cjk-mojibake"]


def test_cp932_holes_are_filled_too():
    good = "このチップの性能はとても高いと言われています。"
    broken = good.encode("utf-8").decode("cp932", "replace")
    assert "\ufffd" in broken
    assert clean(broken).text == good


@pytest.mark.parametrize("text", CLEAN)
def test_clean_text_is_left_alone(text):
    result = clean(text)
    assert result.text == text
    assert result.edits == []


def test_segment_reads_the_line_as_words():
    model = freq.model("hans")

    def line(*parts):
        return [[(0.0, ch, 5.0) for ch in part] for part in parts]

    # 一 is the commonest of the three on its own, but 这个 is a word
    cost, chars = model.segment(line("这", "一中个", "月"))
    assert "".join(chars) == "这个月"
    # between 中 and 家: 国 (中国, 国家), not 口 or 图
    cost, chars = model.segment(line("中", "口图国", "家"))
    assert "".join(chars) == "中国家"
    # a known character is never replaced
    cost, chars = model.segment(line("犇", "一中个", "月"))
    assert chars[0] == "犇"


def test_digits_next_to_a_hole_count():
    # word lists keep digits apart; running text says 月 follows a number
    good = "会议定于12月1日在北京举行。"
    broken = good.encode("utf-8").decode("gbk", "replace")
    assert clean(broken).text == good
    text = freq.model("hans").text
    assert text is not None
    assert text.lift("2", "月") > text.lift("2", "有") >= 0.0


def test_unigram_keeps_the_structural_cost_for_punctuation():
    model = freq.model("hans")
    assert model.unigram("。", 3.5) == 3.5
    assert model.unigram("的", 5.0) < model.unigram("犇", 5.0)


def test_without_the_extra_the_structural_prior_still_repairs():
    # the word lists hidden from a fresh interpreter: the stage must still run
    good = TIED[2]
    broken = good.encode("utf-8").decode("gbk", "replace")
    code = (
        "import sys; sys.modules['wordfreq'] = None\n"
        "from chipclean.config import Config\n"
        "from chipclean.mojibake import freq\n"
        "from chipclean.pipeline import Cleaner\n"
        "assert not freq.available() and freq.model('hans') is None\n"
        "out = Cleaner(Config(stages=('repair',))).clean_text(sys.argv[1]).text\n"
        "sys.stdout.buffer.write(out.encode('utf-8'))\n"
    )
    done = subprocess.run([sys.executable, "-c", code, broken], capture_output=True, check=True)
    out = done.stdout.decode("utf-8")
    assert "\ufffd" not in out and len(out) == len(good)
    assert out.endswith("芯片公司今年的收入增长了一倍。")


# Lines whose lost bytes only the word model's wider view gets right: bytes
# dropped without a trace (errors="ignore") that could have been any of their
# character's continuation bytes, the mark after a question particle, and
# Japanese auxiliaries the word list splits (い + ます).
WIDER = [
    ("日胡佳还将被迫与父母一起返回。", "gbk", "ignore"),
    ("他们的宪法和法律都在这里。", "gbk", "ignore"),
    ("你真的要去北京吗？", "gbk", "replace"),
    ("この件は誰が担当していますか？", "cp932", "replace"),
    ("今日は友達と映画を見ています。", "cp932", "replace"),
]


@pytest.mark.parametrize("good,codec,errors", WIDER)
def test_the_word_model_sees_every_reading_of_a_hole(good, codec, errors):
    broken = good.encode("utf-8").decode(codec, errors)
    assert broken != good
    assert clean(broken).text == good


@pytest.mark.parametrize("text", ["你真的要去北京吗？今天是星期一。", "彼は東京に住んでいますか？", "東京に行きましょう。"])
def test_questions_and_auxiliaries_in_clean_text_are_left_alone(text):
    assert clean(text).text == text



# ！ and ？ share their first two UTF-8 bytes; when the third is lost, the
# clause's own words say which it was.
MOODS = [
    ("我们应该如何处理这些数据？", "？"),
    ("你到底有几个朋友？", "？"),
    ("今天的天气真好啊！", "！"),
    ("没有任何人能阻止我们！", "！"),
]


MOODS_JA = [("それはちょっと違うのでは？", "？"), ("本当にそうかな？", "？"), ("今日は楽しかった！", "！")]


@pytest.mark.parametrize("good,mark,codec", [(g, m, "gbk") for g, m in MOODS] + [(g, m, "cp932") for g, m in MOODS_JA])
def test_a_lost_sentence_mark_follows_the_clause(good, mark, codec):
    broken = good.encode("utf-8").decode(codec, "replace")
    assert broken.endswith("\ufffd")
    assert clean(broken).text.endswith(mark)


def test_a_name_the_document_spells_out_fills_its_hole():
    # 紫 and 累 both fit the hole before 霜; the lines where the name came
    # through whole say which one the document means
    whole = ["正当紫霜要开口的时候。", "我和紫霜两人一起走。"]
    broken = "紫霜她是十灵女之一。".encode("utf-8").decode("gbk", "replace")
    assert "\ufffd" in broken
    assert clean(broken).text != "紫霜她是十灵女之一。"  # alone, the commoner 累 wins
    assert clean("\n".join(whole + [broken])).text.split("\n")[-1] == "紫霜她是十灵女之一。"


# “ and ”, 《 and 》 share their first two UTF-8 bytes; which half a lost
# one was follows from the marks before it on the line.
PAIRED = ["他们称之为“中国制造”(新版)计划。", "这段时间以来，“8·25专案组”成立了。", "这本书叫《三体》,作者是刘慈欣。", "报告称“经济稳定”,但是没有数据。"]


@pytest.mark.parametrize("good", PAIRED)
def test_a_lost_half_of_a_pair_of_marks_is_the_half_the_line_needs(good):
    broken = good.encode("utf-8").decode("gbk", "replace")
    assert "\ufffd" in broken
    assert clean(broken).text == good


def test_a_doubled_character_no_word_lists_is_still_likely():
    # 未 and 最 both fit; no word holds 未未, but doubling is common (名字, 慢慢)
    good = "劳改营长大的艾未未说。"
    broken = good.encode("utf-8").decode("gbk", "replace")
    assert "\ufffd" in broken
    assert clean(broken).text == good
    model = freq.model("hans")
    assert model.joined("未", "未") > model.joined("未", "最") >= 0.0


# 一, 个 and 中 differ only in the byte GBK loses (E4 B8 80, AA, AD); the
# numeral-classifier grammar says which one a line needs.
CLASSIFIED = [
    "全县共有61个事业单位参加了考试。",  # after digits: 个
    "董建华是个好人，大家都知道。",  # after 是, no classifier follows: 个
    "陶渊明有一首诗写得很好。",  # a classifier follows: 一
    "他到周遭的每一个人那里去问。",
    "念冰一呆，随即笑了起来。",  # 一 and a verb close a clause
    "一群鸟在空中飞，很快就不见了。",  # 空中 is a word: 中 stays
]


@pytest.mark.parametrize("good", CLASSIFIED)
def test_one_or_a_classifier_follows_the_grammar(good):
    broken = good.encode("utf-8").decode("gbk", "replace")
    assert "\ufffd" in broken
    assert clean(broken).text == good


@pytest.mark.parametrize("text", ["这是中国的一个城市。", "十一月是一年中最冷的月份之一。", "其中一个是对的。"])
def test_one_and_a_classifier_in_clean_text_are_left_alone(text):
    assert clean(text).text == text
