"""UTF-8 read as GBK the ways real systems do it: as browsers and Windows read it
(byte 0x80 is "€"), and written back as GBK (each lost byte is "?")."""

import sys
from pathlib import Path

import pytest

from chipclean.config import Config
from chipclean.mojibake import webcodecs
from chipclean.pipeline import Cleaner

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from bench_repair import web_gbk  # noqa: E402  (the benchmark's own WHATWG decoder)

REPAIR = Cleaner(Config(stages=("repair",)))


@pytest.mark.parametrize(
    "good",
    [
        "一个中国人的免责声明",  # 一 ends in 0x80: 涓€
        "英伟达发布了一个新的芯片，售价为1999元。",
        "免责声明：本文仅代表作者个人观点，不构成投资建议。",
        "“一带一路”——中国的倡议。",  # “ and — hold 0x80 too
        "免费版更新病毒码频宽很小，更新很慢。",  # 慢。 ends in A2 E3 80 82: €€ and a lost byte
    ],
)
def test_browser_gbk_mojibake_is_repaired(good):
    broken = web_gbk(good)
    assert "€" in broken
    result = REPAIR.clean_text(broken)
    assert result.text == good
    assert "web-gbk" in result.edits[0].note


def test_the_benchmark_decoder_reads_as_browsers_do():
    assert web_gbk("一") == "涓€"  # E4 B8 | 80
    assert web_gbk("中") == "涓\ufffd"  # E4 B8 | AD at the end: a lead with nothing after it


@pytest.mark.parametrize(
    "text",
    [
        "欧元符号€很常见",
        "售价：99€，约合人民币700元。",
        "这款显卡售价899€，折合人民币约7000元，€€便宜",
        "Le prix est de 10 € (environ).",
        "涓€",  # too short to tell
    ],
)
def test_text_with_euro_signs_is_left_alone(text):
    assert REPAIR.clean_text(text).text == text


def test_each_euro_sign_becomes_the_byte_that_keeps_utf8_valid():
    # 一 is E4 B8 80; 慢。 is E6 85 A2 | E3 80 82, and GBK reads A2 E3 as "€" too
    assert webcodecs.encode("涓€", "web-gbk") == "一".encode("utf-8")
    assert webcodecs.encode("鎱€€", "web-gbk") == "慢。".encode("utf-8")[:-1]
    assert webcodecs.decode(b"\x80", "web-gbk") == "€"
    assert webcodecs.decode(b"\xa2\xe3", "web-gbk") == "€"
    with pytest.raises(UnicodeDecodeError):
        webcodecs.decode(b"\x80", "gbk")  # Python's own codec has no such byte


def saved_back(good: str) -> str:
    """UTF-8 read as GBK, then written in GBK: each U+FFFD becomes "?"."""
    return good.encode("utf-8").decode("gbk", "replace").encode("gbk", "replace").decode("gbk")


@pytest.mark.parametrize(
    "good",
    [
        "免责声明：本文仅代表作者个人观点，不构成投资建议。",
        "1969年6月，台湾德仪正式在台北华国饭店租用办公室。",  # 年 before a digit: 骞?6
        "测试生产线正式开工。",  # 。 at the end: two lost bytes, "??"
    ],
)
def test_question_marks_that_stand_for_lost_bytes_are_filled(good):
    broken = saved_back(good)
    assert "?" in broken and "\ufffd" not in broken
    assert REPAIR.clean_text(broken).text == good


@pytest.mark.parametrize(
    "text",
    [
        "你好吗?我很好。",
        "这是真的吗??",
        "价格是多少? 100元。",
    ],
)
def test_real_question_marks_are_left_alone(text):
    assert REPAIR.clean_text(text).text == text


# A line where clean text and mojibake meet: a label, a title or a clause that
# came through whole, then text that went through GBK.
MIXED = [
    ("来源：", "新浪科技", " 2024年5月1日"),
    ("作者：", "张三", ""),
    ("标题：英伟达发布新芯片 ", "免责声明：本文仅代表作者个人观点。", ""),
    ("NVIDIA H100 — ", "免责声明：本文仅代表作者个人观点。", ""),
]


@pytest.mark.parametrize("before, broken_part, after", MIXED)
def test_the_mojibake_piece_of_a_mixed_line_is_repaired(before, broken_part, after):
    line = before + broken_part.encode("utf-8").decode("gbk", "replace") + after
    result = REPAIR.clean_text(line)
    assert result.text == before + broken_part + after
    # only the broken piece is in the edit
    assert result.edits[0].before.strip() in line[len(before) :]


@pytest.mark.parametrize(
    "text",
    [
        "作者：龘靐齉 编辑：王芳",  # rare characters of a real name
        "하지만 각조에 주어진 표\ufffd\ufffd가 2장뿐이어서 어차피 남은 자리는 하나밖에 없다.",
        "来源：网络 \ufffd\ufffd 2024年5月1日",
        "标题：英伟达发布新芯片 免责声明：本文仅代表作者个人观点。",
    ],
)
def test_lines_with_pieces_that_only_look_odd_are_left_alone(text):
    assert REPAIR.clean_text(text).text == text
