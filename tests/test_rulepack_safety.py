"""A rule pack is data: it can't run code, a runaway pattern is stopped and
named, and every problem in a pack is reported with its file and line."""

import ast
import time
from pathlib import Path

import pytest
import yaml

import chipclean
from chipclean.cli import main
from chipclean.yamlload import _LineLoader, load_yaml

PACKAGE = Path(chipclean.__file__).resolve().parent

GOOD_RULE = """\
  - id: {pack}.promo
    description: A promo line
    kind: delete-line
    pattern: '^Buy the chip letter$'
    examples:
      - in: "Body.\\nBuy the chip letter"
        out: "Body."
      - unchanged: "Readers buy the chip letter daily."
"""


def pack_text(pack="safe", body=None, header=""):
    return f"pack: {pack}\nstage: boilerplate\ndescription: test pack\n{header}rules:\n" + (
        body if body is not None else GOOD_RULE.format(pack=pack))


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def lint(runner, *paths):
    result = runner.invoke(main, ["rules", "lint", *map(str, paths)])
    assert "Traceback" not in result.output
    return result


# -- packs load only through the safe loader ---------------------------------------------

def test_the_pack_loader_is_a_safe_loader():
    # the constructor decides what a document can build: it must be the safe one
    assert issubclass(_LineLoader, yaml.constructor.SafeConstructor)
    assert not issubclass(_LineLoader, (yaml.constructor.FullConstructor, yaml.constructor.UnsafeConstructor))
    tags = list(_LineLoader.yaml_constructors) + list(_LineLoader.yaml_multi_constructors)
    assert not [t for t in tags if t and "python" in t]


