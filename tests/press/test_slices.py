"""A long chapter laid out in slices (press/slices.py) has the pages it has laid out whole,
and no layout holds all of them."""

from __future__ import annotations

from typing import Any

import pypdfium2 as pdfium
import pytest

from octavo.normalize import normalize
from octavo.press import chapters, slices
from octavo.press.chapters import LaidOut, LayoutPool, Piece, lay_out_piece
from octavo.press.document import PdfOptions, estimated_pages, print_parts
from octavo.press.join import NO_MARGIN_BOXES_CSS
from octavo.press.lines import Measured
from octavo.press.pieces import LayoutCount, PieceBuild
from octavo.themes import load_theme
from printbooks import sample_book

# Paragraphs with margins: a page a paragraph goes on to begins a slice with its continuation
# (the top margin WeasyPrint drops there dropped), not one a paragraph begins.
SPACED = "section > p { margin: 0.3em 0 0.2em; }"


@pytest.fixture(scope="module", params=[("classic", ""), ("modern", ""), ("classic", SPACED)])
def chapter(request: pytest.FixtureRequest) -> tuple[str, chapters.Stylesheets, Measured]:
    """The longest chapter of a long sample book, with its stylesheets and measurements."""
    book, _ = normalize(sample_book("en", paragraphs=40))
    theme, extra_css = request.param
    options = PdfOptions(theme=load_theme(theme), extra_css=extra_css)
    parts = print_parts(book, (), options.press, ())
    build = PieceBuild(book, options, parts, estimated_pages(book, options.trim), None,
                       LayoutCount(), LayoutPool(1))
    longest = max(range(len(parts.sections())), key=lambda n: len(parts.sections()[n][1]))
    return parts.section_document(longest), build.css, build.measured()


def pixels(pdf: bytes) -> list[bytes]:
    document = pdfium.PdfDocument(pdf)
    return [page.render(scale=1).to_pil().tobytes() for page in document]


def laid_out(piece: Piece, css: chapters.Stylesheets, measured: Measured,
             monkeypatch: pytest.MonkeyPatch, slice_chars: int | None
             ) -> tuple[LaidOut, list[int]]:
    """The piece laid out whole (``slice_chars`` None) or in slices of so many characters,
    with the pages of every document laid out for it."""
    layouts: list[int] = []
    make = chapters.layout_function

    def recorded(*args: Any) -> Any:
        lay_out = make(*args)

        def counted(html: str) -> Any:
            document = lay_out(html)
            layouts.append(len(document.pages))
            return document

        return counted

    with monkeypatch.context() as patch:
        patch.setattr(chapters, "layout_function", recorded)
        if slice_chars is None:
            patch.setattr(chapters, "sliceable", lambda _html: False)
        else:
            patch.setattr(slices, "SLICE_CHARS", slice_chars)
        laid = lay_out_piece(piece, css, measured, None, NO_MARGIN_BOXES_CSS)
    return laid, layouts


@pytest.mark.parametrize(("left_start", "level_spreads"),
                         [(False, True), (True, True), (False, False), (True, False)])
def test_a_chapter_laid_out_in_slices_has_the_pages_it_has_laid_out_whole(
        chapter: tuple[str, chapters.Stylesheets, Measured], left_start: bool,
        level_spreads: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    html, css, measured = chapter
    piece = Piece(html, left_start, 0, level_spreads)
    whole, whole_layouts = laid_out(piece, css, measured, monkeypatch, None)
    sliced, slice_layouts = laid_out(piece, css, measured, monkeypatch, 1500)
    assert whole.pages >= 4
    # Laid out a few pages at a time: no document held the chapter's pages.
    assert len(slice_layouts) > len(whole_layouts) + 2
    assert max(slice_layouts) < whole.pages
    assert (sliced.pages, sliced.texts, sliced.anchors, sliced.marks, sliced.rebroken,
            sliced.html) == (whole.pages, whole.texts, whole.anchors, whole.marks,
                             whole.rebroken, whole.html)
    assert pixels(sliced.pdf) == pixels(whole.pdf)


def test_a_chapter_with_notes_or_links_is_laid_out_whole() -> None:
    long = "<p>words</p>" * 30_000
    assert slices.sliceable(long)
    assert not slices.sliceable(long + '<a href="#there">there</a>')
    assert not slices.sliceable(long + '<span class="footnote">a note</span>')
    assert not slices.sliceable("<p>words</p>")
