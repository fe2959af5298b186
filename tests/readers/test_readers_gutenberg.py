"""The Gutenberg plain-text reader: one small hand-written text per detection rule."""

from __future__ import annotations

import itertools
import re
import sys
from pathlib import Path

import pytest

from gutenberg_texts import FOOTER, HEADER, PROSE, chapters, gutenberg
from octavo.model import (
    BlockQuote,
    Emphasis,
    Heading,
    Paragraph,
    Part,
    SceneBreak,
    Verse,
    all_chapters,
    block_text,
    inline_text,
)
from octavo.readers import reader_for
from octavo.readers.document import Document
from octavo.readers.gutenberg import (
    TextBlock,
    is_contents_block,
    is_contents_entry,
    is_gutenberg,
    split_licence,
)
from octavo.readers.source import SourceText
from octavo.readers.structure import match_heading, numeral_value, single_spaced, title_case


def all_text(doc: Document) -> str:
    return "\n".join(
        inline_text(c.title) + "\n" + "\n".join(block_text(b) for b in c.blocks)
        for c in chapters(doc)
    )


def titles(doc: Document) -> list[str]:
    return [inline_text(c.title) for c in chapters(doc)]


# --------------------------------------------------------------------------- licence and header


def test_licence_header_and_footer_are_cut_away() -> None:
    doc = gutenberg(f"CHAPTER I.\n\n{PROSE}\n\nCHAPTER II.\n\n{PROSE}")
    text = all_text(doc)
    assert "Gutenberg" not in text and "Licence" not in text and "Volunteer" not in text
    assert text.count("It was a dark night") == 2


@pytest.mark.parametrize("start,end", [
    ("*** START OF THIS PROJECT GUTENBERG EBOOK X ***", "*** END OF THIS PROJECT GUTENBERG EBOOK X ***"),
    ("*** START OF THE PROJECT GUTENBERG EBOOK X ***", "*** END OF THE PROJECT GUTENBERG EBOOK X ***"),
    ("***START OF THE PROJECT GUTENBERG EBOOK X***", "***END OF THE PROJECT GUTENBERG EBOOK X***"),
    ("*** START OF THIS PROJECT GUTENBERG EBOOK X ***", "End of Project Gutenberg's X, by Y"),
])
def test_licence_marker_variants(start: str, end: str) -> None:
    lines = ["header", start, "body line", "", "more body", end, "footer licence"]
    split = split_licence(lines)
    assert split.body == ("body line", "", "more body")
    assert split.first_line == 3
    assert is_gutenberg("\n".join(lines))


def test_old_small_print_licence_ends_at_its_own_marker() -> None:
    lines = ["header", "*** START OF THE PROJECT GUTENBERG EBOOK X ***", "small print",
             "*END*THE SMALL PRINT! FOR PUBLIC DOMAIN ETEXTS*Ver.04.29.93*END*", "body"]
    assert split_licence(lines).body == ("body",)


def test_title_and_author_come_from_the_header() -> None:
    doc = gutenberg(f"CHAPTER I.\n\n{PROSE}")
    assert doc.title == "The Lamp"
    assert doc.subtitle == "A Tale of the Sea"
    assert doc.authors == ("Ann Example",)
    assert doc.language == "en"


def test_plain_text_without_marker_keeps_the_plain_reader() -> None:
    plain = SourceText(Path("a.txt"), "Chapter 1\n\nHello there.\n")
    marked = SourceText(Path("a.txt"), HEADER + "Hello.\n" + FOOTER)
    assert reader_for(plain)[1] == "text"
    assert reader_for(marked)[1] == "gutenberg"


def test_title_page_is_left_out_and_counted() -> None:
    doc = gutenberg(f"CHAPTER I.\n\n{PROSE}")
    assert "by Ann Example" not in all_text(doc)
    assert any(d.code == "G003" for d in doc.diagnostics)


# --------------------------------------------------------------------------- headings


