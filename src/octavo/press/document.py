"""The print document: the book as print HTML, its stylesheets, the options it is made with
and the URL fetcher WeasyPrint reads its files through. Laying it out is ``press.pieces``'s.

The document is front matter (generated display pages, then the book's own front chapters),
then the body and back matter. Structure that every theme relies on lives here as CSS:
named pages (``front``, ``front-chapter``, ``main``, ``part``, ``chapter``), the ``folio``
counter (arabic from 1 on the first body page; front matter uses ``page`` in roman), the
running-head strings (``verso-head``, ``recto-head``) and chapter breaks. A theme's
``print.css`` only decides how those look.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from ..errors import OctavoError
from ..geometry import TRIMS, gutter_for_pages, least_edge, margins_for, trim_size
from ..model import Book, Part, all_chapters, block_text, body_chapters
from ..render.frontmatter import (
    DISPLAY_ROLES,
    contents_html,
    copyright_page_html,
    default_front_matter,
    display_page_html,
    half_title_html,
    title_page_html,
    toc_entries,
)
from ..render.html import (
    HtmlOptions,
    Section,
    book_sections,
    collect_notes,
    escape,
    note_numbers,
    render_chapter,
    render_part_title,
)
from ..render.labels import authors_line
from ..render.pagemap import PageMap
from ..themes import Theme
from .hyphenation import apply_hyphenation_exceptions
from .settings import PrintSettings

__all__ = ["TRIMS", "PdfOptions", "PdfResult", "page_css", "print_document", "trim_size"]

T = TypeVar("T")

# The CMYK characterisation a PDF/X file declares as its output intent (see press/icc/).
ICC_DIR = Path(__file__).resolve().parents[1] / "press" / "icc"
ICC_PROFILE = ICC_DIR / "FOGRA39L-octavo.icc"


@dataclass(frozen=True, slots=True)
class PdfOptions:
    theme: Theme
    trim: str = "6x9"
    # Folders WeasyPrint may read from (the book's and the theme's); nothing else, no network.
    allowed_roots: tuple[Path, ...] = ()
    # Editions built on the trade interior (review copies) add pages after the title page,
    # elements after the last page and rules after the theme's, without the backend knowing
    # what they are for.
    extra_front_html: tuple[str, ...] = ()
    extra_css: str = ""
    extra_back_html: tuple[str, ...] = ()
    # Elements on every page (``position: fixed``: WeasyPrint repeats one on each page of the
    # document that holds it), as a review edition's mark. Laid out in pieces, the front
    # matter and the margin layer hold them (the layer is drawn over every body page and is
    # every blank page).
    every_page_html: tuple[str, ...] = ()
    # The id of an element after the last page whose page number the front matter states as
    # the page count (``target-counter(url(#id), page)``), the element counting only where it
    # ends a leaf (a review edition's). Laid out in pieces, the front matter is laid out
    # before that page: it gets a stand-in holding the count, the body's pages padded to
    # whole leaves.
    page_count_target: str = ""
    press: PrintSettings = field(default_factory=PrintSettings)
    # The date written into the PDF (creation and modification); ``None`` writes none.
    modified: dt.datetime | None = None
    identifier: str = ""
    # For reading on screens (press/tagged.py): a structure tree, running heads and folios as
    # artifacts, the title shown by viewers.
    tagged: bool = False


@dataclass(frozen=True, slots=True)
class PdfResult:
    data: bytes
    page_count: int
    # Page index (0-based) where each part and chapter (by section id) begins.
    section_pages: dict[str, int] = field(default_factory=dict)
    inside_margin: float = 0.0
    page_map: PageMap | None = None  # where each page begins, when asked for
    # Lines octavo chose that WeasyPrint printed otherwise (``press.rebroken``).
    rebroken: tuple[str, ...] = ()


def page_css(trim: str, pages: int = 0, bleed: bool = False, printer: str = "") -> str:
    """Page size and mirrored margins: the inside (bound) edge grows with the page count, and
    the head and foot keep the named printer's least distance to the trim."""
    w, h = trim_size(trim)
    m = margins_for((w, h), pages, least_edge(printer, bleed))
    bleed_rule = "bleed: 0.125in; marks: none;" if bleed else ""
    return (
        f"@page {{ size: {w:.4f}in {h:.4f}in; {bleed_rule}"
        f"margin: {m.top}in {m.outside}in {m.bottom}in {m.inside}in; }}\n"
        f"@page :left {{ margin-left: {m.outside}in; margin-right: {m.inside}in; }}\n"
        f"@page :right {{ margin-left: {m.inside}in; margin-right: {m.outside}in; }}\n"
        # Display pages fill the type area so their parts can sit at its foot.
        f".half-title, .title-page, .copyright-page, .display-page {{ box-sizing: border-box;"
        f" position: relative; height: {h - m.top - m.bottom - 0.02:.3f}in; }}\n"
    )


