"""Every word of the PDF extracts as that word, with pypdfium2 and with poppler's pdftotext:
letter-spaced small capitals (running heads, "Contents", chapter labels, part titles) must not
come out as ``c o n t e n t s``, so a reader can search a proof for what it says."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from conftest import FIXTURES, Built, build_book, pdf_pages_text

# Four or more single letters in a row, each alone between spaces: a letter-spaced word.
SPACED_LETTERS = re.compile(r"(?<!\S)(?:[^\W\d_] ){3,}[^\W\d_](?!\S)")


def pdftotext_pages(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True,
                         capture_output=True, text=True).stdout
    return out.split("\f")[:-1]


def lines(page: str) -> list[str]:
    return [" ".join(line.split()) for line in page.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def tale(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_book(FIXTURES / "tale" / "text", tmp_path_factory.mktemp("tale-words"))


@pytest.fixture(scope="module", params=["pdfium", "pdftotext"])
def tale_pages(request: pytest.FixtureRequest, tale: Built) -> list[list[str]]:
    assert tale.pdf is not None
    pages = pdf_pages_text(tale.pdf) if request.param == "pdfium" else pdftotext_pages(tale.pdf)
    return [lines(p) for p in pages]


def test_no_word_extracts_letter_by_letter(tale_pages: list[list[str]]) -> None:
    spaced = [line for page in tale_pages for line in page if SPACED_LETTERS.search(line)]
    assert spaced == []


def test_contents_running_heads_and_labels_extract_as_words(
        tale_pages: list[list[str]]) -> None:
    all_lines = [line.lower() for page in tale_pages for line in page]
    assert "contents" in all_lines
    assert "book the first" in all_lines and "book the second" in all_lines
    assert {"i", "ii", "iii"} <= set(all_lines)  # the openers' own numerals
    # The verso running head (the author) beside its folio, as words.
    heads = [line for line in all_lines if re.fullmatch(r"\d+ ann example", line)
             or line == "ann example"]
    assert heads


def test_the_seed_extracts_as_words(seed_build: Built) -> None:
    assert seed_build.pdf is not None
    for pages in (pdf_pages_text(seed_build.pdf), pdftotext_pages(seed_build.pdf)):
        text = [line for page in pages for line in lines(page)]
        assert [line for line in text if SPACED_LETTERS.search(line)] == []
        assert any("After the Fall" in line for line in text)


def test_the_pattern_finds_letter_spacing() -> None:
    assert SPACED_LETTERS.search("12 c o n t e n t s")
    assert not SPACED_LETTERS.search("I saw a man")
