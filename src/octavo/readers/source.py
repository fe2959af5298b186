"""Manuscript bytes -> text: encodings and line ends, with a warning when we had to guess."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from ..errors import OctavoError, read_input
from ..model import Diagnostic, SourceSpan


@dataclass(frozen=True, slots=True)
class SourceText:
    path: Path
    text: str
    diagnostics: tuple[Diagnostic, ...] = ()


def decode_manuscript(data: bytes, path: Path) -> SourceText:
    """Decode UTF-8 (with or without BOM) or UTF-16 (with BOM); else cp1252 with a warning."""
    diagnostics: tuple[Diagnostic, ...] = ()
    if data.startswith(codecs.BOM_UTF8):
        text = data[len(codecs.BOM_UTF8):].decode("utf-8", errors="strict")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise OctavoError("invalid UTF-16 text", path) from None
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
                name = "cp1252"
            except UnicodeDecodeError:
                text = data.decode("latin-1")
                name = "Latin-1"
            diagnostics = (
                Diagnostic(
                    "E001", "warning",
                    f"{path.name} is not UTF-8; read as {name}", SourceSpan(str(path), 1),
                ),
            )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return SourceText(path, text, diagnostics)


def read_manuscript(path: Path) -> SourceText:
    source = decode_manuscript(read_input(path), path)
    if not source.text.strip():
        raise OctavoError("the manuscript is empty", path,
                          hint="write some text in it, or remove it from the book")
    return source
