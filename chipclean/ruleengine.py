"""Run the generic rule kinds (replace, delete-line, delete-block) on a document.

Most documents match no rule at all, so a stage must decide cheaply which of
its rules can fire. Line rules (delete-line, delete-block) are decided line by
line: each distinct line gets a verdict, the rules whose pattern or literals
match it, computed once with one combined pattern (most line rules are
anchored at the line start, and most lines are longer than what a guarded rule
may delete) and remembered, since chrome lines recur in document after
document. A rule then only looks at the lines its verdicts name. Rules that
can match anywhere in the text are gated by literals every match must contain
(``prefilter``) or found with one combined scan. Every regex call carries a
timeout, so a rule that backtracks catastrophically is stopped, named in a
warning and skipped for that document.
"""

from __future__ import annotations

import bisect
from itertools import accumulate, compress, count, repeat
from operator import is_
from typing import Callable, Iterable

import regex

from .document import Change, Document
from .prefilter import first_atoms, gate, whole_match_chars
from .rulepack import LINE_KINDS, Rule, RuleSet, lang_matches

# Patterns with back-references can't be combined into one alternation without
# renumbering groups; they are scanned on their own instead.
_BACKREF = regex.compile(r"\\[1-9]|\(\?P=|\\g<")
class RuleTimeout(Exception):
    def __init__(self, rule: Rule):
        self.rule = rule
        super().__init__(rule.id)


class LineView:
    """The lines of a text, computed once per version of the text.
    Read-only: views are shared."""

    __slots__ = ("text", "stripped", "_lines", "_spans", "_joined", "_starts")

    def __init__(self, text: str, stripped: list[str], lines: list[str] | None = None):
        self.text = text
        self.stripped = stripped
        self._lines = lines  # the unstripped lines, kept for the spans
        self._spans: list[tuple[int, int]] | None = None
        self._joined: str | None = None
        self._starts: list[int] | None = None

    @classmethod
    def of(cls, text: str) -> "LineView":
        # The same text is viewed by the candidate scan, by each candidate
        # rule and by the next stage when nothing changed it: keep the last
        # view (strings are immutable, so the same object means the same text).
        last = _LAST_VIEW[0]
        if last is not None and last.text is text:
            return last
        view = cls._build(text)
        _LAST_VIEW[0] = view
        return view

    @classmethod
    def _build(cls, text: str) -> "LineView":
        lines = text.split("\n")
        if lines[-1] == "":
            lines.pop()  # a final newline ends the last line; it opens no new one
        return cls(text, [line.strip() for line in lines], lines)

    @property
    def spans(self) -> list[tuple[int, int]]:
        """(start, end) of each line, ``end`` including its newline if any;
        only documents that change need them."""
        if self._spans is None:
            text = self.text
            lines = self._lines if self._lines is not None else text.split("\n")[: len(self.stripped)]
            ends = list(accumulate(map(_PLUS_ONE, map(len, lines))))
            if ends and ends[-1] > len(text):
                ends[-1] = len(text)  # the last line has no newline
            self._spans = list(zip([0, *ends[:-1]], ends))
        return self._spans

    @property
    def joined(self) -> str:
        """The stripped lines joined by "\\n", for one combined scan."""
        if self._joined is None:
            self._joined = "\n".join(self.stripped)
        return self._joined

    @property
    def joined_starts(self) -> list[int]:
        if self._starts is None:
            self._starts = [0, *accumulate(map(_PLUS_ONE, map(len, self.stripped[:-1])))] if self.stripped else []
        return self._starts

    def line_at(self, joined_pos: int) -> int:
        return bisect.bisect_right(self.joined_starts, joined_pos) - 1

    def is_blank(self, i: int) -> bool:
        return not self.stripped[i]


_LAST_VIEW: list[LineView | None] = [None]
_PLUS_ONE = (1).__add__


def document_langs(doc: Document) -> list[str] | None:
    """Languages present in a document, or None when nobody tagged it."""
    if doc.lang is None:
        return None
    langs = [doc.lang]
    langs.extend(doc.metadata.get("langs", ()))
    return langs


