"""No text of a Project Gutenberg file is dropped unsaid: an omnibus (several works one after
another, each with its header, markers and licence) is one book with every work in order; text
after an end line or a licence is kept; text left out (before the START line) is counted in a
warning that names its lines; the licence itself stays out. build, stats and check agree.

A property test generates such files, end lines, licence paragraphs and THE END among real
text, and checks that every word is in the book, in order, or counted in a warning."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CORPUS
from epub_reading import open_package, reading_stream
from octavo.build import build, load
from octavo.model import Book, Diagnostic, Part, all_chapters, block_text, inline_text
from octavo.stats import word_count

EXAMPLES = 60

LICENCE = (
    "***** This file should be named 1234.txt or 1234.zip *****",
    "Updated editions will replace the previous one--the old editions\nwill be renamed.",
    "Creating the works from public domain print editions means that no\none owns a United "
    "States copyright in these works, so the Foundation\n(and you!) can copy and distribute "
    "it in the United States without\npermission and without paying copyright royalties.",
    "*** START: FULL LICENSE ***",
    "THE FULL PROJECT GUTENBERG LICENSE\nPLEASE READ THIS BEFORE YOU DISTRIBUTE OR USE THIS WORK",
    "Section 5.  General Information About Project Gutenberg-tm electronic\nworks.",
    "Most people start at our Web site which has the main PG search facility:",
    "     http://www.gutenberg.org",
)


def header(title: str, author: str) -> str:
    return (f"The Project Gutenberg EBook of {title}, by {author}\n\n"
            "This eBook is for the use of anyone anywhere at no cost and with\n"
            "almost no restrictions whatsoever.\n\n"
            f"Title: {title}\n\nAuthor: {author}\n\nLanguage: English\n\n"
            f"*** START OF THIS PROJECT GUTENBERG EBOOK {title.upper()} ***\n\n\n\n")


def end_lines(title: str, author: str) -> str:
    return (f"\n\n\nEnd of the Project Gutenberg EBook of {title}, by {author}\n\n"
            f"*** END OF THIS PROJECT GUTENBERG EBOOK {title.upper()} ***\n\n")


def roman(n: int) -> str:
    return ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"][n - 1]


def chapter(n: int, paragraphs: list[str]) -> str:
    return f"CHAPTER {roman(n)}.\n\n" + "\n\n".join(paragraphs) + "\n\n"


def book_words(book: Book) -> list[str]:
    return [w for c in all_chapters(book) for b in c.blocks
            for w in re.findall(r"[a-z]+", block_text(b).lower())]


def warned_words(diagnostics: tuple[Diagnostic, ...]) -> int:
    """Words the warnings say were left out."""
    return sum(int(m.group(1)) for d in diagnostics if d.severity == "warning"
               and "left out" in d.message for m in [re.search(r"(\d+) word", d.message)] if m)


def is_subsequence(short: list[str], long: list[str]) -> bool:
    it = iter(long)
    return all(word in it for word in short)


# --------------------------------------------------------------------------- small omnibus

LAMP = ("It was a dark night, and the lamp\nburned low in the window of the house.",
        "She waited by the door until the rain stopped.")
DOOR = ("The red door stood open all the morning.",
        "Nobody came through it, and nobody went out.")


def omnibus(tail: str = "", before: str = "") -> str:
    return (before
            + header("The Lamp", "Ann Example") + chapter(1, [LAMP[0]]) + chapter(2, [LAMP[1]])
            + end_lines("The Lamp", "Ann Example") + "\n\n".join(LICENCE) + "\n\n"
            + header("The Red Door", "Bo Writer") + chapter(1, [DOOR[0]])
            + chapter(2, [DOOR[1]]) + "THE END\n"
            + end_lines("The Red Door", "Bo Writer") + "\n\n".join(LICENCE) + "\n" + tail)


def test_an_omnibus_keeps_every_work_in_order_each_a_part(tmp_path: Path) -> None:
    source = tmp_path / "omnibus.txt"
    source.write_text(omnibus(), encoding="utf-8")
    loaded = load(source)
    words = book_words(loaded.book)
    expected = [w for text in (*LAMP, *DOOR) for w in re.findall(r"[a-z]+", text.lower())]
    assert words == expected
    parts = [item for item in loaded.book.body if isinstance(item, Part)]
    assert [inline_text(p.title) for p in parts] == ["The Lamp", "The Red Door"]
    assert [len(p.chapters) for p in parts] == [2, 2]
    assert loaded.book.metadata.authors == ("Ann Example", "Bo Writer")
    assert not any(d.severity == "warning" for d in loaded.diagnostics)
    assert any(d.code == "G007" for d in loaded.diagnostics)
    assert "gutenberg" not in words and "license" not in words and "royalties" not in words


def test_text_after_the_licence_is_kept_and_text_before_the_header_is_counted(
        tmp_path: Path) -> None:
    more = "The lamp was lit again the next winter.\n"
    source = tmp_path / "omnibus.txt"
    source.write_text(omnibus(tail="\n" + more, before="An editor's note of exactly eight words here.\n\n"),
                      encoding="utf-8")
    loaded = load(source)
    words = book_words(loaded.book)
    assert words[-len(more.split()):] == re.findall(r"[a-z]+", more.lower())
    [warning] = [d for d in loaded.diagnostics if d.severity == "warning"]
    assert warning.code == "G004" and warning.span.line == 1
    assert "8 word(s) before the Project Gutenberg START line left out" in warning.message
    kept = [d for d in loaded.diagnostics if d.code == "G006"]
    assert kept and kept[0].span.line == source.read_text().split("\n").index(more.strip()) + 1


def test_marker_lines_that_run_on_are_no_text(tmp_path: Path) -> None:
    """A START line wrapped before its closing stars, an end line wrapped before its author:
    the lines they run on to are theirs, neither text of the book nor text after it."""
    text = ("Title: A Long Title\n\n"
            "*** START OF THIS PROJECT GUTENBERG EBOOK A VERY LONG TITLE THAT\n"
            "WRAPS ***\n\n" + chapter(1, [LAMP[0]]) + chapter(2, [LAMP[1]])
            + "End of the Project Gutenberg EBook of A Very Long Title That Wraps, by\n"
            "Ann Example\n\n" + "\n\n".join(LICENCE) + "\n")
    source = tmp_path / "wrapped.txt"
    source.write_text(text, encoding="utf-8")
    loaded = load(source)
    assert book_words(loaded.book) == [w for t in LAMP for w in re.findall(r"[a-z]+", t.lower())]
    assert not [d for d in loaded.diagnostics if d.code in ("G003", "G004", "G006")]


def test_a_file_that_lost_its_end_line_stops_at_the_licence(tmp_path: Path) -> None:
    source = tmp_path / "no-end-line.txt"
    source.write_text(header("The Lamp", "Ann Example") + chapter(1, list(LAMP))
                      + "\n\n".join(LICENCE[3:]) + "\n", encoding="utf-8")
    loaded = load(source)
    assert book_words(loaded.book) == [w for t in LAMP for w in re.findall(r"[a-z]+", t.lower())]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "octavo", *args], capture_output=True,
                          text=True, timeout=300)


def test_build_stats_and_check_report_the_same_words_and_warnings(tmp_path: Path) -> None:
    source = tmp_path / "omnibus.txt"
    source.write_text(omnibus(before="An editor's note of exactly eight words here.\n\n"),
                      encoding="utf-8")
    built = run("build", str(source), "-o", str(tmp_path / "out"), "--format", "epub",
                "--json")
    stats = run("stats", str(source), "--json")
    check = run("check", str(source), "--json")
    assert built.returncode == stats.returncode == 0, built.stderr + stats.stderr

    def g_codes(findings: list[dict[str, object]]) -> list[tuple[object, ...]]:
        return sorted((f["rule"], f["line"], f["message"]) for f in findings
                      if str(f["rule"]).startswith("G"))

    build_report, stats_report = json.loads(built.stdout), json.loads(stats.stdout)
    assert build_report["words"] == stats_report["words"] == len(
        book_words(load(source).book))
    expected = g_codes(build_report["diagnostics"])
    assert any(rule == "G004" for rule, _, _ in expected)
    assert g_codes(stats_report["diagnostics"]) == expected
    assert g_codes(json.loads(check.stdout)) == expected
    assert "warning G004" in run("stats", str(source)).stderr


# --------------------------------------------------------------------------- property

# Lower-case words, none the licence's: real text never reads as a heading or as the licence.
_LICENCE_STEMS = ("gutenberg", "licen", "book", "text", "copyright", "trademark", "foundation",
                  "donat", "royalt", "refund", "warrant", "liabilit", "disclaim", "www", "http",
                  "org", "net", "com")
_WORD = st.text("abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=8).filter(
    lambda w: not any(stem in w for stem in _LICENCE_STEMS))
_PARAGRAPH = st.lists(_WORD, min_size=1, max_size=14).map(
    lambda words: "\n".join(" ".join(words[i:i + 6]) for i in range(0, len(words), 6)) + ".")
_TITLES = ("The Lamp", "A Short Walk", "The Red Door")


@st.composite
def gutenberg_files(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A Gutenberg-like file and its real words in order: text before the header, works with
    chapters, THE END, end lines, licence paragraphs with real paragraphs among them."""
    parts: list[str] = []
    real: list[str] = []

    def text(paragraph: str) -> str:
        real.extend(re.findall(r"[a-z]+", paragraph))
        return paragraph

    if draw(st.booleans()):
        parts.append(text(draw(_PARAGRAPH)) + "\n\n")
    for title in _TITLES[:draw(st.integers(1, 3))]:
        parts.append(header(title, "Ann Example"))
        n = 0
        for _ in range(draw(st.integers(1, 3))):
            n += 1
            parts.append(chapter(n, [text(p) for p in draw(st.lists(_PARAGRAPH, min_size=1,
                                                                     max_size=3))]))
        if draw(st.booleans()):
            parts.append("THE END\n\n")
            for p in draw(st.lists(_PARAGRAPH, max_size=2)):
                parts.append(text(p) + "\n\n")
        parts.append(end_lines(title, "Ann Example"))
        trailer = draw(st.lists(st.one_of(
            st.sampled_from(LICENCE).map(lambda p: ("licence", p)),
            _PARAGRAPH.map(lambda p: ("text", p)),
            st.lists(_PARAGRAPH, min_size=1, max_size=2).map(lambda ps: ("chapter", ps)),
        ), max_size=6))
        for kind, item in trailer:
            if kind == "licence":
                assert isinstance(item, str)
                parts.append(item + "\n\n")
            elif kind == "text":
                assert isinstance(item, str)
                parts.append(text(item) + "\n\n")
            else:
                n += 1
                parts.append(chapter(n, [text(p) for p in item]))
    return "".join(parts), real


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(gutenberg_files())
def test_every_word_is_in_the_book_in_order_or_counted_in_a_warning(
        generated: tuple[str, list[str]]) -> None:
    manuscript, real = generated
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "book.txt"
        source.write_text(manuscript, encoding="utf-8")
        loaded = load(source)
    words = book_words(loaded.book)
    assert is_subsequence(words, real), "a word out of order, or one the file does not hold"
    assert len(real) - len(words) == warned_words(loaded.diagnostics), (
        "words left out without a warning that counts them")
    assert word_count(loaded.book) == len(words)


