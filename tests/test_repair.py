"""The repair stage: codec chains ftfy can't undo, ftfy with Chinese-safe
settings, unrecoverable fragments, and the residue rules. Every case is text
we wrote, corrupted here the way real systems corrupt it."""

from functools import lru_cache

import pytest

from chipclean.config import Config
from chipclean.pipeline import Cleaner


@lru_cache(maxsize=None)
def _cleaner(options):
    return Cleaner(Config(stages=("repair",), **dict(options)))


def repair(text, **options):
    return _cleaner(tuple(sorted(options.items()))).clean_text(text)


def thai_lossy(text):
    """UTF-8 decoded as TIS-620 with the C1 bytes dropped and NBSP made a space."""
    raw = bytes(b for b in text.encode("utf-8") if not 0x80 <= b <= 0x9F)
    return raw.decode("tis_620", "ignore").replace("\u00a0", " ")


def rules(result):
    return [e.rule for e in result.edits]


# -- text that must come out byte-identical ----------------------------------

CLEAN = [
    "芯片公司今天发布了新的“旗舰”处理器，售价为1999元（含税）！",
    "半導體產業鏈的「關鍵」環節，仍然在臺灣。",
    "新しいチップは「高速」で、価格も手頃です。",
    "삼성전자는 새로운 메모리 칩을 발표했다.",
    "The company’s “flagship” chip — shipped in 2024 – costs €1,999…",
    "Größe, café, naïve, Ærø: ordinary European letters.",
    "วันนี้ตลาดหุ้นปรับตัวขึ้นเล็กน้อย นักลงทุนยังคงระมัดระวัง",
    "Он сказал: «Рынок растёт».",
    "全角标点：，。！？；：、“”‘’《》【】——……",
    "ｶﾀｶﾅ half-width katakana stays as written",
]


@pytest.mark.parametrize("text", CLEAN)
def test_clean_text_is_byte_identical(text):
    result = repair(text)
    assert result.text == text
    assert result.edits == []


def test_thai_word_inside_english_is_left_alone():
    text = "The Thai greeting สวัสดี is used all day."
    assert repair(text).text == text


# -- UTF-8 read as a CJK codec ------------------------------------------------


def test_utf8_read_as_gbk_is_repaired_with_a_note():
    good = "新闻免责声明：本站内容仅供参考。"
    broken = good.encode("utf-8").decode("gbk", "replace")
    assert "鍏嶈矗澹版槑" in broken and "\ufffd" in broken
    result = repair(broken)
    assert result.text == good
    edit = result.edits[0]
    assert edit.rule == "repair.cjk-mojibake"
    assert "gbk" in edit.note and "confidence" in edit.note


def test_utf8_read_as_gbk_without_losses():
    good = "我们市场价格"
    broken = good.encode("utf-8").decode("gbk")
    assert repair(broken).text == good


def test_lost_bytes_are_only_filled_with_bytes_the_decoder_rejects():
    # 0x80 is never a GBK lead byte, so a U+FFFD before "1" may be it; a byte
    # that would have formed a valid pair with its neighbour may not
    from chipclean.mojibake.utf8search import Mode, candidates

    mode = Mode(codec="gbk")
    lone = candidates(mode, (0xE4, 0xB8, -2 - 0x31), limit=80)  # E4 B8 ?? then "1"
    assert "一" in {ch for _, ch in lone}
    before_valid_trail = candidates(mode, (0xE4, 0xB8, -2 - 0xE4), limit=80)
    assert "丁" not in {ch for _, ch in before_valid_trail}  # E4 B8 81: 81 E4 is a GBK character


def test_utf8_read_as_shift_jis():
    good = "新製品の発表会は東京で開かれた"
    broken = good.encode("utf-8").decode("cp932", "replace")
    result = repair(broken)
    assert result.text == good
    assert "cp932" in result.edits[0].note


def test_only_the_broken_line_of_a_mixed_document_is_edited():
    clean = "这是一段正常的中文。"
    broken = "我们市场今天".encode("utf-8").decode("gbk")
    result = repair(f"{clean}\n{broken}\nPlain English line.\n")
    assert result.text == f"{clean}\n我们市场今天\nPlain English line.\n"
    assert [e.line for e in result.edits] == [2]


def test_repair_runs_before_ftfy():
    # the curly quotes' bytes read as GBK look like cp1252 residue to ftfy
    good = "记者表示“芯片市场”"
    broken = good.encode("utf-8").decode("gbk", "replace")
    assert repair(broken).text == good


def test_legacy_gbk_bytes_shown_as_latin1():
    good = "这是一个测试，今天的新闻很多。"
    broken = good.encode("gbk").decode("latin-1")
    result = repair(broken)
    assert result.text == good
    assert rules(result) == ["repair.legacy-as-latin1"]


def test_western_text_with_runs_of_accents_is_not_read_as_gbk():
    text = "ÀÉÎÕÜ are capital letters with accents."
    assert repair(text).text == text


# -- UTF-8 read as the Thai codepage with C1 bytes lost -----------------------


def test_thai_lossy_bullets_arrows_flags_and_emoji():
    good = "🇨🇳Chip News•Fresh\n⚡ Quick take\nCompetitor Analysis▸ Show\n⏳ Timeline\nRead more →"
    broken = thai_lossy(good)
    assert "๐จ๐ณ" in broken and "โข" in broken
    result = repair(broken)
    assert result.text == good
    assert set(rules(result)) == {"repair.thai-lossy"}
    assert all("tis-620" in e.note for e in result.edits)


