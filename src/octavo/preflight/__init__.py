"""``octavo preflight``: the interior PDF (and its cover) checked the way a print-on-demand
service's own preflight checks them, before the author uploads and waits for a rejection.

The PDFs are read once into facts (``facts.py``); each check is a small pure function of those
facts and the printer's profile (``profiles.py``, one frozen dataclass per service) returning
findings with a stable id, the page and the fix (``interior.py``, ``cover.py``).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import OctavoError
from ..press.geometry import Paper
from .cover import COVER_CHECKS, CoverJob
from .facts import PdfFacts, read_pdf
from .findings import Finding, finding_json, format_finding
from .interior import CONTENT_CHECKS, INTERIOR_CHECKS
from .profiles import DEFAULT_PRINTER, PRINTERS, PrinterProfile, printer_profile

__all__ = ["DEFAULT_PRINTER", "PRINTERS", "Finding", "PreflightReport", "finding_json",
           "format_finding", "preflight", "preflight_book", "preflight_files", "printer_profile"]


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


def preflight_book(target: Path, printer: str | None = None) -> PreflightReport:
    """Build the book's interior and cover into a temporary folder and preflight them for
    ``printer`` (default: the book's ``[print] printer``, else KDP). Messages name the files
    as a build names them."""
    from ..build import build, load, pdf_options
    from ..covers.printed import render_cover

    with tempfile.TemporaryDirectory(prefix="octavo-preflight-") as tmp:
        result = build(target, Path(tmp), ("pdf",), preflight=False)
        pdf = result.outputs.get("pdf")
        if pdf is None or result.page_count is None:
            raise OctavoError("the build wrote no PDF to check", target)
        loaded = load(target)
        options = pdf_options(loaded)
        profile = printer_profile(printer or options.press.printer or DEFAULT_PRINTER)
        cover = render_cover(loaded.book.metadata, loaded.theme, loaded.settings.trim,
                             result.page_count, options.press, image=loaded.settings.cover,
                             allowed_roots=(loaded.settings.root,), modified=options.modified)
        cover_name = pdf.name.removesuffix(".pdf") + "-cover.pdf"
        return preflight(read_pdf(pdf, pdf.name),
                         profile, read_pdf(cover, cover_name, keep_glyphs=True),
                         options.press.paper)
