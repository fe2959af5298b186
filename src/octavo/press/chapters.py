"""Each part and chapter laid out as a WeasyPrint document of its own, in a pool of processes.

A chapter opens a page of its own, so nothing on its pages depends on the chapters around it
except the page side it opens on, its first footnote's number, and what depends on absolute
page numbers (folios, the contents' numbers), which is drawn after the join
(:mod:`octavo.press.join`). So each one is set (lines chosen with the book's measurements,
level spreads planned) and laid out alone, in parallel, and kept in the chapter cache.
"""

from __future__ import annotations

import atexit
import ctypes
import gc
import logging
import multiprocessing
import os
import re
import sys
import tempfile
import threading
from collections import deque
from collections.abc import Callable, Hashable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, Protocol, TypeVar

from ..lifeline import start_worker
from ..render.pagemap import PageStart
from .lines import Measured, Prebroken, ProbeReader, load_hyphenation, set_lines
from .margin_rules import (
    EVERY_MARGIN_BOX_EMPTY,
    drawn_margin_boxes,
    margin_boxes_emptied,
    margin_boxes_kept,
)
from .notes import NOTE_MARK, NOTES_CSS, run_on_notes
from .pagemap import page_texts
from .rebroken import rebroken_lines
from .slices import Run, in_slices, joined_slices, sliceable
from .spreads import (
    BodyLine,
    L,
    PageFacts,
    Pages,
    PagesOf,
    laid_out_level,
    pages_from_bytes,
    pages_to_bytes,
    plan_held,
    predict_plan,
    read_pages,
    shared_plan,
)
from .tagged import pdf_writing, write_piece
from .weasyprint_import import load_weasyprint

T = TypeVar("T")
K = TypeVar("K")

# Ahead of a chapter that opens on a left page: a page of its own, dropped after the layout
# (WeasyPrint's first page is a right page).
LEAD_PAGE_HTML = '<div class="octavo-lead-page"></div>'
LEAD_PAGE_CSS = ".octavo-lead-page { break-after: page; height: 0; }\n"


@dataclass(frozen=True, slots=True)
class Stylesheets:
    """Every stylesheet of the print document, as text, in cascade order, with the folders
    their URLs may reach: what a worker process needs to lay a piece out as the whole book."""

    sheets: tuple[tuple[str, str], ...]  # (css, base URL)
    base_url: str
    roots: tuple[Path, ...]
    color_profile_sheet: int  # the sheet whose @color-profile rule sets the PDF/X intent


@dataclass(frozen=True, slots=True)
class Piece:
    """One document to lay out: a part or chapter (or the front matter)."""

    html: str
    left_start: bool = False  # opens on a left page
    footnotes_before: int = 0  # footnotes numbered in the pieces before it
    level_spreads: bool = True


@dataclass(frozen=True, slots=True)
class Mark:
    """A bookmark of the outline: level, label and where on which page (PDF units)."""

    level: int
    label: str
    page: int
    x: float
    y: float
    open: bool


@dataclass(frozen=True, slots=True)
class LaidOut:
    pdf: bytes
    pages: int
    marks: tuple[Mark, ...]
    anchors: tuple[tuple[str, ...], ...]  # the element ids that begin on each page
    layouts: int  # WeasyPrint layouts it took (2 where a spread plan was laid out)
    texts: tuple[str, ...] = ()  # each page's text as read back from ``pdf``
    starts: tuple[PageStart, ...] = ()  # where each page begins in its sections' words
    # Lines octavo chose that WeasyPrint printed otherwise (wrapped again): none, if the
    # widths octavo measured hold.
    rebroken: tuple[str, ...] = ()
    html: str = ""  # what was laid out: the piece with its chosen lines and page breaks
    # Where ``pdf`` was written instead, when it was (``pdf`` is then empty): a book's pieces
    # are joined from files, not held in memory until the join.
    pdf_file: str = ""

    def pdf_bytes(self) -> bytes:
        return Path(self.pdf_file).read_bytes() if self.pdf_file else self.pdf


def spilled(laid: LaidOut, folder: Path) -> LaidOut:
    """``laid`` with its PDF written to a new file in ``folder`` and not held."""
    if laid.pdf_file:
        return laid
    fd, name = tempfile.mkstemp(prefix="piece-", suffix=".pdf", dir=folder)
    with os.fdopen(fd, "wb") as out:
        out.write(laid.pdf)
    return replace(laid, pdf=b"", pdf_file=name)