class StageRules:
    """The compiled rules of one stage, and the machinery to run them.

    Line rules whose matches a line verdict can name exactly are *planned*:
    rules made of literals, rules anchored at the line start, and rules with
    a ``line_max_chars`` guard (tried only on lines that short). The others
    (replace rules, unanchored line rules without a length guard) are found
    per document by literal gates and combined scans, then run on the whole
    text as before.
    """

    def __init__(self, stage: str, rules: RuleSet, config, kinds: Iterable[str] = ("replace", *LINE_KINDS)):
        self.stage = stage
        self.config = config
        self.timeout = config.regex_timeout
        self.packs = {p.id: p for p in rules.packs_for(stage)}
        kinds = set(kinds)
        self.rules = [r for r in rules.rules_for(stage) if r.kind in kinds]
        self.order = {r.id: i for i, r in enumerate(self.rules)}
        self.by_group: dict[str, Rule] = {}
        self.line_solo: list[Rule] = []
        self.text_solo: list[Rule] = []
        line_parts, text_parts = [], []
        self.literal_gated: list[tuple[Rule, Callable[[str], object]]] = []
        self.literal_exact: dict[str, list[Rule]] = {}
        self.literal_fold: dict[str, list[Rule]] = {}
        # planned rules, by index in self.rules
        self.planned: set[int] = set()
        self.anchored: list[tuple[float, int, Rule, _FirstChar | None]] = []
        self.line_checks: list[tuple[float, int, Rule]] = []  # tried one by one
        self.planned_exact: dict[str, list[tuple[int, float]]] = {}
        self.planned_fold: dict[str, list[tuple[int, float]]] = {}
        for i, rule in enumerate(self.rules):
            if not self._enabled(rule):
                continue  # an opt-in rule that is off costs nothing to scan for
            limit = rule.guard.get("line_max_chars") or _NO_LIMIT
            is_line = rule.kind in LINE_KINDS
            backref = rule.pattern is not None and bool(_BACKREF.search(rule.pattern_text))
            anchored = rule.pattern is not None and _anchored(rule.pattern_text)
            if is_line and not backref and (rule.pattern is None or anchored or limit != _NO_LIMIT):
                self.planned.add(i)
                if rule.literals:
                    table = self.planned_fold if rule.ignore_case else self.planned_exact
                    for lit in rule.literals:
                        table.setdefault(lit, []).append((i, limit))
                if rule.pattern is not None:
                    if anchored:
                        self.anchored.append((_line_chars(rule, limit), i, rule, _FirstChar.of(rule)))
                    else:
                        self.line_checks.append((limit, i, rule))
                continue
            if rule.literals:
                table = self.literal_fold if rule.ignore_case else self.literal_exact
                for lit in rule.literals:
                    table.setdefault(lit, []).append(rule)
            if rule.pattern is None:
                continue
            solo = self.line_solo if is_line else self.text_solo
            parts = line_parts if is_line else text_parts
            if backref:
                solo.append(rule)
                continue
            test = gate(rule.pattern_text, rule.ignore_case)
            if test is not None:
                # regex would try an unanchored pattern at every character; a
                # substring test says cheaply whether it can match at all
                self.literal_gated.append((rule, test))
            else:
                parts.append(self._part(i, rule))
        self.line_combined = _combine(line_parts)
        # Anchored rules are tried on a line one by one, but only those whose
        # line_max_chars it fits and that can start with its first character
        # (remembered per character): a line rarely leaves more than a few.
        self._by_first: dict[str, _Bucket] = {}
        # first characters: literal ones looked up (case-folded for rules that
        # ignore case), classes tried with the regex engine
        self._first_exact: dict[str, list[int]] = {}
        self._first_fold: dict[str, list[int]] = {}
        self._first_other: list[tuple[int, object]] = []  # (position, classes or None: any)
        self._buckets: dict[tuple[int, ...], _Bucket] = {}  # first characters with the same rules share one
        for pos, (_, _, _, first) in enumerate(self.anchored):
            if first is None or first.classes is not None:
                self._first_other.append((pos, first and first.classes))
            if first is not None:
                table = self._first_fold if first.folded else self._first_exact
                for c in first.chars:
                    table.setdefault(c, []).append(pos)
        self.text_combined = _combine(text_parts)
        self._checks_max = max((limit for limit, _, _ in self.line_checks), default=-1)
        self.literal_max = max(map(len, [*self.planned_exact, *self.planned_fold]), default=-1)
        self._warnings: list[str] = []
        self._verdicts: dict[str, tuple[int, ...]] = {"": ()}  # a blank line matches nothing

    def _part(self, i: int, rule: Rule) -> str:
        name = f"_cc{i}"
        self.by_group[name] = rule
        flags = "(?i)" if rule.ignore_case else ""
        return f"(?P<{name}>{flags and '(?i:'}{rule.pattern_text}{flags and ')'})"

    def __bool__(self) -> bool:
        return bool(self.rules)

    def warnings(self) -> list[str]:
        out, self._warnings = self._warnings, []
        return out

    # -- which rules apply to a document ------------------------------------

    def _enabled(self, rule: Rule) -> bool:
        return not rule.option or bool(getattr(self.config, rule.option.replace("-", "_"), False))

    def applies(self, rule: Rule, doc: Document, langs: list[str] | None, scoped: dict | None = None) -> bool:
        if not self._enabled(rule):
            return False
        pack = self.packs[rule.pack]
        if langs is not None:
            if not lang_matches(pack.languages, langs) or not lang_matches(rule.languages, langs):
                return False
        if not pack.scoped:
            return True
        if scoped is not None and pack.id in scoped:
            return scoped[pack.id]
        found = pack.in_scope(doc.source, doc.metadata.get("path", ""), doc.text)
        if scoped is not None:
            scoped[pack.id] = found
        return found

    def candidates(self, doc: Document) -> list[Rule]:
        """Rules that can fire on this document, in pack order."""
        view = LineView.of(doc.text)
        try:
            hits = self._line_hits(view, {})
            found = set(hits) | self._unplanned_hits(doc.text, view)
        except TimeoutError:
            found = set(range(len(self.rules)))
        return self._in_scope(doc, found)

    def _in_scope(self, doc: Document, found: set[int]) -> list[Rule]:
        if not found:
            return []
        langs = document_langs(doc)
        scoped: dict[str, bool] = {}
        rules = self.rules
        return [rules[i] for i in sorted(found) if self.applies(rules[i], doc, langs, scoped)]

    # -- line verdicts (planned rules) ----------------------------------------

    def _line_hits(self, view: LineView, local: dict[str, tuple[int, ...]]) -> dict[int, list[int]]:
        """For each planned rule that matches some line, the lines it matches
        (pattern or literal, within its line_max_chars). ``local`` remembers
        the verdicts of long lines for the rest of one document."""
        cache = self._verdicts
        stripped = view.stripped
        # most lines (blank ones included) were seen before: look them all up
        # at once, and compute the verdicts of the others one by one
        verdicts = list(map(cache.get, stripped))
        for j in compress(count(), map(is_, verdicts, repeat(None))):
            line = stripped[j]
            if len(line) > _CACHED_LINE_CHARS:
                found = local.get(line)
                if found is None:
                    found = local[line] = self._verdict(line)
            else:
                found = cache.get(line)
                if found is None:
                    found = self._verdict(line)
                    if len(cache) >= _LINE_CACHE:
                        cache.clear()
                        cache[""] = ()
                    cache[line] = found
            verdicts[j] = found
        hits: dict[int, list[int]] = {}
        for j in compress(count(), verdicts):
            for i in verdicts[j]:
                if i in hits:
                    hits[i].append(j)
                else:
                    hits[i] = [j]
        return hits

    def _verdict(self, line: str) -> tuple[int, ...]:
        """The planned rules that match this (stripped, non-blank) line."""
        n = len(line)
        out: list[int] = []
        # regex parses keyword arguments slowly (more than a match that fails
        # at the first characters costs): the timeout goes by position, after
        # pos, endpos, concurrent and partial
        timeout = self.timeout
        bucket = self._by_first.get(line[0])
        if bucket is None:
            bucket = self._starting_with(line[0])
        # an anchored pattern can only match where the (single) line starts;
        # the rules a line fits come first in its bucket
        for i, match in bucket.matches[: bisect.bisect_right(bucket.neg_limits, -n)]:
            if match(line, 0, None, None, False, timeout):
                out.append(i)
        if n <= self._checks_max:
            for limit, i, rule in self.line_checks:
                if limit >= n and rule.pattern.search(line, 0, None, None, False, timeout):
                    out.append(i)
        # casefold() never shortens a text: a longer line equals no literal
        if n <= self.literal_max:
            for i, limit in self.planned_exact.get(line, ()):
                if limit >= n:
                    out.append(i)
            if self.planned_fold:
                for i, limit in self.planned_fold.get(line.casefold(), ()):
                    if limit >= n:
                        out.append(i)
        if not out:
            return ()
        return tuple(sorted(set(out)))

    def _starting_with(self, c: str) -> "_Bucket":
        if len(self._by_first) >= _LINE_CACHE:
            self._by_first.clear()
        # only ASCII letters (and "İ", "K", "ſ") match a lowercase ASCII letter
        # ignoring case, and case-fold to it
        picked = {*self._first_exact.get(c, ()), *self._first_fold.get(c.casefold()[:1], ())}
        for pos, classes in self._first_other:
            if classes is None or classes.match(c):
                picked.add(pos)
        key = tuple(sorted(picked))
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(tuple(self.anchored[pos][:3] for pos in key))
        self._by_first[c] = bucket
        return bucket

    # -- rules found per document (unplanned) -------------------------------

    def _unplanned_hits(self, text: str, view: LineView) -> set[int]:
        hit: set[str] = set()
        if self.line_combined is not None:
            self._scan(self.line_combined, view.joined, hit, lines=True)
        self._scan(self.text_combined, text, hit)
        for rule in self.line_solo + self.text_solo:
            hit.add(rule.id)
        for rule, test in self.literal_gated:
            if test(text):
                hit.add(rule.id)
        if self.literal_exact or self.literal_fold:
            for line in view.stripped:
                for rule in self.literal_exact.get(line, ()):
                    hit.add(rule.id)
                if self.literal_fold:
                    for rule in self.literal_fold.get(line.casefold(), ()):
                        hit.add(rule.id)
        return {self.order[h] for h in hit}

    def _scan(self, pattern, text: str, hit: set[str], lines: bool = False) -> None:
        if pattern is None:
            return
        for m in pattern.finditer(text, timeout=self.timeout * 2):
            if lines:
                self._hit_line(m, text, hit)
            else:
                hit.add(self._rule_of(m).id)

    def _hit_line(self, m, joined: str, hit: set[str]) -> None:
        start = joined.rfind("\n", 0, m.start()) + 1
        end = joined.find("\n", m.start())
        hit.update(self._line_rules(m, joined[start : len(joined) if end == -1 else end], hit))

    def _line_rules(self, m, line: str, known: set[str] = frozenset()) -> list[str]:
        """An alternation reports one rule per match, but other line rules may
        match the same line, and the reported one may be out of scope for the
        document (a site pack): try each on that line. Lines that match
        anything are few, so this costs little."""
        first = self._rule_of(m).id
        out = [first]
        timeout = self.timeout
        for other in self.by_group.values():
            if (other.id != first and other.id not in known and other.kind in LINE_KINDS
                    and other.pattern.search(line, timeout=timeout)):
                out.append(other.id)
        return out

    def _rule_of(self, m) -> Rule:
        name = m.lastgroup
        rule = self.by_group.get(name) if name else None
        if rule is None:  # a group inside the rule's own pattern closed last
            rule = next(self.by_group[g] for g, v in m.groupdict().items() if v is not None and g in self.by_group)
        return rule

    # -- running ------------------------------------------------------------

    def run(self, doc: Document, handle: Callable[[Rule, list[Change]], None]) -> None:
        """Compute each candidate rule's changes on the current text and pass
        them to ``handle`` (which usually applies them)."""
        view = LineView.of(doc.text)
        local: dict[str, tuple[int, ...]] = {}
        try:
            hits: dict[int, list[int]] | None = self._line_hits(view, local)
            found = set(hits) | self._unplanned_hits(doc.text, view)
        except TimeoutError:
            # a combined pattern ran out of time: run every rule on its own,
            # so that the one responsible is named
            hits, found = None, set(range(len(self.rules)))
        state = [view, hits]

        def changes(rule: Rule) -> list[Change]:
            i = self.order[rule.id]
            view, hits = state
            if hits is not None and i in self.planned and view.text is not doc.text:
                view = LineView.of(doc.text)  # an earlier rule changed the text
                try:
                    hits = self._line_hits(view, local)
                except TimeoutError:
                    hits = None  # let each rule find its own lines
                state[:] = [view, hits]
            if hits is not None and i in self.planned:
                return planned_changes(rule, view, hits.get(i, ()), self.timeout)
            return rule_changes(rule, doc.text, self.timeout)

        self._run_each(doc, self._in_scope(doc, found), changes, handle)

    def run_unfiltered(self, doc: Document, handle: Callable[[Rule, list[Change]], None]) -> None:
        """What :meth:`run` does, the slow and obvious way: every rule that
        applies and matches the text somewhere (guards aside) is tried on
        every line of the text as earlier rules left it. A reference for
        tests and benchmarks."""
        langs = document_langs(doc)
        rules = [r for r in self.rules if self.applies(r, doc, langs) and _matches_somewhere(r, doc.text)]
        self._run_each(doc, rules, lambda rule: rule_changes(rule, doc.text, self.timeout), handle)

    def _run_each(self, doc: Document, rules: list[Rule], changes_of, handle) -> None:
        for rule in rules:
            try:
                changes = changes_of(rule)
            except TimeoutError:
                where = f"{doc.source or doc.id}: " if (doc.source or doc.id) else ""
                self._warnings.append(
                    f"{where}rule {rule.id} ({rule.path}:{rule.line}) took longer than "
                    f"{self.timeout:g}s and was skipped for this document; its pattern may "
                    "backtrack catastrophically"
                )
                continue
            if changes:
                handle(rule, changes)


