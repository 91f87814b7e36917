"""Text the legacy-codec repair must leave alone, even beside real mojibake."""

import pytest

from chipclean import Cleaner, Config
from chipclean.mojibake import legacy


@pytest.mark.parametrize("line", [
    "Alibaba’s recent foray into AI chips is a pivot—it is a gambit. ‚‚‚‚‚‚‚",
    "ÀÉÎÕÜ are capital letters with accents.",
    "Ça coûte 3 € — ‘très’ cher…",
])
def test_curly_quotes_and_dashes_in_western_text_stay(line):
    assert legacy.repair_line(line) is None


def test_gbk_shown_as_latin1_still_repaired():
    broken = "这是一个测试，2024年芯片价格上涨。".encode("gbk").decode("latin-1")
    rep = legacy.repair_line(broken)
    assert rep is not None and rep.text.endswith("芯片价格上涨。")


def test_repaired_document_is_stable_on_a_second_cleaning():
    text = ("AInvest Newsletter\nAlibabaâ€™s recent foray into AI chip development is a pivotâ€”it is a "
            "calculated gambit.\n" + "ÕâÊÇÒ»¸ö²âÊÔ£¬2024ÄêÐ¾Æ¬¼Û¸ñÉÏÕÇ¡£\n")
    cleaner = Cleaner(Config(stages=("repair",)))
    once = cleaner.clean_text(text).text
    assert "Alibaba’s recent foray" in once and "pivot—it" in once
    assert "芯片价格上涨" in once
    assert cleaner.clean_text(once).text == once


def _c1_stripped(text: str) -> str:
    """UTF-8 seen as Latin-1 by something that then dropped the C1 controls."""
    return "".join(ch for ch in text.encode("utf-8").decode("latin-1") if not "\x80" <= ch <= "\x9f")


@pytest.mark.parametrize("good", [
    "从海上吹来一阵凉爽的海风，所以今天我们去了深谷。",
    "これは今回のひとまずの連載です。",
    "인간 5-3 승리",
    "Погибших 7. 19.05.2003.",
])
def test_utf8_that_lost_bytes_is_not_read_as_legacy_cjk(good):
    # the bytes are UTF-8 with holes, not GBK or EUC-KR: reading them as
    # legacy text would only trade one garble for another
    broken = _c1_stripped(good)
    result = Cleaner(Config(stages=("repair",))).clean_text(broken)
    assert "repair.legacy-as-latin1" not in [e.rule for e in result.edits]


def test_a_c1_stripped_run_that_starts_inside_a_character_is_not_legacy_text():
    # हिन्दी (E0 A4 B9 E0 A4 BF ...) seen as Latin-1, its C1 bytes dropped,
    # and its first byte gone with the word before it: EUC-KR would read ㅉ西
    broken = "the company's fastest" + _c1_stripped("हिन्दी")[1:11]
    assert broken.endswith("¤¹à¤¿à¤¨à¥")
    assert legacy.repair_line(broken) is None


@pytest.mark.parametrize("line", [
    "Ukr¸¸¸¸¸¸¸¸¸r",  # one byte over and over: GBK would read 虜虜虜虜
    "le matŽŽŽŽŽŽŽŽŽŽŽŽtention",
])
def test_a_run_of_one_byte_is_not_read_as_legacy_text(line):
    assert legacy.repair_line(line) is None
