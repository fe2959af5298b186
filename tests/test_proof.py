"""Proof spreads: PNGs of facing pages, by default the front matter and the first opening."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from octavo.errors import OctavoError
from octavo.normalize import normalize
from octavo.press.document import PdfOptions
from octavo.press.pieces import render_pdf
from octavo.proof import parse_pages, spreads, write_proofs
from octavo.themes import load_theme
from printbooks import sample_book


def test_page_ranges() -> None:
    assert parse_pages("1-3,7,9-10", 9) == [1, 2, 3, 7, 9]
    with pytest.raises(OctavoError):
        parse_pages("a-b", 9)


def test_spreads_pair_verso_with_recto() -> None:
    assert spreads([1, 2, 3, 4, 5]) == [(None, 1), (2, 3), (4, 5)]
    assert spreads([6]) == [(6, 7)]


@pytest.fixture(scope="module")
def book_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    book, _ = normalize(sample_book(paragraphs=5))
    path = tmp_path_factory.mktemp("proof") / "book.pdf"
    path.write_bytes(render_pdf(book, PdfOptions(theme=load_theme("classic"))).data)
    return path


def test_default_proofs_cover_front_matter_and_first_opening(book_pdf: Path,
                                                            tmp_path: Path) -> None:
    written = write_proofs(book_pdf, tmp_path)
    names = [p.name for p in written]
    assert names[0] == "book-spread-000-001.png"
    # The sample's first chapter opens on page 11 (after a part-title page): its spread and
    # the first spread of running text are in, nothing after.
    assert names[-2:] == ["book-spread-010-011.png", "book-spread-012-013.png"]
    single = Image.open(written[1])
    assert single.width > 2 * single.height * 0.6  # two 6 × 9 pages side by side


def test_chosen_pages(book_pdf: Path, tmp_path: Path) -> None:
    written = write_proofs(book_pdf, tmp_path, "4-5")
    assert [p.name for p in written] == ["book-spread-004-005.png"]
