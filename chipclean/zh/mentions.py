"""Find entity mentions with one combined pattern for all entity rules.

Authors write each Chinese name once; when the rules are compiled every name
is expanded across scripts (Simplified, Traditional, Taiwan and Hong Kong
forms, via OpenCC and a character-level mapping that leaves shared characters
such as 台 and 昇 alone), so a mention matches in either script. All names go
into one trie, emitted as a single regular expression that prefers the longest
name at each position. Latin names match on word boundaries; a rule with
``case_sensitive: false`` matches its Latin names in any case.
"""

from __future__ import annotations

import bisect
import os
import re
import weakref
from dataclasses import dataclass, field
from typing import Iterable

import regex

from ..rulepack import PackError, Problem, Rule, RuleSet
from .convert import convert_name, save
from .script import HAN, has_han, to_hans_chars, to_hant_chars

_WORD = "A-Za-z0-9"
_LATIN_EDGE = regex.compile(f"[{_WORD}]")

#: Text right before a mention that makes it talk about the name itself
#: ("referred to as 美国开放人工智能研究中心"): such mentions are never changed.
_NAME_TALK_BEFORE = regex.compile(
    r"(?:(?i:referred\s+to\s+as|known\s+as|also\s+called|called|dubbed|nicknamed|"
    r"translated\s+(?:as|into|to)|rendered\s+as|transliterated\s+as|spelled|spelt|"
    r"written\s+as|the\s+(?:Chinese|English|Taiwanese|Cantonese)\s+(?:name|word|term|"
    r"translation|rendering)(?:\s+for\s+[^,.;:\n]{1,40})?(?:\s+is)?|(?:name|term)s?\s+like)"
    r"|也称|又称|又稱|又名|称为|稱為|称作|稱作|叫做|译为|譯為|译作|譯作|译成|譯成|"
    r"音译|音譯|意译|意譯|俗称|俗稱|中文名称?|中文名稱|英文名称?|英文名稱|名为|名為|"
    r"写作|寫作|写成|寫成)"
    r"\s*[:：]?\s*[\"“‘'「『《(（]?\s*\Z"
)
_NAME_TALK_AFTER = regex.compile(
    r"\A\s*[\"”’'」』》)）]?\s*(?i:in\s+(?:Chinese|Mandarin|Cantonese|Taiwan|Hong\s+Kong|"
    r"mainland\s+China)\b|for\s+short\b)|\A[\"”」』]?(?:一词|一詞|这个名字|這個名字|的译名|的譯名|这个译名|這個譯名)"
)


@dataclass(frozen=True)
class Entity:
    id: str
    rule: Rule
    canonical: dict
    guard: dict

    def name(self, form: str) -> str:
        c = self.canonical
        if form == "zh-Hant":
            return c.get("zh-Hant") or c.get("zh-Hant-HK") or c["en"]
        return c.get(form) or c["en"]


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    surface: str
    entity: Entity
    han: bool  # written with Chinese characters (else a Latin name)
    named: bool = False  # the text talks about the name itself: never rewrite


@dataclass
class _Node:
    children: dict = field(default_factory=dict)
    terminal: bool = False
    latin_end: bool = False


