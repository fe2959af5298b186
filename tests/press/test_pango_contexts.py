"""WeasyPrint's text layouts on shared Pango contexts and font descriptions
(``press.pango_contexts``): the same PDF bytes, a context per direction and language instead of
one per layout."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from octavo.themes import load_theme

PARAGRAPHS = "".join(
    f'<p lang="{("en", "fr", "de", "")[n % 4]}"{" dir=rtl" * (n % 7 == 0)}>Paragraph {n}: '
    f"<em>the</em> office&#x2014;<b>first</b> <u>fluffy</u> <s>affair</s> "
    f'<span style="font-variant: small-caps">Mr. Darcy</span> '
    f'<span style="letter-spacing: {n % 3}px; word-spacing: {n % 2}px">spaced</span> '
    f'<span style="font-language-override: \'TRK\'">fi</span> '
    f'<span style="font-size: {9 + n % 4}pt; font-feature-settings: \'onum\'">1813</span> '
    f"\u05e9\u05dc\u05d5\u05dd ok.</p>" for n in range(40))
CSS = load_theme("classic").print_css + " u { text-decoration: underline overline }"


def written() -> bytes:
    import weasyprint

    html = f"<html lang=en><body><h1>Title</h1>{PARAGRAPHS}</body></html>"
    document = weasyprint.HTML(string=html).render(stylesheets=[weasyprint.CSS(string=CSS)])
    return bytes(document.write_pdf())


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Pango contexts and font descriptions made (WeasyPrint's modules and the shim read
    ``pango`` from these modules)."""
    from weasyprint.text import ffi, fonts, line_break

    counts: Counter[str] = Counter()
    real = ffi.pango

    class Counting:
        def __getattr__(self, name: str) -> Any:
            function = getattr(real, name)
            if name not in ("pango_font_map_create_context", "pango_font_description_new",
                            "pango_layout_new"):
                return function

            def counted(*args: Any) -> Any:
                counts[name] += 1
                return function(*args)
            return counted

    for module in (ffi, fonts, line_break):
        monkeypatch.setattr(module, "pango", Counting())
    return counts


def test_the_same_bytes_from_few_contexts(monkeypatch: pytest.MonkeyPatch,
                                          made: Counter[str]) -> None:
    from weasyprint.text.line_break import Layout

    from octavo.press import pango_contexts

    pango_contexts.share_pango_contexts()
    monkeypatch.setattr(Layout, "setup", pango_contexts.stock_setup)
    stock = written()
    layouts = made["pango_layout_new"]
    assert layouts > 300
    # WeasyPrint's own setup still makes a context and a description for every layout.
    assert made["pango_font_map_create_context"] == layouts
    assert made["pango_font_description_new"] >= layouts
    made.clear()

    monkeypatch.setattr(Layout, "setup", pango_contexts._setup)
    assert written() == stock
    assert made["pango_layout_new"] == layouts
    assert made["pango_font_map_create_context"] <= 8
    assert made["pango_font_description_new"] <= 40


def test_laying_out_with_octavo_shares_them() -> None:
    from weasyprint.text.line_break import Layout

    from octavo.press import pango_contexts, user_agent

    assert user_agent.BookHTML
    assert Layout.setup is pango_contexts._setup
