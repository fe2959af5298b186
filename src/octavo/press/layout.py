"""PDF backend: the shared XHTML in one print document, laid out by WeasyPrint.

The document is front matter (generated display pages, then the book's own front chapters),
then the body and back matter. Structure that every theme relies on lives here as CSS:
named pages (``front``, ``front-chapter``, ``main``, ``part``, ``chapter``), the ``folio``
counter (arabic from 1 on the first body page; front matter uses ``page`` in roman), the
running-head strings (``verso-head``, ``recto-head``) and chapter breaks. A theme's
``print.css`` only decides how those look.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from ..errors import OctavoError
from ..model import Book, body_chapters, inline_text
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
from .geometry import TRIMS, gutter_for_pages, least_edge, margins_for, trim_size
from .hyphenation import apply_hyphenation_exceptions
from .settings import PrintSettings

if TYPE_CHECKING:
    from .cache import ChapterCache

__all__ = ["TRIMS", "PdfOptions", "PdfResult", "page_css", "print_document", "render_pdf",
           "trim_size"]

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
    # "optimal": octavo chooses every justified paragraph's line breaks (press/lines.py);
    # "browser": WeasyPrint's own greedy breaking.
    line_breaking: Literal["browser", "optimal"] = "optimal"


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
    """A first guess of the page count (about 2,000 characters fill a 6 × 9 in page), so most
    books are laid out once: only a guess in the wrong gutter band costs a second pass."""
    w, h = trim_size(trim)
    chars = sum(len(inline_text(c.title)) + 400 for c in body_chapters(book))
    from ..model import all_chapters, block_text

    chars += sum(len(block_text(b)) for c in all_chapters(book) for b in c.blocks)
    per_page = 2000 * (w * h) / 54
    return int(chars / per_page) + 2 * chapter_count(book) + 8


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


@dataclass(frozen=True, slots=True)
class PrintLayout:
    """A laid-out print document and what it was laid out from: the final HTML (octavo's
    chosen lines and page breaks) and the stylesheets in cascade order, each with the base
    URL its ``url()``s resolve against (None: it has none or only absolute ones)."""

    document: Any
    html: str
    stylesheets: tuple[tuple[str, str | None], ...]
    pages: int  # the page count the margins were set for


def pdf_variant(pdf_x: str) -> str | None:
    """WeasyPrint's name for the PDF/X variant ``[print] pdf_x`` asks for, if any."""
    return {"x-4": "pdf/x-4", "x-1a": "pdf/x-1a"}.get(pdf_x)


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


def _layout(book: Book, options: PdfOptions, pages: int) -> PrintLayout:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    roots = (options.theme.path, *options.allowed_roots, ICC_DIR)
    fetcher = confined_fetcher(roots)
    fonts = FontConfiguration()
    # Filled by an @color-profile rule and read when the document is laid out (PDF/X intent).
    profiles: dict[str, Any] = {}
    base = options.allowed_roots[0] if options.allowed_roots else options.theme.path
    document_html = print_document(book, options.extra_front_html, options.press,
                                   options.extra_back_html, options.every_page_html)
    document_html = with_dates(document_html, options.modified)
    html = HTML(string=document_html, base_url=str(base) + "/", url_fetcher=fetcher)
    sources = stylesheet_sources(book, options, pages)
    stylesheets = [CSS(string=text, base_url=sheet_base, url_fetcher=fetcher, font_config=fonts,
                       color_profiles=profiles) for text, sheet_base in sources]

    def laid_out(document: Any, final_html: str) -> PrintLayout:
        return PrintLayout(document, final_html, sources, pages)

    if options.line_breaking != "optimal":
        return laid_out(html.render(stylesheets=stylesheets, font_config=fonts,
                                    color_profiles=profiles), document_html)
    from .lines import prebreak
    from .notes import NOTE_MARK, NOTES_CSS, run_on_notes
    from .spreads import laid_out_level

    def lay_out(text: str) -> Any:
        return HTML(string=text, base_url=str(base) + "/", url_fetcher=fetcher).render(
            stylesheets=stylesheets, font_config=fonts, color_profiles=profiles)

    document, final_html, _ = laid_out_level(prebreak(document_html, lay_out), lay_out,
                                             options.press.level_spreads)
    if NOTE_MARK not in document_html:
        return laid_out(document, final_html)
    # Notes too long for the room left under their calls run on (as each piece's do).
    notes_sheet = CSS(string=NOTES_CSS, font_config=fonts)
    final: dict[str, str] = {}

    def lay_out_run_on(text: str) -> Any:
        return HTML(string=text, base_url=str(base) + "/", url_fetcher=fetcher).render(
            stylesheets=[*stylesheets, notes_sheet], font_config=fonts,
            color_profiles=profiles)

    def set_and_lay_out(split_html: str) -> tuple[Any, int]:
        laid, final[split_html], taken = laid_out_level(
            prebreak(split_html, lay_out_run_on), lay_out_run_on, options.press.level_spreads)
        return laid, taken

    run_on, split_html, _ = run_on_notes(document_html, document, set_and_lay_out)
    if split_html == document_html:
        return laid_out(document, final_html)
    return PrintLayout(run_on, final[split_html], (*sources, (NOTES_CSS, None)), pages)


def settled_layout(book: Book, options: PdfOptions) -> PrintLayout:
    """The print layout in the gutter band of its own page count."""

    def lay_out(pages: int) -> tuple[PrintLayout, int]:
        laid = _layout(book, options, pages)
        return laid, len(laid.document.pages)

    return in_gutter_band(book, options.trim, lay_out)[0]


def section_start_pages(document: Any, sections: Iterable[Section]) -> dict[str, int]:
    wanted = {s.id for s in sections}
    out: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for anchor in page.anchors:
            if anchor in wanted and anchor not in out:
                out[anchor] = index
    return out


def render_pdf(book: Book, options: PdfOptions, cache: ChapterCache | None = None) -> PdfResult:
    """Lay out and write the print interior: chapter by chapter (``press.pieces``, taking
    unchanged chapters from ``cache``), or as one document where WeasyPrint breaks the
    lines."""
    if options.line_breaking != "optimal":
        return render_pdf_whole(book, options)
    from .pieces import render_pdf_in_pieces

    return render_pdf_in_pieces(book, options, cache)


def render_pdf_whole(book: Book, options: PdfOptions) -> PdfResult:
    """Lay out and write the print interior as one document. The inside margin depends on the
    page count, so a layout whose count lands in another gutter band is laid out again with
    that band's."""
    from .finish import finish_pdf
    from .fonts import with_faces_from_files

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    laid = settled_layout(book, options)
    document, used = laid.document, laid.pages
    written = document.write_pdf(uncompressed_pdf=False,
                                 pdf_variant=pdf_variant(options.press.pdf_x))
    data = finish_pdf(with_faces_from_files(written, options.theme.fonts),
                      bleed=options.press.bleed,
                      identifier=options.identifier or book.metadata.identifier,
                      language=book.metadata.language, pdf_x=bool(options.press.pdf_x),
                      author=authors_line(book.metadata.authors, book.metadata.language))
    m = margins_for(trim_size(options.trim), used)
    pages = len(document.pages) + len(document.pages) % 2  # padded to whole leaves
    from .rebroken import rebroken_lines

    return PdfResult(data, pages,
                     section_start_pages(document, book_sections(book)), m.inside,
                     rebroken=tuple(line.chosen for line in rebroken_lines(document)))