def _matches_somewhere(rule: Rule, text: str) -> bool:
    if rule.kind == "replace":
        return rule.pattern.search(text) is not None
    limit = rule.guard.get("line_max_chars") or len(text)
    for line in LineView.of(text).stripped:
        if line and len(line) <= limit:
            if (line.casefold() if rule.ignore_case else line) in rule.literals:
                return True
            if rule.pattern is not None and rule.pattern.search(line):
                return True
    return False


def _line_chars(rule: Rule, limit: float) -> float:
    """The longest line an anchored rule is tried on: its line_max_chars, or
    less when its pattern must span the whole line and can't span more."""
    most = None if rule.pattern.flags & regex.VERBOSE else whole_match_chars(rule.pattern_text)
    return limit if most is None else min(limit, most)


class _Bucket:
    """The anchored rules a line's first character can start, longest
    ``line_max_chars`` first, so that the rules a line fits are a prefix
    found by bisection instead of a test per rule."""

    __slots__ = ("matches", "neg_limits")

    def __init__(self, rules: tuple[tuple[float, int, Rule], ...]):
        rules = sorted(rules, key=lambda r: (-r[0], r[1]))
        self.matches = [(i, rule.pattern.match) for _, i, rule in rules]
        self.neg_limits = [-limit for limit, _, _ in rules]


