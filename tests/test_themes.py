"""Themes: each bundled theme is complete (CSS, fonts, licences), selectable by name or path,
and draws every character octavo's typography emits, and Greek and Cyrillic names, with its own
faces: no missing-glyph boxes."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path
from typing import Any

import pikepdf
import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest
import tinycss2
from fontTools.ttLib import TTFont

from octavo.errors import OctavoError
from octavo.model import Book, Chapter, Emphasis, Paragraph, SmallCaps, Strong, Text
from octavo.press.document import PdfOptions
from octavo.press.pieces import render_pdf
from octavo.themes import BASE, Theme, available_themes, base_css, load_theme, styles_root
from printbooks import metadata, sample_book, zone_texts

# Every character the typography rules may put in a text.
EMITTED = "—–…’“”‘«»„‚′″\u00a0\u202f\u2060\u2e3a\u2e3b"
NAMES = "Αλέξανδρος Παπαδόπουλος · Анна Соколова · Zoë Brontë-Łukasiewicz"


def test_at_least_two_themes() -> None:
    assert {"classic", "modern"} <= set(available_themes())


@pytest.mark.parametrize("name", ["classic", "modern"])
def test_theme_folder_is_complete(name: str) -> None:
    theme = load_theme(name)
    for css in ("theme.css", "print.css", "epub.css"):
        assert (theme.path / css).is_file(), css
    assert theme.fonts
    licences = list((theme.path / "fonts").glob("*.txt"))
    assert licences and all("SIL OPEN FONT LICENSE" in p.read_text() for p in licences)
    for url in re.findall(r"url\(([^)]+)\)", theme.print_css):
        assert (theme.path / url.strip("'\"")).is_file(), url


def face_stack(theme: Theme) -> list[set[int]]:
    return [set(TTFont(str(f), fontNumber=0).getBestCmap()) for f in theme.fonts]


@pytest.mark.parametrize("name", ["classic", "modern"])
def test_fonts_cover_emitted_characters_and_scripts(name: str) -> None:
    covered = set().union(*face_stack(load_theme(name)))
    missing = [f"U+{ord(c):04X}" for c in EMITTED + NAMES if ord(c) not in covered]
    assert missing == []


def every_style_book() -> Book:
    run = f"Names {NAMES}; marks {EMITTED} end."
    blocks = (
        Paragraph((Text(run),)),
        Paragraph((Emphasis((Text(run),)),)),
        Paragraph((Strong((Text(run),)),)),
        Paragraph((Strong((Emphasis((Text(run),)),)),)),
        Paragraph((SmallCaps((Text(run),)),)),
    )
    chapters = (Chapter((Text(f"Heading {EMITTED}"),), 1, blocks),
                Chapter((Text(NAMES),), 2, blocks))
    return Book(metadata=metadata(), body=chapters)


def missing_glyphs(data: bytes) -> list[str]:
    """Characters drawn as glyph 0 (.notdef): each Type0 font's encoding CMap maps the code
    to CID 0 while its ToUnicode still names the character."""
    out = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for font in (page.Resources.get("/Font") or {}).values():
                encoding, to_unicode = font.get("/Encoding"), font.get("/ToUnicode")
                if not isinstance(encoding, pikepdf.Stream) or to_unicode is None:
                    continue
                cids = dict(re.findall(r"<([0-9a-f]+)>\s*(\d+)",
                                       encoding.read_bytes().decode("latin-1").lower()))
                uni = dict(re.findall(r"<([0-9a-f]+)>\s*<([0-9a-f]+)>",
                                      to_unicode.read_bytes().decode("latin-1").lower()))
                for code, cid in cids.items():
                    if cid == "0" and code in uni:
                        out.append(bytes.fromhex(uni[code]).decode("utf-16-be"))
    return out


@pytest.mark.parametrize("name", ["classic", "modern"])
def test_no_missing_glyphs_in_any_style(name: str) -> None:
    result = render_pdf(every_style_book(), PdfOptions(theme=load_theme(name)))
    assert missing_glyphs(result.data) == []
    with pikepdf.open(io.BytesIO(result.data)) as pdf:
        fonts = {str(f.BaseFont).split("+")[-1] for p in pdf.pages
                 for f in (p.Resources.get("/Font") or {}).values()}
    assert not any("DejaVu" in f for f in fonts), fonts  # never a system face


def test_theme_by_path(tmp_path: Path) -> None:
    shutil.copytree(load_theme("modern").path, tmp_path / "house")
    theme = load_theme("house", tmp_path)
    assert theme.path == (tmp_path / "house").resolve()
    data = render_pdf(every_style_book(), PdfOptions(theme=theme)).data
    with pikepdf.open(io.BytesIO(data)) as pdf:
        fonts = {str(f.BaseFont) for p in pdf.pages
                 for f in (p.Resources.get("/Font") or {}).values()}
    assert any("Vollkorn" in f for f in fonts)


def test_the_base_is_no_theme(tmp_path: Path) -> None:
    """styles/base lies under every theme and has no faces: a book cannot choose it by name,
    but a book's own theme folder may still be called base."""
    assert (styles_root() / BASE / "theme.css").is_file()
    assert BASE not in available_themes()
    with pytest.raises(OctavoError, match="unknown theme 'base'"):
        load_theme(BASE, tmp_path)
    (tmp_path / BASE).mkdir()
    (tmp_path / BASE / "theme.css").write_text("p { text-indent: 2em; }\n")
    assert load_theme(BASE, tmp_path).path == (tmp_path / BASE).resolve()


