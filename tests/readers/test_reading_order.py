"""Text keeps the source's order: sub-heads inside a section (``PART I.``) nest under it
rather than sending its text to the front, and a guard (readers/order.py) warns, naming where
and how much, if any block comes out before text the source prints ahead of it.

The property test's choice for notes: the running text (everything but notes) keeps the
source's order without them; each note is checked where its marker stood, by the text of the
note its reference there points at (notes gathered at the book's end move to the chapter
that calls them, so an ebook can link them within one document)."""

from __future__ import annotations

import re
import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st

from gutenberg_texts import PROSE, chapters, gutenberg
from octavo.model import (
    Chapter,
    Heading,
    Note,
    NoteRef,
    Paragraph,
    Part,
    SourceSpan,
    Text,
    block_text,
    inline_text,
)
from octavo.readers.document import Document
from octavo.readers.order import reading_order
from octavo.readers.structure import match_heading
from octavo.readers.subheads import Entry, nested_divisions

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
ESSAY = "".join(
    f"SECTION {ROMAN[s]}.\n\nOF THE {name}.\n\n"
    + ("".join(f"PART {ROMAN[p]}.\n\n{PROSE}\n\n{PROSE}\n\n" for p in range(2)) if s else
       f"{PROSE}\n\n")
    for s, name in enumerate(["SPECIES OF PHILOSOPHY", "ORIGIN OF IDEAS", "SCEPTICAL DOUBTS"])
)


def test_parts_inside_sections_nest_under_them() -> None:
    doc = gutenberg(ESSAY)
    assert doc.front_matter == ()
    assert all(isinstance(item, Chapter) for item in doc.body)
    _, second, third = chapters(doc)
    assert inline_text(third.title) == "Of the Sceptical Doubts"
    heads = [block_text(b) for b in third.blocks if isinstance(b, Heading)]
    assert heads == ["Part I", "Part II"]
    assert isinstance(second.blocks[0], Heading)
    assert not [d for d in doc.diagnostics if d.code == "G010"]


def test_text_after_a_part_title_stays_where_it_is() -> None:
    # One part with a short run of text under it: a part of the book, not a sub-head; its
    # text still may not move to the front.
    body = f"CHAPTER I.\n\n{PROSE}\n\nPART II.\n\nA word under the part.\n\nCHAPTER II.\n\n{PROSE}\n"
    doc = gutenberg(body)
    assert doc.front_matter == ()
    words = " ".join(block_text(b) for c in chapters(doc) for b in c.blocks)
    assert words.index("A word under the part.") < words.rindex("It was a dark night")
    assert not [d for d in doc.diagnostics if d.code == "G010"]


def test_nested_divisions_rule() -> None:
    chapter = match_heading("SECTION I.")
    part_one, part_two = match_heading("PART I."), match_heading("PART II.")
    assert chapter and part_one and part_two
    essay = [Entry(chapter, True), Entry(part_one), Entry(None), Entry(part_two), Entry(None),
             Entry(chapter, True), Entry(part_one), Entry(None)]
    assert nested_divisions(essay) == {1, 3, 6}
    # Parts over chapters: a part heading followed by a chapter heading stays a part.
    novel = [Entry(part_one), Entry(chapter, True), Entry(None), Entry(part_two),
             Entry(chapter, True), Entry(None)]
    assert nested_divisions(novel) == frozenset()


def test_the_guard_names_text_that_moved() -> None:
    def para(line: int, text: str) -> Paragraph:
        return Paragraph((Text(text),), SourceSpan("book.txt", line))

    early = Chapter((Text("Preface"),), None, (para(40, "three words here"),
                                                para(41, "and two")), role="preface")
    body = (Chapter((Text("One"),), 1, (para(10, "first"),)),)
    assert reading_order([], body, [early]) == []
    # The same text sent to the front: the body's line 10 now comes after line 41.
    (moved,) = reading_order([early], body, [])
    assert moved.code == "G010" and moved.severity == "warning"
    assert moved.span.line == 10
    assert "1 word(s) from line 10 come out after line 41" in moved.message


# --------------------------------------------------------------------------- property

