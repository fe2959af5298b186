"""The print cover: one full-wrap PDF (back, spine, front) sized for the interior's trim and
page count, with 0.125 in bleed on every side, as print-on-demand services ask for it.

The front is the book's cover image (``cover`` in book.toml) or a typographic cover made from
the title and author; the back carries the blurb (``[cover_design] blurb``, else the book's
description) and leaves the barcode area clear; the spine carries title and author only when
the book is thick enough to print on (100 pages or more).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from .model import Metadata
from .press.geometry import (
    BLEED,
    SPINE_TEXT_MIN_PAGES,
    Paper,
    cover_size,
    spine_width,
    trim_size,
)
from .press.settings import PrintSettings
from .render.html import escape
from .themes import Theme

# The area print-on-demand services print the ISBN barcode into (2 × 1.2 in at the back's
# lower right, 0.25 in from the trim): kept free of text.
BARCODE_BOX = (2.0, 1.2)


@dataclass(frozen=True, slots=True)
class CoverSpec:
    trim: tuple[float, float]
    pages: int
    paper: Paper

    @property
    def size(self) -> tuple[float, float]:
        return cover_size(self.trim, self.pages, self.paper)

    @property
    def spine(self) -> float:
        return spine_width(self.pages, self.paper)

    @property
    def spine_text(self) -> bool:
        return self.pages >= SPINE_TEXT_MIN_PAGES


def font_faces(theme: Theme) -> tuple[str, str]:
    """The theme's ``@font-face`` rules and its first family, so the cover matches the book."""
    faces = re.findall(r"@font-face\s*\{[^}]*\}", theme.print_css)
    family = re.search(r'font-family:\s*"([^"]+)"', faces[0]) if faces else None
    return "\n".join(faces), (family.group(1) if family else "serif")


def cover_html(meta: Metadata, spec: CoverSpec, press: PrintSettings, family: str,
               image: Path | None) -> str:
    width, height = spec.size
    trim_w, trim_h = spec.trim
    back_left, spine_left = BLEED, BLEED + trim_w
    front_left = spine_left + spec.spine
    author = ", ".join(meta.authors)
    blurb = press.blurb or meta.description or ""
    paragraphs = "".join(f"<p>{escape(p.strip())}</p>" for p in blurb.split("\n\n") if p.strip())
    if image is not None:
        front = (f'<img class="front-image" src="{image.as_uri()}" alt="" style="left: '
                 f'{front_left:.4f}in; width: {trim_w + BLEED:.4f}in; height: {height:.4f}in"/>')
    else:
        subtitle = f'<p class="subtitle">{escape(meta.subtitle)}</p>' if meta.subtitle else ""
        front = (f'<div class="front" style="left: {front_left:.4f}in; width: {trim_w:.4f}in; '
                 f'top: {BLEED:.4f}in; height: {trim_h:.4f}in">'
                 f'<h1 class="title">{escape(meta.title)}</h1>{subtitle}'
                 f'<p class="author">{escape(author)}</p></div>')
    spine = ""
    if spec.spine_text:
        spine = (f'<div class="spine" style="width: {trim_h - 0.5:.4f}in; '
                 f'height: {spec.spine:.4f}in; '
                 f'left: {spine_left + spec.spine / 2 - (trim_h - 0.5) / 2:.4f}in; '
                 f'top: {BLEED + trim_h / 2 - spec.spine / 2:.4f}in; '
                 f'line-height: {spec.spine:.4f}in">'
                 f'<span class="spine-title">{escape(meta.title)}</span>'
                 f'<span class="spine-author">{escape(author)}</span></div>')
    back = (f'<div class="back" style="left: {back_left + 0.5:.4f}in; '
            f'width: {trim_w - 1.0:.4f}in; top: {BLEED + 0.75:.4f}in; '
            f'height: {trim_h - 1.5 - BARCODE_BOX[1]:.4f}in">{paragraphs}</div>')
    css = f"""
    @page {{ size: {width:.4f}in {height:.4f}in; margin: 0; }}
    html, body {{ margin: 0; padding: 0; }}
    body {{ background: {press.cover_background}; color: {press.cover_foreground};
            font-family: "{family}", serif; width: {width:.4f}in; height: {height:.4f}in;
            position: relative; }}
    .front, .back, .spine, .front-image {{ position: absolute; }}
    .front-image {{ top: 0; object-fit: cover; }}
    .front {{ text-align: center; }}
    .front .title {{ margin: 1.5in 0.5in 0; font-size: 34pt; line-height: 1.1;
                     font-weight: normal; }}
    .front .subtitle {{ margin: 0.25in 0.5in 0; font-size: 14pt; font-style: italic; }}
    .front .author {{ position: absolute; bottom: 1in; left: 0; right: 0; font-size: 16pt;
                      letter-spacing: 0.12em; text-transform: uppercase; }}
    .back {{ font-size: 11pt; line-height: 1.45; text-align: left; hyphens: auto; }}
    .back p {{ margin: 0 0 0.8em; }}
    .spine {{ transform: rotate(90deg); text-align: center; white-space: nowrap;
              overflow: hidden; font-size: {min(11.0, spec.spine * 72 * 0.55):.1f}pt; }}
    .spine-author {{ margin-left: 0.4in; letter-spacing: 0.08em; text-transform: uppercase; }}
    """
    return (f'<!DOCTYPE html><html lang="{escape(meta.language)}"><head><meta charset="utf-8"/>'
            f"<title>{escape(meta.title)}</title><style>{css}</style></head>"
            f"<body>{back}{spine}{front}</body></html>")