def test_base_sheets_have_no_faces_nor_urls() -> None:
    """A url() resolves against the theme's folder, which is not the base's."""
    for name in ("theme.css", "print.css", "epub.css"):
        css = re.sub(r"/\*.*?\*/", "", base_css(name), flags=re.S)
        assert css.strip() and "url(" not in css and "@font-face" not in css, name


def rules(css: str) -> set[tuple[str, str]]:
    """Each rule as (prelude, declarations), whitespace and comments dropped."""
    out = set()
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type in ("qualified-rule", "at-rule") and rule.content is not None:
            out.add((" ".join(tinycss2.serialize(rule.prelude).split()),
                     " ".join(tinycss2.serialize(rule.content).split())))
    return out


@pytest.mark.parametrize("name", ["classic", "modern"])
def test_bundled_themes_do_not_repeat_the_base(name: str) -> None:
    theme = load_theme(name)
    for sheet in ("theme.css", "print.css", "epub.css"):
        assert rules(theme.own_css(sheet)) & rules(base_css(sheet)) == set(), sheet
        assert theme.css(sheet).index(base_css(sheet)) == 0
        assert theme.css(sheet).endswith(theme.own_css(sheet))


def test_a_theme_by_path_is_laid_over_the_base(tmp_path: Path) -> None:
    """A theme of one rule still has its notes at the foot of the page and folios on the
    openers and the front matter: the base gives them; its own rule comes after the base's."""
    house = tmp_path / "house"
    house.mkdir()
    (house / "theme.css").write_text("p { text-indent: 2em; }\n")
    theme = load_theme("house", tmp_path)
    assert theme.shared_css.endswith("p { text-indent: 2em; }\n")
    assert theme.print_css.startswith(base_css("theme.css"))
    assert base_css("epub.css") in theme.epub_css
    pdf = tmp_path / "house.pdf"
    pdf.write_bytes(render_pdf(sample_book(), PdfOptions(theme=theme)).data)
    doc = pdfium.PdfDocument(str(pdf))
    try:
        (page, note), = [(i, at(text, "A note set at the foot")) for i in range(len(doc))
                         if "A note set" in (text := doc[i].get_textpage()).get_text_range()]
        height, page_text = doc[page].get_height(), doc[page].get_textpage().get_text_range()
    finally:
        doc.close()
    # Floated to the foot of the page, after its text, not set inline where it is called.
    assert note < height / 4 and page_text.rstrip().endswith("where it is called.")
    feet = zone_texts(pdf, "foot")
    assert any(foot.strip().isdigit() for foot in feet)  # an opener's folio
    assert any(re.fullmatch(r"[ivxl]+", foot) for foot in feet)  # the front matter's


def at(text: Any, words: str) -> float:
    """The baseline height (points from the page's foot) where ``words`` start."""
    index, _count = text.search(words).get_next()
    return float(text.get_charbox(index)[1])
