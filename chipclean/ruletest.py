"""Run every rule's own examples through the real stage that owns the rule."""

from __future__ import annotations

from dataclasses import dataclass

from .config import Config
from .document import Document
from .rulepack import Example, Rule, RuleSet
from .stages import stage_class


@dataclass
class ExampleResult:
    rule: Rule
    index: int
    example: Example
    got: str

    @property
    def ok(self) -> bool:
        return self.got == self.example.expected

    @property
    def case_id(self) -> str:
        return f"{self.rule.pack}::{self.rule.id}::{self.index}"

    def describe(self) -> str:
        kind = "unchanged" if not self.example.changes else "in/out"
        return (
            f"{self.rule.path}:{self.example.line}: {self.rule.id} example {self.index} ({kind}) failed\n"
            f"  input:    {self.example.text!r}\n"
            f"  expected: {self.example.expected!r}\n"
            f"  got:      {self.got!r}"
        )


def run_example(rules: RuleSet, rule: Rule, index: int, base: Config | None = None) -> ExampleResult:
    example = rule.examples[index]
    overrides = dict(example.config)
    if rule.option:
        overrides.setdefault(rule.option.replace("-", "_"), True)
    config = (base or Config()).replace(stages=(rule.stage,), **_tuples(overrides))
    stage = stage_class(rule.stage)(config, rules.only(rule))
    lang = example.lang or (rule.languages or _pack_langs(rules, rule) or (None,))[0]
    doc = Document(text=example.text, id=f"{rule.id}#{index}", source=example.source, lang=lang)
    if example.source:
        doc.metadata["path"] = example.source
    stage.process(doc)
    return ExampleResult(rule, index, example, doc.text)


def run_all(rules: RuleSet) -> list[ExampleResult]:
    return [run_example(rules, r, i) for r in rules.all_rules() for i in range(len(r.examples))]


def _pack_langs(rules: RuleSet, rule: Rule) -> tuple[str, ...]:
    for pack in rules.packs:
        if pack.id == rule.pack:
            return tuple(l for l in pack.languages if l != "*")
    return ()


def _tuples(d: dict) -> dict:
    return {k: tuple(v) if isinstance(v, list) else v for k, v in d.items()}