def release_memory() -> None:
    """Hand what a layout freed back to the system: a worker's WeasyPrint documents are
    cycles the collector frees late, and the C heap keeps freed pages unless trimmed, so a
    process would otherwise stay as large as its largest piece made it (and a worker forked
    from it start that large).

    What a layout worker holds after the collection (WeasyPrint's faces and caches, the
    widths of the words it has set) it keeps: frozen, it is not walked again by the next
    piece's collection, which then walks that piece's objects alone. So is what a process
    holds while its heap is frozen (``LayoutPool.lay_out``), until it is unfrozen."""
    gc.collect()
    if forked_for_layout() or gc.get_freeze_count():
        gc.freeze()
    trim_heap()


def trim_heap() -> None:
    """Hand the C heap's free pages back to the system (glibc keeps them otherwise: a
    process that took many large results in turn keeps the most it ever held)."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _libc() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None)
        libc.malloc_trim  # noqa: B018 (glibc only: musl has none)
    except (OSError, AttributeError):
        return None
    return libc


_LIBC = _libc()


def footnote_css(before: int) -> str:
    """Footnotes are numbered through the book: a piece's first takes the next number."""
    return f"html {{ counter-reset: footnote {before}; }}\n" if before else ""


@dataclass(frozen=True, slots=True)
class _Prepared:
    """A book's stylesheets parsed, with its fonts: what every layout of its pieces shares."""

    fonts: Any
    sheets: list[Any]
    profiles: dict[str, Any]
    fetcher: Any
    # Rules laid out after the book's (a piece's margin boxes cleared, its first footnote's
    # number), parsed once: a chapter is laid out several times (probes, a plan, levelling,
    # notes run on) and the margin-box rules alone take 26 ms to parse.
    extra: dict[str, Any]

    def extra_sheet(self, text: str) -> Any:
        if not _BOOK_BOUND.search(text):
            return _shared_sheet(text, "")
        from weasyprint import CSS

        return _kept_sheet(self.extra, text, lambda: CSS(string=text, font_config=self.fonts))


# What ties a parsed sheet to a book's fonts, files or colour profiles: a sheet without any
# is the same parsed for every book, trim and page count (the margins' rules, the named
# pages', the margin boxes cleared), so it is parsed once in a process.
_BOOK_BOUND = re.compile(r"@(font-face|import|counter-style|color-profile)|url\(", re.I)
SHEETS_KEPT = 64  # a book's pieces differ in their first footnote's number: a few each
_SHARED_SHEETS: dict[tuple[str, str], Any] = {}


def _shared_sheet(text: str, base: str) -> Any:
    from weasyprint import CSS

    return _kept_sheet(_SHARED_SHEETS, (text, base),
                       lambda: CSS(string=text, base_url=base or None))


def _kept_sheet(kept: dict[K, Any], key: K, parse: Callable[[], Any]) -> Any:
    """The sheet ``kept`` holds under ``key``, parsed (and the oldest let go past
    ``SHEETS_KEPT``) when it holds none."""
    sheet = kept.get(key)
    if sheet is None:
        if len(kept) >= SHEETS_KEPT:
            del kept[next(iter(kept))]
        sheet = kept[key] = parse()
    return sheet


