"""The full-wrap print cover: size from trim, page count and paper; spine text threshold;
bleed and trim boxes; the blurb on the back."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest

from octavo.geometry import spine_width
from octavo.press.cover import CoverSpec, render_cover
from octavo.press.settings import PrintSettings
from octavo.themes import load_theme
from printbooks import metadata


def cover(pages: int, paper: str = "white", trim: str = "6x9") -> bytes:
    press = PrintSettings(paper=paper, blurb="A house, a lamp, a river rising.")  # type: ignore[arg-type]
    return render_cover(metadata(), load_theme("classic"), trim, pages, press)


def test_spine_width_per_paper() -> None:
    assert spine_width(300, "white") == pytest.approx(0.6756)
    assert spine_width(300, "cream") == pytest.approx(0.75)


@pytest.mark.parametrize(("pages", "paper", "trim", "width"), [
    (300, "white", "6x9", 2 * 6 + 300 * 0.002252 + 0.25),
    (300, "cream", "6x9", 2 * 6 + 300 * 0.0025 + 0.25),
    (120, "white", "5x8", 2 * 5 + 120 * 0.002252 + 0.25),
])
def test_cover_size(pages: int, paper: str, trim: str, width: float) -> None:
    height = {"6x9": 9, "5x8": 8}[trim] + 0.25
    with pikepdf.open(io.BytesIO(cover(pages, paper, trim))) as pdf:
        assert len(pdf.pages) == 1
        page = pdf.pages[0]
        x0, y0, x1, y1 = (float(v) for v in page.MediaBox)
        assert x1 - x0 == pytest.approx(width * 72, abs=0.5)
        assert y1 - y0 == pytest.approx(height * 72, abs=0.5)
        t0, u0, t1, u1 = (float(v) for v in page.TrimBox)
        assert (t0 - x0, u0 - y0, x1 - t1, y1 - u1) == pytest.approx((9, 9, 9, 9), abs=0.01)
        assert [float(v) for v in page.BleedBox] == [x0, y0, x1, y1]


def text(data: bytes) -> str:
    doc = pdfium.PdfDocument(data)
    try:
        return doc[0].get_textpage().get_text_range()
    finally:
        doc.close()


def test_spine_text_only_over_79_pages() -> None:
    assert CoverSpec((6, 9), 79, "white").spine_text is False
    assert CoverSpec((6, 9), 80, "white").spine_text is True
    thin, thick = text(cover(60)), text(cover(140))
    assert thin.count("The Lantern House") == 1  # the front only
    assert thick.count("The Lantern House") == 2  # front and spine
    assert "A house, a lamp, a river rising." in thin  # the back's blurb


def test_front_image_and_cli(tmp_path: Path) -> None:
    from click.testing import CliRunner
    from PIL import Image

    from octavo.cli import main

    Image.new("RGB", (600, 900), (180, 40, 40)).save(tmp_path / "front.png")
    (tmp_path / "story.md").write_text("# One\n\nText.\n\n# Two\n\nMore text.\n", encoding="utf-8")
    (tmp_path / "book.toml").write_text(
        'title = "Red Cover"\nauthor = "A. Writer"\ncover = "front.png"\n'
        '[cover_design]\nblurb = "A short blurb."\npaper = "cream"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["cover", str(tmp_path), "-o", str(tmp_path / "out"),
                                       "--pages", "200"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "out" / "red-cover-cover.pdf"
    with pikepdf.open(out) as pdf:
        page = pdf.pages[0]
        width = float(page.MediaBox[2]) - float(page.MediaBox[0])
        assert width == pytest.approx((12 + 200 * 0.0025 + 0.25) * 72, abs=0.5)
        images = [x for x in page.Resources.XObject.values() if x.Subtype == "/Image"]
        assert images  # the front is the given picture
    assert "A short blurb." in text(out.read_bytes())


def test_proof_cli_reports_a_missing_pdf(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from octavo.cli import main

    result = CliRunner().invoke(main, ["proof", str(tmp_path / "none.pdf")])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "no such PDF" in result.output
