"""UTF-8 read as Shift_JIS the ways real systems do it: by Python's cp932 codec,
and as browsers read it, where one U+FFFD may hide two bytes."""

import sys
from pathlib import Path

import pytest

from chipclean.config import Config
from chipclean.mojibake import webcodecs
from chipclean.pipeline import Cleaner

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from bench_repair import web_sjis  # noqa: E402  (the benchmark's own WHATWG decoder)

REPAIR = Cleaner(Config(stages=("repair",)))


@pytest.mark.parametrize(
    "good",
    [
        "エヌビディアは新しいAIチップを発表しました。",  # ィ and 。 each lose a byte pair
        "生成AIの需要が急増し、データセンター向けGPUの供給が不足している。",
        "台湾の半導体メーカーは、２０２５年に新工場を稼働させる予定だ。",
        "昇騰チップの性能は！",  # 騰 (rare on its own) against ⨰, which no CJK code page has
    ],
)
def test_browser_shift_jis_mojibake_is_repaired(good):
    broken = web_sjis(good)
    assert "\ufffd" in broken
    result = REPAIR.clean_text(broken)
    assert result.text == good
    assert "web-sjis" in result.edits[0].note


def test_the_benchmark_decoder_reads_as_browsers_do():
    # い is E3 81 84; 84 E3 is no character, and E3 is not ASCII, so both go
    # into one U+FFFD; then 81 84 is ＞
    assert web_sjis("いい") == "縺\ufffd＞"
    # before an ASCII byte only the first byte is lost, and the ASCII byte is read again
    assert web_sjis("い1") == "縺\ufffd1"


def test_a_hidden_pair_is_one_the_code_page_leaves_unmapped():
    firsts, seconds, unmapped = webcodecs.pairs("web-sjis")
    assert (0x84, 0xE3) in unmapped  # row 84 ends at BE
    assert (0x82, 0xE3) not in unmapped  # ゅ
    assert 0x85 in firsts and 0xA0 not in firsts  # 85 is an empty row; A0 is never a first byte
    assert min(seconds) >= 0x80
    with pytest.raises(UnicodeDecodeError):
        webcodecs.decode(b"\xa0", "web-sjis")  # Python's cp932 maps it to private use
    assert webcodecs.decode(b"\x82\xa0", "web-sjis") == "あ"


def test_each_double_gets_the_bytes_that_keep_utf8_valid():
    # ≡ is 81 DF and 87 91 in Windows-31J; 金 (E9 87 91) needs the second
    assert webcodecs.encode("謌宣≡", "cp932") == "成金".encode("utf-8")
    assert webcodecs.encode("≡", "cp932") == b"\x81\xdf"  # nothing to decide: the encoder's own
    # after a lost byte the text starts inside a character
    assert webcodecs.encode("≡陞", "cp932") == b"\x87\x91\xe8\x9e"


@pytest.mark.parametrize(
    "good",
    ["成金の話はしません。", "詳しくは公式サイトをご覧ください。"],
)
def test_python_cp932_mojibake_is_repaired(good):
    broken = good.encode("utf-8").decode("cp932", "replace")
    assert REPAIR.clean_text(broken).text == good


@pytest.mark.parametrize(
    "text",
    [
        "記号≡は合同を表す。",
        "難しい漢字の例：鬱、薔薇、檸檬、躊躇。",  # rare kanji after a label are still genuine
        "価格は１０００円です。",
        "データが壊れています：\ufffd\ufffd",
        "半角ｶﾀｶﾅのテキストです。",
    ],
)
def test_japanese_text_is_left_alone(text):
    assert REPAIR.clean_text(text).text == text
