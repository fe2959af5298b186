"""WeasyPrint's user-agent sheet with its universal pseudo-element rules scoped to the elements
the document's sheets may make list items, footnotes or notes: the same PDF as with the stock
sheet, a style computed for a few pseudo-elements rather than six for every element."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest
import tinycss2  # type: ignore[import-untyped]

from octavo.press import user_agent
from octavo.press.user_agent import (
    PSEUDO_PROPERTY,
    STOCK_UA,
    UNIVERSAL_RULE,
    BookHTML,
    document_scopes,
    originating_selectors,
    scoped_ua_text,
)
from octavo.themes import available_themes, load_theme

# A list item's marker in lower-case letters on an upper-cased item: the stock ::marker rule's
# `text-transform: none` keeps it "a.", and without it the marker is "A.".
LIST_ITEM = "display: list-item; list-style: lower-alpha inside; text-transform: uppercase"
CASES = {
    "an author sheet's list item": (f"p.i {{ {LIST_ITEM} }}", '<p class="i">one</p>'),
    "a list item in @media": (f"@media print {{ p.i {{ {LIST_ITEM} }} }}",
                              '<p class="i">one</p>'),
    "a list item in @layer": (f"@layer x {{ p.i {{ {LIST_ITEM} }} }}", '<p class="i">one</p>'),
    "a list item by one colon's ::before": (
        f'p.i:before {{ content: "x"; display: list-item }} p.i {{ {LIST_ITEM}; display: block }}',
        '<p class="i">one</p>'),
    "a list item by a <style>": ("", f'<style>p.i {{ {LIST_ITEM} }}</style><p class="i">one</p>'),
    "a list item by a style attribute": ("", f'<p style="{LIST_ITEM}">one</p>'),
    "a list item by a variable": (":root { --d: list-item } p.i { list-style: lower-alpha "
                                  "inside; text-transform: uppercase; display: var(--d) }",
                                  '<p class="i">one</p>'),
    "a footnote": ("em.n { float: footnote }", '<p>body <em class="n">note</em> text</p>'),
    "a footnote by a variable": (":root { --f: footnote } em.n { float: var(--f) }",
                                 '<p>body <em class="n">note</em> text</p>'),
    "a note": ("em.n { position: note() }", '<p>body <em class="n">note</em> text</p>'),
    "the stock list items": ("ol { text-transform: uppercase; list-style: lower-alpha }",
                             "<ol><li>one</li><li>two</li></ol>"),
}


def pdf(html_class: Any, css: str, body: str, **options: Any) -> bytes:
    import weasyprint

    html = f"<html><head></head><body>{body}</body></html>"
    data: bytes = html_class(string=html, **options).write_pdf(
        stylesheets=[weasyprint.CSS(string=css)] if css else [])
    return data


def texts(data: bytes) -> list[str]:
    doc = pdfium.PdfDocument(data)
    try:
        return [page.get_textpage().get_text_range() for page in doc]
    finally:
        doc.close()


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_same_pdf_as_with_the_stock_sheet(case: str) -> None:
    import weasyprint

    css, body = CASES[case]
    stock = pdf(weasyprint.HTML, css, body)
    assert pdf(BookHTML, css, body, author_css=(css,)) == stock
    if "list" in case:
        assert "a." in " ".join(texts(stock))


def test_a_marker_the_scope_misses_is_not_the_stock_one() -> None:
    """What the PDFs above would show if the scope missed a list item (the test is not
    blind to it)."""
    css, body = CASES["an author sheet's list item"]
    assert "A." in " ".join(texts(pdf(BookHTML, css, body, author_css=())))


@pytest.fixture
def computed_pseudo_styles(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    from weasyprint.css import StyleFor

    made: list[str] = []
    original = StyleFor.set_computed_styles

    def counted(self: Any, element: Any, *args: Any, **kwargs: Any) -> Any:
        if kwargs.get("pseudo_type") and not kwargs["pseudo_type"].startswith("@"):
            made.append(kwargs["pseudo_type"])
        return original(self, element, *args, **kwargs)

    monkeypatch.setattr(StyleFor, "set_computed_styles", counted)
    yield made


@pytest.mark.parametrize("theme", available_themes())
def test_a_style_only_for_the_pseudo_elements_a_theme_gives(
        theme: str, computed_pseudo_styles: list[str]) -> None:
    sheet = load_theme(theme).print_css
    body = "".join(f"<p>Paragraph {n} of the <em>body</em>.</p>" for n in range(100))
    body += '<p>A call<span class="footnote">and its note</span>.</p>'
    pdf(BookHTML, sheet, body, author_css=(sheet,))
    assert sorted(set(computed_pseudo_styles)) == ["footnote-call", "footnote-marker"]
    assert len(computed_pseudo_styles) == 2


def test_the_stock_sheet_gives_every_element_pseudo_styles(
        computed_pseudo_styles: list[str]) -> None:
    import weasyprint

    pdf(weasyprint.HTML, "", "".join(f"<p>Paragraph {n}.</p>" for n in range(100)))
    assert len(computed_pseudo_styles) >= 600


def test_the_pseudo_elements_are_weasyprints() -> None:
    """Every pseudo-element WeasyPrint asks a style of, apart from those no user-agent rule
    gives every element, is scoped."""
    from weasyprint.css import PSEUDO_ELEMENTS

    assert set(PSEUDO_PROPERTY) == set(PSEUDO_ELEMENTS) - {
        None, "before", "after", "first-line", "first-letter"}


def test_the_scoped_sheet_is_weasyprints_but_for_the_universal_rules() -> None:
    scopes = document_scopes((STOCK_UA,))
    assert scopes is not None
    scoped = scoped_ua_text(scopes)
    assert scoped is not None and scoped != STOCK_UA
    # Scoped to every selector: the stock sheet again once the selectors are taken off.
    every = tuple((name, frozenset({"a", "b.c"})) for name, _ in scopes)
    scoped_to_every = scoped_ua_text(every)
    assert scoped_to_every is not None
    assert re.sub(r"^a::([a-z-]+), b\.c::\1 ", r"::\1 ", scoped_to_every,
                  flags=re.MULTILINE) == STOCK_UA


def test_every_universal_pseudo_element_rule_of_the_stock_sheet_is_scoped() -> None:
    universal = {match.group(0).split(" ")[0] for match in UNIVERSAL_RULE.finditer(STOCK_UA)}
    assert universal == {f"::{pseudo}" for pseudo in PSEUDO_PROPERTY}
    for rule in tinycss2.parse_stylesheet(STOCK_UA, skip_comments=True, skip_whitespace=True):
        if rule.type != "qualified-rule" or "::" not in tinycss2.serialize(rule.prelude):
            continue
        prelude = tinycss2.serialize(rule.prelude).strip()
        if "*" in (originating_selectors(rule.prelude) or {"*"}):
            assert prelude in universal, prelude


def test_a_stock_sheet_it_does_not_know_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    changed = STOCK_UA.replace("::marker {", "::first-letter { color: red }\n::marker {")
    monkeypatch.setattr(user_agent, "STOCK_UA", changed)
    scopes = document_scopes((changed,))
    assert scopes is not None and scoped_ua_text(scopes) is None


@pytest.mark.parametrize(("css", "selectors"), [
    ("p ::before, a>:after, ::marker, li.x::before {}", {"p *", "a>*", "*", "li.x"}),
    ("p:unknown-thing {}", set()),  # WeasyPrint drops the rule
])
def test_originating_selectors(css: str, selectors: set[str]) -> None:
    assert originating_selectors(tinycss2.parse_one_rule(css).prelude) == selectors


@pytest.mark.parametrize("css", [
    "@import url(other.css); p { color: red }",
    "p { & em { float: footnote } }",
    "& p { display: list-item }",
])
def test_a_sheet_it_cannot_read_for_sure_keeps_the_stock_sheet(css: str) -> None:
    assert document_scopes((STOCK_UA, css)) is None


@pytest.mark.parametrize("theme", available_themes())
def test_the_themes_have_no_universal_pseudo_element_rule(theme: str) -> None:
    for rule in tinycss2.parse_stylesheet(load_theme(theme).print_css, skip_comments=True,
                                          skip_whitespace=True):
        if rule.type == "qualified-rule":
            prelude = tinycss2.serialize(rule.prelude).strip()
            assert not prelude.startswith(":"), prelude
