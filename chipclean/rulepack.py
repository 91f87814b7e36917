"""Load, validate and compile YAML rule packs.

A pack is a YAML file::

    pack: zh-disclaimers              # the pack id
    description: Legal disclaimers on Chinese finance sites
    stage: disclaimers                # the stage that runs it
    languages: [zh]                   # optional: documents (or segments) in these languages
    scope:                            # optional: any one of these makes the pack apply
      source: ['aicoin\\.com']        #   regex on the document's source (url/source field or path)
      path: ['*/aicoin/*']            #   glob on the input path
      marker: '^Share To$'            #   regex that must match a line of the document
    rules:
      - id: zh-disclaimers.platform-stance
        description: ...
        kind: delete-block            # replace | delete-line | delete-block | entity
        pattern: '^免责声明[:：]'
        examples:
          - in: "正文。\\n免责声明:本文仅代表作者个人观点。"
            out: "正文。"
          - unchanged: "他在声明中表示免责条款无效。"

Every rule needs at least one example that changes text and one that must be
left unchanged, or the pack does not load. All problems in a file are
collected and reported together as ``file:line: message``.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Iterator

import regex
import yaml

from .config import STAGES
from .yamlload import LineDict, error_line, load_yaml

KINDS = ("replace", "delete-line", "delete-block", "entity")
LINE_KINDS = ("delete-line", "delete-block")

PACK_KEYS = {"pack", "description", "stage", "languages", "scope", "rules", "source"}
SCOPE_KEYS = {"source", "path", "marker"}
RULE_KEYS = {
    "id",
    "description",
    "kind",
    "pattern",
    "literals",
    "replacement",
    "ignore_case",
    "guard",
    "block",
    "languages",
    "examples",
    "option",
    "source",
    # entity rules
    "canonical",
    "aliases",
    "case_sensitive",
}
GUARD_KEYS = {"not_line", "not_before", "not_after", "line_max_chars"}
BLOCK_KEYS = {"continue", "until_blank", "max_lines", "min_lines", "allow_blank"}
EXAMPLE_KEYS = {"in", "out", "unchanged", "lang", "source", "config", "note"}
# names an entity rule gives; zh-Hant (script only, no region) is optional
ENTITY_FORMS = ("en", "zh-Hans", "zh-Hant", "zh-Hant-TW", "zh-Hant-HK")
ENTITY_FORMS_REQUIRED = ("en", "zh-Hans", "zh-Hant-TW", "zh-Hant-HK")


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class PackError(Exception):
    """One or more problems in rule-pack files (exit code 2)."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Example:
    text: str
    expected: str  # equal to text for an "unchanged" example
    line: int
    lang: str | None = None
    source: str = ""
    config: tuple[tuple[str, Any], ...] = ()

    @property
    def changes(self) -> bool:
        return self.text != self.expected


@dataclass
class Rule:
    id: str
    pack: str
    stage: str
    kind: str
    description: str
    path: str
    line: int
    pattern: Any = None  # compiled regex, or None
    pattern_text: str = ""
    literals: frozenset = frozenset()
    replacement: str = ""
    ignore_case: bool = False
    guard: dict = field(default_factory=dict)  # compiled guard regexes
    block: dict = field(default_factory=dict)
    languages: tuple[str, ...] = ()
    option: str = ""  # a Config flag that must be true for the rule to run
    examples: tuple[Example, ...] = ()
    data: dict = field(default_factory=dict)  # kind-specific fields (entities)


@dataclass
class Pack:
    id: str
    description: str
    stage: str
    path: str
    languages: tuple[str, ...] = ()
    scope_source: tuple[Any, ...] = ()
    scope_path: tuple[str, ...] = ()
    scope_marker: Any = None
    rules: list[Rule] = field(default_factory=list)

    @property
    def scoped(self) -> bool:
        return bool(self.scope_source or self.scope_path or self.scope_marker is not None)

    def in_scope(self, source: str, path: str, text: str) -> bool:
        if not self.scoped:
            return True
        if source and any(p.search(source) for p in self.scope_source):
            return True
        if path and any(fnmatch.fnmatch(path, g) for g in self.scope_path):
            return True
        if self.scope_marker is not None and self.scope_marker.search(text):
            return True
        return False


