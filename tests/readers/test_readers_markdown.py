"""The Markdown reader: one test per construct, and raw HTML that must stay text."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from octavo.errors import OctavoError
from octavo.model import (
    BlockQuote,
    Chapter,
    Emphasis,
    Heading,
    Image,
    LineBreak,
    Link,
    ListBlock,
    Note,
    NoteRef,
    Paragraph,
    Part,
    SceneBreak,
    Strong,
    Text,
    Verse,
    block_text,
    inline_text,
)
from octavo.readers.document import Document
from octavo.readers.markdown import read_markdown
from octavo.render.html import Section, render_blocks, render_chapter


def md(text: str, options: dict[str, object] | None = None) -> Document:
    from octavo.readers.source import SourceText

    return read_markdown(SourceText(Path("book.md"), text), options or {})


def only_chapter(doc: Document) -> Chapter:
    assert len(doc.body) == 1 and isinstance(doc.body[0], Chapter)
    return doc.body[0]


def test_headings_start_chapters_and_a_lone_top_heading_is_the_title() -> None:
    doc = md("# The Book\n\n## One\n\nFirst.\n\n## Two\n\nSecond.\n\n### A section\n\nThird.\n")
    assert doc.title == "The Book"
    assert [inline_text(c.title) for c in doc.body if isinstance(c, Chapter)] == ["One", "Two"]
    second = doc.body[1]
    assert isinstance(second, Chapter)
    assert isinstance(second.blocks[1], Heading) and second.blocks[1].level == 1


def test_book_toml_maps_heading_levels_to_parts_and_chapters() -> None:
    text = "# Part One\n\n## Ch A\n\nA.\n\n## Ch B\n\nB.\n\n# Part Two\n\n## Ch C\n\nC.\n"
    doc = md(text, {"part_level": 1, "chapter_level": 2})
    assert [type(i) for i in doc.body] == [Part, Part]
    parts = [i for i in doc.body if isinstance(i, Part)]
    assert [inline_text(p.title) for p in parts] == ["Part One", "Part Two"]
    assert [[inline_text(c.title) for c in p.chapters] for p in parts] == [["Ch A", "Ch B"],
                                                                            ["Ch C"]]


def test_chapter_level_option_makes_deeper_headings_sections() -> None:
    doc = md("# One\n\nText.\n\n## Aside\n\nMore.\n\n# Two\n\nEnd.\n", {"chapter_level": 1})
    assert len(doc.body) == 2
    first = doc.body[0]
    assert isinstance(first, Chapter) and isinstance(first.blocks[1], Heading)


@pytest.mark.parametrize("options", [{"chapter_level": 9}, {"part_level": 2, "chapter_level": 1},
                                     {"levels": 1}])
def test_bad_markdown_options_are_errors(options: dict[str, object]) -> None:
    with pytest.raises(OctavoError):
        md("# One\n\nText.\n", options)


def test_emphasis_strong_and_links() -> None:
    para = only_chapter(md("Some *soft* and __hard__ [words](https://example.com/x).\n")).blocks[0]
    assert isinstance(para, Paragraph)
    kinds = [type(n) for n in para.inlines]
    assert Emphasis in kinds and Strong in kinds and Link in kinds
    link = next(n for n in para.inlines if isinstance(n, Link))
    assert link.href == "https://example.com/x" and inline_text(link.children) == "words"


def test_quotes_and_dashes_stay_straight_for_the_normalizer() -> None:
    para = only_chapter(md('She said "no" -- twice.\n')).blocks[0]
    assert block_text(para) == 'She said "no" -- twice.'


@pytest.mark.parametrize("rule", ["---", "***", "* * *"])
def test_scene_breaks_are_never_heading_underlines(rule: str) -> None:
    chapter = only_chapter(md(f"# One\n\nBefore the break\n{rule}\n\nAfter.\n"))
    assert [type(b) for b in chapter.blocks] == [Paragraph, SceneBreak, Paragraph]
    assert block_text(chapter.blocks[0]) == "Before the break"


def test_equals_underline_is_still_a_heading() -> None:
    doc = md("One\n===\n\nText.\n\nTwo\n===\n\nMore.\n")
    assert [inline_text(c.title) for c in doc.body if isinstance(c, Chapter)] == ["One", "Two"]


def test_block_quotes() -> None:
    chapter = only_chapter(md("> A quoted *line*.\n>\n> And another.\n"))
    quote = chapter.blocks[0]
    assert isinstance(quote, BlockQuote) and len(quote.blocks) == 2


def test_hard_broken_lines_are_verse_and_wrapped_lines_are_prose() -> None:
    chapter = only_chapter(md("Roses are red,  \nViolets are blue,\\\nSugar is sweet.\n\n"
                              "This line\nwraps on.\n"))
    verse, prose = chapter.blocks
    assert isinstance(verse, Verse)
    assert [inline_text(line.inlines) for line in verse.lines] == [
        "Roses are red,", "Violets are blue,", "Sugar is sweet."]
    assert isinstance(prose, Paragraph) and block_text(prose) == "This line wraps on."


def test_verse_fence() -> None:
    verse = only_chapter(md("```verse\nThe sea, the sea,\n  the endless sea.\n```\n")).blocks[0]
    assert isinstance(verse, Verse) and len(verse.lines) == 2


def test_one_hard_break_inside_prose_is_a_line_break() -> None:
    para = only_chapter(md("Yours ever,  \nAnn\nand more words.\n")).blocks[0]
    assert isinstance(para, Paragraph)
    assert any(isinstance(n, LineBreak) for n in para.inlines)


def test_images_keep_their_alt_text() -> None:
    image = only_chapter(md('![A lamp in the window](lamp.png "The lamp")\n')).blocks[0]
    assert isinstance(image, Image)
    assert (image.src, image.alt, inline_text(image.caption)) == (
        "lamp.png", "A lamp in the window", "The lamp")


def test_footnotes_become_notes_in_the_chapter_that_cites_them() -> None:
    doc = md("# One\n\nA claim.[^src]\n\n# Two\n\nNothing.\n\n[^src]: The *source*.\n")
    first, second = (c for c in doc.body if isinstance(c, Chapter))
    para = first.blocks[0]
    assert isinstance(para, Paragraph)
    ref = next(n for n in para.inlines if isinstance(n, NoteRef))
    notes = [b for b in first.blocks if isinstance(b, Note)]
    assert [n.id for n in notes] == [ref.id]
    assert block_text(notes[0]) == "The source."
    assert not any(isinstance(b, Note) for b in second.blocks)


def test_a_footnote_referred_to_nowhere_is_a_warning_with_its_words() -> None:
    """markdown-it drops a footnote definition nothing refers to: never unsaid."""
    doc = md("# One\n\nA claim.[^src]\n\n[^src]: The source.\n\n"
             "[^lost]: A note nobody refers to,\n    over two lines.\n\nMore text.\n")
    [warning] = [d for d in doc.diagnostics if d.code == "M004"]
    assert warning.severity == "warning" and warning.span.line == 7
    assert "[^lost]" in warning.message and "left out (8 word(s))" in warning.message


def test_lists() -> None:
    chapter = only_chapter(md("- one\n- two\n\n1. first\n2. second\n3. third\n"))
    bullets, numbers = chapter.blocks
    assert isinstance(bullets, ListBlock) and not bullets.ordered and len(bullets.items) == 2
    assert isinstance(numbers, ListBlock) and numbers.ordered and len(numbers.items) == 3


def test_code_is_kept_as_text_with_a_warning() -> None:
    doc = md("Text.\n\n```python\nx = 1\ny = 2\n```\n\n    indented code\n")
    texts = [block_text(b) for b in only_chapter(doc).blocks]
    assert texts[1] == "x = 1 y = 2" and texts[2] == "indented code"
    assert [d.code for d in doc.diagnostics] == ["M001", "M001"]
    assert all(d.severity == "warning" for d in doc.diagnostics)


def test_tables_are_kept_as_text_with_a_warning() -> None:
    doc = md("| Name | Age |\n|------|-----|\n| Ann  | 30  |\n")
    assert [block_text(b) for b in only_chapter(doc).blocks] == ["Name | Age", "Ann | 30"]
    assert [d.code for d in doc.diagnostics] == ["M002"]


def test_raw_html_is_text_and_is_escaped_when_rendered() -> None:
    doc = md('<div onclick="steal()">block <b>html</b></div>\n\nInline <script>x()</script> ok.\n')
    chapter = only_chapter(doc)
    assert all(isinstance(b, Paragraph) for b in chapter.blocks)
    assert all(isinstance(n, Text) for b in chapter.blocks if isinstance(b, Paragraph)
               for n in b.inlines)
    html = render_blocks(chapter.blocks)
    assert "<script>" not in html and "<div" not in html and "<b>" not in html
    assert "&lt;script&gt;x()&lt;/script&gt;" in html
    assert "&lt;div onclick=&quot;steal()&quot;&gt;" in html
    assert any(d.code == "M003" for d in doc.diagnostics)


def test_named_headings_take_their_roles() -> None:
    doc = md("# Preface\n\nWhy.\n\n# One\n\nText.\n\n# Appendix\n\nMore.\n")
    assert [c.role for c in doc.front_matter] == ["preface"]
    assert [c.role for c in doc.back_matter] == ["appendix"]


def test_text_before_any_heading_is_a_chapter() -> None:
    doc = md("Just prose.\n\nMore prose.\n")
    assert len(only_chapter(doc).blocks) == 2


def test_a_footnote_renders_as_a_linked_note(tmp_path: Path) -> None:
    from octavo.build import build

    book = tmp_path / "book"
    book.mkdir()
    (book / "book.toml").write_text('title = "Notes"\nauthor = "A. Writer"\n')
    (book / "01.md").write_text("# One\n\nA claim.[^1] And <em>raw</em>.\n\n[^1]: Its source.\n")
    epub = build(book, tmp_path / "out", ("epub",)).outputs["epub"]
    with zipfile.ZipFile(epub) as z:
        docs = [z.read(n) for n in z.namelist() if n.endswith(".xhtml") and "nav" not in n]
    chapter = next(d for d in docs if b"A claim." in d)
    root = etree.fromstring(chapter)
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    assert root.xpath("//h:a[@href='#note-01-1']", namespaces=ns)
    assert root.xpath("//h:aside[@id='note-01-1']", namespaces=ns)
    assert not root.xpath("//h:em", namespaces=ns)  # the raw <em> stayed text
    assert b"&lt;em&gt;raw&lt;/em&gt;" in chapter


def test_chapter_heading_renders_with_its_title() -> None:
    from octavo.model import Book, Metadata

    doc = md("# One\n\nText.\n")
    book = Book(Metadata("T"), body=doc.body)
    html = render_chapter(book, Section("chapter-1", "chapter", None, only_chapter(doc)))
    assert ">One</h2>" in html
