"""Word and OpenDocument manuscripts end to end: the same novel as Markdown, DOCX and ODT gives
the same book, and the DOCX novel builds into a valid EPUB and a PDF."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

import pytest

from conftest import Built, build_book, epubcheck_messages, pdf_pages_text
from octavo.build import load
from octavo.model import Book, Image, SourceSpan, all_chapters, walk_blocks
from wordfixtures import TITLE, novel_docx, novel_markdown, novel_odt, png_bytes


@pytest.fixture(scope="module")
def novel_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("novel")
    image = png_bytes(size=(300, 200))
    (folder / "lighthouse.png").write_bytes(image)
    (folder / "novel.md").write_text(novel_markdown("lighthouse.png"), encoding="utf-8")
    novel_docx(folder / "novel.docx", image)
    novel_odt(folder / "novel.odt", image)
    return folder


def comparable(book: Book, root: Path) -> Any:
    """The book without where its blocks came from (a line in Markdown, a paragraph in Word),
    each picture as its alt text, caption and the digest of its bytes wherever they live."""

    def strip(obj: Any) -> Any:
        if isinstance(obj, SourceSpan):
            return None
        if isinstance(obj, Image):
            data = obj.data if obj.data is not None else (root / obj.src).read_bytes()
            return ("Image", obj.alt, strip(obj.caption), hashlib.sha256(data).hexdigest())
        if is_dataclass(obj) and not isinstance(obj, type):
            return (type(obj).__name__,
                    tuple(strip(getattr(obj, f.name)) for f in fields(obj)))
        if isinstance(obj, tuple):
            return tuple(strip(x) for x in obj)
        return obj

    return strip((book.metadata, book.front_matter, book.body, book.back_matter))


@pytest.mark.parametrize("name", ["novel.docx", "novel.odt"])
def test_the_same_novel_as_markdown_and_as_a_word_file_is_the_same_book(
    novel_folder: Path, name: str
) -> None:
    markdown = load(novel_folder / "novel.md")
    word = load(novel_folder / name)
    assert word.book.metadata.title == TITLE
    assert comparable(word.book, novel_folder) == comparable(markdown.book, novel_folder)
    assert word.diagnostics == ()


def test_the_round_trip_sees_what_a_reader_would_lose(novel_folder: Path) -> None:
    """The comparison is no tautology: a book that lost an emphasis differs."""
    from dataclasses import replace

    from octavo.model import Chapter, Emphasis, Paragraph, map_inline_runs

    word = load(novel_folder / "novel.docx").book
    flattened = map_inline_runs(word, lambda run: tuple(
        n.children[0] if isinstance(n, Emphasis) else n for n in run))
    assert comparable(flattened, novel_folder) != comparable(word, novel_folder)
    first = word.body[0]
    assert isinstance(first, Chapter) and isinstance(first.blocks[0], Paragraph)
    assert replace(word, body=word.body[1:]) != word


@pytest.fixture(scope="module")
def docx_build(novel_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_book(novel_folder / "novel.docx", tmp_path_factory.mktemp("docx-build"))


def test_a_docx_novel_builds_a_valid_epub(docx_build: Built) -> None:
    assert epubcheck_messages(docx_build.epub) == []
    with zipfile.ZipFile(docx_build.epub) as z:
        names = z.namelist()
        pictures = [n for n in names if n.endswith("-image1.png")]
        assert len(pictures) == 1
        text = "".join(z.read(n).decode() for n in names if n.endswith(".xhtml"))
    assert 'alt="A lighthouse at dusk"' in text
    assert "’Tis the season" in text and "the ’90s" in text and "rock ’n’ roll" in text
    assert "Storms were common then." in text
    assert "<em>dark</em>" in text


def test_a_docx_novel_builds_a_pdf_with_its_picture(docx_build: Built) -> None:
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    assert docx_build.pdf is not None
    text = " ".join(pdf_pages_text(docx_build.pdf))
    assert "The Lamp Room" in text and "’Tis" in text
    pdf = pdfium.PdfDocument(str(docx_build.pdf))
    try:
        images = sum(1 for page in pdf for obj in page.get_objects()
                     if obj.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE)
    finally:
        pdf.close()
    assert images >= 1


def test_words_model_carries_its_pictures_bytes(novel_folder: Path) -> None:
    book = load(novel_folder / "novel.docx").book
    pictures = [b for c in all_chapters(book) for b in walk_blocks(c.blocks)
                if isinstance(b, Image)]
    assert [p.data for p in pictures] == [(novel_folder / "lighthouse.png").read_bytes()]


def test_word_files_in_files_and_back_matter_beside_markdown(tmp_path: Path) -> None:
    import docx
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    from octavo.model import body_chapters, inline_text

    (tmp_path / "01-start.md").write_text("# One\n\nFrom Markdown.\n", encoding="utf-8")
    document = docx.Document()
    document.add_heading("Two", 1)
    document.add_paragraph("From Word.")
    document.save(str(tmp_path / "02-middle.docx"))
    about = OpenDocumentText()
    about.text.addElement(P(text="The author lives by the sea."))
    about.save(str(tmp_path / "about.odt"))
    (tmp_path / "book.toml").write_text(
        'title = "Mixed"\nfiles = ["01-start.md", "02-middle.docx"]\n'
        '[back_matter]\nabout_the_author = "about.odt"\n[docx]\nchapter_level = 1\n',
        encoding="utf-8")
    book = load(tmp_path).book
    assert [inline_text(c.title) for c in body_chapters(book)] == ["One", "Two"]
    about_chapter = book.back_matter[-1]
    assert about_chapter.role == "about-the-author"
    assert "lives by the sea" in inline_text(about_chapter.blocks[0].inlines)  # type: ignore[union-attr]
