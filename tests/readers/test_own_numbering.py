"""The author's own numbering: a book in the shape of *A Tale of Two Cities* (Books with their
own labels, roman chapters restarting at I in each) keeps its numbers in the EPUB heading and
navigation, on the printed opener and in the contents, from a Gutenberg text and from Markdown.
Renumbering stays an explicit choice."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from lxml import etree

from conftest import FIXTURES, Built, build_book, epubcheck_messages, pdf_pages_text
from epub_reading import NS, open_package
from octavo.model import Book, Chapter, Metadata, Paragraph, Part, Text
from octavo.render.html import chapter_label, part_number_line, part_toc_label, toc_label

TALE = FIXTURES / "tale"
CHAPTERS = [("I", "The Period"), ("II", "The Mail"), ("III", "The Night Shadows"),
            ("I", "Five Years Later"), ("II", "A Sight")]
PARTS = [("Book the First", "Recalled to Life"), ("Book the Second", "The Golden Thread")]


@pytest.fixture(scope="module", params=["text", "markdown"])
def tale(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_book(TALE / request.param, tmp_path_factory.mktemp(f"tale-{request.param}"))


def _text(el: etree._Element) -> str:
    return " ".join("".join(el.itertext()).split())


def test_epub_headings_carry_the_manuscripts_numbers(tale: Built) -> None:
    pkg = open_package(tale.epub)
    chapters, parts = [], []
    for href in pkg.spine_hrefs():
        doc = pkg.xhtml(href)
        for section in doc.iter(f"{{{NS['x']}}}section"):
            header = section.find("x:header", NS)
            if section.get("class") == "chapter" and header is not None:
                heading = header.find("x:h2", NS)
                assert heading is not None
                number = heading.find("x:span[@class='chapter-number']", NS)
                assert number is not None
                title = _text(heading)[len(_text(number)):].strip()
                chapters.append((_text(number), title))
            elif section.get("class") == "part":
                # The label and the title are one heading: an hgroup around both.
                label = section.find("x:hgroup/x:p[@epub:type='ordinal']", NS)
                title = section.find("x:hgroup/x:h1[@epub:type='title']", NS)
                assert label is not None and title is not None
                parts.append((_text(label), _text(title)))
    assert chapters == CHAPTERS
    assert parts == PARTS


def test_epub_navigation_carries_the_manuscripts_numbers(tale: Built) -> None:
    nav = open_package(tale.epub).nav("toc")
    assert nav is not None
    entries = [_text(a) for a in nav.iter(f"{{{NS['x']}}}a")]
    assert entries == ["Book the First: Recalled to Life", "I. The Period", "II. The Mail",
                       "III. The Night Shadows", "Book the Second: The Golden Thread",
                       "I. Five Years Later", "II. A Sight"]


def test_epub_passes_epubcheck(tale: Built) -> None:
    assert epubcheck_messages(tale.epub) == []


def _lines(page: str) -> list[str]:
    return [" ".join(line.split()) for line in page.splitlines() if line.strip()]


def test_print_openers_and_part_pages_carry_the_manuscripts_numbers(tale: Built) -> None:
    assert tale.pdf is not None
    pages = [_lines(p) for p in pdf_pages_text(tale.pdf)]
    for number, title in CHAPTERS:
        opener = next(p for p in pages if len(p) > 2 and p[1] == title)
        assert opener[0].upper() == number, opener[:2]
    for label, title in PARTS:
        assert any(p[:2] == [label.lower(), title] or p[:2] == [label, title] for p in pages), \
            label
    text = "\n".join("\n".join(p) for p in pages)
    assert "Chapter" not in text and "Part One" not in text.title()


def test_print_contents_lists_the_manuscripts_numbers(tale: Built) -> None:
    assert tale.pdf is not None
    pages = [_lines(p) for p in pdf_pages_text(tale.pdf)]
    contents = next(p for p in pages if p and p[0].lower() == "contents")
    entries = [re.sub(r"\s*\.{3,}.*$", "", line) for line in contents[1:]
               if not re.fullmatch(r"[ivxlc]+", line)]  # the folio
    assert entries == ["Book the First Recalled to Life", "I The Period", "II The Mail",
                       "III The Night Shadows", "Book the Second The Golden Thread",
                       "I Five Years Later", "II A Sight"]


def test_explicit_renumbering_in_print(tmp_path: Path) -> None:
    book = tmp_path / "book"
    shutil.copytree(TALE / "text", book)
    (book / "book.toml").write_text('[print]\nchapter_numbers = "arabic"\n', encoding="utf-8")
    from octavo.build import build

    pdf = build(book, tmp_path / "out", ("pdf",)).outputs["pdf"]
    pages = [_lines(p) for p in pdf_pages_text(pdf)]
    opener = next(p for p in pages if len(p) > 2 and p[1] == "Five Years Later")
    assert opener[0].lower() == "chapter 4"
    assert any(p[:2] == ["Part Two", "The Golden Thread"] for p in pages)  # as written


# --------------------------------------------------------------------------- labels, unit level


def _book() -> Book:
    text = (Paragraph((Text("Text."),)),)
    one = Chapter((Text("The Period"),), 1, text, label="I")
    two = Chapter((Text("Five Years Later"),), 2, text, label="I")
    plain = Chapter((Text("Untold"),), 3, text)
    part = Part((Text("The Golden Thread"),), (two, plain), 2, label="Book the Second")
    return Book(Metadata("Tale"), body=(Part((Text("Recalled to Life"),), (one,), 1,
                                             label="Book the First"), part))


def test_labels_by_style() -> None:
    book = _book()
    part = book.body[1]
    assert isinstance(part, Part)
    two, plain = part.chapters
    assert chapter_label(book, two) == ("I", "Five Years Later")
    assert toc_label(book, two) == "I. Five Years Later"
    # A chapter the manuscript left unnumbered keeps the generated number on the opener.
    assert chapter_label(book, plain, with_number=True) == ("Chapter 3", "Untold")
    assert chapter_label(book, plain) == (None, "Untold")
    assert toc_label(book, two, "roman") == "Chapter II: Five Years Later"
    assert chapter_label(book, two, "words", with_number=True) == ("Chapter Two",
                                                                   "Five Years Later")
    assert part_number_line(book, part) == "Book the Second"
    assert part_number_line(book, part, "arabic", with_number=True) == "Part Two"
    assert part_toc_label(book, part) == "Book the Second: The Golden Thread"
    assert part_toc_label(book, part, "roman") == "Part II: The Golden Thread"


def test_bad_epub_numbering_is_an_error(tmp_path: Path) -> None:
    from octavo.errors import OctavoError

    book = tmp_path / "book"
    shutil.copytree(TALE / "text", book)
    (book / "book.toml").write_text('[epub]\nchapter_numbers = "greek"\n', encoding="utf-8")
    with pytest.raises(OctavoError, match="chapter_numbers"):
        build_book(book, tmp_path / "out", ("epub",))


def test_explicit_renumbering_in_the_ebook(tmp_path: Path) -> None:
    book = tmp_path / "book"
    shutil.copytree(TALE / "markdown", book)
    toml = (book / "book.toml").read_text(encoding="utf-8")
    (book / "book.toml").write_text(toml + '\n[epub]\nchapter_numbers = "arabic"\n',
                                    encoding="utf-8")
    built = build_book(book, tmp_path / "out", ("epub",))
    nav = open_package(built.epub).nav("toc")
    assert nav is not None
    entries = [_text(a) for a in nav.iter(f"{{{NS['x']}}}a")]
    assert "Chapter 4: Five Years Later" in entries
    assert "Part Two: The Golden Thread" in entries
