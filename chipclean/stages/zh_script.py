"""``zh-script``: convert Chinese text between scripts with OpenCC.

Runs only when ``--zh-script`` names a target, and only on Chinese lines
written in the other script: OpenCC's ``t2s`` still changes text that is
Simplified already (破坏 -> 破坯). Entity mentions found by the entity packs
never go through OpenCC (``s2t`` would turn 台积电 into 臺積電 and ``t2s`` 昇腾
into 升腾); they are written in the target's canonical form instead, or, when
entities are not being canonicalised, as the same name in the target script.
Each converted sentence is one edit, trimmed to the part that changed.
"""

from __future__ import annotations

import bisect
import re
from itertools import accumulate, compress
from operator import ne

from ..document import Change
from ..ruleengine import StageRules, document_langs
from ..zh.convert import TARGETS, convert
from ..zh.mentions import glued, is_chinese_line, matcher_for, zh_name
from ..zh.script import HAN, script_counts, script_presence, to_hans_chars
from .base import Stage

# Japanese kana and Korean hangul: such lines are not Chinese
_NOT_CHINESE = re.compile("[\u3040-\u30ff\u31f0-\u31ff\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_LATIN = re.compile("[A-Za-z]")
# OpenCC phrases never span sentence or clause punctuation, so sentences (and,
# in mixed lines, clauses) convert independently
_SENTENCE = re.compile(r"[^。！？!?；;]+[。！？!?；;]*|[。！？!?；;]+")
_CLAUSE = re.compile(r"[^，。！？；：、,.!?;:]+[，。！？；：、,.!?;:]*|[，。！？；：、,.!?;:]+")
_SCRIPT_OF_TARGET = {"hans": "hans", "hant": "hant", "tw": "tw", "twp": "tw", "hk": "hk"}


class ZhScriptStage(Stage):
    name = "zh-script"

    def __init__(self, config, rules):
        super().__init__(config, rules)
        self._applicable = None

    def process(self, doc) -> None:
        target = self.config.zh_script
        if target == "keep" or (doc.lang or "zh").split("-")[0] in ("ja", "ko"):
            return
        text = doc.text
        has_simp, has_trad = script_presence(text)
        if target == "hans" and not has_trad:
            return  # nothing Traditional, and t2s must not touch Simplified text
        if target != "hans" and has_trad and not has_simp:
            return  # Traditional already
        # a document with no character of the target script (the usual case)
        # converts every Chinese line whole, without counting line by line
        pure = not (has_simp if target == "hans" else has_trad)
        doc_default = None  # what a line whose characters do not tell the script gets
        foreign = _NOT_CHINESE.search(text) is not None
        lines = []  # (start, end, decision for a line decided clause by clause, or None)
        pos = 0
        for line in text.split("\n"):
            s, pos = pos, pos + len(line) + 1
            if not HAN.search(line) or (foreign and _NOT_CHINESE.search(line)):
                continue
            if _LATIN.search(line) and not is_chinese_line(line, doc.lang):
                continue
            if pure:
                lines.append((s, s + len(line), None))
                continue
            decision = _decide(target, *script_counts(line))
            if decision is None:
                if doc_default is None:
                    doc_default = _decide(target, *script_counts(text)) or (target != "hans" and "convert")
                decision = doc_default
            if decision:
                # a line with characters of both scripts is decided clause by clause
                by_clause = decision != "convert" or _mixed(target, line)
                lines.append((s, s + len(line), decision if by_clause else None))
        if not lines:
            return
        protected = self._mentions(doc, lines)
        # the sentences and clauses to convert, and where each starts
        sources: list[str] = []
        starts: list[int] = []
        changes: list[Change] = []
        for s, e, line_decision in lines:
            segments, pos = [], s
            for m in protected.get(s, ()):
                segments.append((pos, m.start))
                name = self._entity_name(m, target)
                if glued(text, m.start, m.end, name):
                    name = matcher_for(self.rules).script_form(m.surface, _SCRIPT_OF_TARGET[target])
                changes.append(Change(m.start, m.end, name, m.entity.id, "zh-script"))
                pos = m.end
            segments.append((pos, e))
            for a, b in segments:
                if line_decision is None:
                    # the sentences cover the segment end to end
                    parts = _SENTENCE.findall(text, a, b)
                    if parts:
                        sources += parts
                        starts += accumulate(map(len, parts[:-1]), initial=a)
                    continue
                for m in _CLAUSE.finditer(text, a, b):
                    decision = _decide(target, *script_counts(m.group()))
                    if decision is None:
                        decision = line_decision
                    if decision == "convert":
                        sources.append(m.group())
                        starts.append(m.start())
                    elif decision == "chars":
                        change = _change(m.start(), m.group(), to_hans_chars(m.group()), "zh-script.chars")
                        if change:
                            changes.append(change)
        if sources:
            # one OpenCC call for the whole document; a newline between
            # sentences keeps each one's conversion its own
            config_name = TARGETS[target]
            joined = "\n".join(sources)
            out = convert(config_name, joined)
            converted = out.split("\n")
            if len(converted) != len(sources):
                converted = [convert(config_name, src) for src in sources]
            changes += _trimmed(sources, converted, starts, joined, out, f"zh-script.{config_name}")
        doc.apply(self.name, changes)

    def _mentions(self, doc, lines):
        """Chinese-script entity mentions in the lines to convert, by line start."""
        matcher = matcher_for(self.rules)
        if not matcher:
            return {}
        text = doc.text
        if self._applicable is None:
            self._applicable = StageRules("entities", self.rules, self.config, kinds=("entity",))
        applicable = self._applicable
        langs = document_langs(doc)
        starts = [s for s, _, _ in lines]
        ends = {s: e for s, e, _ in lines}
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


def _mixed(target: str, line: str) -> bool:
    """Whether a line to convert also has characters of the target script."""
    simp, trad = script_counts(line)
    return bool(simp if target == "hans" else trad)


#: bytes -> 1 for any non-zero byte
_NONZERO = bytes([0] + [1] * 255)


def _trimmed(sources, converted, starts, joined, out, rule) -> list[Change]:
    """One change for each converted piece that differs, trimmed to the part
    that differs. When every piece keeps its length (nearly always), one XOR
    of the whole document before and after marks the changed characters, and
    each change is found at C speed instead of character by character."""
    changed = list(compress(range(len(sources)), map(ne, sources, converted)))
    if not changed:
        return []
    if len(out) != len(joined) or list(map(len, converted)) != list(map(len, sources)):
        return [_change(starts[i], sources[i], converted[i], rule) for i in changed]
    a = joined.encode("utf-32-le", "surrogatepass")
    b = out.encode("utf-32-le", "surrogatepass")
    mask = (int.from_bytes(a, "little") ^ int.from_bytes(b, "little")).to_bytes(len(a), "little").translate(_NONZERO)
    offsets = list(accumulate(map(len, sources), initial=0))
    found, rfound = mask.find, mask.rfind
    result = []
    for i in changed:
        j = offsets[i] + i  # where the piece starts in the joined text
        k = j + len(sources[i])
        head = (found(1, 4 * j, 4 * k) >> 2) - j
        end = (rfound(1, 4 * j, 4 * k) >> 2) - j + 1
        start = starts[i]
        result.append(Change(start + head, start + end, converted[i][head:end], rule))
    return result


def _change(start: int, old: str, new: str, rule: str) -> Change | None:
    """One change for a converted sentence, trimmed to the part that differs."""
    if old == new:
        return None
    n = min(len(old), len(new))
    head = 0
    while head < n and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < n - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    return Change(start + head, start + len(old) - tail, new[head : len(new) - tail], rule)
