"""A repair of one stretch of a line, as the stage records it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Repair:
    start: int
    end: int
    text: str
    chain: str  # which codec chain was undone, e.g. "utf-8 read as gbk"
    lost: int = 0  # bytes that were guessed
    confidence: float = 1.0

    @property
    def note(self) -> str:
        how = self.chain
        if self.lost:
            how += f", {self.lost} lost byte{'s' if self.lost != 1 else ''} filled in"
        return f"{how}; confidence {self.confidence:.2f}"


def trimmed(line: str, fixed: str, offset: int, chain: str, lost: int = 0, confidence: float = 1.0) -> Repair:
    """A repair of ``line`` shrunk to the part that changed, so the audit shows just that."""
    i = 0
    while i < len(line) and i < len(fixed) and line[i] == fixed[i]:
        i += 1
    j = 0
    while j < len(line) - i and j < len(fixed) - i and line[-1 - j] == fixed[-1 - j]:
        j += 1
    return Repair(offset + i, offset + len(line) - j, fixed[i : len(fixed) - j], chain, lost, confidence)
