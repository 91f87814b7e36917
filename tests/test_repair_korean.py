"""UTF-8 Korean read as Unified Hangul Code (Windows code page 949), which is
what browsers and Windows use for pages labelled EUC-KR."""

import sys
from pathlib import Path

import pytest

from chipclean.config import Config
from chipclean.mojibake.cjk import _settle_particle
from chipclean.pipeline import Cleaner

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from bench_repair import web_euc_kr  # noqa: E402  (the benchmark's own WHATWG decoder)

REPAIR = Cleaner(Config(stages=("repair",)))


@pytest.mark.parametrize(
    "good",
    [
        "면책 조항: 이 기사는 투자 조언이 아닙니다.",
        "자세한 내용은 공식 홈페이지를 참고하세요.",
        "SK하이닉스가 HBM 생산을 늘린다",
    ],
)
def test_cp949_mojibake_is_repaired(good):
    broken = good.encode("utf-8").decode("cp949", "replace")
    assert "\ufffd" in broken
    result = REPAIR.clean_text(broken)
    assert result.text == good
    assert "cp949" in result.edits[0].note


@pytest.mark.parametrize(
    "good",
    [
        "삼성전자는 새로운 AI 반도체를 발표했다.",
        "반도체 수출 규제에 대해 정부는 새로운 방침을 발표했다.",
        "자세한 내용은 공식 홈페이지를 참고하세요.",
    ],
)
def test_browser_euc_kr_mojibake_is_left_as_it_is(good):
    # two bytes lost per U+FFFD, about a third of the line: a repair would get
    # one syllable in six wrong, so none is made
    broken = web_euc_kr(good)
    assert "\ufffd" in broken
    result = REPAIR.clean_text(broken)
    assert result.text == broken
    # and the line is reported, as lines Big5 and EUC decoders ruined are
    [lost] = result.metadata["unrecoverable"]
    assert lost["text"] == broken
    assert lost["note"].startswith("utf-8 read as web-euc-kr: ")


@pytest.mark.parametrize(
    "before, fits, want",
    [
        ("책는", {"은", "는"}, "책은"),  # 책 ends in a consonant
        ("나은", {"은", "는"}, "나는"),
        ("물를", {"을", "를"}, "물을"),
        ("회사이", {"이", "가"}, "회사가"),
        ("회사가", {"가"}, "회사가"),  # nothing to choose from
    ],
)
def test_a_particle_takes_the_form_the_syllable_before_it_asks_for(before, fits, want):
    out = list(before)
    _settle_particle(out, len(out) - 1, fits)
    assert "".join(out) == want


def test_a_syllable_inside_a_word_is_not_taken_for_a_particle():
    out = list("책이다")  # 이 here starts 이다
    _settle_particle(out, 1, {"이", "가"})
    assert "".join(out) == "책이다"


@pytest.mark.parametrize(
    "text",
    [
        "삼성전자는 새로운 AI 반도체를 발표했다.",
        "데이터가 손상되었습니다: \ufffd\ufffd",
        "韓國語와 漢字를 섞어 쓴 문장입니다.",
    ],
)
def test_korean_text_is_left_alone(text):
    assert REPAIR.clean_text(text).text == text
