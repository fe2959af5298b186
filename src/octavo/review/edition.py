"""The review edition: the trade interior plus an ARC information page and a mark on every page,
built from the same model through the backends' extra-page, banner and CSS hooks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import OctavoError
from ..model import Metadata
from ..press.document import margin_boxes_empty
from ..render.html import escape
from ..render.labels import authors_line

ARC_TITLE = "Advance Reader Copy"
EDITION_MARK = "Advance Reader Copy · Uncorrected Proof · Not for Sale"
NOTICE = "Uncorrected proof — not for sale. Please check quotations against the finished book."
COVER_MARK = "ADVANCE READER COPY"
ARC_PAGE_ID = "arc-info"

ARC_KEYS = {
    "publication_date", "isbn", "price", "format", "publicist", "contact", "reviewers",
}


@dataclass(frozen=True, slots=True)
class ArcSettings:
    """The ``[arc]`` table of book.toml, validated; book metadata fills what it leaves out."""

    publication_date: str | None = None
    isbn: str | None = None
    price: str | None = None
    format: str | None = None
    publicist: str | None = None
    contact: str | None = None
    reviewers: Path | None = None


def arc_settings(table: Mapping[str, Any], metadata: Metadata, root: Path,
                 where: Path | None) -> ArcSettings:
    """``[arc]`` read strictly (unknown keys are typos), defaulting the publication date and
    ISBN to the book's own ``date`` and print ISBN."""
    unknown = set(table) - ARC_KEYS
    if unknown:
        raise OctavoError(
            f"unknown key(s) in [arc]: {', '.join(sorted(unknown))} "
            f"(known: {', '.join(sorted(ARC_KEYS))})", where,
        )

    def text(key: str) -> str | None:
        value = table.get(key)
        if value is None:
            return None
        if isinstance(value, dt.date | dt.datetime):
            return value.isoformat()
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise OctavoError(f"[arc] '{key}' must be a string", where)
        return str(value).strip() or None

    reviewers = text("reviewers")
    reviewers_path = None
    if reviewers:
        reviewers_path = (root / reviewers).resolve()
        if root.resolve() not in reviewers_path.parents:
            raise OctavoError(f"[arc] reviewers '{reviewers}' is outside the book's folder", where)
    return ArcSettings(
        publication_date=text("publication_date") or metadata.date,
        isbn=text("isbn") or metadata.isbn.print,
        price=text("price"),
        format=text("format"),
        publicist=text("publicist"),
        contact=text("contact"),
        reviewers=reviewers_path,
    )


def arc_details(arc: ArcSettings, page_count_html: str) -> tuple[tuple[str, str], ...]:
    """(label, value HTML) rows of the information page, in the order the trade expects."""
    rows: list[tuple[str, str]] = []
    if arc.publication_date:
        rows.append(("Publication date", escape(arc.publication_date)))
    if arc.isbn:
        rows.append(("ISBN", escape(arc.isbn)))
    if arc.price:
        rows.append(("Price", escape(arc.price)))
    if arc.format:
        rows.append(("Format", escape(arc.format)))
    rows.append(("Pages", page_count_html))
    contact = " · ".join(escape(v) for v in (arc.publicist, arc.contact) if v)
    if contact:
        rows.append(("Publicity", contact))
    return tuple(rows)


def arc_page_html(metadata: Metadata, arc: ArcSettings, page_count_html: str) -> str:
    """The ARC information page's body, the same markup for print and ebook."""
    rows = "\n".join(
        f'<tr><th scope="row">{label}</th><td>{value}</td></tr>'
        for label, value in arc_details(arc, page_count_html)
    )
    byline = (f'<p class="arc-info-book">{escape(metadata.title)}'
              + (f" — {escape(authors_line(metadata.authors, metadata.language))}"
                 if metadata.authors else "")
              + "</p>")
    return (
        f'<section class="arc-info" id="{ARC_PAGE_ID}" role="doc-notice" aria-label="{ARC_TITLE}">\n'
        f'<h2 class="arc-info-title">{ARC_TITLE}</h2>\n'
        f"{byline}\n"
        f'<p class="arc-notice">{escape(NOTICE)}</p>\n'
        f'<table class="arc-details">\n{rows}\n</table>\n'
        "</section>"
    )


# The page count a print ARC states is the final one, resolved by WeasyPrint in the same layout
# (page-based counters are filled in when pagination is done): the number of the leaf-end
# page below, which counts as a page only where it is kept. Laid out chapter by chapter, the
# front matter finds a stand-in for the leaf-end page holding that count (``PdfOptions.
# page_count_target``).
PRINT_PAGE_COUNT_HTML = '<span class="arc-page-count"></span>'

