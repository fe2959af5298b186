"""The pieces laid out alone, joined into one book.

The join places each piece's pages in order, with a blank page wherever a piece must open on
a right page and would not; numbers every body page (the folio counts the body's pages, not
its blank ones); and draws what depends on those numbers, which no piece could know: the
running heads and folios of every body page come from one *margin layer* (the book's page
sequence laid out with the theme's margin boxes and nothing in the pages) drawn over the
pages, and the contents' numbers come from laying the front matter out after the body, with
each body section's folio given to its link target. One outline and one set of named
destinations are made from the pieces' own.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from ..render.html import Section, escape
from .chapters import LaidOut, Mark
from .document import PAGE_NAMES, margin_boxes_empty
from .fonts import embed_from_files
from .lines import Remember
from .tagged import ARTIFACT_BEGIN, ARTIFACT_END, draw_as_artifact, join_structure

LEAF_CLASS = "octavo-leaf"
# The date the margin layer is laid out with; the join writes the book's date in its place.
PLACEHOLDER_DATE = dt.datetime(2000, 1, 1)
TARGETS_CLASS = "octavo-targets"

# Laid after the theme on the pieces: their margin boxes are drawn by the margin layer.
NO_MARGIN_BOXES_CSS = "\n".join(
    f"@page {name}{side} {{ {margin_boxes_empty(important=True)} }}"
    for name in PAGE_NAMES for side in ("", ":left", ":right", ":first", ":blank")) + "\n"

# The margin layer: the book's pages with nothing on them but their margin boxes.
LAYER_CSS = (f".{LEAF_CLASS} + .{LEAF_CLASS} {{ break-before: page; }}\n"
             f".{LEAF_CLASS} {{ height: 0; margin: 0; padding: 0; }}\n"
             "section, header { margin: 0 !important; padding: 0 !important;"
             " border: none !important; }\n")
TARGETS_CSS = (f".{TARGETS_CLASS} {{ height: 0; overflow: hidden; margin: 0; padding: 0; }}\n"
               f".{TARGETS_CLASS} span {{ display: block; height: 0; }}\n")


@dataclass(frozen=True, slots=True)
class Slot:
    """A page of the joined book: a piece's page, or a blank page (``piece`` None; ``page``
    then is the piece it stands before)."""

    piece: int | None
    page: int


def opens_right(sections: Sequence[Section], index: int, recto_openers: bool) -> bool:
    """Whether section ``index`` must open on a right page: every chapter does when chapters
    open on the right, a part's title page always does, and so does the chapter after it."""
    if recto_openers or sections[index].kind == "part":
        return True
    return index > 0 and sections[index - 1].kind == "part"


def arrange(front_pages: int, counts: Sequence[int], sections: Sequence[Section],
            recto_openers: bool) -> list[Slot]:
    """The body's pages after ``front_pages`` front pages (0-based index even: a right page)."""
    slots: list[Slot] = []
    for index, count in enumerate(counts):
        position = front_pages + len(slots)
        if opens_right(sections, index, recto_openers) and position % 2 == 1:
            slots.append(Slot(None, index))
        slots.extend(Slot(index, page) for page in range(count))
    return slots


def piece_starts(front_pages: int, slots: Sequence[Slot]) -> dict[int, int]:
    """Each piece's first page in the joined book (0-based)."""
    starts: dict[int, int] = {}
    for n, slot in enumerate(slots):
        if slot.piece is not None and slot.piece not in starts:
            starts[slot.piece] = front_pages + n
    return starts


def _matter(section: Section) -> str:
    return "back" if section.kind == "back" else "main"


def folios(slots: Sequence[Slot], sections: Sequence[Section]) -> dict[int, int]:
    """Each piece's first folio. Body pages are numbered from 1 on the first; a blank page
    between two sections of the same matter counts (it takes that matter's page name, whose
    pages count, with its folio left off); one before the body or the back matter does not."""
    out: dict[int, int] = {}
    folio = 0
    previous: int | None = None
    for slot in slots:
        if slot.piece is None:
            if previous is not None and _matter(sections[previous]) == _matter(
                    sections[slot.page]):
                folio += 1
            continue
        folio += 1
        out.setdefault(slot.piece, folio)
        previous = slot.piece
    return out


