"""benchmarks/bench_build.py: its options, and the joined book it measures (about 500,000
words, each chapter once, the marks of a real book intact)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from types import ModuleType

import pytest

from conftest import CORPUS, ROOT, corpus_books
from scoring import load_module


@cache
def bench() -> ModuleType:
    return load_module("bench_build", ROOT / "benchmarks" / "bench_build.py")


def test_help_prints_the_usage_and_runs_nothing(capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    def no_run(*_: object, **__: object) -> None:
        raise AssertionError("--help ran the benchmark")

    monkeypatch.setattr(bench(), "measure", no_run)
    monkeypatch.setattr(bench(), "ensure_pandoc", no_run)
    bench().main(["--help"])
    out = capsys.readouterr().out
    assert out.startswith("usage: python benchmarks/bench_build.py")
    assert "--rounds=N" in out and "--books=" in out


def test_options() -> None:
    options = bench().parse(["--books=joined", "--rounds=3", "my.txt"])
    assert (options.books, options.rounds, options.novel) == (("joined",), 3, Path("my.txt"))
    assert bench().parse(["-h"]) is None
    for wrong in (["--rounds=0"], ["--rounds=x"], ["--books=all"], ["--fast"]):
        with pytest.raises(SystemExit):
            bench().parse(wrong)


@pytest.mark.parametrize(("paragraph", "reversed_"), [
    ("It was Mrs. Hudson. She came in. I saw Dr. Watson.",
     "I saw Dr. Watson. She came in. It was Mrs. Hudson."),
    # Speech keeps its marks around its own sentences, a speech tag's last words stay last.
    ('"It is. Really it is. I think," said he. "Go on. Now."',
     '"Now. Go on." "Really it is. It is. I think," said he.'),
    # Italics are never cut; a quotation in single marks is left whole.
    ("_Very well. Go._ He left. \"She said 'Go. Now.' Yes.\"",
     "\"She said 'Go. Now.' Yes.\" He left. _Very well. Go._"),
    ("ADVENTURE II. THE RED-HEADED LEAGUE", "ADVENTURE II. THE RED-HEADED LEAGUE"),
])
def test_sentences_reversed(paragraph: str, reversed_: str) -> None:
    assert bench().reversed_sentences(paragraph) == reversed_


def test_speech_running_on_keeps_its_ends() -> None:
    """A paragraph going on with the last one's speech still opens with it; one whose speech
    goes on into the next still ends with it."""
    text = '"Go on," said he. He sat. "It was late. I ran.'
    assert bench().reversed_sentences(text, continues_speech=True) == \
        '"Go on," said he. He sat. "I ran. It was late.'
    assert bench().reversed_sentences(text) == 'He sat. "Go on," said he. "I ran. It was late.'


def test_only_the_body_prose_changes() -> None:
    text = ("Header line. Another.\n*** START OF THE BOOK ***\n\nCHAPTER I. THE START\n\n"
            "One. Two words here.\n\n    Verse line. Set in.\n    Another line.\n\n"
            "*** END OF THE BOOK ***\nLicence. Text.\n")
    assert bench().with_reversed_sentences(text) == (
        "Header line. Another.\n*** START OF THE BOOK ***\n\nCHAPTER I. THE START\n\n"
        "Two words here. One.\n\n    Verse line. Set in.\n    Another line.\n\n"
        "*** END OF THE BOOK ***\nLicence. Text.\n")


@pytest.mark.corpus
@pytest.mark.skipif(len(corpus_books()) < 2, reason=f"needs the corpus in {CORPUS}")
def test_joined_book_is_long_and_repeats_no_chapter(tmp_path: Path) -> None:
    book = bench().joined_corpus(tmp_path)
    shape = bench().shape(book)  # refuses a book with a chapter's text twice
    assert shape.words >= 0.9 * bench().JOINED_TARGET_WORDS
    # Every book's chapters found twice: no run of text read as one chapter.
    assert shape.largest_words < 20_000
    assert len(bench().manuscripts(book)) == 2 * len(corpus_books())
