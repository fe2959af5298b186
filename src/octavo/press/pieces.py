"""The print interior laid out chapter by chapter: measured once, each part and chapter set
and laid out alone (in parallel, or taken from the chapter cache), the front matter laid out
once the body's folios are known, then joined and finished."""

from __future__ import annotations

import gc
import json
import logging
import math
import tempfile
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..geometry import margins_for, trim_size
from ..model import Book
from ..render.html import Section, book_sections
from ..render.pagemap import PageMap, PageStart
from .cache import ChapterCache, KeptOpenings
from .chapters import (
    LaidOut,
    LayoutPool,
    Piece,
    Stylesheets,
    forked_for_layout,
    lay_out_as_is,
    layout_function,
    release_memory,
    spilled,
    trim_heap,
)
from .document import (
    ICC_DIR,
    PdfOptions,
    PdfResult,
    PrintParts,
    in_gutter_band,
    pdf_variant,
    print_parts,
    stylesheet_sources,
    with_dates,
)
from .finish import Finish
from .join import (
    LAYER_CSS,
    LAYER_LEAD_PAGES,
    NO_MARGIN_BOXES_CSS,
    PLACEHOLDER_DATE,
    TARGETS_CSS,
    LayerPart,
    Slot,
    arrange,
    folios,
    join_pdf,
    joined_layer,
    layer_splits,
    layer_splits_at,
    link_targets_html,
    margin_layer_html,
    margin_layer_parts,
    piece_starts,
)
from .lines import Measured, made_now, measure
from .pagemap import (
    WordStream,
    aligned_pages,
    blank_page,
    joined_page_map,
    model_stream,
    page_texts,
)
from .tagged import untagged_variant, write_piece

Progress = Callable[[str], None]
FOOTNOTE_MARK = 'class="footnote"'


@dataclass(slots=True)
class LayoutCount:
    """How many WeasyPrint layouts a build took, by what they were for (tests count them)."""

    pieces: int = 0  # parts and chapters laid out (not taken from the cache)
    pages_layouts: int = 0  # WeasyPrint layouts of those (a chapter planned from a first
    # layout takes two)
    front: int = 0  # the front matter laid out (not taken from the cache)
    layer: int = 0
    probe: int = 0  # probe documents laid out to measure the kinds of paragraph


# A margin layer of this many pages or more laid out in this process is collected at once;
# one of twice as many body pages is laid out in parts.
LARGE_LAYER_PAGES = 64
# A margin layer is laid out in an even number of parts of at most about this many pages
# (where its sections allow), this process and a worker each laying out half of them at
# once: WeasyPrint takes longer a page the more pages a document has (P&P's 368 empty
# pages: 5.1 ms a page; four times as many: 10.9 ms).
LAYER_PART_PAGES = 192
# The most pages a margin layer has whose parts are shared with a worker (a novel): a longer
# book's layer parts are all laid out in this process (ebooks of about 500,000 words: a tree
# peak of 600-710 MB with the worker, against 450 without).
LAYER_WORKER_PAGES = 512


def book_stylesheets(book: Book, options: PdfOptions, pages: int) -> Stylesheets:
    base = options.allowed_roots[0] if options.allowed_roots else options.theme.path
    sheets = tuple((text, sheet_base or "") for text, sheet_base
                   in stylesheet_sources(book, options, pages))
    return Stylesheets(sheets, str(base) + "/",
                       (options.theme.path, *options.allowed_roots, ICC_DIR), 4)


# What probes read and what a build's faces are (their facts, their subsets) with no chapter
# cache to keep it in, by the key the cache would keep it under: a few books' worth.
_KEPT_HERE: OrderedDict[str, bytes] = OrderedDict()
KEPT_HERE_BYTES = 32 * 1024 * 1024  # a probe's entry holds its faces (a few MB)


def remembered_here(key: str, make: Callable[[], bytes]) -> bytes:
    """A ``Remember`` keeping what it made in this process (a process laying the same kinds
    of paragraph out, or embedding the same faces, again, as the tests do)."""
    found = _KEPT_HERE.get(key)
    if found is None:
        found = _KEPT_HERE[key] = make()
        while sum(map(len, _KEPT_HERE.values())) > KEPT_HERE_BYTES and len(_KEPT_HERE) > 1:
            _KEPT_HERE.popitem(last=False)
    else:
        _KEPT_HERE.move_to_end(key)
    return found


