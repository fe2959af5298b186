"""The review edition laid out chapter by chapter and joined: the same pages as its one-document
layout (as the whole-document layout octavo once had gave them, kept in
tests/fixtures/one-document/: the ARC page with the stated count, the mark on every page, blank ones included, the
leaf-end page where a leaf needs it), its chapters kept in the chapter cache under keys of
their own."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from conftest import FIXTURES, pdf_pages_text
from octavo.build import load, pdf_options
from octavo.model import Book
from octavo.normalize import normalize
from octavo.press.cache import ChapterCache
from octavo.press.document import PdfOptions
from octavo.press.pieces import LayoutCount, render_pdf_in_pieces
from octavo.press.settings import PrintSettings
from octavo.review.arc import as_laid_out, page_count, review_pdf_options, stated_page_count
from octavo.review.edition import EDITION_MARK, NOTICE, ArcSettings
from octavo.themes import load_theme
from printbooks import sample_book

BOOK = FIXTURES / "review" / "book"
LAST_WORDS = "Visitors."
ARC = ArcSettings(publication_date="4 March 2027", isbn="978-0-00-000000-2", price="£16.99")


def texts(data: bytes) -> list[str]:
    """Each page's words, runs of spaces as one (as tests/test_pieces.py reads them)."""
    return [" ".join(text.split()) for text in pdf_pages_text(data)]


def ending_on_a_verso(tmp_path: Path) -> Path:
    """The fixture with its last paragraph moved onto a verso of its own."""
    book = tmp_path / "book"
    shutil.copytree(BOOK, book)
    manuscript = book / "keeper.md"
    text, last = manuscript.read_text(encoding="utf-8").rstrip().rsplit("\n\n", 1)
    manuscript.write_text(f"{text}\n\n{{pagebreak}}\n\n{last}\n", encoding="utf-8")
    return book


def joined_edition(book: Book, options: PdfOptions) -> bytes:
    """The review edition joined from pieces, as the edition keeps it (ending on a verso,
    every page laid out)."""
    return as_laid_out(render_pdf_in_pieces(book, options, workers=1).data)


def one_document(name: str) -> tuple[list[str], list[list[float]]]:
    """The words of each page of the edition laid out as one document, and where its mark is."""
    found = json.loads((FIXTURES / "one-document" / f"{name}.json").read_text(encoding="utf-8"))
    return found["pages"], found["marks"]


def unmarked(pages: list[str]) -> list[str]:
    """The pages' words without the edition mark: a body page draws the margin layer's after
    its footnotes, where the one document draws its fixed element before them."""
    return [" ".join(page.replace(EDITION_MARK, " ").split()) for page in pages]


def mark_boxes(data: bytes) -> list[tuple[float, ...]]:
    """Where the edition mark is drawn on each page (left, bottom, right, top, in points)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        boxes = []
        for index in range(len(doc)):
            textpage = doc[index].get_textpage()
            found = textpage.search(EDITION_MARK, match_case=True).get_next()
            assert found, f"no edition mark on page {index + 1}"
            chars = [textpage.get_charbox(i) for i in range(found[0], found[0] + found[1])]
            boxes.append(tuple(round(v, 1) for v in (
                min(c[0] for c in chars), min(c[1] for c in chars),
                max(c[2] for c in chars), max(c[3] for c in chars))))
        return boxes
    finally:
        doc.close()


def assert_one_edition(whole: tuple[list[str], list[list[float]]], joined: bytes) -> list[str]:
    """The same pages, each marked once, in the same place; the stated count the real one."""
    whole_pages, whole_marks = whole
    pages = texts(joined)
    assert page_count(joined) == len(whole_pages) == len(pages)
    assert unmarked(pages) == unmarked(whole_pages)
    assert all(page.count(EDITION_MARK) == 1 for page in pages)
    assert [list(box) for box in mark_boxes(joined)] == whole_marks
    assert len(pages) % 2 == 0
    assert stated_page_count(joined) == len(pages)
    return pages


@dataclass(frozen=True)
class Edition:
    """The fixture's review edition laid out into a cache holding its trade edition's
    chapters: what the trade layout laid out, what the edition's did, and the edition."""
    book: Book
    options: PdfOptions
    cache: ChapterCache
    trade: LayoutCount
    count: LayoutCount
    data: bytes


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory) -> Edition:
    """Laid out once: the recto test reads its pages, the cache test its entries."""
    loaded = load(BOOK)
    trade = pdf_options(loaded)
    options = review_pdf_options(trade, loaded.book.metadata, ARC)
    cache = ChapterCache(tmp_path_factory.mktemp("review-pieces") / "cache")
    trade_count, count = LayoutCount(), LayoutCount()
    render_pdf_in_pieces(loaded.book, trade, cache, trade_count, workers=1)
    cold = render_pdf_in_pieces(loaded.book, options, cache, count, workers=1)
    return Edition(loaded.book, options, cache, trade_count, count, cold.data)