class EntityMatcher:
    """All entity rules of a rule set, compiled into one pattern."""

    def __init__(self, rules: Iterable[Rule]):
        self.entities: list[Entity] = []
        self.exact: dict[str, Entity] = {}
        self.folded: dict[str, Entity] = {}
        # surface -> its own family's forms per script ("hans", "hant", "tw", "hk")
        self.families: dict[str, dict[str, str]] = {}
        problems: list[Problem] = []
        root = _Node()
        for rule in rules:
            if rule.kind != "entity":
                continue
            data = rule.data
            entity = Entity(rule.id, rule, dict(data["canonical"]), dict(data.get("guard", {})))
            self.entities.append(entity)
            names = list(dict.fromkeys([*entity.canonical.values(), *data["aliases"]]))
            for name in names:
                name = name.strip()
                if has_han(name):
                    family = _family(name)
                    hans = family["hans"]
                    converted = [convert_name(c, hans) for c in ("s2t", "s2tw", "s2hk")]
                    variants = list(dict.fromkeys([name, *family.values(), *converted]))
                else:
                    family, variants = None, [name]
                for v in variants:
                    table = self.exact if data["case_sensitive"] or has_han(v) else self.folded
                    key = v if table is self.exact else v.lower()
                    other = table.get(key)
                    if other is not None and other is not entity:
                        problems.append(
                            Problem(rule.path, rule.line, f"rule {rule.id}: name {v!r} is also a name of {other.id}")
                        )
                        continue
                    table[key] = entity
                    if family is not None:
                        self.families.setdefault(v, family)
                    _insert(root, v)
        if problems:
            raise PackError(problems)
        # Every name starts with one of these characters: a fast scan for them
        # finds the few places where the trie needs to run at all, and there
        # the trie is walked along the text (compiling it into patterns cost
        # more than all the walks of a corpus).
        self._root = root
        # Two scans, merged in order, each looking a few characters ahead
        # along the trie. A Latin name starts a word, so that English text
        # stops the scan at "Intel" but not at "into" or "interest" (it
        # stopped at nearly every word before).
        latin = [key for key in sorted(root.children) if _LATIN_EDGE.match(key)]
        other = [key for key in sorted(root.children) if not _LATIN_EDGE.match(key)]
        # every alternative starts with its literal first character, so `re`
        # still skips ahead to those characters in C
        self.other_starts = None
        if other:
            self.other_starts = re.compile("|".join(_re_char(key) + _ahead(root.children[key], _LOOKAHEAD) for key in other))
        self.latin_starts = None
        if latin:
            heads = "|".join(_re_char(key) + _ahead(root.children[key], _LOOKAHEAD) for key in latin)
            self.latin_starts = re.compile(f"(?<![{_WORD}])(?=[{_WORD}])(?:{heads})")
        # the characters that can follow each first one; None where a name
        # may be that one character
        self.seconds = {
            key: None if child.terminal else {c for k in child.children for c in _cased(k)}
            for key, child in root.children.items()
        }
        # ASCII text needs no scan for the other names when none of them
        # starts with an ASCII character
        self._other_ascii_free = not any(key.isascii() for key in other)
        # A Latin name can only match where each of its words stands in the
        # text as a whole word: a document's words (split at C speed) rule
        # out most of the places, and most documents, where the Latin scan
        # would stop (English text stops it at nearly every word).
        # first word -> (the other words of a name it leads; the lower-case
        # text that starts such a mention: the first word and the character
        # after it when that is ASCII)
        self.latin_words: dict[bytes, list[tuple[tuple[bytes, ...], str]]] = {}
        for name in sorted({*self.exact, *self.folded}):
            if _LATIN_EDGE.match(name[0]):
                words = _words(name)
                lead = name[: len(words[0]) + 1].lower()
                if not lead.isascii():
                    lead = lead[:-1]
                others = tuple(dict.fromkeys(words[1:]))
                self.latin_words.setdefault(words[0], []).append((others, lead))
        self._latin_firsts = frozenset(self.latin_words)
        # the last text scanned and its mentions: the zh-script and entities
        # stages scan the same text when conversion left it unchanged
        self._last: tuple[str, list[Mention]] | None = None
        save()  # the names' conversions, for the next process

    def __bool__(self) -> bool:
        return bool(self.entities)

    @property
    def pattern(self):
        """The whole trie as one pattern (for inspection; matching dispatches
        on the first character to the branches)."""
        return _compile(self._root)

    def find(self, text: str) -> list[Mention]:
        """Every mention in ``text`` that no entity guard rules out; mentions
        that the text discusses as names are marked ``named``."""
        last = self._last
        if last is not None and last[0] == text:
            return list(last[1])
        out = self._find(text)
        self._last = (text, out)
        return list(out)

    def _find(self, text: str) -> list[Mention]:
        n = len(text)
        scans = []  # per scan: [next stop at or after pos (n: none left), how to find the next]
        if self.other_starts is not None and not (self._other_ascii_free and text.isascii()):
            scans.append([-1, _searcher(self.other_starts, text)])
        if self.latin_starts is not None:
            stops = self._latin_stops(text)
            if stops is None:
                scans.append([-1, _searcher(self.latin_starts, text)])
            elif stops:
                scans.append([-1, _lister(stops, n)])
        if not scans:
            return []
        out = []
        root, seconds = self._root, self.seconds
        pos = 0
        while pos < n:
            i = n
            for scan in scans:
                if scan[0] < pos:
                    scan[0] = scan[1](pos)
                if scan[0] < i:
                    i = scan[0]
            if i == n:
                break
            ch = text[i]
            key = ch.lower() if ch.isascii() else ch
            follow = seconds[key]
            if follow is not None and (i + 1 >= n or text[i + 1] not in follow):
                pos = i + 1
                continue
            e = _longest(root, text, i)
            if e == -1:
                pos = i + 1
                continue
            s, pos = i, e
            entity = self._lookup(text[s:e])
            if entity is None:
                s, e, entity = self._shorter(text, s, e)
                if entity is None:
                    pos = s + 1
                    continue
                pos = e
            g = entity.guard
            if "not_before" in g and g["not_before"].search(text[max(0, s - 80) : s]):
                continue
            if "not_after" in g and g["not_after"].search(text[e : e + 80]):
                continue
            surface = text[s:e]
            out.append(Mention(s, e, surface, entity, has_han(surface), _talks_about_name(text, s, e)))
        return _mark_definitions(text, out)

    def _latin_stops(self, text: str) -> list[int] | None:
        """Where a Latin name may start, in order: the places that start like
        a name all of whose words are words of ``text``. None when
        lower-casing changes the text's length (then the pattern scans)."""
        # one byte per character: every non-ASCII one ends a word
        words = set(text.encode("ascii", "replace").translate(_WORD_BYTES).split())
        firsts = self._latin_firsts.intersection(words)
        if not firsts:
            return []
        latin_words = self.latin_words
        leads = {lead for w in firsts for others, lead in latin_words[w] if words.issuperset(others)}
        if not leads:
            return []
        low = text.lower()
        n = len(text)
        if len(low) != n:
            return None
        stops = set()
        for lead in leads:
            k = len(lead)
            whole = lead[-1] in _WORD_CHARS  # the lead is a whole word: one follows it
            i = low.find(lead)
            while i != -1:
                e = i + k
                if (
                    (i == 0 or text[i - 1] not in _WORD_CHARS)
                    and (not whole or e == n or text[e] not in _WORD_CHARS)
                    and text[i:e].isascii()  # no character that lower-cases to ASCII
                ):
                    stops.add(i)
                i = low.find(lead, i + 1)
        return sorted(stops)

    def longer_name(self, entity: Entity, name: str, text: str, end: int) -> int:
        """How many characters after ``end`` would, once the mention is
        rewritten to ``name``, read as part of a longer name of the same
        entity ("Hynix Inc." -> "SK Hynix" + " Inc."): the rewrite takes them
        too, so that cleaning twice changes nothing more."""
        if not name:
            return 0
        probe = name + text[end : end + 60]
        e = _longest(self._root, probe, 0)
        if e <= len(name) or self._lookup(probe[:e]) is not entity:
            return 0
        return e - len(name)

    def _lookup(self, surface: str) -> Entity | None:
        return self.exact.get(surface) or self.folded.get(surface.lower())

    def _shorter(self, text: str, s: int, e: int):
        """The longest name at ``s`` shorter than a match whose case did not
        fit its rule ("NVIDIA Corp." when only "Nvidia Corp." is a name)."""
        for end in range(e - 1, s, -1):
            if _LATIN_EDGE.match(text[end - 1]) and end < len(text) and _LATIN_EDGE.match(text[end]):
                continue
            entity = self._lookup(text[s:end])
            if entity is not None:
                return s, end, entity
        return s, e, None

    def script_form(self, surface: str, script: str) -> str:
        """The mention's own name written in ``script`` (hans/hant/tw/hk)."""
        family = self.families.get(surface)
        return family[script] if family else surface


