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
