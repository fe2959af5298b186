"""Numbered notes in plain texts (readers/notes.py through the Gutenberg reader): each block
that opens with a marker becomes a ``Note`` and the marker that calls it a ``NoteRef``, after
the word it follows; markers in headings keep the reference out of the title's text; what
matches nothing is a warning naming its line, and stays as printed."""

from __future__ import annotations

from gutenberg_texts import PROSE, chapters, gutenberg
from octavo.model import (
    Chapter,
    Note,
    NoteRef,
    Paragraph,
    Text,
    Verse,
    block_text,
    inline_text,
)
from octavo.readers.notes import link_notes, marker_pattern, note_opening


def refs_after(chapter: Chapter) -> list[tuple[str, str]]:
    """(note id, the text just before it) for each reference in the chapter's paragraphs."""
    out = []
    for block in chapter.blocks:
        if isinstance(block, Paragraph):
            before = ""
            for node in block.inlines:
                if isinstance(node, NoteRef):
                    out.append((node.id, before.split()[-1] if before.split() else ""))
                before += inline_text((node,))
    return out


def notes_of(chapter: Chapter) -> list[Note]:
    return [b for b in chapter.blocks if isinstance(b, Note)]


SYMBOL_NOTES = (
    "CHAPTER I.\n\nThe Duke Lodovico(*) raised the borders, and Louis(*) (and not\n"
    "Charles)(+) was king.\n\n"
    "     (*) Lodovico Moro, a son of Francesco Sforza, who married\n"
    "     Beatrice d'Este.\n\n"
    "     (+) Charles VIII, King of France.\n\n"
    f"{PROSE}\n"
)


def test_symbol_notes_after_their_paragraph_are_called_after_the_right_word() -> None:
    (chapter,) = chapters(gutenberg(SYMBOL_NOTES))
    notes = notes_of(chapter)
    assert [block_text(n) for n in notes] == [
        "Lodovico Moro, a son of Francesco Sforza, who married Beatrice d'Este.",
        "Charles VIII, King of France.",
    ]
    refs = refs_after(chapter)
    # The first (*) has no note of its own here; the note after the paragraph is the nearest
    # marker's (Louis), and the first stays as printed, with a warning.
    assert refs == [(notes[0].id, "Louis"), (notes[1].id, "Charles)")]
    text = block_text(chapter.blocks[0])
    assert "(+)" not in text and text.count("(*)") == 1


def test_an_uncalled_marker_is_a_warning_naming_its_line() -> None:
    doc = gutenberg(SYMBOL_NOTES)
    warnings = [d for d in doc.diagnostics if d.code == "N001"]
    assert len(warnings) == 1 and "(*)" in warnings[0].message
    assert warnings[0].span.line > 0


SECTION_NOTES = (
    "SECTION I.\n\nOF THE SPECIES OF PHILOSOPHY.\n\nMoral philosophy[1] may be treated after\n"
    "two manners[2], each of which has its merit.\n\n"
    f"{PROSE}\n\n"
    "Footnotes:\n\n[1] Or the science of human nature.\n\n[2] Easy and obvious.\n\n"
    "SECTION II.\n\nOF PROBABILITY[3].\n\nThough there be no such thing as chance[4] in the\n"
    "world, our ignorance has the same influence.\n\n"
    f"{PROSE}\n\n"
    "[3] Mr. Locke divides all arguments into demonstrative and probable.\n"
    "[4] Chance is nothing real.\n"
)


def test_section_notes_under_a_label_and_a_marker_in_a_heading() -> None:
    doc = gutenberg(SECTION_NOTES)
    first, second = chapters(doc)
    assert [block_text(n) for n in notes_of(first)] == [
        "Or the science of human nature.", "Easy and obvious."]
    assert [w for _, w in refs_after(first)] == ["philosophy", "manners"]
    assert not any("Footnotes" in block_text(b) for b in first.blocks)
    assert any(d.code == "G008" for d in doc.diagnostics)
    # The heading's marker: a reference after the title's text, none of it in the text.
    assert inline_text(second.title) == "Of Probability"
    title_refs = [n.id for n in second.title if isinstance(n, NoteRef)]
    notes = notes_of(second)
    # Two notes set without a blank line between them are two notes.
    assert [block_text(n) for n in notes] == [
        "Mr. Locke divides all arguments into demonstrative and probable.",
        "Chance is nothing real."]
    assert title_refs == [notes[0].id]
    assert [w for _, w in refs_after(second)] == ["chance"]
    assert not any(d.code in ("N001", "N002") for d in doc.diagnostics)


END_NOTES = (
    "CHAPTER I.\n\nThe lamp[1] was old and the wick[2] short.\n\n"
    f"{PROSE}\n\n"
    "CHAPTER II.\n\nThe sea[1] was calm.\n\n"
    f"{PROSE}\n\n"
    "NOTES\n\n[1] An oil lamp.\n\n[2] Of cotton.\n\n[1] The North Sea.\n"
)


