"""The printed book's display pages, made from the book's metadata: half-title, title page,
copyright page, dedication and epigraph pages, and the contents.

Only print has these pages (an ebook has its own title page and navigation), so this markup is
the PDF backend's; content that came from the manuscript (a dedication chapter, a preface) is
still rendered by ``render.html``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from ..model import Book, Metadata
from .html import (
    HtmlOptions,
    Section,
    book_sections,
    chapter_label,
    escape,
    part_label,
    part_number_line,
    render_blocks,
    semantic_attrs,
)
from .labels import NumberStyle, authors_line, word

# Roles set as a display page (no heading, text centred) rather than as a chapter.
DISPLAY_ROLES = frozenset({"dedication", "epigraph"})

TocKind = Literal["part", "chapter", "front", "back"]


@dataclass(frozen=True, slots=True)
class FrontMatterChoice:
    """Which generated pages a printed book gets."""

    half_title: bool
    title_page: bool
    copyright: bool
    contents: bool


def default_front_matter(book: Book) -> FrontMatterChoice:
    """A book of more than one chapter gets the full set; a single piece (a story, a sample
    chapter) starts on its text."""
    chapters = sum(1 for s in book_sections(book) if s.kind == "chapter")
    full = chapters > 1
    return FrontMatterChoice(full, full, full, full)


def half_title_html(meta: Metadata) -> str:
    return (f'<section class="half-title" role="doc-halftitle">\n'
            f'<p class="half-title-text">{escape(meta.title)}</p>\n</section>')


def title_page_lines(meta: Metadata) -> list[str]:
    """What the title page says, in order: title, subtitle, authors, publisher."""
    return [meta.title, *([meta.subtitle] if meta.subtitle else []),
            *([authors_line(meta.authors, meta.language)] if meta.authors else []),
            *([meta.publisher] if meta.publisher else [])]


def title_page_html(meta: Metadata) -> str:
    """The title page both editions open with."""
    parts = [f'<section class="title-page" {semantic_attrs("titlepage")}>',
             f'<h1 class="book-title">{escape(meta.title)}</h1>']
    if meta.subtitle:
        parts.append(f'<p class="subtitle">{escape(meta.subtitle)}</p>')
    if meta.authors:
        parts.append(f'<p class="author">{escape(authors_line(meta.authors, meta.language))}</p>')
    if meta.publisher:
        parts.append(f'<p class="publisher">{escape(meta.publisher)}</p>')
    parts.append("</section>")
    return "\n".join(parts)


def copyright_year(meta: Metadata) -> str | None:
    m = re.match(r"\d{4}", meta.date or "")
    return m.group(0) if m else None


def copyright_lines(meta: Metadata, edition: str | None, credits: Iterable[str]) -> list[str]:
    """The copyright page, line by line: rights (or a notice made from the year and authors),
    the print ISBN, the edition, credits and the publisher."""
    language = meta.language
    lines: list[str] = []
    year = copyright_year(meta)
    if meta.rights:
        lines.append(meta.rights)
    elif year:
        # A notice is only made for a dated edition: an undated text (a public-domain
        # transcription) must not be claimed for anyone.
        holder = authors_line(meta.authors, language) or meta.publisher or ""
        notice = " ".join(p for p in ("©", year, holder) if p)
        lines.append(f"{word('copyright', language)} {notice}")
        lines.append(word("rights", language))
    if meta.isbn.print:
        lines.append(f"{word('isbn', language)} {meta.isbn.print}")
    if edition:
        lines.append(edition)
    lines.extend(credits)
    if meta.publisher:
        lines.append(meta.publisher)
    return lines


def copyright_page_html(meta: Metadata, edition: str | None, credits: Iterable[str]) -> str:
    """The copyright page ('' when the book gives nothing to print on it)."""
    lines = copyright_lines(meta, edition, credits)
    if not lines:
        return ""
    body = "\n".join(f"<p>{escape(line)}</p>" for line in lines)
    return (f'<section class="copyright-page" role="doc-colophon" '
            f'aria-label="{escape(word("copyright", meta.language))}">\n{body}\n</section>')


def display_page_html(book: Book, section: Section, opts: HtmlOptions) -> str:
    """A dedication or epigraph: its text alone, centred on its own page."""
    chapter = section.chapter
    assert chapter is not None
    role = chapter.role
    aria = {"dedication": "doc-dedication", "epigraph": "doc-epigraph"}.get(role, "")
    return (f'<section class="{role} display-page" id="{section.id}" role="{aria}">\n'
            f"{render_blocks(chapter.blocks, opts)}\n</section>")


@dataclass(frozen=True, slots=True)
class TocEntry:
    target: str
    kind: TocKind
    number: str | None
    title: str


def toc_entries(book: Book, sections: Iterable[Section], style: NumberStyle) -> list[TocEntry]:
    """One entry per part and chapter the reader can turn to, in page order."""
    out: list[TocEntry] = []
    for s in sections:
        if s.kind == "part" and s.part is not None:
            out.append(TocEntry(s.id, "part", part_number_line(book, s.part, style),
                                part_label(book, s.part)))
        elif s.chapter is not None:
            number, title = chapter_label(book, s.chapter, style, with_number=True)
            short = _bare_number(number)
            out.append(TocEntry(s.id, s.kind, short, title))
    return out


def _bare_number(number_line: str | None) -> str | None:
    """``Chapter Seven`` -> ``Seven``: the word is the contents' heading already."""
    if not number_line:
        return None
    return number_line.split(" ", 1)[-1]


def contents_html(book: Book, entries: Iterable[TocEntry]) -> str:
    """The contents; the theme adds leaders and page numbers with ``target-counter`` on each
    link (``folio`` for the body, ``page`` in lower-case roman for front matter)."""
    items = []
    for e in entries:
        number = f'<span class="toc-number">{escape(e.number)}</span> ' if e.number else ""
        items.append(f'<li class="toc-{e.kind}"><a href="#{e.target}">{number}'
                     f'<span class="toc-title">{escape(e.title)}</span></a></li>')
    heading = escape(word("contents", book.metadata.language))
    return (f'<nav class="contents" role="doc-toc" id="contents">\n'
            f'<h2 class="contents-title">{heading}</h2>\n<ol>\n' + "\n".join(items)
            + "\n</ol>\n</nav>")
