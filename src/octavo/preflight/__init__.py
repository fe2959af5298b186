"""``octavo preflight``: the interior PDF (and its cover) checked the way a print-on-demand
service's own preflight checks them, before the author uploads and waits for a rejection.

The PDFs are read once into facts (``facts.py``); each check is a small pure function of those
facts and the printer's profile (``profiles.py``, one frozen dataclass per service) returning
findings with a stable id, the page and the fix (``interior.py``, ``cover.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..geometry import Paper
from .cover import COVER_CHECKS, CoverJob
from .facts import PdfFacts, read_pdf
from .findings import Finding, finding_json, format_finding
from .interior import CONTENT_CHECKS, INTERIOR_CHECKS
from .profiles import DEFAULT_PRINTER, PRINTERS, PrinterProfile, printer_profile

__all__ = ["DEFAULT_PRINTER", "PRINTERS", "Finding", "PreflightReport", "finding_json",
           "format_finding", "preflight", "preflight_files", "printer_profile", "read_pdf"]


@dataclass(frozen=True, slots=True)
class PreflightReport:
    printer: PrinterProfile
    interior: str
    cover: str | None
    pages: int
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    def as_json(self) -> dict[str, object]:
        return {"printer": self.printer.key, "interior": self.interior, "cover": self.cover,
                "pages": self.pages, "errors": self.errors, "warnings": self.warnings,
                "findings": [finding_json(f) for f in self.findings]}


def preflight(interior: PdfFacts, profile: PrinterProfile, cover: PdfFacts | None = None,
              paper: Paper = "white") -> PreflightReport:
    """Every check of ``profile`` on the interior's facts, and on the cover's when given."""
    findings = [f for check in INTERIOR_CHECKS for f in check(interior, profile)]
    if cover is not None and cover.pages and interior.pages:
        first = interior.pages[0].trim_or_media
        job = CoverJob(cover, (first.width, first.height), len(interior.pages), paper)
        findings += [f for check in COVER_CHECKS for f in check(job, profile)]
        findings += [f for check in CONTENT_CHECKS for f in check(cover, profile)]
    return PreflightReport(profile, interior.name, cover.name if cover else None,
                           len(interior.pages), tuple(findings))


def preflight_files(interior: Path, profile: PrinterProfile, cover: Path | None = None,
                    paper: Paper = "white") -> PreflightReport:
    """Preflight an interior PDF (and a cover PDF) on disk."""
    cover_facts = read_pdf(cover, keep_glyphs=True) if cover is not None else None
    return preflight(read_pdf(interior), profile, cover_facts, paper)
