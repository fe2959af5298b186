"""Print specifications checked on the written PDF: trim sizes, gutter by page count, bleed
boxes, PDF/X structure, determinism."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest

from conftest import CORPUS, SEEDS, Built, corpus_books, page_content
from octavo.build import load, pdf_options
from octavo.errors import OctavoError
from octavo.geometry import TRIMS, gutter_for_pages, margins_for, trim_size
from octavo.model import Book
from octavo.press.document import PdfOptions, PdfResult, estimated_pages
from octavo.press.pieces import render_pdf
from octavo.press.settings import PrintSettings
from octavo.themes import load_theme
from printbooks import long_book

PT = 72.0


@pytest.fixture(scope="module")
def seed_book() -> Book:
    return load(SEEDS).book


def options(**press: object) -> PdfOptions:
    return PdfOptions(theme=load_theme("classic"),
                      press=replace(PrintSettings(), **press),  # type: ignore[arg-type]
                      modified=dt.datetime(2026, 1, 1))


@pytest.mark.parametrize("trim", [*TRIMS, "5.06x7.81"])
def test_page_size_per_trim(trim: str) -> None:
    # The front matter and two chapters of a page each: every kind of page, few of them.
    result = render_pdf(long_book(2), replace(options(), trim=trim))
    width, height = trim_size(trim)
    with pikepdf.open(io.BytesIO(result.data)) as pdf:
        for page in pdf.pages:
            x0, y0, x1, y1 = (float(v) for v in page.MediaBox)
            assert abs((x1 - x0) - width * PT) < 0.5 and abs((y1 - y0) - height * PT) < 0.5


def test_unknown_trim_is_an_error() -> None:
    with pytest.raises(OctavoError, match="unknown trim"):
        trim_size("folio")


@pytest.mark.parametrize(("pages", "gutter"), [
    (24, 0.375), (150, 0.375), (151, 0.5), (300, 0.5), (301, 0.625), (500, 0.625),
    (501, 0.75), (700, 0.75), (701, 0.875), (828, 0.875),
])
def test_gutter_band(pages: int, gutter: float) -> None:
    assert gutter_for_pages(pages) == gutter


def recto_text_left(data: bytes, index: int) -> float:
    """Distance (pt) from the trim's left edge to the text block on a recto: the leftmost
    character between head and foot."""
    doc = pdfium.PdfDocument(data)
    try:
        page = doc[index]
        x0, y0, _, y1 = page.get_bbox()
        textpage = page.get_textpage()
        lefts = [box[0] for i in range(textpage.count_chars())
                 if (box := textpage.get_charbox(i))[3] < y1 - 60 and box[1] > y0 + 70]
        return float(min(lefts) - x0)
    finally:
        doc.close()


def test_inside_margin_grows_with_the_page_count() -> None:
    # The thin book a few pages, the thick one just past 150 (144 leaves make 150 pages, 145
    # make 154): its first page guess is in the thinner band, so it is laid out again.
    thin = render_pdf(long_book(8), options())
    thick = render_pdf(long_book(145), options())
    assert thin.page_count <= 150 < thick.page_count
    assert thin.inside_margin == margins_for((6, 9), thin.page_count).inside
    assert thick.inside_margin - thin.inside_margin == pytest.approx(0.125)
    # Measured on the page: the text block's inside edge moved by the band's difference.
    recto = thin.section_pages["chapter-1"] + 2
    assert recto == thick.section_pages["chapter-1"] + 2 and recto % 2 == 0
    thin_left, thick_left = recto_text_left(thin.data, recto), recto_text_left(thick.data, recto)
    assert thin_left == pytest.approx(thin.inside_margin * PT, abs=2.5)
    assert thick_left - thin_left == pytest.approx(9, abs=0.6)


@pytest.fixture(scope="module")
def bled() -> bytes:
    # Front matter, chapter openings, text pages and blanks: rectos and versos of each kind.
    return render_pdf(long_book(2), options(bleed=True)).data


@pytest.fixture(scope="module")
def plain() -> bytes:
    """A book laid out with the default options (its contents page links to its chapters)."""
    return render_pdf(long_book(2), options()).data


def test_bleed_on_outside_top_and_bottom_only(bled: bytes) -> None:
    with pikepdf.open(io.BytesIO(bled)) as pdf:
        assert len(pdf.pages) > 4
        for index, page in enumerate(pdf.pages):
            media = [float(v) for v in page.MediaBox]
            trim = [float(v) for v in page.TrimBox]
            assert [float(v) for v in page.BleedBox] == media
            assert media[2] - media[0] == pytest.approx(6 * PT + 9)
            assert media[3] - media[1] == pytest.approx(9 * PT + 18)
            assert trim[1] - media[1] == pytest.approx(9)  # bottom
            assert media[3] - trim[3] == pytest.approx(9)  # top
            if index % 2 == 0:  # recto: bound on the left
                assert trim[0] == pytest.approx(media[0]) and media[2] - trim[2] == pytest.approx(9)
            else:
                assert trim[2] == pytest.approx(media[2]) and trim[0] - media[0] == pytest.approx(9)


# Each laid out once for the tests that read it.
@pytest.fixture(scope="module")
def x4(seed_book: Book) -> bytes:
    return render_pdf(seed_book, options(pdf_x="x-4", bleed=True)).data


@pytest.fixture(scope="module")
def x1a(seed_book: Book) -> PdfResult:
    return render_pdf(seed_book, options(pdf_x="x-1a"))


def test_no_bleed_means_trim_is_the_page(plain: bytes) -> None:
    with pikepdf.open(io.BytesIO(plain)) as pdf:
        page = pdf.pages[0]
        assert [float(v) for v in page.MediaBox] == [0, 0, 6 * PT, 9 * PT]


def test_pdf_x4_structure(x4: bytes) -> None:
    data = x4
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert pdf.pdf_version == "1.6"
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == "/GTS_PDFX"
        profile = intent.DestOutputProfile
        assert int(profile.N) == 4 and profile.read_bytes()[16:20] == b"CMYK"
        xmp = pdf.Root.Metadata.read_bytes()
        assert b"<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in xmp
        assert str(pdf.docinfo.Trapped) == "/False"
        for page in pdf.pages:
            assert "/TrimBox" in page and "/BleedBox" in page
            # A CMYK intent allows no device RGB colour.
            assert b" rg" not in page_content(page)


def test_pdf_x1a_structure(x1a: PdfResult) -> None:
    data = x1a.data
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert pdf.pdf_version == "1.4"
        assert str(pdf.docinfo.GTS_PDFXVersion) == "PDF/X-1a:2003"
        assert pdf.Root.OutputIntents[0].S == "/GTS_PDFX"
        for page in pdf.pages:
            assert "/Group" not in page  # X-1a forbids transparency
            for gs in (page.Resources.get("/ExtGState") or {}).values():
                assert "/SMask" not in gs or gs.SMask == "/None"
            assert "/TrimBox" in page
            # Process colour only: no Lab or RGB space is left listed on a page.
            spaces = page.Resources.get("/ColorSpace") or {}
            for space in spaces.values():
                family = space[0] if isinstance(space, pikepdf.Array) else space
                assert family in ("/DeviceCMYK", "/DeviceGray", "/Pattern"), family


def test_same_input_same_bytes(seed_book: Book, x4: bytes) -> None:
    first = x4
    second = render_pdf(seed_book, options(pdf_x="x-4", bleed=True)).data
    assert first == second
    with pikepdf.open(io.BytesIO(first)) as pdf:
        assert "/ID" in pdf.trailer
        assert str(pdf.docinfo.CreationDate).startswith("D:20260101")


def test_build_writes_settings_from_book_toml(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# One\n\nFirst chapter text.\n\n# Two\n\nSecond chapter.\n",
                                   encoding="utf-8")
    (tmp_path / "thanks.md").write_text("Thanks to the first readers.\n", encoding="utf-8")
    (tmp_path / "book.toml").write_text(
        'title = "Small Book"\nauthor = "A. Writer"\ntrim = "5x8"\n'
        '[print]\nbleed = true\n[front_matter]\nhalf_title = false\n'
        'dedication = "For my sister."\n'
        '[back_matter]\nacknowledgements = "thanks.md"\n', encoding="utf-8")
    loaded = load(tmp_path)
    assert [c.role for c in loaded.book.front_matter] == ["dedication"]
    assert [c.role for c in loaded.book.back_matter] == ["acknowledgements"]
    assert len(loaded.settings.sources) == 1  # thanks.md is not manuscript text
    result = render_pdf(loaded.book, pdf_options(loaded))
    with pikepdf.open(io.BytesIO(result.data)) as pdf:
        trim = [float(v) for v in pdf.pages[0].TrimBox]
        assert trim[2] - trim[0] == pytest.approx(5 * PT)
    doc = pdfium.PdfDocument(result.data)
    text = " ".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    assert "For my sister." in text and "Thanks to the first readers." in text
    assert doc[0].get_textpage().get_text_range().startswith("Small Book")  # no half-title


def test_page_count_is_even_and_x_files_have_no_annotations(x1a: PdfResult,
                                                            plain: bytes) -> None:
    with pikepdf.open(io.BytesIO(x1a.data)) as pdf:
        assert len(pdf.pages) % 2 == 0 and len(pdf.pages) == x1a.page_count
        assert not any("/Annots" in page for page in pdf.pages)
    with pikepdf.open(io.BytesIO(plain)) as pdf:
        assert any("/Annots" in page for page in pdf.pages)  # contents links in a plain PDF


@pytest.mark.parametrize("book", corpus_books())
def test_the_first_page_guess_is_in_each_novels_own_gutter_band(
    corpus_build: Mapping[str, Built], book: str
) -> None:
    """The layout's first pass takes its margins from a guessed page count: a guess in
    another gutter band than the book's own lays every chapter out a second time."""
    built = corpus_build[book]
    assert built.pdf is not None
    real = len(pdfium.PdfDocument(built.pdf))
    guess = estimated_pages(load(CORPUS / book / "source.txt").book, "6x9")
    assert abs(guess - real) <= 0.08 * real, (guess, real)  # the theme sets the type
    assert gutter_for_pages(guess) == gutter_for_pages(real)
