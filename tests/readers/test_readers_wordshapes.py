"""Verse, plays and letters in Word and OpenDocument manuscripts, as authors mark them: line
breaks (Shift+Enter) and a Verse or Poem style with its tab and paragraph indents; Character,
Dialogue, Parenthetical and Stage Direction styles, or a play typed with no styles at all;
Date, Salutation, Closing, Signature and Postscript styles.

The same small book (``wordfixtures.SHAPES``) is written as .docx and .odt, read, and built:
the EPUB marks each shape (``z3998:verse`` lines with their indents, ``z3998:persona``,
``z3998:stage-direction``, the letter's parts) and the PDF prints it, every word in order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from conftest import Built, build_book, epubcheck_messages, pdf_pages_text
from epub_reading import EPUB_TYPE, NS, open_package
from octavo.model import (
    LETTER_LINES,
    Block,
    Chapter,
    Emphasis,
    InlineDirection,
    Letter,
    Paragraph,
    Part,
    Speech,
    StageDirection,
    Verse,
    block_text,
    inline_text,
)
from octavo.readers import read_document
from octavo.readers.document import Document
from octavo.readers.wordstyles import indent_steps, leading_white_points, style_role
from wordfixtures import PLAIN_PLAY, SHAPES, Styled, shapes_docx, shapes_odt, styled

Writer = Callable[[Path, Sequence[Styled]], Path]
WRITERS: dict[str, Writer] = {"docx": shapes_docx, "odt": shapes_odt}


def read(tmp_path: Path, kind: str, paragraphs: Sequence[Styled] = SHAPES) -> Document:
    path = WRITERS[kind](tmp_path / f"book.{kind}", paragraphs)
    return read_document(path, lambda _name: {})


def chapters(doc: Document) -> list[Chapter]:
    return [c for item in doc.body for c in (item.chapters if isinstance(item, Part) else (item,))]


def blocks(doc: Document) -> list[Block]:
    return [b for c in chapters(doc) for b in c.blocks]


def source_words(paragraphs: Sequence[Styled]) -> list[str]:
    text = " ".join(r if isinstance(r, str) else r[0] for p in paragraphs for r in p.runs)
    return re.findall(r"\w+", text)


def book_words(doc: Document) -> list[str]:
    text = " ".join(inline_text(c.title) + " " + " ".join(block_text(b) for b in c.blocks)
                    for c in chapters(doc))
    return re.findall(r"\w+", text)


# --------------------------------------------------------------------------- style names


def test_style_names_are_read_case_and_spacing_blind_and_in_common_translations() -> None:
    assert style_role("Verse") == style_role("POEM") == style_role("poem_text") == "verse"
    assert style_role("Character Name") == style_role("character-name") == "speaker"
    assert style_role("Personnage") == style_role("Sprecher") == "speaker"
    assert style_role("Parenthetical") == "parenthetical"
    assert style_role("Stage Direction") == style_role("Didascalie") == "direction"
    assert style_role("Complimentary Close") == style_role("Closing") == "valediction"
    assert style_role("Date") == "dateline" and style_role("Salutation") == "salutation"
    assert style_role("Signature") == "signature" and style_role("P.S.") == "postscript"
    assert style_role("Screenplay - Character") == "speaker"
    assert style_role("Play Dialogue 2") == "dialogue"
    assert style_role("Verse 2") == "verse" and style_role("Letter Closing") == "valediction"
    assert style_role("Normal") is None and style_role("Body Text") is None
    assert style_role("Heading 2") is None and style_role("Poem Title") is None


def test_a_lines_indent_is_its_tabs_and_spaces_in_steps() -> None:
    assert leading_white_points("\tx") == 36.0 and leading_white_points("\t\tx") == 72.0
    assert leading_white_points("    x") == 12.0 and leading_white_points("x\t") == 0.0
    assert indent_steps(0) == 0 and indent_steps(36) == 3 and indent_steps(-20) == 0


# --------------------------------------------------------------------------- reading


@pytest.mark.parametrize("kind", ["docx", "odt"])
def test_verse_paragraphs_are_one_poem_in_stanzas_with_their_indents(tmp_path: Path,
                                                                    kind: str) -> None:
    poems = [b for b in blocks(read(tmp_path, kind)) if isinstance(b, Verse)]
    assert len(poems) == 2
    styled, broken = poems
    # A line a paragraph; the empty paragraph breaks the stanza; a tab and a half-inch
    # paragraph indent set a line in by one level.
    assert [[(ln.indent, inline_text(ln.inlines)) for ln in st.lines] for st in styled.stanzas] == [
        [(0, "Whose woods these are I think I know."),
         (1, "His house is in the village though;"),
         (0, "He will not see me stopping here")],
        [(1, "To watch his woods fill up with snow."),
         (0, "The darkest evening of the year.")]]
    # Shift+Enter lines, a stanza a paragraph, the two paragraphs one poem.
    assert [[(ln.indent, inline_text(ln.inlines)) for ln in st.lines] for st in broken.stanzas] == [
        [(0, "Roses are red,"), (1, "violets blue,")],
        [(0, "sugar is sweet"), (1, "and so are you.")]]


@pytest.mark.parametrize("kind", ["docx", "odt"])
def test_a_first_line_indent_sets_in_a_verse_line_but_not_a_body_paragraphs(
        tmp_path: Path, kind: str) -> None:
    paragraphs = (styled("Verse", "Set in by its first-line indent", first_line=0.5),
                  styled("Verse", "at the margin"),
                  styled(None, "Prose set in, as prose is,"),
                  styled(None, "then lines\nbroken by hand", first_line=0.5),
                  styled(None, "And a stanza:"),
                  styled("Verse", "its first line\nset in as shown", first_line=0.5))
    poem, prose, broken, _, stanza = blocks(read(tmp_path, kind, paragraphs))
    assert isinstance(poem, Verse) and [ln.indent for ln in poem.lines] == [1, 0]
    assert isinstance(prose, Paragraph)
    assert isinstance(broken, Verse) and [ln.indent for ln in broken.lines] == [0, 0]
    assert isinstance(stanza, Verse) and [ln.indent for ln in stanza.lines] == [1, 0]


@pytest.mark.parametrize("kind", ["docx", "odt"])
def test_play_styles_give_speakers_speeches_and_directions(tmp_path: Path, kind: str) -> None:
    doc = read(tmp_path, kind)
    act = next(c for c in chapters(doc) if inline_text(c.title) == "Act One")
    assert act.label == "Act One"  # an act is its own number line, as any play's
    shapes = [(type(b).__name__, block_text(b)) for b in act.blocks]
    assert shapes == [
        ("StageDirection", "A lighthouse kitchen at dusk."),
        ("Speech", "JOHN The lamp is lit."),
        ("Speech", "ANNE (rising) Peace, child. Where is the boat?"),
        ("Speech", "JOHN Gone. Gone to the rocks."),
        ("StageDirection", "He goes out."),
    ]
    # A second Dialogue paragraph goes on with the speech, on a line of its own.
    assert inline_text(act.blocks[3].inlines, "\n") == "Gone.\nGone to the rocks."
    anne = act.blocks[2]
    assert isinstance(anne, Speech) and inline_text(anne.speaker) == "ANNE"  # its stop dropped
    assert isinstance(anne.inlines[0], InlineDirection)
    assert any(isinstance(n, Emphasis) for n in anne.inlines)


@pytest.mark.parametrize("kind", ["docx", "odt"])
def test_letter_styles_give_one_letter_with_its_parts(tmp_path: Path, kind: str) -> None:
    doc = read(tmp_path, kind)
    chapter = next(c for c in chapters(doc) if inline_text(c.title) == "The Letter")
    first, letter, last = chapter.blocks
    assert isinstance(first, Paragraph) and isinstance(last, Paragraph)
    assert isinstance(letter, Letter)
    assert {p: inline_text(getattr(letter, p)) for p in LETTER_LINES} == {
        "heading": "", "dateline": "London, 3 May 1820.", "salutation": "Dear Kate,",
        "valediction": "Ever yours,", "signature": "Lucy"}
    assert [block_text(b) for b in letter.body] == ["I write in haste.",
                                                   "The ship sails tomorrow."]
    assert [block_text(b) for b in letter.postscript] == ["P.S. Burn this."]
    assert doc.diagnostics == ()


@pytest.mark.parametrize("kind", ["docx", "odt"])
def test_every_word_stays_in_order(tmp_path: Path, kind: str) -> None:
    for n, paragraphs in enumerate((SHAPES, PLAIN_PLAY)):
        folder = tmp_path / str(n)
        folder.mkdir()
        assert book_words(read(folder, kind, paragraphs)) == source_words(paragraphs)


@pytest.mark.parametrize("kind", ["docx", "odt"])
def test_a_play_typed_without_styles_is_read_as_the_text_readers_read_one(tmp_path: Path,
                                                                          kind: str) -> None:
    act = chapters(read(tmp_path, kind, PLAIN_PLAY))[0]
    assert act.label == "Act One"
    speeches = [b for b in act.blocks if isinstance(b, Speech)]
    assert [inline_text(s.speaker) for s in speeches] == ["JOHN", "ANNE", "JOHN", "ANNE",
                                                          "JOHN", "ANNE"]
    assert inline_text(speeches[1].inlines) == "(without looking up) And the oil?"
    assert isinstance(speeches[1].inlines[0], InlineDirection)
    directions = [block_text(b) for b in act.blocks if isinstance(b, StageDirection)]
    assert directions == ["A lighthouse kitchen at dusk.", "[JOHN sits.]"]


@pytest.mark.parametrize("kind", ["docx", "odt"])
def test_prose_with_a_few_speaker_like_openings_stays_prose(tmp_path: Path, kind: str) -> None:
    prose = tuple(Styled(None, (f"Well. It rained on day {k} and nobody went out.",))
                  for k in range(12))
    doc = read(tmp_path, kind, prose)
    assert all(isinstance(b, Paragraph) for b in blocks(doc))


@pytest.mark.parametrize("kind", ["docx", "odt"])
def test_a_lone_date_style_opens_no_letter_and_says_so(tmp_path: Path, kind: str) -> None:
    signed = (Styled("Date", ("Monday, 4 May.",)), Styled(None, ("Rain all day.",)),
              Styled("Signature", ("Lucy",)), Styled(None, ("Then sun.",)))
    doc = read(tmp_path, kind, signed)  # a date and a signature around a body: a letter
    assert [type(b).__name__ for b in blocks(doc)] == ["Letter", "Paragraph"]
    lone = (Styled("Date", ("Monday, 4 May.",)), Styled(None, ("Rain all day.",)))
    folder = tmp_path / "lone"
    folder.mkdir()
    doc = read(folder, kind, lone)
    assert [type(b).__name__ for b in blocks(doc)] == ["Paragraph", "Paragraph"]
    assert [(d.code, d.span.line) for d in doc.diagnostics] == [("W007", 1)]


@pytest.mark.parametrize("kind", ["docx", "odt"])
def test_dialogue_without_a_speaker_before_it_is_a_speech_only_when_it_names_one(
        tmp_path: Path, kind: str) -> None:
    paragraphs = (Styled("Dialogue", ("MARY. Who is there?",)),
                  Styled("Dialogue", ("Nobody answered.",)))
    doc = read(tmp_path, kind, paragraphs)
    (first,) = blocks(doc)
    assert isinstance(first, Speech) and inline_text(first.speaker) == "MARY"
    # Dialogue right after a speech goes on with it, on a line of its own.
    assert inline_text(first.inlines, "\n") == "Who is there?\nNobody answered."
    alone = (Styled("Dialogue", ("Nobody answered.",)),)
    folder = tmp_path / "alone"
    folder.mkdir()
    assert [type(b).__name__ for b in blocks(read(folder, kind, alone))] == ["Paragraph"]


# --------------------------------------------------------------------------- built


@pytest.fixture(scope="module", params=["docx", "odt"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Built:
    kind: str = request.param
    folder = tmp_path_factory.mktemp(f"shapes-{kind}")
    path = WRITERS[kind](folder / f"shapes.{kind}", SHAPES)
    return build_book(path, tmp_path_factory.mktemp(f"shapes-{kind}-out"), ("epub", "pdf"))


def _marked(built: Built) -> dict[str, list[str]]:
    pkg = open_package(built.epub)
    found: dict[str, list[str]] = {}
    for href in pkg.spine_hrefs():
        for el in pkg.xhtml(href).iter():
            text = " ".join("".join(el.itertext()).split())
            for key in [*(el.get(EPUB_TYPE) or "").split(),
                        *(f".{c}" for c in (el.get("class") or "").split())]:
                found.setdefault(key, []).append(text)
            if el.tag == f"{{{NS['x']}}}span" and el.getparent() is not None and (
                    el.getparent().getparent() is not None
                    and "verse" in (el.getparent().getparent().get("class") or "")):
                found.setdefault("line", []).append(f"{el.get('class') or 'i0'} {text}")
    return found


def test_epub_marks_verse_lines_with_their_indents(built: Built) -> None:
    marked = _marked(built)
    assert len(marked["z3998:verse"]) == 2
    assert marked["line"] == [
        "i0 Whose woods these are I think I know.", "i1 His house is in the village though;",
        "i0 He will not see me stopping here", "i1 To watch his woods fill up with snow.",
        "i0 The darkest evening of the year.",
        "i0 Roses are red,", "i1 violets blue,", "i0 sugar is sweet", "i1 and so are you."]


def test_epub_marks_speakers_and_directions(built: Built) -> None:
    marked = _marked(built)
    assert marked["z3998:persona"] == ["JOHN", "ANNE", "JOHN"]
    assert marked["z3998:stage-direction"] == ["A lighthouse kitchen at dusk.", "(rising)",
                                               "He goes out."]
    assert len(marked["z3998:drama"]) == 1


def test_epub_marks_the_letters_parts(built: Built) -> None:
    marked = _marked(built)
    assert marked[".dateline"] == ["London, 3 May 1820."]
    assert marked["z3998:salutation"] == ["Dear Kate,"]
    assert marked["z3998:valediction"] == ["Ever yours,"]
    assert marked["z3998:signature"] == ["Lucy"]
    assert marked["z3998:postscript"] == ["P.S. Burn this."]
    assert len(marked["z3998:letter"]) == 1


def test_epub_passes_epubcheck(built: Built) -> None:
    assert epubcheck_messages(built.epub) == []


def test_pdf_prints_each_shape(built: Built) -> None:
    assert built.pdf is not None
    pages = pdf_pages_text(built.pdf)
    lines = [" ".join(line.split()) for page in pages for line in page.splitlines()]
    # Each verse line is a printed line of its own.
    for line in ("Whose woods these are I think I know.", "His house is in the village though;",
                 "Roses are red,", "violets blue,"):
        assert line in lines
    text = " ".join(" ".join(pages).split())
    assert "JOHN. The lamp is lit." in text
    assert "ANNE. (rising) Peace, child. Where is the boat?" in text
    assert "Gone to the rocks." in lines
    assert "Dear Kate," in lines and "Ever yours," in lines and "Lucy" in lines
    words = re.findall(r"\w+", text)
    expected = source_words(SHAPES)
    at = 0
    for word in words:  # the source's words in order among the page's (running heads too)
        if at < len(expected) and word == expected[at]:
            at += 1
    assert at == len(expected)