@lru_cache(maxsize=4)
def _bound_sheets(bound: tuple[tuple[str, str, bool], ...], roots: tuple[Path, ...]
                  ) -> tuple[Any, tuple[Any, ...], dict[str, Any]]:
    """The sheets that declare faces or reach files (``bound``: each one's text, base URL
    and whether its @color-profile sets the PDF/X intent) parsed with the fonts they
    declare: once a process for every book and page count with the same ones (a theme's, at
    0.1 s and more)."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    from .document import confined_fetcher

    fetcher = confined_fetcher(roots)
    fonts = FontConfiguration()
    profiles: dict[str, Any] = {}
    sheets = tuple(CSS(string=text, base_url=base or None, url_fetcher=fetcher,
                       font_config=fonts, **({"color_profiles": profiles} if intent else {}))
                   for text, base, intent in bound)
    return fonts, sheets, profiles


@lru_cache(maxsize=4)
def _prepared(css: Stylesheets) -> _Prepared:
    """Parsed stylesheets and fonts, once per worker process and book."""
    load_weasyprint()
    from .document import confined_fetcher

    bound = [n for n, (text, _) in enumerate(css.sheets)
             if _BOOK_BOUND.search(text) or n == css.color_profile_sheet]
    fonts, parsed, profiles = _bound_sheets(
        tuple((*css.sheets[n], n == css.color_profile_sheet) for n in bound), css.roots)
    of_book = dict(zip(bound, parsed, strict=True))
    sheets = [of_book[n] if n in of_book else _shared_sheet(text, base)
              for n, (text, base) in enumerate(css.sheets)]
    return _Prepared(fonts, sheets, profiles, confined_fetcher(css.roots), {})


# WeasyPrint's font configurations clean up after themselves when collected; at interpreter
# exit that must happen while the modules they call are still there.
atexit.register(_bound_sheets.cache_clear)
atexit.register(_prepared.cache_clear)


# What in a document's HTML might name a margin box in a sheet of its own (a ``<style>`` or
# linked sheet), which ``drawn_margin_boxes`` does not see.
_MAY_STYLE_MARGIN_BOXES = re.compile(r"<link\b|@(?:top|bottom|left|right)-", re.I)


def layout_function(css: Stylesheets, *extra_css: str) -> Callable[[str], Any]:
    """Lay out an HTML string with the book's stylesheets (and each of ``extra_css`` after
    them, in order: as one sheet of them all would)."""

    def lay_out(text: str) -> Any:
        # Stylesheets and fonts are read at the first layout: a build that takes everything
        # from the cache never reads them.
        load_weasyprint()
        from .user_agent import STOCK_SHEETS, BookHTML

        prepared = _prepared(css)
        extras = [margin_boxes_emptied(extra, (*sheets, *extra_css[:n], *extra_css[n + 1:]))
                  for n, extra in enumerate(extra_css) if extra]
        stylesheets = [*prepared.sheets, *(prepared.extra_sheet(extra) for extra in extras)]
        drawn = None
        if not _MAY_STYLE_MARGIN_BOXES.search(text):
            # Only the margin boxes that may be drawn named (none where every one is
            # emptied): the same pages, without a style computed for each of the others on
            # every page.
            drawn = (frozenset() if EVERY_MARGIN_BOX_EMPTY in extras
                     else drawn_margin_boxes([*STOCK_SHEETS, *stylesheets]))
        document = BookHTML(stylesheets, string=text, margin_boxes=drawn,
                            base_url=css.base_url, url_fetcher=prepared.fetcher)
        if drawn is not None:
            stylesheets = [margin_boxes_kept(sheet, drawn) for sheet in stylesheets]
        return document.render(stylesheets=stylesheets, font_config=prepared.fonts,
                               color_profiles=prepared.profiles)

    sheets = tuple(text for text, _ in css.sheets)

    return lay_out


def with_lead_page(html: str) -> str:
    cut = html.index("<body")
    cut = html.index(">", cut) + 1
    return html[:cut] + LEAD_PAGE_HTML + html[cut:]


def _laid_out(html: str, piece: Piece, measured: Measured, lay_out: Callable[[str], Any],
              opening_pages: PagesOf | None = None, laid_out_by: Hashable = None
              ) -> tuple[Any, str, int]:
    """The piece's HTML set and laid out: the document, the HTML with its lines set that it
    was laid out from, and the layouts it took. ``opening_pages``: the lines and pages of
    an opening laid out by ``lay_out`` (kept between builds). ``laid_out_by``: what decides
    ``lay_out``'s layouts besides the HTML (openings of one shape it lays out share theirs)."""
    prebroken = set_lines(html, measured)
    return _laid_out_set(prebroken, piece, lay_out, opening_pages, lay_out,
                         laid_out_by=laid_out_by)


