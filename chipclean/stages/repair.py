"""``repair``: undo mojibake and encoding residue.

Order matters. UTF-8 read as a CJK double-byte codec or as the Thai codepage
is repaired first (:mod:`chipclean.mojibake`), because ftfy would otherwise
rewrite the very bytes those repairs need. Legacy CJK bytes shown as Latin-1
come next, then ftfy with Chinese-safe settings (no full-width folding, no
quote uncurling, no NFKC/NFC, so clean Chinese, Japanese and English text comes
out byte-identical), then the residue rules. Every decision is made per line,
since one document can mix clean and broken lines.

Most text is clean: one compiled scan of the whole document decides that none
of this can apply before anything expensive is loaded.
"""

from __future__ import annotations

import bisect
import re

from ..document import Change, line_spans
from .base import Stage

# Characters that appear when UTF-8 is decoded with a single-byte codec. A line
# with none of them cannot be ftfy-style mojibake.
_SUSPECT = re.compile(r"[\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122\ufffd]")
# Anything at all that one of the repairs could act on.
_ANY = re.compile(
    r"[\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e"
    r"\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122\u0e01-\u0e5b\u3000-\u30ff\u3400-\u9fff\uac00-\ud7a3"
    r"\ue000-\uf8ff\uf900-\ufaff\uff00-\uffef\ufffd\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029\u206a-\u206f"
    r"\ufeff\ufff9-\ufffc\ud800-\udfff]|#x?[0-9a-fA-F]{2,7};|&amp;|<[bB][rR]"
)
_THAI = re.compile(r"[\u0e01-\u0e5b]")
# UTF-8 lead byte then continuation byte, both as Windows-1252/Latin-1: the
# commonest mojibake, found without calling ftfy. (ftfy also knows that "Ã"
# before a space was "à" whose no-break space became a space.)
_UTF8_AS_1252 = re.compile(
    r"\u00c3 |[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    r"\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
# Other single-byte mojibake shows characters beyond Latin-1 that those code
# pages hold and real text seldom uses; only then is ftfy's own badness test
# worth running.
_BEYOND_LATIN1 = re.compile(
    r"[\u0100-\u036f≠∞≤≥∂∑∏π∫Ω√≈∆◊⁄ﬁﬂ‡⌠⌡∙ⁿ\u2500-\u259f]"  # cp1250/cp1257, MacRoman, cp437
    r"|[ЂЃѓЉЊЌЋЏђљњќћџЎўЈҐЄЇІіґєјЅѕї†‰‹›™\ufffd]"  # cp1251's upper half, lossy decoding
)
# What ftfy's other fixers act on: C0/C1 controls, bidi and BOM-like format
# characters, odd line breaks, lone surrogates, entities, terminal escapes.
_FTFY_OTHER = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u206a-\u206f\ufeff\ufff9-\ufffc\ud800-\udfff]|&#?\w+;"
)


def _lines(text: str) -> list[tuple[int, str]]:
    """(offset, line without its line break) for the non-empty lines."""
    out = []
    for a, b in line_spans(text):
        line = text[a:b].rstrip("\r\n")
        if line:
            out.append((a, line))
    return out


def _ftfy_config():
    import ftfy

    return ftfy.TextFixerConfig(
        fix_character_width=False,
        uncurl_quotes=False,
        normalization=None,
        fix_latin_ligatures=False,
        explain=False,
    )