MARGIN_BOXES = ("top-left-corner", "top-left", "top-center", "top-right", "top-right-corner",
                "right-top", "right-middle", "right-bottom", "bottom-right-corner",
                "bottom-right", "bottom-center", "bottom-left", "bottom-left-corner",
                "left-bottom", "left-middle", "left-top")
PAGE_NAMES = ("", "front", "display", "front-chapter", "main", "part", "chapter")


def margin_boxes_empty(important: bool = False) -> str:
    """Declarations, inside an ``@page`` rule, that leave every margin box empty."""
    value = "none !important" if important else "none"
    return " ".join(f"@{box} {{ content: {value}; }}" for box in MARGIN_BOXES)


def blank_page_css() -> str:
    """A page left blank so the next part opens on a recto carries nothing at all: no head,
    no folio. Set after the theme, for every page name, so no theme rule can outrank it."""
    boxes = margin_boxes_empty()
    return "\n".join(f"@page {name}:blank {{ {boxes} }}" for name in PAGE_NAMES) + "\n"


def structure_css(book: Book, sections: Iterable[Section], press: PrintSettings) -> str:
    """Named pages, folio counters, breaks, running-head strings and bookmarks."""
    opener_break = "right" if press.recto_openers else "page"
    css = [
        "@page :first { counter-reset: folio 0; }",
        # Only body pages count towards the arabic folio; front matter is numbered in roman.
        "@page main { counter-increment: folio; }",
        "@page chapter { counter-increment: folio; }",
        "@page part { counter-increment: folio; }",
        ".frontmatter { page: front; }",
        ".frontmatter > section.front-chapter { page: front-chapter; }",
        ".half-title, .title-page, .copyright-page, .display-page, .extra-front"
        " { page: display; }",
        "span.no-hyphens { hyphens: manual; }",
        ".mainmatter, .backmatter { page: main; }",
        ".mainmatter > section.part { page: part; }",
        ".mainmatter > section:not(.part), .backmatter > section { page: chapter; }",
        f".frontmatter > section.front-chapter, .mainmatter > section, .backmatter > section"
        f" {{ break-before: {opener_break}; }}",
        # A part-title page stands alone: its first chapter opens on the next recto.
        ".mainmatter > section.part { break-before: right; break-after: right; }",
        ".half-title { break-after: page; }",
        ".title-page { break-before: right; }",
        ".extra-front { break-before: page; }",
        # The copyright page backs the title page (or the last page an edition added after it).
        ".copyright-page { break-before: left; }",
        ".display-page, nav.contents { break-before: right; }",
        ".page-break { break-after: page; }",
        "p.hint-keep-together { break-inside: avoid; }",
        "hr.scene-break { break-after: avoid; break-before: avoid; }",
        "hr.scene-break + p { break-before: avoid; }",
        # Set once by an empty element at the start: WeasyPrint re-applies an ancestor's
        # string-set on every page it continues onto, so body could never be overridden.
        ".book-strings { string-set: verso-head attr(data-author), recto-head attr(data-title); }",
        "h1, h2, h3, h4, h5, h6 { bookmark-level: none; }",
    ]
    if press.running_head == "chapter":
        css.append(".mainmatter > section:not(.part), .backmatter > section,"
                   " .frontmatter > section.front-chapter"
                   " { string-set: recto-head attr(data-title); }")
    elif press.running_head == "title":
        css.append(".mainmatter > section, .backmatter > section,"
                   " .frontmatter > section.front-chapter { string-set: none; }")
    elif press.running_head == "none":
        css.append(".book-strings { string-set: verso-head '', recto-head ''; }"
                   ".mainmatter > section, .backmatter > section,"
                   " .frontmatter > section.front-chapter { string-set: none; }")
    in_part = False
    for s in sections:
        if s.kind == "part":
            in_part = True
            # The title is the section's h1, or the h1 of the hgroup under its label line.
            css.append(f"#{s.id} > .part-title, #{s.id} > hgroup > .part-title"
                       " { bookmark-level: 1; }")
        elif s.kind == "chapter" or s.kind == "back" or s.kind == "front":
            if s.chapter is not None and s.chapter.role in DISPLAY_ROLES:
                continue
            level = 2 if in_part and s.kind == "chapter" else 1
            if s.kind == "back":
                in_part = False
            css.append(f"#{s.id} > header > .chapter-title,"
                       f" #{s.id} > header > hgroup > .chapter-title"
                       f" {{ bookmark-level: {level}; }}")
    return "\n".join(css) + "\n"


