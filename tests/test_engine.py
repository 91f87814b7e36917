"""The document edit record, the rule-pack engine and the Python API."""

import pickle
import textwrap

import pytest

import chipclean
from chipclean.config import Config
from chipclean.document import Change, Document
from chipclean.rulepack import PackError, RuleSet, build_pack, load_pack
from chipclean.ruleengine import StageRules
from chipclean.yamlload import load_yaml


def test_apply_records_before_after_and_line():
    doc = Document("one\ntwo\nthree\n")
    n = doc.apply("s", [Change(4, 8, "", "s.drop"), Change(0, 3, "ONE", "s.up")])
    assert n == 2
    assert doc.text == "ONE\nthree\n"
    assert doc.original == "one\ntwo\nthree\n"
    assert [(e.rule, e.line, e.before, e.after) for e in doc.edits] == [
        ("s.up", 1, "one", "ONE"), ("s.drop", 2, "two\n", "")]
    assert doc.removed == 1


def test_apply_ignores_overlaps_and_noops():
    doc = Document("abcdef")
    n = doc.apply("s", [Change(0, 3, "X", "a"), Change(2, 4, "Y", "b"), Change(4, 5, "e", "c")])
    assert n == 1 and doc.text == "Xdef"


def pack_from(yaml_text, name="t.yaml"):
    return build_pack(load_yaml(textwrap.dedent(yaml_text)), name)


def run_stage(pack, text, config=None, **doc_fields):
    rules = RuleSet([pack])
    doc = Document(text, **doc_fields)
    sr = StageRules(pack.stage, rules, config or Config())
    sr.run(doc, lambda rule, changes: doc.apply(pack.stage, changes))
    return doc


SHARE = """
pack: t
description: d
stage: boilerplate
rules:
  - id: t.share
    description: share bar
    kind: delete-block
    pattern: '^Share$'
    block: {continue: '^(X|Facebook|Reddit)$', allow_blank: true, min_lines: 3}
    examples:
      - in: "a\\n\\nShare\\nX\\n\\nReddit"
        out: "a"
      - unchanged: "Share\\nprices rose"
"""


def test_delete_block_takes_its_blank_lines_with_it():
    pack = pack_from(SHARE)
    doc = run_stage(pack, "Intro.\n\nShare\nX\n\nFacebook\nReddit\n\nMore content.\n")
    assert doc.text == "Intro.\n\nMore content.\n"
    doc = run_stage(pack, "Intro.\n\nShare\nX\n")  # too short a run: min_lines
    assert doc.text == "Intro.\n\nShare\nX\n"


def test_replace_with_guards():
    pack = pack_from("""
    pack: t
    description: d
    stage: boilerplate
    rules:
      - id: t.para
        description: para markers
        kind: replace
        pattern: '\\[para\\. \\d+\\]\\s?'
        replacement: ''
        guard: {not_before: 'cite\\s*$'}
        examples:
          - in: "[para. 1] Text."
            out: "Text."
          - unchanged: "cite [para. 2]"
    """)
    doc = run_stage(pack, "[para. 1] Chips.[para. 1][para. 2] And cite [para. 3].")
    assert doc.text == "Chips.And cite [para. 3]."


def test_scope_by_source_path_and_marker():
    pack = pack_from("""
    pack: t
    description: d
    stage: boilerplate
    scope:
      source: ['site\\.example']
      path: ['*/site/*']
      marker: '^Powered by Site$'
    rules:
      - id: t.footer
        description: footer
        kind: delete-line
        literals: ['Read more']
        examples:
          - in: "a\\nRead more"
            out: "a"
            source: "https://site.example/x"
          - unchanged: "Read more"
    """)
    text = "Body.\nRead more\n"
    assert run_stage(pack, text).text == text
    assert run_stage(pack, text, source="https://www.site.example/a").text == "Body.\n"
    doc = Document(text)
    doc.metadata["path"] = "/data/site/a.txt"
    rules = RuleSet([pack])
    StageRules("boilerplate", rules, Config()).run(doc, lambda r, c: doc.apply("boilerplate", c))
    assert doc.text == "Body.\n"
    assert run_stage(pack, "Powered by Site\n" + text).text == "Powered by Site\nBody.\n"


def test_language_and_option_gating():
    pack = pack_from("""
    pack: t
    description: d
    stage: boilerplate
    languages: [zh]
    rules:
      - id: t.cite
        description: citation markers
        kind: replace
        pattern: '\\[\\d+\\]'
        option: citations
        examples:
          - in: "芯片[1]"
            out: "芯片"
          - unchanged: "芯片"
    """)
    text = "芯片出口[1]。"
    assert run_stage(pack, text, lang="zh-Hans").text == text  # option off
    on = Config(citations=True)
    assert run_stage(pack, text, on, lang="zh-Hans").text == "芯片出口。"
    assert run_stage(pack, text, on, lang="en").text == text
    doc = Document(text, lang="en")
    doc.metadata["langs"] = ["en", "zh-Hans"]  # a Chinese paragraph inside
    StageRules("boilerplate", RuleSet([pack]), on).run(doc, lambda r, c: doc.apply("boilerplate", c))
    assert doc.text == "芯片出口。"


@pytest.mark.parametrize("snippet,message", [
    ("    pattern: '(unclosed'", "bad pattern"),
    ("    kind: explode", "'kind' must be one of"),
])
def test_schema_errors_name_file_and_line(tmp_path, snippet, message):
    base = textwrap.dedent(SHARE)
    key = snippet.strip().split(":")[0]
    lines = [l for l in base.splitlines() if not l.strip().startswith(key + ":")]
    idx = next(i for i, l in enumerate(lines) if l.strip().startswith("description: share bar"))
    lines.insert(idx + 1, snippet)
    path = tmp_path / "p.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(PackError) as err:
        load_pack(path)
    first = err.value.problems[0]
    assert first.path == str(path) and first.line > 1 and message in first.message


def test_rule_without_examples_does_not_load():
    with pytest.raises(PackError, match="needs examples") as err:
        pack_from(SHARE.split("    examples:")[0] + "    examples: []\n", name="x.yaml")
    assert err.value.problems[0].line == 6 and err.value.problems[0].path == "x.yaml"


def test_rule_without_unchanged_example_does_not_load():
    with pytest.raises(PackError, match="unchanged"):
        pack_from(SHARE.replace('      - unchanged: "Share\\nprices rose"\n', ""))


def test_clean_text_api():
    result = chipclean.clean_text("英伟达周二发布新芯片。\u200b\n")
    assert "\u200b" not in result.text and "新芯片" in result.text
    assert result.lang.startswith("zh")
    assert any(e.rule == "normalize.zero-width" for e in result.edits)


def test_cleaner_pickles_and_matches():
    cleaner = chipclean.Cleaner(Config(stages=("normalize", "boilerplate")))
    text = "Body.\n\nShare To\nAPP\n\nX\n\nTelegram\n"
    first = cleaner.clean_text(text).text
    clone = pickle.loads(pickle.dumps(cleaner))
    assert clone.clean_text(text).text == first == "Body.\n"
