"""Only the margin boxes some rule may draw handed to WeasyPrint (none for a body piece, whose
every box is emptied): the same pages, without a style computed for every other box on every
page."""

from __future__ import annotations

from typing import Any

import pytest
import weasyprint

from octavo.press.chapters import Stylesheets, layout_function
from octavo.press.join import NO_MARGIN_BOXES_CSS
from octavo.press.margin_rules import drawn_margin_boxes, margin_boxes_kept

# The folio's box is wider than its text: where it sits in it is the user agent's
# ``text-align: right`` for @bottom-right, a rule that must stay.
THEME = """@page { size: 4in 5in; margin: 1in; @top-center { content: "Running head"; }
  @top-left { content: none; } @left-top { color: red; } }
@page :left { @bottom-left { content: counter(page); } }
@page chapter:right { @bottom-right { content: "Folio " counter(page); width: 1.5in; } }
section { page: chapter; }"""
HTML = ("<html><body><section>" + "".join(f"<p>Paragraph {n} of the body.</p>"
                                          for n in range(40)) + "</section></body></html>")


def agent_sheet() -> weasyprint.CSS:
    return weasyprint.HTML(string="<p></p>")._ua_stylesheets()[0]


def test_the_boxes_drawn_are_those_given_content() -> None:
    assert drawn_margin_boxes([agent_sheet(), weasyprint.CSS(string=THEME)]) == {
        "@top-center", "@bottom-left", "@bottom-right"}


def test_a_kept_sheet_names_no_other_box_and_leaves_the_sheet_whole() -> None:
    agent = agent_sheet()
    before = len(agent.page_rules)
    kept = margin_boxes_kept(agent, frozenset({"@top-center"}))
    named = {pseudo for _, selectors, _ in kept.page_rules for _, pseudo, _ in selectors}
    assert named == {None, "@footnote", "@note-area", "@top-center"}
    assert len(agent.page_rules) == before > len(kept.page_rules)
    assert margin_boxes_kept(agent, frozenset({"@top-center"})) is kept


def test_the_pages_are_weasyprints_own() -> None:
    css = Stylesheets(((THEME, ""),), "", (), -1)
    for extra in ("", NO_MARGIN_BOXES_CSS):
        ours = layout_function(css, extra)(HTML).write_pdf()
        alone = weasyprint.HTML(string=HTML).write_pdf(
            stylesheets=[weasyprint.CSS(string=sheet) for sheet in (THEME, extra)])
        assert ours == alone
    # A document's own sheet naming a margin box: every rule kept.
    styled = HTML.replace("<body>", "<head><style>@page { @bottom-center { content: 'x' } }"
                          "</style></head><body>")
    assert layout_function(css)(styled).write_pdf() == weasyprint.HTML(string=styled).write_pdf(
        stylesheets=[weasyprint.CSS(string=THEME)])


def margin_box_styles(monkeypatch: pytest.MonkeyPatch, css: Stylesheets, extra: str) -> set[str]:
    """The margin boxes a layout by ``layout_function`` computed a style for."""
    from weasyprint.css import StyleFor

    made: set[str] = set()
    original = StyleFor.set_computed_styles

    def counted(self: Any, element: Any, *args: Any, **kwargs: Any) -> Any:
        pseudo = kwargs.get("pseudo_type") or ""
        if pseudo.startswith("@") and pseudo not in ("@footnote", "@note-area"):
            made.add(pseudo)
        return original(self, element, *args, **kwargs)

    with monkeypatch.context() as patched:
        patched.setattr(StyleFor, "set_computed_styles", counted)
        layout_function(css, extra)(HTML)
    return made


def test_a_layout_computes_styles_only_for_the_boxes_drawn(
        monkeypatch: pytest.MonkeyPatch) -> None:
    css = Stylesheets(((THEME, ""),), "", (), -1)
    # The user agent's sheet names all sixteen boxes on every page; the theme's drawn ones.
    assert margin_box_styles(monkeypatch, css, "") == {
        "@top-center", "@bottom-left", "@bottom-right"}
    assert margin_box_styles(monkeypatch, css, NO_MARGIN_BOXES_CSS) == set()
