"""WeasyPrint's user-agent sheet with its universal pseudo-element rules scoped to the elements
the document's sheets may make list items, footnotes or notes: the same PDF as with the stock
sheet, a style computed for a few pseudo-elements rather than six for every element."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest
import tinycss2  # type: ignore[import-untyped]

from octavo.press import user_agent
from octavo.press.user_agent import PSEUDO_PROPERTY, BookHTML
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
    "a footnote by a nested rule": ("p { & em.n { float: footnote } }",
                                    '<p>body <em class="n">note</em> text</p>'),
    "the stock list items": ("ol { text-transform: uppercase; list-style: lower-alpha }",
                             "<ol><li>one</li><li>two</li></ol>"),
}


def pdf(css: str, body: str, scoped: bool = True, sheets: list[Any] | None = None) -> bytes:
    """``body`` laid out with ``css`` (with the scopes of ``sheets``, when given, rather
    than of the sheet it is laid out with)."""
    import weasyprint

    html = f"<html><head></head><body>{body}</body></html>"
    laid_with = [weasyprint.CSS(string=css)] if css else []
    document = BookHTML(laid_with if sheets is None else sheets, string=html) if scoped \
        else weasyprint.HTML(string=html)
    data: bytes = document.write_pdf(stylesheets=laid_with)
    return data


def texts(data: bytes) -> list[str]:
    doc = pdfium.PdfDocument(data)
    try:
        return [page.get_textpage().get_text_range() for page in doc]
    finally:
        doc.close()


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_same_pdf_as_with_the_stock_sheet(case: str) -> None:
    css, body = CASES[case]
    stock = pdf(css, body, scoped=False)
    assert pdf(css, body) == stock
    if "list" in case:
        assert "a." in " ".join(texts(stock))


def test_a_marker_the_scope_misses_is_not_the_stock_one() -> None:
    """What the PDFs above would show if the scope missed a list item (the test is not
    blind to it)."""
    css, body = CASES["an author sheet's list item"]
    assert "A." in " ".join(texts(pdf(css, body, sheets=[])))


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
    pdf(sheet, body)
    assert sorted(set(computed_pseudo_styles)) == ["footnote-call", "footnote-marker"]
    assert len(computed_pseudo_styles) == 2


def test_the_stock_sheet_gives_every_element_pseudo_styles(
        computed_pseudo_styles: list[str]) -> None:
    pdf("", "".join(f"<p>Paragraph {n}.</p>" for n in range(100)), scoped=False)
    assert len(computed_pseudo_styles) >= 600


def matched(matcher: Any, element: Any) -> list[tuple[Any, ...]]:
    return [(specificity, order, pseudo, id(payload))
            for specificity, order, pseudo, payload in matcher.match(element)]


def test_the_scoped_sheet_matches_what_weasyprints_does_where_it_is_read() -> None:
    """Every element of a document with list items and footnotes matches the same rules of
    the scoped sheet as of WeasyPrint's, but those for pseudo-elements it cannot have."""
    import cssselect2  # type: ignore[import-untyped]
    import tinyhtml5  # type: ignore[import-untyped]
    import weasyprint
    from weasyprint.html import UA_STYLESHEET

    css = "span.n { float: footnote } p.i::after { display: list-item; content: 'x' }"
    root = tinyhtml5.parse(
        '<html><body><h1 id="t" lang="en">Title</h1><ol><li>one</li></ol>'
        '<p class="i">a <span class="n">note</span> <em>b</em></p><table><tr><td>c</td>'
        "</tr></table></body></html>", namespace_html_elements=False)
    scoped = user_agent.scoped_ua_sheet((weasyprint.CSS(string=css),)).matcher
    can_have = {"html": set(), "li": {"marker"}, "span": {"footnote-call", "footnote-marker"},
                "p": {"marker"}}
    for element in cssselect2.ElementWrapper.from_html_root(root).iter_subtree():
        kept = {pseudo for pseudo in PSEUDO_PROPERTY if pseudo not in
                can_have.get(element.local_name, set())}
        expected = [m for m in matched(UA_STYLESHEET.matcher, element) if m[2] not in kept]
        assert matched(scoped, element) == expected, element.local_name
    assert not [entry for entry in scoped.other_selectors if entry[3] in PSEUDO_PROPERTY]


def test_the_stock_sheet_has_a_rule_for_every_element_and_scoped_pseudo_element() -> None:
    """What the scoping is for (a WeasyPrint whose sheet no longer has them needs none)."""
    from weasyprint.html import UA_STYLESHEET

    universal = {entry[3] for entry in UA_STYLESHEET.matcher.other_selectors
                 if entry[3] in PSEUDO_PROPERTY and entry[1] == (0, 0, 1)}
    assert universal == set(PSEUDO_PROPERTY)


def test_the_pseudo_elements_are_weasyprints() -> None:
    """Every pseudo-element WeasyPrint asks a style of, apart from those no user-agent rule
    gives every element, is scoped."""
    from weasyprint.css import PSEUDO_ELEMENTS

    assert set(PSEUDO_PROPERTY) == set(PSEUDO_ELEMENTS) - {
        None, "before", "after", "first-line", "first-letter"}


@pytest.mark.parametrize(("name", "value", "may"), [
    ("display", ("block", "flow", "list-item"), True), ("display", ("block", "flow"), False),
    ("display", "inherit", True), ("float", "footnote", True), ("float", "left", False),
    ("position", ("note()", None), True), ("position", "static", False),
    ("float", object(), True),  # a variable's value: known at layout
])
def test_what_gives_a_pseudo_element(name: str, value: Any, may: bool) -> None:
    assert user_agent.gives(name, value) is may


@pytest.mark.parametrize("theme", available_themes())
def test_the_themes_have_no_universal_pseudo_element_rule(theme: str) -> None:
    for rule in tinycss2.parse_stylesheet(load_theme(theme).print_css, skip_comments=True,
                                          skip_whitespace=True):
        if rule.type == "qualified-rule":
            prelude = tinycss2.serialize(rule.prelude).strip()
            assert not prelude.startswith(":"), prelude
