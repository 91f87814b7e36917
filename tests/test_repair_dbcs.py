"""UTF-8 read as Big5, EUC-KR or EUC-JP with ``errors="replace"``: the one-byte
holes these decoders leave, the repairs that are clear enough to make, and the
lines that lost too much, which are only reported. Every sentence is ours,
corrupted here the way the decoder corrupts it."""

import pytest

from chipclean.mojibake import dbcs, freq

LINES = [
    "今天的会议在北京举行，来自全国的代表参加了讨论。",
    "삼성전자는 새로운 메모리 칩을 발표했다.",
    "新しい会社は東京にあります。",
    "Price: 100 元, see 更多 news",
]

CLEAN = [
    "一个中国芯片公司的月度报告显示，收入增长了一倍。",
    "半導體產業鏈的「關鍵」環節，仍然在臺灣。",
    "今日はとても良い天気ですね。",
    "삼성전자는 새로운 메모리 칩을 발표했다.",
    "ภาษาไทยเป็นภาษาราชการของประเทศไทย",
    "A broken byte � in English text, and another � here.",
    "中文里有一个替换字符�，还有一个�。",
]


def corrupt(text, codec):
    return text.encode("utf-8").decode(codec, "replace")


@pytest.mark.parametrize("codec", dbcs.CODECS)
@pytest.mark.parametrize("good", LINES)
def test_every_replacement_character_is_one_lost_byte(codec, good):
    broken = corrupt(good, codec)
    items = dbcs.stream(broken, codec)
    raw = good.encode("utf-8")
    assert len(items) == len(raw)
    # the surviving bytes are the original ones, in place
    assert all(b is None or b == r for b, r in zip(items, raw))
    assert items.count(None) == broken.count("\ufffd")
    assert dbcs.explains(good, broken, codec)
    assert not dbcs.explains(good.replace("会", "公"), broken, codec) or "会" not in good


@pytest.mark.parametrize("codec", dbcs.CODECS)
def test_characters_are_split_where_the_surviving_lead_bytes_say(codec):
    good = LINES[0]
    chars = dbcs.split(dbcs.stream(corrupt(good, codec), codec))
    assert len(chars) == len(good)
    for got, want in zip(chars, good):
        if isinstance(got, str):
            assert got == want  # a character whose bytes all survived is certain
        else:
            raw = want.encode("utf-8")
            assert all(b is None or b == r for b, r in zip(got.pattern, raw))


def test_a_lost_byte_is_one_the_decoder_rejects_before_the_next():
    # E4 before A0 fails in Big5 (A0 is no trail byte); E4 before A1 is a pair
    assert dbcs.fails("big5", bytes((0xE4, 0xA0)))
    assert not dbcs.fails("big5", bytes((0xE4, 0xA1)))
    # a lead byte at the very end fails on its own
    assert dbcs.fails("euc_kr", bytes((0xEA,)))


needs_freq = pytest.mark.skipif(not freq.available(), reason="the cjk extra (wordfreq) is not installed")


@needs_freq
@pytest.mark.parametrize("codec, good", [("big5", "马来西亚"), ("big5", "see 全力以赴 now"), ("euc_kr", "컴퓨터")])
def test_a_short_word_with_clear_guesses_is_repaired_with_a_note(codec, good):
    broken = corrupt(good, codec)
    rep = dbcs.repair_line(broken, 10)
    assert rep is not None
    assert broken[: rep.start - 10] + rep.text + broken[rep.end - 10 :] == good
    assert rep.chain == f"utf-8 read as {codec}"
    assert "lost bytes filled in" in rep.note and "confidence" in rep.note


@needs_freq
@pytest.mark.parametrize("codec, good", [
    ("big5", "Read more 更多 news"), ("big5", "東京 Tokyo"), ("big5", "第三章"), ("big5", "我们"),
    ("euc_kr", "10개"), ("euc_kr", "1차"), ("euc_jp", "新闻"),
])
def test_unclear_guesses_are_not_made(codec, good):
    # each fits other common words nearly as well (直到, 由京, 第一章; 10가, 1찬)
    assert dbcs.repair_line(corrupt(good, codec)) is None


