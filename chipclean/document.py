"""The one record that flows through every stage, and the edits made to it.

A stage never assigns ``doc.text`` directly: it hands a list of :class:`Change`
objects to :meth:`Document.apply`, which rewrites the text in one pass and
records an :class:`Edit` for each change. That single record feeds ``--diff``,
``--explain``, ``--audit`` and ``--report``, so nothing a stage removes is lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, Iterable


@dataclass(frozen=True, slots=True)
class Change:
    """A replacement a stage wants to make, in the coordinates of its input."""

    start: int
    end: int
    after: str
    rule: str
    note: str = ""


@dataclass(slots=True)
class Edit:
    """A change as it was applied: which stage and rule, where, and the text."""

    stage: str
    rule: str
    start: int  # offset in the text the stage received
    end: int
    line: int  # 1-based line of ``start`` in the text the stage received
    before: str
    after: str
    note: str = ""
    # for removals: the nearest non-blank line before and after, so that a
    # reviewer can judge the removal without the document at hand
    context: tuple[str, str] | None = None

    @property
    def is_removal(self) -> bool:
        # most edits write something: test that first
        return not self.after.strip() and bool(self.before.strip())

    def to_dict(self) -> dict[str, Any]:
        d = {
            "stage": self.stage,
            "rule": self.rule,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "before": self.before,
            "after": self.after,
        }
        if self.note:
            d["note"] = self.note
        if self.context is not None:
            d["context"] = list(self.context)
        return d


@dataclass(slots=True)
class Document:
    text: str
    id: str = ""
    source: str = ""  # where it came from: a path, a URL or a source field
    original: str | None = None
    lang: str | None = None
    lang_score: float | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    edits: list[Edit] = field(default_factory=list)
    dropped: str | None = None  # reason, when a filter rejected the document

    def __post_init__(self) -> None:
        if self.original is None:
            self.original = self.text

    @property
    def removed(self) -> int:
        return sum(1 for e in self.edits if e.is_removal)

    @property
    def changed(self) -> bool:
        return self.text != self.original

    def apply(self, stage: str, changes: Iterable[Change]) -> int:
        """Apply non-overlapping changes in one pass and record them as edits.

        Changes are sorted by position; one that overlaps an earlier accepted
        change is ignored, so stages may propose freely. Returns the number of
        edits recorded. No-op changes are not recorded.
        """
        text = self.text
        ordered = sorted(changes, key=_POSITION)
        if not ordered:
            return 0
        parts: list[str] = []
        pos = 0
        count = 0
        # 1-based line of each change: newlines counted up to it, picking up
        # where the previous change left off (changes come sorted)
        line, counted = 1, 0
        n, edits = len(text), self.edits
        for ch in ordered:
            start, end, after = ch.start, ch.end, ch.after  # read once: stages send thousands
            if start < pos or end < start or end > n:
                continue
            before = text[start:end]
            if before == after:
                continue
            parts.append(text[pos:start])
            parts.append(after)
            pos = end
            line += text.count("\n", counted, start)
            counted = start
            context = _context(text, start, end) if before.strip() and not after.strip() else None
            edits.append(Edit(stage, ch.rule, start, end, line, before, after, ch.note, context))
            count += 1
        if count:
            parts.append(text[pos:])
            self.text = "".join(parts)
        return count

    def edits_by(self, stage: str) -> list[Edit]:
        return [e for e in self.edits if e.stage == stage]


_POSITION = attrgetter("start", "end")

CONTEXT_CHARS = 200


def _context(text: str, start: int, end: int) -> tuple[str, str]:
    """The nearest non-blank line before ``start`` and after ``end``."""
    before = ""
    pos = start
    while pos > 0 and not before:
        s = text.rfind("\n", 0, pos - 1) + 1
        before = text[s:pos].strip()
        pos = s
    after = ""
    pos = end
    while pos < len(text) and not after:
        e = text.find("\n", pos)
        e = len(text) if e == -1 else e + 1
        after = text[pos:e].strip()
        pos = e
    return before[-CONTEXT_CHARS:], after[:CONTEXT_CHARS]


def line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line, ``end`` including its newline if any."""
    spans = []
    pos = 0
    n = len(text)
    while pos < n:
        nl = text.find("\n", pos)
        end = n if nl == -1 else nl + 1
        spans.append((pos, end))
        pos = end
    return spans
