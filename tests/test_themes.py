"""Themes: each bundled theme is complete (CSS, fonts, licences), selectable by name or path,
and draws every character octavo's typography emits, and Greek and Cyrillic names, with its own
faces: no missing-glyph boxes."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pikepdf
import pytest
from fontTools.ttLib import TTFont

from octavo.model import Book, Chapter, Emphasis, Paragraph, SmallCaps, Strong, Text
from octavo.press.document import PdfOptions
from octavo.press.pieces import render_pdf
from octavo.themes import Theme, available_themes, load_theme
from printbooks import metadata

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
