"""Jobs on a book's print edition besides the build: its cover PDF (``octavo cover``) and
the interior and cover checked as a printer checks them (``octavo preflight``)."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

from .build import book_slug, build, modification_time, pdf_options, write_atomically
from .errors import OctavoError
from .geometry import Paper, trim_size
from .isbn import checked_isbn
from .loaded import load
from .preflight import DEFAULT_PRINTER, PreflightReport, preflight, printer_profile, read_pdf
from .press.cover import CoverSpec, render_cover
from .press.pieces import render_pdf


def build_cover(target: Path, outdir: Path, pages: int | None = None,
                paper: Paper | None = None) -> tuple[Path, CoverSpec]:
    """Lay out the book's interior (unless ``pages`` is given) and write its cover PDF."""
    loaded = load(target)
    settings = loaded.settings
    isbn = (checked_isbn(settings.isbn_print, "isbn", "print", settings.config_path)
            if settings.isbn_print else None)
    options = pdf_options(loaded)
    press = options.press if paper is None else replace(options.press, paper=paper)
    if pages is None:
        pages = render_pdf(loaded.book, options).page_count
    data = render_cover(loaded.book.metadata, loaded.theme, loaded.settings.trim, pages, press,
                        image=loaded.settings.cover, allowed_roots=(loaded.settings.root,),
                        modified=modification_time(loaded.settings), isbn=isbn)
    out = outdir / f"{book_slug(loaded)}-cover.pdf"
    write_atomically([(out, data)])
    return out, CoverSpec(trim_size(loaded.settings.trim), pages, press.paper)


def preflight_book(target: Path, printer: str | None = None) -> PreflightReport:
    """Build the book's interior and cover into a temporary folder and preflight them for
    ``printer`` (default: the book's ``[print] printer``, else KDP). Messages name the files
    as a build names them."""
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
