"""The plain-text reader: both paragraph conventions, breaks, headings and inline markup."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from octavo.model import (
    Chapter,
    Emphasis,
    Heading,
    Paragraph,
    SceneBreak,
    Strong,
    Text,
    block_text,
    inline_text,
)
from octavo.readers.inline import parse_inlines
from octavo.readers.source import SourceText, decode_manuscript
from octavo.readers.text import continues, read_text, uses_blank_line_paragraphs
from wordkeys import word_keys


def read(text: str) -> list[Chapter]:
    doc = read_text(SourceText(Path("m.txt"), text))
    return [c for c in doc.body if isinstance(c, Chapter)]


def paragraphs(text: str) -> list[str]:
    return [inline_text(b.inlines) for c in read(text) for b in c.blocks
            if isinstance(b, Paragraph)]


def test_blank_line_paragraphs_join_hard_wraps() -> None:
    text = "The first line\nwraps here.\n\nA second\nparagraph.\n"
    assert paragraphs(text) == ["The first line wraps here.", "A second paragraph."]


def test_one_paragraph_per_line() -> None:
    text = "First paragraph.\nSecond paragraph.\nThird one ends\nwith a continued line.\n"
    assert paragraphs(text) == ["First paragraph.", "Second paragraph.",
                                "Third one ends with a continued line."]


def test_a_capitalised_line_after_an_unfinished_one_is_still_a_new_paragraph() -> None:
    assert not continues("He said nothing", "Then he left.")
    assert continues("she wondered", "if they had seen")
    assert not continues("It ended.", "and then")


def test_convention_detection() -> None:
    assert uses_blank_line_paragraphs(["short wrapped", "lines here", "", "and more", "lines"])
    assert not uses_blank_line_paragraphs(["One paragraph.", "Another paragraph."])
    long = "word " * 40
    assert not uses_blank_line_paragraphs([long, long, "", long, long])


def test_scene_break_lines() -> None:
    for marker in ("---", "***", "* * *", "#"):
        chapter = read(f"Before.\n{marker}\nAfter.\n")[0]
        assert [type(b) for b in chapter.blocks] == [Paragraph, SceneBreak, Paragraph], marker


def test_trailing_and_doubled_breaks_are_dropped() -> None:
    chapter = read("Before.\n***\n***\nAfter.\n***\n")[0]
    assert [type(b) for b in chapter.blocks] == [Paragraph, SceneBreak, Paragraph]


def test_text_without_headings_is_one_untitled_chapter() -> None:
    chapters = read("One.\nTwo.\n")
    assert len(chapters) == 1 and chapters[0].title == () and chapters[0].number == 1


def test_markdown_style_headings_make_chapters_and_a_lone_top_heading_is_the_title() -> None:
    doc = read_text(SourceText(Path("m.txt"), "# The Book\n\n## One\n\nA.\n\n## Two\n\nB.\n"))
    assert doc.title == "The Book"
    titles = [inline_text(c.title) for c in doc.body if isinstance(c, Chapter)]
    assert titles == ["One", "Two"]


def test_chapter_lines_start_chapters() -> None:
    chapters = read("Chapter 1\n\nA.\n\nChapter 2\n\nB.\n\n### A section\n\nC.\n")
    assert [inline_text(c.title) for c in chapters] == ["Chapter 1", "Chapter 2"]
    assert [c.number for c in chapters] == [1, 2]
    assert any(isinstance(b, Heading) for b in chapters[1].blocks)


def test_spans_point_at_the_manuscript_line() -> None:
    chapter = read("\n\nFirst.\n\nSecond\nwrapped.\n")[0]
    assert [b.span.line for b in chapter.blocks] == [3, 5]


def test_inline_markup() -> None:
    assert parse_inlines("*Alone.*") == (Emphasis((Text("Alone."),)),)
    assert parse_inlines("a _word_, b") == (Text("a "), Emphasis((Text("word"),)), Text(", b"))
    assert parse_inlines("**bold** *it*") == (
        Strong((Text("bold"),)), Text(" "), Emphasis((Text("it"),)))
    assert parse_inlines("snake_case_name and 2*3*4") == (Text("snake_case_name and 2*3*4"),)
    assert parse_inlines(r"\*not\*") == (Text("*not*"),)


def test_encodings_and_line_ends() -> None:
    assert decode_manuscript("caf\u00e9\r\nb".encode("utf-8-sig"), Path("x")).text == "caf\u00e9\nb"
    assert decode_manuscript("caf\u00e9\rb".encode("utf-16"), Path("x")).text == "caf\u00e9\nb"
    latin = decode_manuscript("caf\u00e9 \u2014".encode("cp1252"), Path("x.txt"))
    assert latin.text == "caf\u00e9 \u2014"
    assert latin.diagnostics and "x.txt" in latin.diagnostics[0].message


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFG'\".,;!?-", min_size=1, max_size=12)
lines = st.lists(words, min_size=1, max_size=12).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(lines, st.just(""), st.just("***")), min_size=1, max_size=25))
def test_the_reader_never_loses_or_reorders_a_word(manuscript_lines: list[str]) -> None:
    text = "\n".join(manuscript_lines)
    expected = [w for w in word_keys(text.replace("***", " ")) if w]
    got = [k for c in read(text) for b in c.blocks for k in word_keys(block_text(b))]
    assert got == expected