def link_targets_html(sections: Sequence[Section], first_folios: dict[int, int],
                      page_count_target: str = "", page_count: int = 0) -> str:
    """Elements standing in for the body's sections at the end of the front matter, each
    holding its section's folio, so the contents' ``target-counter(…, folio)`` reads it; and
    for the element whose page number states the page count (``page_count_target``), holding
    ``page_count``."""
    spans = "".join(f'<span id="{escape(s.id)}" style="counter-reset: folio {first_folios[n]}">'
                    f"</span>" for n, s in enumerate(sections) if n in first_folios)
    if page_count_target:
        spans += (f'<span id="{escape(page_count_target)}" '
                  f'style="counter-reset: page {page_count}"></span>')
    return f'<div class="{TARGETS_CLASS}">{spans}</div>'


def margin_layer_html(head: str, strings: str, front_pages: int,
                      section_tags: Sequence[tuple[Section, str]], counts: Sequence[int],
                      every_page: str = "", after: Sequence[str] = ()) -> str:
    """The book's page sequence, every page empty: its front pages, then each body section
    (its own start tag, so named pages, page groups and running-head strings are as in the
    book) holding as many leaves as its piece has pages. ``every_page``: elements repeated
    on every page; ``after``: the edition's elements after the last page, which open pages
    of their own that only the layer has."""
    return _layer_html(head, strings + every_page, front_pages,
                       [(section, tag, count)
                        for (section, tag), count in zip(section_tags, counts, strict=True)],
                       after)


def _layer_html(head: str, strings: str, front_pages: int,
                sections: Sequence[tuple[Section, str, int]], after: Sequence[str]) -> str:
    leaf = f'<div class="{LEAF_CLASS}"></div>'
    parts: list[str] = []
    if front_pages:
        parts.append('<div class="frontmatter">' + strings + leaf * front_pages + "</div>")
        strings = ""
    wrapper = None
    for section, tag, count in sections:
        kind = "backmatter" if section.kind == "back" else "mainmatter"
        if kind != wrapper:
            if wrapper:
                parts.append("</div>")
            parts.append(f'<div class="{kind}">')
            wrapper = kind
        parts.append(tag + strings + leaf * count + "</section>")
        strings = ""
    if wrapper:
        parts.append("</div>")
    parts.extend(after)
    return head + "\n".join(parts) + "\n</body>\n</html>\n"


# Pages ahead of a later part of the margin layer, dropped once it is laid out: the section
# before the part's first, on a right page and a left one, so the part's first section opens
# on a right page whichever way it breaks.
LAYER_LEAD_PAGES = 2


@dataclass(frozen=True, slots=True)
class LayerPart:
    """The margin layer's pages from a body section on, as a document of its own: its HTML
    (``LAYER_LEAD_PAGES`` pages ahead of the part's own, dropped once it is laid out), the
    rules it is laid out with after ``LAYER_CSS`` (the counters as the whole layer has
    them on the part's first page), the id its first page must hold, and the pages it must
    have (None for the last, which the edition's elements after the last page lengthen)."""

    html: str
    css: str
    first_id: str
    pages: int | None