@pytest.mark.parametrize("ends_on", ["recto", "verso"])
def test_the_fixture_joined_equals_its_one_document_layout(
        tmp_path: Path, ends_on: str, edition: Edition) -> None:
    if ends_on == "recto":
        # The edition as the cache test lays it out (no entry of its own in the cache yet).
        assert edition.count.pieces == 3
        joined = as_laid_out(edition.data)
    else:
        loaded = load(ending_on_a_verso(tmp_path))
        joined = joined_edition(loaded.book, review_pdf_options(pdf_options(loaded),
                                                                loaded.book.metadata, ARC))
    pages = assert_one_edition(one_document(f"review-fixture-{ends_on}"), joined)
    # The title page (title and author), not the half-title before it, whose small
    # capitals now extract as written.
    title = next(i for i, t in enumerate(pages)
                 if "The Keeper of Skerry Light" in t and "Ines Marlow" in t)
    assert title > 0 and "The Keeper of Skerry Light" in pages[0]
    # The ARC page on the next recto, the title page's back left blank but for the mark.
    assert pages[title + 1] == EDITION_MARK and NOTICE in pages[title + 2]
    # Blank versos before recto openers, and the leaf-end page where the text ends on a recto:
    # each the margin layer's own page, with the mark on it.
    blanks = [n for n, t in enumerate(pages) if t == EDITION_MARK]
    assert blanks and (ends_on == "verso") == (blanks[-1] != len(pages) - 1)
    assert LAST_WORDS in pages[-2 if ends_on == "recto" else -1]


def test_a_book_in_parts_with_notes_joined_equals_its_one_document_layout() -> None:
    book, _ = normalize(sample_book("en"))
    trade = PdfOptions(theme=load_theme("modern"), press=PrintSettings())
    options = review_pdf_options(trade, book.metadata, ARC)
    assert_one_edition(one_document("review-sample-modern"), joined_edition(book, options))


def test_chapters_opening_on_any_page_join_as_one_document() -> None:
    book, _ = normalize(sample_book("en"))
    trade = PdfOptions(theme=load_theme("classic"), press=replace(PrintSettings(),
                                                                  recto_openers=False))
    assert_one_edition(one_document("review-sample-any-page-openers"),
                       joined_edition(book, review_pdf_options(trade, book.metadata, ARC)))


def test_the_edition_keeps_its_chapters_under_keys_of_its_own(edition: Edition) -> None:
    """The review rules reach every piece, so none of the trade edition's entries is taken;
    built again, the edition comes whole from the cache, the same bytes."""
    assert edition.trade.pieces == 3
    first = edition.count
    assert first.pieces == 3 and first.front >= 1 and first.layer == 1
    again = LayoutCount()
    warm = render_pdf_in_pieces(edition.book, edition.options, edition.cache, again, workers=1)
    assert (again.pieces, again.front, again.layer, again.probe) == (0, 0, 0, 0)
    assert warm.data == edition.data