#: bytes of UTF-8 text -> lower-case ASCII letters and digits, and a space
#: for every other byte (so non-ASCII characters, like any character outside
#: ``[A-Za-z0-9]``, end a word)
_WORD_BYTES = bytes(
    b if chr(b).isascii() and chr(b).isalnum() and chr(b).lower() == chr(b) else b + 32 if 65 <= b <= 90 else 32
    for b in range(256)
)


_WORD_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")


def _searcher(pattern, text: str):
    """The next match start of ``pattern`` at or after a position (len(text) if none)."""
    search, n = pattern.search, len(text)

    def next_stop(pos: int) -> int:
        m = search(text, pos)
        return n if m is None else m.start()

    return next_stop


def _lister(stops: list[int], n: int):
    """The next of the sorted ``stops`` at or after a position (n if none)."""

    def next_stop(pos: int) -> int:
        j = bisect.bisect_left(stops, pos)
        return stops[j] if j < len(stops) else n

    return next_stop


def _words(name: str) -> list[bytes]:
    return name.encode("utf-8", "surrogatepass").translate(_WORD_BYTES).split()


def _family(name: str) -> dict[str, str]:
    # character by character: names take no vocabulary conversion, and s2tw
    # would write 台积电 as 臺積電
    hans = to_hans_chars(name)
    hant = to_hant_chars(hans)
    return {"hans": hans, "hant": hant, "tw": hant, "hk": hant}


