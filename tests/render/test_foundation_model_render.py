"""Every block and inline type of the model renders in both backends (hand-built model)."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest

from conftest import FIXTURES, epubcheck_messages
from octavo.model import (
    BlockQuote,
    Book,
    Chapter,
    Emphasis,
    Heading,
    Image,
    LineBreak,
    Link,
    ListBlock,
    Metadata,
    Note,
    NoteRef,
    PageBreak,
    Paragraph,
    Part,
    SceneBreak,
    SmallCaps,
    Strong,
    Text,
    verse_of,
)
from octavo.themes import load_theme

PNG = FIXTURES / "images" / "dot.png"


def every_type_book() -> Book:
    para = Paragraph((
        Text("Plain "), Emphasis((Text("emphasised"),)), Text(" and "),
        Strong((Text("strong"),)), Text(" and "), SmallCaps((Text("small caps"),)),
        Text(", a "), Link("https://example.org/", (Text("link"),)), Text(", a note"),
        NoteRef("n1"), Text(" and a"), LineBreak(), Text("line break."),
    ))
    blocks = (
        para,
        Heading(1, (Text("A Section Heading"),)),
        Paragraph((Text("After the heading."),)),
        SceneBreak(),
        Paragraph((Text("After the break."),)),
        BlockQuote((Paragraph((Text("Quoted words."),)),)),
        verse_of([((Text("First verse line,"),), (Text("second verse line."),))]),
        Image("images/dot.png", "A black dot", (Text("The dot caption."),)),
        ListBlock(((Paragraph((Text("Item one."),)),), (Paragraph((Text("Item two."),)),))),
        PageBreak(),
        Paragraph((Text("After the page break."),)),
        Note("n1", (Paragraph((Text("The note body."),)),)),
    )
    return Book(
        metadata=Metadata(title="Every Type", authors=("A. Writer",), language="en",
                          identifier="urn:uuid:00000000-0000-4000-8000-000000000001"),
        body=(
            Part((Text("The First Part"),), (
                Chapter((Text("Opening"),), 1, blocks),
                Chapter((Text("Second"),), 2, (Paragraph((Text("Second chapter text."),)),)),
            ), 1),
        ),
    )


EXPECTED_WORDS = ["emphasised", "strong", "small caps", "link", "A Section Heading",
                  "After the break.", "Quoted words.", "First verse line,", "second verse line.",
                  "The dot caption.", "Item one.", "Item two.", "After the page break.",
                  "The note body.", "Second chapter text.", "The First Part"]


@pytest.fixture(scope="module")
def every_type_epub(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from octavo.render.epub import EpubOptions, render_epub

    data = render_epub(every_type_book(), EpubOptions(modified=dt.datetime(2026, 1, 1),
                                                      theme=load_theme("classic"),
                                                      image_root=FIXTURES))
    path = tmp_path_factory.mktemp("every") / "every.epub"
    path.write_bytes(data)
    return path


def _epub_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "\n".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xhtml"))


def test_epub_renders_every_type(every_type_epub: Path) -> None:
    xhtml = _epub_text(every_type_epub)
    for tag in ("<em>emphasised</em>", "<strong>strong</strong>", 'class="small-caps"',
                '<a href="https://example.org/">link</a>', "<br/>", 'epub:type="noteref"',
                'epub:type="footnote"', "<h3>A Section Heading</h3>", "<hr", "<blockquote>",
                'class="verse"', '<img src=', 'alt="A black dot"', "<figcaption>", "<ul>",
                'class="part"'):
        assert tag in xhtml, tag
    for words in EXPECTED_WORDS:
        assert words in xhtml, words
    with zipfile.ZipFile(every_type_epub) as z:
        packaged = [n for n in z.namelist() if n.endswith("dot.png")]
        assert len(packaged) == 1 and z.read(packaged[0]) == PNG.read_bytes()


def test_every_type_epub_passes_epubcheck(every_type_epub: Path) -> None:
    assert epubcheck_messages(every_type_epub) == []


def test_pdf_renders_every_type(tmp_path: Path) -> None:
    from conftest import pdf_pages_text
    from octavo.press.document import PdfOptions
    from octavo.press.pieces import render_pdf

    result = render_pdf(every_type_book(), PdfOptions(theme=load_theme("classic"),
                                                       allowed_roots=(FIXTURES,)))
    out = tmp_path / "every.pdf"
    out.write_bytes(result.data)
    text = " ".join(" ".join(pdf_pages_text(out)).split())
    for words in EXPECTED_WORDS:
        assert words in text, words
    assert result.page_count >= 3
