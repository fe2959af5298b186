"""--format html: octavo's print HTML with its CSS and fonts, laid out by WeasyPrint alone in one
pass, gives the pages octavo's own PDF has."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import SEEDS, Built, pdf_pages_text
from octavo.errors import OctavoError
from octavo.model import Book
from octavo.press.document import PdfOptions
from octavo.press.export import _portable_css, export_print_html
from octavo.press.pieces import render_pdf
from octavo.press.scan import CONTINUED_CLASS, PAGE_CLASS
from octavo.press.settings import PrintSettings
from octavo.themes import load_theme
from printbooks import chapter, metadata, sample_book


def weasyprint_pages(html: Path) -> list[str]:
    import weasyprint

    return pdf_pages_text(weasyprint.HTML(filename=str(html)).write_pdf())


def same_pages(octavo_pages: list[str], weasyprint_pages: list[str]) -> None:
    """Page for page the same text; octavo pads the book to whole leaves with a blank verso,
    which WeasyPrint alone does not add."""
    assert octavo_pages[:len(weasyprint_pages)] == weasyprint_pages
    padding = octavo_pages[len(weasyprint_pages):]
    assert len(padding) <= 1 and all(not page.strip() for page in padding)


@pytest.fixture(scope="module")
def seed_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from octavo.build import build

    out = tmp_path_factory.mktemp("seed-html")
    result = build(SEEDS, out, ("html",))
    return result.outputs["html"]


def test_the_html_comes_with_its_stylesheet_and_the_themes_fonts(seed_html: Path) -> None:
    folder = seed_html.parent
    assert sorted(p.name for p in folder.iterdir()) == [
        "after-the-fall.css", "after-the-fall.html", "fonts"]
    theme = load_theme("classic")
    assert sorted(p.name for p in (folder / "fonts").iterdir()) == \
        sorted(p.name for p in (theme.path / "fonts").iterdir())
    assert (folder / "fonts" / "OFL.txt").is_file()
    html = seed_html.read_text(encoding="utf-8")
    assert '<link rel="stylesheet" href="after-the-fall.css"/>' in html
    assert 'class="octavo-set' in html  # octavo's chosen lines, not the manuscript's paragraphs
    css = (folder / "after-the-fall.css").read_text(encoding="utf-8")
    assert 'url("fonts/EBGaramond12-Regular.ttf")' in css
    assert "@page :first" in css and "@page chapter:blank" in css


def test_weasyprint_alone_lays_the_seed_out_as_octavo_does(seed_html: Path,
                                                            seed_build: Built) -> None:
    assert seed_build.pdf is not None
    same_pages(pdf_pages_text(seed_build.pdf), weasyprint_pages(seed_html))


def test_level_spread_breaks_are_in_the_html(tmp_path: Path) -> None:
    """A book with parts, notes and verse in the modern theme, whose spreads octavo levels
    with page breaks of its own: the exported HTML carries them."""
    book = sample_book()
    options = PdfOptions(theme=load_theme("modern"))
    exported = export_print_html(book, options, "book.css")
    assert f'{PAGE_CLASS}"' in exported.html or f'{CONTINUED_CLASS}"' in exported.html
    (tmp_path / "book.html").write_text(exported.html, encoding="utf-8")
    (tmp_path / "book.css").write_text(exported.css, encoding="utf-8")
    for relative, source in exported.assets.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, tmp_path / relative)
    same_pages(pdf_pages_text(render_pdf(book, options).data),
               weasyprint_pages(tmp_path / "book.html"))


def written(exported: object, folder: Path) -> Path:
    from octavo.press.export import PrintHtml

    assert isinstance(exported, PrintHtml)
    (folder / "book.html").write_text(exported.html, encoding="utf-8")
    (folder / "book.css").write_text(exported.css, encoding="utf-8")
    for relative, source in exported.assets.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, folder / relative)
    return folder / "book.html"


def test_a_book_without_front_matter_is_its_pieces_joined(tmp_path: Path) -> None:
    """No front matter: each chapter laid out alone carried the running heads' element; the
    document has it once, in its first chapter. The paragraphs are numbered on through the
    book, and WeasyPrint alone lays the document out as octavo laid out its pieces."""
    book = Book(metadata=metadata(), body=(chapter(1, "One", 12, 1), chapter(2, "Two", 9, 2)))
    press = replace(PrintSettings(), half_title=False, title_page=False, copyright=False,
                    contents=False)
    options = PdfOptions(theme=load_theme("classic"), press=press)
    exported = export_print_html(book, options, "book.css")
    html = exported.html
    assert html.count('class="book-strings"') == 1
    assert html.index("<section") < html.index('class="book-strings"')
    assert 'class="frontmatter"' not in html
    numbers = [int(n) for n in re.findall(r'data-octavo-p="(\d+)"', html)]
    # A paragraph carried over a page break keeps its number in its continuation.
    assert numbers == sorted(numbers) and set(numbers) == set(range(max(numbers) + 1))
    same_pages(pdf_pages_text(render_pdf(book, options).data),
               weasyprint_pages(written(exported, tmp_path)))


def test_css_urls_point_beside_the_exported_stylesheet(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    (theme / "fonts").mkdir(parents=True)
    profile = tmp_path / "elsewhere" / "cmyk.icc"
    assets: dict[str, Path] = {}
    css = _portable_css(
        '@font-face { src: url( "fonts/A.ttf" ) }\n'
        f"@color-profile x {{ src: url({profile.as_uri()}) }}\n"
        "a { background: url(data:image/png;base64,AAAA) }",
        f"{theme}/", assets)
    assert 'url("fonts/A.ttf")' in css and 'url("cmyk.icc")' in css
    assert "url(data:image/png;base64,AAAA)" in css
    assert assets == {"fonts/A.ttf": theme / "fonts" / "A.ttf", "cmyk.icc": profile}
    with pytest.raises(OctavoError, match="outside its folder"):
        _portable_css("a { background: url(../secret.png) }", f"{theme}/", {})


def test_the_books_images_are_copied_to_their_relative_paths(tmp_path: Path) -> None:
    from octavo.press.export import _images

    assets: dict[str, Path] = {}
    _images('<figure><img src="art/map%20one.png" alt=""/></figure>'
            '<img src="../outside.png"/><img src="data:image/png;base64,AAAA"/>',
            tmp_path, assets)
    assert assets == {"art/map one.png": tmp_path / "art" / "map one.png"}
