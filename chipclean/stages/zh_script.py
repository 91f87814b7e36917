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
from ..zh.script import script_counts, to_hans_chars
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
        doc_counts = script_counts(text)
        if target == "hans" and not doc_counts[1]:
            return  # nothing Traditional, and t2s must not touch Simplified text
        if target != "hans" and doc_counts[1] and not doc_counts[0]:
            return  # Traditional already
        lines = [
            (s, e)
            for s, e in line_spans(text)
            if not _NOT_CHINESE.search(text, s, e) and is_chinese_line(text[s:e], doc.lang)
        ]
        if not lines:
            return
        protected = self._mentions(doc, lines)
        pieces: list[tuple[int, int]] = []
        changes: list[Change] = []
        for s, e in lines:
            pos = s
            clauses: list[tuple[int, int]] = []
            for m in protected.get(s, ()):
                clauses.extend(_clauses(text, pos, m.start))
                changes.append(Change(m.start, m.end, self._entity_name(m, target), m.entity.id, "zh-script"))
                pos = m.end
            clauses.extend(_clauses(text, pos, e))
            line_default = None
            for a, b in clauses:
                decision = _decide(target, *script_counts(text[a:b]))
                if decision is None:  # no character tells: as the line, or the document
                    if line_default is None:
                        line_default = _decide(target, *script_counts(text[s:e]))
                        if line_default is None:
                            line_default = _decide(target, *doc_counts) or (target != "hans" and "convert")
                    decision = line_default
                if decision == "convert":
                    pieces.append((a, b))
                elif decision == "chars":
                    clause = text[a:b]
                    changes.extend(_diff(a, clause, to_hans_chars(clause), "zh-script.chars"))
        config_name = TARGETS[target]
        sources = [text[a:b] for a, b in pieces]
        converted = convert(config_name, "\n".join(sources)).split("\n") if sources else []
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


def _decide(target: str, simp: int, trad: int):
    """What to do with a stretch of text with these script counts:
    ``convert`` it with OpenCC, map only its ``chars`` of the other script
    one by one, leave it alone (False), or None when no character tells.

    Mixed text converts when the other script has at least half; for a
    Simplified target a Traditional minority is mapped character by character,
    since ``t2s`` damages Simplified words (破坏 -> 破坯)."""
    if not simp and not trad:
        return None
    if target == "hans":
        if trad >= simp:
            return "convert"
        return "chars" if trad else False
    return "convert" if simp else False


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
