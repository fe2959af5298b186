"""Part headings in a plain-text manuscript: read by the rule the Gutenberg reader uses
(``structure``), placed by ``assembly``'s shelves, nested in the EPUB's contents."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import build_book
from epub_reading import NS, open_package
from octavo.model import Chapter, Heading, Part, inline_text
from octavo.readers.source import SourceText
from octavo.readers.text import read_text

X = f"{{{NS['x']}}}"
PROSE = "The morning came slowly over the roofs, and nobody in the town was awake yet.\n\n"


def novel(*lines: str) -> str:
    """Each line as a paragraph, followed by some prose unless it is a part's line (ends
    with ``|``); an empty line stands for more prose."""
    return "".join(f"{line[:-1]}\n\n" if line.endswith("|") else
                   f"{line}\n\n{PROSE}" if line else PROSE for line in lines)


def shape(text: str) -> list[tuple[str, list[str]]]:
    doc = read_text(SourceText(Path("m.txt"), text))
    return [(inline_text(item.title), [inline_text(c.title) for c in item.chapters])
            if isinstance(item, Part) else ("-", [inline_text(item.title)]) for item in doc.body]


def test_part_lines_hold_the_chapters_after_them() -> None:
    text = novel("PART ONE|", "Chapter 1", "Chapter 2", "PART TWO|", "Chapter 3")
    doc = read_text(SourceText(Path("m.txt"), text))
    parts = [item for item in doc.body if isinstance(item, Part)]
    assert len(parts) == 2 == len(doc.body)
    assert [len(p.chapters) for p in parts] == [2, 1]
    assert [(inline_text(p.title), p.number) for p in parts] == [("Part One", 1), ("Part Two", 2)]
    assert [c.number for p in parts for c in p.chapters] == [1, 2, 3]
    assert [inline_text(c.title) for c in parts[1].chapters] == ["Chapter 3"]


def test_text_after_a_part_line_stays_in_the_part() -> None:
    assert shape(novel("PART ONE", "Chapter 1", "PART TWO", "Chapter 2")) == [
        ("Part One", ["", "Chapter 1"]), ("Part Two", ["", "Chapter 2"])]


def test_a_part_with_its_own_title() -> None:
    text = novel("PART I. The Crossing|", "Chapter 1", "Chapter 2", "PART II. The Return|",
                 "Chapter 3")
    doc = read_text(SourceText(Path("m.txt"), text))
    parts = [item for item in doc.body if isinstance(item, Part)]
    assert [(inline_text(p.title), p.label) for p in parts] == [
        ("The Crossing", "Part I"), ("The Return", "Part II")]


@pytest.mark.parametrize(("first", "second", "chapter"), [
    ("PREMIÈRE PARTIE", "DEUXIÈME PARTIE", "Chapitre {}"),
    ("Erster Teil", "Zweiter Teil", "Kapitel {}"),
    ("LIVRE PREMIER", "LIVRE DEUXIÈME", "CHAPITRE {}"),
    ("BOOK THE FIRST", "BOOK THE SECOND", "Chapter {}"),
])
def test_parts_in_other_languages(first: str, second: str, chapter: str) -> None:
    text = novel(first + "|", chapter.format("I"), chapter.format("II"), second + "|",
                 chapter.format("III"))
    doc = read_text(SourceText(Path("m.txt"), text))
    parts = [item for item in doc.body if isinstance(item, Part)]
    assert [p.number for p in parts] == [1, 2]
    assert [[inline_text(c.title) for c in p.chapters] for p in parts] == [[chapter.format("I"), chapter.format("II")],
                                [chapter.format("III")]]


def test_part_lines_without_chapters_head_chapters() -> None:
    text = novel("PART ONE", "", "PART TWO")
    assert shape(text) == [("-", ["PART ONE"]), ("-", ["PART TWO"])]


def test_a_part_line_inside_a_section_is_its_sub_head() -> None:
    text = novel("Chapter 1", "PART I.", "", "", "", "PART II.", "", "", "",
                 "Chapter 2", "PART I.", "", "", "")
    doc = read_text(SourceText(Path("m.txt"), text))
    assert all(isinstance(item, Chapter) for item in doc.body)
    heads = [[inline_text(b.inlines) for b in c.blocks if isinstance(b, Heading)]
             for c in doc.body if isinstance(c, Chapter)]
    assert heads == [["Part I", "Part II"], ["Part I"]]


def test_no_parts_reads_as_before() -> None:
    text = novel("Chapter 1", "", "Chapter 2", "Chapter 3")
    doc = read_text(SourceText(Path("m.txt"), text))
    assert [type(item) for item in doc.body] == [Chapter] * 3


def test_epub_contents_nest_the_chapters_in_their_parts(tmp_path: Path) -> None:
    folder = tmp_path / "book"
    folder.mkdir()
    (folder / "book.txt").write_text(
        novel("PART ONE|", "Chapter 1", "Chapter 2", "PART TWO|", "Chapter 3"), encoding="utf-8")
    built = build_book(folder, tmp_path / "out", ("epub",))
    nav = open_package(built.epub).nav("toc")
    assert nav is not None
    top = nav.find(f"{X}ol")
    assert top is not None
    entries = [("".join(li.find(f"{X}a").itertext()).strip(),
                ["".join(a.itertext()).strip() for a in li.iterfind(f"{X}ol/{X}li/{X}a")])
               for li in top.iterfind(f"{X}li")]
    assert [(title, len(children)) for title, children in entries if children] == [
        ("Part One", 2), ("Part Two", 1)], entries
