"""The entities stage: modes, metadata, guards, and entity-pack validation."""

import textwrap

import pytest

from chipclean.cli import main
from chipclean.config import Config
from chipclean.document import Document
from chipclean.rulepack import PackError, RuleSet, load_pack
from chipclean.stages.entities import EntitiesStage
from chipclean.zh.mentions import EntityMatcher, matcher_for

RULES = RuleSet.load()


def run(text, lang="zh-Hans", **config):
    stage = EntitiesStage(Config(stages=("entities",), **config), RULES)
    doc = Document(text=text, lang=lang)
    stage.process(doc)
    return doc


def test_canonical_rewrites_to_the_form_of_the_text():
    assert run("辉达与臺積電合作。").text == "英伟达与台积电合作。"
    assert run("輝達與臺積電合作。", lang="zh-Hant").text == "輝達與台積電合作。"
    assert run("NVIDIA and Nvidia Corp. rose.", lang="en").text == "Nvidia and Nvidia rose."


def test_canonical_follows_the_zh_script_target():
    assert run("英伟达与台积电合作。", zh_script="tw").text == "輝達與台積電合作。".replace("與", "与")
    assert run("英伟达与台积电合作。", zh_script="hk").text == "英偉達与台積電合作。"


def test_region_of_traditional_text_is_kept_when_unknown():
    # both are canonical Traditional names, one Taiwan's and one Hong Kong's
    assert run("英偉達的晶片", lang="zh-Hant").text == "英偉達的晶片"
    assert run("輝達的晶片", lang="zh-Hant").text == "輝達的晶片"
    assert run("英偉達的晶片", lang="zh-Hant-TW").text == "輝達的晶片"


def test_annotate():
    assert run("英伟达发布新芯片。", entities="annotate").text == "英伟达（Nvidia）发布新芯片。"
    # already annotated text stays as it is
    assert run("英伟达（Nvidia）发布新芯片。", entities="annotate").text == "英伟达（Nvidia）发布新芯片。"


def test_tag_records_mentions_without_changing_text():
    doc = run("辉达与台积电合作。", entities="tag")
    assert doc.text == "辉达与台积电合作。" and not doc.edits
    assert doc.metadata["entities"] == [
        {"id": "chip-designers.nvidia", "span": [0, 2], "surface": "辉达"},
        {"id": "foundry-memory-equipment.tsmc", "span": [3, 6], "surface": "台积电"},
    ]


def test_metadata_spans_point_into_the_output():
    doc = run("辉达与臺積電、美国开放人工智能研究中心合作。")
    for e in doc.metadata["entities"]:
        s, t = e["span"]
        assert doc.text[s:t] == e["surface"]
    assert doc.metadata["entities"][2] == {
        "id": "platforms.openai", "span": [8, 14], "surface": "OpenAI", "original": "美国开放人工智能研究中心",
    }


def test_off_does_nothing():
    doc = run("辉达与臺積電合作。", entities="off")
    assert doc.text == "辉达与臺積電合作。" and "entities" not in doc.metadata


def test_names_discussed_as_names_are_left_alone():
    text = "OpenAI, referred to as 美国开放人工智能研究中心, is based in the U.S."
    assert run(text, lang="en").text == text
    text = "Alphabet (known as 字母表公司 in Chinese) raised spending."
    assert run(text, lang="en").text == text
    assert run("这家公司被称为美国开放人工智能研究中心。").text == "这家公司被称为美国开放人工智能研究中心。"


def test_a_name_defined_by_another_is_left_alone():
    text = "Advanced Micro Devices Inc. (AMD) rose."
    assert run(text, lang="en").text == text


def test_chinese_names_inside_english_text_are_glosses():
    text = "MetaX Integrated Circuits Co. Ltd. (上海沐曦集成电路有限公司) filed."
    assert run(text, lang="en").text == "MetaX (上海沐曦集成电路有限公司) filed."


def test_lookalikes_are_not_mentions():
    for text in ("他们以振兴中华为己任。", "这些化石来自寒武纪时期。", "三星级酒店", "吃一个苹果"):
        assert run(text).text == text and "entities" not in run(text, entities="tag").metadata or not run(text, entities="tag").metadata["entities"]


