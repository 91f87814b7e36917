"""``boilerplate``: site chrome (share bars, promos, bylines, widgets) removed
by the packs under ``rules/boilerplate/``, plus one rule that needs to look at
the whole document: date stamps repeated down a page.

Packs scope themselves to languages and sites; see "Writing a rule pack" in the
README. Everything removed stays in the edits, so ``--explain`` and
``chipclean review`` can show it.
"""

from __future__ import annotations

from collections import Counter

import regex

from ..document import Change
from ..ruleengine import LineView, StageRules, _runs, delete_lines, join_across_blanks
from .base import Stage

_MONTH = (
    r"(Jan(uary)?|Feb(ruary)?|Mar(ch)?|Apr(il)?|May|June?|July?|Aug(ust)?|"
    r"Sep(t(ember)?)?|Oct(ober)?|Nov(ember)?|Dec(ember)?)"
)
# A line that is nothing but a date (and maybe a time): "Dec.31 2025",
# "31 Dec 2025", "2025-12-31 08:00", "2025年12月31日". Bare years and
# year-month pairs are left out: timelines list those, and they are content.
STAMP = regex.compile(
    rf"^({_MONTH}\.?\s?\d{{1,2}}(st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}\s+{_MONTH}\.?,?\s+\d{{4}}"
    r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
    r"|\d{4}年\d{1,2}月\d{1,2}日)"
    r"(\s*,?\s*\d{1,2}:\d{2}(:\d{2})?(\s*[AP]M)?(\s*[A-Z]{2,4})?)?$",
    regex.IGNORECASE,
)
# the same, found anywhere in a text: a cheap first look before splitting lines
_STAMP_LINES = regex.compile(r"^[ \t]*(" + STAMP.pattern[1:-1] + r")[ \t]*$", regex.IGNORECASE | regex.MULTILINE)
#: identical date-stamp lines at least this often in one document are page chrome
STAMP_MIN_REPEATS = 3
REPEATED_STAMP = "boilerplate.repeated-stamp"
_STAMP_CHARS = 40  # longer lines are not taken for stamps


def repeated_stamps(text: str) -> list[Change]:
    """Delete date-stamp lines that occur at least three times, identically,
    in one document (a feed widget stamping every card). A single dateline is
    left alone."""
    view = LineView.of(text)
    if not _may_repeat_stamps(view):
        return []
    found = Counter(m.group(1) for m in _STAMP_LINES.finditer(text))
    if not found or max(found.values()) < STAMP_MIN_REPEATS:
        return []
    stamps = [i for i, line in enumerate(view.stripped) if line and len(line) <= _STAMP_CHARS and STAMP.match(line)]
    if len(stamps) < STAMP_MIN_REPEATS:
        return []
    counts = Counter(view.stripped[i] for i in stamps)
    hits = [i for i in stamps if counts[view.stripped[i]] >= STAMP_MIN_REPEATS]
    if not hits:
        return []
    return [delete_lines(REPEATED_STAMP, view, a, b) for a, b in join_across_blanks(view, _runs(hits))]


def _may_repeat_stamps(view: LineView) -> bool:
    """Whether some short line that is a date stamp occurs three times: what
    any deletion needs, checked on the lines instead of scanning the text."""
    seen: dict[str, int] = {}
    for line in view.stripped:
        if line and len(line) <= _STAMP_CHARS:
            seen[line] = seen.get(line, 0) + 1
    return any(n >= STAMP_MIN_REPEATS and STAMP.match(line) for line, n in seen.items())


class BoilerplateStage(Stage):
    name = "boilerplate"

    def __init__(self, config, rules):
        super().__init__(config, rules)
        self.matcher = StageRules(self.name, rules, config)
        self.stamps = REPEATED_STAMP not in rules.disabled and "boilerplate" not in rules.disabled

    def process(self, doc) -> None:
        if self.matcher:
            self.matcher.run(doc, lambda rule, changes: doc.apply(self.name, changes))
        if self.stamps:
            changes = repeated_stamps(doc.text)
            if changes:
                doc.apply(self.name, changes)

    def warnings(self):
        return self.matcher.warnings()
