"""A body piece's margin boxes emptied by one ``@page`` rule rather than one for each page name
and side, where no stylesheet could outrank that rule: the same pages, fewer rules for
WeasyPrint to match at every page."""

from __future__ import annotations

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest

from octavo.press.join import NO_MARGIN_BOXES_CSS
from octavo.press.margin_rules import EVERY_MARGIN_BOX_EMPTY, margin_boxes_emptied

THEME = """@page { size: 4in 5in; margin: 1in; @top-center { content: "Running head"; } }
@page :left { @bottom-left { content: counter(page); } }
@page chapter:right { @bottom-right { content: "Folio " counter(page); } }
section { page: chapter; }"""
# A margin box's own !important content, by a more specific page selector than one rule's.
OUTRANKING = '@page chapter:right { @top-right { content: "Kept" !important; } }'
HTML = ("<html><body><section>" + "".join(f"<p>Paragraph {n} of the body.</p>"
                                          for n in range(40)) + "</section></body></html>")


def page_texts(*sheets: str) -> list[str]:
    import weasyprint

    pdf = weasyprint.HTML(string=HTML).write_pdf(
        stylesheets=[weasyprint.CSS(string=sheet) for sheet in sheets])
    doc = pdfium.PdfDocument(pdf)
    try:
        return [page.get_textpage().get_text_range() for page in doc]
    finally:
        doc.close()


def test_one_rule_empties_them_where_nothing_outranks_it() -> None:
    assert margin_boxes_emptied(NO_MARGIN_BOXES_CSS, (THEME,)) == EVERY_MARGIN_BOX_EMPTY
    assert EVERY_MARGIN_BOX_EMPTY.count("@page") == 1
    pages = page_texts(THEME, EVERY_MARGIN_BOX_EMPTY)
    assert len(pages) > 2 and not any("Running" in p or "Folio" in p for p in pages)
    assert pages == page_texts(THEME, NO_MARGIN_BOXES_CSS)


def test_a_sheet_that_could_outrank_it_keeps_the_rule_for_each_page() -> None:
    assert margin_boxes_emptied(NO_MARGIN_BOXES_CSS, (THEME, OUTRANKING)) == NO_MARGIN_BOXES_CSS
    # Why: the one rule would lose to the more specific !important box.
    assert any("Kept" in p for p in page_texts(THEME, OUTRANKING, EVERY_MARGIN_BOX_EMPTY))
    assert not any("Kept" in p for p in page_texts(THEME, OUTRANKING, NO_MARGIN_BOXES_CSS))


@pytest.mark.parametrize("sheet", ["p { color: red; }", "@page { @top-left { content: none; } }",
                                   "@page { @top-left { content: none !important; } }"])
def test_other_sheets_are_left_as_they_are(sheet: str) -> None:
    assert margin_boxes_emptied(sheet, (THEME,)) == sheet