# Printers bind leaves of two pages, so the review edition ends on a verso, and every page of
# it is laid out, so each carries the edition mark. An empty element after the last page of the
# book opens a page of its own (its own page name) with nothing in its margins, no head, no
# folio: when that page is a verso it ends the last leaf; when it is a recto the book already
# ended on a verso and arc.py drops it. A recto leaf-end page does not advance the page counter,
# so its number is the final count either way: one layout, whatever the parity.
LEAF_END_ID = "arc-leaf-end"
LEAF_END_PAGE = "arc-leaf-end"
PRINT_BACK_HTML = f'<div class="arc-leaf-end" id="{LEAF_END_ID}" aria-hidden="true"></div>'


def leaf_end_css() -> str:
    """The leaf-end page: named, so it always starts a page, and empty in every margin box
    whichever side it falls on (a name and a side outrank any theme rule for that side)."""
    boxes = margin_boxes_empty()
    return (
        f".arc-leaf-end {{ page: {LEAF_END_PAGE}; break-before: page; height: 0; margin: 0;"
        " padding: 0; border: 0; }\n"
        f"@page {LEAF_END_PAGE}:left {{ {boxes} }}\n"
        f"@page {LEAF_END_PAGE}:right {{ counter-increment: page 0; {boxes} }}\n"
        f".arc-page-count::after {{ content: target-counter(url(#{LEAF_END_ID}), page); }}\n"
    )


def print_front_html(metadata: Metadata, arc: ArcSettings) -> tuple[str, ...]:
    """What the print edition inserts after its title page: the ARC page."""
    return (arc_page_html(metadata, arc, PRINT_PAGE_COUNT_HTML),)


# Fixed, so WeasyPrint repeats it on every page, blank ones and the title page included.
PRINT_MARK_HTML = f'<div class="arc-edition-mark" aria-hidden="true">{escape(EDITION_MARK)}</div>'


# The review edition's own rules come after the theme's. Where the mark sits, and that it is
# never suppressed on blank or opening pages, is fixed here; how the mark and the ARC page look
# are defaults at zero specificity (:where), so any rule of the theme's print.css wins.
PRINT_CSS = """
.arc-edition-mark {
  position: fixed;
  left: 0;
  right: 0;
  bottom: -0.5in;
  text-align: center;
  text-indent: 0;
  white-space: nowrap;
}
.arc-info {
  break-before: right;
  break-after: page;
}
/* The notice and the details are read verbatim (and read back for the page count). */
.arc-info p, .arc-info td { hyphens: manual; }
:where(.arc-edition-mark) { font-size: 7pt; letter-spacing: 0.04em; color: #3f3f3f; }
:where(.arc-info) { text-align: left; hyphens: manual; padding-top: 0.9in; }
:where(.arc-info) p { text-indent: 0; margin: 0 0 0.8em; }
:where(.arc-info-title) { font-size: 1.5em; font-weight: normal; margin: 0 0 1em; }
:where(.arc-notice) { font-style: italic; }
:where(.arc-details) { border-collapse: collapse; margin-top: 1.2em; }
:where(.arc-details) th { text-align: left; font-weight: normal; font-style: italic;
  padding: 0.15em 1.2em 0.15em 0; vertical-align: top; }
:where(.arc-details) td { padding: 0.15em 0; }
""" + leaf_end_css()

# Reading systems differ in selector support, so the ebook's defaults are plain class rules;
# a theme overrides them with a more specific selector (``body .arc-banner``).
EPUB_CSS = """
.arc-banner { margin: 0 0 2em; padding: 0.4em 0; border-top: 1px solid;
  border-bottom: 1px solid; font-size: 0.8em; text-align: center; }
.arc-banner p { text-indent: 0; margin: 0; }
.arc-info { text-align: left; }
.arc-info p { text-indent: 0; margin: 0 0 0.8em; }
.arc-info-title { margin: 1em 0; }
.arc-notice { font-style: italic; }
.arc-details { border-collapse: collapse; margin-top: 1em; }
.arc-details th { text-align: left; font-weight: normal; font-style: italic;
  padding: 0.15em 1em 0.15em 0; vertical-align: top; }
"""


def epub_banner_html() -> str:
    """The notice at the start of every chapter file; personal copies add a line inside it."""
    return f'<div class="arc-banner" role="note"><p class="arc-edition">{escape(EDITION_MARK)}</p></div>\n'


def replace_options(options: Any, **changes: Any) -> Any:
    """``dataclasses.replace`` that appends to the hooks rather than overwriting them, so the
    review edition keeps whatever the trade edition's options already carry."""
    merged: dict[str, Any] = {}
    for key, value in changes.items():
        current = getattr(options, key)
        if isinstance(current, str):
            merged[key] = current + value
        elif isinstance(current, tuple):
            merged[key] = current + tuple(value)
        else:
            merged[key] = value
    return replace(options, **merged)
