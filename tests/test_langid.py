"""The langid cascade, step by step, and the stage that tags documents."""

import pytest

from chipclean.config import Config
from chipclean.document import Document
from chipclean.lang import Identifier, present_languages, segments
from chipclean.lang.han import chinese_script, han_evidence
from chipclean.lang.script import count_scripts
from chipclean.lang.words import decide
from chipclean.pipeline import Cleaner

EN = "The company said on Monday that it would invest heavily in new chips for its data centres."
DE = "Der Vorstand hat am Montag beschlossen, die Investitionen in neue Fabriken deutlich zu erhöhen."
ZH_HANS = "免责声明：本文仅供参考，不构成投资建议。"
ZH_HANT = "台積電宣布擴大在台灣的投資，並將興建新的晶圓廠。"


@pytest.fixture(scope="module")
def ident():
    return Identifier("langdetect")


@pytest.mark.parametrize(
    "text, lang, by",
    [
        ("삼성전자가 새로운 반도체 공장을 짓는다", "ko", "script"),
        ("ソニーの新しいセンサー", "ja", "script"),
        ("บริษัทประกาศลงทุน", "th", "script"),
        ("Η εταιρεία ανακοίνωσε επενδύσεις", "el", "script"),
        ("החברה הודיעה על השקעה", "he", "script"),
        ("中国芯片产业", "zh-Hans", "han"),
        (ZH_HANT, "zh-Hant", "han"),
        ("経済", "ja", "han"),  # kanji only Japanese writes
        ("مرحبا بكم في الشركة", "ar", "arabic"),
        (EN, "en", "words"),
        (DE, "de", "words"),
        ("La empresa anunció que invertirá en nuevas fábricas de chips", "es", "langdetect"),
        ("", "und", "none"),
        ("2025-07-31 12:00 | 100%", "und", "none"),
    ],
)
def test_cascade_decides_at_the_cheapest_step(ident, text, lang, by):
    verdict = ident.identify(text)
    assert (verdict.lang, verdict.by) == (lang, by)
    assert 0.0 <= verdict.score <= 1.0


def test_devanagari_is_left_to_the_backend(ident):
    # Hindi, Marathi and Nepali share the script
    verdict = ident.identify("कंपनी ने नए कारखाने में निवेश की घोषणा की है")
    assert verdict.by == "langdetect"
    assert verdict.lang in ("hi", "mr", "ne")


def test_persian_is_not_taken_for_arabic(ident):
    verdict = ident.identify("این شرکت اعلام کرد که در کارخانه جدید سرمایه گذاری می کند")
    assert verdict.by != "arabic"
    assert verdict.lang == "fa"


def test_chinese_with_a_japanese_brand_or_a_few_kana_stays_chinese(ident):
    text = "据日本経済新闻报道，索尼（ソニー）公司周一宣布将在熊本县新建一座半导体工厂，预计明年投产，总投资约为一百亿元人民币。"
    assert ident.identify(text).lang == "zh-Hans"


def test_han_evidence_splits_simplified_from_traditional():
    s, t, j = han_evidence("免责声明" + "免責聲明")
    assert (s, t, j) == (2, 2, 0)
    assert chinese_script(5, 1)[0] == "zh-Hans"
    assert chinese_script(1, 5)[0] == "zh-Hant"
    # text that reads the same in both scripts is Chinese, script unknown
    assert chinese_script(0, 0) == ("zh", 0.5)


def test_opencc_traditional_paragraphs_are_zh_hant(ident):
    import opencc

    simplified = "华为周一表示，公司将继续加大研发投入，推动芯片国产化进程，并与更多合作伙伴共同建设开放的产业生态。"
    for config in ("s2t", "s2tw", "s2hk"):
        assert ident.identify(opencc.OpenCC(config).convert(simplified)).lang == "zh-Hant", config
    assert ident.identify(simplified).lang == "zh-Hans"


def test_function_words_decide_only_clear_cases():
    assert decide(EN)[0] == "en"
    assert decide(DE)[0] == "de"
    # too short to trust
    assert decide("The company") is None
    # Portuguese and Italian score on their own lists and go to the backend
    assert decide("A empresa anunciou que vai investir em novas fábricas de chips no próximo ano com o governo") is None
    assert decide("La società ha annunciato che investirà nelle nuove fabbriche di chip per il prossimo anno") is None


def test_script_counts_rank_cjk_above_latin_names():
    counts = count_scripts("华为（Huawei）周一表示将加大投资")
    assert counts.group()[0] == "cjk"
    assert count_scripts("Huawei (华为) said on Monday it would invest more").group()[0] == "latin"


def test_long_documents_are_sampled_not_read_whole(ident):
    # a Chinese line deep inside a long English text does not change its language
    text = "\n".join([EN] * 200 + [ZH_HANS] + [EN] * 200)
    assert ident.identify(text).lang == "en"


def test_present_languages_finds_a_chinese_disclaimer_in_english(ident):
    text = f"{EN}\n{EN}\n{ZH_HANS}\n"
    verdict = ident.identify(text)
    assert verdict.lang == "en"
    assert present_languages(text, verdict, ident) == ["en", "zh-Hans"]


def test_present_languages_finds_an_english_paragraph_in_chinese(ident):
    text = f"{ZH_HANS * 5}\n{EN}\n"
    verdict = ident.identify(text)
    assert verdict.lang == "zh-Hans"
    assert present_languages(text, verdict, ident) == ["en", "zh-Hans"]


