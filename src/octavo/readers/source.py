"""Manuscript bytes -> text: encodings and line ends, with a warning when we had to guess.

The order of the guesses: a byte-order mark; UTF-16 without one, by the NUL bytes every other
byte of Latin text holds; a binary file (NUL bytes, an image's or a document's signature, a
high share of control bytes) is refused; UTF-8; else cp1252 (Windows' Latin-1), with a warning.
The decoded text then loses the characters XML cannot hold (see ``characters.py``).
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from ..errors import OctavoError, read_input
from ..model import Diagnostic, SourceSpan
from .characters import clean_characters, line_ends
from .limits import refuse_overlong_lines, refuse_overlong_words

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16's: FF FE 00 00 starts with FF FE
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Files people save as .txt by mistake, by their first bytes, with what to do instead.
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (a .docx, .odt or .epub is one)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Word (.doc) document"),
    (b"{\\rtf", "an RTF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "a program"),
)
_WEBP = (b"RIFF", b"WEBP")

# Bytes no text file holds (all C0 controls but tab, line feed, form feed, carriage return,
# plus DEL); a file with many of them is not text whatever it decodes as.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F])
BINARY_CONTROL_SHARE = 0.05
BINARY_CONTROL_MIN = 8
_UTF16_SAMPLE = 4096


@dataclass(frozen=True, slots=True)
class SourceText:
    path: Path
    text: str
    diagnostics: tuple[Diagnostic, ...] = ()


def _not_text(path: Path, what: str) -> OctavoError:
    return OctavoError(f"this is {what}, not text: save the manuscript as plain text (.txt, "
                       "UTF-8) or Markdown (.md)", path)


def utf16_by_nul_pattern(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when NULs fill one side of the byte pairs (ASCII-range text saved as
    UTF-16 without a byte-order mark), else None."""
    sample = data[:_UTF16_SAMPLE]
    pairs = len(sample) // 2
    if pairs < 2 or len(data) % 2:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    if odd_nuls >= 0.4 * pairs and even_nuls <= 0.05 * pairs:
        return "utf-16-le"
    if even_nuls >= 0.4 * pairs and odd_nuls <= 0.05 * pairs:
        return "utf-16-be"
    return None


def refuse_binary(data: bytes, path: Path) -> None:
    """An ``OctavoError`` when ``data`` is not text: a known file signature, a NUL byte or a
    high share of control bytes (random bytes hold about one in nine)."""
    for signature, what in _SIGNATURES:
        if data.startswith(signature):
            raise _not_text(path, what)
    if data.startswith(_WEBP[0]) and data[8:12] == _WEBP[1]:
        raise _not_text(path, "a WebP image")
    nul = data.find(0)
    if nul != -1:
        line = data.count(b"\n", 0, nul) + 1
        raise OctavoError("a NUL byte: this is a binary file, not text; save the "
                          "manuscript as plain text (.txt, UTF-8)", path, line)
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if controls >= BINARY_CONTROL_MIN and controls > BINARY_CONTROL_SHARE * len(data):
        raise OctavoError(f"{controls} control bytes in {len(data)}: this is a binary file, not "
                          "text; save the manuscript as plain text (.txt, UTF-8)", path)


def _decode_unicode(data: bytes, encoding: str, path: Path) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        name = encoding.upper().replace("-LE", "").replace("-BE", "")
        line = data.count(b"\n", 0, exc.start) + 1 if encoding == "utf-8" else None
        again = name if name == "UTF-8" else f"{name} or UTF-8"
        raise OctavoError(f"invalid {name} text (byte {exc.start}): save the file again as "
                          f"{again}", path, line) from None


def decode_bytes(data: bytes, path: Path) -> tuple[str, tuple[Diagnostic, ...]]:
    """The text of a manuscript file and a warning when its encoding was a guess."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_unicode(data[len(bom):], encoding, path), ()
    utf16 = utf16_by_nul_pattern(data)
    if utf16:
        return _decode_unicode(data, utf16, path), ()
    refuse_binary(data, path)
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError as exc:
        first_line = data.count(b"\n", 0, exc.start) + 1
    try:
        text, name = data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        # Five bytes cp1252 leaves undefined: Latin-1 reads them (as controls, removed later).
        text, name = data.decode("latin-1"), "Latin-1"
    warning = Diagnostic("E001", "warning",
                         f"{path.name} is not UTF-8 (first at line {first_line}); read as {name}",
                         SourceSpan(str(path), first_line))
    return text, (warning,)


def decode_manuscript(data: bytes, path: Path) -> SourceText:
    """Decode a manuscript (see the module's docstring), make line ends ``\\n`` and drop the
    characters XML cannot hold, each change reported."""
    text, found = decode_bytes(data, path)
    text, cleaned = clean_characters(line_ends(text), path)
    return SourceText(path, text, found + cleaned)


def read_manuscript(path: Path) -> SourceText:
    """A manuscript file's text, refused when it is empty or holds a line or a word longer
    than octavo sets (``limits.py``)."""
    source = decode_manuscript(read_input(path), path)
    if not source.text.strip():
        raise OctavoError("the manuscript is empty", path,
                          hint="write some text in it, or remove it from the book")
    refuse_overlong_lines(source.text, path)
    refuse_overlong_words(source.text, path)
    return source
