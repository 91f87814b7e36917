"""What every stage has in common.

A stage takes one :class:`~chipclean.document.Document` at a time and changes it
only through ``doc.apply(self.name, changes)``; taggers such as ``langid`` write
metadata and make no edits. A stage that needs to see the whole corpus first
(``repeats``) sets ``corpus_pass = True`` and implements :meth:`observe`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..config import Config
    from ..document import Document
    from ..rulepack import RuleSet


class Stage:
    name: str = ""
    corpus_pass: bool = False

    def __init__(self, config: "Config", rules: "RuleSet") -> None:
        self.config = config
        self.rules = rules

    def process(self, doc: "Document") -> None:
        raise NotImplementedError

    def observe(self, doc: "Document") -> None:
        """First pass over the corpus; only called when ``corpus_pass`` is set."""

    def warnings(self) -> list[str]:
        """Messages for the user gathered while processing (regex timeouts, …)."""
        return []
