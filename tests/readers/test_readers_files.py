"""Manuscript files: encodings and line ends, and books made of several files."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from octavo.config import load_settings
from octavo.errors import OctavoError
from octavo.model import Chapter, Paragraph, block_text, body_chapters, inline_text
from octavo.readers import read_book
from octavo.readers.source import decode_manuscript

TEXT = "Chapter 1\n\nThe café’s “lamp” burned.\n"


@pytest.mark.parametrize("data", [
    TEXT.encode("utf-8"),
    codecs.BOM_UTF8 + TEXT.encode("utf-8"),
    TEXT.encode("utf-16"),  # with its BOM, in the machine's byte order
    codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
    codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
])
def test_unicode_encodings_decode_silently(data: bytes) -> None:
    source = decode_manuscript(data, Path("a.txt"))
    assert source.text == TEXT
    assert source.diagnostics == ()


def test_legacy_bytes_are_read_as_cp1252_with_a_warning_naming_the_file() -> None:
    data = "The café’s “lamp”.".encode("cp1252")
    source = decode_manuscript(data, Path("chapter-3.txt"))
    assert source.text == "The café’s “lamp”."
    assert [d.severity for d in source.diagnostics] == ["warning"]
    assert "chapter-3.txt" in source.diagnostics[0].message


def test_bytes_cp1252_cannot_hold_fall_back_to_latin1_and_lose_their_control() -> None:
    source = decode_manuscript(b"caf\xe9 \x81", Path("x.txt"))
    assert source.text == "café "
    assert "Latin-1" in source.diagnostics[0].message
    assert "U+0081" in source.diagnostics[1].message


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_line_ends(newline: str) -> None:
    text = newline.join(["Chapter 1", "", "One line", "wrapped.", "", "Next."]) + newline
    source = decode_manuscript(text.encode(), Path("a.txt"))
    assert "\r" not in source.text
    assert source.text.split("\n")[2:4] == ["One line", "wrapped."]


def test_invalid_utf16_is_an_error() -> None:
    with pytest.raises(OctavoError):
        decode_manuscript(codecs.BOM_UTF16_LE + b"\x00\xd8", Path("bad.txt"))


def _chapter_titles(root: Path) -> list[str]:
    book, _ = read_book(load_settings(root))
    return [inline_text(c.title) for c in body_chapters(book)]


def test_files_listed_in_book_toml_are_read_in_that_order(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# Alpha\n\nA.\n")
    (tmp_path / "b.md").write_text("# Beta\n\nB.\n")
    (tmp_path / "book.toml").write_text('title = "T"\nfiles = ["b.md", "a.md"]\n')
    assert _chapter_titles(tmp_path) == ["Beta", "Alpha"]


def test_files_without_a_list_are_read_in_natural_order(tmp_path: Path) -> None:
    for name, title in [("10-last.md", "Ten"), ("2-second.md", "Two"), ("1-first.md", "One")]:
        (tmp_path / name).write_text(f"# {title}\n\nText of {title}.\n")
    assert _chapter_titles(tmp_path) == ["One", "Two", "Ten"]


def test_mixed_readers_in_one_book_number_chapters_through(tmp_path: Path) -> None:
    (tmp_path / "01-intro.md").write_text("# Arrival\n\nThey came *by sea*.\n\n# Harbour\n\nRain.\n")
    (tmp_path / "02-rest.txt").write_text(
        "Chapter 3\n\nThe third chapter,\nhard-wrapped.\n\nChapter 4\n\nThe fourth.\n")
    book, _ = read_book(load_settings(tmp_path))
    chapters = list(body_chapters(book))
    assert [c.number for c in chapters] == [1, 2, 3, 4]
    assert isinstance(chapters[2], Chapter)
    first = chapters[2].blocks[0]
    assert isinstance(first, Paragraph) and block_text(first) == "The third chapter, hard-wrapped."


def test_gutenberg_file_among_others(tmp_path: Path) -> None:
    (tmp_path / "1-foreword.md").write_text("# Foreword\n\nA word first.\n")
    (tmp_path / "2-text.txt").write_text(
        "Title: Old Tale\nAuthor: A. Nonymous\n\n*** START OF THE PROJECT GUTENBERG EBOOK X ***\n\n"
        "CHAPTER I.\n\nOnce upon a time.\n\nCHAPTER II.\n\nThe end came.\n\n"
        "*** END OF THE PROJECT GUTENBERG EBOOK X ***\nLicence.\n")
    book, _ = read_book(load_settings(tmp_path))
    assert [c.role for c in book.front_matter] == ["foreword"]
    assert [inline_text(c.title) for c in body_chapters(book)] == ["Chapter I", "Chapter II"]
    assert book.metadata.authors == ()  # only the first file's header names the book


def test_legacy_encoded_file_in_a_book_warns_once(tmp_path: Path) -> None:
    (tmp_path / "1.txt").write_bytes("Chapter 1\n\nCaf\u00e9 society.\n".encode("cp1252"))
    (tmp_path / "2.txt").write_text("Chapter 2\n\nPlain.\n")
    _, diagnostics = read_book(load_settings(tmp_path))
    warnings = [d for d in diagnostics if d.severity == "warning"]
    assert len(warnings) == 1 and "1.txt" in warnings[0].message