class _FirstChar:
    """The characters a rule's match can start with (``prefilter.first_atoms``):
    a set of literal characters (lowercase ASCII or caseless when the rule
    ignores case) and a pattern for the character classes among them."""

    __slots__ = ("chars", "folded", "classes")

    @classmethod
    def of(cls, rule: Rule) -> "_FirstChar | None":
        found = first_atoms(rule.pattern_text, rule.ignore_case)
        if found is None:
            return None
        atoms, folded = found
        self = cls()
        self.folded = folded
        literal = {a: a[-1] for a in atoms if len(a) == 1 or (len(a) == 2 and a[0] == "\\" and not a[1].isalnum())}
        if folded:  # a cased letter outside ASCII is left to the regex engine
            literal = {a: c for a, c in literal.items() if c.isascii() or c.lower() == c.upper()}
        self.chars = set(literal.values())
        classes = sorted(a for a in atoms if a not in literal)
        self.classes = regex.compile("|".join(classes), regex.IGNORECASE if folded else 0) if classes else None
        return self


_NO_LIMIT = float("inf")
_LINE_CACHE = 20_000  # distinct short lines whose verdicts are remembered per stage
_CACHED_LINE_CHARS = 300  # longer lines rarely recur: remembered for one document only


def _after_class(pattern: str, i: int) -> int:
    """The index just past the character class that opens at ``pattern[i]``
    (a ``]`` right after ``[`` or ``[^`` is a literal, as in Python)."""
    n = len(pattern)
    j = i + 1
    if j < n and pattern[j] == "^":
        j += 1
    if j < n and pattern[j] == "]":
        j += 1
    while j < n and pattern[j] != "]":
        j += 2 if pattern[j] == "\\" else 1
    return j + 1