def test_case_sensitive_names():
    assert run("Analysts gathered market intel.", lang="en", entities="tag").metadata.get("entities", []) == []
    assert run("nvidia shares rose", lang="en").text == "Nvidia shares rose"


def test_one_pattern_for_all_entities():
    m = matcher_for(RULES)
    assert len(m.entities) >= 80
    assert m.pattern.pattern.count("(?<!") == 1  # one trie for every name
    assert len(m._root.children) < 200  # matching dispatches on the first character


def test_trie_walk_matches_as_the_pattern_does():
    from pathlib import Path

    from chipclean.zh.mentions import _longest

    m = matcher_for(RULES)
    pattern = m.pattern
    corpus = (Path(__file__).parent / "test_entities_corpus.txt").read_text(encoding="utf-8")
    names = sorted({*m.exact, *m.folded})
    # each name as written, upper-cased, glued to a word, cut short, and in the corpus
    texts = [corpus] + [f"x{n} {n.upper()}. {n}s {n[:-1]}，{n}2 ({n})" for n in names]
    checked = 0
    for text in texts:
        for i, ch in enumerate(text):
            if (ch.lower() if ch.isascii() else ch) not in m._root.children:
                continue
            found = pattern.match(text, i)
            want = -1 if found is None or found.end() == i else found.end()
            assert _longest(m._root, text, i) == want, (text[i : i + 30], want)
            checked += 1
    assert checked > 1000


def test_aliases_are_expanded_across_scripts():
    m = matcher_for(RULES)
    for surface in ("臺積電", "台積電", "台积电", "輝達", "辉达", "英偉達", "摩爾線程", "摩爾執行緒"):
        assert m.find(surface), surface


def test_every_entity_names_its_source_and_all_forms():
    for rule in RULES.all_rules():
        if rule.kind == "entity":
            assert rule.data["source"].strip()
            assert {"en", "zh-Hans", "zh-Hant-TW", "zh-Hant-HK"} <= set(rule.data["canonical"])


def _pack(tmp_path, body):
    p = tmp_path / "p.yaml"
    p.write_text(textwrap.dedent(body), encoding="utf-8")
    return p


def test_pack_problems_are_reported_with_lines(tmp_path):
    p = _pack(tmp_path, """\
        pack: t
        stage: entities
        rules:
          - id: t.x
            description: x
            kind: entity
            canonical: {en: X, zh-Hans: 艾克斯, zh-Hant-TW: 艾克斯, zh-Hant-HK: 艾克斯, fr: X}
            guard: {after: 'y'}
            examples:
              - in: "a"
                out: "b"
              - unchanged: "c"
        """)
    with pytest.raises(PackError) as exc:
        load_pack(p)
    msg = str(exc.value)
    assert "p.yaml:7: rule t.x: unknown canonical form 'fr'" in msg
    assert "needs a 'source'" in msg and "entity guards are not_before and not_after" in msg


#: a pack of one entity, with its id and English name to fill in
_ONE_ENTITY = """\
    pack: t
    stage: entities
    rules:
      - id: t.{id}
        description: x
        kind: entity
        source: test
        canonical: {{en: {en}, zh-Hans: 同名, zh-Hant-TW: 同名, zh-Hant-HK: 同名}}
        examples:
          - in: "a"
            out: "b"
          - unchanged: "c"
    """


def test_a_name_claimed_by_two_entities_is_an_error(tmp_path):
    a = load_pack(_pack(tmp_path, _ONE_ENTITY.format(id="a", en="A")))
    b = load_pack(_pack(tmp_path, _ONE_ENTITY.format(id="b", en="B")))
    with pytest.raises(PackError, match="name '同名' is also a name of t.a"):
        EntityMatcher(a.rules + b.rules)


def test_translationese_is_opt_in(runner, tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("AI computing power demand keeps growing.\n", encoding="utf-8")
    r = runner.invoke(main, ["clean", str(f), "-o", str(tmp_path / "o1.txt"), "--only", "entities"])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "o1.txt").read_text() == "AI computing power demand keeps growing.\n"
    r = runner.invoke(main, ["clean", str(f), "-o", str(tmp_path / "o2.txt"), "--only", "entities", "--translationese"])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "o2.txt").read_text() == "AI compute demand keeps growing.\n"


