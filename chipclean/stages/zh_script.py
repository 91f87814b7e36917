"""``zh-script``: convert Chinese text between scripts with OpenCC.

Runs only when ``--zh-script`` names a target, and only on Chinese lines
written in the other script: OpenCC's ``t2s`` still changes text that is
Simplified already (破坏 -> 破坯). Entity mentions found by the entity packs
never go through OpenCC (``s2t`` would turn 台积电 into 臺積電 and ``t2s`` 昇腾
into 升腾); they are written in the target's canonical form instead, or, when
entities are not being canonicalised, as the same name in the target script.
Each converted clause is diffed against its source so the audit shows the
characters and phrases that changed, not whole paragraphs.
"""

from __future__ import annotations

import bisect
import difflib

import regex

from ..document import Change, line_spans
from ..ruleengine import StageRules, document_langs
from ..zh.convert import TARGETS, convert
from ..zh.mentions import is_chinese_line, matcher_for, zh_name
from ..zh.script import needs_conversion, other_script_pattern, script_counts
from .base import Stage

_NOT_CHINESE = regex.compile(r"[\p{Hiragana}\p{Katakana}\p{Hangul}]")
# OpenCC phrases never span these, so clauses convert independently
_CLAUSE_END = regex.compile(r"[，。！？；：、,.!?;:]")
_SCRIPT_OF_TARGET = {"hans": "hans", "hant": "hant", "tw": "tw", "twp": "tw", "hk": "hk"}


class ZhScriptStage(Stage):
    name = "zh-script"

    def process(self, doc) -> None:
        target = self.config.zh_script
        if target == "keep" or (doc.lang or "zh").split("-")[0] in ("ja", "ko"):
            return
        text = doc.text
        other = other_script_pattern(target)
        if other.search(text) is None:
            return
        lines = [
            (s, e)
            for s, e in line_spans(text)
            if other.search(text, s, e)
            and not _NOT_CHINESE.search(text, s, e)
            and is_chinese_line(text[s:e])
            and needs_conversion(target, *script_counts(text[s:e]))
        ]
        if not lines:
            return
        config_name = TARGETS[target]
        protected = self._mentions(doc, lines)
        pieces: list[tuple[int, int]] = []
        changes: list[Change] = []
        for s, e in lines:
            pos = s
            for m in protected.get(s, ()):
                pieces.extend(_clauses(text, pos, m.start))
                changes.append(Change(m.start, m.end, self._entity_name(m, target), m.entity.id, "zh-script"))
                pos = m.end
            pieces.extend(_clauses(text, pos, e))
        sources = [text[a:b] for a, b in pieces]
        converted = convert(config_name, "\n".join(sources)).split("\n")
        if len(converted) != len(sources):
            converted = [convert(config_name, src) for src in sources]
        rule = f"zh-script.{config_name}"
        for (a, _), src, out in zip(pieces, sources, converted):
            if src != out:
                changes.extend(_diff(a, src, out, rule))
        doc.apply(self.name, changes)

    def _mentions(self, doc, lines):
        """Chinese-script entity mentions in the lines to convert, by line start."""
        matcher = matcher_for(self.rules)
        if not matcher:
            return {}
        text = doc.text
        applicable = StageRules("entities", self.rules, self.config, kinds=("entity",))
        langs = document_langs(doc)
        starts = [s for s, _ in lines]
        ends = {s: e for s, e in lines}
        out: dict[int, list] = {}
        for m in matcher.find(text):
            if not m.han:
                continue
            i = bisect.bisect_right(starts, m.start) - 1
            if i < 0 or m.end > ends[starts[i]]:
                continue
            if not applicable.applies(m.entity.rule, doc, langs):
                continue
            out.setdefault(starts[i], []).append(m)
        return out

    def _entity_name(self, m, target: str) -> str:
        c = self.config
        if not m.named and c.entities in ("canonical", "annotate") and c.enabled("entities"):
            return zh_name(m.entity, target, m.surface)
        return matcher_for(self.rules).script_form(m.surface, _SCRIPT_OF_TARGET[target])


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    pos = start
    for m in _CLAUSE_END.finditer(text, start, end):
        out.append((pos, m.end()))
        pos = m.end()
    if pos < end:
        out.append((pos, end))
    # a line's own newline is not converted
    if out and text[out[-1][1] - 1 : out[-1][1]] == "\n":
        a, b = out[-1]
        out[-1] = (a, b - 1)
    return [(a, b) for a, b in out if b > a]


def _diff(start: int, old: str, new: str, rule: str) -> list[Change]:
    if len(old) == len(new):
        changes = []
        i, n = 0, len(old)
        while i < n:
            if old[i] == new[i]:
                i += 1
                continue
            j = i + 1
            while j < n and old[j] != new[j]:
                j += 1
            changes.append(Change(start + i, start + j, new[i:j], rule))
            i = j
        return changes
    ops = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    return [Change(start + i1, start + i2, new[j1:j2], rule) for tag, i1, i2, j1, j2 in ops if tag != "equal"]