def _anchored(pattern: str) -> bool:
    """Whether every top-level alternative of ``pattern`` starts with ``^``
    (after inline flags), so that it can only match where a line starts."""
    branches, depth, start, i, n = [], 0, 0, 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":  # a character class: skip to its closing bracket
            i = _after_class(pattern, i)
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            branches.append(pattern[start:i])
            start = i + 1
        i += 1
    branches.append(pattern[start:])
    flags = regex.compile(r"^(?:\(\?[a-zA-Z]+\))*")
    return all(b[flags.match(b).end():].startswith("^") for b in branches)


def _combine(parts: list[str]):
    if not parts:
        return None
    return regex.compile("|".join(parts), regex.MULTILINE)


def rule_changes(rule: Rule, text: str, timeout: float) -> list[Change]:
    if rule.kind == "replace":
        return _replace_changes(rule, text, timeout)
    view = LineView.of(text)
    starts = [i for i in range(len(view.stripped)) if _line_hit(rule, view, i, timeout)]
    return _line_changes(rule, view, starts, timeout)


def planned_changes(rule: Rule, view: LineView, lines: Iterable[int], timeout: float) -> list[Change]:
    """A line rule's changes when its matching lines are already known (from
    the line verdicts): the same as :func:`rule_changes` without trying the
    pattern on every line."""
    starts = [i for i in lines if _guards_pass(rule, view, i, timeout)]
    return _line_changes(rule, view, starts, timeout)


