"""UTF-8 that was decoded as a CJK double-byte codec.

``免责声明`` read as GBK becomes ``鍏嶈矗澹版槑``. Re-encoding the mojibake with the
same codec gives the UTF-8 bytes back, except where the decoder gave up on a
byte (one U+FFFD each with ``errors="replace"``, nothing at all with
``errors="ignore"``). Those holes are filled by :mod:`.utf8search`, which only
considers bytes the decoder would indeed have rejected there.

A repair is accepted only when the UTF-8 reading is far more plausible than the
text as it stands, so genuine Chinese, Japanese and Korean never qualify: their
legacy bytes are not UTF-8.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import regex

from .prior import guess_script, text_cost
from .utf8search import Mode, search, slots_from

#: Tried in this order; the first of equally good readings wins.
CODECS = ("gbk", "gb18030", "big5", "cp932", "euc_kr", "euc_jp")

# Characters a CJK decoder produces from UTF-8 bytes: ideographs, Hangul,
# kana (half-width too), CJK punctuation, private use (gb18030) and U+FFFD.
SUSPECT = regex.compile(
    r"[\u3000-\u30ff\u3400-\u9fff\uac00-\ud7a3\ue000-\uf8ff\uf900-\ufaff\uff00-\uffef\ufffd]"
)
_CONT = tuple(range(0x80, 0xC0))


@dataclass(frozen=True)
class Repair:
    start: int
    end: int
    text: str
    codec: str
    lost: int  # bytes that were guessed
    confidence: float

    @property
    def note(self) -> str:
        how = f"utf-8 read as {self.codec}"
        if self.lost:
            how += f", {self.lost} lost byte{'s' if self.lost != 1 else ''} filled in"
        return f"{how}; confidence {self.confidence:.2f}"


def _items(text: str, codec: str):
    """Bytes of ``text`` in ``codec`` with None for each U+FFFD, or None."""
    items: list[int | None] = []
    for ch in text:
        if ch == "\ufffd":
            items.append(None)
            continue
        try:
            items.extend(ch.encode(codec))
        except UnicodeEncodeError:
            return None
    return items


def _looks_like_utf8(items) -> bool:
    raw = bytes(b for b in items if b is not None)
    decoded = raw.decode("utf-8", "replace")
    bad = decoded.count("\ufffd")
    multi = sum(1 for ch in decoded if ch > "\x7f") - bad
    return multi >= 1 and multi * 2 >= bad


def repair_span(text: str, start: int = 0) -> Repair | None:
    """The best UTF-8 repair of ``text`` (a line or part of one), if any."""
    if not SUSPECT.search(text):
        return None
    original = text_cost(text)
    lossy = "\ufffd" in text
    best: tuple[float, Repair] | None = None
    for codec in CODECS:
        items = _items(text, codec)
        if items is None or not _looks_like_utf8(items):
            continue
        mode = Mode(codec=codec, insert_bytes=() if lossy else _CONT)
        slots = slots_from(items)
        reading = search(slots, mode)
        if reading is None:
            continue
        script = guess_script(reading.text)
        if script is not None:
            reading = search(slots, dataclasses.replace(mode, script=script)) or reading
        if not _acceptable(text, reading, original):
            continue
        if best is None or reading.cost < best[0]:
            wide = [c for c in reading.chars if c[0] > "\x7f"]
            sure = sum(1 for c in wide if c[1] == 0 or c[2] >= 2.0)
            conf = sure / len(wide) if wide else 0.0
            best = (reading.cost, Repair(start, start + len(text), reading.text, codec, reading.unknown + reading.inserted, conf))
    return best[1] if best else None


def _acceptable(text: str, reading, original: float) -> bool:
    out = reading.text
    if out == text:
        return False
    wide = [c for c in reading.chars if c[0] > "\x7f"]
    if not wide:
        return False
    guessed = reading.unknown + reading.inserted
    if guessed > max(2, len(wide)):
        return False
    # The reading must be much more plausible than the mojibake, per character
    # of the repaired text, so a long line of mojibake can't hide one bad guess.
    return reading.cost + 3.0 + 1.5 * len(wide) < original


def repair_line(line: str, offset: int = 0) -> list[Repair]:
    """Repairs for the stretches of a line that hold UTF-8 mojibake."""
    found = repair_span(line, offset)
    if found is None:
        return []
    return [_trim(line, found, offset)]


def _trim(line: str, rep: Repair, offset: int) -> Repair:
    """Shrink a repair to the part that changed, so the audit shows just that."""
    a, b = line, rep.text
    i = 0
    while i < len(a) and i < len(b) and a[i] == b[i]:
        i += 1
    j = 0
    while j < len(a) - i and j < len(b) - i and a[-1 - j] == b[-1 - j]:
        j += 1
    return dataclasses.replace(rep, start=offset + i, end=offset + len(a) - j, text=b[i : len(b) - j])