def chapter_count(book: Book) -> int:
    return sum(1 for _ in body_chapters(book))


@dataclass(frozen=True, slots=True)
class PrintParts:
    """The print document cut where pages must break anyway: its head, the front matter (one
    run of pages) and each part or chapter of the body and back matter. ``print_document``
    joins them into one document; a chapter laid out alone is one of them in the same head."""

    head: str  # from the doctype to the body's start tag
    strings: str  # the running heads' element, inside a document's first page element
    every_page: str  # elements on every page, at the end of the front matter where it is
    front: tuple[str, ...]
    main: tuple[tuple[Section, str], ...]
    back: tuple[tuple[Section, str], ...]
    extra_back: tuple[str, ...]
    hyphenation: tuple[str, ...]

    def _body(self, front: list[str], main: list[str], back: list[str],
              extra_back: tuple[str, ...] = (), whole: bool = False) -> str:
        # Inside the first page's own element: a sibling before it would get a page of its own.
        first = front if front else main if main else back
        # A piece of the body leaves the elements on every page to the margin layer.
        every_page = self.every_page if front or whole else ""
        if front and every_page:
            # WeasyPrint draws a fixed element after the text of the pages before its own:
            # so the front pages read text first, as their page map expects.
            cut = front[-1].rindex("</")
            front[-1] = front[-1][:cut] + every_page + front[-1][cut:]
            every_page = ""
        if first:
            cut = first[0].index(">") + 1
            first[0] = first[0][:cut] + self.strings + every_page + first[0][cut:]
        body = "\n".join(
            [f'<div class="frontmatter">\n{chr(10).join(front)}\n</div>' if front else "",
             f'<div class="mainmatter">\n{chr(10).join(main)}\n</div>' if main or whole
             else "",
             f'<div class="backmatter">\n{chr(10).join(back)}\n</div>' if back else "",
             *extra_back])
        body = apply_hyphenation_exceptions(body, self.hyphenation)
        return self.head + body + "\n</body>\n</html>\n"

    def document(self) -> str:
        """The whole book as one HTML document."""
        return self._body(list(self.front), [html for _, html in self.main],
                          [html for _, html in self.back], self.extra_back, whole=True)

    def sections(self) -> tuple[tuple[Section, str], ...]:
        return self.main + self.back

    def section_document(self, index: int, before: str = "") -> str:
        """One part or chapter of the body or back matter (by its index in ``sections``) as a
        document of its own, in the wrapper it has in the whole book; the edition's elements
        after the last page go with the last. ``before``: elements ahead of the section."""
        section, html = self.sections()[index]
        last = index == len(self.sections()) - 1
        extra = self.extra_back if last else ()
        if section.kind == "back":
            return self._body([], [], [before + html], extra)
        return self._body([], [before + html], [], extra)

    def front_document(self, after: str = "") -> str:
        """The front matter as a document of its own; ``after``: elements at its end, inside
        its last element (a sibling of another page name would open a page of its own)."""
        front = list(self.front)
        if front:
            cut = front[-1].rindex("</")
            front[-1] = front[-1][:cut] + after + front[-1][cut:]
        return self._body(front, [], [], ())