def _laid_out_set(prebroken: Prebroken, piece: Piece, lay_out: Callable[[str], Any],
                  opening_pages: PagesOf | None, lay_out_all: Callable[[str], L],
                  pages_of: Callable[[L], Pages] = read_pages, laid_out_by: Hashable = None
                  ) -> tuple[L, str, int]:
    """``_laid_out`` of lines already set, the piece laid out by ``lay_out_all`` (whole, or
    in slices) and its pages read by ``pages_of``; ``lay_out`` lays out its opening alone."""
    taken = 0
    if piece.level_spreads:
        shared = None if laid_out_by is None else shared_plan(prebroken, piece.left_start,
                                                              laid_out_by)
        if shared is not None:
            # Planned from the opening of a chapter of its shape: kept where the chapter's
            # own opening is laid out as that one was (the plan is its own opening's).
            final = prebroken.html(shared.plan.page_starts)
            document = lay_out_all(final)
            held = shared.held(*pages_of(document))
            if held:
                return document, final, 1
            del document
            if held is not None:  # the plan its own opening gives did not hold
                document, final, level = laid_out_level(prebroken, lay_out_all, True, pages_of)
                return document, final, level + 1
            taken = 1
        # Planned before the layout where the chapter's lines are all known: laid out once,
        # with the plan's page breaks, and kept if they held.
        planned = predict_plan(prebroken, lay_out, piece.left_start, opening_pages,
                               laid_out_by)
        if planned is not None:
            final = prebroken.html(planned.page_starts)
            document = lay_out_all(final)
            if plan_held(planned, document, pages_of):
                return document, final, taken + 1
            del document
            document, final, level = laid_out_level(prebroken, lay_out_all, True, pages_of)
            return document, final, taken + level + 1
    document, final, level = laid_out_level(prebroken, lay_out_all, piece.level_spreads, pages_of)
    return document, final, taken + level


def lay_out_piece(piece: Piece, css: Stylesheets, measured: Measured,
                  variant: str | None, extra_css: str = "", spill: str = "",
                  keep: OpeningKeeper | None = None, release: bool = True) -> LaidOut:
    """Set and lay out one piece; write it as PDF (to a file in the folder ``spill`` when
    given). ``keep``: where the layout of a chapter's opening its spreads are planned from
    is kept. ``release``: a worker hands what the layout freed back before it returns the
    piece (False: its caller has it done afterwards, ``LayoutPool.lay_out``)."""
    laid = _lay_out_piece(piece, css, measured, variant, extra_css, keep)
    if spill:
        laid = spilled(laid, Path(spill))
    if forked_for_layout():
        if release:
            release_memory()
    else:
        # A process laying a whole book out (a build with one worker, a catalogue's or a
        # cluster's worker, a test) would walk its whole heap once a piece: its collector
        # frees those cycles as it goes (P&P in one process: 11 % of the build).
        trim_heap()
    return laid


class OpeningKeeper(Protocol):
    """Where the layout of a chapter's opening its spreads are planned from is kept
    (``cache.KeptOpenings``): by the opening's HTML, the rules it is laid out with after the
    book's stylesheets, and the base URL their files resolve against."""

    def remembered(self, html: str, rules: str, base_url: str,
                   make: Callable[[], bytes]) -> bytes: ...


def _opening_pages(keep: OpeningKeeper | None, css: Stylesheets, rules: str,
                   lay_out: Callable[[str], Any]) -> PagesOf | None:
    """What ``lay_out`` makes of a chapter's opening, kept by ``keep`` (None: nothing is
    kept). An edit further on in a chapter plans its spreads without laying its opening out
    again."""
    if keep is None:
        return None

    def pages(html: str) -> tuple[list[BodyLine], list[PageFacts]]:
        kept = keep.remembered(html, rules, css.base_url,
                               lambda: pages_to_bytes(*read_pages(lay_out(html))))
        try:
            return pages_from_bytes(kept)
        except (ValueError, KeyError, TypeError, IndexError):
            return read_pages(lay_out(html))

    return pages


