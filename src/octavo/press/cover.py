"""The print cover: one full-wrap PDF (back, spine, front) sized for the interior's trim and
page count, with 0.125 in bleed on every side, as print-on-demand services ask for it.

The front is the book's cover image (``cover`` in book.toml) or a typographic cover made from
the title and author; the back carries the blurb (``[cover_design] blurb``, else the book's
description) and the author's note, fitted to the space above the barcode area, and in that
area the print ISBN's EAN-13 barcode at its nominal size; the spine carries title, author and
publisher only when the book is thick enough to print on (80 pages or more).

With ``[print] pdf_x`` the cover is PDF/X like the interior: the same variant and output
intent (the bundled CMYK profile), its colours and its front image converted to that profile's
process colours, so a printer's preflight finds no RGB on it.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

import pikepdf

from ..errors import OctavoError
from ..geometry import (
    BLEED,
    SPINE_TEXT_MIN_PAGES,
    Paper,
    cover_size,
    spine_width,
    trim_size,
)
from ..isbn import human_readable
from ..model import Metadata
from ..press.finish import drop_annotations, drop_unused_colour_spaces, stable_identity
from ..press.settings import PrintSettings
from ..render.html import escape
from ..render.labels import authors_line
from ..themes import Theme
from .barcode import (
    BAR_HEIGHT_MM,
    GUARD_EXTRA_MODULES,
    MODULE_MM,
    QUIET_LEFT,
    QUIET_RIGHT,
    SYMBOL_MODULES,
    bars,
)

if TYPE_CHECKING:
    from PIL import Image, ImageCms

# The area print-on-demand services print the ISBN barcode into (2 × 1.2 in at the back's
# lower right, 0.25 in from the trim): kept free of text.
BARCODE_BOX = (2.0, 1.2)
BARCODE_MARGIN = 0.25


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


def back_text_html(meta: Metadata, press: PrintSettings) -> str:
    """The back's words: the blurb (else the book's description), then the author's note."""
    blurb = press.blurb or meta.description or ""
    out = "".join(f"<p>{escape(p.strip())}</p>" for p in blurb.split("\n\n") if p.strip())
    if press.author_note:
        out += "".join(f'<p class="author-note">{escape(p.strip())}</p>'
                       for p in press.author_note.split("\n\n") if p.strip())
    return out


def back_text_css(size: float) -> str:
    """The back's type at ``size`` points: one rule for laying it out and for fitting it."""
    return (f".back {{ font-size: {size:.1f}pt; line-height: 1.45; text-align: left; "
            "hyphens: auto; }\n"
            ".back p { margin: 0 0 0.8em; }\n"
            ".back .author-note { font-style: italic; margin-top: 1.6em; }\n")


def back_text_box(spec: CoverSpec) -> tuple[float, float, float, float]:
    """Left, top, width and height (inches, on the whole cover) the back's text may fill:
    half an inch in from the trim on the outside and the spine, three quarters from the top,
    and clear of the barcode area below it."""
    trim_w, trim_h = spec.trim
    top = BLEED + 0.75
    bottom = BLEED + trim_h - BARCODE_MARGIN - BARCODE_BOX[1] - 0.25
    return BLEED + 0.5, top, trim_w - 1.0, bottom - top


# Sizes the back's text is tried at, largest first: the first at which it fits is used.
BACK_SIZES = tuple(s / 2 for s in range(22, 13, -1))  # 11 pt down to 7 pt


