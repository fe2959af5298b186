"""An editor's overrides: manuscript markers for page breaks, keep-together and
loosen/tighten, and hyphenation exceptions from book.toml."""

from __future__ import annotations

from pathlib import Path

from conftest import pdf_pages_text
from octavo.build import load, pdf_options
from octavo.model import PageBreak, Paragraph, Text, body_chapters
from octavo.press.hyphenation import SOFT_HYPHEN, apply_hyphenation_exceptions
from octavo.press.pieces import render_pdf
from octavo.readers.hints import block_with_hints, leading_hints


def test_leading_hints() -> None:
    assert leading_hints("{keep}{loosen} It was late.") == (
        frozenset({"keep-together", "loosen"}), "It was late.")
    assert leading_hints("{tighten}Short.") == (frozenset({"tighten"}), "Short.")
    assert leading_hints("A {keep} inside is text.") == (frozenset(), "A {keep} inside is text.")


def test_page_break_marker_line() -> None:
    assert isinstance(block_with_hints(Paragraph((Text("{pagebreak}"),))), PageBreak)
    kept = Paragraph((Text("{pagebreak} and more"),))
    assert block_with_hints(kept) == kept


def test_hyphenation_exceptions() -> None:
    html = '<p class="x">The Table and the table-top; presently.</p>'
    out = apply_hyphenation_exceptions(html, ("ta-ble", "present-ly"))
    assert f'<span class="hyphen-exception">Ta{SOFT_HYPHEN}ble</span>' in out
    assert f"present{SOFT_HYPHEN}ly" in out
    assert 'class="x"' in out  # attributes untouched
    never = apply_hyphenation_exceptions("<p>Photographs</p>", ("photographs",))
    assert never == '<p><span class="no-hyphens">Photographs</span></p>'


def test_markers_and_exceptions_reach_the_pdf(tmp_path: Path) -> None:
    (tmp_path / "book.txt").write_text(
        "# One\n\nFirst page text.\n\n{pagebreak}\n\nSecond page text.\n\n"
        "{keep}{loosen} Kept together.\n\n# Two\n\nMore.\n", encoding="utf-8")
    (tmp_path / "book.toml").write_text(
        'title = "Marks"\n[front_matter]\nhalf_title = false\ntitle_page = false\n'
        "copyright = false\ncontents = false\n"
        '[hyphenation]\nexceptions = ["pa-ge"]\n', encoding="utf-8")
    loaded = load(tmp_path)
    first = next(body_chapters(loaded.book))
    assert any(isinstance(b, PageBreak) for b in first.blocks)
    kept = [b for b in first.blocks if isinstance(b, Paragraph) and b.hints]
    assert kept and kept[0].hints == {"keep-together", "loosen"}
    pdf = tmp_path / "out.pdf"
    pdf.write_bytes(render_pdf(loaded.book, pdf_options(loaded)).data)
    pages = [" ".join(t.split()) for t in pdf_pages_text(pdf)]
    assert "First page text." in pages[0] and "Second page text." not in pages[0]
    assert "Second page text." in pages[1] and "{keep}" not in " ".join(pages)
