"""The CLI, option by option, on real files in temporary folders."""

import json
import textwrap

import pytest

from chipclean.cli import main

PACK = textwrap.dedent(
    """\
    pack: test-promo
    description: A promo line used by the CLI tests
    stage: boilerplate
    rules:
      - id: test-promo.subscribe
        description: The subscribe banner
        kind: delete-line
        pattern: '^Subscribe to the Chip Letter$'
        examples:
          - in: "Body.\\nSubscribe to the Chip Letter"
            out: "Body."
          - unchanged: "Readers who subscribe to the Chip Letter get it daily."
    """
)
DIRTY = "Chips sold out in May.\nSubscribe to the Chip Letter\nPrices rose again in June.\n"
CLEAN = "Chips sold out in May.\nPrices rose again in June.\n"
# the pipeline without the statistical stages, so expectations are exact
BASE = ["--only", "normalize,boilerplate", "--no-default-rules"]


@pytest.fixture
def pack(tmp_path):
    p = tmp_path / "pack.yaml"
    p.write_text(PACK, encoding="utf-8")
    return str(p)


def invoke(runner, args, **kw):
    result = runner.invoke(main, args, catch_exceptions=False, **kw)
    assert "Traceback" not in result.output + result.stderr
    return result


def test_stdin_to_stdout(runner, pack):
    r = invoke(runner, ["clean", *BASE, "--rules", pack, "-"], input=DIRTY)
    assert r.exit_code == 0
    assert r.stdout == CLEAN


def test_single_file_to_stdout_and_input_untouched(runner, pack, tmp_path):
    src = tmp_path / "a.txt"
    src.write_text(DIRTY, encoding="utf-8")
    r = invoke(runner, ["clean", *BASE, "--rules", pack, str(src)])
    assert r.exit_code == 0
    assert r.stdout == CLEAN
    assert src.read_text(encoding="utf-8") == DIRTY


def test_output_file(runner, pack, tmp_path):
    src = tmp_path / "a.txt"
    src.write_text(DIRTY, encoding="utf-8")
    out = tmp_path / "out.txt"
    r = invoke(runner, ["clean", *BASE, "--rules", pack, str(src), "-o", str(out)])
    assert r.exit_code == 0
    assert out.read_text(encoding="utf-8") == CLEAN
    assert r.stdout == ""


