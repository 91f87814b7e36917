"""Every example of every shipped pack is its own test case."""

import pytest

from chipclean.rulepack import RuleSet
from chipclean.ruletest import run_example

RULES = RuleSet.load()
CASES = [(r, i) for r in RULES.all_rules() for i in range(len(r.examples))]


@pytest.mark.parametrize(
    "rule,index", CASES, ids=[f"{r.pack}::{r.id}::{i}" for r, i in CASES]
)
def test_rule_example(rule, index):
    result = run_example(RULES, rule, index)
    assert result.ok, result.describe()


def test_packs_ship_rules():
    assert len(CASES) > 0
