"""A one-line progress display and the end-of-run summary table.

Progress is drawn on stderr only when stderr is a terminal and the run is
not ``--quiet``: logs and pipes never see carriage returns.
"""

from __future__ import annotations

import time
from typing import IO

from .pipeline import Stats

MB = 1024 * 1024


class Progress:
    """Files, documents, MB read, rate and ETA, redrawn a few times a second."""

    def __init__(self, stream: IO[str], enabled: bool, total_files: int, total_bytes: int, every: float = 0.25):
        self.stream = stream
        self.enabled = enabled
        self.total_files = total_files
        self.total_bytes = total_bytes
        self.every = every
        self.files = 0
        self.documents = 0
        self.bytes = 0
        self.t0 = time.monotonic()
        self._last = 0.0
        self._width = 0

    def advance(self, nbytes: int = 0, documents: int = 0, files: int = 0) -> None:
        self.bytes += nbytes
        self.documents += documents
        self.files += files
        if self.enabled:
            now = time.monotonic()
            if now - self._last >= self.every:
                self._last = now
                self._draw(now)

    def _draw(self, now: float) -> None:
        elapsed = max(now - self.t0, 1e-6)
        rate = self.bytes / MB / elapsed
        line = (f"{self.files}/{self.total_files} files  {self.documents:,} docs  "
                f"{self.bytes / MB:,.1f}/{self.total_bytes / MB:,.1f} MB  {rate:,.2f} MB/s")
        if rate > 0 and self.total_bytes > self.bytes:
            line += f"  ETA {_duration((self.total_bytes - self.bytes) / MB / rate)}"
        pad = max(0, self._width - len(line))
        self._width = len(line)
        self.stream.write("\r" + line + " " * pad)
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds // 60 % 60:02d}m"


def summary_table(stats: Stats, seconds: float, files: int, skipped: int = 0) -> str:
    """The end-of-run table: documents, MB in and out, edits per stage,
    languages and time."""
    rows = [
        ("files", f"{files:,}" + (f" ({skipped:,} already done, skipped)" if skipped else "")),
        ("documents", f"{stats.documents:,} ({stats.changed:,} changed, {stats.dropped:,} dropped)"),
        ("MB in / out", f"{stats.bytes_in / MB:,.2f} / {stats.bytes_out / MB:,.2f}"),
        ("time", f"{seconds:,.2f}s ({stats.bytes_in / MB / max(seconds, 1e-6):,.2f} MB/s)"),
    ]
    for stage, n in sorted(stats.edits_per_stage.items()):
        rows.append((f"edits: {stage}", f"{n:,}"))
    langs = sorted(stats.languages.items(), key=lambda kv: (-kv[1], kv[0]))
    if langs:
        shown = ", ".join(f"{lang} {n:,}" for lang, n in langs[:8])
        if len(langs) > 8:
            shown += f", +{len(langs) - 8} more"
        rows.append(("languages", shown))
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"  {k:<{width}}  {v}" for k, v in rows)