def test_a_legal_name_ending_a_sentence_keeps_its_full_stop():
    assert run("It signed a deal with Broadcom Inc.", lang="en").text == "It signed a deal with Broadcom."
    assert run("Broadcom Inc. and AMD rose.", lang="en").text == "Broadcom and AMD rose."
    # "Inc. CEO" may or may not end a sentence: left as written
    text = "A deal with Broadcom Inc. CEO Hock Tan spoke."
    assert run(text, lang="en").text == text


def test_a_rewrite_does_not_form_a_longer_name_with_what_follows():
    # "Hynix" -> "SK Hynix" would make "SK Hynix Inc.", itself a name: take it at once
    once = run("Hynix Inc. rose", lang="en").text
    assert once == "SK Hynix rose"
    assert run(once, lang="en").text == once


def test_a_latin_name_is_not_glued_to_a_neighbouring_word_or_number():
    assert run("美国开放人工智能研究中心2025年发布").text == "美国开放人工智能研究中心2025年发布"
    assert run("据说美国开放人工智能研究中心发布").text == "据说OpenAI发布"


def _full_scan(text):
    """The mentions that the pattern scan alone finds, without the word test
    that skips most of the places it would stop."""
    m = EntityMatcher(r for r in RULES.rules_for("entities") if r.kind == "entity")
    m._latin_stops = lambda text: None
    return m.find(text)


def test_the_word_test_finds_what_the_full_scan_finds():
    import random

    m = matcher_for(RULES)
    names = sorted({*m.exact, *m.folded})
    pieces = [
        " ", ". ", "'s ", "-", "\n", "，", "的", "x", "3", "don't", "head", "T-", "\u212a", "İ", "和",
        "(", "）", "Inc.", "Corp", "big", "fund", "Applied", "materials",
    ]
    rng = random.Random(5)
    texts = [
        "T-Head and T‑Head; don't head-to-head. AMD's AMDs amd. NVIDIA Corp. Nvidia Corp.",
        "\u212aioxia \u212aLA KLA Kioxia",
        "İntel Intel SK海力士 sk hynix SK Hynix Inc. xAMD AMDx 4AMD AMD4",
        "the Big Fund, big fund, BIG FUND and the Wall Street Journal said",
    ]
    for _ in range(300):
        parts = []
        for _ in range(rng.randint(1, 12)):
            word = rng.choice(names) if rng.random() < 0.5 else rng.choice(pieces)
            parts.append(word.upper() if rng.random() < 0.1 else word.lower() if rng.random() < 0.1 else word)
        texts.append("".join(parts))
    found = 0
    for text in texts:
        expected = _full_scan(text)
        assert m.find(text) == expected, text
        found += len(expected)
    assert found > 300


def test_english_text_without_names_skips_the_latin_scan():
    m = matcher_for(RULES)
    assert m._latin_stops("Shares of the company rose on interest in its new chips.") == []
    assert m._latin_stops("Nvidia shares rose; so did nvidia's.") == [0, 27]
    assert m._latin_stops("T-Head, don't head there") == [0]


def test_the_last_scan_is_reused_only_for_the_same_text():
    m = matcher_for(RULES)
    first = m.find("英伟达与台积电合作。")
    first.clear()  # callers own the list they get
    assert [x.surface for x in m.find("英伟达与台积电合作。")] == ["英伟达", "台积电"]
    assert [x.surface for x in m.find("輝達與臺積電合作。")] == ["輝達", "臺積電"]


def test_rule_sets_loaded_again_from_unchanged_packs_share_one_matcher(tmp_path):
    p = _pack(tmp_path, _ONE_ENTITY.format(id="x", en="Xylo"))
    first = matcher_for(RuleSet.load([p], default=False))
    assert matcher_for(RuleSet.load([p], default=False)) is first
    assert matcher_for(RuleSet.load([p], default=False, disabled=["t.x"])) is not first
    p.write_text(textwrap.dedent(_ONE_ENTITY.format(id="x", en="Xylophonics")), encoding="utf-8")
    changed = matcher_for(RuleSet.load([p], default=False))
    assert changed is not first
    assert [m.surface for m in changed.find("Xylophonics rose")] == ["Xylophonics"]
