"""Chapter headings of books in other languages: the label words of French, German, Spanish,
Italian and Dutch books, "CHAPITRE PREMIER", a note's call after the number, and a title in
capitals wrapped over lines under a bare number, taken as the chapter's title."""

from __future__ import annotations

import pytest

from gutenberg_texts import chapters, gutenberg
from octavo.model import Note as NoteBlock
from octavo.model import NoteRef, Part, inline_text, walk_blocks
from octavo.readers.gutenberg import next_line_title
from octavo.readers.structure import match_heading

PROSE = ("Le soleil se levait sur la ville et les rues\nétaient encore vides à cette heure.\n\n"
         "Il marchait lentement vers le port, sans se\nretourner une seule fois.\n")


@pytest.mark.parametrize(("line", "number", "label"), [
    ("CHAPITRE PREMIER.", 1, "Chapitre Premier"),
    ("CHAPITRE II.", 2, "Chapitre II"),
    ("Kapitel 3", 3, "Kapitel 3"),
    ("Capítulo primero", 1, "Capítulo primero"),
    ("CAPITOLO IV", 4, "Capitolo IV"),
    ("Hoofdstuk 5", 5, "Hoofdstuk 5"),
])
def test_chapter_words_of_other_languages(line: str, number: int, label: str) -> None:
    heading = match_heading(line)
    assert heading is not None and heading.kind == "chapter"
    assert (heading.number, heading.label) == (number, label)


def test_part_words_of_other_languages() -> None:
    for line in ("Teil 2", "LIVRE II"):
        heading = match_heading(line)
        assert heading is not None and heading.kind == "division", line


@pytest.mark.parametrize(("line", "number", "kind"), [
    ("PREMIÈRE PARTIE", 1, "division"),
    ("DEUXIÈME PARTIE", 2, "division"),
    ("Troisieme partie", 3, "division"),
    ("ZWEITER TEIL", 2, "division"),
    ("Erstes Buch", 1, "division"),
    ("SEGUNDA PARTE", 2, "division"),
    ("Tercera parte", 3, "division"),
    ("Seconda parte", 2, "division"),
    ("Tweede deel", 2, "division"),
    ("Second Part", 2, "division"),
    ("PART THE SECOND", 2, "division"),
    ("Zweites Kapitel", 2, "chapter"),
    ("CHAPITRE DEUXIÈME", 2, "chapter"),
])
def test_an_ordinal_before_or_after_the_label_word(line: str, number: int, kind: str) -> None:
    heading = match_heading(line)
    assert heading is not None and (heading.kind, heading.number) == (kind, number), line


@pytest.mark.parametrize("line", ["La seconde", "Zweiter Versuch", "Segunda vez",
                                  "la deuxième partie", "Deuxième partie du livre"])
def test_an_ordinal_without_a_label_word_or_in_a_sentence_is_no_heading(line: str) -> None:
    assert match_heading(line) is None


def test_parts_numbered_by_an_ordinal_before_the_word_hold_their_chapters() -> None:
    body = ("PREMIÈRE PARTIE\n\n\nCHAPITRE PREMIER.\n\nLE DÉPART\n\n\n" + PROSE
            + "\n\nCHAPITRE II.\n\nLA NUIT\n\n\n" + PROSE
            + "\n\nDEUXIÈME PARTIE\n\n\nCHAPITRE III.\n\nLE RETOUR\n\n\n" + PROSE)
    doc = gutenberg(body)
    parts = [item for item in doc.body if isinstance(item, Part)]
    assert [(p.label or inline_text(p.title), len(p.chapters)) for p in parts] == [
        ("Première Partie", 2), ("Deuxième Partie", 1)]


def test_a_first_word_alone_is_no_heading() -> None:
    # "Premier" numbers a chapter only after a label word.
    assert match_heading("LE PREMIER") is None


def test_a_title_in_capitals_wrapped_over_lines_is_one_title() -> None:
    assert next_line_title(["OÙ LA MER ROUGE ET LA MER DES INDES SE MONTRENT PROPICES AUX "
                            "DESSEINS DE", "PHILEAS FOGG"]) == (
        "OÙ LA MER ROUGE ET LA MER DES INDES SE MONTRENT PROPICES AUX DESSEINS DE PHILEAS FOGG")
    # A word in italics keeps its case.
    assert next_line_title(["OÙ LE PATRON DE LA «_Tankadère_» RISQUE FORT DE", "PERDRE"]) == (
        "OÙ LE PATRON DE LA «_Tankadère_» RISQUE FORT DE PERDRE")
    # Prose in mixed case, or a line ending on a comma, is no title.
    assert next_line_title(["Il marchait lentement vers le port, sans", "se retourner."]) is None
    assert next_line_title(["UN CRI,", "PUIS UN AUTRE,"]) is None


def test_chapters_with_bare_numbers_and_long_titles_in_capitals() -> None:
    body = ("I\n\nDANS LEQUEL UN VOYAGEUR PART DE LONDRES ET PASSE LA NUIT DANS UN TRAIN\n\n\n"
            + PROSE + "\n\nII\n\nOÙ LA MER ROUGE ET LA MER DES INDES SE MONTRENT PROPICES AUX\n"
            "DESSEINS DU VOYAGEUR\n\n\n" + PROSE)
    got = [(c.label, inline_text(c.title)) for c in chapters(gutenberg(body))]
    assert got == [
        ("I", "Dans Lequel Un Voyageur Part De Londres Et Passe La Nuit Dans Un Train"),
        ("II", "Où La Mer Rouge Et La Mer Des Indes Se Montrent Propices Aux Desseins Du "
               "Voyageur")]


def test_french_chapters_with_titles_on_the_next_line_and_a_note_call() -> None:
    body = ("CHAPITRE PREMIER.\n\nLE DÉPART\n\n\n" + PROSE
            + "\n\nCHAPITRE II[1].\n\nLA NUIT\n\n\n" + PROSE
            + "\n[1] Ce chapitre fut écrit plus tard.\n\n\nCHAPITRE III.\n\nLE RETOUR\n\n\n"
            + PROSE)
    doc = gutenberg(body)
    got = [(c.number, inline_text(c.title)) for c in chapters(doc)]
    # Three chapters (the note's call does not merge the second into the first), each with
    # the title from the next line, not as a body paragraph.
    assert [n for n, _ in got] == [1, 2, 3]
    assert [t.split("[")[0].strip() for _, t in got] == ["Le Départ", "La Nuit", "Le Retour"]
    second = chapters(doc)[1]
    assert not any("[1]" in inline_text(getattr(b, "inlines", ())) for b in second.blocks)
    refs = [n for n in second.title if isinstance(n, NoteRef)]
    notes = [b for b in walk_blocks(second.blocks) if isinstance(b, NoteBlock)]
    assert refs and notes, (second.title, second.blocks)
