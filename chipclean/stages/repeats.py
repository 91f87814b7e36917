"""``repeats``: lines repeated across many documents of one source.

A first pass (:meth:`RepeatsStage.observe`) counts, per source, in how many
documents each normalized line occurs; the cleaning pass then removes lines
seen in at least ``repeats_min_docs`` documents *and* at least
``repeats_min_fraction`` of that source's documents. The source is the domain
of a document's URL or source field; documents without one (plain files) are
counted together as one corpus.

What differs from cc_net-style line dedup, and why:

- Digits are kept when normalizing: folding them to 0 merges "Dec.31 2025"
  with every other date line, and price or score lines with each other.
- Content-like lines are never removed: a line that reads as a sentence in its
  own script (six words or more with ``.!?;``, a capitalised line of four words
  or more ending in ``.!?``, Chinese ending in ``。！？``) is something someone
  wrote, even when many articles quote it. Short labels without a stop ("Most
  read", "Follow us on X") are what page templates repeat.
- Memory is bounded: each line is a 60-bit hash (source included) in one dict
  of at most :data:`MAX_ENTRIES` entries. Lines that read as sentences (see
  below) are not counted at all, since no count removes them; a byte-level
  test finds most of them without keying. When it fills, lines seen in only
  one document so far are forgotten. Counts can then only be too low, never
  too high, so the cap costs recall, never precision.

Without a first pass (standard input), the stage counts as it goes and judges
each document by what it has seen so far.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from hashlib import blake2b
from urllib.parse import urlsplit

import regex

from ..ruleengine import LineView, _runs, delete_lines, join_across_blanks
from .base import Stage

RULE = "repeats.line"
#: the most (source, line) hashes held at once (about 100 bytes each): a table
#: of some 6 MB, which a corpus of about 50 MB fills (sentences are not counted)
MAX_ENTRIES = 65_536

_NOT_ALNUM = regex.compile(r"[^\p{L}\p{N}]+")
# in ASCII, \p{L} and \p{N} are exactly [A-Za-z0-9]: deleting the other bytes
# gives the same key some thirty times faster than the pattern
_ASCII_NOT_ALNUM = bytes(c for c in range(128) if not chr(c).isalnum())
_DOMAIN = regex.compile(r"^(?:[a-z0-9-]+\.)+[a-z]{2,}$", regex.IGNORECASE)
_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]")
_CJK_STOP = regex.compile(r"[。！？；]")
_CJK_END = regex.compile(r"[。！？][」』”’）)]*$")
_SHORT_SENTENCE = regex.compile(r"^[\"'“‘(]?\p{Lu}[^:：|]*[a-z)][.!?][\"'”’)]*$")
# a sentence end between words, or at the end of the line
_LATIN_STOP = regex.compile(r"[.!?;][\"'”’)\]]*(\s|$)")

# Chinese punctuation that NFKC maps to ASCII, written in its NFKC form
# first: the result is the same (NFKC only looks at the decomposed text), but
# a line with none of the rarer compatibility characters then passes
# normalize's quick check instead of being decomposed and composed in full.
_NFKC_PUNCT = tuple((c, unicodedata.normalize("NFKC", c)) for c in "，：；！？（）　…％")


def source_key(source: str) -> str:
    """The site a document came from: the host of a URL, a bare domain, or ""
    (the whole corpus) for anything else, such as a file path."""
    s = source.strip()
    if not s:
        return ""
    if "://" in s:
        # the host ends before the first "/" after "://", so the URLs of one
        # site share what comes before it: parsed once per site
        cut = s.find("/", s.index("://") + 3)
        head = s if cut < 0 else s[:cut]
        host = _HOSTS.get(head)
        if host is None:
            if len(_HOSTS) >= 4096:
                _HOSTS.clear()
            host = _HOSTS[head] = _site(urlsplit(head).hostname or "")
        return host
    if _DOMAIN.match(s):
        return _site(s)
    return ""


_HOSTS: dict[str, str] = {}


def _site(host: str) -> str:
    host = host.lower()
    for prefix in ("www.", "m.", "amp."):
        if host.startswith(prefix):
            host = host[len(prefix):]
    return host


def line_key(line: str) -> str:
    """Letters and digits only, case-folded: the same line before and after the
    earlier stages (spacing, punctuation width) gives the same key."""
    if line.isascii():
        return line.encode().translate(None, _ASCII_NOT_ALNUM).lower().decode()
    for wide, narrow in _NFKC_PUNCT:
        if wide in line:
            line = line.replace(wide, narrow)
    line = unicodedata.normalize("NFKC", line)
    return _NOT_ALNUM.sub("", line).casefold()


# the same, with newlines kept, to key many lines in one pass
_NOT_ALNUM_LINES = regex.compile(r"[^\p{L}\p{N}\n]+")
_ASCII_NOT_ALNUM_LINES = _ASCII_NOT_ALNUM.replace(b"\n", b"")
# Where nearly all text is written; what in them is a letter or digit is
# known ahead, so the standard library's engine (a bitmap test per character,
# several times faster than \\p{L} here) can do the work.
_COMMON = ((0x0, 0x530), (0x2000, 0x2070), (0x3000, 0x3100), (0x3400, 0x4DC0), (0x4E00, 0xA000),
           (0xAC00, 0xD7A4), (0xFE30, 0xFE70), (0xFF00, 0xFFF0))


_RUNS = regex.compile(r"([\p{L}\p{N}]+)|[^\p{L}\p{N}]+")


def _class(runs: list[tuple[int, int]]) -> str:
    return "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in runs)


@functools.lru_cache(maxsize=1)
def _common_patterns() -> tuple:
    """(a run of common characters that are neither letters nor digits, any
    character that is not a common letter or digit), newlines aside."""
    alnum, other = [], []
    for a, b in _COMMON:
        for m in _RUNS.finditer("".join(map(chr, range(a, b)))):
            first, last = a + m.start(), a + m.end() - 1
            if m.group(1):
                alnum.append((first, last))
            elif first <= 10 <= last:  # the newline stays
                other.extend(r for r in ((first, 9), (11, last)) if r[0] <= r[1])
            else:
                other.append((first, last))
    return re.compile(f"[{_class(other)}]+"), re.compile(f"[^\\n{_class(alnum)}]")


def _wide_keys(text: str) -> str:
    """The keys of the lines of ``text`` (not ASCII), joined by newlines."""
    for wide, narrow in _NFKC_PUNCT:
        if wide in text:
            text = text.replace(wide, narrow)
    if not unicodedata.is_normalized("NFKC", text):
        # line by line: only the lines that need it are decomposed in full
        text = "\n".join(unicodedata.normalize("NFKC", line) for line in text.split("\n"))
    drop, other = _common_patterns()
    key = drop.sub("", text)
    if other.search(key):  # a character outside the common ones is left
        key = _NOT_ALNUM_LINES.sub("", text)
    return key.casefold()


def line_keys(text: str) -> list[str]:
    """:func:`line_key` of each of ``text.split("\\n")``. The lines that are
    not ASCII are keyed together: NFKC never composes across a newline (a
    starter that combines with nothing), the patterns keep newlines and case
    folding goes character by character, so each key is the line's own."""
    if text.isascii():
        return text.encode().translate(None, _ASCII_NOT_ALNUM_LINES).lower().decode().split("\n")
    if text.count(" ") * 16 < len(text):
        # few spaces: CJK text, whose ASCII lines are short; keyed as a whole
        return _wide_keys(text).split("\n")
    lines = text.split("\n")
    keys: list[str] = []
    wide: list[int] = []
    for i, line in enumerate(lines):
        if line.isascii():
            keys.append(line.encode().translate(None, _ASCII_NOT_ALNUM).lower().decode())
        else:
            keys.append("")
            wide.append(i)
    for i, key in zip(wide, _wide_keys("\n".join(lines[i] for i in wide)).split("\n")):
        keys[i] = key
    return keys


