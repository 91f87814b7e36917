"""``zh-script``: convert Chinese text between scripts with OpenCC.

Only runs when ``--zh-script`` names a target, and only on Chinese text.
"""

from __future__ import annotations

from ..document import Change
from .base import Stage

_TARGETS = {"hans": "t2s", "hant": "s2t", "tw": "s2tw", "twp": "s2twp", "hk": "s2hk"}


class ZhScriptStage(Stage):
    name = "zh-script"

    def __init__(self, config, rules):
        super().__init__(config, rules)
        self._converter = None

    def process(self, doc) -> None:
        target = self.config.zh_script
        if target == "keep" or not (doc.lang or "").startswith("zh"):
            return
        if self._converter is None:
            import opencc

            self._converter = opencc.OpenCC(_TARGETS[target])
        converted = self._converter.convert(doc.text)
        doc.apply(self.name, [Change(0, len(doc.text), converted, f"zh-script.{_TARGETS[target]}")])