def print_parts(
    book: Book,
    extra_front_html: tuple[str, ...] = (),
    press: PrintSettings | None = None,
    extra_back_html: tuple[str, ...] = (),
    every_page_html: tuple[str, ...] = (),
) -> PrintParts:
    press = press or PrintSettings()
    meta = book.metadata
    notes = collect_notes(book)
    opts = HtmlOptions(notes="inline", note_bodies=notes, note_numbers=note_numbers(notes))
    sections = book_sections(book)
    choice = default_front_matter(book)

    def wanted(flag: bool | None, default: bool) -> bool:
        return default if flag is None else flag

    front: list[str] = []
    if wanted(press.half_title, choice.half_title):
        front.append(half_title_html(meta))
    if wanted(press.title_page, choice.title_page):
        front.append(title_page_html(meta))
    front.extend(f'<div class="extra-front">\n{extra}\n</div>' for extra in extra_front_html)
    if wanted(press.copyright, choice.copyright):
        front.append(copyright_page_html(meta, press.edition, press.credits))
    front_sections = [s for s in sections if s.kind == "front"]
    for s in front_sections:
        if s.chapter is not None and s.chapter.role in DISPLAY_ROLES:
            front.append(display_page_html(book, s, opts))
    listed = [s for s in sections if not (s.chapter and s.chapter.role in DISPLAY_ROLES)]
    if wanted(press.contents, choice.contents):
        front.append(contents_html(book, toc_entries(book, listed, press.chapter_numbers)))
    for s in front_sections:
        if s.chapter is not None and s.chapter.role not in DISPLAY_ROLES:
            front.append(_front_chapter(render_chapter(book, s, opts, press.chapter_numbers,
                                                       with_number=True)))
    main = tuple((s, render_section_html(book, s, opts, press)) for s in sections
                 if s.kind in ("part", "chapter"))
    back = tuple((s, render_section_html(book, s, opts, press)) for s in sections
                 if s.kind == "back")

    head = [f"<title>{escape(meta.title)}</title>"]
    for author in meta.authors:
        head.append(f'<meta name="author" content="{escape(author)}"/>')
    if meta.description:
        head.append(f'<meta name="description" content="{escape(meta.description)}"/>')
    if meta.subjects:
        head.append(f'<meta name="keywords" content="{escape(", ".join(meta.subjects))}"/>')
    author = authors_line(meta.authors, meta.language) or meta.title
    strings = (f'<div class="book-strings" data-title="{escape(meta.title)}" '
               f'data-author="{escape(author)}"></div>')
    document_head = (
        f'<!DOCTYPE html>\n<html lang="{escape(meta.language)}" '
        f'xmlns:epub="http://www.idpf.org/2007/ops">\n<head>\n<meta charset="utf-8"/>\n'
        + "\n".join(head)
        + f'\n</head>\n<body data-title="{escape(meta.title)}" data-author="{escape(author)}">\n')
    return PrintParts(document_head, strings, "".join(every_page_html),
                      tuple(page for page in front if page), main, back, extra_back_html,
                      press.hyphenation_exceptions)


def print_document(
    book: Book,
    extra_front_html: tuple[str, ...] = (),
    press: PrintSettings | None = None,
    extra_back_html: tuple[str, ...] = (),
    every_page_html: tuple[str, ...] = (),
) -> str:
    """The whole book as one HTML document for print."""
    return print_parts(book, extra_front_html, press, extra_back_html,
                       every_page_html).document()


def _front_chapter(html: str) -> str:
    """Front chapters (a preface) open like chapters but sit among the roman-numbered pages."""
    return html.replace('<section class="', '<section class="front-chapter ', 1)


def render_section_html(book: Book, section: Section, opts: HtmlOptions,
                        press: PrintSettings) -> str:
    """One part-title page or one chapter of the body or back matter: every paragraph of the
    printed text is made here."""
    if section.kind == "part":
        return render_part_title(book, section, opts, press.chapter_numbers, with_number=True)
    return mark_initial(render_chapter(book, section, opts, press.chapter_numbers,
                                       with_number=True))


_OPENING_PARAGRAPH = re.compile(
    r'(</header>\s*<p class="first)([^"]*)(">)([“"‘\'«„¡¿(\[]*\w)')