def barcode_html(digits: str, spec: CoverSpec, ink: str, ground: str) -> str:
    """The ISBN's EAN-13 at its nominal size on a white ground at the lower right of the back
    (the corner by the spine), with the ISBN printed above it and its digits below."""
    trim_w, trim_h = spec.trim
    width = (QUIET_LEFT + SYMBOL_MODULES + QUIET_RIGHT) * MODULE_MM
    label, digits_area = 3.0, 3.08  # mm: the ISBN line above, the digits below the bars
    height = 1.0 + label + BAR_HEIGHT_MM + digits_area + 0.5
    right = (BLEED + trim_w - BARCODE_MARGIN) * 25.4
    bottom = (BLEED + trim_h - BARCODE_MARGIN) * 25.4
    rects = []
    for bar in bars(digits):
        tall = BAR_HEIGHT_MM + (GUARD_EXTRA_MODULES * MODULE_MM if bar.guard else 0)
        rects.append(f'<div class="bar" style="left: {(QUIET_LEFT + bar.start) * MODULE_MM:.3f}mm; '
                     f'width: {bar.width * MODULE_MM:.3f}mm; height: {tall:.3f}mm"></div>')

    def figures(text: str, first_module: float, modules: float) -> str:
        return (f'<span class="figures" style="left: {first_module * MODULE_MM:.3f}mm; '
                f'width: {modules * MODULE_MM:.3f}mm">{text}</span>')

    below = (figures(digits[0], 2, QUIET_LEFT - 3) + figures(digits[1:7], QUIET_LEFT + 3, 42)
             + figures(digits[7:], QUIET_LEFT + 50, 42))
    return (f'<div class="barcode" style="left: {right - width:.3f}mm; '
            f'top: {bottom - height:.3f}mm; width: {width:.3f}mm; height: {height:.3f}mm; '
            f'background: {ground}; color: {ink}">'
            f'<p class="isbn">{escape(human_readable(digits))}</p>'
            f'<div class="bars" style="top: {1.0 + label:.3f}mm">{"".join(rects)}</div>'
            f'<div class="figures-row" style="top: {1.0 + label + BAR_HEIGHT_MM:.3f}mm">'
            f'{below}</div></div>')


def spine_css(size: float) -> str:
    """The spine's type at ``size`` points: the publisher at the foot, title and author
    centred in the rest; one rule for laying it out and for fitting it."""
    return (f".spine {{ font-size: {size:.1f}pt; padding: 0 0.3in; box-sizing: border-box; "
            "text-align: center; }\n"
            ".spine-author { margin-left: 0.4in; letter-spacing: 0.08em; "
            "text-transform: uppercase; }\n"
            ".spine-publisher { float: right; margin-left: 0.4in; font-size: 0.8em; }\n")


def spine_words_html(meta: Metadata) -> str:
    publisher = (f'<span class="spine-publisher">{escape(meta.publisher)}</span>'
                 if meta.publisher else "")
    return (f'{publisher}<span class="spine-title">{escape(meta.title)}</span>'
            f'<span class="spine-author">{escape(authors_line(meta.authors, meta.language))}'
            "</span>")


def spine_length(spec: CoverSpec) -> float:
    """How much of the spine's height the words may run along: a quarter inch clear of the
    trim at head and foot."""
    return spec.trim[1] - 0.5


def spine_html(meta: Metadata, spec: CoverSpec, press: PrintSettings) -> str:
    """Title, author and publisher along the spine, when it is thick enough to print on:
    reading top to bottom (English-language books), or bottom to top (much of Europe)."""
    if not spec.spine_text:
        return ""
    _trim_w, trim_h = spec.trim
    spine_left = BLEED + spec.trim[0]
    length = spine_length(spec)
    turn = 90 if press.spine_direction == "top-to-bottom" else -90
    return (f'<div class="spine" style="width: {length:.4f}in; height: {spec.spine:.4f}in; '
            f'left: {spine_left + spec.spine / 2 - length / 2:.4f}in; '
            f'top: {BLEED + trim_h / 2 - spec.spine / 2:.4f}in; '
            f'line-height: {spec.spine:.4f}in; transform: rotate({turn}deg)">'
            f"{spine_words_html(meta)}</div>")


# The spine's type: at most 11 pt, at most 55 % of the spine's width, at least 6 pt.
SPINE_MAX_SIZE, SPINE_MIN_SIZE = 11.0, 6.0