_PAREN_OPEN = regex.compile(r"\s*[(（]\s*")
_PAREN_CLOSE = regex.compile(r"\s*[)）]")


def _mark_definitions(text: str, mentions: list[Mention]) -> list[Mention]:
    """In "Advanced Micro Devices Inc. (AMD)" or "英伟达（Nvidia）" the text
    pairs two names of one entity on purpose: both are left as written."""
    out = list(mentions)
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        if a.entity is not b.entity:
            continue
        m = _PAREN_OPEN.match(text, a.end)
        if m and m.end() == b.start and _PAREN_CLOSE.match(text, b.end):
            out[i] = Mention(a.start, a.end, a.surface, a.entity, a.han, True)
            out[i + 1] = Mention(b.start, b.end, b.surface, b.entity, b.han, True)
    return out


def _talks_about_name(text: str, s: int, e: int) -> bool:
    line_start = text.rfind("\n", 0, s) + 1
    if _NAME_TALK_BEFORE.search(text[max(line_start, s - 60) : s]):
        return True
    line_end = text.find("\n", e)
    return _NAME_TALK_AFTER.search(text[e : (len(text) if line_end == -1 else line_end)][:40]) is not None


def _longest(root: _Node, text: str, i: int) -> int:
    """Where the longest name starting at ``i`` ends (-1: none), as the
    trie's pattern would match it: a Latin name starts and ends a word, and
    its letters match in either case."""
    ch = text[i]
    node = root.children.get(ch.lower() if ch.isascii() else ch)
    if node is None or (i > 0 and ch in _WORD_CHARS and text[i - 1] in _WORD_CHARS):
        return -1
    children = node.children
    best, j, n = -1, i + 1, len(text)
    while True:
        if node.terminal and (not node.latin_end or j == n or text[j] not in _WORD_CHARS):
            best = j
        if j == n or not children:
            return best
        ch = text[j]
        node = children.get(ch.lower() if ch.isascii() else ch)
        if node is None:
            return best
        children = node.children
        j += 1


def _insert(root: _Node, name: str) -> None:
    node = root
    for ch in name:
        key = ch.lower() if ch.isascii() else ch
        node = node.children.setdefault(key, _Node())
    node.terminal = True
    node.latin_end = node.latin_end or bool(_LATIN_EDGE.match(name[-1]))


#: how many characters after the first the Latin scan checks before the
#: trie runs
_LOOKAHEAD = 4


def _ahead(node: _Node, depth: int) -> str:
    """A lookahead for the trie below ``node`` cut to ``depth`` characters:
    it may let through a place where no name is (the trie then decides),
    never the reverse."""
    if node.terminal or depth == 0 or not node.children:
        return ""  # a name may end here: anything may follow
    parts = [_re_char(ch) + _ahead(child, depth - 1) for ch, child in sorted(node.children.items())]
    body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
    return body if depth < _LOOKAHEAD else f"(?={body})"


def _re_char(ch: str) -> str:
    if ch.isascii() and ch.isalpha():
        return f"[{ch}{ch.upper()}]"
    return re.escape(ch)


def _cased(key: str) -> set[str]:
    return {key, key.upper()} if key.isascii() else {key}


def _char(ch: str) -> str:
    if ch.isascii() and ch.isalpha():
        return f"[{ch}{ch.upper()}]"
    return regex.escape(ch)


def _emit(node: _Node) -> str:
    branches = [_char(ch) + _emit(child) for ch, child in sorted(node.children.items())]
    if not node.terminal:
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    end = f"(?![{_WORD}])" if node.latin_end else ""
    if not branches:
        return end
    body = "|".join(branches)
    # longer names first; the name ending here is the fallback
    return f"(?:{body}|{end})" if end else f"(?:{body})?"