def mark_initial(chapter_html: str) -> str:
    """The chapter's first letter (with any opening quote) in its own span, for a theme's drop
    cap: WeasyPrint 70 draws a floated ``::first-letter`` over the rest of its word."""
    return _OPENING_PARAGRAPH.sub(
        r'\1 has-initial\2\3<span class="initial">\4</span>', chapter_html, count=1)


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


def estimated_pages(book: Book, trim: str) -> int:
    """A first guess of the page count, so that most books are laid out once: a guess in
    another gutter band than the book's own costs a second layout of every chapter.

    Fitted to the page counts of the corpus's three novels at 6 × 9 in (80, 264 and 368
    pages): about 2,260 characters of text fill a page, each chapter adds about one (its
    opening's sink and the rest of its last page), a part two (its title page and the blank
    after it), the front matter about six. The old guess (2,000 characters a page, two a
    chapter) was a fifth too high and laid a 264-page novel out twice."""
    w, h = trim_size(trim)
    chars = sum(len(block_text(b)) for c in all_chapters(book) for b in c.blocks)
    per_page = 2260 * (w * h) / 54
    parts = sum(1 for item in book.body if isinstance(item, Part))
    return round(chars / per_page) + chapter_count(book) + 2 * parts + 6


def _dates_html(modified: dt.datetime | None) -> str:
    if modified is None:
        return ""
    stamp = modified.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (f'<meta name="dcterms.created" content="{stamp}"/>\n'
            f'<meta name="dcterms.modified" content="{stamp}"/>\n')


def color_profile_css() -> str:
    """The rule that makes WeasyPrint write the bundled CMYK profile as the PDF/X output
    intent (the interior's and the cover's); its fetcher must be allowed to read ``ICC_DIR``."""
    if not ICC_PROFILE.is_file():
        raise OctavoError(f"the CMYK profile for PDF/X is missing: {ICC_PROFILE}")
    return (f"@color-profile device-cmyk {{ src: url({ICC_PROFILE.as_uri()}); "
            "components: cyan, magenta, yellow, black; }\n")


def _x_css(press: PrintSettings) -> str:
    if not press.pdf_x:
        return ""
    black = "device-cmyk(0 0 0 1)"
    return (
        color_profile_css() +
        # PDF/X with a CMYK intent allows no device RGB: set every colour as process black.
        f"html, html * {{ color: {black} !important; border-color: {black} !important; }}\n"
        f"@page {{ color: {black}; }}\n"
    )


def pdf_variant(pdf_x: str, tagged: bool = False) -> str | None:
    """WeasyPrint's name for the PDF/X variant ``[print] pdf_x`` asks for, if any, marked
    for a tagged PDF (press/tagged.py) when ``tagged``."""
    variant = {"x-4": "pdf/x-4", "x-1a": "pdf/x-1a"}.get(pdf_x)
    if tagged:
        from .tagged import tagged_variant

        return tagged_variant(variant)
    return variant


def with_dates(html: str, modified: dt.datetime | None) -> str:
    """A print document dated (creation and modification) in its head."""
    return html.replace('<meta charset="utf-8"/>\n',
                        '<meta charset="utf-8"/>\n' + _dates_html(modified), 1)


def stylesheet_sources(book: Book, options: PdfOptions,
                       pages: int) -> tuple[tuple[str, str | None], ...]:
    """Every stylesheet of the print document in cascade order, each with the base URL its
    ``url()``s resolve against (None: it has none). The fifth sets the PDF/X intent."""
    theme_base = str(options.theme.path) + "/"
    return (
        (structure_css(book, book_sections(book), options.press), None),
        (options.theme.print_css, theme_base),
        (page_css(options.trim, pages, options.press.bleed, options.press.printer), None),
        (blank_page_css(), None),
        (_x_css(options.press), None),
    ) + (((options.extra_css, theme_base),) if options.extra_css else ())


def in_gutter_band(book: Book, trim: str,
                   lay_out: Callable[[int], tuple[T, int]]) -> tuple[T, int]:
    """What ``lay_out`` gives (with its page count) when laid out with the margins of a page
    count, laid out again with its own count's while that lands in another gutter band (the
    inside margin grows with the page count): the result, and the count its margins were
    set for."""
    used = estimated_pages(book, trim)
    for _ in range(3):
        result, count = lay_out(used)
        if gutter_for_pages(count) == gutter_for_pages(used):
            break
        used = count
    return result, used