def spine_sizes(spec: CoverSpec) -> tuple[float, ...]:
    """Sizes the spine's words are tried at, largest first, in half points."""
    largest = min(SPINE_MAX_SIZE, spec.spine * 72 * 0.55)
    steps = int(largest * 2)
    return tuple(s / 2 for s in range(steps, int(SPINE_MIN_SIZE * 2) - 1, -1)) or (largest,)


def cover_html(meta: Metadata, spec: CoverSpec, press: PrintSettings, family: str,
               image_src: str | None, back_size: float = BACK_SIZES[0],
               isbn: str | None = None, spine_size: float = SPINE_MAX_SIZE) -> str:
    width, height = spec.size
    trim_w, trim_h = spec.trim
    spine_left = BLEED + trim_w
    front_left = spine_left + spec.spine
    author = authors_line(meta.authors, meta.language)
    if image_src is not None:
        front = (f'<img class="front-image" src="{escape(image_src)}" alt="" style="left: '
                 f'{front_left:.4f}in; width: {trim_w + BLEED:.4f}in; height: {height:.4f}in"/>')
    else:
        subtitle = f'<p class="subtitle">{escape(meta.subtitle)}</p>' if meta.subtitle else ""
        front = (f'<div class="front" style="left: {front_left:.4f}in; width: {trim_w:.4f}in; '
                 f'top: {BLEED:.4f}in; height: {trim_h:.4f}in">'
                 f'<h1 class="title">{escape(meta.title)}</h1>{subtitle}'
                 f'<p class="author">{escape(author)}</p></div>')
    left, top, box_w, box_h = back_text_box(spec)
    back = (f'<div class="back" style="left: {left:.4f}in; width: {box_w:.4f}in; '
            f'top: {top:.4f}in; height: {box_h:.4f}in">{back_text_html(meta, press)}</div>')
    # Bars in black ink alone, on paper left white: what a scanner reads best.
    ink, ground = (("device-cmyk(0 0 0 1)", "device-cmyk(0 0 0 0)") if press.pdf_x
                   else ("#000000", "#ffffff"))
    barcode = barcode_html(isbn, spec, ink, ground) if isbn else ""
    css = f"""
    @page {{ size: {width:.4f}in {height:.4f}in; margin: 0; }}
    html, body {{ margin: 0; padding: 0; }}
    body {{ background: {press.cover_background}; color: {press.cover_foreground};
            font-family: "{family}", serif; width: {width:.4f}in; height: {height:.4f}in;
            position: relative; }}
    .front, .back, .spine, .front-image, .barcode {{ position: absolute; }}
    .front-image {{ top: 0; object-fit: cover; }}
    .front {{ text-align: center; }}
    .front .title {{ margin: 1.5in 0.5in 0; font-size: 34pt; line-height: 1.1;
                     font-weight: normal; }}
    .front .subtitle {{ margin: 0.25in 0.5in 0; font-size: 14pt; font-style: italic; }}
    .front .author {{ position: absolute; bottom: 1in; left: 0; right: 0; font-size: 16pt;
                      letter-spacing: 0.12em; text-transform: uppercase; }}
    {back_text_css(back_size)}
    {spine_css(spine_size)}
    .spine {{ white-space: nowrap; overflow: hidden; }}
    .barcode .isbn {{ margin: 1mm 0 0; height: 3mm; font-size: 8pt; line-height: 3mm;
                      text-align: center; letter-spacing: 0.04em;
                      font-variant-numeric: lining-nums; }}
    .barcode .bars, .barcode .figures-row {{ position: absolute; left: 0; right: 0; }}
    .barcode .bar {{ position: absolute; top: 0; background: {ink}; }}
    .barcode .figures {{ position: absolute; top: 0; font-size: 8pt; line-height: 3.08mm;
                         text-align: center; letter-spacing: 0.12em;
                         font-variant-numeric: lining-nums; }}
    """
    return (f'<!DOCTYPE html><html lang="{escape(meta.language)}"><head><meta charset="utf-8"/>'
            f"<title>{escape(meta.title)}</title><style>{css}</style></head>"
            f"<body>{back}{spine_html(meta, spec, press)}{front}{barcode}</body></html>")


