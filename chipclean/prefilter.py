"""Literal prefilters: strings one of which every match of a pattern contains.

A rule whose pattern can only match where, say, ``[para`` or ``[段`` occurs
need not be tried on a document that contains neither: a substring test in C
is far cheaper than letting the regex engine try the pattern at every
character. :func:`needed_literals` reads a pattern (groups, alternations,
optional parts and small character classes included) and returns such a set,
or None when it cannot promise one. It errs towards None: anything it does not
understand gives up, so a prefilter never hides a match.
"""

from __future__ import annotations

from functools import lru_cache

import regex

# at most this many alternative strings are tracked for one piece of a pattern
_MAX_SET = 32
# "(?i)", "(?i:", "(?-i:", "(?mi-s)": flags turned on are group 1
_INLINE_FLAGS = regex.compile(r"\(\?([a-zA-Z]*)(?:-[a-zA-Z]+)?[:)]")
_CLASS_ESCAPES = set("dDwWsShHX")
_ZERO_WIDTH_ESCAPES = set("bBAZGmMz")
_CONTROL = {"a": "\a", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}


class _GiveUp(Exception):
    """The pattern uses syntax this reader does not follow."""


class _Piece:
    """What is known about a piece of a pattern: ``exact``, every string it can
    match (when few); ``needed``, strings one of which every match contains;
    ``first``, the atoms (single-character pattern sources) a match can start
    with (None: any character) and ``nullable``, whether it can match the
    empty string."""

    __slots__ = ("exact", "needed", "first", "nullable")

    def __init__(self, exact: frozenset | None = None, needed: frozenset | None = None,
                 first: frozenset | None = None, nullable: bool = False):
        self.exact = exact
        self.needed = needed if needed is not None else _usable(exact)
        if exact is not None:
            first = frozenset(regex.escape(s[0]) for s in exact if s)
            nullable = "" in exact
        self.first = first
        self.nullable = nullable


def _union(a: frozenset | None, b: frozenset | None) -> frozenset | None:
    return None if a is None or b is None else a | b


_EMPTY = frozenset({""})


def _usable(strings: frozenset | None) -> frozenset | None:
    if not strings or "" in strings:
        return None
    # a string that contains another member adds nothing to the test
    return frozenset(s for s in strings if not any(t != s and t in s for t in strings))


def _better(a: frozenset | None, b: frozenset | None) -> frozenset | None:
    """The more selective of two literal sets: longest shortest string first,
    then fewer strings."""
    if a is None:
        return b
    if b is None:
        return a
    ka = (min(map(len, a)), -len(a))
    kb = (min(map(len, b)), -len(b))
    return b if kb > ka else a


def needed_literals(pattern: str, ignore_case: bool = False) -> tuple[tuple[str, ...], bool] | None:
    """``(literals, folded)``: every match of ``pattern`` contains one of
    ``literals``; when ``folded`` is true they are lowercase and must be looked
    for ignoring case (:func:`gate` does both). None when no such set is known."""
    read = _read(pattern, ignore_case)
    if read is None or read[0].needed is None:
        return None
    return tuple(sorted(read[0].needed)), read[1]


def first_atoms(pattern: str, ignore_case: bool = False) -> tuple[frozenset, bool] | None:
    """``(atoms, folded)``: a match of ``pattern`` starts with a character
    that one of ``atoms`` (single-character pattern sources, taken from the
    pattern itself) matches, ignoring case when ``folded``; None when it may
    start with anything, or match the empty string."""
    read = _read(pattern, ignore_case)
    if read is None or read[0].first is None or read[0].nullable:
        return None
    return read[0].first, read[1]


@lru_cache(maxsize=2048)  # each cleaner a process builds reads the same packs
def _read(pattern: str, ignore_case: bool) -> tuple[_Piece, bool] | None:
    fold = ignore_case
    for m in _INLINE_FLAGS.finditer(pattern):
        if any(f in m.group(0) for f in "xVrf"):  # verbose, version 1, reverse, full case: not read
            return None
        fold = fold or "i" in m.group(1)
    try:
        reader = _Reader(pattern, fold)
        piece = reader.alternation()
        if reader.i != len(pattern):
            return None
    except (_GiveUp, IndexError):
        return None
    return piece, fold


def _fold_char(c: str) -> str:
    if c.isascii():
        return c.lower()
    if c.lower() == c and c.upper() == c:
        return c  # no case: matched only by itself
    raise _GiveUp  # a cased letter outside ASCII: case-insensitive matching is subtle


