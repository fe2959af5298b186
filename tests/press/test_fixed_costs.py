"""What a print build pays whatever the size of the book is paid once: a piece's extra
stylesheets parsed once however often it is laid out, a piece laid out once a build, what
probes read kept, and no collection of the whole heap for a margin layer this process did
not lay out. Each leaves the pages as they were."""

from __future__ import annotations

import gc
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from octavo.model import Book
from octavo.normalize import normalize
from octavo.press import chapters
from octavo.press.cache import ChapterCache
from octavo.press.document import PdfOptions
from octavo.press.notes import NOTE_MARK
from octavo.press.pieces import LayoutCount, render_pdf_in_pieces
from octavo.press.settings import PrintSettings
from octavo.press.tagged import write_piece
from octavo.themes import load_theme
from printbooks import sample_book


@pytest.fixture(scope="module")
def book() -> Book:
    normalized, _ = normalize(sample_book("en", paragraphs=6))
    return normalized


def options(**press: object) -> PdfOptions:
    settings = replace(PrintSettings(), **press)  # type: ignore[arg-type]
    return PdfOptions(theme=load_theme("classic"), press=settings)


def _parses_counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    import weasyprint

    parsed: list[str] = []
    real = weasyprint.CSS

    class Counted(real):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            parsed.append(str(kwargs.get("string", ""))[:40])
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(weasyprint, "CSS", Counted)
    return parsed


def test_a_pieces_extra_stylesheets_are_parsed_once(book: Book,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from octavo.press.chapters import Piece, lay_out_piece
    from octavo.press.document import estimated_pages, print_parts
    from octavo.press.join import NO_MARGIN_BOXES_CSS
    from octavo.press.pieces import PieceBuild

    opts = options()
    parts = print_parts(book, (), opts.press, ())
    build = PieceBuild(book, opts, parts, estimated_pages(book, opts.trim), None,
                       LayoutCount(), chapters.LayoutPool(1))
    measured = build.measured()
    # The chapter with the footnote, opening on a left page: its first footnote numbered
    # after others, a lead page before it, laid out twice (planned from a first layout).
    n = next(n for n, (_, html) in enumerate(parts.sections()) if NOTE_MARK in html)
    piece = Piece(parts.section_document(n), True, 3)
    first = lay_out_piece(piece, build.css, measured, None, NO_MARGIN_BOXES_CSS)
    parsed = _parses_counted(monkeypatch)
    again = lay_out_piece(piece, build.css, measured, None, NO_MARGIN_BOXES_CSS)
    assert again.layouts == first.layouts
    assert parsed == []
    assert again.pdf == first.pdf
    # The same pages as with every rule in one sheet, parsed at each layout as before.
    one_sheet = chapters.layout_function(
        build.css, NO_MARGIN_BOXES_CSS + chapters.footnote_css(3) + chapters.LEAD_PAGE_CSS)
    split = chapters.layout_function(
        build.css, NO_MARGIN_BOXES_CSS, chapters.footnote_css(3), chapters.LEAD_PAGE_CSS)
    html = chapters.with_lead_page(piece.html)
    assert write_piece(one_sheet(html), None) == write_piece(split(html), None)
    # Another book's (another trim's) pieces: only the rules the trim changes are parsed,
    # not the margin-box rules nor the theme's (its faces declared once).
    other = replace(opts, trim="5x8")
    other_build = PieceBuild(book, other, print_parts(book, (), other.press, ()),
                             estimated_pages(book, other.trim), None, LayoutCount(),
                             chapters.LayoutPool(1))
    parsed.clear()
    lay_out_piece(piece, other_build.css, other_build.measured(), None, NO_MARGIN_BOXES_CSS)
    changed = {text[:40] for text, _ in other_build.css.sheets} - {
        text[:40] for text, _ in build.css.sheets}
    # (what the trim changes may have been parsed already, for an earlier book of that trim)
    assert changed and set(parsed) <= changed


def test_a_piece_is_laid_out_once_a_build_and_probes_and_faces_read_once_a_process(
        book: Book, monkeypatch: pytest.MonkeyPatch) -> None:
    """Chapters that open on whichever page comes: those whose side moved are laid out again,
    the others are not, with no chapter cache to find them in."""
    from octavo.press import fonts

    first = LayoutCount()
    laid = render_pdf_in_pieces(book, options(recto_openers=False), None, first, workers=1)
    sections = len(book.body) + sum(len(getattr(p, "chapters", ())) for p in book.body) + 1
    assert sections < first.pieces < 2 * sections
    read: list[int] = []
    monkeypatch.setattr(fonts, "_program_facts", lambda program: read.append(1))
    monkeypatch.setattr(fonts, "subset_keeping_ids", lambda face, glyphs: read.append(2))
    again = LayoutCount()
    assert render_pdf_in_pieces(book, options(recto_openers=False), None, again,
                                workers=1).data == laid.data
    assert again.probe == 0 and again.pieces == first.pieces
    assert read == []  # the faces' facts and subsets as the first build read and made them


def test_no_collection_for_a_margin_layer_from_the_cache(
        book: Book, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = ChapterCache(tmp_path / "cache")
    render_pdf_in_pieces(book, options(), cache, workers=1)
    collected: list[int] = []
    monkeypatch.setattr(gc, "collect", lambda *_args: collected.append(1) or 0)
    count = LayoutCount()
    render_pdf_in_pieces(book, options(), cache, count, workers=1)
    assert (count.pieces, count.layer) == (0, 0)
    assert collected == []


def test_the_joined_book_is_finished_and_saved_once(
        book: Book, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The finishing pass (bleed, identity, padding) is done to the book the join gathers,
    not to a saved copy read back and saved again: one save a build."""
    import io

    import pikepdf

    cache = ChapterCache(tmp_path / "cache")
    render_pdf_in_pieces(book, options(), cache, workers=1)
    saved: list[int] = []
    real_save = pikepdf.Pdf.save

    def counted(self: pikepdf.Pdf, *args: Any, **kwargs: Any) -> None:
        saved.append(1)
        real_save(self, *args, **kwargs)

    monkeypatch.setattr(pikepdf.Pdf, "save", counted)
    result = render_pdf_in_pieces(book, options(), cache, workers=1)
    assert saved == [1]
    # Each page as the finish leaves it: even, the inside bleed cut, the language set.
    with pikepdf.open(io.BytesIO(result.data)) as pdf:
        assert len(pdf.pages) % 2 == 0
        assert str(pdf.Root.Lang) == book.metadata.language
