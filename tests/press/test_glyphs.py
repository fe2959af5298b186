"""Every glyph the PDF draws is its face's glyph, in every style, in both themes, in a book
joined from many pieces and in review copies: each embedded program checked glyph by glyph
against the bundled font files (tests/glyphcheck.py)."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from conftest import FIXTURES
from glyphcheck import FontCheck, check_pdf, outline, problems
from octavo.model import Book, Chapter, Emphasis, Paragraph, SmallCaps, Strong, Text
from octavo.normalize import normalize
from octavo.press.document import PdfOptions
from octavo.press.pieces import render_pdf_in_pieces
from octavo.review.arc import make_arcs
from octavo.review.fonts import FALLBACK_DIR
from octavo.themes import load_theme
from printbooks import metadata, paragraph_text

# A letter the book faces of both themes lack and Gentium has (a modifier letter).
FALLBACK_LETTER = "\u02c0"
THEMES = ("classic", "modern")

# Italic words that are plain letters, and others with ligatures and accents (glyphs far into
# the face): the pieces' subsets of one face hold different glyphs, as a novel's chapters do.
ITALIC = ("a bit", "it is", "this time", "difficult affairs", "café", "fiancée", "him",
          "the office of the fifth officer")


def styled_chapter(n: int) -> Chapter:
    import random

    rng = random.Random(n)
    italic = ITALIC[n % len(ITALIC)]
    stop = f" {FALLBACK_LETTER}"  # in every style: the fallback face's four styles too
    styled = Paragraph((
        Text(f"Set in plain roman{stop}, "), Emphasis((Text(italic + stop),)), Text(", then "),
        Strong((Text(f"strong words {n}{stop}"),)), Text(" and "),
        Strong((Emphasis((Text(f"strong and emphatic{stop}"),)),)), Text(", "),
        SmallCaps((Text("Small Capitals"),)), Text("."),
    ))
    blocks = (Paragraph((Text(paragraph_text(rng, 3)),)), styled,
              Paragraph((Text(paragraph_text(rng, 2)),)))
    return Chapter((Text(f"Chapter {n}"),), n, blocks)


def styled_book(chapters: int = 8) -> Book:
    book = Book(metadata=metadata(), body=tuple(styled_chapter(n)
                                                for n in range(1, chapters + 1)))
    return normalize(book)[0]


def folders(theme: str) -> tuple[Path, ...]:
    return (load_theme(theme).path / "fonts",)


@pytest.fixture(scope="module", params=THEMES)
def joined(request: pytest.FixtureRequest) -> tuple[str, list[FontCheck]]:
    """The styled book joined in each theme, its embedded programs checked once."""
    theme = request.param
    result = render_pdf_in_pieces(styled_book(), PdfOptions(theme=load_theme(theme)))
    return theme, check_pdf(result.data, *folders(theme))


def test_every_glyph_of_a_joined_book_is_its_faces_glyph(
        joined: tuple[str, list[FontCheck]]) -> None:
    _theme, checks = joined
    assert checks
    assert [problem for check in checks for problem in check.problems()] == []


def test_every_style_is_set_in_its_own_face(joined: tuple[str, list[FontCheck]]) -> None:
    theme, checks = joined
    faces = {c.face.name for c in checks if c.face is not None}
    expected = {
        "classic": {"EBGaramond12-Regular.ttf", "EBGaramond12-Italic.ttf",
                    "EBGaramond-Bold.ttf", "EBGaramond-BoldItalic.ttf",
                    "GentiumBookPlus-Regular.ttf", "GentiumBookPlus-Italic.ttf",
                    "GentiumBookPlus-Bold.ttf", "GentiumBookPlus-BoldItalic.ttf"},
        "modern": {"Vollkorn-Regular.ttf", "Vollkorn-Italic.ttf", "Vollkorn-Bold.ttf",
                   "Vollkorn-BoldItalic.ttf", "GentiumPlus-Regular.ttf",
                   "GentiumPlus-Italic.ttf", "GentiumPlus-Bold.ttf",
                   "GentiumPlus-BoldItalic.ttf"},
    }[theme]
    assert expected <= faces
    # One embedded program per face and name: the pieces' subsets are joined.
    names = [c.name for c in checks]
    assert len(names) == len(set(names))


def test_a_subset_keeps_every_glyph_id_of_its_face() -> None:
    from octavo.press.fonts import face_files, subset_keeping_ids

    path = load_theme("classic").path / "fonts" / "EBGaramond12-Italic.ttf"
    [face] = face_files([path]).values()
    original = TTFont(str(path))
    i = original.getGlyphID(original.getBestCmap()[ord("i")])  # a composite: ı and a dot
    subset = TTFont(io.BytesIO(subset_keeping_ids(face.data, [i])))
    assert outline(subset, i) == outline(original, i) != ()


@pytest.fixture(scope="module")
def review_copies(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The review fixture book, with a chapter in every style, made into review copies."""
    book = tmp_path_factory.mktemp("glyph-arc") / "book"
    shutil.copytree(FIXTURES / "review" / "book", book)
    manuscript = book / "keeper.md"
    styled = ("Set in roman, *in a bit of italic*, **in strong words**, ***strong and "
              f"emphatic***, and a glottal stop {FALLBACK_LETTER} only Gentium draws.")
    manuscript.write_text(manuscript.read_text(encoding="utf-8").rstrip()
                          + f"\n\n{styled}\n", encoding="utf-8")
    # Names in the bundled fallback faces too: a CJK face's glyph ids run past 20,000, so its
    # subset is renumbered and reached through a CIDToGIDMap.
    with (book / "reviewers.csv").open("a", encoding="utf-8") as reviewers:
        reviewers.write("王小明,,\nمحمد علي,,\n")
    result = make_arcs(book, book.parent / "out", jobs=1, cache=False)
    return [result.pdf, *(c.pdf for c in result.copies)]


def test_every_glyph_of_review_copies_is_its_faces_glyph(review_copies: list[Path]) -> None:
    assert len(review_copies) > 1
    for pdf in review_copies:
        assert problems(pdf, *folders("classic"), FALLBACK_DIR) == [], pdf.name


@pytest.mark.parametrize("theme", THEMES)
def test_weasyprint_alone_sets_the_exported_html_in_each_styles_face(
        tmp_path: Path, theme: str) -> None:
    """The print HTML exported and laid out by WeasyPrint itself, as a user would: its glyphs
    are WeasyPrint's own subsets, but every style must be its own face (no synthesized bold)."""
    import weasyprint

    from octavo.build import build

    book = tmp_path / "book"
    book.mkdir()
    (book / "book.toml").write_text(f'title = "Strong"\ntheme = "{theme}"\n'
                                    'files = ["strong.md"]\n', encoding="utf-8")
    (book / "strong.md").write_text(
        f"# One\n\nSome **strong words {FALLBACK_LETTER}**, *italic words* and "
        f"***both at once {FALLBACK_LETTER}***.\n", encoding="utf-8")
    html = build(book, tmp_path / "out", ("html",)).outputs["html"]
    data = weasyprint.HTML(filename=str(html)).write_pdf()
    checks = check_pdf(data, *folders(theme))
    assert [c.style for c in checks if c.style] == []
    assert all(c.face is not None for c in checks)
    styles = {name.split("-")[-1] for name in (c.name for c in checks)}
    assert {"Bold", "Italic"} <= styles