def _lay_out_piece(piece: Piece, css: Stylesheets, measured: Measured,
                   variant: str | None, extra_css: str = "",
                   keep: OpeningKeeper | None = None) -> LaidOut:
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    # Separate sheets, each parsed once for every piece that has it.
    rules = (extra_css, footnote_css(piece.footnotes_before),
             LEAD_PAGE_CSS if piece.left_start else "")
    html = with_lead_page(piece.html) if piece.left_start else piece.html
    lay_out = layout_function(css, *rules)
    opening = _opening_pages(keep, css, "\0".join(rules), lay_out)
    if (NOTE_MARK not in html and not pdf_writing(variant).get("pdf_tags")
            and sliceable(html)):
        sliced = _laid_out_in_slices(html, piece, measured, lay_out, opening, variant,
                                     (css, rules))
        if sliced is not None:
            return sliced
    document, final, layouts = _laid_out(html, piece, measured, lay_out, opening, (css, rules))
    if NOTE_MARK in html:
        run_on = layout_function(css, *rules, NOTES_CSS)
        run_on_opening = _opening_pages(keep, css, "\0".join((*rules, NOTES_CSS)), run_on)
        set_html: dict[int, str] = {}  # each layout tried -> the HTML it was laid out from

        def with_notes_run_on(split: str) -> tuple[Any, int]:
            laid, text, taken = _laid_out(split, piece, measured, run_on, run_on_opening)
            set_html[id(laid)] = text
            return laid, taken

        document, _, taken = run_on_notes(html, document, with_notes_run_on)
        final = set_html.get(id(document), final)
        layouts += taken
    if piece.left_start:
        document = document.copy(document.pages[1:])
    pdf = write_piece(document, variant)
    marks = []
    scale = 0.75  # CSS px to PDF points
    for number, page in enumerate(document.pages):
        for level, label, (x, y), state in page.bookmarks:
            marks.append(Mark(level, label, number, x * scale, (page.height - y) * scale,
                              state != "closed"))
    anchors = tuple(tuple(page.anchors) for page in document.pages)
    rebroken = tuple(line.chosen for line in rebroken_lines(document))
    return LaidOut(pdf, len(document.pages), tuple(marks), anchors, layouts, page_texts(pdf),
                   rebroken=rebroken, html=final)


class _NotSliced(Exception):
    """A slice of the piece could not be laid out as a run of pages (``in_slices``)."""


def _laid_out_in_slices(html: str, piece: Piece, measured: Measured,
                        lay_out: Callable[[str], Any], opening_pages: PagesOf | None,
                        variant: str | None, laid_out_by: Hashable = None) -> LaidOut | None:
    """``_laid_out`` a slice of pages at a time (``press.slices``): the same pages, never
    all of them held at once. None where the piece cannot be sliced."""
    prebroken = set_lines(html, measured)
    lead = 1 if piece.left_start else 0

    def run_of(text: str) -> Run:
        run = in_slices(text, lay_out, prebroken, lambda pages: write_piece(pages, variant),
                        lead, release_memory)
        if run is None:
            raise _NotSliced
        return run

    try:
        run, final, layouts = _laid_out_set(prebroken, piece, lay_out, opening_pages, run_of,
                                            lambda run: (run.lines, run.facts), laid_out_by)
    except _NotSliced:
        return None
    pdf = joined_slices(run.pdfs)
    marks = tuple(Mark(level, label, page - lead, x, y, opened)
                  for level, label, page, x, y, opened in run.marks)
    return LaidOut(pdf, run.pages - lead, marks, tuple(run.anchors[lead:]), layouts,
                   page_texts(pdf), rebroken=tuple(run.rebroken()), html=final)


def workers_wanted() -> int:
    """All cores, unless OCTAVO_WORKERS says otherwise (1: lay out in this process)."""
    wanted = os.environ.get("OCTAVO_WORKERS", "")
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    return os.cpu_count() or 1


def _warm_up() -> None:
    # A new worker loads what a layout, its PDF and their read-back need (WeasyPrint, the
    # libraries under it, the PDF reader) while the main process is still reading the book:
    # a rebuild's edited chapter comes to a worker that has laid a page out already. The
    # book's own stylesheets and faces come later (``_prepare``).
    load_weasyprint()
    from weasyprint import HTML

    page_texts(write_piece(HTML(string=WARM_UP_HTML).render(), None))


# Laid out by a worker that waits for a chapter (see ``_prepare``).
WARM_UP_HTML = "<!DOCTYPE html><html><body><p>Warm up.</p></body></html>"


def _prepare(css: Stylesheets, extra_css: str = "", language: str = "") -> None:
    # Nothing returned: what _prepared holds (fonts, parsed sheets, ``extra_css`` parsed
    # by the warm-up layout below, the book's hyphenation patterns) stays in the worker.
    _prepared(css)
    load_hyphenation(language)
    # What WeasyPrint and the libraries under it load at a process's first layout, PDF and
    # read-back (the faces, the font subsetter, the PDF reader) loaded while this process
    # waits for the book to be measured, not while the chapter is laid out. A piece's pages
    # do not depend on what its process laid out before (a full build's workers lay pieces
    # out in any order), so the chapter's bytes are the same.
    page_texts(write_piece(layout_function(css, extra_css)(WARM_UP_HTML), None))