WORDS = ["amber", "brook", "cedar", "dune", "ember", "fern", "grove", "heath", "isle",
         "juniper", "kestrel", "lichen", "moss", "nettle", "oak", "quill", "rush", "sedge"]
word_lists = st.lists(st.sampled_from(WORDS), min_size=4, max_size=24)


@st.composite
def essays(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A Gutenberg-like essay: sections with titles, some split into parts, paragraphs with
    note markers, their notes at the section's end or all at the book's end; and the notes'
    texts in the order of their markers."""
    sections = draw(st.integers(2, 4))  # one heading alone reads as a title page
    at_end = draw(st.booleans())
    label = draw(st.sampled_from(["", "Footnotes:", "NOTES"]))
    out: list[str] = []
    end_notes: list[str] = []
    texts: list[str] = []

    def note() -> str:
        texts.append(" ".join(draw(word_lists)) + ".")
        return f"[{len(texts)}] {texts[-1]}"

    for s in range(sections):
        notes: list[str] = []
        title = " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4))).upper()
        if draw(st.booleans()):
            notes.append(note())
            title += f"[{len(texts)}]"
        out += [f"SECTION {ROMAN[s]}.", f"OF THE {title}."]
        parts = draw(st.sampled_from([0, 2, 3]))
        for p in range(max(parts, 1)):
            if parts:
                out.append(f"PART {ROMAN[p]}.")
            for _ in range(draw(st.integers(1 if not parts else 2, 3))):
                words = draw(word_lists)
                for k in sorted(draw(st.sets(st.integers(0, len(words) - 1), max_size=2))):
                    notes.append(note())
                    words[k] += f"[{len(texts)}]"
                out.append(textwrap.fill(" ".join(words).capitalize() + ".", 60))
        if at_end:
            end_notes += notes
        elif notes:
            out += ([label] if label else []) + notes
    if end_notes:
        out += ["NOTES", *end_notes]
    return "\n\n".join(out) + "\n", texts


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower())


def _source_words(essay: str) -> list[str]:
    """The running text's words: no section numbers (the book numbers its chapters), no
    notes labels, no notes, no markers."""
    kept = [block for block in essay.split("\n\n")
            if not re.fullmatch(r"SECTION [IVX]+\.|NOTES|Footnotes:", block.strip())
            and not re.match(r"\[\d+\] ", block)]
    return _words(re.sub(r"\[\d+\]", "", "\n".join(kept)))


def _chapter_words(chapter: Chapter) -> list[str]:
    out = _words(inline_text(chapter.title))
    for block in chapter.blocks:
        if not isinstance(block, Note):
            out += _words(block_text(block))
    return out


def _book_words(doc: Document) -> list[str]:
    out: list[str] = []
    for item in doc.body:
        if isinstance(item, Part):
            out += _words(inline_text(item.title))
            for chapter in item.chapters:
                out += _chapter_words(chapter)
        else:
            out += _chapter_words(item)
    return out


def _notes_called(doc: Document) -> list[str]:
    """The text of the note each reference points at, references in reading order, and
    whether each note sits in the chapter that calls it."""
    out: list[str] = []
    for chapter in chapters(doc):
        notes = {b.id: block_text(b) for b in chapter.blocks if isinstance(b, Note)}
        refs = [n for n in chapter.title if isinstance(n, NoteRef)]
        refs += [n for b in chapter.blocks if isinstance(b, Paragraph)
                 for n in b.inlines if isinstance(n, NoteRef)]
        out += [notes.get(ref.id, "<not in this chapter>") for ref in refs]
    return out


@settings(max_examples=40, deadline=None)
@given(essays())
def test_every_word_in_source_order_and_every_note_made(case: tuple[str, list[str]]) -> None:
    essay, notes = case
    doc = gutenberg(essay)
    assert not doc.front_matter
    assert _book_words(doc) == _source_words(essay)
    assert _notes_called(doc) == notes
    assert sum(isinstance(b, Note) for c in chapters(doc) for b in c.blocks) == len(notes)
    # The essay's PART lines nested under their sections are named as guessed (G023).
    assert not [d for d in doc.diagnostics if d.severity == "warning" and d.code != "G023"], (
        doc.diagnostics)
    assert not any("[" in inline_text(c.title) for c in chapters(doc))
