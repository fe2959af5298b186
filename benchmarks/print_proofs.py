"""The print interior, looked at: PNG spreads of a title page, the contents, a chapter opening
and a body spread of one manuscript in each theme (6 x 9 in, octavo's defaults); or, with
``--shape``, the spread that shows how a shape of text is set across a page turn.

usage: python benchmarks/print_proofs.py MANUSCRIPT OUTDIR [THEME ...]
       python benchmarks/print_proofs.py --shape play|letter|footnote MANUSCRIPT OUTDIR [THEME ...]
Writes OUTDIR/<theme>-<what>.png, or OUTDIR/<shape>-<theme>.png: for ``play`` the first
spread where a speech runs from the verso on to the recto, for ``letter`` the first spread that
holds a whole letter (dateline or salutation to signature), the longest such, and for
``footnote`` the first spread where a footnote runs from the verso on to the recto (exit 1,
nothing written, when the PDF has none: octavo does not fake a proof). The spreads are found
from the PDF (its outline and text, matched to the book's blocks), not from page numbers, so
the same command fits any book.
"""

from __future__ import annotations

import dataclasses
import shutil
import sys
import tempfile
from pathlib import Path

import pypdfium2 as pdfium  # type: ignore[import-untyped]
from PIL import Image

from octavo.build import load, pdf_options
from octavo.model import (
    Block,
    Book,
    Inline,
    Letter,
    Note,
    Speech,
    all_chapters,
    block_text,
    inline_text,
    walk_blocks,
)
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


# --------------------------------------------------------------------------- shapes

# Letters matched at each end of a block: enough to be found once, few enough to stay on the
# line where the block starts or ends.
KEY_LETTERS = 30


# A block of a shape longer than this many pages is not looked for.
MAX_PAGES = 12


def folded(text: str) -> str:
    """Letters and digits only, folded: a page's text and a block's text compare whatever
    hyphenation, small capitals, running heads or quotes did to them."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _texts(inlines: tuple[Inline, ...]) -> str:
    return inline_text(inlines)


def shape_runs(book: Book, shape: str) -> list[tuple[str, str]]:
    """Per block of the shape, in reading order: (its first letters, its last letters)."""
    runs: list[tuple[str, str]] = []
    for chapter in all_chapters(book):
        for block in walk_blocks(chapter.blocks):
            text = _shape_text(block, shape)
            if text is not None and len(text) >= 3 * KEY_LETTERS:
                runs.append((text[:KEY_LETTERS], text[-KEY_LETTERS:]))
    return runs


def _shape_text(block: Block, shape: str) -> str | None:
    if shape == "play" and isinstance(block, Speech):
        return folded(_texts(block.inlines))
    if shape == "footnote" and isinstance(block, Note):
        return folded(" ".join(block_text(b) for b in block.blocks))
    if shape == "letter" and isinstance(block, Letter) and block.signature:
        body = " ".join(block_text(b) for b in block.body)
        return folded(" ".join((_texts(block.heading), _texts(block.dateline),
                                _texts(block.salutation), body, _texts(block.valediction),
                                _texts(block.signature))))
    return None


def _page_of(key: str, pages: list[str], start: int = 0) -> int | None:
    return next((i for i in range(start, len(pages)) if key in pages[i]), None)


def shape_spread(pdf: Path, book: Book, shape: str) -> int | None:
    """The verso (1-based, even) of the spread that shows ``shape`` (see the module's usage)."""
    pages = [folded(t) for t in page_texts(pdf)]
    best: tuple[int, int] | None = None  # (letters, verso)
    for head, tail in shape_runs(book, shape):
        # The opening words may stand in the contents too (a letter titled by its
        # salutation): the block is where its last words follow them closely.
        found = [(i, last) for i, page in enumerate(pages) if head in page
                 and (last := _page_of(tail, pages[:i + MAX_PAGES], i)) is not None]
        if shape == "footnote":
            # A note may say its last words more than once: it ends where they last stand
            # on the pages it can reach.
            found = [(i, max(j for j in range(i, min(i + MAX_PAGES, len(pages)))
                             if tail in pages[j])) for i, _ in found]
        if not found:
            continue
        first, last = found[0]
        verso = first + 1 if (first + 1) % 2 == 0 else first
        if shape in ("play", "footnote"):
            # Page indexes are 0-based: the verso is an odd index, the recto the next.
            if (first + 1) % 2 == 0 and last == first + 1 and (
                    shape == "footnote" or tail not in pages[first]):
                return first + 1
        elif last <= verso and (best is None or last - first > best[0]):
            best = (last - first, verso)
    return best[1] if best is not None else None


def shape_proofs(shape: str, manuscript: Path, outdir: Path, themes: list[str]) -> int:
    loaded = load(manuscript)
    status = 0
    with tempfile.TemporaryDirectory() as tmp:
        for theme in themes:
            options = dataclasses.replace(pdf_options(loaded), theme=load_theme(theme))
            pdf = Path(tmp) / f"{theme}.pdf"
            pdf.write_bytes(render_pdf(loaded.book, options).data)
            verso = shape_spread(pdf, loaded.book, shape)
            if verso is None:
                print(f"{manuscript} ({theme}): no {shape} spread found in the PDF: nothing "
                      "written", file=sys.stderr)
                status = 1
                continue
            written = write_proofs(pdf, Path(tmp) / f"{shape}-{theme}", str(verso))
            target = outdir / f"{shape}-{theme}.png"
            # Grey, not RGB: a page proof of black type is a third of the bytes.
            with Image.open(written[0]) as sheet:
                sheet.convert("L").save(target, optimize=True)
            print(f"{target}  (pages {verso}-{verso + 1})")
    return status


def main(argv: list[str]) -> int:
    shape = None
    if argv[:1] == ["--shape"] and len(argv) >= 2:
        shape, argv = argv[1], argv[2:]
    if len(argv) < 2 or shape not in (None, "play", "letter", "footnote"):
        print(__doc__)
        return 2
    if shape is not None:
        Path(argv[1]).mkdir(parents=True, exist_ok=True)
        return shape_proofs(shape, Path(argv[0]), Path(argv[1]),
                            argv[2:] or available_themes())
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