@pytest.mark.parametrize("line,number,title", [
    ("CHAPTER I.", 1, None),
    ("Chapter 1", 1, None),
    ("CHAPTER ONE", 1, None),
    ("CHAPTER XIV.", 14, None),
    ("Chapter Twenty-One", 21, None),
    ("STAVE I:  MARLEY'S GHOST", 1, "Marley's Ghost"),
    ("LETTER 1", 1, None),
    ("IV.", 4, None),
    ("XII", 12, None),
    ("I. A SCANDAL IN BOHEMIA", 1, "A Scandal in Bohemia"),
    ("VII. The Blue Lamp", 7, "The Blue Lamp"),
    ("CHAPTER III. THE END OF THE ROAD", 3, "The End of the Road"),
])
def test_heading_line_forms(line: str, number: int, title: str | None) -> None:
    heading = match_heading(line)
    assert heading is not None and heading.kind == "chapter"
    assert heading.number == number
    assert heading.title == title


@pytest.mark.parametrize("line", [
    "It was the best of times.",
    "I went home.",
    "Chapter and verse were quoted to him at length by the vicar",
    "1. take the train to the coast",
    '"Chapter 4," she said.',
])
def test_prose_is_no_heading(line: str) -> None:
    heading = match_heading(line)
    assert heading is None or heading.kind != "chapter"


@pytest.mark.parametrize("line,kind", [("PART I", "division"), ("BOOK THE SECOND", "division"),
                                       ("VOLUME II.", "division"), ("PREFACE", "named"),
                                       ("Introduction", "named"), ("CONTENTS", "named")])
def test_division_and_named_lines(line: str, kind: str) -> None:
    heading = match_heading(line)
    assert heading is not None and heading.kind == kind


def test_numerals() -> None:
    assert numeral_value("XIV") == 14
    assert numeral_value("xiv") is None
    assert numeral_value("xiv", any_case=True) == 14
    assert numeral_value("Forty-two") == 42
    assert numeral_value("THIRD") == 3


def test_title_case_keeps_small_words_and_apostrophes_low() -> None:
    assert title_case("THE MAN WITH THE TWISTED LIP") == "The Man with the Twisted Lip"
    assert title_case("THE ENGINEER'S THUMB") == "The Engineer's Thumb"
    assert title_case("Already Mixed case") == "Already Mixed case"


def test_chapter_headings_split_the_text() -> None:
    doc = gutenberg(f"CHAPTER I.\n\n{PROSE}\n\nCHAPTER II.\n\n{PROSE}\n\nCHAPTER III.\n\n{PROSE}")
    assert titles(doc) == ["Chapter I", "Chapter II", "Chapter III"]
    assert [c.number for c in chapters(doc)] == [1, 2, 3]


def test_title_on_the_line_after_the_number() -> None:
    doc = gutenberg(f"CHAPTER I.\nTHE LAMP IS LIT\n\n{PROSE}\n\nCHAPTER II.\n\nIn The Dark\n\n{PROSE}")
    assert titles(doc) == ["The Lamp Is Lit", "In The Dark"]
    # The chapter word stays as the chapter's own number line.
    assert [c.label for c in chapters(doc)] == ["Chapter I", "Chapter II"]


def test_a_short_line_of_dialogue_after_the_number_is_text() -> None:
    doc = gutenberg(f'CHAPTER I.\n\n"Yes!"\n\n{PROSE}\n\nCHAPTER II.\n\n{PROSE}')
    assert titles(doc) == ["Chapter I", "Chapter II"]
    assert block_text(chapters(doc)[0].blocks[0]) == '"Yes!"'


def test_lone_roman_numerals_are_chapters() -> None:
    doc = gutenberg(f"I.\n\n{PROSE}\n\nII.\n\n{PROSE}\n\nIII.\n\n{PROSE}")
    assert titles(doc) == ["I", "II", "III"]