def _line_changes(rule: Rule, view: LineView, starts: list[int], timeout: float) -> list[Change]:
    if not starts:
        return []
    if rule.kind == "delete-line":
        runs = _runs(starts)
    else:
        runs = _merge([_block(rule, view, i, timeout) for i in starts])
        runs = [r for r in runs if r is not None]
    return [_deletion(rule, view, a, b) for a, b in join_across_blanks(view, runs)]


def _line_hit(rule: Rule, view: LineView, i: int, timeout: float) -> bool:
    line = view.stripped[i]
    if not line:
        return False
    limit = rule.guard.get("line_max_chars")
    if limit and len(line) > limit:
        return False
    if rule.literals:
        key = line.casefold() if rule.ignore_case else line
        matched = key in rule.literals
    else:
        matched = False
    if not matched and rule.pattern is not None:
        matched = rule.pattern.search(line, timeout=timeout) is not None
    return matched and _guards_pass(rule, view, i, timeout)


def _guards_pass(rule: Rule, view: LineView, i: int, timeout: float) -> bool:
    g = rule.guard
    if not g:
        return True
    line = view.stripped[i]
    if "not_line" in g and g["not_line"].search(line, timeout=timeout):
        return False
    s, e = view.spans[i]
    if "not_before" in g and g["not_before"].search(view.text[max(0, s - 200) : s], timeout=timeout):
        return False
    if "not_after" in g and g["not_after"].search(view.text[e : e + 200], timeout=timeout):
        return False
    return True


