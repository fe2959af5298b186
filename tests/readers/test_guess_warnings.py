"""A warning names every line a reader had to guess about: speeches found by their speakers'
names, a cast list split where it ran its persons together, a part line read as a section's
sub-head. Each is one line with the line ranges and how many, as verse's V001."""

from __future__ import annotations

from pathlib import Path

from test_text_parts import novel

from gutenberg_texts import HEADER, PROSE, gutenberg
from octavo.config import load_settings
from octavo.model import Diagnostic
from octavo.readers import read_book, read_document
from octavo.readers.guesses import line_runs
from octavo.readers.source import SourceText
from octavo.readers.text import read_text

SPEECHES = ("Chapter 1\n\n"
            "JOHN. Where is the lamp?\n\n"
            "ANNE. On the table, where it always is.\n\n"
            "JOHN. I do not see it.\n\n"
            "ANNE. Look again, then.\n\n"
            "JOHN. Found it at last.\n\n"
            "ANNE. Good.\n\n"
            "Chapter 2\n\n"
            "JOHN. The lamp is out.\n\n"
            "ANNE. Light it.\n")
# The same speeches in a text that says it is a play: act headings.
PLAY = SPEECHES.replace("Chapter 1", "ACT I").replace("Chapter 2", "ACT II")


def warnings(path: Path, code: str) -> list[Diagnostic]:
    return [d for d in read_document(path, lambda _name: {}).diagnostics if d.code == code]


def test_line_runs() -> None:
    assert line_runs([9, 3, 4, 5, 4]) == [(3, 5), (9, 9)]


def test_speeches_found_by_their_speakers_names_are_named(tmp_path: Path) -> None:
    path = tmp_path / "play.txt"
    path.write_text(SPEECHES, encoding="utf-8")
    [found] = warnings(path, "G021")
    assert found.severity == "warning"
    assert found.span.line == 3 and found.span.path == str(path)
    assert found.message == ("speeches guessed at lines 3-13, 17-19 (8 speeches, 2 speakers "
                             "by name: Anne, John)")
    assert "\n" not in str(found)


def test_a_text_that_says_it_is_a_play_has_no_speeches_to_name(tmp_path: Path) -> None:
    path = tmp_path / "play.txt"
    path.write_text(PLAY, encoding="utf-8")
    assert warnings(path, "G021") == []
    path.write_text("DRAMATIS PERSONAE\n\nJOHN, a keeper\n\nANNE, his wife\n\n" + SPEECHES,
                    encoding="utf-8")
    assert warnings(path, "G021") == []


def test_speeches_guessed_in_a_book_of_files_are_named_by_file(tmp_path: Path) -> None:
    first, second = SPEECHES.split("Chapter 2\n\n")
    (tmp_path / "1-one.txt").write_text(first, encoding="utf-8")
    (tmp_path / "2-two.txt").write_text("Chapter 2\n\n" + "\n".join([second] * 3), encoding="utf-8")
    _, diagnostics = read_book(load_settings(tmp_path))
    found = [d for d in diagnostics if d.code == "G021"]
    assert [(Path(d.span.path).name, d.span.line) for d in found] == [
        ("1-one.txt", 3), ("2-two.txt", 3)]
    assert found[0].message.startswith("speeches guessed at lines 3-13 (6 speeches")
    assert found[1].message.startswith("speeches guessed at lines 3-13 (6 speeches")


def test_prose_has_no_speeches_to_name(tmp_path: Path) -> None:
    path = tmp_path / "novel.txt"
    path.write_text(novel("Chapter 1", "", "Chapter 2"), encoding="utf-8")
    assert warnings(path, "G021") == []


def test_a_cast_list_split_from_one_paragraph_is_named(tmp_path: Path) -> None:
    path = tmp_path / "play.txt"
    path.write_text("DRAMATIS PERSONAE\n\n"
                    "JOHN MARLOW, keeper of the light; ANNE MARLOW, his wife; PETER, a boy\n\n"
                    + PLAY, encoding="utf-8")
    [found] = warnings(path, "G022")
    assert found.span.line == 3
    assert found.message == ("cast list split into persons guessed at lines 3 "
                             "(1 paragraph(s), 3 persons)")