def render_cover(meta: Metadata, theme: Theme, trim: str, pages: int, press: PrintSettings,
                 image: Path | None = None, allowed_roots: tuple[Path, ...] = (),
                 modified: dt.datetime | None = None) -> bytes:
    """The full-wrap cover as PDF bytes: MediaBox = BleedBox (with bleed), TrimBox inside."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from .render.pdf import confined_fetcher

    spec = CoverSpec(trim_size(trim), pages, press.paper)
    faces, family = font_faces(theme)
    fonts = FontConfiguration()
    fetcher = confined_fetcher((theme.path, *allowed_roots))
    html = cover_html(meta, spec, press, family, image)
    if modified is not None:
        stamp = modified.strftime("%Y-%m-%dT%H:%M:%SZ")
        html = html.replace("<title>", f'<meta name="dcterms.created" content="{stamp}"/>'
                            f'<meta name="dcterms.modified" content="{stamp}"/><title>', 1)
    document = HTML(string=html, url_fetcher=fetcher, base_url=str(theme.path) + "/").render(
        stylesheets=[CSS(string=faces, base_url=str(theme.path) + "/", url_fetcher=fetcher,
                         font_config=fonts)],
        font_config=fonts)
    data = document.write_pdf()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        x0, y0, x1, y1 = (float(v) for v in page.MediaBox)
        b = BLEED * 72
        page.obj.BleedBox = pikepdf.Array([x0, y0, x1, y1])
        page.obj.TrimBox = pikepdf.Array([x0 + b, y0 + b, x1 - b, y1 - b])
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, fix_metadata_version=False)
        return out.getvalue()


def build_cover(target: Path, outdir: Path, pages: int | None = None,
                paper: Paper | None = None) -> tuple[Path, CoverSpec]:
    """Lay out the book's interior (unless ``pages`` is given) and write its cover PDF."""
    from dataclasses import replace

    from .build import book_slug, load, modification_time, pdf_options, write_atomically
    from .render.pdf import render_pdf

    loaded = load(target)
    options = pdf_options(loaded)
    press = options.press if paper is None else replace(options.press, paper=paper)
    if pages is None:
        pages = render_pdf(loaded.book, options).page_count
    data = render_cover(loaded.book.metadata, loaded.theme, loaded.settings.trim, pages, press,
                        image=loaded.settings.cover, allowed_roots=(loaded.settings.root,),
                        modified=modification_time(loaded.settings))
    out = outdir / f"{book_slug(loaded)}-cover.pdf"
    write_atomically([(out, data)])
    return out, CoverSpec(trim_size(loaded.settings.trim), pages, press.paper)