class _Reader:
    def __init__(self, pattern: str, fold: bool):
        self.p = pattern
        self.i = 0
        self.fold = fold

    def lit(self, c: str) -> _Piece:
        return self.chars([c], regex.escape(c))

    def chars(self, cs, source: str) -> _Piece:
        """Any one of the characters ``cs``, written ``source`` in the pattern."""
        if not self.fold:
            return _Piece(frozenset(cs))
        try:
            return _Piece(frozenset(_fold_char(c) for c in cs))
        except _GiveUp:
            return _Piece(None, None, frozenset({source}))

    # alternation := sequence ('|' sequence)*
    def alternation(self) -> _Piece:
        branches = [self.sequence()]
        while self.i < len(self.p) and self.p[self.i] == "|":
            self.i += 1
            branches.append(self.sequence())
        if len(branches) == 1:
            return branches[0]
        exact = None
        if all(b.exact is not None for b in branches):
            union = frozenset().union(*(b.exact for b in branches))
            exact = union if len(union) <= _MAX_SET else None
        needed = None
        if all(b.needed is not None for b in branches):
            union = frozenset().union(*(b.needed for b in branches))
            needed = _usable(union) if len(union) <= _MAX_SET else None
        first: frozenset | None = frozenset()
        for b in branches:
            first = _union(first, b.first)
        return _Piece(exact, needed, first, any(b.nullable for b in branches))

    def sequence(self) -> _Piece:
        run: frozenset | None = _EMPTY
        best = None
        whole = True  # every item so far had an exact set
        first: frozenset | None = frozenset()
        nullable = True  # every item so far can match the empty string
        n = len(self.p)
        while self.i < n and self.p[self.i] not in "|)":
            item = self.quantified(self.atom())
            if nullable:
                first = _union(first, item.first)
                nullable = item.nullable
            if item.exact is not None and run is not None and len(run) * len(item.exact) <= _MAX_SET:
                run = frozenset(a + b for a in run for b in item.exact)
                continue
            best = _better(best, _usable(run))
            if item.exact is not None:
                run = item.exact
                whole = False
            else:
                best = _better(best, item.needed)
                run = _EMPTY
                whole = False
        best = _better(best, _usable(run))
        return _Piece(run if whole else None, best, first, nullable)

    def quantified(self, item: _Piece) -> _Piece:
        p, n = self.p, len(self.p)
        if self.i >= n or p[self.i] not in "?*+{":
            return item
        c = p[self.i]
        if c == "{":
            end = p.find("}", self.i)
            if end == -1:
                raise _GiveUp
            body = p[self.i + 1 : end]
            lo, _, hi = body.partition(",")
            if not (lo.isdigit() or lo == "") or not (hi.isdigit() or hi == "") or not body:
                raise _GiveUp  # fuzzy matching or a literal brace: not read
            low = int(lo) if lo else 0
            self.i = end + 1
        else:
            low = 1 if c == "+" else 0
            self.i += 1
        if self.i < n and p[self.i] in "?+":  # lazy or possessive
            self.i += 1
        if self.i < n and p[self.i] in "?*+{":
            raise _GiveUp
        if low == 0:
            if c == "?" and item.exact is not None:
                return _Piece(item.exact | _EMPTY, None)
            return _Piece(None, None, item.first, True)
        return _Piece(None, item.needed, item.first, item.nullable)

    def atom(self) -> _Piece:
        p = self.p
        c = p[self.i]
        if c == "(":
            return self.group()
        if c == "[":
            return self.char_class()
        if c == "\\":
            return self.escape()
        self.i += 1
        if c in "^$":
            return _Piece(_EMPTY)
        if c == ".":
            return _Piece(None, None)
        if c in "*+?{":
            raise _GiveUp
        return self.lit(c)

    def escape(self) -> _Piece:
        p = self.p
        start = self.i
        c = p[self.i + 1]
        self.i += 2
        if not c.isalnum():
            return self.lit(c)
        if c in _ZERO_WIDTH_ESCAPES:
            return _Piece(_EMPTY)
        if c in _CLASS_ESCAPES:
            return _Piece(None, None, None if c == "X" else frozenset({p[start : self.i]}))
        if c in _CONTROL:
            return self.lit(_CONTROL[c])
        if c in "pP":
            if p[self.i] == "{":
                end = p.find("}", self.i)
                if end == -1:
                    raise _GiveUp
                self.i = end + 1
            else:
                self.i += 1
            return _Piece(None, None, frozenset({p[start : self.i]}))
        raise _GiveUp  # \x41, \u..., \N{...}, back-references, named lists

    def char_class(self) -> _Piece:
        p = self.p
        j = self.i + 1
        negated = j < len(p) and p[j] == "^"
        if negated:
            j += 1
        chars: list[str] = []
        plain = not negated
        first = True
        while True:
            c = p[j]
            if c == "]" and not first:
                break
            first = False
            if c == "\\":
                e = p[j + 1]
                if e in "pP":
                    plain = False
                    if p[j + 2] == "{":
                        end = p.find("}", j + 2)
                        if end == -1:
                            raise _GiveUp
                        j = end + 1
                    else:
                        j += 3
                    continue
                if e.isalnum():
                    if e not in _CLASS_ESCAPES and e not in _CONTROL:
                        raise _GiveUp
                    plain = False
                    j += 2
                    continue
                chars.append(e)
                j += 2
                continue
            if c == "[" and p[j + 1] == ":":
                raise _GiveUp  # POSIX class
            if c == "-" and chars and p[j + 1] != "]":
                plain = False  # a range
            chars.append(c)
            j += 1
        source = p[self.i : j + 1]
        self.i = j + 1
        if not plain or not chars or len(chars) > 8:
            return _Piece(None, None, frozenset({source}))
        return self.chars(chars, source)

    def group(self) -> _Piece:
        p = self.p
        self.i += 1
        zero_width = False
        if p[self.i] == "?":
            rest = p[self.i + 1 :]
            if rest.startswith(":") or rest.startswith(">") or rest.startswith("|"):
                self.i += 2
            elif rest[:1] in "=!" or rest[:2] in ("<=", "<!"):
                zero_width = True
                self.i += 2 if rest[:1] in "=!" else 3
            elif rest.startswith("P<") or (rest.startswith("<") and rest[1:2].isalpha()):
                end = p.find(">", self.i)
                if end == -1:
                    raise _GiveUp
                self.i = end + 1
            elif rest.startswith("P="):
                end = p.find(")", self.i)
                if end == -1:
                    raise _GiveUp
                self.i = end + 1
                return _Piece(None, None, None, True)  # a back-reference
            else:
                m = regex.match(r"-?[a-zA-Z]+(-[a-zA-Z]+)?([:)])", rest)
                if m is None:
                    raise _GiveUp  # comments, conditionals, recursion
                self.i += 1 + m.end()
                if m.group(2) == ")":
                    return _Piece(_EMPTY)  # inline flags: read above
        inner = self.alternation()
        if p[self.i] != ")":
            raise _GiveUp
        self.i += 1
        if zero_width:
            return _Piece(_EMPTY)
        return inner


