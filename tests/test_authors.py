"""The authors as a reader sees them (``labels.authors_line``): the same words on the title
page, the covers, the cover's alt text, the running head and the PDF's /Author."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pikepdf
import pytest

from conftest import pdf_pages_text
from octavo.model import Book, Metadata
from octavo.render.cover import typographic_cover
from octavo.render.labels import authors_line
from octavo.review.edition import ArcSettings, arc_page_html
from octavo.themes import load_theme
from printbooks import chapter, metadata, squash, zone_texts

TWO = ("Ada Ferrer", "Ben Okri")
THREE = ("Ada Ferrer", "Ben Okri", "Cleo Ward")


@pytest.mark.parametrize(("language", "two", "three"), [
    ("en", "Ada Ferrer and Ben Okri", "Ada Ferrer, Ben Okri and Cleo Ward"),
    ("en-GB", "Ada Ferrer and Ben Okri", "Ada Ferrer, Ben Okri and Cleo Ward"),
    ("fr", "Ada Ferrer et Ben Okri", "Ada Ferrer, Ben Okri et Cleo Ward"),
    ("de", "Ada Ferrer und Ben Okri", "Ada Ferrer, Ben Okri und Cleo Ward"),
    ("es", "Ada Ferrer y Ben Okri", "Ada Ferrer, Ben Okri y Cleo Ward"),
    ("xx", "Ada Ferrer and Ben Okri", "Ada Ferrer, Ben Okri and Cleo Ward"),
])
def test_authors_line_in_each_language(language: str, two: str, three: str) -> None:
    assert authors_line((), language) == ""
    assert authors_line(("Ada Ferrer",), language) == "Ada Ferrer"
    assert authors_line(TWO, language) == two
    assert authors_line(THREE, language) == three


@pytest.mark.parametrize(("last", "expected"), [
    ("Isabel", "Fernando e Isabel"), ("Hilda Ruiz", "Fernando e Hilda Ruiz"),
    ("Íñigo", "Fernando e Íñigo"), ("Hierro", "Fernando y Hierro"),
    ("Hielo", "Fernando y Hielo"), ("Yolanda", "Fernando y Yolanda"),
])
def test_spanish_and_before_the_sound_i(last: str, expected: str) -> None:
    assert authors_line(("Fernando", last), "es") == expected
    assert authors_line(("Fernando", last), "en") == f"Fernando and {last}"


def _meta(authors: tuple[str, ...]) -> Metadata:
    return metadata(authors=authors)


def two_author_book() -> Book:
    # Two chapters (a book of one piece gets no title page), the first long enough to turn
    # onto a verso, whose running head names the authors.
    return Book(metadata=_meta(TWO), body=(chapter(1, "The Cellar", 8, 1),
                                           chapter(2, "The Carriage", 2, 2)))


def test_typographic_cover_sets_the_authors_line() -> None:
    theme = load_theme("classic")
    drawn = typographic_cover(_meta(TWO), theme).data
    assert drawn == typographic_cover(_meta(("Ada Ferrer and Ben Okri",)), theme).data
    assert drawn != typographic_cover(_meta(("Ada Ferrer, Ben Okri",)), theme).data


def test_print_cover_front_and_spine_name_the_authors_as_the_title_page() -> None:
    from octavo.press.cover import CoverSpec, cover_html
    from octavo.press.settings import PrintSettings

    html = cover_html(_meta(TWO), CoverSpec((6, 9), 300, "white"), PrintSettings(), "serif", None)
    assert html.count(">Ada Ferrer and Ben Okri<") == 2  # the front and the spine
    assert "Ada Ferrer, Ben Okri" not in html


def test_arc_page_names_the_authors_as_the_title_page() -> None:
    assert "The Lantern House — Ada Ferrer and Ben Okri</p>" in arc_page_html(
        _meta(TWO), ArcSettings(), "12")


@pytest.fixture(scope="module")
def two_author_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from octavo.press.document import PdfOptions
    from octavo.press.pieces import render_pdf
    from octavo.press.settings import PrintSettings

    # PDF/X, so WeasyPrint writes XMP too: its dc:creator must stay one entry per author.
    options = PdfOptions(theme=load_theme("classic"), press=PrintSettings(pdf_x="x-4"))
    path = tmp_path_factory.mktemp("authors") / "two.pdf"
    path.write_bytes(render_pdf(two_author_book(), options).data)
    return path


def test_title_page_cover_alt_and_pdf_metadata_agree(two_author_pdf: Path) -> None:
    from octavo.render.epub import EpubOptions, render_epub

    expected = "Ada Ferrer and Ben Okri"
    pages = [squash(text) for text in pdf_pages_text(two_author_pdf)]
    title_page = next(p for p in pages if "thelanternhouse" in p and "adaferrer" in p)
    assert squash(expected) in title_page
    assert not any(squash("Ada Ferrer, Ben Okri") in p for p in pages)
    # The verso's running head (after its folio) names them as the title page does.
    assert any(squash(head).endswith(squash(expected))
               for head in zone_texts(two_author_pdf, "head"))

    with pikepdf.open(two_author_pdf) as pdf:
        assert str(pdf.docinfo["/Author"]) == expected
        xmp = pdf.Root.Metadata.read_bytes().decode("utf-8")
    creators = re.search(r"<dc:creator>(.*?)</dc:creator>", xmp, re.S)
    assert creators is not None
    assert re.findall(r"<rdf:li>([^<]*)</rdf:li>", creators.group(1)) == list(TWO)

    epub = render_epub(two_author_book(), EpubOptions(modified=dt.datetime(2026, 1, 1),
                                                      theme=load_theme("classic")))
    with zipfile.ZipFile(io.BytesIO(epub)) as z:
        cover = next(z.read(n).decode("utf-8") for n in z.namelist()
                     if n.endswith("cover.xhtml"))
        opf = next(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".opf"))
    alt = re.search(r'<img[^>]*alt="([^"]*)"', cover)
    assert alt is not None and alt.group(1) == f"Cover: The Lantern House, by {expected}"
    # dc:creator in the package stays one element per author.
    assert re.findall(r"<dc:creator[^>]*>([^<]*)</dc:creator>", opf) == list(TWO)