def test_numbered_stories_with_numbered_sections() -> None:
    """Stories numbered 1..4 (in two printed forms) hold their own ``I.``/``II.`` sections:
    the book's chapters are the run of headings numbered through the whole book."""
    body = (f"TALE I. THE RED LAMP\n\nI.\n\n{PROSE}\n\nII.\n\n{PROSE}\n\n"
            f"TALE II. THE BLUE DOOR\n\n{PROSE}\n\n"
            f"III. THE GREEN FIELD\n\n{PROSE}\n\nIV. THE GREY ROAD\n\n{PROSE}")
    doc = gutenberg(body)
    assert titles(doc) == ["The Red Lamp", "The Blue Door", "The Green Field", "The Grey Road"]
    first = chapters(doc)[0]
    assert [block_text(b) for b in first.blocks if isinstance(b, Heading)] == ["I", "II"]


def test_parts_hold_their_chapters() -> None:
    body = (f"PART I\n\nCHAPTER I.\n\n{PROSE}\n\nCHAPTER II.\n\n{PROSE}\n\n"
            f"PART II\n\nCHAPTER I.\n\n{PROSE}\n\nCHAPTER II.\n\n{PROSE}")
    doc = gutenberg(body)
    assert all(isinstance(item, Part) for item in doc.body)
    parts = [item for item in doc.body if isinstance(item, Part)]
    assert [inline_text(p.title) for p in parts] == ["Part I", "Part II"]
    assert [len(p.chapters) for p in parts] == [2, 2]


def test_named_front_matter_gets_its_role() -> None:
    doc = gutenberg(f"PREFACE\n\nI wrote this book in the winter.\n\nCHAPTER I.\n\n{PROSE}")
    assert [c.role for c in doc.front_matter] == ["preface"]
    assert titles(doc) == ["Preface", "Chapter I"]


def test_contents_block_is_not_taken_for_chapters() -> None:
    contents = "CONTENTS\n\n   I. The Red Lamp\n  II. The Blue Door\n III. The Green Field\n"
    body = (f"{contents}\n\n\nI. THE RED LAMP\n\n{PROSE}\n\nII. THE BLUE DOOR\n\n{PROSE}\n\n"
            f"III. THE GREEN FIELD\n\n{PROSE}")
    doc = gutenberg(body)
    assert titles(doc) == ["The Red Lamp", "The Blue Door", "The Green Field"]
    assert "Contents" not in all_text(doc)
    # Left out, and said so: its words and where it starts.
    [note] = [d for d in doc.diagnostics if d.code == "G005"]
    first = (HEADER + body).split("\n").index("CONTENTS") + 1
    assert note.span.line == first
    assert f"(13 word(s), the first at line {first})" in note.message


def test_contents_with_blank_lines_between_entries() -> None:
    contents = "CONTENTS\n\nCHAPTER I.\n\nCHAPTER II.\n\nCHAPTER III.\n"
    body = (f"{contents}\n\n\nCHAPTER I.\n\n{PROSE}\n\nCHAPTER II.\n\n{PROSE}\n\n"
            f"CHAPTER III.\n\n{PROSE}")
    doc = gutenberg(body)
    assert titles(doc) == ["Chapter I", "Chapter II", "Chapter III"]
    assert all(c.blocks for c in chapters(doc))


def test_contents_without_a_heading_line() -> None:
    contents = "   I. The Red Lamp\n  II. The Blue Door\n"
    doc = gutenberg(f"{contents}\n\nI. THE RED LAMP\n\n{PROSE}\n\nII. THE BLUE DOOR\n\n{PROSE}")
    assert "The Red Lamp" not in "\n".join(block_text(b) for c in chapters(doc) for b in c.blocks)


def test_the_end_is_dropped() -> None:
    doc = gutenberg(f"CHAPTER I.\n\n{PROSE}\n\nCHAPTER II.\n\n{PROSE}\n\nTHE END")
    assert "THE END" not in all_text(doc).upper().replace("THE END OF", "")


# --------------------------------------------------------------------------- prose


