"""The record of finished inputs that makes a run into a folder resumable.

After each input's output has been renamed into place, one JSON line is
appended to ``OUTDIR/.chipclean-manifest.jsonl``: the input's path, size and
modification time, and a hash of everything that shapes the output (the
options, the rule packs' contents and the chipclean version). A re-run skips
inputs whose line still matches. An interrupted run loses at most the input
it was working on, whose output was never renamed into place; a torn last
manifest line is ignored.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

NAME = ".chipclean-manifest.jsonl"
TMP_SUFFIX = ".chipclean-tmp"


def options_hash(config, rules) -> str:
    from . import __version__

    h = hashlib.sha256()
    h.update(__version__.encode())
    h.update(config.fingerprint().encode())
    for path in sorted({str(p.path) for p in getattr(rules, "packs", ()) if getattr(p, "path", None)}):
        h.update(path.encode())
        try:
            h.update(Path(path).read_bytes())
        except OSError:
            pass
    return h.hexdigest()[:16]


@dataclass(frozen=True)
class Stamp:
    path: str
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: str) -> "Stamp | None":
        try:
            st = os.stat(path)
        except OSError:
            return None
        return cls(os.path.abspath(path), st.st_size, st.st_mtime_ns)


class Manifest:
    def __init__(self, outdir: str, options: str):
        self.path = os.path.join(outdir, NAME)
        self.options = options
        self.done: dict[str, dict] = {}
        try:
            with open(self.path, encoding="utf-8") as fh:
                for line in fh:
                    try:
                        entry = json.loads(line)
                        self.done[entry["path"]] = entry
                    except (ValueError, KeyError, TypeError):
                        continue  # a line torn by an interrupted write
        except OSError:
            pass

    def is_done(self, path: str, target: str | None) -> bool:
        stamp = Stamp.of(path)
        entry = self.done.get(stamp.path) if stamp else None
        if entry is None:
            return False
        if (entry.get("size"), entry.get("mtime_ns"), entry.get("options")) != (stamp.size, stamp.mtime_ns, self.options):
            return False
        output = entry.get("output")
        return output is None or (target is not None and os.path.exists(target))

    def record(self, path: str, target: str | None, written: bool) -> None:
        stamp = Stamp.of(path)
        if stamp is None:
            return
        entry = {"path": stamp.path, "size": stamp.size, "mtime_ns": stamp.mtime_ns, "options": self.options,
                 "output": target if written else None}
        os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        self.done[stamp.path] = entry


def sweep_temporaries(outdir: str) -> int:
    """Remove temporary files a killed run left in ``outdir``: they never
    carry a finished output's name, but they take space."""
    removed = 0
    for dirpath, _, filenames in os.walk(outdir):
        for name in filenames:
            if name.startswith(".") and name.endswith(TMP_SUFFIX):
                try:
                    os.unlink(os.path.join(dirpath, name))
                    removed += 1
                except OSError:
                    pass
    return removed
