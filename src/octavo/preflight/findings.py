"""A preflight finding: which check (a stable id), how bad, on which pages, and what to do.
One line each, as ``octavo check`` prints its findings:
``file:page N: error P005: message; fix: what to do``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]
# Pages a line names besides its first, before it only counts them.
SHOWN_PAGES = 6


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: Severity
    message: str
    fix: str
    file: str
    pages: tuple[int, ...] = ()  # empty: the file as a whole (its page count)


def _also(pages: tuple[int, ...]) -> str:
    rest = pages[1:]
    if not rest:
        return ""
    shown = ", ".join(str(p) for p in rest[:SHOWN_PAGES])
    more = f", and {len(rest) - SHOWN_PAGES} more" if len(rest) > SHOWN_PAGES else ""
    return f" (also page{'s' if len(rest) > 1 else ''} {shown}{more})"


def format_finding(f: Finding) -> str:
    where = f"{f.file}:page {f.pages[0]}: " if f.pages else f"{f.file}: "
    fix = f"; fix: {f.fix}" if f.fix else ""
    return f"{where}{f.severity} {f.code}: {f.message}{_also(f.pages)}{fix}"


def finding_json(f: Finding) -> dict[str, object]:
    return {"file": f.file, "page": f.pages[0] if f.pages else None, "pages": list(f.pages),
            "rule": f.code, "severity": f.severity, "message": f.message, "fix": f.fix}