def _section_tag(html: str) -> str:
    return html[:html.index(">") + 1]


class PieceBuild:
    """One book's pieces at one page geometry: laid out on demand, from the cache first."""

    def __init__(self, book: Book, options: PdfOptions, parts: PrintParts, pages: int,
                 cache: ChapterCache | None, count: LayoutCount, pool: LayoutPool,
                 spill: str = "") -> None:
        """``spill``: a folder the pieces' PDFs are written to and joined from, and then
        the HTML they were laid out from is not kept (only the print HTML's export needs
        it): what this process holds of a piece is then its pages' texts and places."""
        self.book, self.options, self.parts = book, options, parts
        self.spill = spill
        self.css = book_stylesheets(book, options, pages)
        self.cache, self.count, self.pool = cache, count, pool
        self.variant = pdf_variant(options.press.pdf_x, options.tagged)
        self._measured: Measured | None = None
        # Without a chapter cache, the pieces this build laid out, by their cache keys.
        self._laid: dict[str, LaidOut] = {}
        self._keys: dict[tuple[Piece, str], str] = {}
        # What the pieces' keys hold of the stylesheets, by the CSS added for the pieces.
        self._sheet_parts: dict[str, tuple[str, ...]] = {}
        # Before the cache is looked in: the early worker reads the stylesheets and faces
        # while this process finds which pieces an edit changed and scans the book, so the
        # probes and an edited chapter are laid out as soon as they are known (a book laid
        # out from scratch has it lay out the longest chapters too).
        pool.prepare(self.css, NO_MARGIN_BOXES_CSS, book.metadata.language)

    def measured(self) -> Measured:
        if self._measured is None:
            lay_out = layout_function(self.css)

            def counted(html: str) -> Any:
                self._probe_laid_out()
                return lay_out(html)

            # Laid out by the early worker where there is one: it has read the stylesheets
            # and faces, and goes on to the chapters, while this process loads WeasyPrint.
            with self.pool.probes(self.css, self._probe_laid_out) as elsewhere:
                self._measured = measure(self.parts.document(), counted, self._remember,
                                         elsewhere)
        return self._measured

    def _probe_laid_out(self) -> None:
        self.count.probe += 1

    def _remember(self, key: str, make: Callable[[], bytes]) -> bytes:
        """Kept in the chapter cache, by ``key`` and the book's stylesheets (without one, in
        this process: a process laying the same kinds of paragraph out with the same
        stylesheets again, as the tests do, reads what its probes read)."""
        full_key = ChapterCache.key_of(key, *self.sheet_parts())
        if self.cache is None:
            return remembered_here(full_key, make)
        return self.cache.remembered(full_key, make)

    def key(self, piece: Piece, extra_css: str) -> str:
        # Each piece's key made once a build: it digests every stylesheet and the files
        # they reach.
        key = self._keys.get((piece, extra_css))
        if key is None:
            key = self._keys[piece, extra_css] = ChapterCache.key(
                piece, self.css, self.variant, extra_css, self.sheet_parts(extra_css))
        return key

    def sheet_parts(self, extra_css: str = "") -> tuple[str, ...]:
        """What keys hold of the book's stylesheets (laid out with ``extra_css`` after
        them), made once a build: it digests every sheet and the files they reach."""
        parts = self._sheet_parts.get(extra_css)
        if parts is None:
            parts = self._sheet_parts[extra_css] = ChapterCache.sheet_parts(self.css, extra_css)
        return parts

    def lay_out(self, pieces: Sequence[Piece], extra_css: str,
                words: Callable[[int], WordStream]) -> tuple[list[LaidOut], int]:
        """The pieces laid out, and how many of them were not in the cache. ``words``: the
        words of a piece (by its index), for those laid out now."""
        found: dict[int, LaidOut] = {}
        if self.cache is not None:
            for n, piece in enumerate(pieces):
                hit = self.cache.get(self.key(piece, extra_css))
                if hit is not None:
                    found[n] = self._kept(hit)
        else:
            for n, piece in enumerate(pieces):
                # Laid out already in this build (a chapter whose side did not change when
                # others' did): the same pages again.
                if (kept := self._laid.get(self.key(piece, extra_css))) is not None:
                    found[n] = kept
        missing = [n for n in range(len(pieces)) if n not in found]
        if missing:
            measured = self.measured()
            fresh = self.pool.lay_out([pieces[n] for n in missing], self.css, measured,
                                      self.variant, extra_css, self.spill,
                                      KeptOpenings(self.cache.root, self.sheet_parts())
                                      if self.cache is not None else None)
            for index, laid in fresh:
                n = missing[index]
                # Aligned here as each comes back, while the workers lay out the others.
                laid = replace(laid, starts=aligned_pages(words(n), laid.texts))
                self.count.pages_layouts += laid.layouts
                if self.cache is not None:
                    self.cache.put(self.key(pieces[n], extra_css), laid)
                found[n] = self._kept(laid)
                if self.cache is None:
                    self._laid[self.key(pieces[n], extra_css)] = found[n]
                del laid
                trim_heap()
        return [found[n] for n in range(len(pieces))], len(missing)

    def _kept(self, laid: LaidOut) -> LaidOut:
        """What is held of a piece until the join."""
        if not self.spill:
            return laid
        return replace(spilled(laid, Path(self.spill)), html="")