def test_output_dir_mirrors_tree(runner, pack, tmp_path):
    src = tmp_path / "in"
    (src / "sub" / "deeper").mkdir(parents=True)
    (src / "top.txt").write_text(DIRTY, encoding="utf-8")
    (src / "sub" / "deeper" / "x.md").write_text(DIRTY, encoding="utf-8")
    (src / "sub" / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    out = tmp_path / "out"
    r = invoke(runner, ["clean", *BASE, "--rules", pack, str(src), "-o", str(out)])
    assert r.exit_code == 0, r.stderr
    assert (out / "top.txt").read_text(encoding="utf-8") == CLEAN
    assert (out / "sub" / "deeper" / "x.md").read_text(encoding="utf-8") == CLEAN
    assert not (out / "sub" / "image.png").exists()


def test_several_inputs_need_a_destination(runner, pack, tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(DIRTY, encoding="utf-8")
    b.write_text(DIRTY, encoding="utf-8")
    r = invoke(runner, ["clean", *BASE, "--rules", pack, str(a), str(b)])
    assert r.exit_code == 2
    assert "-o DIR" in r.stderr


def test_in_place(runner, pack, tmp_path):
    src = tmp_path / "a.txt"
    src.write_text(DIRTY, encoding="utf-8")
    src.chmod(0o640)
    r = invoke(runner, ["clean", *BASE, "--rules", pack, "--in-place", str(src)])
    assert r.exit_code == 0
    assert src.read_text(encoding="utf-8") == CLEAN
    assert oct(src.stat().st_mode & 0o777) == oct(0o640)
    assert not list(tmp_path.glob("*.chipclean-tmp"))


def test_refuses_to_overwrite_input(runner, pack, tmp_path):
    src = tmp_path / "a.txt"
    src.write_text(DIRTY, encoding="utf-8")
    r = invoke(runner, ["clean", *BASE, "--rules", pack, str(src), "-o", str(src)])
    assert r.exit_code == 123
    assert "--in-place" in r.stderr
    assert src.read_text(encoding="utf-8") == DIRTY


def test_check_exit_codes(runner, pack, tmp_path):
    dirty, clean = tmp_path / "dirty.txt", tmp_path / "clean.txt"
    dirty.write_text(DIRTY, encoding="utf-8")
    clean.write_text(CLEAN, encoding="utf-8")
    r = invoke(runner, ["clean", *BASE, "--rules", pack, "--check", str(dirty)])
    assert r.exit_code == 1
    assert "would clean" in r.stderr and str(dirty) in r.stderr
    assert dirty.read_text(encoding="utf-8") == DIRTY
    r = invoke(runner, ["clean", *BASE, "--rules", pack, "--check", str(clean)])
    assert r.exit_code == 0


def test_diff(runner, pack, tmp_path):
    src = tmp_path / "a.txt"
    src.write_text(DIRTY, encoding="utf-8")
    r = invoke(runner, ["clean", *BASE, "--rules", pack, "--diff", str(src)])
    assert r.exit_code == 0
    assert f"--- {src}" in r.stdout and f"+++ {src}" in r.stdout
    assert "-Subscribe to the Chip Letter" in r.stdout
    assert src.read_text(encoding="utf-8") == DIRTY


def test_explain(runner, pack):
    r = invoke(runner, ["clean", *BASE, "--rules", pack, "--explain", "-"], input=DIRTY)
    assert "boilerplate test-promo.subscribe" in r.stderr
    assert "'Subscribe to the Chip Letter\\n' -> ''" in r.stderr
    assert r.stdout == CLEAN


def test_audit_and_report(runner, pack, tmp_path):
    src = tmp_path / "a.txt"
    src.write_text(DIRTY, encoding="utf-8")
    audit, report = tmp_path / "audit.jsonl", tmp_path / "report.json"
    r = invoke(runner, ["clean", *BASE, "--rules", pack, str(src), "-o", str(tmp_path / "o.txt"),
                        "--audit", str(audit), "--report", str(report)])
    assert r.exit_code == 0
    lines = [json.loads(l) for l in audit.read_text(encoding="utf-8").splitlines()]
    assert lines == [{
        "doc": "a.txt", "source": str(src), "stage": "boilerplate", "rule": "test-promo.subscribe",
        "start": 23, "end": 52, "line": 2, "before": "Subscribe to the Chip Letter\n", "after": "",
        "context": ["Chips sold out in May.", "Prices rose again in June."],
    }]
    rep = json.loads(report.read_text(encoding="utf-8"))
    assert rep["documents"] == 1 and rep["changed"] == 1
    assert rep["removed_per_rule"] == {"test-promo.subscribe": 1}
    assert rep["edits_per_stage"] == {"boilerplate": 1}
    assert rep["bytes_in"] == len(DIRTY.encode()) and rep["bytes_out"] == len(CLEAN.encode())
    assert "seconds_per_stage" in rep


def test_only_and_skip(runner, pack):
    r = invoke(runner, ["clean", "--no-default-rules", "--rules", pack, "--only", "normalize", "-"], input=DIRTY)
    assert r.stdout == DIRTY
    r = invoke(runner, ["clean", "--no-default-rules", "--rules", pack, "--only", "normalize,boilerplate",
                        "--skip", "boilerplate", "-"], input=DIRTY)
    assert r.stdout == DIRTY
    r = invoke(runner, ["clean", "--only", "nonsense", "-"], input=DIRTY)
    assert r.exit_code == 2 and "unknown stage" in r.stderr


def test_disable_rule_and_pack(runner, pack):
    r = invoke(runner, ["clean", *BASE, "--rules", pack, "--disable", "test-promo.subscribe", "-"], input=DIRTY)
    assert r.stdout == DIRTY
    r = invoke(runner, ["clean", *BASE, "--rules", pack, "--disable", "test-promo", "-"], input=DIRTY)
    assert r.stdout == DIRTY


def test_default_rules_load_and_can_be_turned_off(runner):
    text = "Body text here.\n\nShare To\nAPP\n\nX\n\nTelegram\n\nFacebook\n"
    r = invoke(runner, ["clean", "--only", "boilerplate", "-"], input=text)
    assert "Telegram" not in r.stdout
    r = invoke(runner, ["clean", "--only", "boilerplate", "--no-default-rules", "-"], input=text)
    assert r.stdout == text


def test_jsonl_fields_order_and_bad_lines(runner, pack, tmp_path):
    src = tmp_path / "feed.jsonl"
    src.write_text(
        json.dumps({"id": "a", "body": DIRTY, "url": "https://x.example/1"}) + "\n"
        + "{not json\n"
        + json.dumps({"id": "b", "body": 42}) + "\n"
        + json.dumps({"id": "c", "body": "Plain text.", "extra": [1, 2]}) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    r = invoke(runner, ["clean", *BASE, "--rules", pack, "--text-field", "body", "--meta-field", "cc",
                        str(src), "-o", str(out)])
    assert r.exit_code == 123
    assert f"{src}:2:" in r.stderr and "not valid JSON" in r.stderr
    assert f"{src}:3:" in r.stderr and "'body'" in r.stderr
    records = [json.loads(l) for l in out.read_text(encoding="utf-8").splitlines()]
    assert [rec["id"] for rec in records] == ["a", "b", "c"]
    assert records[0]["body"] == CLEAN and records[0]["url"] == "https://x.example/1"
    assert records[0]["cc"]["edits"] == 1 and records[0]["cc"]["removed"] == 1
    assert {"lang", "lang_score"} <= set(records[0]["cc"])
    assert records[1] == {"id": "b", "body": 42}  # passed through untouched
    assert records[2]["extra"] == [1, 2]


def test_non_utf8_input_is_decoded_and_noted(runner, pack, tmp_path):
    src = tmp_path / "gbk.txt"
    src.write_bytes(("芯片出口管制收紧，英伟达股价下跌。\n" * 4).encode("gbk"))
    audit = tmp_path / "audit.jsonl"
    r = invoke(runner, ["clean", *BASE, "--rules", pack, str(src), "--audit", str(audit)])
    assert r.exit_code == 0
    assert "芯片出口管制收紧" in r.stdout
    assert "decoded as" in r.stderr
    notes = [json.loads(l) for l in audit.read_text(encoding="utf-8").splitlines()]
    assert notes[0]["rule"] == "input.transcode" and "gb" in notes[0]["note"].lower()


def test_binary_file_skipped_with_message(runner, pack, tmp_path):
    src = tmp_path / "blob.txt"
    src.write_bytes(b"\x00\x01\x02\xff\xfe\x00" * 100)
    ok = tmp_path / "ok.txt"
    ok.write_text(DIRTY, encoding="utf-8")
    r = invoke(runner, ["clean", *BASE, "--rules", pack, str(src), str(ok), "-o", str(tmp_path / "out")])
    assert r.exit_code == 123
    assert str(src) in r.stderr and "binary" in r.stderr
    assert (tmp_path / "out" / "ok.txt").read_text(encoding="utf-8") == CLEAN


def test_missing_input(runner, tmp_path):
    r = invoke(runner, ["clean", str(tmp_path / "nope.txt")])
    assert r.exit_code == 123
    assert "nope.txt: no such file" in r.stderr


def test_quiet_and_verbose(runner, pack, tmp_path):
    src = tmp_path / "a.txt"
    src.write_text(DIRTY, encoding="utf-8")
    r = invoke(runner, ["clean", *BASE, "--rules", pack, "-q", str(src), "-o", str(tmp_path / "o.txt")])
    assert r.stderr == ""
    r = invoke(runner, ["clean", *BASE, "--rules", pack, "-v", str(src), "-o", str(tmp_path / "o2.txt")])
    assert f"cleaned {src}" in r.stderr


def test_config_from_pyproject(runner, pack, tmp_path):
    project = tmp_path / "proj"
    project.mkdir()
    (project / "pyproject.toml").write_text(
        f'[tool.chipclean]\nonly = ["normalize", "boilerplate"]\ndefault-rules = false\nrules = ["{pack}"]\n',
        encoding="utf-8",
    )
    src = project / "a.txt"
    src.write_text(DIRTY, encoding="utf-8")
    r = invoke(runner, ["clean", str(src)])
    assert r.stdout == CLEAN
    # a flag on the command line wins over the file
    r = invoke(runner, ["clean", "--skip", "boilerplate", str(src)])
    assert r.stdout == DIRTY


def test_config_from_setup_cfg_bad_key(runner, tmp_path):
    (tmp_path / "setup.cfg").write_text("[chipclean]\nno-such-option = 1\n", encoding="utf-8")
    src = tmp_path / "a.txt"
    src.write_text(DIRTY, encoding="utf-8")
    r = invoke(runner, ["clean", str(src)])
    assert r.exit_code == 2
    assert "setup.cfg" in r.stderr and "no-such-option" in r.stderr


def test_detect_table_and_json(runner, tmp_path):
    en = tmp_path / "en.txt"
    en.write_text("The chipmaker said on Tuesday that demand for its accelerators remained strong.\n", encoding="utf-8")
    zh = tmp_path / "zh.txt"
    zh.write_text("英伟达周二表示，市场对其加速器的需求依然强劲。\n", encoding="utf-8")
    r = invoke(runner, ["detect", str(en), str(zh)])
    assert r.exit_code == 0
    rows = [line.split("\t") for line in r.stdout.splitlines()]
    assert rows[0][0] == str(en) and rows[0][1] == "en"
    assert rows[1][0] == str(zh) and rows[1][1].startswith("zh")
    r = invoke(runner, ["detect", "--json", str(zh)])
    obj = json.loads(r.stdout)
    assert obj["lang"].startswith("zh") and 0 < obj["score"] <= 1


def test_rules_list(runner, pack):
    r = invoke(runner, ["rules", "list", "--rules", pack])
    assert r.exit_code == 0
    line = next(l for l in r.stdout.splitlines() if l.startswith("test-promo.subscribe"))
    assert "delete-line" in line and "test-promo" in line and "The subscribe banner" in line
    assert any(l.startswith("zh-disclaimers.") for l in r.stdout.splitlines())


def test_rules_test_passes_and_fails(runner, pack, tmp_path):
    r = invoke(runner, ["rules", "test"])
    assert r.exit_code == 0, r.stderr
    r = invoke(runner, ["rules", "test", pack])
    assert r.exit_code == 0 and "2 passed, 0 failed" in r.stderr
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(PACK.replace("out: \"Body.\"", "out: \"Something else.\""), encoding="utf-8")
    r = invoke(runner, ["rules", "test", str(wrong)])
    assert r.exit_code == 1
    assert f"{wrong}:10:" in r.stderr and "test-promo.subscribe example 0" in r.stderr


def test_broken_pack_gives_exit_2_with_file_and_line(runner, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(PACK.replace("kind: delete-line", "kind: delete-line\n    colour: blue"), encoding="utf-8")
    r = invoke(runner, ["clean", "--rules", str(bad), "-"], input=DIRTY)
    assert r.exit_code == 2
    assert f"{bad}:8: unknown rule key 'colour'" in r.stderr
    r = invoke(runner, ["rules", "lint", str(bad)])
    assert r.exit_code == 2 and f"{bad}:8:" in r.stderr
    broken_yaml = tmp_path / "broken.yaml"
    broken_yaml.write_text("pack: x\nrules:\n  - id: [unclosed\n", encoding="utf-8")
    r = invoke(runner, ["rules", "lint", str(broken_yaml)])
    assert r.exit_code == 2 and f"{broken_yaml}:" in r.stderr and "invalid YAML" in r.stderr


def test_runaway_regex_is_stopped_and_named(runner, tmp_path):
    evil = tmp_path / "evil.yaml"
    evil.write_text(textwrap.dedent(
        """\
        pack: evil
        description: A rule that backtracks catastrophically
        stage: boilerplate
        rules:
          - id: evil.backtrack
            description: nested quantifiers
            kind: delete-line
            pattern: '^(a|a)+$'
            examples:
              - in: "x\\naaaa"
                out: "x"
              - unchanged: "aaab"
        """
    ), encoding="utf-8")
    text = "Real content stays.\n" + "a" * 40 + "b\n"
    r = invoke(runner, ["clean", "--no-default-rules", "--only", "boilerplate", "--rules", str(evil),
                        "--regex-timeout", "0.2", "-"], input=text)
    assert r.exit_code == 0
    assert r.stdout == text
    assert "evil.backtrack" in r.stderr and "skipped" in r.stderr


def test_no_input_is_a_usage_error(runner):
    r = invoke(runner, ["clean"])
    assert r.exit_code == 2
