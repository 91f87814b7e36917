"""Stage registry: names (a public contract) to classes, imported lazily so that
a run that skips a stage never pays for importing its heavy dependencies."""

from __future__ import annotations

import importlib

from .base import Stage

_REGISTRY = {
    "repair": "repair:RepairStage",
    "normalize": "normalize:NormalizeStage",
    "langid": "langid:LangIdStage",
    "zh-script": "zh_script:ZhScriptStage",
    "entities": "entities:EntitiesStage",
    "disclaimers": "disclaimers:DisclaimersStage",
    "boilerplate": "boilerplate:BoilerplateStage",
    "repeats": "repeats:RepeatsStage",
}


def stage_class(name: str) -> type[Stage]:
    module, cls = _REGISTRY[name].split(":")
    return getattr(importlib.import_module(f"{__name__}.{module}"), cls)


__all__ = ["Stage", "stage_class"]