def margin_layer_parts(head: str, strings: str, front_pages: int,
                       section_tags: Sequence[tuple[Section, str]], counts: Sequence[int],
                       first_folios: dict[int, int], starts: dict[int, int],
                       splits: Sequence[int], every_page: str = "", after: Sequence[str] = ()
                       ) -> tuple[str, tuple[LayerPart, ...]]:
    """``margin_layer_html`` in documents that lay out the same pages: its pages before the
    first of the body sections ``splits`` (in order, each opening on a right page straight
    after the page before it: ``layer_split_points``), and from each on to the next. Ahead
    of a later part, its two lead pages leave what the whole layer has at its first
    section: the running heads' strings set at the book's start, then as the section before
    sets them (on every page it takes), the folio and page counters where the part before
    leaves them. Its named pages and page groups are the sections' own, as in the whole
    layer."""
    sections = [(section, tag, count)
                for (section, tag), count in zip(section_tags, counts, strict=True)]
    first = _layer_html(head, strings + every_page, front_pages, sections[:splits[0]], ())
    later: list[LayerPart] = []
    for split, end in zip(splits, [*splits[1:], len(sections)], strict=True):
        before, before_tag, _ = sections[split - 1]
        lead = [(before, before_tag, LAYER_LEAD_PAGES)]
        last = end == len(sections)
        html = _layer_html(head, strings + every_page, 0, lead + sections[split:end],
                           after if last else ())
        # Reset on the first lead page, counted on each lead page (their page names, a body
        # section's, count folios): the part's first page then has the whole layer's numbers.
        page = starts[split] + 1
        css = (f"@page :first {{ counter-reset: folio"
               f" {first_folios[split] - LAYER_LEAD_PAGES - 1}"
               f" page {page - LAYER_LEAD_PAGES}; }}\n")
        later.append(LayerPart(html, css, section_tags[split][0].id,
                               None if last else starts[end] - starts[split]))
    return first, tuple(later)


# What would make a page of a later part differ from the whole layer's: a page's number
# among all the document's pages, their count, or a page counter set other than as the
# structure's rules set it.
_WHOLE_LAYER_ONLY = re.compile(
    r":nth\((?![^)]*\bof\b)|\bcounters?\(\s*pages\b"
    r"|counter-(?:reset|set)\s*:[^;}]*\b(?:page|folio)\b", re.I)
_FOLIO_RESET = "@page :first { counter-reset: folio 0; }"


def layer_splits(sheets: Sequence[str]) -> bool:
    """Whether a margin layer laid out with ``sheets`` may be laid out in parts
    (``margin_layer_parts``)."""
    return not any(_WHOLE_LAYER_ONLY.search(sheet.replace(_FOLIO_RESET, ""))
                   for sheet in sheets)


def layer_split_points(front_pages: int, slots: Sequence[Slot], starts: dict[int, int]
                       ) -> list[int]:
    """The body sections the margin layer may be split at: those that open on a right page
    straight after the page before them (not after a blank page of their own, which only
    the section could open)."""
    return [n for n, start in starts.items()
            if n > 0 and start % 2 == 0 and slots[start - front_pages - 1].piece is not None]


def layer_splits_at(front_pages: int, slots: Sequence[Slot], starts: dict[int, int],
                    parts: int) -> list[int]:
    """The sections to split the margin layer at into ``parts`` parts of about as many pages
    each (fewer where fewer sections may begin a part), in order."""
    pages = front_pages + len(slots)
    points = layer_split_points(front_pages, slots, starts)
    chosen = {min(points, key=lambda n: (abs(starts[n] - k * pages / parts), n))
              for k in range(1, parts)} if points else set()
    return sorted(chosen)


def joined_layer(parts: Sequence[bytes]) -> bytes:
    """The margin layer's parts, laid out apart, as the one document the join draws from:
    the first part's catalogue and metadata, every part's pages and named destinations."""
    opened = [pikepdf.open(io.BytesIO(part)) for part in parts]
    base = opened[0]
    try:
        sources: list[tuple[pikepdf.Pdf, int]] = [(base, 0)]
        for part in opened[1:]:
            sources.append((part, len(base.pages)))
            base.pages.extend(part.pages)
        _destinations(base, sources)
        out = io.BytesIO()
        base.save(out, deterministic_id=True, fix_metadata_version=False)
        return out.getvalue()
    finally:
        for part in opened:
            part.close()


def _outline(pdf: pikepdf.Pdf, marks: Sequence[tuple[Mark, int]]) -> None:
    """One outline from the pieces' bookmarks (each with its page in the joined book), nested
    by level as WeasyPrint nests one document's."""
    if not marks:
        return
    stack: list[tuple[int, pikepdf.OutlineItem]] = []
    with pdf.open_outline() as outline:
        for mark, page in marks:
            destination = pikepdf.Array([pdf.pages[page].obj, pikepdf.Name.XYZ, mark.x, mark.y,
                                         0])
            item = pikepdf.OutlineItem(mark.label, destination)
            item.is_closed = not mark.open
            while stack and stack[-1][0] >= mark.level:
                stack.pop()
            (stack[-1][1].children if stack else outline.root).append(item)
            stack.append((mark.level, item))


