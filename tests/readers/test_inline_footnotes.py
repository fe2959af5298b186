"""Unnumbered notes inside a Gutenberg paragraph (*The Time Machine*'s ``[Footnote: ...
--ED.]``) become the book's notes: a reference where the note stood, numbered with the
book's other notes; an endnote with a back link in the EPUB, a footnote on the page in print."""

from __future__ import annotations

import pytest

from conftest import Built, build_book, epubcheck_messages, pdf_pages_text
from epub_reading import NS, open_package
from gutenberg_texts import FOOTER, HEADER, PROSE, chapters, gutenberg
from octavo.model import Note, NoteRef, Paragraph, block_text

EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
BODY = (
    "CHAPTER I.\n\nThe ground was flat and sloped at all. [Footnote: It may be, of course,\n"
    "that the ground was a hill.--ED.] The end I had come in at was far.\n\n"
    "The lamp[1] was old.\n\n[Footnote 1: An oil lamp.]\n\n"
    f"{PROSE}\n\nCHAPTER II.\n\nAgain the road. [Note: A second note.] Done.\n\n{PROSE}"
)


def test_an_inline_footnote_becomes_a_note_in_the_books_sequence() -> None:
    first, second = chapters(gutenberg(BODY))
    para = first.blocks[0]
    assert isinstance(para, Paragraph)
    assert "[" not in block_text(para) and "Footnote" not in block_text(para)
    refs = [n.id for n in para.inlines if isinstance(n, NoteRef)]
    notes = [b for b in first.blocks if isinstance(b, Note)]
    assert refs == [notes[0].id]
    assert block_text(notes[0]) == "It may be, of course, that the ground was a hill.--ED."
    assert block_text(notes[1]) == "An oil lamp."
    assert len({n.id for n in notes} | {b.id for b in second.blocks if isinstance(b, Note)}) == 3


def test_a_bracket_that_is_no_note_stays() -> None:
    (chapter,) = chapters(gutenberg("CHAPTER I.\n\nHe said [sic] it twice.\n"))
    assert block_text(chapter.blocks[0]) == "He said [sic] it twice."


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("notes-book")
    (folder / "book.txt").write_text(HEADER + BODY + FOOTER, encoding="utf-8")
    return build_book(folder, tmp_path_factory.mktemp("notes-out"))


def test_epub_endnote_with_a_back_link(built: Built) -> None:
    pkg = open_package(built.epub)
    doc = pkg.xhtml(next(h for h in pkg.spine_hrefs() if "chapter-1" in h))
    refs = [a for a in doc.iter(f"{{{NS['x']}}}a") if a.get(EPUB_TYPE) == "noteref"]
    notes = [el for el in doc.iter(f"{{{NS['x']}}}aside") if el.get(EPUB_TYPE) == "footnote"]
    assert len(refs) == 2 and len(notes) == 2
    assert "".join(refs[0].itertext()) == "1"
    target = refs[0].get("href", "").lstrip("#")
    note = next(n for n in notes if n.get("id") == target)
    text = " ".join("".join(note.itertext()).split())
    assert "the ground was a hill.\u2014ED." in text
    back = [a.get("href") for a in note.iter(f"{{{NS['x']}}}a")]
    assert f"#{refs[0].get('id')}" in back
    assert epubcheck_messages(built.epub) == []


def test_print_footnote_on_the_page(built: Built) -> None:
    assert built.pdf is not None
    page = next(p for p in pdf_pages_text(built.pdf) if "sloped at all" in p)
    lines = [" ".join(line.split()) for line in page.splitlines() if line.strip()]
    body_at = next(k for k, line in enumerate(lines) if "sloped at all" in line)
    note_at = next(k for k, line in enumerate(lines) if "It may be, of course" in line)
    assert note_at > body_at
    assert "Footnote" not in page and "[" not in page
