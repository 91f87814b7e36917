"""``entities``: find entity mentions from the entity packs."""

from __future__ import annotations

from .base import Stage


class EntitiesStage(Stage):
    name = "entities"

    def process(self, doc) -> None:
        return None
