"""``disclaimers``: legal and investment disclaimers.

Packs for this stage use the generic kinds. With ``--disclaimers strip`` (the
default) a disclaimer is removed and its text moved to ``metadata.disclaimers``;
``tag`` records it without removing; ``keep`` leaves the text alone.
"""

from __future__ import annotations

from ..ruleengine import StageRules
from .base import Stage


class DisclaimersStage(Stage):
    name = "disclaimers"

    def __init__(self, config, rules):
        super().__init__(config, rules)
        self.matcher = StageRules(self.name, rules, config)

    def process(self, doc) -> None:
        mode = self.config.disclaimers
        if mode == "keep" or not self.matcher:
            return
        found = doc.metadata.setdefault("disclaimers", [])

        def handle(rule, changes):
            for ch in changes:
                found.append({"rule": rule.id, "text": doc.text[ch.start : ch.end].strip()})
            if mode == "strip":
                doc.apply(self.name, changes)

        self.matcher.run(doc, handle)
        if not found:
            del doc.metadata["disclaimers"]

    def warnings(self):
        return self.matcher.warnings()
