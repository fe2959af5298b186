"""The print interior, looked at: PNG spreads of a title page, the contents, a chapter opening
and a body spread of one manuscript in each theme (6 x 9 in, octavo's defaults).

usage: python benchmarks/print_proofs.py MANUSCRIPT OUTDIR [THEME ...]
Writes OUTDIR/<theme>-<what>.png; the spreads are found from the PDF (its outline and text),
not from page numbers, so the same command fits any book.
"""

from __future__ import annotations

import dataclasses
import shutil
import sys
import tempfile
from pathlib import Path

import pypdfium2 as pdfium  # type: ignore[import-untyped]

from octavo.build import load, pdf_options
from octavo.press.pagemap import page_texts as read_back
from octavo.press.pieces import render_pdf
from octavo.proof import write_proofs
from octavo.themes import available_themes, load_theme


def page_texts(pdf: Path) -> list[str]:
    return [" ".join(text.split()) for text in read_back(pdf.read_bytes())]


def first_chapter_page(pdf: Path) -> int:
    """1-based: the outline's first leaf (parts hold chapters)."""
    doc = pdfium.PdfDocument(str(pdf))
    try:
        for item in doc.get_toc():
            dest = item.get_dest()
            if dest is not None and item.get_count() == 0:
                return int(dest.get_index()) + 1
    finally:
        doc.close()
    return 1


def chosen_spreads(pdf: Path, title: str) -> dict[str, int]:
    """A page of each spread to show, 1-based."""
    texts = page_texts(pdf)
    title_page = next(i for i, t in enumerate(texts)
                      if t.replace(" ", "").startswith(title.replace(" ", "")) and i > 0) + 1
    contents = next(i for i, t in enumerate(texts)
                    if t.lower().replace(" ", "").startswith("contents")) + 1
    opening = first_chapter_page(pdf)
    # The first verso after the opening whose spread is two full pages of text: running
    # heads on both, no chapter opening.
    lengths = sorted(len(t) for t in texts)
    full = lengths[len(lengths) * 3 // 4] * 0.85

    def plain(i: int) -> bool:
        return len(texts[i]) >= full and opening_word not in texts[i][:60]

    opening_word = texts[opening - 1].split()[0]
    body = next(p for p in range(opening + 1, len(texts))
                if p % 2 == 0 and plain(p - 1) and plain(p))
    return {"title": title_page, "contents": contents, "opening": opening, "body": body}


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    manuscript, outdir = Path(argv[0]), Path(argv[1])
    themes = argv[2:] or available_themes()
    outdir.mkdir(parents=True, exist_ok=True)
    loaded = load(manuscript)
    with tempfile.TemporaryDirectory() as tmp:
        for theme in themes:
            options = dataclasses.replace(pdf_options(loaded), theme=load_theme(theme))
            pdf = Path(tmp) / f"{theme}.pdf"
            pdf.write_bytes(render_pdf(loaded.book, options).data)
            for what, page in chosen_spreads(pdf, loaded.book.metadata.title).items():
                shots = Path(tmp) / f"{theme}-{what}"
                written = write_proofs(pdf, shots, str(page))
                target = outdir / f"{theme}-{what}.png"
                shutil.copyfile(written[0], target)
                print(f"{target}  (page {page})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