def test_notes_gathered_at_the_end_are_called_in_order() -> None:
    first, second = chapters(gutenberg(END_NOTES))[:2]
    notes = [n for c in chapters(gutenberg(END_NOTES)) for n in notes_of(c)]
    by_id = {n.id: block_text(n) for n in notes}
    assert [(by_id[i], w) for i, w in refs_after(first)] == [
        ("An oil lamp.", "lamp"), ("Of cotton.", "wick")]
    assert [(by_id[i], w) for i, w in refs_after(second)] == [("The North Sea.", "sea")]
    # Each note moves to the chapter that calls it, after the calling paragraph.
    assert [block_text(n) for n in notes_of(first)] == ["An oil lamp.", "Of cotton."]
    assert isinstance(first.blocks[1], Note)


def test_a_note_no_marker_calls_stays_as_text_with_a_warning() -> None:
    doc = gutenberg(f"CHAPTER I.\n\nThe lamp was old.\n\n[7] A lost note.\n\n{PROSE}\n")
    (chapter,) = chapters(doc)
    assert not notes_of(chapter)
    assert any(block_text(b) == "[7] A lost note." for b in chapter.blocks)
    (warning,) = [d for d in doc.diagnostics if d.code == "N002"]
    assert warning.span.line > 0 and "[7]" in warning.message


def test_a_numbered_list_is_no_note() -> None:
    body = (f"CHAPTER I.\n\nHe gave two reasons:\n\n(1) the cold;\n\n(2) the dark.\n\n{PROSE}\n")
    (chapter,) = chapters(gutenberg(body))
    assert not notes_of(chapter)
    assert [block_text(b) for b in chapter.blocks[1:3]] == ["(1) the cold;", "(2) the dark."]


def test_a_weak_marker_is_a_note_where_the_text_called_it_and_the_note_is_set_in() -> None:
    body = (f"CHAPTER I.\n\nThe lamp(1) was old.\n\n     (1) An oil lamp, of the kind\n"
            f"     sailors used.\n\n{PROSE}\n")
    (chapter,) = chapters(gutenberg(body))
    (note,) = notes_of(chapter)
    assert block_text(note) == "An oil lamp, of the kind sailors used."
    assert refs_after(chapter) == [(note.id, "lamp")]


def test_a_quoted_poem_as_a_note_keeps_its_lines_and_its_attribution() -> None:
    body = ("CHAPTER I.\n\nAs the poet says:(*) nothing.\n\n"
            "     (*) . . . against my will, my fate\n     A throne unsettled, and an infant state,\n"
            "     Bid me defend my realms with all my pow'rs.\n\n     Christopher Pitt.\n\n"
            f"{PROSE}\n")
    (chapter,) = chapters(gutenberg(body))
    (note,) = notes_of(chapter)
    assert isinstance(note.blocks[0], Verse) and len(note.blocks[0].lines) == 3
    assert block_text(note.blocks[1]) == "Christopher Pitt."


def test_wrapped_capital_chapter_title_with_a_marker() -> None:
    body = ("CHAPTER XVIII(*) -- CONCERNING THE WAY IN WHICH PRINCES SHOULD KEEP\nFAITH\n\n"
            "     (*) The present chapter has given offence.\n\n"
            f"{PROSE}\n\nCHAPTER XIX -- THAT ONE SHOULD AVOID BEING DESPISED\n\n{PROSE}\n")
    first, second = chapters(gutenberg(body))
    assert inline_text(first.title) == "Concerning the Way in Which Princes Should Keep Faith"
    (note,) = notes_of(first)
    assert [n.id for n in first.title if isinstance(n, NoteRef)] == [note.id]
    assert inline_text(second.title) == "That One Should Avoid Being Despised"


def test_note_opening_and_marker_pattern() -> None:
    opening = note_opening("(**) A second note.")
    assert opening is not None and opening.marker == "(**)" and opening.sure
    weak = note_opening("* A starred note.")
    assert weak is not None and weak.marker == "*" and not weak.sure
    assert note_opening("* * *") is None
    assert note_opening("(1) first") is not None and not note_opening("(1) first").sure  # type: ignore[union-attr]
    star = marker_pattern("*")
    assert [m.start() for m in star.finditer("word* and (*) and ** and * alone")] == [4]
    assert marker_pattern("(1)").search("see (1) the") is None
    assert marker_pattern("(1)").search("see(1) the") is not None


def test_link_notes_leaves_a_book_without_drafts_alone() -> None:
    chapter = Chapter((Text("One"),), 1, (Paragraph((Text("A [1] here."),)),))
    linked = link_notes([chapter], "b-n", "book.txt")
    assert linked.chapters == (chapter,)
    assert [d.code for d in linked.diagnostics] == ["N001"]


def test_a_bracketed_star_is_a_sign_not_emphasis() -> None:
    from octavo.readers.inline import parse_inlines

    assert parse_inlines("Lodovico(*) raised, and Louis(*) was king.") == (
        Text("Lodovico(*) raised, and Louis(*) was king."),)
    assert parse_inlines("(**) and [*] and (*sic*)")[-1] != Text("(*sic*)")


def test_a_bracketed_footnote_no_text_calls_is_reported_once_and_kept() -> None:
    doc = gutenberg(f"CHAPTER I.\n\n{PROSE}\n\n[Footnote 3: A note nobody calls.]\n\n{PROSE}\n")
    (chapter,) = chapters(doc)
    assert not notes_of(chapter)
    assert any(block_text(b) == "[3] A note nobody calls." for b in chapter.blocks)
    assert [d.code for d in doc.diagnostics if d.code.startswith("N")] == ["N002"]