def fit_page(meta: Metadata, family: str, width: float, height: float, css: str,
             body: str) -> str:
    """``body`` alone on a page of ``width`` × ``height`` inches: what fitting lays out."""
    return (f'<!DOCTYPE html><html lang="{escape(meta.language)}"><head><meta '
            f'charset="utf-8"/><style>@page {{ size: {width:.4f}in {height:.4f}in; '
            f'margin: 0; }} body {{ margin: 0; font-family: "{family}", serif; }} '
            f"{css}</style></head><body>{body}</body></html>")


def fitting_back_size(meta: Metadata, spec: CoverSpec, press: PrintSettings, family: str,
                      render: Callable[[str], int]) -> float:
    """The largest of ``BACK_SIZES`` at which the back's text fits its box: laid out alone on
    a page of the box's size, it takes one page. ``render`` lays out HTML and counts pages.
    An error when it does not fit even at the smallest."""
    text = back_text_html(meta, press)
    if not text:
        return BACK_SIZES[0]
    _left, _top, width, height = back_text_box(spec)
    for size in BACK_SIZES:
        if render(fit_page(meta, family, width, height, back_text_css(size),
                           f'<div class="back">{text}</div>')) == 1:
            return size
    words = len(re.findall(r"\w+", (press.blurb or meta.description or "")
                           + " " + (press.author_note or "")))
    source = "[cover_design] blurb" if press.blurb else "description"
    raise OctavoError(f"the back cover's text ({words} words: {source}"
                      f"{' and author_note' if press.author_note else ''}) does not fit the back "
                      f"even at {BACK_SIZES[-1]:g} pt", hint="shorten it")


def fitting_spine_size(meta: Metadata, spec: CoverSpec, family: str,
                       render: Callable[[str], int]) -> float:
    """The largest of ``spine_sizes`` at which title, author and publisher take one line of
    the spine's length (laid out with wrapping allowed on a page a line and a half deep, a
    second line makes a second page); an error, rather than words cut off the spine, when
    they do not fit even at the smallest."""
    sizes = spine_sizes(spec)
    if not spec.spine_text:
        return sizes[0]
    line = spec.spine
    for size in sizes:
        body = (f'<div class="spine" style="line-height: {line:.4f}in">'
                f"{spine_words_html(meta)}</div>")
        if render(fit_page(meta, family, spine_length(spec), line * 1.5, spine_css(size),
                           body)) == 1:
            return size
    raise OctavoError(f"title, author and publisher do not fit on the spine of {spec.pages} "
                      f"pages even at {sizes[-1]:g} pt",
                      hint="shorten the title or the publisher's name")


def press_transform(source: ImageCms.ImageCmsProfile | None, mode: str) -> ImageCms.ImageCmsTransform:
    """From ``source`` (sRGB when None) in ``mode`` to the bundled CMYK profile."""
    from PIL import ImageCms

    from ..press.document import ICC_PROFILE

    if not ICC_PROFILE.is_file():
        raise OctavoError(f"the CMYK profile for PDF/X is missing: {ICC_PROFILE}")
    # One conversion for flat colours and pictures alike: colours the press can print kept as
    # they are (relative colorimetric), black mapped to the profile's black.
    return ImageCms.buildTransform(
        source or ImageCms.createProfile("sRGB"), ImageCms.getOpenProfile(str(ICC_PROFILE)),
        mode, "CMYK", renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
        flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)


Inks = tuple[float, float, float, float]
_DEVICE_CMYK = re.compile(r"device-cmyk\(([^)]*)\)", re.IGNORECASE)


