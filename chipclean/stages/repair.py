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

import re

from ..document import Change, line_spans
from .base import Stage

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
_BEYOND_1 = r"\u0100-\u036f≠∞≤≥∂∑∏π∫Ω√≈∆◊⁄ﬁﬂ‡⌠⌡∙ⁿ\u2500-\u259f"  # cp1250/cp1257, MacRoman, cp437
_BEYOND_2 = r"ЂЃѓЉЊЌЋЏђљњќћџЎўЈҐЄЇІіґєјЅѕї†‰‹›™\ufffd"  # cp1251's upper half, lossy decoding
_BEYOND_LATIN1 = re.compile(f"[{_BEYOND_1}]|[{_BEYOND_2}]")
# What ftfy's other fixers act on: C0/C1 controls, bidi and BOM-like format
# characters, odd line breaks, lone surrogates, entities, terminal escapes.
_FTFY_OTHER = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u206a-\u206f\ufeff\ufff9-\ufffc\ud800-\udfff]|&#?\w+;"
)


# Every character that one of the repairs could start from, found in one scan:
# controls and Latin-1 (single-byte mojibake, legacy bytes, pinyin tones), the
# characters of other code pages, Thai, lost bytes and private use, and the
# first character of each residue pattern. Ideographs that no legacy codec
# calls common are counted apart, and only in CJK text. A document with none
# of these is left alone at the cost of this one scan.
_LOOK = re.compile(
    f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\u00ff{_BEYOND_1}{_BEYOND_2}\u0e01-\u0e5b\u2028\u2029"
    "\u206a-\u206f\ufeff\ufff9-\ufffd\ud800-\udfff\ue000-\uf8ff&#<锟烫屯]"
)
# Four typographic Windows-1252 characters in a row can be legacy bytes too.
_CP1252_WIDE = "".join(ch for b in range(0x80, 0xA0) for ch in [bytes((b,)).decode("cp1252", "ignore")] if ch)
# (spelled out: the standard engine skips ahead to a candidate far faster than with {4})
_TYPOGRAPHIC_RUN = re.compile(f"[{_CP1252_WIDE}]" * 4)
# What a CJK decoder makes of UTF-8 bytes (as mojibake.cjk.SUSPECT, kept here
# so that text without any is passed over before that module is loaded).
_CJK_TEXT = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uac00-\ud7a3\ue000-\uf8ff\uf900-\ufaff\uff00-\uffef\ufffd]")
_C1 = re.compile("[\x80-\x9f]")
_RESIDUE_LEADS = frozenset("&#<锟烫屯")
_ASCII_LOOK = bytes(b for b in range(0x80) if _LOOK.match(chr(b)))


