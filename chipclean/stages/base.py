"""What every stage has in common.

A stage takes one :class:`~chipclean.document.Document` at a time and changes it
only through ``doc.apply(self.name, changes)``; taggers such as ``langid`` write
metadata and make no edits. A stage that needs to see the whole corpus first
(``repeats``) sets ``corpus_pass = True`` and implements :meth:`observe`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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

    # A counting pass split across processes (``--jobs``, Ray) runs observe()
    # on parts of the corpus in fresh stage objects, then merges what each
    # learnt into one stage and ships that state to every worker.
    def observed_state(self) -> Any:
        """What observe() learnt, as a picklable value; None means the stage
        does not support merging, and the counting pass runs in one process."""
        return None

    def merge_observed(self, state: Any) -> None:
        """Add a state returned by another instance's observed_state()."""
        raise NotImplementedError

    def warnings(self) -> list[str]:
        """Messages for the user gathered while processing (regex timeouts, …)."""
        return []