def test_hard_wraps_are_joined_and_dashes_run_on() -> None:
    doc = gutenberg("CHAPTER I.\n\nThe lamp burned low--\nlower still, and  the night\nwas long.\n")
    para = chapters(doc)[0].blocks[0]
    assert block_text(para) == "The lamp burned low--lower still, and the night was long."


def test_underscore_italics() -> None:
    doc = gutenberg("CHAPTER I.\n\nShe was _not_ amused, and _she\nknew it_.\n")
    para = chapters(doc)[0].blocks[0]
    assert isinstance(para, Paragraph)
    emphasised = [inline_text(n.children) for n in para.inlines if isinstance(n, Emphasis)]
    assert emphasised == ["not", "she knew it"]


def test_indented_short_lines_are_verse() -> None:
    doc = gutenberg(f"CHAPTER I.\n\n{PROSE}\n\n    The lamp is lit,\n      the door is shut,\n"
                    f"    and all is well.\n\n{PROSE}")
    verse = [b for b in chapters(doc)[0].blocks if isinstance(b, Verse)]
    assert len(verse) == 1
    assert [inline_text(line.inlines) for line in verse[0].lines] == [
        "The lamp is lit,", "the door is shut,", "and all is well."]


def test_indented_long_lines_are_a_block_quote() -> None:
    letter = ("    Dear Sir,--I write to you on a matter of the greatest importance to us\n"
              "    both, which I cannot put into a letter without some fear of it being read\n"
              "    by others in the house.\n")
    doc = gutenberg(f"CHAPTER I.\n\n{PROSE}\n\n{letter}\n{PROSE}")
    quotes = [b for b in chapters(doc)[0].blocks if isinstance(b, BlockQuote)]
    assert len(quotes) == 1
    assert block_text(quotes[0]).startswith("Dear Sir,--I write")
    assert "  " not in block_text(quotes[0])


def test_sign_off_set_right_is_its_own_paragraph() -> None:
    text = ("CHAPTER I.\n\nI remain, dear sir, your servant,\n"
            "                                   J. SMITH.\nLondon, 1850.\n")
    blocks = chapters(gutenberg(text))[0].blocks
    assert [block_text(b) for b in blocks] == [
        "I remain, dear sir, your servant,", "J. SMITH.", "London, 1850."]


def test_scene_breaks() -> None:
    doc = gutenberg(f"CHAPTER I.\n\n{PROSE}\n\n       *       *       *       *       *\n\n{PROSE}")
    assert sum(isinstance(b, SceneBreak) for b in chapters(doc)[0].blocks) == 1


def test_illustrations_are_dropped_and_counted() -> None:
    body = (f"CHAPTER I.\n\n[Illustration: The lamp\nin the window]\n\n{PROSE}\n\n"
            "She went on.\n[Illustration]\nAnd on.\n")
    doc = gutenberg(body)
    assert "Illustration" not in all_text(doc) and "lamp\nin" not in all_text(doc)
    assert "She went on." in all_text(doc) and "And on." in all_text(doc)
    info = [d for d in doc.diagnostics if d.code == "G001"]
    assert info and "2 illustration" in info[0].message


def test_illustrations_kept_as_captions_on_request() -> None:
    doc = gutenberg(f"CHAPTER I.\n\n[Illustration: The lamp in the window]\n\n{PROSE}",
                    {"illustrations": "caption"})
    first = chapters(doc)[0].blocks[0]
    assert isinstance(first, Paragraph) and "caption" in first.hints
    assert block_text(first) == "The lamp in the window"


def test_transcribers_notes_are_dropped_and_counted() -> None:
    body = (f"[Transcriber's Note: Spelling kept as printed.]\n\nCHAPTER I.\n\n{PROSE}\n\n"
            f"CHAPTER II.\n\n{PROSE}")
    doc = gutenberg(body)
    assert "Spelling" not in all_text(doc)
    assert any(d.code == "G002" for d in doc.diagnostics)