def _with_cjk(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    return [(a, line) for a, line in lines if not line.isascii() and _CJK_TEXT.search(line)]


class _Look:
    """Where in a document each repair has something to look at."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.marks: list[int] = []  # residue rules
        self.loss: list[int] = []  # U+FFFD and private use: lost bytes
        self.thai: list[int] = []
        self.latin1: list[int] = []
        self.ftfy: list[int] = []
        self._runs: list[int] | None = None
        # ASCII text (most English documents) can only hold the ASCII
        # characters of the scan: looking for those is a C-speed byte pass
        self.ascii = text.isascii()
        if self.ascii:
            self._runs = []  # the typographic characters are not ASCII
            raw = text.encode("ascii")
            if len(raw.translate(None, _ASCII_LOOK)) == len(raw):
                return
        for m in _LOOK.finditer(text):
            p = m.start()
            ch = text[p]
            if ch in _RESIDUE_LEADS:
                self.marks.append(p)
                if ch == "&":
                    self.ftfy.append(p)
                continue
            o = ord(ch)
            if 0x0E01 <= o <= 0x0E5B:
                self.thai.append(p)
            elif 0xE000 <= o <= 0xF8FF:
                self.loss.append(p)
            else:
                self.ftfy.append(p)
                if o == 0xFFFD:
                    self.loss.append(p)
                elif 0xA0 <= o <= 0x36F:
                    self.marks.append(p)  # pinyin tone marks
                    if o <= 0xFF:
                        self.latin1.append(p)

    def any(self) -> bool:
        return bool(self.marks or self.loss or self.thai or self.ftfy) or bool(self.typographic_runs())

    def typographic_runs(self) -> list[int]:
        if self._runs is None:
            self._runs = [m.start() for m in _TYPOGRAPHIC_RUN.finditer(self.text)]
        return self._runs

    def lines(self, positions) -> list[tuple[int, str]]:
        """The non-empty lines holding these positions, in order, as
        (offset, line without its line break)."""
        text = self.text
        out = []
        end = -1
        for p in sorted(positions):
            if p < end:
                continue  # on the line just taken
            start = text.rfind("\n", 0, p) + 1
            end = text.find("\n", p)
            if end == -1:
                end = len(text)
            line = text[start:end].rstrip("\r\n")
            if line:
                out.append((start, line))
        return out

    def all_lines(self) -> list[tuple[int, str]]:
        return _lines(self.text)


def _changed_lines(lines, changes: list[Change]) -> list[tuple[int, str, bool]]:
    """The lines (offset, text) that ``changes`` (in order, none crossing a
    line) touched, as (offset, text) once they are applied, and whether the
    change added Thai characters."""
    out = []
    shift = 0
    todo = iter(changes)
    change = next(todo, None)
    for start, line in lines:
        new, cut, end = [], 0, start + len(line)
        while change is not None and change.start < end:
            new += [line[cut : change.start - start], change.after]
            cut = change.end - start
            change = next(todo, None)
        if new:
            after = "".join(new) + line[cut:]
            out.append((start + shift, after, len(_THAI.findall(after)) > len(_THAI.findall(line))))
            shift += len(after) - len(line)
    return out


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


_FTFY_NOTE = "ftfy: single-byte mojibake undone"


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
        look = _Look(text)
        cjk_text = not look.ascii and _CJK_TEXT.search(text)
        if not (cjk_text or look.any()):
            return
        # each repair's module is imported when a document first needs it:
        # clean Chinese text needs only the rare-character scan
        from ..mojibake.prior import rare_positions

        lost: list[dict] = []
        # 1. residue and web artifacts (before ftfy, which would unescape a
        # doubly escaped entity only halfway, and before the codec repairs,
        # which would read 锟斤拷 back as the U+FFFD it came from)
        if look.marks and self._residue_pass(doc, lost, look.lines(look.marks)):
            look = _Look(doc.text)
            cjk_text = _CJK_TEXT.search(doc.text)
        text = doc.text
        # 2. codec chains that ftfy can't undo; each is looked for in the whole
        # document once before any line is examined
        changes = []
        if self._on("repair.cjk-mojibake") and cjk_text:
            rare = rare_positions(text)
            if look.loss or len(rare) >= 2:
                from ..mojibake import cjk

                too_lossy: list = []
                found = cjk.find_lines(_with_cjk(look.lines(sorted(look.loss + rare))), too_lossy)
                lost.extend({"offset": a, "text": line, "note": note} for a, line, note in too_lossy)
                # the other lines only matter for filling holes
                for rep in cjk.finish_lines(found, _with_cjk(look.all_lines())) if found else ():
                    changes.append(Change(rep.start, rep.end, rep.text, "repair.cjk-mojibake", rep.note))
            if look.loss:
                # Big5 and EUC decoders lose a byte per U+FFFD: short clear cases
                # are repaired, lines that lost too much are only reported
                from ..mojibake import dbcs

                reps, losses = dbcs.scan(_with_cjk(look.lines(look.loss)), [c.start for c in changes])
                changes.extend(Change(r.start, r.end, r.text, "repair.cjk-mojibake", r.note) for r in reps)
                lost.extend({"offset": a, "text": line, "note": loss.note} for a, line, loss in losses)
        if self._on("repair.thai-lossy") and look.thai:
            changes.extend(self._thai_changes(text, look.lines(look.thai), lost))
        if self._on("repair.legacy-as-latin1") and (look.latin1 or look.typographic_runs()):
            from ..mojibake import legacy

            for start, line in look.lines(sorted(look.latin1 + look.typographic_runs())):
                rep = legacy.repair_line(line, start)
                if rep is not None:
                    changes.append(Change(rep.start, rep.end, rep.text, "repair.legacy-as-latin1", rep.note))
        changes = [c for c in changes if c is not None]
        if self._on("repair.c1-stripped") and "â" in text:
            changes += self._c1_changes(text, look.lines([p for p in look.latin1 if text[p] == "â"]), changes)
        if changes:
            doc.apply(self.name, sorted(changes, key=lambda c: c.start))
            look = _Look(doc.text)
        # 3. ftfy on the lines that still look like single-byte mojibake
        if self._on("repair.ftfy") and look.ftfy:
            made = self._ftfy_pass(doc, look.lines(look.ftfy))
            # ftfy can uncover a layer of mojibake with lost bytes: Thai
            # codepage ("ą¹\x82" -> "โ", an arrow whose C1 bytes were dropped)
            # or Latin-1 ("Ã¢s" -> "âs"); read it now, or a second run would
            thai_lines = [(a, line) for a, line, new_thai in made if new_thai]
            after = []
            if thai_lines and self._on("repair.thai-lossy"):
                after += [c for c in self._thai_changes(doc.text, thai_lines, lost) if c is not None]
            c1_lines = [(a, line) for a, line, new_thai in made if not new_thai and "â" in line]
            if c1_lines and self._on("repair.c1-stripped"):
                after += self._c1_changes(doc.text, c1_lines, [])
            if after:
                doc.apply(self.name, sorted(after, key=lambda c: c.start))
        if lost:
            doc.metadata.setdefault("unrecoverable", []).extend(lost)

    def _c1_changes(self, text: str, lines, taken: list[Change]) -> list[Change]:
        """Marks whose C1 bytes a Latin-1 reading dropped ("Itâs") on the
        lines (offset, text) that no change in ``taken`` touches. Before
        ftfy, which would read "â¢ " as one Braille character."""
        from ..mojibake import c1lost

        out = []
        for start, line in lines:
            end = start + len(line)
            if any(c.start < end and c.end > start for c in taken):
                continue
            out += [Change(r.start, r.end, r.text, "repair.c1-stripped", r.note) for r in c1lost.repair_line(line, start)]
        return out

    def _thai_changes(self, text: str, lines, lost: list) -> list[Change | None]:
        """The Thai-codepage repairs on the lines (offset, text) holding Thai
        characters; none in a document that has Thai in its own right."""
        from ..mojibake import thai

        if thai.mostly_thai(text):
            return []
        return [self._thai_change(text, piece, lost) for start, line in lines for piece in thai.repair_runs(line, start)]

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

    def _ftfy_pass(self, doc, lines) -> list[tuple[int, str, bool]]:
        """ftfy on the lines (offset, text) that may need it. Returns each
        changed line as (offset, text) after the change, and whether the
        change added Thai characters."""
        from ..mojibake import htmlrefs, sequences

        changes = []
        for start, body in lines:
            # ftfy leaves a line alone unless its own badness test or one of
            # its other fixers fires; test that first, it is far cheaper
            if not (_FTFY_OTHER.search(body) or _UTF8_AS_1252.search(body)):
                if not _BEYOND_LATIN1.search(body) or not self._fixer()[2](body):
                    continue
            fixed = htmlrefs.unescape_only(body)
            if fixed is not None:
                # references decoded into plain typography: ftfy's own result,
                # and nothing in it for the sequence repair below
                changes.append(Change(start, start + len(body), fixed, "repair.ftfy", _FTFY_NOTE))
                continue
            fix, cfg, is_bad = self._fixer()
            filled = self._lost_bytes(body) if "?" in body else None
            if filled is not None:
                changes.append(Change(start, start + len(body), filled[0], "repair.cp1252-lost-bytes", filled[1]))
                continue
            fixed = fix(body, cfg)
            if "\xa0" in fixed:
                # A no-break space that ftfy kept is not part of any mojibake,
                # yet it stops ftfy from decoding the line as a whole
                # ("\xa0С•РЎ" stays, " С•РЎ" is "ѕС"): the pieces between
                # such spaces are read on their own, as they would be once
                # the space became an ordinary one
                fixed = "\xa0".join(fix(piece, cfg) if piece else piece for piece in fixed.split("\xa0"))
            if fixed != body:
                # a second layer of encoding can leave single sequences behind
                if self._on("repair.utf8-sequence"):
                    again = sequences.fix_all(fixed)
                    # only when that finishes the job; a hopeless garble stays as ftfy left it
                    fixed = again if not (is_bad(again) or _UTF8_AS_1252.search(again)) else fixed
                changes.append(Change(start, start + len(body), fixed, "repair.ftfy", _FTFY_NOTE))
            elif self._on("repair.utf8-sequence"):
                again = sequences.fix_all(body)
                if again == body or is_bad(again) or _UTF8_AS_1252.search(again):
                    continue
                for a, b, ch in sequences.repair_line(body):
                    note = "one utf-8 sequence read as windows-1252; confidence 0.95"
                    changes.append(Change(start + a, start + b, ch, "repair.utf8-sequence", note))
        if not changes:
            return []
        doc.apply(self.name, changes)
        return _changed_lines(lines, changes)

    def _lost_bytes(self, body: str) -> tuple[str, str] | None:
        """ftfy's reading of a line of UTF-8 seen as Windows-1252 and saved
        back, its lost bytes ("?") filled in first, with a note; or None."""
        if not self._on("repair.cp1252-lost-bytes"):
            return None
        from ..mojibake import savedback

        found = savedback.fill(body)
        if found is None:
            return None
        filled, sure = found
        fix, cfg, is_bad = self._fixer()
        fixed = fix(filled, cfg)
        # every byte put back must have been read as part of a character, and
        # the line must come out clean, or the "?" was not one of these lost
        # bytes (in a line that went through Latin-1 twice, it can be any of 32)
        if fixed == filled or _C1.search(fixed) and not _C1.search(body):
            return None
        if is_bad(fixed) or _UTF8_AS_1252.search(fixed):
            return None
        lost = sum(1 for a, b in zip(body, filled) if a != b)
        return fixed, (f"utf-8 read as windows-1252 and saved in it, {lost} lost byte{'s' * (lost > 1)} "
                       f"(\"?\") filled in, then ftfy; confidence {sure:.2f}")

    def _fixer(self):
        """(ftfy.fix_text, its Chinese-safe settings, ftfy's badness test), imported on first use."""
        if self._ftfy is None:
            import ftfy
            from ftfy.badness import is_bad

            self._ftfy = (ftfy.fix_text, _ftfy_config(), is_bad)
        return self._ftfy

    def _residue_pass(self, doc, lost: list, lines) -> bool:
        """The residue rules on the lines (offset, text) that may hold residue; True if any fired."""
        from ..mojibake import residue

        changes = []
        for start, line in lines:
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
        return bool(changes)