def render_pdf(book: Book, options: PdfOptions, cache: ChapterCache | None = None) -> PdfResult:
    """Lay out and write the print interior, taking unchanged chapters from ``cache``."""
    return render_pdf_in_pieces(book, options, cache)


def laid_out_pieces(book: Book, options: PdfOptions, cache: ChapterCache | None = None,
                    progress: Progress = lambda _msg: None,
                    workers: int | None = None) -> Settled:
    """The book's pieces laid out as for its PDF (in the same gutter band), not joined. The
    band is found from the book's own pages: an edition's pages after the last (a review
    copy's) are left out of the count."""
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    parts = print_parts(book, options.extra_front_html, options.press, (),
                        options.every_page_html)
    sections = [s for s, _ in parts.sections()]
    count = LayoutCount()
    with LayoutPool(workers) as pool:

        def lay_out(pages: int) -> tuple[Settled, int]:
            build = PieceBuild(book, options, parts, pages, cache, count, pool)
            settled = _settle(book, options, parts, sections, build, count, progress, pages)
            return settled, settled.pages

        return in_gutter_band(book, options.trim, lay_out)[0]


def render_pdf_in_pieces(book: Book, options: PdfOptions, cache: ChapterCache | None = None,
                         count: LayoutCount | None = None,
                         progress: Progress = lambda _msg: None,
                         workers: int | None = None,
                         page_map_source: str | None = None,
                         pool: LayoutPool | None = None,
                         page_map_ready: Callable[[PageMap], None] | None = None) -> PdfResult:
    """Lay out and write the print interior chapter by chapter. The inside margin depends on
    the page count: a book whose count lands in another gutter band than estimated is laid
    out again with that band's. ``workers``: processes for the chapters (default: every
    core; 1 lays them out in this process, as a catalogue's worker does), or a ``pool``
    started before the book was read. With ``page_map_source`` the result carries the page
    map too (each piece's pages aligned as it is laid out, so an edit re-reads only the pages
    laid out again), handed to ``page_map_ready`` as soon as it is known, before the pages
    are joined (again if the book is laid out again in another gutter band)."""
    if pool is None:
        with LayoutPool(workers) as own:
            return render_pdf_in_pieces(book, options, cache, count, progress,
                                        page_map_source=page_map_source, pool=own,
                                        page_map_ready=page_map_ready)
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    counted = count or LayoutCount()
    # The edition's elements after the last page open pages only the margin layer has.
    parts = print_parts(book, options.extra_front_html, options.press, (),
                        options.every_page_html)
    sections = [s for s, _ in parts.sections()]

    with tempfile.TemporaryDirectory(prefix="octavo-pieces-") as spill:
        def lay_out(pages: int) -> tuple[_Joined, int]:
            result = _render(book, options, parts, sections, pages, cache, counted, progress,
                             pool, page_map_source, page_map_ready or (lambda _map: None),
                             spill)
            return result, result.pages

        joined, used = in_gutter_band(book, options.trim, lay_out)
    m = margins_for(trim_size(options.trim), used)
    return PdfResult(joined.data, joined.pages + joined.pages % 2, joined.section_pages,
                     m.inside, joined.page_map, joined.rebroken)