def _block(rule: Rule, view: LineView, i: int, timeout: float) -> tuple[int, int] | None:
    b = rule.block
    n = len(view.stripped)
    max_lines = b.get("max_lines", 30)
    cont = b.get("continue")
    end = i
    if cont is not None:
        j = i + 1
        while j < n and j - i < max_lines:
            line = view.stripped[j]
            if line and cont.search(line, timeout=timeout):
                end = j
            elif not line and b.get("allow_blank", False):
                pass
            else:
                break
            j += 1
    elif b.get("until_blank", True):
        j = i + 1
        while j < n and j - i < max_lines and view.stripped[j]:
            end = j
            j += 1
    if end - i + 1 < b.get("min_lines", 1):
        return None
    return (i, end)


def join_across_blanks(view: LineView, runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge runs of lines separated only by blank lines. Each deletion takes
    the blank lines next to it, so two deletions with only blanks between them
    would overlap, and the second would be dropped."""
    out: list[tuple[int, int]] = []
    for a, b in runs:
        if out and all(view.is_blank(k) for k in range(out[-1][1] + 1, a)):
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _runs(indices: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for i in indices:
        if runs and runs[-1][1] == i - 1:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return runs


def _merge(blocks: list[tuple[int, int] | None]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for blk in sorted(b for b in blocks if b is not None):
        if out and blk[0] <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], blk[1]))
        else:
            out.append(blk)
    return out


def _deletion(rule: Rule, view: LineView, a: int, b: int) -> Change:
    return delete_lines(rule.id, view, a, b)


def delete_lines(rule_id: str, view: LineView, a: int, b: int, note: str = "") -> Change:
    """Delete lines a..b, taking blank lines with them so that removing a
    paragraph does not leave a double gap (or a trailing one). Stages use it
    for their code-defined line rules too."""
    n = len(view.stripped)
    blank_before = a == 0 or view.is_blank(a - 1)
    if blank_before:
        while b + 1 < n and view.is_blank(b + 1):
            b += 1
    if b == n - 1:
        while a > 0 and view.is_blank(a - 1):
            a -= 1
    start = view.spans[a][0]
    end = view.spans[b][1]
    if b == n - 1 and a > 0 and not view.text.endswith("\n"):
        # the last line has no newline: take the one before it instead
        start -= 1
    return Change(start, end, "", rule_id, note)


def _replace_changes(rule: Rule, text: str, timeout: float) -> list[Change]:
    changes = []
    g = rule.guard
    for m in rule.pattern.finditer(text, timeout=timeout):
        s, e = m.span()
        if s == e:
            continue
        if g:
            ls = text.rfind("\n", 0, s) + 1
            le = text.find("\n", e)
            le = len(text) if le == -1 else le
            line = text[ls:le]
            limit = g.get("line_max_chars")
            if limit and len(line.strip()) > limit:
                continue
            if "not_line" in g and g["not_line"].search(line, timeout=timeout):
                continue
            if "not_before" in g and g["not_before"].search(text[max(0, s - 200) : s], timeout=timeout):
                continue
            if "not_after" in g and g["not_after"].search(text[e : e + 200], timeout=timeout):
                continue
        changes.append(Change(s, e, m.expand(rule.replacement), rule.id))
    return changes
