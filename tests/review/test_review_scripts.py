"""Reviewer names in scripts the theme's faces lack (Chinese, Japanese, Korean, Arabic, Hebrew,
Devanagari, Thai) are stamped in bundled fallback faces, shaped by HarfBuzz, subset per copy,
and read back as text on every page with pypdfium2 and pdftotext, right-to-left names in
logical order."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest

from conftest import FIXTURES, pdf_pages_text
from octavo.review.arc import ArcResult, make_arcs
from octavo.review.fonts import FALLBACK_DIR, Face, fallback_faces, split_runs, theme_text_faces
from octavo.review.stamp import personal_mark
from octavo.themes import load_theme

NAMES = {
    "chinese": "王小明",
    "japanese": "佐藤さくら",
    "korean": "김민준",
    "arabic": "محمد علي",
    "hebrew": "דוד כהן",
    "devanagari": "अनन्या शर्मा",
    "thai": "สมชาย ใจดี",
}


@pytest.fixture(scope="module")
def arcs(tmp_path_factory: pytest.TempPathFactory) -> ArcResult:
    book = tmp_path_factory.mktemp("scripts") / "book"
    shutil.copytree(FIXTURES / "review" / "book", book)
    rows = "".join(f"{name},,\n" for name in NAMES.values())
    (book / "reviewers.csv").write_text("name,email,outlet\n" + rows, encoding="utf-8")
    return make_arcs(book, book.parent / "out", jobs=1)


def _pdftotext(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True,
                         capture_output=True, text=True).stdout
    return out.split("\f")[:-1]


def _flat(text: str) -> str:
    return " ".join(text.split())


RIGHT_TO_LEFT = {"arabic", "hebrew"}
# Bidi controls poppler writes around a right-to-left stretch; a search ignores them.
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


@pytest.mark.parametrize("script", sorted(NAMES))
def test_the_name_reads_back_on_every_page(arcs: ArcResult, script: str) -> None:
    name = NAMES[script]
    copy = next(c for c in arcs.copies if c.reviewer.name == name)
    for reader in (pdf_pages_text, _pdftotext):
        pages = [_flat(p.translate(BIDI_CONTROLS)) for p in reader(copy.pdf)]
        assert len(pages) > 3
        if script in RIGHT_TO_LEFT:
            # Each word in logical order (as typed, not mirrored); the extractors' own bidi
            # decides the order of the words and where the neutral "·" goes.
            missing = [k for k, page in enumerate(pages)
                       if not all(word in page for word in name.split())]
        else:
            missing = [k for k, page in enumerate(pages) if f"Prepared for {name}" not in page]
        assert missing == [], f"{reader.__name__}: pages {missing[:5]} lack the name"


def test_each_copy_embeds_only_a_subset(arcs: ArcResult) -> None:
    copy = next(c for c in arcs.copies if c.reviewer.name == NAMES["chinese"])
    with pikepdf.open(copy.pdf) as pdf:
        stamp = next(x for x in pdf.pages[0].Resources.XObject.values()
                     if "/Font" in x.get("/Resources", {}))
        fonts = list(stamp.Resources.Font.values())
        assert any(str(f.BaseFont).endswith("+DroidSansFallback") or "Droid" in str(f.BaseFont)
                   for f in fonts)
        for font in fonts:
            embedded = font.DescendantFonts[0].FontDescriptor.FontFile2.read_bytes()
            assert len(embedded) < 80_000


def test_runs_keep_latin_in_the_theme_face_and_a_right_to_left_name_whole() -> None:
    faces = tuple(Face(p) for p in (*theme_text_faces(load_theme("classic")), *fallback_faces()))
    runs = split_runs(personal_mark(NAMES["arabic"]), faces)
    assert runs is not None
    assert [r.text for r in runs] == ["Prepared for ", "محمد علي", " · NOT FOR SALE"]
    assert runs[0].face == runs[2].face == 0
    assert faces[runs[1].face].path.name == "NotoSansArabic-Regular.ttf"


def test_every_fallback_face_has_its_licence_beside_it() -> None:
    for path in fallback_faces():
        assert path.is_file()
    names = {p.name for p in FALLBACK_DIR.iterdir()}
    assert {"LICENSE-Noto.txt", "LICENSE-Nanum.txt", "LICENSE-DroidSansFallback.txt"} <= names
