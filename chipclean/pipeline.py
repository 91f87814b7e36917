"""The ordered stages, and the Cleaner that runs them.

``Cleaner`` is cheap to pickle: it carries only its Config and rebuilds the
compiled rule packs and stage objects lazily in each process it lands in, so it
can be shipped to worker processes or to a Ray cluster.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from .config import STAGES, Config
from .document import Document, Edit
from .rulepack import RuleSet
from .stages import Stage, stage_class


@dataclass
class Stats:
    """Counts a run accumulates; merged across files and workers."""

    documents: int = 0
    dropped: int = 0
    changed: int = 0
    bytes_in: int = 0
    bytes_out: int = 0
    edits_per_stage: Counter = field(default_factory=Counter)
    edits_per_rule: Counter = field(default_factory=Counter)
    removed_per_rule: Counter = field(default_factory=Counter)
    languages: Counter = field(default_factory=Counter)
    seconds_per_stage: Counter = field(default_factory=Counter)

    def add_document(self, doc: Document) -> None:
        self.documents += 1
        self.bytes_in += len(doc.original.encode("utf-8", "surrogatepass"))
        if doc.dropped:
            self.dropped += 1
        else:
            self.bytes_out += len(doc.text.encode("utf-8", "surrogatepass"))
        if doc.changed:
            self.changed += 1
        self.languages[doc.lang or "und"] += 1
        for e in doc.edits:
            self.edits_per_stage[e.stage] += 1
            self.edits_per_rule[e.rule] += 1
            if e.is_removal:
                self.removed_per_rule[e.rule] += 1

    def merge(self, other: "Stats") -> None:
        for name in ("documents", "dropped", "changed", "bytes_in", "bytes_out"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("edits_per_stage", "edits_per_rule", "removed_per_rule", "languages", "seconds_per_stage"):
            getattr(self, name).update(getattr(other, name))

    def to_dict(self) -> dict:
        return {
            "documents": self.documents,
            "dropped": self.dropped,
            "changed": self.changed,
            "bytes_in": self.bytes_in,
            "bytes_out": self.bytes_out,
            "edits_per_stage": dict(sorted(self.edits_per_stage.items())),
            "edits_per_rule": dict(sorted(self.edits_per_rule.items())),
            "removed_per_rule": dict(sorted(self.removed_per_rule.items())),
            "languages": dict(sorted(self.languages.items())),
            "seconds_per_stage": {k: round(v, 4) for k, v in sorted(self.seconds_per_stage.items())},
        }


@dataclass
class Result:
    """What :func:`chipclean.clean_text` returns."""

    text: str
    lang: str | None
    lang_score: float | None
    edits: list[Edit]
    metadata: dict
    dropped: str | None = None

    @property
    def changed(self) -> bool:
        return bool(self.edits)


class Cleaner:
    """Runs the configured stages over documents."""

    def __init__(self, config: Config | None = None, rules: RuleSet | None = None):
        self.config = config or Config()
        self._rules = rules
        self._stages: list[Stage] | None = None
        self.stats = Stats()

    # Only the config travels; compiled state is rebuilt where it is used.
    def __getstate__(self) -> dict:
        return {"config": self.config, "rules": None}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["config"], state.get("rules"))

    @property
    def rules(self) -> RuleSet:
        if self._rules is None:
            c = self.config
            self._rules = RuleSet.load(c.rules, default=c.default_rules, disabled=c.disable)
        return self._rules

    @property
    def stages(self) -> list[Stage]:
        if self._stages is None:
            self._stages = [stage_class(name)(self.config, self.rules) for name in STAGES if self.config.enabled(name)]
        return self._stages

    @property
    def needs_corpus_pass(self) -> bool:
        return any(s.corpus_pass for s in self.stages)

    def observe(self, docs: Iterable[Document]) -> None:
        """First pass for stages that learn from the whole corpus (``repeats``).

        A stage that sets ``observe_raw`` counts the documents as read, which
        halves the cost of the run; otherwise documents are run through the
        stages before it, so it counts lines as they will look when it sees them."""
        stages = self.stages
        idx = [i for i, s in enumerate(stages) if s.corpus_pass]
        if not idx:
            return
        last = max((i for i in idx if not getattr(stages[i], "observe_raw", False)), default=-1)
        for doc in docs:
            for i, stage in enumerate(stages):
                if stage.corpus_pass:
                    stage.observe(doc)
                elif i < last and not doc.dropped:
                    stage.process(doc)

    # -- the counting pass split across processes (see Stage.observed_state) --

    @property
    def mergeable_corpus_pass(self) -> bool:
        """Whether every corpus-pass stage can merge partial counts."""
        return all(type(s).observed_state is not Stage.observed_state for s in self.stages if s.corpus_pass)

    def observe_part(self, docs: Iterable[Document]) -> dict:
        """Observe ``docs`` with fresh corpus-pass stages and return what they
        learnt, to be merged with :meth:`merge_observed` elsewhere."""
        stages = [stage_class(s.name)(self.config, self.rules) if s.corpus_pass else s for s in self.stages]
        saved, self._stages = self._stages, stages
        try:
            self.observe(docs)
        finally:
            self._stages = saved
        return {s.name: s.observed_state() for s in stages if s.corpus_pass}

    def merge_observed(self, states: dict) -> None:
        for stage in self.stages:
            if stage.corpus_pass and stage.name in states:
                stage.merge_observed(states[stage.name])

    def corpus_state(self) -> dict:
        """The learnt state to ship to workers: merged counts when the stages
        support it, else the observed stage objects themselves."""
        corpus = [s for s in self.stages if s.corpus_pass]
        if self.mergeable_corpus_pass:
            return {"states": {s.name: s.observed_state() for s in corpus}}
        return {"objects": {s.name: s for s in corpus}}

    def load_corpus_state(self, blob: dict | None) -> None:
        if not blob:
            return
        if "states" in blob:
            self.merge_observed(blob["states"])
        else:
            objects = blob["objects"]
            self._stages = [objects.get(s.name, s) for s in self.stages]

    def clean(self, doc: Document) -> Document:
        timings = self.stats.seconds_per_stage
        for stage in self.stages:
            if doc.dropped:
                break
            t0 = time.perf_counter()
            stage.process(doc)
            timings[stage.name] += time.perf_counter() - t0
        doc.metadata["edits"] = len(doc.edits)
        doc.metadata["removed"] = doc.removed
        return doc

    def clean_stream(self, docs: Iterable[Document]) -> Iterator[Document]:
        for doc in docs:
            yield self.clean(doc)

    def warnings(self) -> list[str]:
        out: list[str] = []
        for stage in self._stages or ():
            out.extend(stage.warnings())
        return out

    def clean_text(self, text: str, *, id: str = "", source: str = "", lang: str | None = None) -> Result:
        doc = Document(text=text, id=id, source=source, lang=lang)
        self.clean(doc)
        return Result(doc.text, doc.lang, doc.lang_score, doc.edits, doc.metadata, doc.dropped)


def clean_text(text: str, **options) -> Result:
    """Clean one string with the default pipeline; options are Config fields."""
    return Cleaner(Config(**_tuples(options))).clean_text(text)


def _tuples(options: dict) -> dict:
    return {k: tuple(v) if isinstance(v, list) else v for k, v in options.items()}