def test_thai_lossy_quotes_and_apostrophes_follow_context():
    good = "The firm’s “new” chip ships in 2025–2026 — or later."
    assert repair(thai_lossy(good)).text == good


@pytest.mark.parametrize(
    "policy,expected",
    [("drop", "Weekly AI Recap"), ("replace", "\ufffd Weekly AI Recap"), ("keep", "๐ฐ Weekly AI Recap")],
)
def test_unrecoverable_fragment_follows_the_option(policy, expected):
    broken = thai_lossy("📰 Weekly AI Recap")
    assert broken.startswith("๐")
    result = repair(broken, unrecoverable=policy)
    assert result.text == expected
    assert result.metadata["unrecoverable"][0]["text"].startswith("๐")
    if policy != "keep":
        assert rules(result) == ["repair.unrecoverable"]


def test_genuine_thai_document_is_never_touched():
    text = "ราคาหุ้นวันนี้ • ปรับตัวขึ้น\nโก ไป ตลาด"
    assert repair(text).text == text


# -- ftfy, Chinese-safe --------------------------------------------------------


def test_ftfy_fixes_single_byte_mojibake_but_keeps_curly_quotes():
    result = repair("â€œThe cafÃ© is openâ€\x9d")
    assert result.text == "“The café is open”"
    assert rules(result) == ["repair.ftfy"]


def test_thai_codepage_mojibake_that_ftfy_uncovers_is_read_in_the_same_pass():
    # ftfy's answer "โ" is an arrow whose C1 bytes were dropped: both layers are
    # undone at once, each with its own edit
    result = repair("Next page ą¹\x82")
    assert result.text == "Next page →"
    assert rules(result) == ["repair.ftfy", "repair.thai-lossy"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("x\xa0С•РЎ", "x\xa0ѕС"),  # cp1251 mojibake right after a no-break space
        ("\xa0Ã©tÃ©", "\xa0été"),
        ("Ã\xa0 la carte", "à la carte"),  # the no-break space was part of the mojibake
        ("prix\xa0: 10\xa0€", "prix\xa0: 10\xa0€"),  # ordinary no-break spaces stay
    ],
)
def test_no_break_space_does_not_hide_mojibake_from_ftfy(text, expected):
    assert repair(text).text == expected


def test_single_sequence_ftfy_leaves_is_decoded():
    result = repair("â–¸ Show more")
    assert result.text == "▸ Show more"
    assert rules(result) == ["repair.utf8-sequence"]


def test_disabling_a_repair_rule():
    broken = "我们市场今天".encode("utf-8").decode("gbk")
    assert repair(broken, disable=("repair.cjk-mojibake",)).text == broken


# -- residue and web artifacts --------------------------------------------------

RESIDUE = [
    ("repair.replacement-residue", "标题锟斤拷锟斤拷正文", "标题正文"),
    ("repair.replacement-residue", "内存烫烫烫烫烫结束", "内存结束"),
    ("repair.half-entity", "模型革新#xff1a;vLLM 发布", "模型革新：vLLM 发布"),
    ("repair.double-escaped-entity", "Tom &amp;amp; Jerry", "Tom & Jerry"),
    ("repair.double-escaped-entity", "He said &amp;quot;hi&amp;quot;", 'He said "hi"'),
    ("repair.br-tag", "First line<br />Second line", "First line\nSecond line"),
    ("repair.pinyin-gloss", "現(xiàn)在(zài)市(shì)場(chǎng)很好", "現在市場很好"),
]
UNTOUCHED = [
    "小心烫伤，别碰热水。",  # one 烫 is a word
    "屯兵边境",
    "See issue #123; it is fixed.",  # not a hex reference, ASCII result
    "Colour #ffcc00; is yellow",
    "AT&T and R&D; Q&A",
    "Use the `<br>` element for line breaks.",
    "北京(Běijīng)是首都",  # a single gloss is an annotation
    "公司(Apple)发布了新品",
]


@pytest.mark.parametrize("rule,before,after", RESIDUE, ids=[r for r, _, _ in RESIDUE])
def test_residue_rule_changes(rule, before, after):
    result = repair(before)
    assert result.text == after
    assert rule in rules(result)


@pytest.mark.parametrize("text", UNTOUCHED)
def test_residue_rules_leave_alone(text):
    assert repair(text).text == text


def test_residue_marks_follow_the_unrecoverable_option():
    assert repair("标题锟斤拷正文", unrecoverable="replace").text == "标题\ufffd正文"
    assert repair("标题锟斤拷正文", unrecoverable="keep").text == "标题锟斤拷正文"


def test_no_cjk_plane_character_is_a_web_symbol():
    # the sequence repair skips these without building the web-text table
    import unicodedata

    from chipclean.mojibake.prior import PICTOGRAPH, WEB, cost
    from chipclean.mojibake.sequences import cjk_plane

    shown = [
        ch
        for ch in map(chr, range(0x3000, 0x10000))
        if cjk_plane(ch) and not unicodedata.category(ch).startswith("L") and cost(ch, WEB) <= PICTOGRAPH
    ]
    assert shown == []
    assert not cjk_plane("\ufe0f") and not cjk_plane("▸") and cjk_plane("，")


def test_ascii_text_is_looked_at_for_its_ascii_marks_only():
    from chipclean.stages.repair import _Look

    assert not _Look("Plain text, (c) 2025: 3 > 2.\n").any()
    look = _Look("AT&T #1 <b>\n")
    assert (look.marks, look.ftfy, look.loss) == ([2, 5, 8], [2], [])
    look = _Look("a\x1bb\x7f")
    assert (look.ftfy, look.marks, look.typographic_runs()) == ([1, 3], [], [])