# The probe the early worker laid out last, while it may be read again (``LayoutPool.probes``).
_PROBE_LAID: dict[str, Any] = {}


def read_probe(css: Stylesheets, html: str, reader: Callable[..., bytes],
               args: tuple[Any, ...]) -> bytes:
    """``reader(document, *args)`` of the probe ``html`` laid out with the book's
    stylesheets: laid out once for the readings of one probe that follow each other."""
    document = _PROBE_LAID.get(html)
    if document is None:
        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        logging.getLogger("fontTools").setLevel(logging.ERROR)
        _PROBE_LAID.clear()
        document = _PROBE_LAID[html] = layout_function(css)(html)
    return reader(document, *args)


def forget_probes() -> None:
    _PROBE_LAID.clear()


def lay_out_as_is(html: str, css: Stylesheets, extra_css: str, variant: str | None
                  ) -> tuple[bytes, int]:
    """A document laid out as it is (no lines set, no plan): its PDF and page count."""
    document = layout_function(css, extra_css)(html)
    return write_piece(document, variant), len(document.pages)


class LayoutPool:
    """Where a build lays its pieces out; with one worker, in this process.

    One worker is forked when the pool is made, so a build makes it before it reads the book:
    it imports WeasyPrint meanwhile and holds no copy of the book, and it lays out what comes
    one piece at a time (the chapter an edit changed, the front matter, the margin layer) and
    packages the ebook while this process joins the pages. A book laid out from scratch has it
    lay the probes out (``probes``), then several pieces come at once: it takes the longest
    while this process loads WeasyPrint and takes the shortest, and the other workers (more
    than two cores) are forked then, with WeasyPrint loaded. All of them end when the pieces
    are done: what comes after is done in this process, which has loaded WeasyPrint by then,
    so no idle worker holds memory while the pages are joined (the next time several pieces
    come at once, every worker is forked for them)."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or workers_wanted()
        self._one: ProcessPoolExecutor | None = None
        # A piece laid out by the early worker left its garbage there, to be collected
        # after the worker's next task (``lay_out``).
        self._release_owed = False
        if self.workers > 1:
            self._one = _fork_pool(1, _warm_up)
            self._one.submit(int)  # a first task forks the worker now

    def __enter__(self) -> LayoutPool:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._one is not None:
            self._one.shutdown(wait=True, cancel_futures=True)
            self._one = None

    def fork_worker(self) -> None:
        """The early worker forked again where the pieces' workers have ended (``lay_out``):
        what the build does after its pieces (a part of the margin layer, then the ebook,
        packaged while this process joins the pages) is then done beside this process, by a
        copy of it that has everything loaded."""
        if self.workers > 1 and self._one is None:
            # Frozen when it is forked (its first task forks it), what this process holds is
            # never walked by the worker's collector, whose walk would copy every page of it.
            gc.freeze()
            try:
                self._one = _fork_pool(1)
                self._one.submit(int)
            finally:
                gc.unfreeze()

    @property
    def lays_out_here(self) -> bool:
        """Whether what is handed to ``call`` is done in this process."""
        return self._one is None

    def prepare(self, css: Stylesheets, extra_css: str = "", language: str = "") -> None:
        """Have the early worker read the book's stylesheets and fonts (and the rules
        ``extra_css`` its pieces are laid out with, and the hyphenation patterns of the
        book's ``language``) while this process goes on to measure the book."""
        if self._one is not None:
            self._one.submit(_prepare, css, extra_css, language)

    @contextmanager
    def probes(self, css: Stylesheets, laid_out: Callable[[], None] = lambda: None
               ) -> Iterator[ProbeReader | None]:
        """Where the book's probes are laid out and read (``lines.measure``): by the early
        worker, which has read the book's stylesheets and faces while this process read the
        book, and goes on to the longest chapters as soon as the book is measured, while this
        process loads WeasyPrint. None: in this process (there is no worker).
        ``laid_out``: called for each probe laid out."""
        if self._one is None:
            yield None
            return
        sent: set[str] = set()

        def read(html: str, reader: Callable[..., bytes], *args: Any) -> bytes:
            if html not in sent:
                sent.add(html)
                laid_out()
            return self.call(read_probe, css, html, reader, args)

        try:
            yield read
        finally:
            if sent and self._one is not None:
                self._one.submit(forget_probes)

    def submit(self, function: Callable[..., T], *args: Any) -> Future[T]:
        """``function(*args)`` started in the early worker (done here and now when there is
        none)."""
        if self._one is not None:
            started = self._one.submit(function, *args)
            if self._release_owed:
                self._one.submit(release_memory)
                self._release_owed = False
            return started
        done: Future[T] = Future()
        try:
            done.set_result(function(*args))
        except Exception as exc:  # handed to whoever asks for the result, as a worker's is
            done.set_exception(exc)
        return done

    def call(self, function: Callable[..., T], *args: Any) -> T:
        """``function(*args)`` in a worker (here when there is none)."""
        return self.submit(function, *args).result()

    def lay_out(self, pieces: Sequence[Piece], css: Stylesheets, measured: Measured,
                variant: str | None, extra_css: str = "", spill: str = "",
                keep: OpeningKeeper | None = None) -> Iterator[tuple[int, LaidOut]]:
        """Each piece laid out, by its index, as soon as it is done (its PDF written to a
        file in ``spill`` when given; ``keep``: see ``lay_out_piece``): what this process
        does with a worker's piece is done while the workers lay out the others, not all
        after the last."""
        if len(pieces) <= 1 or self.workers <= 1:
            for n, piece in enumerate(pieces):
                if self._one is None:
                    yield n, lay_out_piece(piece, css, measured, variant, extra_css, spill,
                                           keep)
                    continue
                # The early worker's collection (a twentieth of a second after a chapter)
                # done after the piece is back and the worker's next task (the ebook,
                # packaged while this process joins the pages) is done: a rebuild waits for
                # neither on the worker's heap.
                laid = self.call(lay_out_piece, piece, css, measured, variant, extra_css,
                                 spill, keep, False)
                self._release_owed = True
                yield n, laid
            return
        # The early worker lays out pieces beside this process and the workers forked
        # for them, and is ended with them: what comes after is done in this process.
        early, self._one = self._one, None
        if early is not None and self._release_owed:
            early.submit(release_memory)
        self._release_owed = False
        try:
            yield from self._lay_out_with_workers(pieces, css, measured, variant, extra_css,
                                                  spill, keep, early)
        finally:
            gc.unfreeze()

    def _lay_out_with_workers(self, pieces: Sequence[Piece], css: Stylesheets,
                              measured: Measured, variant: str | None, extra_css: str,
                              spill: str, keep: OpeningKeeper | None,
                              early: ProcessPoolExecutor | None
                              ) -> Iterator[tuple[int, LaidOut]]:
        """This process lays pieces out too, beside one worker fewer: the workers are
        forked from it and each holds as much of its memory as it does (the book, its HTML,
        WeasyPrint's faces), so a worker more would cost that again while this process only
        waited. The early worker (``early``) is one of them: it has WeasyPrint and the
        book's stylesheets loaded, and begins at once, while this process loads them."""

        def submit(pool: ProcessPoolExecutor, n: int) -> Future[LaidOut]:
            return pool.submit(lay_out_piece, pieces[n], css, measured, variant, extra_css,
                               spill, keep)

        # The longest first: the workers then finish at about the same time, not one of
        # them alone on a long chapter left to the end. This process takes the shortest.
        dealer = _Dealer(sorted(range(len(pieces)), key=lambda n: -len(pieces[n].html)),
                         submit)
        pools = [early] if early is not None else []
        forked = min(self.workers, len(pieces)) - 1 - len(pools)
        try:
            if early is not None:
                dealer.deal(early, 1)
            # This process's first piece, taken at once: the early worker deals itself the
            # next as each is done, and might have taken them all while this process
            # collected and forked.
            n = dealer.shortest()
            if early is not None and forked > 0:
                # Forked with WeasyPrint and the book's stylesheets loaded here: none of them
                # loads them again.
                _prepared(css)
            # Each worker forked starts with what this process holds.
            release_memory()
            # What this process holds now is never garbage until the pieces are laid out:
            # left out of the collections, each piece laid out here is collected at once (its
            # WeasyPrint document is cycles) without walking the book's objects (nor, frozen
            # when they are forked, by the workers' collectors).
            gc.freeze()
            if forked > 0:
                pools.append(_fork_pool(forked))
                dealer.deal(pools[-1], forked)
            handed = 0

            def ready() -> Iterator[tuple[int, LaidOut]]:
                # Each worker's piece handed on as soon as it is done, and let go of then: a
                # done future holds its piece.
                nonlocal handed
                for n, future in dealer.done():
                    handed += 1
                    yield n, future.result()

            # The shortest piece no one has begun, laid out here, until every piece is
            # begun (or one a pool could not take is handed back); then the workers' last.
            while handed < len(pieces):
                if n is None:
                    n = dealer.shortest()
                if n is None:
                    wait(dealer.pending(), return_when=FIRST_COMPLETED)
                else:
                    laid = lay_out_piece(pieces[n], css, measured, variant, extra_css,
                                         spill, keep)
                    release_memory()
                    handed += 1
                    yield n, laid
                    del laid
                    n = None
                yield from ready()
        finally:
            dealer.stop()
            for pool in pools:
                pool.shutdown(wait=True, cancel_futures=True)