def lang_matches(wanted: Iterable[str], langs: Iterable[str]) -> bool:
    """``zh`` matches ``zh-Hans`` and ``zh-Hant``; ``*`` matches anything."""
    wanted = tuple(wanted)
    if not wanted or "*" in wanted:
        return True
    for lang in langs:
        for w in wanted:
            if lang == w or lang.startswith(w + "-"):
                return True
    return False


def default_rules_dir() -> Path:
    """The shipped packs: ``chipclean.rules`` when installed; in a source
    checkout imported without installing, the top-level ``rules/`` folder."""
    try:
        return Path(str(resources.files("chipclean.rules")))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / "rules"


def default_pack_files() -> list[Path]:
    return sorted(_walk_yaml(default_rules_dir()))


def _walk_yaml(folder: Path) -> Iterator[Path]:
    for p in sorted(folder.rglob("*")):
        if p.suffix in (".yaml", ".yml") and p.is_file():
            yield p


def expand_pack_paths(paths: Iterable[str | Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            out.extend(_walk_yaml(p))
        else:
            out.append(p)
    return out


class RuleSet:
    """All loaded packs, with the rules each stage should run on a document."""

    def __init__(self, packs: list[Pack], disabled: Iterable[str] = ()):
        self.packs = packs
        self.disabled = frozenset(disabled)
        self._by_stage: dict[str, list[Pack]] = {}
        for pack in packs:
            self._by_stage.setdefault(pack.stage, []).append(pack)

    @classmethod
    def load(
        cls,
        extra: Iterable[str | Path] = (),
        default: bool = True,
        disabled: Iterable[str] = (),
    ) -> "RuleSet":
        files = (default_pack_files() if default else []) + expand_pack_paths(extra)
        packs: list[Pack] = []
        problems: list[Problem] = []
        for f in files:
            try:
                packs.append(load_pack(f))
            except PackError as exc:
                problems.extend(exc.problems)
        problems.extend(_duplicate_ids(packs))
        if problems:
            raise PackError(problems)
        return cls(packs, disabled)

    def packs_for(self, stage: str) -> list[Pack]:
        return [p for p in self._by_stage.get(stage, []) if p.id not in self.disabled]

    def rules_for(self, stage: str) -> list[Rule]:
        return [r for p in self.packs_for(stage) for r in p.rules if r.id not in self.disabled]

    def all_rules(self) -> list[Rule]:
        return [r for p in self.packs for r in p.rules]

    def only(self, rule: Rule) -> "RuleSet":
        """A rule set holding just one rule (used to run a rule's own examples)."""
        for pack in self.packs:
            if rule in pack.rules:
                clone = Pack(**{**pack.__dict__, "rules": [rule]})
                return RuleSet([clone])
        raise KeyError(rule.id)


def _duplicate_ids(packs: list[Pack]) -> list[Problem]:
    seen: dict[str, Rule] = {}
    problems = []
    pack_ids: dict[str, Pack] = {}
    for pack in packs:
        if pack.id in pack_ids:
            problems.append(
                Problem(pack.path, 1, f"pack id {pack.id!r} is also used by {pack_ids[pack.id].path}")
            )
        pack_ids[pack.id] = pack
        for rule in pack.rules:
            if rule.id in seen and seen[rule.id] is not rule:
                other = seen[rule.id]
                problems.append(
                    Problem(rule.path, rule.line, f"duplicate rule id {rule.id!r} (first at {other.path}:{other.line})")
                )
            seen.setdefault(rule.id, rule)
    return problems


def load_pack(path: str | Path) -> Pack:
    path = Path(path)
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError([Problem(name, 1, f"cannot read rule pack: {exc}")]) from None
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        msg = getattr(exc, "problem", None) or str(exc)
        raise PackError([Problem(name, error_line(exc), f"invalid YAML: {msg}")]) from None
    return build_pack(data, name)


def build_pack(data: Any, name: str) -> Pack:
    problems: list[Problem] = []

    def problem(line: int, msg: str) -> None:
        problems.append(Problem(name, line, msg))

    if not isinstance(data, LineDict):
        raise PackError([Problem(name, 1, "a rule pack must be a YAML mapping with 'pack' and 'rules'")])
    for key in data:
        if key not in PACK_KEYS:
            problem(data.line_of(key), f"unknown key {key!r} (allowed: {', '.join(sorted(PACK_KEYS))})")
    pack_id = data.get("pack")
    if not isinstance(pack_id, str) or not regex.fullmatch(r"[a-z0-9][a-z0-9_.-]*", pack_id or ""):
        problem(data.line_of("pack"), "'pack' must be an id of lowercase letters, digits, '.', '_' or '-'")
        pack_id = pack_id if isinstance(pack_id, str) else "?"
    stage = data.get("stage")
    if stage not in STAGES:
        problem(data.line_of("stage"), f"'stage' must be one of {', '.join(STAGES)}")
    languages = _str_list(data.get("languages", []), data.line_of("languages"), "languages", problem)
    pack = Pack(
        id=pack_id,
        description=str(data.get("description", "")),
        stage=stage if isinstance(stage, str) else "?",
        path=name,
        languages=tuple(languages),
    )
    scope = data.get("scope")
    if scope is not None:
        if not isinstance(scope, LineDict):
            problem(data.line_of("scope"), "'scope' must be a mapping of source/path/marker")
        else:
            for key in scope:
                if key not in SCOPE_KEYS:
                    problem(scope.line_of(key), f"unknown scope key {key!r} (allowed: source, path, marker)")
            pack.scope_source = tuple(
                p
                for p in (
                    _compile(s, scope.line_of("source"), problem, regex.IGNORECASE)
                    for s in _str_list(scope.get("source", []), scope.line_of("source"), "scope.source", problem)
                )
                if p is not None
            )
            pack.scope_path = tuple(_str_list(scope.get("path", []), scope.line_of("path"), "scope.path", problem))
            if "marker" in scope:
                pack.scope_marker = _compile(scope["marker"], scope.line_of("marker"), problem, regex.MULTILINE)
    rules = data.get("rules")
    if not isinstance(rules, list) or not rules:
        problem(data.line_of("rules"), "'rules' must be a non-empty list")
        rules = []
    seen: set[str] = set()
    for spec in rules:
        rule = _build_rule(spec, pack, problem)
        if rule is None:
            continue
        if rule.id in seen:
            problem(rule.line, f"duplicate rule id {rule.id!r}")
        seen.add(rule.id)
        pack.rules.append(rule)
    if problems:
        raise PackError(problems)
    return pack


def _str_list(value: Any, line: int, what: str, problem) -> list[str]:
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problem(line, f"'{what}' must be a string or a list of strings")
        return []
    return list(value)


def _compile(pattern: Any, line: int, problem, flags: int = 0):
    if not isinstance(pattern, str) or not pattern:
        problem(line, "a pattern must be a non-empty string")
        return None
    try:
        return regex.compile(pattern, flags)
    except (regex.error, ValueError, OverflowError) as exc:
        problem(line, f"bad pattern {pattern!r}: {exc}")
        return None


def _build_rule(spec: Any, pack: Pack, problem) -> Rule | None:
    if not isinstance(spec, LineDict):
        problem(getattr(spec, "line", 1), "each rule must be a mapping")
        return None
    line = spec.line
    for key in spec:
        if key not in RULE_KEYS:
            problem(spec.line_of(key), f"unknown rule key {key!r}")
    rule_id = spec.get("id")
    if not isinstance(rule_id, str) or not rule_id:
        problem(line, "a rule needs an 'id'")
        return None
    if not rule_id.startswith(pack.id + "."):
        problem(spec.line_of("id"), f"rule id {rule_id!r} must start with its pack id '{pack.id}.'")
    kind = spec.get("kind")
    if kind not in KINDS:
        problem(spec.line_of("kind"), f"rule {rule_id}: 'kind' must be one of {', '.join(KINDS)}")
        return None
    description = spec.get("description")
    if not isinstance(description, str) or not description.strip():
        problem(line, f"rule {rule_id}: a 'description' is required")
        description = ""
    ignore_case = bool(spec.get("ignore_case", False))
    flags = regex.MULTILINE | (regex.IGNORECASE if ignore_case else 0)
    rule = Rule(
        id=rule_id,
        pack=pack.id,
        stage=pack.stage,
        kind=kind,
        description=description.strip(),
        path=pack.path,
        line=line,
        ignore_case=ignore_case,
        option=str(spec.get("option", "")),
    )
    if "languages" in spec:
        rule.languages = tuple(_str_list(spec["languages"], spec.line_of("languages"), "languages", problem))
    if kind == "entity":
        rule.data = _entity_data(spec, rule_id, problem)
    else:
        if "pattern" in spec:
            rule.pattern_text = spec["pattern"] if isinstance(spec["pattern"], str) else ""
            rule.pattern = _compile(spec["pattern"], spec.line_of("pattern"), problem, flags)
        if "literals" in spec:
            lits = _str_list(spec["literals"], spec.line_of("literals"), "literals", problem)
            if kind == "replace":
                # literals become one escaped alternation, longest first
                alt = "|".join(regex.escape(s) for s in sorted(set(lits), key=len, reverse=True))
                rule.pattern_text = rule.pattern_text or alt
                if rule.pattern is None and lits:
                    rule.pattern = regex.compile(alt, flags)
            else:
                rule.literals = frozenset(
                    (s.strip().casefold() if ignore_case else s.strip()) for s in lits
                )
        if rule.pattern is None and not rule.literals and "pattern" not in spec:
            problem(line, f"rule {rule_id}: needs a 'pattern' or 'literals'")
        if kind == "replace":
            repl = spec.get("replacement", "")
            if not isinstance(repl, str):
                problem(spec.line_of("replacement"), f"rule {rule_id}: 'replacement' must be a string")
                repl = ""
            rule.replacement = repl
        elif "replacement" in spec:
            problem(spec.line_of("replacement"), f"rule {rule_id}: 'replacement' only applies to kind 'replace'")
        guard = spec.get("guard")
        if guard is not None:
            if not isinstance(guard, LineDict):
                problem(spec.line_of("guard"), f"rule {rule_id}: 'guard' must be a mapping")
            else:
                for key in guard:
                    if key not in GUARD_KEYS:
                        problem(guard.line_of(key), f"rule {rule_id}: unknown guard {key!r}")
                    elif key == "line_max_chars":
                        if not isinstance(guard[key], int) or guard[key] < 1:
                            problem(guard.line_of(key), "line_max_chars must be a positive integer")
                        else:
                            rule.guard[key] = guard[key]
                    else:
                        gflags = regex.IGNORECASE if ignore_case else 0
                        compiled = _compile(guard[key], guard.line_of(key), problem, gflags)
                        if compiled is not None:
                            # anchor context guards to the match: what ends right
                            # before it, or starts right after it
                            if key == "not_before":
                                compiled = regex.compile(f"(?:{guard[key]})\\Z", gflags)
                            elif key == "not_after":
                                compiled = regex.compile(f"\\A(?:{guard[key]})", gflags)
                            rule.guard[key] = compiled
        block = spec.get("block")
        if block is not None:
            if kind != "delete-block":
                problem(spec.line_of("block"), f"rule {rule_id}: 'block' only applies to kind 'delete-block'")
            elif not isinstance(block, LineDict):
                problem(spec.line_of("block"), f"rule {rule_id}: 'block' must be a mapping")
            else:
                for key in block:
                    if key not in BLOCK_KEYS:
                        problem(block.line_of(key), f"rule {rule_id}: unknown block option {key!r}")
                if "continue" in block:
                    cont = _compile(block["continue"], block.line_of("continue"), problem, flags)
                    if cont is not None:
                        rule.block["continue"] = cont
                for key in ("max_lines", "min_lines"):
                    if key in block:
                        if not isinstance(block[key], int) or block[key] < 1:
                            problem(block.line_of(key), f"{key} must be a positive integer")
                        else:
                            rule.block[key] = block[key]
                for key in ("until_blank", "allow_blank"):
                    if key in block:
                        rule.block[key] = bool(block[key])
    rule.examples = _examples(spec, rule_id, problem)
    return rule


def _entity_data(spec: LineDict, rule_id: str, problem) -> dict:
    canonical = spec.get("canonical")
    if not isinstance(canonical, LineDict) or not isinstance(canonical.get("en"), str):
        problem(spec.line_of("canonical"), f"rule {rule_id}: 'canonical' must map at least 'en' to a name")
        canonical = {}
    for key in ENTITY_FORMS_REQUIRED:
        if canonical and not isinstance(canonical.get(key), str):
            problem(spec.line_of("canonical"), f"rule {rule_id}: 'canonical' needs a {key!r} name")
    for key in canonical:
        if key not in ENTITY_FORMS:
            problem(canonical.line_of(key), f"rule {rule_id}: unknown canonical form {key!r} (allowed: {', '.join(ENTITY_FORMS)})")
    aliases = spec.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        problem(spec.line_of("aliases"), f"rule {rule_id}: 'aliases' must be a list of non-empty strings")
        aliases = []
    if not str(spec.get("source", "")).strip():
        problem(spec.line, f"rule {rule_id}: an entity needs a 'source' naming where its names come from")
    # context guards: the text just before / after a mention that makes it
    # talk about the name itself rather than the entity
    guard: dict = {}
    raw_guard = spec.get("guard")
    if raw_guard is not None:
        if not isinstance(raw_guard, LineDict):
            problem(spec.line_of("guard"), f"rule {rule_id}: 'guard' must be a mapping")
        else:
            for key, value in raw_guard.items():
                if key not in ("not_before", "not_after"):
                    problem(raw_guard.line_of(key), f"rule {rule_id}: entity guards are not_before and not_after")
                elif _compile(value, raw_guard.line_of(key), problem) is not None:
                    anchored = f"(?:{value})\\Z" if key == "not_before" else f"\\A(?:{value})"
                    guard[key] = regex.compile(anchored)
    return {
        "canonical": {str(k): str(v) for k, v in canonical.items()},
        "aliases": list(aliases),
        "case_sensitive": bool(spec.get("case_sensitive", True)),
        "source": str(spec.get("source", "")),
        "guard": guard,
    }


def _examples(spec: LineDict, rule_id: str, problem) -> tuple[Example, ...]:
    raw = spec.get("examples")
    if not isinstance(raw, list):
        problem(spec.line_of("examples") if "examples" in spec else spec.line, f"rule {rule_id}: 'examples' is required")
        return ()
    out: list[Example] = []
    for ex in raw:
        if not isinstance(ex, LineDict):
            problem(spec.line_of("examples"), f"rule {rule_id}: each example must be a mapping")
            continue
        for key in ex:
            if key not in EXAMPLE_KEYS:
                problem(ex.line_of(key), f"rule {rule_id}: unknown example key {key!r}")
        config = ex.get("config", {})
        if not isinstance(config, dict):
            problem(ex.line_of("config"), f"rule {rule_id}: example 'config' must be a mapping")
            config = {}
        common = dict(
            line=ex.line,
            lang=ex.get("lang"),
            source=str(ex.get("source", "")),
            config=tuple(sorted((str(k), _freeze(v)) for k, v in config.items())),
        )
        if "unchanged" in ex:
            if "in" in ex or "out" in ex:
                problem(ex.line, f"rule {rule_id}: an example has either 'unchanged' or 'in'/'out'")
                continue
            if not isinstance(ex["unchanged"], str):
                problem(ex.line, f"rule {rule_id}: 'unchanged' must be a string")
                continue
            out.append(Example(ex["unchanged"], ex["unchanged"], **common))
        elif "in" in ex and "out" in ex:
            if not isinstance(ex["in"], str) or not isinstance(ex["out"], str):
                problem(ex.line, f"rule {rule_id}: 'in' and 'out' must be strings")
                continue
            if ex["in"] == ex["out"]:
                problem(ex.line, f"rule {rule_id}: 'in' equals 'out'; use 'unchanged' for that")
                continue
            out.append(Example(ex["in"], ex["out"], **common))
        else:
            problem(ex.line, f"rule {rule_id}: an example needs 'in' and 'out', or 'unchanged'")
    if out and not any(e.changes for e in out):
        problem(spec.line, f"rule {rule_id}: needs at least one example that changes text ('in'/'out')")
    if out and all(e.changes for e in out):
        problem(spec.line, f"rule {rule_id}: needs at least one 'unchanged' example of text it must leave alone")
    if not out and isinstance(raw, list):
        problem(spec.line, f"rule {rule_id}: needs examples: one 'in'/'out' pair and one 'unchanged' text")
    return tuple(out)


def _freeze(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(value)
    return value