def test_text_without_headings_is_one_chapter() -> None:
    doc = gutenberg(PROSE + "\nAnd the night went on and on, as nights will.\n")
    assert len(chapters(doc)) == 1
    assert chapters(doc)[0].role == "chapter"


def test_a_dedication_before_the_first_chapter_is_kept() -> None:
    doc = gutenberg(f"To my sister,\nwho kept the lamp lit\n\nCHAPTER I.\n\n{PROSE}\n\nCHAPTER II.\n\n{PROSE}")
    assert "who kept the lamp lit" in all_text(doc)
    assert "by Ann Example" not in all_text(doc)
    assert doc.front_matter and doc.front_matter[0].role != "chapter"


def test_letters_before_chapters_are_chapters_too() -> None:
    body = (f"LETTER 1\n\n{PROSE}\n\nLETTER 2\n\n{PROSE}\n\n"
            f"CHAPTER 1\n\n{PROSE}\n\nCHAPTER 2\n\n{PROSE}\n\nCHAPTER 3\n\n{PROSE}")
    assert titles(gutenberg(body)) == ["Letter 1", "Letter 2", "Chapter 1", "Chapter 2",
                                       "Chapter 3"]


def test_centred_lines_one_after_another_are_one_notice() -> None:
    notice = ("                  THE LAMP CLUB\n\n                       IS\n\n"
              "                    CLOSED.\n\n                 June 1, 1890.\n")
    doc = gutenberg(f"CHAPTER I.\n\n{PROSE}\n\n{notice}\n{PROSE}\n\nCHAPTER II.\n\n{PROSE}")
    verse = [b for b in chapters(doc)[0].blocks if isinstance(b, Verse)]
    assert len(verse) == 1
    assert [inline_text(line.inlines) for line in verse[0].lines] == [
        "THE LAMP CLUB", "IS", "CLOSED.", "June 1, 1890."]


def test_a_body_set_in_by_a_margin_is_still_prose() -> None:
    body = f"CHAPTER I.\n\n{PROSE}\n\nCHAPTER II.\n\n{PROSE}\n\n    The lamp is lit,\n    the door is shut.\n"
    indented = "\n".join(f"  {line}" if line.strip() else line for line in body.split("\n"))
    blocks = chapters(gutenberg(indented))[0].blocks
    assert [type(b) for b in blocks] == [Paragraph, Paragraph]
    assert isinstance(chapters(gutenberg(indented))[1].blocks[-1], Verse)


def test_book_divisions_with_ordinal_words_and_titles() -> None:
    body = (f"Book the First--Recalled to Life\n\n\nI. The Period\n\n{PROSE}\n\nII. The Mail\n\n"
            f"{PROSE}\n\n\nBook the Second--the Golden Thread\n\n\nI. Five Years Later\n\n{PROSE}")
    parts = [i for i in gutenberg(body).body if isinstance(i, Part)]
    assert [inline_text(p.title) for p in parts] == ["Recalled to Life", "The Golden Thread"]
    assert [p.number for p in parts] == [1, 2]
    assert [len(p.chapters) for p in parts] == [2, 1]


def test_footnotes_become_notes_tied_to_their_marks() -> None:
    from octavo.model import Note, NoteRef

    body = ("CHAPTER I.\n\nThe lamp[1] was old, and the _wick_[2] new.\n\n"
            "[Footnote 1: An oil lamp,\nof brass.]\n\n[Footnote 2: Of cotton.]\n\n"
            f"{PROSE}\n\nCHAPTER II.\n\nAgain the lamp.[1]\n\n[Footnote 1: The same lamp.]\n")
    first, second = chapters(gutenberg(body))
    para = first.blocks[0]
    assert isinstance(para, Paragraph)
    notes = [b for b in first.blocks if isinstance(b, Note)]
    assert [block_text(n) for n in notes] == ["An oil lamp, of brass.", "Of cotton."]
    refs = [n.id for n in para.inlines if isinstance(n, NoteRef)]
    assert refs == [n.id for n in notes]
    assert "[1]" not in block_text(para) and "[2]" not in block_text(para)
    later = [b for b in second.blocks if isinstance(b, Note)]
    assert later and later[0].id not in {n.id for n in notes}  # ids are unique in the book