def _destinations(pdf: pikepdf.Pdf, sources: Sequence[tuple[pikepdf.Pdf, int]]) -> None:
    """One name tree of every piece's named destinations (later pieces win: the front
    matter's stand-ins for the body's sections give way to the sections themselves)."""
    names: dict[str, pikepdf.Array] = {}
    for source, first_page in sources:
        root_names = source.Root.get("/Names")
        dests = root_names.get("/Dests") if root_names is not None else None
        if dests is None:
            continue
        index_of: dict[tuple[int, int], int] = {
            page.obj.objgen: n for n, page in enumerate(source.pages)}
        array = dests.get("/Names", pikepdf.Array())
        for k in range(0, len(array), 2):
            name, dest = str(array[k]), array[k + 1]
            page = index_of.get(dest[0].objgen)
            if page is None:
                continue
            names[name] = pikepdf.Array([pdf.pages[first_page + page].obj, *list(dest)[1:]])
    if not names:
        return
    flat = pikepdf.Array()
    for name in sorted(names):
        flat.append(pikepdf.String(name))
        flat.append(names[name])
    if "/Names" not in pdf.Root:
        pdf.Root.Names = pikepdf.Dictionary()
    pdf.Root.Names.Dests = pdf.make_indirect(pikepdf.Dictionary(Names=flat))


MARGINS_XOBJECT = pikepdf.Name("/OctavoMargins")


def _entries(dictionary: pikepdf.Object, key: str) -> dict[str, pikepdf.Object]:
    found = dictionary.get(key)
    return {k: found[k] for k in found.keys()} if found is not None else {}  # noqa: SIM118 (a pikepdf Dictionary iterates no keys)


def _draw_over(pdf: pikepdf.Pdf, page: pikepdf.Page, layer_page: pikepdf.Page,
               tagged: bool = False) -> None:
    """Draw ``layer_page`` over ``page`` as a form under a fixed name (pikepdf's own overlay
    names it at random, and a build must give the same bytes every time); an artifact in a
    tagged PDF."""
    form = pdf.copy_foreign(layer_page.as_form_xobject())
    # WeasyPrint's pages share one resource dictionary: each page gets its own to name its form.
    resources = pikepdf.Dictionary(_entries(page.obj, "/Resources"))
    resources.XObject = pikepdf.Dictionary(_entries(resources, "/XObject"))
    resources.XObject[MARGINS_XOBJECT] = form
    page.obj.Resources = resources
    # Around the page's own (compressed) stream, not merged with it: a merged stream would
    # be decoded and compressed again, page by page.
    page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
    draw = b"q " + bytes(MARGINS_XOBJECT) + b" Do Q"
    if tagged:
        draw = ARTIFACT_BEGIN + draw + ARTIFACT_END.rstrip(b"\n")
    page.contents_add(pdf.make_stream(b"\nQ\n" + draw + b"\n"))


def _date_in(pdf: pikepdf.Pdf, modified: dt.datetime) -> None:
    """The book's date where the layer has the stand-in: the info dictionary and the XMP."""
    for key in ("/CreationDate", "/ModDate"):
        if key in pdf.docinfo:
            pdf.docinfo[key] = pikepdf.String(modified.strftime("D:%Y%m%d%H%M%SZ"))
    if "/Metadata" in pdf.Root:
        stamp = "%Y-%m-%dT%H:%M:%S"
        xmp = pdf.Root.Metadata.read_bytes().replace(
            PLACEHOLDER_DATE.strftime(stamp).encode(), modified.strftime(stamp).encode())
        pdf.Root.Metadata.write(xmp)


# Files the join leaves to the rest of the process (the fonts, the output, Python's own).
SPARE_FILES = 64


def files_for_pieces() -> int:
    """How many pieces the join may read from open files: each holds one until the book is
    saved, and a book of a thousand chapters must not meet the process's limit (commonly
    1,024 files)."""
    import resource

    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return 1 << 20
    return max(0, soft - SPARE_FILES)