def gate(pattern: str, ignore_case: bool = False):
    """A test ``text -> bool`` that is false only for texts ``pattern`` cannot
    match anywhere, or None when :func:`needed_literals` knows no literals."""
    found = needed_literals(pattern, ignore_case)
    if found is None:
        return None
    literals, folded = found
    if folded:
        # the regex engine's own case-insensitive search: the same notion of
        # case as the rule's, and far cheaper than case-folding the text
        return regex.compile("|".join(regex.escape(s) for s in literals), regex.IGNORECASE).search

    def contains(text: str) -> bool:
        return any(map(text.__contains__, literals))

    return contains


# syntax only the regex module reads (or reads differently from Python's re):
# such a pattern's length is not worked out
_REGEX_ONLY = regex.compile(r"\\[pPXNKGhHLmMV]|\{e|\(\?[<]?[|>(&~]|\(\?[a-zA-Z]*[VfwrbBe]|\[\[|&&|\|\||--|~~|\(\?<[^=!P]")


@lru_cache(maxsize=2048)
def whole_match_chars(pattern: str) -> int | None:
    """The most characters a match of ``pattern`` can span when every match
    must end where the text ends (each alternative closes with ``$``), or None
    when that is not so or not known. A line rule anchored at both ends can
    then only match lines this short."""
    if _REGEX_ONLY.search(pattern):
        return None
    try:
        import re._parser as sre  # Python's own pattern reader
    except ImportError:
        return None
    try:
        tree = sre.parse(pattern)
    except Exception:  # a pattern Python's re reads differently: not known
        return None
    if not _ends_at_end(list(tree)):
        return None
    most = tree.getwidth()[1]
    return most if most < sre.MAXREPEAT else None


def _ends_at_end(items: list) -> bool:
    import re._constants as c

    if not items:
        return False
    op, arg = items[-1]
    if op is c.AT:
        return arg in (c.AT_END, c.AT_END_STRING)
    if op is c.BRANCH:
        return all(_ends_at_end(list(branch)) for branch in arg[1])
    if op is c.SUBPATTERN:
        return _ends_at_end(list(arg[-1]))
    return False