@pytest.mark.parametrize("codec", dbcs.CODECS)
def test_a_line_that_lost_too_much_is_diagnosed_not_repaired(codec):
    broken = corrupt(LINES[0], codec)
    assert dbcs.repair_line(broken) is None
    loss = dbcs.diagnose(broken)
    assert loss is not None and loss.codec == codec
    assert loss.lost == broken.count("\ufffd") and loss.total == len(LINES[0].encode("utf-8"))
    assert f"utf-8 read as {codec}" in loss.note


@pytest.mark.parametrize("text", CLEAN)
def test_clean_text_is_neither_repaired_nor_diagnosed(text):
    assert dbcs.repair_line(text) is None
    assert dbcs.diagnose(text) is None


def test_gbk_mojibake_is_not_taken_for_these_decoders():
    broken = corrupt(LINES[0], "gbk")
    assert dbcs.diagnose(broken) is None


def test_scan_skips_lines_already_repaired_and_sorts_the_rest():
    lines = ["English only, no loss.", corrupt(LINES[0], "big5"), corrupt(LINES[1], "euc_kr"), corrupt(LINES[0], "euc_jp")]
    offsets, at = [], 0
    for line in lines:
        offsets.append(at)
        at += len(line) + 1
    repairs, losses = dbcs.scan(list(zip(offsets, lines)), taken=[offsets[3] + 2])
    assert repairs == []
    assert [(a, loss.codec) for a, _, loss in losses] == [(offsets[1], "big5"), (offsets[2], "euc_kr")]


# -- in the repair stage -------------------------------------------------------


def clean(text):
    from chipclean.config import Config
    from chipclean.pipeline import Cleaner

    return Cleaner(Config(stages=("repair",))).clean_text(text)


@pytest.mark.parametrize("codec", dbcs.CODECS)
def test_stage_reports_a_line_that_lost_too_much_and_keeps_it(codec):
    broken = corrupt(LINES[0], codec)
    text = f"A headline\n{broken}\n{LINES[0]}\n"
    result = clean(text)
    assert result.text == text
    (entry,) = result.metadata["unrecoverable"]
    assert entry["offset"] == len("A headline\n") and entry["text"] == broken
    assert entry["note"].startswith(f"utf-8 read as {codec}: ")


@needs_freq
def test_stage_repairs_a_clear_short_line_with_an_audit_note():
    text = f"A headline\n{corrupt('马来西亚', 'big5')}\n"
    result = clean(text)
    assert result.text == "A headline\n马来西亚\n"
    (edit,) = result.edits
    assert edit.rule == "repair.cjk-mojibake" and "utf-8 read as big5" in edit.note


@pytest.mark.parametrize("text", CLEAN)
def test_stage_leaves_clean_text_and_reports_nothing(text):
    result = clean(text)
    assert result.text == text
    assert "unrecoverable" not in result.metadata


# Lines that Big5 and EUC-KR lost about half of, for which the wider CJK search
# used to offer a reading full of wrong guesses (设国, 小被时国).
HALF_LOST = [("公共设施建设费将被收取20年。", "big5"), ("公共设施建设费将被收取20年。", "euc_kr"), ("모차르트 사진.", "euc_kr")]


@pytest.mark.parametrize("good,codec", HALF_LOST)
def test_a_line_that_lost_half_its_bytes_is_reported_not_guessed(good, codec):
    broken = corrupt(good, codec)
    assert dbcs.diagnose(broken) is not None
    result = clean(broken)
    assert result.text == broken and result.edits == []
    (entry,) = result.metadata["unrecoverable"]
    assert entry["note"].startswith(f"utf-8 read as {codec}: ")