def _opened(piece: LaidOut, from_file: bool = True) -> pikepdf.Pdf:
    # From its file, read as the join needs it: the pieces' bytes are never all in memory.
    # Past the files the process may hold open, a piece is read whole into memory instead.
    if piece.pdf_file and from_file:
        return pikepdf.open(piece.pdf_file)
    return pikepdf.open(io.BytesIO(piece.pdf_bytes()))


def join_pdf(front: LaidOut | None, pieces: Sequence[LaidOut], slots: Sequence[Slot],
             layer: bytes, remember: Remember, modified: dt.datetime | None = None,
             font_files: Sequence[Path] = (), tagged: bool = False,
             finish: Callable[[pikepdf.Pdf], None] | None = None) -> bytes:
    """The front matter's pages, then the body's slots: each piece's page with the margin
    layer's page over it, or the layer's own page where the slot is blank. The layer, laid
    out anew for every build, is the document the pages are gathered into: its catalogue
    and metadata (dates, output intent) stand for the book's. Every face found among
    ``font_files`` is embedded once, as a subset of its file. ``tagged``: the pieces' structure
    trees joined into one, the layer's drawing an artifact. ``finish``: done to the joined
    book before it is saved (:class:`octavo.press.finish.Finish`), so that the book is
    written once, not saved, read back and saved again."""
    budget = files_for_pieces()
    opened = [_opened(p, n < budget) for n, p in enumerate(pieces)]
    layer_pdf = pikepdf.open(io.BytesIO(layer))
    base = pikepdf.open(io.BytesIO(layer))
    front_pdf = _opened(front) if front is not None else None
    try:
        while len(base.pages):
            del base.pages[-1]
        for key in ("/Outlines", "/Names"):
            if key in base.Root:
                del base.Root[key]
        if front_pdf is not None:
            for page in front_pdf.pages:  # named destinations are joined below
                base.pages.append(page)
        front_pages = len(base.pages)
        first_page: dict[int, int] = {}
        for n, slot in enumerate(slots):
            position = front_pages + n
            layer_page = layer_pdf.pages[position]
            if slot.piece is None:
                base.pages.append(layer_page)
                if tagged:
                    draw_as_artifact(base, base.pages[position])
                continue
            first_page.setdefault(slot.piece, position)
            base.pages.append(opened[slot.piece].pages[slot.page])
            _draw_over(base, base.pages[position], layer_page, tagged)
        for layer_page in layer_pdf.pages[len(base.pages):]:  # the edition's, after the last
            base.pages.append(layer_page)
            if tagged:
                draw_as_artifact(base, base.pages[-1])
        if tagged:
            join_structure(base, ([(front_pdf, range(front_pages))] if front_pdf else []) + [
                (opened[i], range(first_page[i], first_page[i] + pieces[i].pages))
                for i in range(len(pieces)) if i in first_page])
        marks: list[tuple[Mark, int]] = []
        if front is not None:
            marks.extend((m, m.page) for m in front.marks)
        for index, piece in enumerate(pieces):
            marks.extend((m, first_page[index] + m.page) for m in piece.marks)
        _outline(base, marks)
        # The layer's own pages after the last hold their targets; its others give way.
        sources = ([(front_pdf, 0)] if front_pdf is not None else []) + [(layer_pdf, 0)] + [
            (opened[i], first_page[i]) for i in range(len(pieces)) if i in first_page]
        _destinations(base, sources)
        embed_from_files(base, font_files, remember)
        if modified is not None:
            _date_in(base, modified.replace(microsecond=0))
        if finish is not None:
            finish(base)
        out = io.BytesIO()
        # The pieces' dictionaries packed as one document's are (object streams need PDF 1.5;
        # PDF/X-1a is older).
        streams = (pikepdf.ObjectStreamMode.generate if base.pdf_version >= "1.5"
                   else pikepdf.ObjectStreamMode.preserve)
        base.save(out, deterministic_id=True, fix_metadata_version=False,
                  object_stream_mode=streams)
        return out.getvalue()
    finally:
        for p in opened:
            p.close()
        layer_pdf.close()
        base.close()
        if front_pdf is not None:
            front_pdf.close()
