"""``repeats``: lines repeated across many documents of one source."""

from __future__ import annotations

from .base import Stage


class RepeatsStage(Stage):
    name = "repeats"
    corpus_pass = True

    def observe(self, doc) -> None:
        return None

    def process(self, doc) -> None:
        return None