class RepairStage(Stage):
    name = "repair"

    def __init__(self, config, rules):
        super().__init__(config, rules)
        self._ftfy = None
        self.policy = config.unrecoverable
        self.disabled = set(config.disable)

    def _on(self, rule: str) -> bool:
        return rule not in self.disabled

    def process(self, doc) -> None:
        text = doc.text
        if not (_ANY.search(text) or _BEYOND_LATIN1.search(text)):
            return
        from ..mojibake import cjk, legacy, residue, thai

        lost: list[dict] = []
        # 1. residue and web artifacts (before ftfy, which would unescape a
        # doubly escaped entity only halfway, and before the codec repairs,
        # which would read 锟斤拷 back as the U+FFFD it came from)
        self._residue_pass(doc, residue, lost)
        text = doc.text
        # 2. codec chains that ftfy can't undo; each is looked for in the whole
        # document once before any line is examined
        changes = []
        lines = None
        if self._on("repair.cjk-mojibake") and cjk.SUSPECT.search(text) and cjk.may_be_mojibake(text):
            lines = _lines(text)
            spans = [(a, line) for a, line in lines if not line.isascii() and cjk.SUSPECT.search(line)]
            for rep in cjk.repair_lines(spans):
                changes.append(Change(rep.start, rep.end, rep.text, "repair.cjk-mojibake", rep.note))
        if self._on("repair.thai-lossy") and _THAI.search(text) and not thai.mostly_thai(text):
            lines = lines or _lines(text)
            for start, line in lines:
                if _THAI.search(line):
                    for piece in thai.repair_runs(line, start):
                        changes.append(self._thai_change(text, piece, lost))
        if self._on("repair.legacy-as-latin1") and legacy.RUN.search(text):
            lines = lines or _lines(text)
            for start, line in lines:
                rep = legacy.repair_line(line, start)
                if rep is not None:
                    changes.append(Change(rep.start, rep.end, rep.text, "repair.legacy-as-latin1", rep.note))
        changes = [c for c in changes if c is not None]
        if changes:
            doc.apply(self.name, changes)
        # 3. ftfy on the lines that still look like single-byte mojibake
        if self._on("repair.ftfy"):
            self._ftfy_pass(doc)
        if lost:
            doc.metadata.setdefault("unrecoverable", []).extend(lost)

    def _thai_change(self, text: str, piece, lost: list) -> Change | None:
        if piece.recovered:
            return Change(piece.start, piece.end, piece.text, "repair.thai-lossy", piece.note)
        lost.append({"offset": piece.start, "text": text[piece.start : piece.end]})
        if self.policy == "keep":
            return None
        start, end = piece.start, piece.end
        after = piece.text
        if self.policy == "drop":
            after = after.replace("\ufffd", "")
            # don't leave a stray space where the fragment was
            if not after.strip():
                after = ""
                at_start = start == 0 or text[start - 1] == "\n"
                if at_start and text[end : end + 1] == " ":
                    end += 1
                elif not at_start and text[start - 1] == " " and text[end : end + 1] in (" ", "\n", "\r", ""):
                    start -= 1
        return Change(start, end, after, "repair.unrecoverable", piece.note)

    def _ftfy_pass(self, doc) -> None:
        text = doc.text
        # Lines worth showing to ftfy, found by scanning the whole text once per
        # gate rather than every line with every gate.
        sure: set[int] = set()
        for gate in (_FTFY_OTHER, _UTF8_AS_1252):
            sure.update(m.start() for m in gate.finditer(text))
        maybe = {m.start() for m in _BEYOND_LATIN1.finditer(text)}
        if not sure and not maybe:
            return
        from ..mojibake import sequences

        if self._ftfy is None:
            import ftfy
            from ftfy.badness import is_bad

            self._ftfy = (ftfy.fix_text, _ftfy_config(), is_bad)
        fix, cfg, is_bad = self._ftfy
        spans = line_spans(text)
        starts = [a for a, _ in spans]
        picked_sure = {bisect.bisect_right(starts, p) - 1 for p in sure}
        picked_maybe = {bisect.bisect_right(starts, p) - 1 for p in maybe} - picked_sure
        changes = []
        for i in sorted(picked_sure | picked_maybe):
            start, end = spans[i]
            body = text[start:end].rstrip("\r\n")
            if not body:
                continue
            # ftfy leaves a line alone unless its own badness test or one of
            # its other fixers fires; test that first, it is far cheaper
            if i in picked_maybe and not is_bad(body):
                continue
            fixed = fix(body, cfg)
            if fixed != body:
                # a second layer of encoding can leave single sequences behind
                if self._on("repair.utf8-sequence"):
                    again = sequences.fix_all(fixed)
                    # only when that finishes the job; a hopeless garble stays as ftfy left it
                    fixed = again if not (is_bad(again) or _UTF8_AS_1252.search(again)) else fixed
                changes.append(Change(start, start + len(body), fixed, "repair.ftfy", "ftfy: single-byte mojibake undone"))
            elif self._on("repair.utf8-sequence"):
                again = sequences.fix_all(body)
                if again == body or is_bad(again) or _UTF8_AS_1252.search(again):
                    continue
                for a, b, ch in sequences.repair_line(body):
                    note = "one utf-8 sequence read as windows-1252; confidence 0.95"
                    changes.append(Change(start + a, start + b, ch, "repair.utf8-sequence", note))
        if changes:
            doc.apply(self.name, changes)

    def _residue_pass(self, doc, residue, lost: list) -> None:
        text = doc.text
        if not residue.PREFILTER.search(text):
            return
        changes = []
        for start, end in line_spans(text):
            line = text[start:end].rstrip("\r\n")
            if not residue.PREFILTER.search(line):
                continue
            for rule, find in residue.RULES.items():
                if not self._on(rule):
                    continue
                for a, b, after, note in find(line):
                    if after is None:
                        lost.append({"offset": start + a, "text": line[a:b]})
                        if self.policy == "keep":
                            continue
                        after = "" if self.policy == "drop" else "\ufffd"
                    changes.append(Change(start + a, start + b, after, rule, note))
        if changes:
            doc.apply(self.name, changes)
