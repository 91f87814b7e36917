"""``boilerplate``: site chrome (share bars, promos, bylines, widgets) removed
by the packs under ``rules/boilerplate/``."""

from __future__ import annotations

from ..ruleengine import StageRules
from .base import Stage


class BoilerplateStage(Stage):
    name = "boilerplate"

    def __init__(self, config, rules):
        super().__init__(config, rules)
        self.matcher = StageRules(self.name, rules, config)

    def process(self, doc) -> None:
        if self.matcher:
            self.matcher.run(doc, lambda rule, changes: doc.apply(self.name, changes))

    def warnings(self):
        return self.matcher.warnings()