@dataclass(frozen=True, slots=True)
class _Joined:
    pages: int
    data: bytes
    section_pages: dict[str, int]
    page_map: PageMap | None
    rebroken: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Settled:
    """A book's pieces laid out at one page geometry, each on the side it opens on: what the
    join makes the PDF of and the print HTML (``press.export``) is made from."""

    parts: PrintParts
    margins_pages: int  # the page count the margins were set for
    front: LaidOut | None
    # The stand-ins for the body's sections the front matter was laid out with (their folios).
    front_targets: str
    laid: tuple[LaidOut, ...]  # each part and chapter
    counts: tuple[int, ...]  # their pages
    slots: tuple[Slot, ...]  # the body's pages, blank ones where a piece opens on a recto
    starts: dict[int, int]  # the page each piece begins on

    @property
    def front_pages(self) -> int:
        return self.front.pages if self.front is not None else 0

    @property
    def pages(self) -> int:
        """The book's pages (before the edition's own after the last)."""
        return self.front_pages + len(self.slots)


def _settle(book: Book, options: PdfOptions, parts: PrintParts, sections: list[Section],
            build: PieceBuild, count: LayoutCount, progress: Progress, pages: int) -> Settled:
    """Every piece laid out (or taken from the cache) on the side it opens on, the front
    matter last, with the body's folios."""
    press = options.press
    notes_before = [sum(page.count(FOOTNOTE_MARK) for page in parts.front)]
    for _, html in parts.sections():
        notes_before.append(notes_before[-1] + html.count(FOOTNOTE_MARK))

    def body_pieces(left: set[int]) -> list[Piece]:
        return [Piece(parts.section_document(n), n in left, notes_before[n],
                      press.level_spreads) for n in range(len(sections))]

    def body_words(n: int) -> WordStream:
        return model_stream(book, [sections[n]])

    body_ids = {s.id for s in sections}

    def front_words(_n: int) -> WordStream:
        return model_stream(book, [s for s in book_sections(book) if s.id not in body_ids])

    def targets(front_pages: int, slots: list[Slot]) -> str:
        pages = front_pages + len(slots)
        return link_targets_html(sections, folios(slots, sections), options.page_count_target,
                                 pages + pages % 2)

    progress(f"laying out {len(sections)} parts and chapters")
    left: set[int] = set()
    laid, fresh = build.lay_out(body_pieces(left), NO_MARGIN_BOXES_CSS, body_words)
    count.pieces += fresh
    front: LaidOut | None = None
    front_pages = 0
    front_targets = ""
    for _ in range(4):
        counts = [p.pages for p in laid]
        slots = arrange(front_pages, counts, sections, press.recto_openers)
        if parts.front and targets(front_pages, slots) != front_targets:
            progress("laying out the front matter")
            front_targets = targets(front_pages, slots)
            front_html = parts.front_document(front_targets)
            [front], fresh = build.lay_out([Piece(front_html, False, 0, press.level_spreads)],
                                           TARGETS_CSS, front_words)
            count.front += fresh
            front_pages = front.pages
            slots = arrange(front_pages, counts, sections, press.recto_openers)
        starts = piece_starts(front_pages, slots)
        wanted_left = {n for n, start in starts.items() if start % 2 == 1}
        # A stated page count holds the front matter's own pages: known once laid out.
        settled = not parts.front or targets(front_pages, slots) == front_targets
        if wanted_left == left and settled:
            break
        if wanted_left != left:
            # Chapters that open on whichever page comes: laid out again on their real side.
            left = wanted_left
            laid, fresh = build.lay_out(body_pieces(left), NO_MARGIN_BOXES_CSS, body_words)
            count.pieces += fresh
    return Settled(parts, pages, front, front_targets, tuple(laid), tuple(counts),
                   tuple(slots), starts)


