"""The margin layer laid out in two parts (a large book's, at once: press.pieces) has the whole
layer's pages: each page's text and pixels and the named destinations, split at every section
it may be split at, in both themes, with running heads by chapter and by title, chapters
opening on any page, and a review edition's mark on every page and page after the last. A
book whose layer is split prints the pages it prints whole, and the same bytes whether its
parts are laid out in one process or two."""

from __future__ import annotations

import io
from dataclasses import replace

import pikepdf
import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest

from conftest import pdf_pages_text
from octavo.model import Book
from octavo.normalize import normalize
from octavo.press import pieces
from octavo.press.chapters import LayoutPool, lay_out_as_is
from octavo.press.document import PdfOptions
from octavo.press.join import (
    LAYER_CSS,
    folios,
    joined_layer,
    layer_split_points,
    margin_layer_html,
    margin_layer_parts,
)
from octavo.press.pieces import (
    book_stylesheets,
    laid_out_pieces,
    lay_out_layer_part,
    render_pdf_in_pieces,
)
from octavo.press.settings import PrintSettings
from octavo.review.edition import LEAF_END_ID, PRINT_BACK_HTML, PRINT_CSS, PRINT_MARK_HTML
from octavo.themes import load_theme
from printbooks import sample_book

# Every page's number too (themes print only folios on body pages): the page counter is one
# a later part must carry on.
PAGE_NUMBERS_CSS = "@page { @bottom-right { content: counter(page); } }\n"


def options(theme: str = "classic", **press: object) -> PdfOptions:
    settings = replace(PrintSettings(), **press)  # type: ignore[arg-type]
    return PdfOptions(theme=load_theme(theme), press=settings, extra_css=PAGE_NUMBERS_CSS)


def review(theme: str) -> PdfOptions:
    return replace(options(theme), extra_css=PRINT_CSS + PAGE_NUMBERS_CSS,
                   every_page_html=(PRINT_MARK_HTML,), extra_back_html=(PRINT_BACK_HTML,),
                   page_count_target=LEAF_END_ID)


CASES = {
    "classic": options("classic"),
    "modern": options("modern"),
    "running heads by title": options("classic", running_head="title"),
    "chapters on any page": options("modern", recto_openers=False),
    "review edition": review("classic"),
}


@pytest.fixture(scope="module")
def book() -> Book:
    normalized, _ = normalize(sample_book("en", paragraphs=20))
    return normalized


def pixels(data: bytes) -> list[bytes]:
    doc = pdfium.PdfDocument(data)
    try:
        return [doc[i].render(scale=100 / 72).to_pil().tobytes() for i in range(len(doc))]
    finally:
        doc.close()


def destinations(data: bytes) -> dict[str, int]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        index = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
        names = pdf.Root.get("/Names")
        array = names.Dests.Names if names is not None and "/Dests" in names else []
        return {str(array[k]): index[array[k + 1][0].objgen] for k in range(0, len(array), 2)}


@pytest.mark.parametrize("case", list(CASES))
def test_the_layer_in_two_parts_has_the_whole_layers_pages(book: Book, case: str) -> None:
    opts = CASES[case]
    settled = laid_out_pieces(book, opts, workers=1)
    parts = settled.parts
    css = book_stylesheets(book, opts, settled.margins_pages)
    tags = [(section, html[:html.index(">") + 1]) for section, html in parts.sections()]
    sections = [section for section, _ in tags]
    whole, whole_pages = lay_out_as_is(
        margin_layer_html(parts.head, parts.strings, settled.front_pages, tags, settled.counts,
                          parts.every_page, opts.extra_back_html), css, LAYER_CSS, None)
    whole_texts, whole_pixels = pdf_pages_text(whole), pixels(whole)
    assert any(text.strip() for text in whole_texts[settled.front_pages:])
    points = layer_split_points(settled.front_pages, settled.slots, settled.starts)
    assert points, "no section to split at: the test would test nothing"
    # Split at each point alone, and at all of them at once.
    for splits in [*([point] for point in points), points]:
        first_html, later = margin_layer_parts(
            parts.head, parts.strings, settled.front_pages, tags, settled.counts,
            folios(settled.slots, sections), settled.starts, splits, parts.every_page,
            opts.extra_back_html)
        first, first_pages = lay_out_as_is(first_html, css, LAYER_CSS, None)
        assert first_pages == settled.starts[splits[0]]
        laid = [lay_out_layer_part(part, css, None) for part in later]
        assert [pages for _, pages in laid[:-1]] == [part.pages for part in later[:-1]]
        joined = joined_layer([first, *(pdf for pdf, _ in laid)])
        assert first_pages + sum(pages for _, pages in laid) == whole_pages
        assert pdf_pages_text(joined) == whole_texts, (case, splits)
        assert pixels(joined) == whole_pixels, (case, splits)
        assert destinations(joined) == destinations(whole), (case, splits)


def test_a_book_whose_layer_is_split_prints_the_same_pages_on_any_cores(
        book: Book, monkeypatch: pytest.MonkeyPatch) -> None:
    opts = replace(review("classic"), tagged=True)
    whole = render_pdf_in_pieces(book, opts, workers=1, page_map_source="print")
    joined: list[int] = []
    join = pieces.joined_layer

    def counted(parts: list[bytes]) -> bytes:
        joined.append(len(parts))
        return join(parts)

    monkeypatch.setattr(pieces, "joined_layer", counted)
    # The sample's layer split as a large book's is, in as many parts as it may be.
    monkeypatch.setattr(pieces, "LARGE_LAYER_PAGES", 4)
    monkeypatch.setattr(pieces, "LAYER_PART_PAGES", 1)
    alone = render_pdf_in_pieces(book, opts, workers=1, page_map_source="print")
    assert joined == [3]
    forks: list[bool] = []
    fork_worker = LayoutPool.fork_worker

    def fork_counted(pool: LayoutPool) -> None:
        forks.append(True)
        fork_worker(pool)

    monkeypatch.setattr(LayoutPool, "fork_worker", fork_counted)
    forked = render_pdf_in_pieces(book, opts, workers=2, page_map_source="print")
    assert forked.data == alone.data
    assert forks == [True]
    # A book longer than a novel lays its layer's parts out in its own process: a worker
    # forked from it would hold that process's size again.
    monkeypatch.setattr(pieces, "LAYER_WORKER_PAGES", 2)
    assert render_pdf_in_pieces(book, opts, workers=2, page_map_source="print").data == alone.data
    assert forks == [True]
    assert pdf_pages_text(alone.data) == pdf_pages_text(whole.data)
    assert pixels(alone.data) == pixels(whole.data)
    assert destinations(alone.data) == destinations(whole.data)
    assert (alone.page_count, alone.section_pages, alone.page_map) == (
        whole.page_count, whole.section_pages, whole.page_map)
