"""``entities``: find entity mentions from the entity packs and write them in
one canonical form.

``--entities canonical`` (default) rewrites a Latin-script mention to the
entity's English name, and a Chinese mention in Chinese text to its Chinese
name for the script and region of that text (or of the ``--zh-script``
target). A Chinese mention inside English text is left alone: there it is a
gloss the author chose. ``annotate`` also appends the English name after a
Chinese one (``英伟达（Nvidia）``); ``tag`` changes nothing. Every mode but
``off`` lists the mentions in ``metadata.entities``. Mentions that talk about
the name itself ("referred to as …") are never changed.

Packs of this stage may also hold ``replace`` rules for domain terms, such as
the opt-in ``translationese`` pack ("computing power" -> "compute"); they run
after the entity mentions.
"""

from __future__ import annotations

import regex

from ..document import Change
from ..ruleengine import StageRules, document_langs
from ..zh.mentions import glued, is_chinese_line, matcher_for, region_target, zh_name
from ..zh.script import script_counts
from .base import Stage

_ANNOTATED = regex.compile(r"\A\s*[（(]\s*[A-Za-z]")
_NEXT_SENTENCE = regex.compile(r"\s+[A-Z0-9\"“‘']")


class EntitiesStage(Stage):
    name = "entities"

    def __init__(self, config, rules):
        super().__init__(config, rules)
        self.applicable = StageRules(self.name, rules, config, kinds=("entity",))
        self.terms = StageRules(self.name, rules, config, kinds=("replace",))
        # term rules are opt-in (translationese): skip the scan when none is on
        self._terms_on = any(
            not r.option or getattr(config, r.option.replace("-", "_"), False) for r in self.terms.rules
        )
        self._matcher = None
        if config.entities != "off" and self.applicable:
            # compile the script character classes with the stage, not on
            # the first Chinese mention
            script_counts("")

    @property
    def matcher(self):
        if self._matcher is None:
            self._matcher = matcher_for(self.rules)
        return self._matcher

    def process(self, doc) -> None:
        if self.config.entities != "off" and self.applicable:
            self._mentions(doc, self.config.entities)
        if self._terms_on:
            self.terms.run(doc, lambda rule, changes: doc.apply(self.name, changes))

    def warnings(self):
        return self.terms.warnings()

    def _mentions(self, doc, mode: str) -> None:
        text = doc.text
        mentions = self.matcher.find(text)
        if not mentions:
            return
        langs = document_langs(doc)
        mentions = [m for m in mentions if self.applicable.applies(m.entity.rule, doc, langs)]
        changes = [] if mode == "tag" else self._rewrites(doc, mentions, mode == "annotate")
        found = []
        shift = 0
        by_start = {c.start: c for c in changes}
        for m in mentions:
            c = by_start.get(m.start)
            new = c.after if c is not None else m.surface
            name = new.split("（", 1)[0] if c is not None and c.note == "annotated" else new
            entry = {"id": m.entity.id, "span": [m.start + shift, m.start + shift + len(name)], "surface": name}
            if name != m.surface:
                entry["original"] = m.surface
            if m.named:
                entry["named"] = True
            found.append(entry)
            shift += len(new) - (m.end - m.start)
        doc.metadata["entities"] = found
        doc.apply(self.name, changes)

    def _rewrites(self, doc, mentions, annotate: bool) -> list[Change]:
        text = doc.text
        changes = []
        lines: dict[int, tuple[bool, str]] = {}  # line start -> (chinese?, target)
        for m in mentions:
            if m.named:
                continue
            if not m.han:
                name = m.entity.name("en")
                end = m.end + self.matcher.longer_name(m.entity, name, text, m.end)
                name = _with_full_stop(text, text[m.start : end], end, name)
                if name is not None and not glued(text, m.start, end, name):
                    changes.append(Change(m.start, end, name, m.entity.id))
                continue
            ls = text.rfind("\n", 0, m.start) + 1
            if ls not in lines:
                le = text.find("\n", m.start)
                lines[ls] = self._line_target(doc, text[ls : len(text) if le == -1 else le], mentions, ls)
            chinese, target = lines[ls]
            if not chinese:
                continue
            keep_regional = self.config.zh_script == "keep"
            name = zh_name(m.entity, target, m.surface, keep_regional)
            en = m.entity.name("en")
            end = m.end + self.matcher.longer_name(m.entity, name, text, m.end)
            if glued(text, m.start, end, name):
                continue
            if annotate and name != en and not _ANNOTATED.match(text, end):
                changes.append(Change(m.start, end, f"{name}（{en}）", m.entity.id, "annotated"))
            else:
                changes.append(Change(m.start, end, name, m.entity.id))
        return changes

    def _line_target(self, doc, line: str, mentions, offset: int) -> tuple[bool, str]:
        if not is_chinese_line(line, doc.lang):
            return False, ""
        if self.config.zh_script != "keep":
            return True, self.config.zh_script
        # the script of the line apart from the mentions themselves; when
        # that does not tell, the whole line, then the whole document
        s, t = script_counts(line)
        ls, lt = s, t
        for m in mentions:
            if offset <= m.start < offset + len(line) and m.han:
                ms, mt = script_counts(m.surface)
                s, t = s - ms, t - mt
        script = _script(s, t) or _lang_script(doc.lang) or _script(ls, lt) or _script(*script_counts(doc.text))
        return True, region_target(doc.lang, script)


def _script(simp: int, trad: int) -> str | None:
    return "hans" if simp > trad else "hant" if trad > simp else None


def _lang_script(lang: str | None) -> str | None:
    lang = (lang or "").lower()
    if lang.startswith("zh-hans") or lang in ("zh-cn", "zh-sg"):
        return "hans"
    if lang.startswith("zh-hant") or lang in ("zh-tw", "zh-hk", "zh-mo"):
        return "hant"
    return None


def _with_full_stop(text: str, surface: str, end: int, name: str) -> str | None:
    """The name to write for a Latin mention whose last character may also end
    the sentence ("a deal with Broadcom Inc."): at the end of a line the full
    stop stays; before a capitalised word it could be either, so the mention
    is left as written (None)."""
    if not surface.endswith(".") or name.endswith("."):
        return name
    if end == len(text) or text[end] == "\n":
        return name + "."
    if _NEXT_SENTENCE.match(text, end):
        return None
    return name

