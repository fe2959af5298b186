"""PDF backend: the shared XHTML in one print document, laid out by WeasyPrint."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import OctavoError
from ..model import Book
from ..themes import Theme
from .html import (
    HtmlOptions,
    book_sections,
    collect_notes,
    escape,
    note_numbers,
    render_chapter,
    render_part_title,
)

# Trim sizes (width, height) in inches.
TRIMS: dict[str, tuple[float, float]] = {
    "5x8": (5.0, 8.0),
    "5.25x8": (5.25, 8.0),
    "5.5x8.5": (5.5, 8.5),
    "6x9": (6.0, 9.0),
    "a5": (148 / 25.4, 210 / 25.4),
    "b-format": (129 / 25.4, 198 / 25.4),
}


@dataclass(frozen=True, slots=True)
class PdfOptions:
    theme: Theme
    trim: str = "6x9"
    # Folders WeasyPrint may read from (the book's and the theme's); nothing else, no network.
    allowed_roots: tuple[Path, ...] = ()
    # Editions built on the trade interior (review copies) add pages after the title page and
    # rules after the theme's, without the backend knowing what they are for.
    extra_front_html: tuple[str, ...] = ()
    extra_css: str = ""


@dataclass(frozen=True, slots=True)
class PdfResult:
    data: bytes
    page_count: int


def trim_size(trim: str) -> tuple[float, float]:
    """Inches for a preset name or a custom ``WxH`` in inches (``5.06x7.81``)."""
    key = trim.strip().lower().replace(" ", "").replace("in", "")
    if key in TRIMS:
        return TRIMS[key]
    try:
        w, h = (float(v) for v in key.split("x"))
    except ValueError:
        raise OctavoError(
            f"unknown trim '{trim}' (use one of {', '.join(TRIMS)} or WIDTHxHEIGHT in inches)"
        ) from None
    if not (3 <= w <= 12 and 4 <= h <= 15):
        raise OctavoError(f"trim '{trim}' is outside 3-12 x 4-15 inches")
    return w, h


def page_css(trim: str) -> str:
    """Page size and mirrored margins (the inside, bound edge, wider)."""
    w, h = trim_size(trim)
    inside, outside = 0.875 if w >= 5.5 else 0.75, 0.625 if w >= 5.5 else 0.55
    top, bottom = 0.75, 0.85
    return (
        f"@page {{ size: {w:.4f}in {h:.4f}in; margin: {top}in {outside}in {bottom}in {inside}in; }}\n"
        f"@page :left {{ margin-left: {outside}in; margin-right: {inside}in; }}\n"
        f"@page :right {{ margin-left: {inside}in; margin-right: {outside}in; }}\n"
    )


def print_document(book: Book, extra_front_html: tuple[str, ...] = ()) -> str:
    """The whole book as one HTML document for print."""
    meta = book.metadata
    notes = collect_notes(book)
    opts = HtmlOptions(notes="inline", note_bodies=notes, note_numbers=note_numbers(notes))
    sections = []
    for section in book_sections(book):
        if section.kind == "part":
            sections.append(render_part_title(book, section))
        else:
            sections.append(render_chapter(book, section, opts))
    head = [f"<title>{escape(meta.title)}</title>"]
    for author in meta.authors:
        head.append(f'<meta name="author" content="{escape(author)}"/>')
    if meta.description:
        head.append(f'<meta name="description" content="{escape(meta.description)}"/>')
    if meta.subjects:
        head.append(f'<meta name="keywords" content="{escape(", ".join(meta.subjects))}"/>')
    title = [f'<section class="titlepage"><h1 class="book-title">{escape(meta.title)}</h1>']
    if meta.subtitle:
        title.append(f'<p class="subtitle">{escape(meta.subtitle)}</p>')
    if meta.authors:
        title.append(f'<p class="author">{escape(", ".join(meta.authors))}</p>')
    if meta.publisher:
        title.append(f'<p class="publisher">{escape(meta.publisher)}</p>')
    title.append("</section>")
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(meta.language)}" '
        f'xmlns:epub="http://www.idpf.org/2007/ops">\n<head>\n<meta charset="utf-8"/>\n'
        + "\n".join(head)
        + "\n</head>\n<body>\n"
        + "\n".join(title)
        + "\n"
        + "\n".join(extra_front_html)
        + "\n".join(sections)
        + "\n</body>\n</html>\n"
    )


def confined_fetcher(roots: tuple[Path, ...]) -> Any:
    """A WeasyPrint URL fetcher that reads local files under ``roots`` and nothing else."""
    from urllib.parse import unquote, urlparse

    from weasyprint.urls import URLFetcher

    resolved = tuple(r.resolve() for r in roots)

    class ConfinedFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if not url.startswith("file://"):
                raise ValueError(f"refusing '{url}': octavo never uses the network")
            path = Path(unquote(urlparse(url).path)).resolve()
            if not any(path == r or r in path.parents for r in resolved):
                raise ValueError(f"refusing '{path}': outside the book's and theme's folders")
            return super().fetch(url, headers)

    return ConfinedFetcher(allowed_protocols=("file", "data"))


def render_pdf(book: Book, options: PdfOptions) -> PdfResult:
    """Lay out and write the print interior."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    roots = (options.theme.path, *options.allowed_roots)
    fetcher = confined_fetcher(roots)
    fonts = FontConfiguration()
    base = options.allowed_roots[0] if options.allowed_roots else options.theme.path
    html = HTML(string=print_document(book, options.extra_front_html), base_url=str(base) + "/", url_fetcher=fetcher)
    stylesheets = [
        CSS(string=options.theme.print_css, base_url=str(options.theme.path) + "/",
            url_fetcher=fetcher, font_config=fonts),
        CSS(string=page_css(options.trim), font_config=fonts),
    ]
    if options.extra_css:
        stylesheets.append(CSS(string=options.extra_css, base_url=str(options.theme.path) + "/",
                               url_fetcher=fetcher, font_config=fonts))
    document = html.render(stylesheets=stylesheets, font_config=fonts)
    out = io.BytesIO()
    document.write_pdf(out, uncompressed_pdf=False)
    return PdfResult(out.getvalue(), len(document.pages))