def _render(book: Book, options: PdfOptions, parts: PrintParts, sections: list[Section],
            pages: int, cache: ChapterCache | None, count: LayoutCount,
            progress: Progress, pool: LayoutPool, page_map_source: str | None,
            page_map_ready: Callable[[PageMap], None], spill: str) -> _Joined:
    press = options.press
    build = PieceBuild(book, options, parts, pages, cache, count, pool, spill)
    settled = _settle(book, options, parts, sections, build, count, progress, pages)
    front, laid, counts, starts = settled.front, settled.laid, settled.counts, settled.starts
    slots, front_pages = list(settled.slots), settled.front_pages
    body_ids = {s.id for s in sections}
    progress("joining the pages")
    tags = [(s, _section_tag(html)) for s, html in parts.sections()]
    # Laid out with a stand-in date, the book's own written in by the join: the layer of an
    # edited book whose pages did not move comes from the cache.
    stand_in = PLACEHOLDER_DATE if options.modified is not None else None
    layer_html = margin_layer_html(with_dates(parts.head, stand_in), parts.strings, front_pages,
                                   tags, counts, parts.every_page, options.extra_back_html)

    large_layer_here = False
    body_end = front_pages + len(slots)

    def lay_out_layer() -> bytes:
        nonlocal large_layer_here
        splits = (layer_splits_at(front_pages, slots, starts,
                                  2 * math.ceil(body_end / (2 * LAYER_PART_PAGES)))
                  if body_end >= LARGE_LAYER_PAGES * 2
                  and layer_splits([sheet for sheet, _ in build.css.sheets]) else [])
        # Never tagged: drawn over the pages as an artifact.
        variant = untagged_variant(build.variant)
        if not splits:
            layer_pdf, layer_pages = pool.call(lay_out_as_is, layer_html, build.css,
                                               LAYER_CSS, variant)
            large_layer_here = pool.lays_out_here and layer_pages >= LARGE_LAYER_PAGES
        else:
            first_html, later = margin_layer_parts(
                with_dates(parts.head, stand_in), parts.strings, front_pages, tags, counts,
                folios(slots, sections), starts, splits, parts.every_page,
                options.extra_back_html)
            layer_pdf, layer_pages = _layer_in_parts(pool, first_html, starts[splits[0]],
                                                     later, build.css, variant)
        count.layer += 1
        # Only the edition's elements after the last page add pages of the layer's own.
        if layer_pages < body_end or (layer_pages > body_end and not options.extra_back_html):
            raise RuntimeError("the margin layer and the joined pages disagree "
                               f"({layer_pages} != {body_end})")
        return layer_pdf

    # Without a date WeasyPrint dates PDF/X files with the clock: such a layer is not kept.
    remember = cache.remembered if cache is not None and (
        stand_in is not None or not options.press.pdf_x) else made_now
    layer_key = ChapterCache.key_of("margin-layer", layer_html, build.variant or "",
                                    *build.sheet_parts())
    layer = remember(layer_key, lay_out_layer)
    if large_layer_here:
        # The layer's document (every page of the book, laid out here) is gone before the
        # join. A collection walks the whole heap (0.1 s and more): not for a layer from the
        # cache or a worker, nor a small one, which the collector frees as it goes.
        release_memory()
    page_map = None
    if page_map_source is not None:
        # The folios are the margin layer's (the front matter prints its own).
        furniture = json.loads(remember(layer_key + "-texts",
                                        lambda: json.dumps(page_texts(layer)).encode()))
        page_map = _page_map(front, laid, slots, furniture, page_map_source)
        page_map_ready(page_map)
    # A face's facts and subsets hold no date: kept whatever the layer is.
    data = join_pdf(front, laid, slots, layer,
                    cache.remembered if cache is not None else remembered_here,
                    options.modified,
                    options.theme.fonts, tagged=options.tagged,
                    finish=Finish(bleed=press.bleed,
                                  identifier=options.identifier or book.metadata.identifier,
                                  language=book.metadata.language, pdf_x=bool(press.pdf_x),
                                  author=_author(book), tagged=options.tagged))
    section_pages: dict[str, int] = {}
    if front is not None:
        for number, anchors in enumerate(front.anchors):
            for anchor in anchors:
                if anchor not in body_ids:
                    section_pages.setdefault(anchor, number)
    for n, start in starts.items():
        section_pages[sections[n].id] = start
    wanted = {s.id for s in book_sections(book)}
    section_pages = {k: v for k, v in section_pages.items() if k in wanted}
    rebroken = tuple(line for piece in ([front] if front is not None else []) + list(laid)
                     for line in piece.rebroken)
    return _Joined(_page_count(layer), data, section_pages, page_map, rebroken)


