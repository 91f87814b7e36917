"""Turn input bytes into text, detecting legacy encodings.

UTF-8 (with or without BOM) is tried first. Anything else goes to
charset-normalizer; the encoding it picks is recorded so the audit can say the
file was transcoded. Binary data (NUL bytes that are not UTF-16) is refused.
"""

from __future__ import annotations

from dataclasses import dataclass


class BinaryInput(ValueError):
    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # "utf-8" when no transcoding happened
    line_of_error: int | None = None  # where the UTF-8 decode first failed


def decode_bytes(data: bytes) -> Decoded:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad_line = data.count(b"\n", 0, exc.start) + 1
        bad_at = exc.start
    else:
        nul = text.find("\x00")
        if nul != -1:
            # valid UTF-8 with NULs is binary data or BOM-less UTF-16: cleaning
            # it as text would corrupt it
            raise BinaryInput("contains NUL bytes: looks like a binary file (or UTF-16 without a BOM)",
                              text.count("\n", 0, nul) + 1)
        return Decoded(text, "utf-8")
    if _utf8_before(data, bad_at):
        # multi-byte UTF-8 before the bad byte: the file is UTF-8 and damaged
        # from here on; any legacy codec would garble everything before it
        raise BinaryInput(f"invalid UTF-8 (byte 0x{data[bad_at]:02x}) in a file that is UTF-8 before it; "
                          "fix or remove the damaged bytes", bad_line)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return Decoded(data.decode("utf-16"), "utf-16", bad_line)
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:8192]:
        raise BinaryInput("contains NUL bytes: looks like a binary file", data.count(b"\n", 0, data.index(b"\x00")) + 1)
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        raise BinaryInput("no text encoding fits: looks like a binary file")
    western = _western(data, best, matches)
    if western is not None:
        return Decoded(western, "cp1252", bad_line)
    return Decoded(str(best), best.encoding, bad_line)


def _utf8_before(data: bytes, end: int) -> bool:
    """Whether ``data[:end]`` (valid UTF-8) holds enough multi-byte characters
    to call the file UTF-8: a GBK or Latin-1 file passes for UTF-8 for a
    character or two by chance, hardly ever for eight."""
    window = data[max(0, end - 65536):end]
    return sum(1 for b in window if b >= 0xC2) >= 8


# Characters a Western European (Latin-1 / cp1252) text plausibly holds: the
# accented letters of its languages and typographic punctuation. The Icelandic
# letters are left out because Turkish cp1254 text decodes to them.
_WESTERN = frozenset(
    "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜßàáâãäåæçèéêëìíîïñòóôõöøùúûüÿŒœŠšŸŽž"
    "’‘“”„‚–—…€«»‹›°©®™·•§£¢¥¡¿\xa0"
)


def _western(data: bytes, best, matches) -> str | None:
    """The cp1252 reading of ``data`` when it is as good as the detector's pick.

    Single-byte codecs are ambiguous on short text, and the detector often picks
    cp1250 or cp1257 for French or Spanish, which turns ``è`` into ``č`` and
    ``ï`` into ``ļ``. Western European text is by far the most common
    single-byte input, so cp1252 wins when the detector rates it about as
    well and every non-ASCII character it yields is a plausible one."""
    if best.encoding == "cp1252" or getattr(best, "byte_order_mark", False) or not _single_byte(best.encoding):
        return None
    rival = next((m for m in matches if m.encoding == "cp1252"), None)
    if rival is None or rival.chaos > best.chaos + 0.15:
        return None
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    if all(ch in _WESTERN for ch in set(text) if ord(ch) > 0x7F):
        return text
    return None


def _single_byte(encoding: str) -> bool:
    return encoding.startswith(("cp12", "iso8859", "latin", "mac_", "cp8", "cp7", "hp_roman"))
