"""Proof images: PNG spreads of a print PDF (verso left, recto right, as a reader holds the
book), so a person can check pages without a PDF viewer."""

from __future__ import annotations

import re
from pathlib import Path

from .errors import OctavoError

# Pixels per inch of the proofs: enough to judge spacing, small enough to mail.
PROOF_DPI = 110
GAP_PX = 12


def parse_pages(spec: str, count: int) -> list[int]:
    """``"1-12"``, ``"3,5,9-10"`` -> 1-based page numbers within the document."""
    pages: list[int] = []
    for part in spec.split(","):
        part = part.strip()
        m = re.fullmatch(r"(\d+)(?:-(\d+))?", part)
        if not m:
            raise OctavoError(f"--pages '{spec}': use numbers and ranges like 1-12 or 3,5,9-10")
        first, last = int(m.group(1)), int(m.group(2) or m.group(1))
        if first < 1 or last < first:
            raise OctavoError(f"--pages '{spec}': '{part}' is not a range of pages")
        pages.extend(range(first, min(last, count) + 1))
    if not pages:
        raise OctavoError(f"--pages '{spec}': the PDF has only {count} pages")
    return sorted(set(pages))


def default_pages(doc: object, count: int) -> list[int]:
    """The front matter and the first chapter's opening spread: every page before the first
    chapter bookmark, and that page with the one after it."""
    first_chapter = None
    for item in doc.get_toc():  # type: ignore[attr-defined]
        dest = item.get_dest()
        # Parts hold chapters: the first leaf of the outline is the first chapter.
        if dest is not None and item.get_count() == 0:
            first_chapter = dest.get_index() + 1
            break
    if first_chapter is None:
        first_chapter = 1
    return list(range(1, min(first_chapter + 1, count) + 1))


def spreads(pages: list[int]) -> list[tuple[int | None, int | None]]:
    """Pages grouped as a reader sees them: page 1 alone on the right, then (even, odd)."""
    out: list[tuple[int | None, int | None]] = []
    for page in pages:
        left, right = (page, page + 1) if page % 2 == 0 else (page - 1, page)
        pair = (left if left >= 2 else None, right)
        if pair not in out:
            out.append(pair)
    return out


def page_pngs(pdf: bytes, dpi: int = PROOF_DPI) -> list[bytes]:
    """Every page of a PDF as a PNG, at ``dpi`` (the preview's print view)."""
    import io

    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        out = []
        for index in range(len(doc)):
            buffer = io.BytesIO()
            doc[index].render(scale=dpi / 72).to_pil().save(buffer, "PNG")
            out.append(buffer.getvalue())
        return out
    finally:
        doc.close()


def write_proofs(pdf_path: Path, outdir: Path, pages: str | None = None) -> list[Path]:
    import pypdfium2 as pdfium
    from PIL import Image

    if not pdf_path.is_file():
        raise OctavoError("no such PDF", pdf_path)
    try:
        doc = pdfium.PdfDocument(str(pdf_path))
    except pdfium.PdfiumError:
        raise OctavoError("not a readable PDF", pdf_path) from None
    try:
        count = len(doc)
        chosen = parse_pages(pages, count) if pages else default_pages(doc, count)
        outdir.mkdir(parents=True, exist_ok=True)
        written = []
        scale = PROOF_DPI / 72
        for left, right in spreads(chosen):
            images = []
            for number in (left, right):
                if number is not None and number <= count:
                    images.append(doc[number - 1].render(scale=scale).to_pil())
                else:
                    width, height = doc[0].get_size()
                    images.append(Image.new("RGB", (round(width * scale), round(height * scale)),
                                            "white"))
            sheet = Image.new("RGB", (sum(i.width for i in images) + GAP_PX,
                                      max(i.height for i in images)), (96, 96, 96))
            sheet.paste(images[0], (0, 0))
            sheet.paste(images[1], (images[0].width + GAP_PX, 0))
            name = f"{pdf_path.stem}-spread-{left or 0:03d}-{right:03d}.png"
            sheet.save(outdir / name, optimize=True)
            written.append(outdir / name)
        return written
    finally:
        doc.close()


# Where running heads and folios stand, from the page's top and bottom edges (in points):
# text within them is not the text block's.
HEAD_ZONE_PT = 0.6 * 72
FOOT_ZONE_PT = 0.8 * 72


def page_depths(pdf: bytes | Path) -> list[tuple[float | None, bool]]:
    """Per page: the baseline of its text block's last line (None on a page without text) and
    whether it has a running head, read back from the PDF."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    doc = pdfium.PdfDocument(pdf if isinstance(pdf, bytes) else str(pdf))
    out: list[tuple[float | None, bool]] = []
    try:
        for index in range(len(doc)):
            page = doc[index]
            _, height = page.get_size()
            textpage = page.get_textpage()
            lowest: float | None = None
            head = False
            for k in range(textpage.count_chars()):
                if not textpage.get_text_range(k, 1).strip():
                    continue
                x, y = ctypes.c_double(), ctypes.c_double()
                pdfium_c.FPDFText_GetCharOrigin(textpage.raw, k, x, y)
                if y.value > height - HEAD_ZONE_PT:
                    head = True
                elif y.value > FOOT_ZONE_PT:
                    lowest = y.value if lowest is None else min(lowest, y.value)
            out.append((lowest, head))
    finally:
        doc.close()
    return out


def uneven_spreads(pdf: bytes | Path) -> tuple[int, int]:
    """(spreads in mid-chapter, those whose pages end more than 1 pt apart): a verso and its
    recto that both carry a running head, with one on the page after them too (the chapter
    goes on overleaf, so neither page ends it)."""
    pages = page_depths(pdf)
    spreads = uneven = 0
    for verso in range(1, len(pages) - 2, 2):
        (a, head_a), (b, head_b), (_, head_c) = pages[verso], pages[verso + 1], pages[verso + 2]
        if head_a and head_b and head_c and a is not None and b is not None:
            spreads += 1
            uneven += abs(a - b) > 1
    return spreads, uneven