def process_inks(colour: str, what: str) -> Inks:
    """A CSS colour as the press's process colour (cyan, magenta, yellow, black from 0 to 1):
    an RGB colour through the bundled profile, a ``device-cmyk(...)`` one as it is."""
    from PIL import Image, ImageCms, ImageColor

    error = OctavoError(f"[cover_design] {what} '{colour}' is not a colour (use #rrggbb, a CSS "
                        "colour name or device-cmyk(c m y k))")
    given = _DEVICE_CMYK.fullmatch(colour.strip())
    if given:
        parts = given.group(1).replace(",", " ").split()
        try:
            inks = [float(p[:-1]) / 100 if p.endswith("%") else float(p) for p in parts]
        except ValueError:
            raise error from None
        if len(inks) != 4 or not all(0 <= ink <= 1 for ink in inks):
            raise error
        return inks[0], inks[1], inks[2], inks[3]
    try:
        rgb = ImageColor.getrgb(colour.strip())[:3]
    except ValueError:
        raise error from None
    pixel = ImageCms.applyTransform(Image.new("RGB", (1, 1), rgb), press_transform(None, "RGB"))
    assert pixel is not None
    c, m, y, k = cast(tuple[int, int, int, int], pixel.getpixel((0, 0)))
    return c / 255, m / 255, y / 255, k / 255


def device_cmyk(inks: Inks) -> str:
    return "device-cmyk(" + " ".join(f"{ink:.4f}" for ink in inks) + ")"


def press_image(path: Path, ground: Inks) -> Image.Image:
    """The front image in the press's CMYK: upright as its EXIF says, converted from its own
    profile (sRGB when it has none that fits), any transparency laid on the cover's ground.
    A CMYK image without a profile is taken to be made for press already."""
    from PIL import Image, ImageCms, ImageOps

    with Image.open(path) as opened:
        icc = opened.info.get("icc_profile")
        image = ImageOps.exif_transpose(opened)
        alpha = None
        if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
            alpha = image.convert("RGBA").getchannel("A")
        mode = "CMYK" if image.mode == "CMYK" else "RGB"
        image = image.convert(mode)
    source = ImageCms.ImageCmsProfile(io.BytesIO(icc)) if icc else None
    if source is not None and source.profile.xcolor_space.strip() != mode:
        source = None
    if mode == "RGB" or source is not None:
        converted = ImageCms.applyTransform(image, press_transform(source, mode))
        assert converted is not None
        image = converted
    if alpha is not None:
        # Laid on the ground in ink, as a flattener does: PDF/X-1a allows no soft mask.
        ground_ink = tuple(round(ink * 255) for ink in ground)
        image = Image.composite(image, Image.new("CMYK", image.size, ground_ink), alpha)
    return image


def placeholder_src(size: tuple[int, int]) -> str:
    """A plain RGB picture of the front image's size for WeasyPrint to lay out (and scale as
    the real one): its pixels are swapped for the CMYK ones in the written PDF."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size).save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def image_xobjects(resources: pikepdf.Object, seen: set[tuple[int, int]]
                   ) -> list[pikepdf.Object]:
    """Every image a page draws, through its forms too."""
    found: list[pikepdf.Object] = []
    for xobject in (resources.get("/XObject") or {}).values():
        if xobject.objgen in seen:
            continue
        seen.add(xobject.objgen)
        if xobject.get("/Subtype") == "/Image":
            found.append(xobject)
        elif "/Resources" in xobject:
            found.extend(image_xobjects(xobject.Resources, seen))
    return found


def swap_in_press_image(pdf: pikepdf.Pdf, image: Image.Image) -> None:
    """Replace the laid-out placeholder with the front image's CMYK pixels (lossless)."""
    for page in pdf.pages:
        for xobject in image_xobjects(page.obj.get("/Resources") or pikepdf.Dictionary(), set()):
            if (int(xobject.Width), int(xobject.Height)) != image.size:
                continue
            xobject.write(zlib.compress(image.tobytes()), filter=pikepdf.Name.FlateDecode)
            for key in ("/DecodeParms", "/Decode", "/SMask"):
                if key in xobject:
                    del xobject[key]
            xobject.ColorSpace = pikepdf.Name.DeviceCMYK
            xobject.BitsPerComponent = 8


