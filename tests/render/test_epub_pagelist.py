"""The print page list against the real PDF: for every printed page, roman-numbered front
matter included, the words right after page marker N in the EPUB are the first words on PDF
page N, and the marker's label is the page's printed folio. Read independently of the page
map: the EPUB as a reading system walks it, the PDF through pypdfium2."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from conftest import Built, corpus_books, epubcheck_messages, pdf_pages_text
from epub_reading import open_package, text_after_markers
from epub_reading import page_list_mismatches as mismatches


def page_list_mismatches(built: Built) -> list[str]:
    assert built.pdf is not None
    return mismatches(built.epub, pdf_pages_text(built.pdf))


def test_seed_page_list_matches_the_pdf(seed_build: Built) -> None:
    assert page_list_mismatches(seed_build) == []


@pytest.mark.corpus
@pytest.mark.slow
@pytest.mark.parametrize("book", corpus_books())
def test_corpus_page_lists_match_their_pdfs(corpus_build: Mapping[str, Built], book: str
                                            ) -> None:
    assert page_list_mismatches(corpus_build[book])[:5] == []


@pytest.mark.corpus
@pytest.mark.slow
@pytest.mark.parametrize("book", corpus_books()[:1])
def test_corpus_epub_with_roman_front_matter_passes_epubcheck(
    corpus_build: Mapping[str, Built], book: str
) -> None:
    pkg = open_package(corpus_build[book].epub)
    labels = [label for label, _ in text_after_markers(pkg)]
    assert labels[0] == "i" and "1" in labels  # front matter in roman, then the body
    assert epubcheck_messages(corpus_build[book].epub) == []
