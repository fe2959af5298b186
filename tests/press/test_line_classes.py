"""A set line's spacing is named by a class whose rule the document's stylesheet holds (and a
paragraph may carry its first line's), not written in a style attribute: the same values,
so the same pages, with fewer computed styles and elements for WeasyPrint."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest
from test_linebreak_render import fixture_book

from octavo.press.document import PdfOptions
from octavo.press.export import export_print_html
from octavo.press.lines import line_class, line_class_rules, with_line_class_rules
from octavo.themes import available_themes, load_theme

DECLARATIONS = [
    "letter-spacing: -0.2261px; word-spacing: 0.0000px",
    "letter-spacing: 0.0312px",
    "word-spacing: -0.4452px",
    "letter-spacing: -0.0000px; word-spacing: normal",
    "letter-spacing: normal; word-spacing: -1.2500px",
]


@pytest.mark.parametrize("declarations", DECLARATIONS)
def test_a_class_gives_back_its_declarations(declarations: str) -> None:
    name = line_class(declarations)
    assert re.fullmatch(r"-?[_a-zA-Z][-_a-zA-Z0-9]*", name)  # a CSS identifier
    assert line_class_rules(f'<span class="{name}">x</span>') == \
        f".{name} {{ {declarations} }}"


def test_each_class_used_has_one_rule_and_others_none() -> None:
    names = [line_class(d) for d in DECLARATIONS]
    html = "".join(f'<p class="octavo-set {n}"><span class="octavo-last {n}">x</span></p>'
                   for n in names + names)
    rules = line_class_rules(html).split("\n")
    assert sorted(rules) == rules and len(rules) == len(DECLARATIONS)
    assert line_class_rules('<p class="octavo-set octavo-sp-x">') == ""
    document = with_line_class_rules(f"<html><head></head><body>{html}</body></html>")
    assert document.index("<style>.octavo-sp-") < document.index("</head>")
    assert with_line_class_rules("<p>plain</p>") == "<p>plain</p>"


@pytest.fixture(scope="module", params=available_themes())
def exported(request: pytest.FixtureRequest,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    printed = export_print_html(fixture_book(), PdfOptions(theme=load_theme(request.param)),
                                "book.css")
    folder = tmp_path_factory.mktemp(f"lines-{request.param}")
    for relative, source in printed.assets.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, folder / relative)
    (folder / "book.css").write_text(printed.css, encoding="utf-8")
    yield printed.html, folder


def test_lines_name_their_spacing_in_classes_with_rules(exported: tuple[str, Path]) -> None:
    html, folder = exported
    css = (folder / "book.css").read_text(encoding="utf-8")
    assert not re.search(r'<span[^>]*style="[^"]*spacing', html)
    used = set(re.findall(r"octavo-sp-[a-z0-9_]+", html))
    assert used and all(f".{name} {{" in css for name in used)
    # Some paragraph carries its first line's spacing: that line is no span of its own.
    carried = re.findall(r'<p [^>]*class="[^"]*octavo-set octavo-sp-[^"]*"[^>]*>(.*?)\n', html)
    assert carried and all(not line.startswith('<span class="octavo-sp-') for line in carried)


def _as_style_attributes(html: str) -> tuple[str, int]:
    """``html`` as it would be with each line's spacing in a style attribute and each carried
    spacing in a span around its paragraph's first line (where that line holds no element),
    and how many paragraphs were so unfolded."""
    rules = dict(re.findall(r"\.(octavo-sp-\S+) \{ ([^}]*) \}", line_class_rules(html)))
    unfolded = 0

    def unfold(found: re.Match[str]) -> str:
        nonlocal unfolded
        start, name, rest, line = found.groups()
        if "<" in line:
            return found.group(0)
        unfolded += 1
        return f'{start}{rest}<span style="{rules[name]}">{line}\n</span>'

    html = re.sub(r'(<p [^>]*class="[^"]*octavo-set) (octavo-sp-[a-z0-9_]+)("[^>]*>)([^\n]*)\n',
                  unfold, html)
    html = re.sub(r'<span class="(octavo-last )?(octavo-sp-[a-z0-9_]+)">',
                  lambda m: (f'<span class="{m.group(1).strip()}" ' if m.group(1) else "<span ")
                  + f'style="{rules[m.group(2)]}">', html)
    return html, unfolded


def _glyphs(pdf: bytes) -> list[list[tuple[str, tuple[float, ...]]]]:
    doc = pdfium.PdfDocument(pdf)
    try:
        pages = []
        for page in doc:
            text = page.get_textpage()
            pages.append([(text.get_text_range(i, 1), text.get_charbox(i))
                          for i in range(text.count_chars())])
        return pages
    finally:
        doc.close()


def test_classes_lay_out_as_style_attributes_would(exported: tuple[str, Path]) -> None:
    import weasyprint

    html, folder = exported
    attributed, unfolded = _as_style_attributes(html)
    assert unfolded and not re.search(r"<span[^>]*octavo-sp-", attributed)
    pdfs = []
    for name, text in (("classes", html), ("attributes", attributed)):
        (folder / f"{name}.html").write_text(text, encoding="utf-8")
        pdfs.append(weasyprint.HTML(filename=str(folder / f"{name}.html")).write_pdf())
    assert _glyphs(pdfs[0]) == _glyphs(pdfs[1])