def _layer_in_parts(pool: LayoutPool, first_html: str, first_pages: int,
                    later: Sequence[LayerPart], css: Stylesheets, variant: str | None
                    ) -> tuple[bytes, int]:
    """The margin layer laid out in parts, the first half of them here and the rest at once
    in a worker (all here where there is none): the same pages, whatever the cores. Only
    a book of up to ``LAYER_WORKER_PAGES`` pages forks that worker: a longer one's process
    holds more (its pieces' texts and places, the heap their layouts left), which a worker
    forked from it would count again."""
    if first_pages + sum(part.pages or 0 for part in later) <= LAYER_WORKER_PAGES:
        pool.fork_worker()
    mine = len(later) + 1 if pool.lays_out_here else (len(later) + 1) // 2
    theirs = [pool.submit(lay_out_layer_part, part, css, variant) for part in later[mine - 1:]]
    # Each part laid out here collected at once without walking what this process holds
    # (as ``LayoutPool.lay_out`` does the pieces'), while the worker lays out its own.
    gc.freeze()
    try:
        laid = [lay_out_as_is(first_html, css, LAYER_CSS, variant)]
        gc.collect()
        for part in later[:mine - 1]:
            laid.append(lay_out_layer_part(part, css, variant))
            gc.collect()
    finally:
        gc.unfreeze()
    trim_heap()
    laid.extend(future.result() for future in theirs)
    wanted = [first_pages, *(part.pages for part in later)]
    for (_, pages), must in zip(laid, wanted, strict=True):
        if must is not None and pages != must:
            raise RuntimeError("a part of the margin layer and the joined pages disagree "
                               f"({pages} != {must})")
    return joined_layer([pdf for pdf, _ in laid]), sum(pages for _, pages in laid)


def lay_out_layer_part(part: LayerPart, css: Stylesheets, variant: str | None
                       ) -> tuple[bytes, int]:
    """A later part of the margin layer laid out, its lead pages dropped: its PDF and page
    count."""
    document = layout_function(css, LAYER_CSS, part.css)(part.html)
    if part.first_id not in document.pages[LAYER_LEAD_PAGES].anchors:
        raise RuntimeError(f"the margin layer's part does not begin at {part.first_id}")
    document = document.copy(document.pages[LAYER_LEAD_PAGES:])
    laid = write_piece(document, variant), len(document.pages)
    if forked_for_layout():
        # A worker's layout is cycles its collector frees late: handed back before the
        # worker goes on to the ebook (its own objects alone are walked, see fork_worker).
        del document
        release_memory()
    return laid


def _page_count(pdf: bytes) -> int:
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as opened:
        return len(opened.pages)


def _page_map(front: LaidOut | None, laid: Sequence[LaidOut], slots: Sequence[Slot],
              layer_texts: Sequence[str], source: str) -> PageMap:
    front_pages = front.pages if front is not None else 0
    starts: list[PageStart] = list(front.starts) if front is not None else []
    starts.extend(blank_page() if slot.piece is None else laid[slot.piece].starts[slot.page]
                  for slot in slots)
    # The edition's pages after the last are the margin layer's: nothing of the book begins.
    starts.extend(blank_page() for _ in layer_texts[len(starts):])
    label_texts = [*(front.texts if front is not None else ()), *layer_texts[front_pages:]]
    if len(starts) % 2:
        # The finish pads the book to whole leaves with a blank last verso.
        starts.append(blank_page())
        label_texts.append("")
    return joined_page_map(label_texts, starts, source)


def _author(book: Book) -> str:
    from ..render.labels import authors_line

    return authors_line(book.metadata.authors, book.metadata.language)