def test_present_languages_ignores_short_lines_and_names(ident):
    text = f"CN\n{EN}\nHuawei (华为) said so.\n"
    verdict = ident.identify(text)
    assert present_languages(text, verdict, ident) == ["en"]


def test_segments_follow_paragraphs_and_merge_neighbours(ident):
    text = f"{EN}\n{EN}\nCN\n{ZH_HANS}\n\n{DE}\n"
    spans = segments(text, ident)
    assert [s["lang"] for s in spans] == ["en", "zh-Hans", "de"]
    first, second, third = spans
    assert text[first["start"] : first["end"]] == f"{EN}\n{EN}\nCN"  # the short line joins it
    assert text[second["start"] : second["end"]] == ZH_HANS
    assert text[third["start"] : third["end"]] == DE
    assert first["preview"].startswith("The company said")
    assert all(0 < s["score"] <= 1 for s in spans)


def run_stage(text, **options):
    cleaner = Cleaner(Config(stages=("langid",), default_rules=False, **options))
    return cleaner.clean(Document(text=text))


def test_stage_tags_document_and_metadata():
    doc = run_stage(f"{EN}\n{ZH_HANS}\n")
    assert doc.lang == "en" and doc.lang_score > 0.5
    assert doc.metadata["lang"] == "en"
    assert doc.metadata["lang_score"] == doc.lang_score
    assert doc.metadata["langs"] == ["en", "zh-Hans"]
    assert "segments" not in doc.metadata
    assert doc.edits == [] and doc.text == doc.original


def test_stage_segments_on_request():
    doc = run_stage(f"{EN}\n{ZH_HANS}\n", segments=True)
    assert [s["lang"] for s in doc.metadata["segments"]] == ["en", "zh-Hans"]


def test_disclaimer_pack_applies_to_english_with_a_chinese_disclaimer():
    from chipclean.ruleengine import document_langs
    from chipclean.rulepack import lang_matches

    doc = run_stage(f"{EN}\n{ZH_HANS}\n")
    assert lang_matches(["zh"], document_langs(doc))


@pytest.mark.parametrize(
    "options, text, dropped",
    [
        ({"keep_lang": ("en", "zh")}, ZH_HANT, False),  # zh matches zh-Hant
        ({"keep_lang": ("en", "zh")}, DE, True),
        ({"keep_lang": ("zh-Hans",)}, ZH_HANT, True),
        ({"drop_lang": ("zh",)}, ZH_HANS, True),
        ({"drop_lang": ("zh",)}, EN, False),
        ({"keep_lang": ("en",)}, "", True),  # und is not English
    ],
)
def test_keep_and_drop_filters(options, text, dropped):
    doc = run_stage(text, **options)
    assert bool(doc.dropped) is dropped
    if dropped:
        assert doc.dropped.startswith("langid: language ")


def test_identical_verdicts_from_fresh_identifiers():
    texts = ["Привет мир", "La casa", "Die Zeit", "bonjour", EN, DE]
    first = [Identifier().identify(t) for t in texts]
    again = [Identifier().identify(t) for t in texts]
    assert first == again


def test_short_lines_in_the_documents_script_keep_its_language(ident):
    # names and widget labels are too short for a statistical guess
    text = f"{EN}\n- Huawei Technologies Co. Ltd.\nTelegram\n{EN}\n{ZH_HANS}\nShare To\n"
    spans = segments(text, ident)
    assert [s["lang"] for s in spans] == ["en", "zh-Hans", "en"]
    # a long enough paragraph in another language of the same script still gets its own
    spans = segments(f"{EN}\n{DE}\n", ident)
    assert [s["lang"] for s in spans] == ["en", "de"]


def test_common_text_scan_matches_the_full_script_scan():
    # the standard-library scan used on common text must find the same runs
    from chipclean.lang import script

    text = "芯片股周二走强，Nvidia 涨 3.5%。國際半導體 SEMI 報告：カタカナ ひらがな ー 〇 µ ª Ünïcode ＡＢＣ１２３ — “quoted”."
    runs, scripts = script._common_runs()
    common = [(scripts[m.lastindex - 1], m.span()) for m in runs.finditer(text)]
    assert all(s for s, _ in common)  # no character outside the common blocks
    full = [(script.SCRIPTS[m.lastindex - 1], m.span()) for m in script._RUNS.finditer(text)]
    assert common == full and {s for s, _ in full} >= {"han", "latin", "kana"}
    # a character outside them sends the text to the full scan
    assert script.count_scripts(text + " Ελλάδα").weights["greek"] == 6


def test_ascii_tokens_keep_apostrophes_inside_words_only():
    from chipclean.lang.words import tokens

    assert tokens("It's the CEO's call, 'they' said") == ["it's", "the", "ceo's", "call", "they", "said"]
    assert tokens("rock'n'roll o''k x_y 3d") == ["rock'n", "roll", "o", "k", "x", "y", "d"]


def test_non_latin_letter_prefilter_agrees_with_the_letter_class():
    from chipclean.lang import script

    for text, expected in (("Café “au lait” — 5 µm ª", False), ("Café Москва", True), ("Café “au lait” — ™ 5 €", False),
                           ("naïve façade 中", True), ("Ünïcode ǅ ẞ", False), ("Καλημέρα", True)):
        assert script._non_latin_letter(text) is expected
        assert bool(script._NON_LATIN_LETTER.search(text)) is expected