def line_hash(source: str, key: str) -> int:
    return _hashes(source, [key])[0]


def _hashes(source: str, keys: list[str]) -> list[int]:
    """The hash of each key of one source (the source's part is hashed once
    and copied)."""
    copy = blake2b(f"{source}\x00".encode("utf-8", "surrogatepass"), digest_size=8).copy
    out = []
    for key in keys:
        h = copy()
        h.update(key.encode("utf-8", "surrogatepass"))
        out.append(int.from_bytes(h.digest(), "big") >> 4)  # 60 bits: a two-digit Python int
    return out


# for a quick look at a line's script: its UTF-16 high bytes, where those
# from 0x4E to 0x9E are CJK ideographs (U+4E00-U+9EFF, all Han) and those from
# 0x11 up are the only ones any CJK script reaches (U+1100 on)
_NOT_HAN_HIGH = bytes(b for b in range(256) if not 0x4E <= b <= 0x9E)
_BELOW_CJK_HIGH = bytes(range(0x11))
_CLOSERS = "」』”’）)"
# _LATIN_STOP for ASCII, in the standard library's faster engine
_ASCII_STOP = re.compile(r"[.!?;][\"')\]]*(?:[\t\n\x0b\x0c\r ]|$)")


def surely_content(line: str) -> bool:
    """A cheap test that implies :func:`content_like` (of a stripped line): a
    long Latin sentence, or a Chinese one ending with its stop, told apart by
    bounds on the CJK count taken from bytes. Only the other lines, the only
    ones that could be removed, are keyed and counted."""
    if line.isascii():
        # six words need eleven characters at least
        return len(line) > 10 and bool(_ASCII_STOP.search(line)) and len(line.split(None, 5)) == 6
    high = line.encode("utf-16-le", "surrogatepass")[1::2]
    chars = len(line) - line.count(" ")
    han = len(high.translate(None, _NOT_HAN_HIGH))  # at most the CJK count
    if han >= 8 and han * 2 >= chars:
        return line.rstrip(_CLOSERS).endswith(("。", "！", "？"))
    wide = len(high.translate(None, _BELOW_CJK_HIGH))  # at least the CJK count
    if wide >= 8 and wide * 2 >= chars:
        return False
    return len(line.split(None, 5)) == 6 and bool(_LATIN_STOP.search(line))


