"""EPUB 3 backend: packages the shared XHTML with ebooklib, then re-zips it reproducibly.

Only packaging lives here (files, spine, navigation, metadata, zip); the markup of the book's
content comes from ``render.html``.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass

from ebooklib import epub

from ..model import Book
from ..themes import Theme
from .html import (
    HtmlOptions,
    Section,
    book_sections,
    collect_notes,
    escape,
    note_numbers,
    part_label,
    render_chapter,
    render_part_title,
    toc_label,
)
from .labels import word

# A fixed timestamp for every zip entry: the same input gives the same bytes.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True, slots=True)
class ExtraPage:
    """A page another edition adds after the title page: (file id, title, body XHTML)."""

    id: str
    title: str
    body: str


@dataclass(frozen=True, slots=True)
class EpubOptions:
    modified: dt.datetime
    theme: Theme
    # Editions built on the trade ebook (review copies) add pages, a banner at the start of
    # every chapter file, and CSS, without the backend knowing what they are for.
    extra_front: tuple[ExtraPage, ...] = ()
    chapter_banner_html: str = ""
    extra_css: str = ""


def render_epub(book: Book, options: EpubOptions) -> bytes:
    """The whole EPUB file as bytes."""
    meta = book.metadata
    lang = meta.language
    eb = epub.EpubBook()
    eb.set_identifier(meta.identifier)
    eb.set_title(meta.title)
    eb.set_language(lang)
    for i, author in enumerate(meta.authors):
        eb.add_author(author, uid=f"creator-{i}")
    if meta.publisher:
        eb.add_metadata("DC", "publisher", meta.publisher)
    if meta.rights:
        eb.add_metadata("DC", "rights", meta.rights)
    if meta.date:
        eb.add_metadata("DC", "date", meta.date)
    if meta.description:
        eb.add_metadata("DC", "description", meta.description)
    for subject in meta.subjects:
        eb.add_metadata("DC", "subject", subject)

    css = epub.EpubItem(
        uid="css", file_name="style/book.css", media_type="text/css",
        content=(options.theme.epub_css + "\n" + options.extra_css).encode("utf-8"),
    )
    eb.add_item(css)

    notes = collect_notes(book)
    html_opts = HtmlOptions(notes="linked", note_bodies=notes, note_numbers=note_numbers(notes))

    title_page = _page(
        "titlepage", word("title_page", lang), lang, css, _title_page_html(book)
    )
    eb.add_item(title_page)
    spine: list[epub.EpubHtml | str] = [title_page]
    for extra in options.extra_front:
        page = _page(extra.id, extra.title, lang, css, extra.body)
        eb.add_item(page)
        spine.append(page)
    toc: list[object] = []
    part_entry: tuple[epub.Section, list[epub.Link]] | None = None

    for section in book_sections(book):
        item = _section_page(book, section, html_opts, css, options.chapter_banner_html)
        eb.add_item(item)
        spine.append(item)
        if section.kind == "part" and section.part is not None:
            part_entry = (epub.Section(part_label(book, section.part), href=item.file_name), [])
            toc.append(part_entry)
            continue
        assert section.chapter is not None
        link = epub.Link(item.file_name, toc_label(book, section.chapter), section.id)
        if section.part is not None and part_entry is not None:
            part_entry[1].append(link)
        else:
            part_entry = None
            toc.append(link)

    eb.toc = toc
    eb.add_item(epub.EpubNcx())
    nav = epub.EpubNav()
    nav.title = word("contents", lang)
    eb.add_item(nav)
    eb.spine = spine  # the nav document stays out of the reading order
    eb.guide = []

    raw = io.BytesIO()
    epub.write_epub(raw, eb, {"mtime": options.modified, "epub2_guide": False, "epub3_pages": False,
                              "spine_direction": False, "package_direction": False})
    return reproducible_zip(raw.getvalue())


def _page(uid: str, title: str, lang: str, css: epub.EpubItem, body: str) -> epub.EpubHtml:
    page = epub.EpubHtml(uid=uid, title=title, file_name=f"text/{uid}.xhtml", lang=lang)
    page.content = f"<html><head><title>{escape(title)}</title></head><body>{body}</body></html>"
    page.add_link(href="../" + css.file_name, rel="stylesheet", type="text/css")
    return page


def _section_page(
    book: Book, section: Section, opts: HtmlOptions, css: epub.EpubItem, banner: str = ""
) -> epub.EpubHtml:
    if section.kind == "part":
        assert section.part is not None
        return _page(section.id, part_label(book, section.part), book.metadata.language, css,
                     render_part_title(book, section))
    assert section.chapter is not None
    return _page(section.id, toc_label(book, section.chapter), book.metadata.language, css,
                 banner + render_chapter(book, section, opts))


def _title_page_html(book: Book) -> str:
    meta = book.metadata
    parts = ['<section class="titlepage" epub:type="titlepage">',
             f'<h1 class="book-title">{escape(meta.title)}</h1>']
    if meta.subtitle:
        parts.append(f'<p class="subtitle">{escape(meta.subtitle)}</p>')
    if meta.authors:
        parts.append(f'<p class="author">{escape(", ".join(meta.authors))}</p>')
    if meta.publisher:
        parts.append(f'<p class="publisher">{escape(meta.publisher)}</p>')
    parts.append("</section>")
    return "\n".join(parts)


def reproducible_zip(data: bytes) -> bytes:
    """Re-pack an EPUB with ``mimetype`` first and stored, fixed timestamps and permissions."""
    src = zipfile.ZipFile(io.BytesIO(data))
    names = src.namelist()
    ordered = ["mimetype", *sorted(n for n in names if n != "mimetype")]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in ordered:
            info = zipfile.ZipInfo(name, ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            dst.writestr(info, src.read(name), compresslevel=9)
    return out.getvalue()
