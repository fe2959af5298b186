"""The print page list against the real PDF: for every printed page, roman-numbered front
matter included, the words right after page marker N in the EPUB are the first words on PDF
page N, and the marker's label is the page's printed folio. Read independently of the page
map: the EPUB as a reading system walks it, the PDF through pypdfium2."""

from __future__ import annotations

import pytest

from conftest import Built, epubcheck_messages, pdf_pages_text
from epub_reading import (
    ends_hyphenated,
    letters,
    open_package,
    page_opens_with,
    printed_folio,
    text_after_markers,
)


def page_list_mismatches(built: Built) -> list[str]:
    assert built.pdf is not None
    pkg = open_package(built.epub)
    markers = text_after_markers(pkg)
    pages = pdf_pages_text(built.pdf)
    problems = []
    if len(markers) != len(pages):
        problems.append(f"{len(markers)} page markers for {len(pages)} PDF pages")
    nav = pkg.nav("page-list")
    listed = [a.text for a in nav.iter("{http://www.w3.org/1999/xhtml}a")] if nav is not None else []
    if listed != [label for label, _ in markers]:
        problems.append("the page list and the markers differ in order or labels")
    for index, ((label, following), text) in enumerate(zip(markers, pages, strict=False)):
        folio = printed_folio(text)
        if folio is not None and folio != label:
            problems.append(f"page {index + 1}: marker {label}, printed folio {folio}")
        if not letters(text):
            continue  # a blank page: nothing to start with
        continues = index > 0 and ends_hyphenated(pages[index - 1])
        if page_opens_with(text, following, continues_word=continues):
            continue
        # A printed contents page lists its entries with numbers the ebook's contents lack:
        # its first word is what must match.
        if not label.isdigit() and page_opens_with(text, following, first_word_only=True):
            continue
        problems.append(f"page {label}: EPUB continues {following[:25]!r}, "
                        f"PDF page opens {' '.join(text.split()[:8])!r}")
    return problems


def test_seed_page_list_matches_the_pdf(seed_build: Built) -> None:
    assert page_list_mismatches(seed_build) == []


@pytest.mark.corpus
@pytest.mark.slow
def test_corpus_page_lists_match_their_pdfs(corpus_build: dict[str, Built]) -> None:
    problems = {name: page_list_mismatches(built)[:5] for name, built in corpus_build.items()}
    assert {name: p for name, p in problems.items() if p} == {}


@pytest.mark.corpus
@pytest.mark.slow
def test_corpus_epub_with_roman_front_matter_passes_epubcheck(
    corpus_build: dict[str, Built]
) -> None:
    name = sorted(corpus_build)[0]
    pkg = open_package(corpus_build[name].epub)
    labels = [label for label, _ in text_after_markers(pkg)]
    assert labels[0] == "i" and "1" in labels  # front matter in roman, then the body
    assert epubcheck_messages(corpus_build[name].epub) == []
