"""Even colour on whole novels, measured from the PDF by the shared tools: each corpus novel
in its theme (conftest.corpus_themes: every theme sets at least one) at 6 x 9 in, with
octavo's optimal line breaking (the default)."""

from __future__ import annotations

import functools
import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest

from conftest import CORPUS, SHARED, Built, corpus_books, corpus_themes
from octavo.build import load
from octavo.model import Paragraph, body_chapters, inline_text, walk_blocks
from octavo.themes import available_themes

pytestmark = pytest.mark.corpus

TOOLS = SHARED / "tools"
BOOKS = corpus_books()


def tool(name: str, pdf: Path, *args: str) -> str:
    if not (TOOLS / name).is_file():
        pytest.skip(f"no {TOOLS / name}")
    run = subprocess.run([sys.executable, str(TOOLS / name), str(pdf), *args],
                         capture_output=True, text=True, check=False)
    return run.stdout.strip().splitlines()[-1]


def novel_pdf(corpus_build: Mapping[str, Built], book: str) -> Path:
    pdf = corpus_build[book].pdf
    assert pdf is not None
    return pdf


def test_every_theme_sets_a_whole_novel() -> None:
    if len(BOOKS) < len(available_themes()):
        pytest.skip("fewer corpus novels than themes")
    assert set(corpus_themes().values()) == set(available_themes())


@functools.cache
def quality(pdf: Path) -> tuple[float, int]:
    """Loose lines (%) and hyphen ladders of a PDF, measured once for both tests."""
    last = tool("page_quality.py", pdf)
    loose = re.search(r"loose lines \(> 1\.5x\) ([\d.]+)%", last)
    ladders = re.search(r"hyphen ladders (\d+)", last)
    assert loose and ladders, last
    return float(loose.group(1)), int(ladders.group(1))


@pytest.mark.parametrize("book", BOOKS)
def test_no_hyphen_ladders(corpus_build: Mapping[str, Built], book: str) -> None:
    assert quality(novel_pdf(corpus_build, book))[1] == 0


# Measured (see benchmarks/line_breaking.py): Pride and Prejudice 0.21 % in classic, 0.60 % in
# modern (1.13 % until the lines beside a drop capital stayed beside it: WeasyPrint had pushed
# some below the capital); The Adventures of Sherlock Holmes 0.37 % in modern.
@pytest.mark.parametrize("book", BOOKS)
def test_at_most_one_percent_loose_lines(corpus_build: Mapping[str, Built], book: str) -> None:
    loose, _ = quality(novel_pdf(corpus_build, book))
    assert loose <= 1.0


@pytest.mark.parametrize("book", BOOKS)
def test_no_missing_glyphs(corpus_build: Mapping[str, Built], book: str) -> None:
    assert tool("tofu.py", novel_pdf(corpus_build, book)) == "missing glyphs: 0"


@pytest.mark.parametrize("book", BOOKS)
def test_every_word_of_the_novel_is_in_the_pdf_in_order(corpus_build: Mapping[str, Built],
                                                       book: str) -> None:
    """A break never drops or repeats a character: the manuscript's words, in order, are
    the PDF's (hyphenated line ends rejoined, across pages too)."""
    from test_linebreak_render import drop_capital_forms, first_missing_word, pdf_words_of

    novel = load(CORPUS / book / "source.txt").book
    words: list[tuple[str, ...]] = []
    for chapter in body_chapters(novel):
        first = True
        for block in walk_blocks(chapter.blocks):
            if not isinstance(block, Paragraph):
                continue
            text = inline_text(block.inlines).replace("\u00a0", " ").lower().split()
            words.extend((w,) for w in text)
            if first and text:
                # A drop capital floats out of its word: "i ... chapter 1 ... t".
                words[-len(text)] = drop_capital_forms(text[0])
            first = False
    assert len(words) > 20_000
    assert first_missing_word(pdf_words_of(str(novel_pdf(corpus_build, book))), words) is None