def _compile(root: _Node):
    latin = _Node(children={k: v for k, v in root.children.items() if _LATIN_EDGE.match(k)})
    other = _Node(children={k: v for k, v in root.children.items() if not _LATIN_EDGE.match(k)})
    parts = []
    if latin.children:
        parts.append(f"(?<![{_WORD}])" + _emit(latin))
    if other.children:
        parts.append(_emit(other))
    return regex.compile("|".join(parts))


_CACHE: "weakref.WeakKeyDictionary[RuleSet, EntityMatcher]" = weakref.WeakKeyDictionary()


#: matchers by the files their rules were read from, so that rule sets loaded
#: again from unchanged packs (each Cleaner loads its own) share one
_BY_FILES: dict[tuple, EntityMatcher] = {}


def matcher_for(rules: RuleSet) -> EntityMatcher:
    """The matcher for a rule set's entity rules, built once per rule set
    and once per set of unchanged pack files."""
    m = _CACHE.get(rules)
    if m is None:
        entity_rules = [r for r in rules.rules_for("entities") if r.kind == "entity"]
        key = _files_key(entity_rules)
        m = _BY_FILES.get(key) if key is not None else None
        if m is None:
            m = EntityMatcher(entity_rules)
            if key is not None:
                if len(_BY_FILES) >= 8:
                    del _BY_FILES[next(iter(_BY_FILES))]
                _BY_FILES[key] = m
        _CACHE[rules] = m
    return m


def _files_key(rules: list[Rule]) -> tuple | None:
    """Which rules, read from which versions of which files; None when a
    rule does not come from a readable file."""
    files = {}
    for r in rules:
        if r.path not in files:
            try:
                st = os.stat(r.path)
            except (OSError, ValueError):
                return None
            files[r.path] = (st.st_mtime_ns, st.st_size, st.st_ino)
    return tuple((r.id, r.path, r.line) for r in rules), tuple(sorted(files.items()))


# -- choosing the name to write -------------------------------------------------

_FORM = {"hans": "zh-Hans", "hant": "zh-Hant", "tw": "zh-Hant-TW", "twp": "zh-Hant-TW", "hk": "zh-Hant-HK"}
_REGION = regex.compile(r"(?i)^zh(?:-hant)?-(tw|hk|mo)\b")
_LATIN_WORD = re.compile(r"[A-Za-z]+")


def region_target(lang: str | None, script: str | None) -> str:
    """The script target (hans, hant, tw or hk) that a line in ``script``
    of a document tagged ``lang`` is written for."""
    lang = lang or ""
    if script is None:
        script = "hant" if "hant" in lang.lower() or _REGION.match(lang) else "hans"
    if script == "hans":
        return "hans"
    m = _REGION.match(lang)
    if m:
        return "tw" if m.group(1).lower() == "tw" else "hk"
    return "hant"


def zh_name(entity: Entity, target: str, surface: str, keep_regional: bool = False) -> str:
    """The canonical Chinese name of ``entity`` for a script target.

    With ``keep_regional`` (Traditional text of unknown region), a mention that
    already is the Taiwan or Hong Kong name stays as it is."""
    if keep_regional and target == "hant":
        c = entity.canonical
        if surface in (c.get("zh-Hant"), c.get("zh-Hant-TW"), c.get("zh-Hant-HK")):
            return surface
    return entity.name(_FORM[target])


def is_chinese_line(line: str, lang: str | None = None) -> bool:
    """Chinese rather than Latin-script text: Han characters outnumber Latin
    words, or in a document tagged English, Latin letters (so that a Chinese
    gloss in an English sentence stays a gloss)."""
    han = len(HAN.findall(line))
    if not han:
        return False
    if (lang or "").startswith("en"):
        return han > sum(len(w) for w in _LATIN_WORD.findall(line))
    return han >= len(_LATIN_WORD.findall(line))


_WORD_CHAR = regex.compile(r"[A-Za-z0-9]")


def glued(text: str, start: int, end: int, name: str) -> bool:
    """Whether writing ``name`` there would join it to a neighbouring Latin
    word or number (美国开放人工智能研究中心2025 -> OpenAI2025), which no
    later pass could read as the name again."""
    before = start > 0 and _WORD_CHAR.match(text[start - 1]) and _WORD_CHAR.match(name[0])
    after = end < len(text) and _WORD_CHAR.match(text[end]) and _WORD_CHAR.match(name[-1])
    return bool(before or after)