# --------------------------------------------------------------------------- corpus

NOVELS = ("a-christmas-carol", "adventures-of-sherlock-holmes")


@pytest.mark.corpus
@pytest.mark.skipif(not all((CORPUS / n / "source.txt").is_file() for n in NOVELS),
                    reason=f"needs {' and '.join(NOVELS)} in {CORPUS}")
def test_the_two_novel_omnibus_builds_both_novels(tmp_path: Path) -> None:
    """A Christmas Carol's Gutenberg file then Sherlock Holmes's, in one: the book holds
    both, as many words as each novel built alone, and none of the licence."""
    texts = [(CORPUS / n / "source.txt").read_text(encoding="utf-8") for n in NOVELS]
    source = tmp_path / "omnibus.txt"
    source.write_text("".join(texts), encoding="utf-8")
    singles = [word_count(load(CORPUS / n / "source.txt").book) for n in NOVELS]
    result = build(source, tmp_path / "out", ("epub",))
    assert result.words == sum(singles)
    assert not [d for d in result.diagnostics if d.severity == "warning"
                and d.code.startswith("G")]
    epub_words = [w for kind, w in reading_stream(open_package(result.outputs["epub"]))
                  if kind == "word"]
    assert len(epub_words) >= result.words
    last = texts[1][:texts[1].index("End of the Project Gutenberg")].split()[-12:]
    assert epub_words[-12:] == last
    assert not any("gutenberg" in w.lower() for w in epub_words)