def content_like(line: str) -> bool:
    """A sentence someone wrote, which no repetition makes boilerplate."""
    if line.startswith("|") and line.endswith("|"):
        return True  # a table row: removing it would break the table
    cjk = len(_CJK.findall(line))
    if cjk >= 8 and cjk * 2 >= len(line.replace(" ", "")):
        # a sentence with its own stop, or a longer passage with one inside
        return bool(_CJK_END.search(line)) or (cjk >= 15 and bool(_CJK_STOP.search(line)))
    words = line.split()
    if len(words) >= 6:
        return bool(_LATIN_STOP.search(line))
    # a short sentence: four words or more, capitalised, ending with a stop
    return len(words) >= 4 and bool(_SHORT_SENTENCE.match(line))


def _by_hash(src: str, rows, keys: list[str]) -> dict[int, list[int]]:
    """The hashes of ``keys`` (those of lines ``rows``), with the lines where
    each occurs; empty keys left out."""
    pairs = [(i, key) for i, key in zip(rows, keys) if key]
    out: dict[int, list[int]] = {}
    for (i, _), h in zip(pairs, _hashes(src, [key for _, key in pairs])):
        out.setdefault(h, []).append(i)
    return out


def removable_hashes(src: str, text: str, stripped: list[str]) -> dict[int, list[int]]:
    """The line hashes, with the line numbers where each occurs, of the lines
    :func:`surely_content` does not already protect (``stripped`` are the
    lines of ``text``, stripped; blank and symbol-only lines left out):
    sentences are most of the text, and they stay whatever their count."""
    lines = text.split("\n")
    rows = [i for i, line in enumerate(stripped) if line and not surely_content(line)]
    return _by_hash(src, rows, line_keys("\n".join(lines[i] for i in rows)))


