"""``octavo check``: the manuscript read as the build reads it, and what is wrong in it, before
a reader finds it. Each rule is a small named function ``Manuscript -> findings`` with a stable
id; the build's own warnings (an unclosed quotation, Q001; an encoding guessed, E001) come
first, then the rules in ``RULES`` order."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..loaded import load
from ..model import Diagnostic
from ..normalize import typography_options
from .context import CheckRule, Manuscript
from .metadata import invalid_isbns, store_metadata
from .prose import doubled_words, emphasis_left_open, quotes_closed_twice
from .references import images_without_alt, links_leaving_the_book
from .spelling import spelled_two_ways
from .structure import chapter_length_outliers, long_paragraphs, untitled_chapters

__all__ = ["RULES", "CheckReport", "check_manuscript", "finding_json", "format_finding"]

RULES: tuple[CheckRule, ...] = (
    quotes_closed_twice,
    emphasis_left_open,
    doubled_words,
    spelled_two_ways,
    untitled_chapters,
    chapter_length_outliers,
    long_paragraphs,
    images_without_alt,
    links_leaving_the_book,
    store_metadata,
    invalid_isbns,
)


@dataclass(frozen=True, slots=True)
class CheckReport:
    findings: tuple[Diagnostic, ...]

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")


def check_manuscript(target: Path, rules: Iterable[CheckRule] = RULES) -> CheckReport:
    """Every finding about the book at ``target`` (a manuscript file or a book folder)."""
    loaded = load(target)
    typography = typography_options(loaded.settings.table("typography"),
                                    loaded.book.metadata.language,
                                    loaded.settings.config_path or target)
    ms = Manuscript(loaded, typography.quotes)
    found: dict[Diagnostic, None] = dict.fromkeys(loaded.diagnostics)
    for rule in rules:
        found.update(dict.fromkeys(rule(ms)))
    return CheckReport(tuple(found))


def format_finding(d: Diagnostic) -> str:
    """``file:line:column: severity ID: message; fix: what to do`` — the build's warnings and
    every error read the same way."""
    where = f"{d.span.path}:{d.span.line}:{d.span.column}: " if d.span.line else ""
    fix = f"; fix: {d.fix}" if d.fix else ""
    return f"{where}{d.severity} {d.code}: {d.message}{fix}"


def finding_json(d: Diagnostic) -> dict[str, object]:
    return {"file": d.span.path, "line": d.span.line, "column": d.span.column,
            "rule": d.code, "severity": d.severity, "message": d.message, "fix": d.fix}