def test_no_module_loads_yaml_any_other_way():
    """Every yaml.load in the package names the safe loader; no unsafe entry point is used."""
    unsafe = {"unsafe_load", "unsafe_load_all", "full_load", "full_load_all", "load_all", "UnsafeLoader",
              "FullLoader", "Loader", "add_constructor", "add_multi_constructor"}
    found = []
    for py in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(py.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "yaml":
                if node.attr in unsafe and not (py.name == "yamlload.py" and node.attr == "add_constructor"):
                    found.append(f"{py.relative_to(PACKAGE)}:{node.lineno}: yaml.{node.attr}")
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "load" \
                    and getattr(node.func.value, "id", None) == "yaml":
                loader = next((k.value for k in node.keywords if k.arg == "Loader"), None)
                if not (isinstance(loader, ast.Name) and loader.id == "_LineLoader"):
                    found.append(f"{py.relative_to(PACKAGE)}:{node.lineno}: yaml.load without the safe loader")
    assert found == []


@pytest.mark.parametrize(
    "tag",
    [
        '!!python/object/apply:os.system ["touch {marker}"]',
        '!!python/object/new:subprocess.Popen [["touch", "{marker}"]]',
        "!!python/name:os.system",
        '!!python/module:os',
        "!include /etc/passwd",
    ],
)
def test_code_tags_are_rejected_with_file_and_line_and_never_run(runner, tmp_path, tag):
    marker = tmp_path / "ran"
    pack = write(tmp_path, "evil.yaml", pack_text(header=f"source: {tag.format(marker=marker)}\n"))
    result = lint(runner, pack)
    assert result.exit_code == 2
    assert f"{pack}:4: invalid YAML: could not determine a constructor for the tag" in result.stderr
    # the same pack given to a cleaning run stops it before any input is touched
    src = write(tmp_path, "in.txt", "Body.\nBuy the chip letter\n")
    result = runner.invoke(main, ["clean", str(src), "-o", str(tmp_path / "out.txt"), "--rules", str(pack)])
    assert result.exit_code == 2 and f"{pack}:4:" in result.stderr
    assert not (tmp_path / "out.txt").exists()
    assert not marker.exists()


def test_alias_bomb_is_refused_quickly(runner, tmp_path):
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        levels.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    text = "pack: bomb\nstage: boilerplate\ndescription: x\n" + "\n".join(levels) + "\nlanguages: *i\nrules: *i\n"
    pack = write(tmp_path, "bomb.yaml", text)
    t0 = time.perf_counter()
    result = lint(runner, pack)
    assert time.perf_counter() - t0 < 30
    assert result.exit_code == 2
    assert f"{pack}:4: unknown key 'a'" in result.stderr


def test_safe_loader_only_builds_plain_data():
    data = load_yaml("a: [1, 2.5, true, null, 'x']\nb: {c: d}\n")
    assert data == {"a": [1, 2.5, True, None, "x"], "b": {"c": "d"}}
    with pytest.raises(yaml.YAMLError):
        load_yaml("a: !!python/tuple [1, 2]\n")


# -- runaway patterns ------------------------------------------------------------

RUNAWAY = """\
  - id: slow.runaway
    description: Backtracks catastrophically on a long run of a
    kind: delete-line
    pattern: '^(a|aa)+$'
    examples:
      - in: "Body.\\naaaa"
        out: "Body."
      - unchanged: "Body."
""" + GOOD_RULE.format(pack="slow")


def test_runaway_regex_is_stopped_and_named(runner, tmp_path):
    pack = write(tmp_path, "slow.yaml", pack_text("slow", RUNAWAY))
    src = write(tmp_path, "in.txt", "Body.\n" + "a" * 60 + "!\nBuy the chip letter\n")
    t0 = time.perf_counter()
    result = runner.invoke(main, ["clean", str(src), "--rules", str(pack), "--no-default-rules",
                                  "--only", "boilerplate", "--regex-timeout", "0.2"])
    elapsed = time.perf_counter() - t0
    assert result.exit_code == 0, result.stderr
    assert f"rule slow.runaway ({pack}:5) took longer than 0.2s and was skipped" in result.stderr
    assert elapsed < 60  # without the timeout this pattern runs for hours
    # the other rules still ran, and the line the runaway rule couldn't judge is kept
    assert result.stdout == "Body.\n" + "a" * 60 + "!\n"


# -- problems reported with file:line, all at once -----------------------------------------

def test_duplicate_rule_id_in_one_pack(runner, tmp_path):
    pack = write(tmp_path, "dup.yaml", pack_text("dup", GOOD_RULE.format(pack="dup") * 2))
    result = lint(runner, pack)
    assert result.exit_code == 2
    assert f"{pack}:13: duplicate rule id 'dup.promo'" in result.stderr


def test_duplicate_rule_id_across_packs(runner, tmp_path):
    one = write(tmp_path, "one.yaml", pack_text("shared"))
    two = write(tmp_path, "two.yaml", pack_text("shared"))
    src = write(tmp_path, "in.txt", "Body.\n")
    result = runner.invoke(main, ["clean", str(src), "--rules", str(one), "--rules", str(two), "--no-default-rules"])
    assert result.exit_code == 2
    assert f"{two}:5: duplicate rule id 'shared.promo' (first at {one}:5)" in result.stderr


@pytest.mark.parametrize(
    "header, body, line, says",
    [
        ("colour: red\n", None, 4, "unknown key 'colour'"),
        ("", GOOD_RULE.format(pack="safe") + "    flavour: sweet\n", 13, "unknown rule key 'flavour'"),
        ("", GOOD_RULE.format(pack="safe").replace("    kind:", "    guard: {not_lines: x}\n    kind:"), 7,
         "rule safe.promo: unknown guard 'not_lines'"),
        ("", GOOD_RULE.format(pack="safe").replace("'^Buy the chip letter$'", "'(unclosed'"), 8,
         "bad pattern '(unclosed'"),
        ("", GOOD_RULE.format(pack="safe").replace("      - unchanged:", "      - unchanged_text:"), 12,
         "rule safe.promo: unknown example key 'unchanged_text'"),
    ],
)
def test_bad_pack_is_rejected_with_file_and_line(runner, tmp_path, header, body, line, says):
    pack = write(tmp_path, "bad.yaml", pack_text(header=header, body=body))
    result = lint(runner, pack)
    assert result.exit_code == 2
    assert f"{pack}:{line}: {says}" in result.stderr, result.stderr


def test_lint_reports_every_problem_at_once(runner, tmp_path):
    body = (
        GOOD_RULE.format(pack="many").replace("'^Buy the chip letter$'", "'[z-a]'")  # line 9: bad pattern
        + GOOD_RULE.format(pack="many")  # line 14: duplicate id
        # line 22: no description, no examples; line 25: unknown key
        + "  - id: many.third\n    kind: delete-line\n    pattern: x\n    speed: 3\n"
    )
    first = write(tmp_path, "many.yaml", pack_text("many", body, header="colour: red\n"))
    second = write(tmp_path, "other.yaml", "pack: other\nstage: nowhere\nrules: []\n")
    result = lint(runner, first, second)
    assert result.exit_code == 2
    problems = [ln for ln in result.stderr.splitlines() if ln.startswith(str(tmp_path))]
    where = sorted({ln.split(": ")[0] for ln in problems})
    assert where == sorted([f"{first}:4", f"{first}:9", f"{first}:14", f"{first}:22", f"{first}:25",
                            f"{second}:2", f"{second}:3"]), result.stderr
    assert f"{len(problems)} problem(s) in 2 file(s)." in result.stderr


def test_good_pack_lints_clean(runner, tmp_path):
    result = lint(runner, write(tmp_path, "good.yaml", pack_text()))
    assert result.exit_code == 0, result.stderr
    assert "1 pack(s) OK." in result.stderr
