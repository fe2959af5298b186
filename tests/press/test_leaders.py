"""A leader's dots drawn from one shaping (``press.leaders``): the same PDF bytes as WeasyPrint's
own drawing, each dot no longer shaped again."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest

from octavo.press.leaders import leaders_drawn_once
from octavo.press.tagged import write_piece
from octavo.themes import load_theme

ROWS = "".join(
    f'<li><a href="#c{n}"><span class="t">Chapter {n}{" <em>the</em> end" * (n % 3 == 0)}'
    f'</span></a></li>' for n in range(1, 40))
BODY = "".join(f'<h2 id="c{n}">Chapter {n}</h2><p>Text of chapter {n}.</p>'
               for n in range(1, 40))
PLAIN = "a { text-decoration: none } "
CASES = {
    "dots": PLAIN + 'a::after { content: leader(".") target-counter(attr(href url), page) }',
    "spaced dots": PLAIN + 'a::after { content: leader(" . ") target-counter(attr(href url), page) }',
    "a coloured leader": PLAIN + 'a::after { content: leader("."); color: #a00 }',
    "an underlined leader": 'a::after { content: leader("."); text-decoration: underline }',
    "a leader in small caps": PLAIN + 'a::after { content: leader("x"); font-variant: small-caps }',
    "a hidden leader": PLAIN + 'a::after { content: leader("."); visibility: hidden }',
    "a letter-spaced leader": PLAIN + 'a::after { content: leader("."); letter-spacing: 2px }',
    "a theme's contents": load_theme("classic").print_css,
}


def document(css: str) -> Any:
    import weasyprint

    html = (f'<html><body><nav><ol class="toc">{ROWS}</ol></nav>{BODY}</body></html>')
    return weasyprint.HTML(string=html).render(stylesheets=[weasyprint.CSS(string=css)])


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("tagged", [False, True])
def test_the_same_bytes_as_weasyprints_drawing(case: str, tagged: bool) -> None:
    laid_out = document(CASES[case])
    stock = laid_out.write_pdf(pdf_tags=tagged)
    with leaders_drawn_once():
        drawn = laid_out.write_pdf(pdf_tags=tagged)
    assert drawn == stock
    page = pdfium.PdfDocument(stock)[0].get_textpage().get_text_range()
    assert "Chapter 1" in page


@pytest.fixture
def shapings(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    from weasyprint.text.line_break import Layout

    made: list[str] = []
    original = Layout.reactivate

    def counted(self: Any, style: Any) -> Any:
        made.append(self.text)
        return original(self, style)

    monkeypatch.setattr(Layout, "reactivate", counted)
    yield made


def test_a_leaders_dots_are_not_shaped_again_for_each_dot(shapings: list[str]) -> None:
    laid_out = document(CASES["dots"])
    laid_out.write_pdf()
    dots_stock = shapings.count(".")
    shapings.clear()
    write_piece(laid_out, None)  # as octavo writes every piece
    assert dots_stock > 39 * 20  # WeasyPrint's drawing: a shaping a dot
    assert shapings.count(".") == 2 * 39  # the first two of each row
    assert len(shapings) - shapings.count(".") > 39  # the other text is drawn as it was
