"""A line octavo chose is the line printed: WeasyPrint never wraps a chosen line again.

``press.rebroken`` compares the chosen lines with the lines WeasyPrint laid out; here on small
documents whose answer is known, then on books built to shrink lines as far as they go at word
pieces whose shaping changes when a word is broken (a ligature across a hyphenation point,
kerning at an inline boundary), in every theme."""

from __future__ import annotations

import random
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import SEEDS
from octavo.model import Book, Chapter, Emphasis, Inline, Metadata, Paragraph, Text
from octavo.press.document import PdfOptions
from octavo.press.pieces import render_pdf
from octavo.press.rebroken import chosen_lines, printed_lines, rebroken_lines
from octavo.themes import available_themes, load_theme


def laid_out(body: str) -> Any:
    from weasyprint import HTML

    css = "@page { size: 400px 400px; margin: 0 } body { margin: 0; font-size: 16px }"
    return HTML(string=f"<html><head><style>{css}</style></head><body>{body}</body></html>"
                ).render()


def test_a_chosen_line_wrapped_again_is_found() -> None:
    long_line = "a line far too long to be set in the measure this paragraph is given"
    document = laid_out(
        '<p class="octavo-set" data-octavo-p="3" style="width: 200px">'
        f"short line<br/>{long_line}<br/><span>last</span> line</p>")
    found = rebroken_lines(document)
    assert [(line.paragraph, line.chosen) for line in found] == [(3, long_line)]
    assert len(found[0].printed) > 3


def test_a_kept_newline_is_a_chosen_break() -> None:
    # Set lines end in a newline their paragraph's ``pre-line`` keeps: each is a line.
    long_line = "a line far too long to be set in the measure this paragraph is given"
    document = laid_out(
        '<p class="octavo-set" data-octavo-p="4" style="width: 200px; white-space: pre-line">'
        f"short <em>line\n</em>{long_line}\n<span>last</span> line</p>")
    found = rebroken_lines(document)
    assert [(line.paragraph, line.chosen) for line in found] == [(4, long_line)]
    assert found[0].printed[0] == "short line"


def test_lines_printed_as_chosen_are_not_reported() -> None:
    document = laid_out(
        '<p class="octavo-set" data-octavo-p="0" style="width: 300px">'
        '<span style="float: left; font-size: 40px">T</span>he first <em>line</em>,<br/>'
        "the  second\nline</p>"
        '<p data-octavo-p="1" style="width: 50px">not set by octavo, so wrapped freely</p>')
    assert rebroken_lines(document) == []
    printed = printed_lines(document)
    assert list(printed) == [0]
    # The drop capital floats beside the lines: in neither the chosen nor the printed text.
    assert printed[0].lines == ["he first line,", "the second line"]
    assert chosen_lines(printed[0].elements[0], printed[0].floating) == printed[0].lines


# Words whose hyphenation points fall inside a ligature or beside a kerned pair, so that the
# pieces of a broken word are shaped differently from the word whole; short words to fill.
STRESS_WORDS = str.split(
    "different difficult sufficient officer suffering affection effort offered afflicted "
    "baffling effective coffee efficient chiefly scaffold muffled waffle traffic official "
    "flourish refined affluent Avoyelles Tawny WAVE "
    "and the of a to in was her his it that she had with for but not as")


def stress_inlines(rng: random.Random) -> tuple[Inline, ...]:
    words = [rng.choice(STRESS_WORDS) for _ in range(rng.randint(40, 90))]
    out: list[Inline] = []
    for n, word in enumerate(words):
        text = (word.capitalize() if n == 0 else " " + word)
        if rng.random() < 0.08:
            # An italic word, its comma outside: shaped apart, no kerning across.
            if n:
                out.append(Text(" "))
            out.append(Emphasis((Text(word),)))
            out.append(Text(","))
        else:
            out.append(Text(text))
    out.append(Text("."))
    return tuple(out)


def stress_book(seed: int = 1, paragraphs: int = 30) -> Book:
    rng = random.Random(seed)
    body = tuple(Paragraph(stress_inlines(rng)) for _ in range(paragraphs))
    return Book(metadata=Metadata(title="Shrunk Lines", authors=("A. Writer",), language="en",
                                  identifier="urn:uuid:00000000-0000-4000-8000-00000000abce"),
                body=(Chapter((Text("Tight"),), 1, body),))


@pytest.mark.parametrize("theme", available_themes())
def test_no_chosen_line_is_wrapped_again(theme: str) -> None:
    result = render_pdf(stress_book(), PdfOptions(theme=load_theme(theme)))
    assert result.rebroken == ()


@pytest.mark.parametrize("theme", available_themes())
def test_the_seed_prints_its_chosen_lines(theme: str, tmp_path: Path) -> None:
    """Laid out chapter by chapter, as a build does (the chapter cache is not used)."""
    from octavo.build import load

    folder = tmp_path / "book"
    shutil.copytree(SEEDS, folder)
    toml = folder / "book.toml"
    toml.write_text(f'theme = "{theme}"\n' + toml.read_text(encoding="utf-8"), encoding="utf-8")
    loaded = load(folder)
    result = render_pdf(loaded.book, PdfOptions(theme=loaded.theme, trim=loaded.settings.trim,
                                                allowed_roots=(loaded.settings.root,)))
    assert result.rebroken == ()