def test_heading_with_the_text_run_on_below_it() -> None:
    body = ("CHAPTER I.\nIt was a dark night, and the lamp\nburned low.\n\n"
            "CHAPTER II.\nTHE DOOR\nThe door was shut, and the\nwind was high.\n\n"
            "1. take the lamp\nand the key with you.\n")
    first, second = chapters(gutenberg(body))
    assert (inline_text(first.title), block_text(first.blocks[0])) == (
        "Chapter I", "It was a dark night, and the lamp burned low.")
    assert inline_text(second.title) == "The Door"
    assert block_text(second.blocks[0]) == "The door was shut, and the wind was high."
    assert block_text(second.blocks[1]) == "1. take the lamp and the key with you."


def test_contents_lines_are_not_split_as_run_in_headings() -> None:
    contents = " CHAPTER I.     The Red Lamp\n CHAPTER II.    The Blue Door\n CHAPTER III.   The End\n"
    body = (f"{contents}\n\nCHAPTER I.\nThe Red Lamp\n\n{PROSE}\n\nCHAPTER II.\nThe Blue Door\n\n"
            f"{PROSE}\n\nCHAPTER III.\nThe End\n\n{PROSE}")
    doc = gutenberg(body)
    assert titles(doc) == ["The Red Lamp", "The Blue Door", "The End"]
    assert all(len(c.blocks) == 2 for c in chapters(doc))


@pytest.mark.parametrize("options", [{"illustrations": "show"}, {"ilustrations": "caption"}])
def test_bad_gutenberg_options_are_errors(options: dict[str, object]) -> None:
    from octavo.errors import OctavoError

    with pytest.raises(OctavoError):
        gutenberg(f"CHAPTER I.\n\n{PROSE}", options)


def test_book_toml_gutenberg_table_reaches_the_reader(tmp_path: Path) -> None:
    from octavo.config import load_settings
    from octavo.readers import read_book

    (tmp_path / "book.toml").write_text('[gutenberg]\nillustrations = "caption"\n')
    (tmp_path / "text.txt").write_text(
        HEADER + f"CHAPTER I.\n\n[Illustration: A lamp]\n\n{PROSE}" + FOOTER)
    book, diagnostics = read_book(load_settings(tmp_path))
    first = next(iter(all_chapters(book)))
    assert block_text(first.blocks[0]) == "A lamp"
    assert any("kept as captions" in d.message for d in diagnostics)


def test_single_spaced_is_every_white_space_run_made_one_space() -> None:
    pattern = re.compile(r"\s")
    spaces = [c for c in map(chr, range(sys.maxunicode + 1))
              if c.isspace() or pattern.fullmatch(c)]
    assert len(spaces) > 20
    for space in spaces:
        text = f"{space} a{space}{space}b c{space}"
        assert single_spaced(text) == re.sub(r"\s+", " ", text.strip()) == "a b c"


@pytest.mark.parametrize("size", range(2, 8))
def test_a_contents_block_has_two_entries_in_three_lines(size: int) -> None:
    entry, prose = "CHAPTER IV.    The Green Field", "which was quite the most agreeable thing"
    for kinds in itertools.product((entry, prose), repeat=size):
        entries = sum(line == entry for line in kinds)
        assert is_contents_block(TextBlock(kinds, 1)) == (entries * 3 >= size * 2), kinds


@pytest.mark.parametrize(("line", "entry"), [
    ("The Red Lamp 12", True), ("The Red Lamp     7", True), ("The Red Lamp 12.", False),
    ("The Red Lamp \u0967\u0968", True), ("1812", False), ("Chapter XII", True),
    ("and so she went on to say", False),
])
def test_a_contents_entry_is_a_heading_or_ends_in_a_page_number(line: str, entry: bool) -> None:
    assert is_contents_entry(line) is entry
