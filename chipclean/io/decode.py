"""Turn input bytes into text, detecting legacy encodings.

UTF-8 (with or without BOM) is tried first. Anything else goes to
charset-normalizer; the encoding it picks is recorded so the audit can say the
file was transcoded. Binary data (NUL bytes that are not UTF-16) is refused.
"""

from __future__ import annotations

from dataclasses import dataclass


class BinaryInput(ValueError):
    pass


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # "utf-8" when no transcoding happened
    line_of_error: int | None = None  # where the UTF-8 decode first failed


def decode_bytes(data: bytes) -> Decoded:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        bad_line = data.count(b"\n", 0, exc.start) + 1
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return Decoded(data.decode("utf-16"), "utf-16", bad_line)
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:8192]:
        raise BinaryInput("contains NUL bytes: looks like a binary file")
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise BinaryInput("no text encoding fits: looks like a binary file")
    encoding = best.encoding
    return Decoded(str(best), encoding, bad_line)
