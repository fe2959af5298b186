"""Labels in small capitals extract as written: a roman chapter number reads "Chapter II" in
the PDF's text (copied, searched, read aloud), not "chapter ii". A theme may set a label in
capitals (text-transform: uppercase reads "CHAPTER II", still the same letters), never lowercase
it to reach its small capitals (all-small-caps sets the capitals themselves as small ones)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import Built, build_book, pdf_pages_text
from octavo.render.labels import roman
from octavo.themes import available_themes

TITLE = "Small Capitals"
AUTHOR = "Ada Writer"
PUBLISHER = "Octavo Sample Press"
CHAPTERS = ("The Arrival", "A Letter", "Winter Roads")


def write_book(folder: Path, theme: str) -> Path:
    folder.mkdir()
    (folder / "book.toml").write_text(
        f'title = "{TITLE}"\nauthor = "{AUTHOR}"\nlanguage = "en"\n'
        f'publisher = "{PUBLISHER}"\ntheme = "{theme}"\n'
        '[print]\nchapter_numbers = "roman"\nrunning_head = "title"\n', encoding="utf-8")
    prose = ("She walked slowly to the window where the light of evening lay across the floor "
             "like water, and the house was quiet. ") * 12
    (folder / "text.md").write_text(
        "\n".join(f"# {title}\n\n{prose}\n\n{prose}\n" for title in CHAPTERS), encoding="utf-8")
    return folder


@pytest.fixture(scope="module", params=available_themes())
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp(f"small-caps-{request.param}")
    return build_book(write_book(root / "book", request.param), root / "out")


def as_written(found: str, written: str) -> bool:
    """The letters as written, or all in capitals (a theme's uppercase label)."""
    return found in (written, written.upper())


def test_roman_chapter_numbers_extract_in_capitals(built: Built) -> None:
    assert built.pdf is not None
    pages = pdf_pages_text(built.pdf)
    for n, title in enumerate(CHAPTERS, start=1):
        opener = next(page for page in pages if title in page
                      and re.search(r"chapter", page, re.IGNORECASE))
        label = re.search(r"\b(chapter) +([ivxlc]+)\b", opener, re.IGNORECASE)
        assert label is not None, opener[:200]
        assert as_written(label.group(1), "Chapter"), label.group(0)
        assert label.group(2) == roman(n), label.group(0)


@pytest.mark.parametrize("label", [TITLE, AUTHOR, PUBLISHER, "Contents"])
def test_display_labels_and_running_heads_extract_as_written(built: Built, label: str) -> None:
    assert built.pdf is not None
    text = "\n".join(pdf_pages_text(built.pdf))
    found = re.findall(re.escape(label), text, re.IGNORECASE)
    assert found, label
    assert all(as_written(f, label) for f in found), found