class RepeatsStage(Stage):
    name = "repeats"
    corpus_pass = True
    # keys ignore what the earlier stages change, so raw documents can be counted
    observe_raw = True

    def __init__(self, config, rules):
        super().__init__(config, rules)
        self.counts: dict[int, int] = {}
        self.docs: dict[str, int] = {}
        self.observed = False
        self.max_entries = MAX_ENTRIES
        self.pruned = 0
        # per source, at least the highest count of any of its lines (None when
        # unknown): a source whose lines all fall short of its threshold is
        # skipped without keying
        self.top: dict[str, int] | None = {}
        self._warned = False
        self.disabled = RULE in rules.disabled or self.name in rules.disabled

    # -- counting -------------------------------------------------------------

    def observe(self, doc) -> None:
        self.observed = True
        self._count(doc.source, doc.text)

    def _count(self, source: str, text: str) -> dict[int, list[int]]:
        src = source_key(source)
        hashes = removable_hashes(src, text, LineView.of(text).stripped)
        self.docs[src] = self.docs.get(src, 0) + 1
        counts = self.counts
        top = 0
        for h in hashes:
            c = counts[h] = counts.get(h, 0) + 1
            if c > top:
                top = c
        if self.top is not None and top > self.top.get(src, 0):
            self.top[src] = top
        if len(counts) > self.max_entries:
            self._prune()
        return hashes

    def _prune(self) -> None:
        """Forget the rarest lines until the table is at most 3/4 full."""
        # in place: building a smaller copy would hold two tables at the peak
        counts = self.counts
        floor = 1
        while len(counts) > self.max_entries * 3 // 4:
            for h in [h for h, c in counts.items() if c <= floor]:
                del counts[h]
            floor += 1
        self.pruned += 1

    def observed_state(self):
        return {"counts": self.counts, "docs": self.docs, "pruned": self.pruned, "top": self.top}

    def merge_observed(self, state) -> None:
        self.observed = True
        for h, c in state["counts"].items():
            self.counts[h] = self.counts.get(h, 0) + c
        for s, n in state["docs"].items():
            self.docs[s] = self.docs.get(s, 0) + n
        self.pruned += state.get("pruned", 0)
        # a merged count is at most the sum of the parts' counts
        top = state.get("top")
        if top is None or self.top is None:
            self.top = None
        else:
            for s, n in top.items():
                self.top[s] = self.top.get(s, 0) + n
        if len(self.counts) > self.max_entries:
            self._prune()

    def threshold(self, src: str) -> int:
        c = self.config
        return max(c.repeats_min_docs, math.ceil(c.repeats_min_fraction * self.docs.get(src, 0)))

    # -- cleaning -------------------------------------------------------------

    def process(self, doc) -> None:
        if self.disabled or not doc.text:
            return
        if self.observed:
            src = source_key(doc.source)
            need = self.threshold(src)
            if self.top is not None and self.top.get(src, 0) < need:
                return  # no line of this source is that frequent: nothing to key
            hashes = removable_hashes(src, doc.text, LineView.of(doc.text).stripped)
        else:  # single pass: this document counts too
            hashes = self._count(doc.source, doc.text)
            src = source_key(doc.source)
            need = self.threshold(src)
        counts = self.counts
        hits = [(h, counts.get(h, 0)) for h in hashes]
        hits = [(h, c) for h, c in hits if c >= need]
        if not hits:
            return
        view = LineView.of(doc.text)
        seen = {}
        for h, c in hits:
            for i in hashes[h]:
                if not content_like(view.stripped[i]):
                    seen[i] = c
        if not seen:
            return
        total = self.docs.get(src, 0)
        where = src or "the corpus"
        changes = []
        for a, b in join_across_blanks(view, _runs(sorted(seen))):
            most = max(seen.get(i, 0) for i in range(a, b + 1))
            changes.append(delete_lines(RULE, view, a, b, f"in {most} of {total} documents from {where}"))
        doc.apply(self.name, changes)

    def warnings(self) -> list[str]:
        if self.pruned and not self._warned:
            self._warned = True
            return [
                f"repeats: the line table filled up {self.pruned} time(s) (cap {self.max_entries:,} lines); "
                "lines seen in few documents were forgotten, so some rarely repeated lines may be kept"
            ]
        return []