def set_cover_boxes(page: pikepdf.Page, spec: CoverSpec) -> None:
    """MediaBox = BleedBox = the cover with its bleed; TrimBox 0.125 in inside on every side."""
    width, height = (v * 72 for v in spec.size)
    b = BLEED * 72
    page.obj.MediaBox = pikepdf.Array([0, 0, round(width, 4), round(height, 4)])
    page.obj.BleedBox = page.obj.MediaBox
    page.obj.TrimBox = pikepdf.Array([b, b, round(width - b, 4), round(height - b, 4)])
    if "/CropBox" in page.obj:
        del page.obj["/CropBox"]


def render_cover(meta: Metadata, theme: Theme, trim: str, pages: int, press: PrintSettings,
                 image: Path | None = None, allowed_roots: tuple[Path, ...] = (),
                 modified: dt.datetime | None = None, isbn: str | None = None) -> bytes:
    """The full-wrap cover as PDF bytes: MediaBox = BleedBox (with bleed), TrimBox inside.
    ``isbn``: the print edition's 13 digits (checked), drawn as its barcode on the back."""
    from dataclasses import replace

    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from ..press.document import ICC_DIR, color_profile_css, confined_fetcher, pdf_variant

    spec = CoverSpec(trim_size(trim), pages, press.paper)
    faces, family = font_faces(theme)
    fonts = FontConfiguration()
    fetcher = confined_fetcher((theme.path, *allowed_roots, ICC_DIR))
    front_image = None
    image_src = image.as_uri() if image is not None else None
    stylesheets = [faces]
    if press.pdf_x:
        ground = process_inks(press.cover_background, "background")
        if image is not None:
            front_image = press_image(image, ground)
            image_src = placeholder_src(front_image.size)
        foreground = process_inks(press.cover_foreground, "foreground")
        press = replace(press, cover_background=device_cmyk(ground),
                        cover_foreground=device_cmyk(foreground))
        stylesheets.append(color_profile_css())
    def page_count(html: str) -> int:
        return len(HTML(string=html, url_fetcher=fetcher,
                        base_url=str(theme.path) + "/").render(
            stylesheets=[CSS(string=faces, base_url=str(theme.path) + "/", url_fetcher=fetcher,
                             font_config=fonts)], font_config=fonts).pages)

    back_size = fitting_back_size(meta, spec, press, family, page_count)
    spine_size = fitting_spine_size(meta, spec, family, page_count)
    html = cover_html(meta, spec, press, family, image_src, back_size, isbn, spine_size)
    if modified is not None:
        stamp = modified.strftime("%Y-%m-%dT%H:%M:%SZ")
        html = html.replace("<title>", f'<meta name="dcterms.created" content="{stamp}"/>'
                            f'<meta name="dcterms.modified" content="{stamp}"/><title>', 1)
    # Filled by the @color-profile rule: WeasyPrint writes it as the PDF/X output intent.
    profiles: dict[str, object] = {}
    document = HTML(string=html, url_fetcher=fetcher, base_url=str(theme.path) + "/").render(
        stylesheets=[CSS(string=css, base_url=str(theme.path) + "/", url_fetcher=fetcher,
                         font_config=fonts, color_profiles=profiles) for css in stylesheets],
        font_config=fonts, color_profiles=profiles)
    data = document.write_pdf(pdf_variant=pdf_variant(press.pdf_x))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        set_cover_boxes(pdf.pages[0], spec)
        if press.pdf_x:
            if front_image is not None:
                swap_in_press_image(pdf, front_image)
            drop_unused_colour_spaces(pdf)
            drop_annotations(pdf)
            stable_identity(pdf, meta.identifier + "#cover")
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, fix_metadata_version=False)
        return out.getvalue()