def test_a_cast_list_a_person_a_paragraph_is_not_a_guess(tmp_path: Path) -> None:
    # (Persons on lines of one paragraph are a guess too: the paragraph's hard wraps are
    # joined before the cast list is read.)
    path = tmp_path / "play.txt"
    path.write_text("DRAMATIS PERSONAE\n\n"
                    "JOHN MARLOW, keeper of the light\n\nANNE MARLOW, his wife\n\nPETER, a boy\n\n"
                    + PLAY, encoding="utf-8")
    assert warnings(path, "G022") == []
    assert len(warnings(path, "G021")) == 0


def test_part_lines_nested_as_sub_heads_are_named_in_plain_text() -> None:
    text = novel("Chapter 1", "PART I.", "", "", "", "PART II.", "", "", "",
                 "Chapter 2", "PART I.", "", "", "")
    doc = read_text(SourceText(Path("m.txt"), text))
    lines = [n for n, line in enumerate(text.split("\n"), start=1) if line == "PART I."
             or line == "PART II."]
    [found] = [d for d in doc.diagnostics if d.code == "G023"]
    assert found.span.line == lines[0]
    assert found.message == (
        f"part lines read as sub-heads of their section guessed at lines {lines[0]}, "
        f"{lines[1]}, {lines[2]} (3 sub-head(s))")


def test_part_lines_nested_as_sub_heads_are_named_in_a_gutenberg_text() -> None:
    body = "".join(f"SECTION {n}.\n\n{PROSE}\n\nPART I.\n\n" + f"{PROSE}\n\n" * 4
                   for n in ("I", "II"))
    doc = gutenberg(body)
    [found] = [d for d in doc.diagnostics if d.code == "G023"]
    offset = HEADER.count("\n")
    lines = [n + offset for n, line in enumerate(body.split("\n"), start=1) if line == "PART I."]
    assert found.message.endswith(f"at lines {lines[0]}, {lines[1]} (2 sub-head(s))")


def test_parts_of_the_book_are_no_guess() -> None:
    doc = read_text(SourceText(Path("m.txt"), novel("PART ONE|", "Chapter 1", "PART TWO|",
                                                    "Chapter 2")))
    assert [d for d in doc.diagnostics if d.code == "G023"] == []


def _title_lines(text: str, offset: int = 0) -> list[int]:
    return [n + offset for n, line in enumerate(text.split("\n"), start=1)
            if line.strip() in ("THE LAMP ON THE HILL", "The Lamp on the Hill",
                                "THE RIVER SONG", "The River Song")]


def test_poem_titles_read_above_their_poems_are_named() -> None:
    from test_verse import HEADER as POEMS_HEADER
    from test_verse import POEMS
    from test_verse import gutenberg as gutenberg_poems

    text = POEMS.replace("    [Illustration: The lamp]\n", "")
    plain = [d for d in read_text(SourceText(Path("poems.txt"), text)).diagnostics
             if d.code == "V002"]
    lines = _title_lines(text)
    assert len(lines) == 2
    assert [d.message for d in plain] == [
        f"poem titles guessed at lines {lines[0]}, {lines[1]} (2 title(s))"]
    doc = gutenberg_poems(POEMS)
    [found] = [d for d in doc.diagnostics if d.code == "V002"]
    lines = _title_lines(POEMS, POEMS_HEADER.count("\n"))
    assert found.message == f"poem titles guessed at lines {lines[0]}, {lines[1]} (2 title(s))"
    assert found.span.line == lines[0]


def test_poems_under_headings_of_their_own_are_no_guess() -> None:
    text = "# The Lamp\n\nThe lamp is lit upon the hill,\n  The river runs below;\n"
    assert not [d for d in read_text(SourceText(Path("p.txt"), text)).diagnostics
                if d.code == "V002"]


def test_speeches_of_a_play_read_only_once_its_files_are_joined_are_named(
        tmp_path: Path) -> None:
    scene = ("JOHN. Where is the lamp?\n\nANNE. On the table.\n\n"
             "JOHN. I do not see it.\n\nANNE. Look again.\n")
    (tmp_path / "1-one.txt").write_text("Chapter 1\n\n" + scene, encoding="utf-8")
    (tmp_path / "2-two.txt").write_text("Chapter 2\n\n" + scene, encoding="utf-8")
    for name in ("1-one.txt", "2-two.txt"):  # neither file alone is a play
        assert warnings(tmp_path / name, "G021") == []
    _, diagnostics = read_book(load_settings(tmp_path))
    found = [d for d in diagnostics if d.code == "G021"]
    assert [(Path(d.span.path).name, d.message.split(" (")[0]) for d in found] == [
        ("1-one.txt", "speeches guessed at lines 3-9"),
        ("2-two.txt", "speeches guessed at lines 3-9")]