class _Dealer:
    """The pieces no one has begun, dealt out the longest first to the workers, each as it
    comes free, and the shortest first to this process."""

    def __init__(self, longest_first: Sequence[int],
                 submit: Callable[[ProcessPoolExecutor, int], Future[LaidOut]]) -> None:
        self._left = deque(longest_first)
        self._submit = submit
        self._lock = threading.RLock()  # the workers' pools deal from their own threads
        self._stopped = False
        self.futures: dict[int, Future[LaidOut]] = {}

    def deal(self, pool: ProcessPoolExecutor, workers: int) -> None:
        """The longest pieces left handed to ``pool`` (of ``workers``), one for each of its
        workers, and the next to each as it is done. While more are left than the pool's
        workers and one, one more is sent ahead: a worker that finishes a piece begins the
        next at once, not once this process's threads (busy beside its own layouts) have
        sent it one; not near the end, where this process may come free first and take it."""
        outstanding = 0

        def dealt(_done: object = None) -> None:
            nonlocal outstanding
            with self._lock:
                if _done is not None:
                    outstanding -= 1
                if self._stopped:
                    return
                while self._left and (outstanding < workers or (
                        outstanding == workers and len(self._left) > workers + 1)):
                    n = self._left.popleft()
                    try:
                        future = self.futures[n] = self._submit(pool, n)
                    except RuntimeError:  # a broken or ended pool: this process takes it
                        self._left.appendleft(n)
                        return
                    outstanding += 1
                    # Called at once (under this lock, which is reentrant) if already done.
                    future.add_done_callback(dealt)

        dealt()

    def done(self) -> list[tuple[int, Future[LaidOut]]]:
        """The pieces the workers have finished since the last call, by their index."""
        with self._lock:
            finished = [(n, f) for n, f in self.futures.items() if f.done()]
            for n, _ in finished:
                del self.futures[n]
        return finished

    def pending(self) -> list[Future[LaidOut]]:
        """The pieces the workers are laying out or have waiting."""
        with self._lock:
            return list(self.futures.values())

    def shortest(self) -> int | None:
        """The shortest piece left, taken by this process."""
        with self._lock:
            return self._left.pop() if self._left else None

    def stop(self) -> None:
        with self._lock:
            self._stopped = True


# Whether this process is a worker a LayoutPool forked, which hands what each piece's layout
# freed back at once. Not whether it is some pool's child: a catalogue's and a Dask cluster's
# workers are too, and lay whole books out in themselves.
_forked_for_layout = False


def forked_for_layout() -> bool:
    """Whether this process is a worker a build's ``LayoutPool`` forked."""
    return _forked_for_layout


def _start_layout_worker(then: Callable[[], None] | None) -> None:
    global _forked_for_layout
    _forked_for_layout = True
    if then is not None:
        then()


def _fork_pool(workers: int, initializer: Callable[[], None] | None = None
               ) -> ProcessPoolExecutor:
    # fork: a worker starts with what this process has loaded, never re-imports it. Tied to
    # this process: a killed build leaves no worker behind.
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=start_worker,
                               initargs=(os.getpid(), partial(_start_layout_worker,
                                                              initializer)))
