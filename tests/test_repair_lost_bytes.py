"""UTF-8 read as Windows-1252 and saved back in it: the five bytes that code
page lacks became "?", and are filled in before ftfy reads the line."""

import pytest

from chipclean.config import Config
from chipclean.mojibake import savedback
from chipclean.pipeline import Cleaner

REPAIR = Cleaner(Config(stages=("repair",)))


def saved_back(text: str) -> str:
    return text.encode("utf-8").decode("cp1252", "replace").encode("cp1252", "replace").decode("cp1252")


@pytest.mark.parametrize(
    "good",
    [
        "He said “hello” and left.",  # ” is E2 80 9D: "â€?"
        "The “AI chip” race — and Nvidia’s lead.",
        "英伟达发布了新的数据中心芯片，售价约为三万美元。",  # 发 is E5 8F 91: "å?‘"
        "“一带一路”倡议",
    ],
)
def test_lost_bytes_are_filled_and_the_line_decoded(good):
    broken = saved_back(good)
    assert "?" in broken
    result = REPAIR.clean_text(broken)
    assert result.text == good
    assert [e.rule for e in result.edits] == ["repair.cp1252-lost-bytes"]
    assert "lost byte" in result.edits[0].note


@pytest.mark.parametrize(
    "text",
    [
        "Is it 100%? Yes.",
        "Voilà? Straße? Où?",  # a lead-byte letter before a real question mark
        "Ã? la carte?",  # one unsure character is not enough to go on
        "你好吗?我很好。",
    ],
)
def test_real_question_marks_stay(text):
    assert REPAIR.clean_text(text).text == text


def test_a_question_mark_is_a_lost_byte_only_inside_a_character():
    # "â€œ" is complete; the "?" after "â€" is where the third byte belongs
    assert savedback.fill("â€œhiâ€? ok?")[0] == "â€œhiâ€\x9d ok?"
    assert savedback.fill("plain? text?") is None


def test_a_line_that_went_through_latin1_twice_is_left_to_ftfy():
    # there a "?" can be any of 32 bytes; filling one of five gives garbage
    line = "ItÃ?Â¢â?¬â?¢s classic."
    assert "Á" not in REPAIR.clean_text(line).text


def test_the_rule_can_be_disabled():
    broken = saved_back("He said “hello” and left.")
    off = Cleaner(Config(stages=("repair",), disable=("repair.cp1252-lost-bytes",)))
    assert "repair.cp1252-lost-bytes" not in [e.rule for e in off.clean_text(broken).edits]
