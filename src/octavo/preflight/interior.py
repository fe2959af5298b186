"""The interior's checks, each a pure function ``(PdfFacts, PrinterProfile) -> findings``, in
the order a printer's own preflight reports them. IDs are stable:

P001 trim size, P002 page count, P003 odd page count, P004 bleed boxes, P005 inside margin,
P006 outside, top and bottom margins, P007 a font not embedded, P008 a Type 3 font, P009 image
resolution, P010 transparency, P011 colour outside process CMYK and gray, P012 no PDF/X output
intent.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from .facts import POINTS, Box, Mark, PageFacts, PdfFacts
from .findings import Finding, Severity
from .profiles import PrinterProfile

InteriorCheck = Callable[[PdfFacts, PrinterProfile], tuple[Finding, ...]]
# Measured lengths within this of a limit meet it (PDF coordinates are rounded to 1/1000 pt
# by some writers; a glyph box is not exact to the hundredth of an inch).
SLACK = 0.005
PDF_X_FIX = 'set [print] pdf_x = "x-1a" in book.toml and build again (CMYK, no transparency)'


def _size(box: Box) -> str:
    return f"{box.width:.3f} x {box.height:.3f} in"


def _matching_trim(width: float, height: float, profile: PrinterProfile) -> str | None:
    for trim in profile.trims:
        if (abs(trim.width - width) <= profile.tolerance
                and abs(trim.height - height) <= profile.tolerance):
            return trim.label
    return None


def trim_sizes(facts: PdfFacts, profile: PrinterProfile) -> tuple[Finding, ...]:
    """P001: every page the same size (its TrimBox, else its MediaBox), and one the printer
    prints: a listed trim, or a custom one within its range (a warning)."""
    if not facts.pages:
        return ()
    first = facts.pages[0].trim_or_media
    by_size: dict[tuple[float, float], list[int]] = defaultdict(list)
    for page in facts.pages[1:]:
        box = page.trim_or_media
        if (abs(box.width - first.width) > profile.tolerance
                or abs(box.height - first.height) > profile.tolerance):
            by_size[(round(box.width, 3), round(box.height, 3))].append(page.number)
    found = [Finding("P001", "error", f"the page is {width:.3f} x {height:.3f} in, the first "
                     f"{_size(first)}: a book has one trim size", "give every page the first "
                     "page's size (TrimBox)", facts.name, tuple(pages))
             for (width, height), pages in by_size.items()]
    width, height = first.width, first.height
    if _matching_trim(width, height, profile):
        return tuple(found)
    listed = ", ".join(t.label for t in profile.trims[:6])
    custom = profile.custom_trims
    if custom and custom[0][0] <= width <= custom[0][1] and custom[1][0] <= height <= custom[1][1]:
        found.insert(0, Finding(
            "P001", "warning", f"trim {width:.3f} x {height:.3f} in is not one of "
            f"{profile.name}'s standard trims: printed as a custom trim, sold in fewer places",
            f"for the widest distribution choose a standard trim ({listed}, ...)",
            facts.name, (1,)))
    else:
        found.insert(0, Finding(
            "P001", "error", f"trim {width:.3f} x {height:.3f} in is not a size "
            f"{profile.name} prints", f"choose one of its trims ({listed}, ...): "
            'trim = "6x9" in book.toml', facts.name, (1,)))
    return tuple(found)


def page_count(facts: PdfFacts, profile: PrinterProfile) -> tuple[Finding, ...]:
    """P002: within the printer's page range for a paperback."""
    count = len(facts.pages)
    if count < profile.min_pages:
        return (Finding("P002", "error", f"{count} pages: {profile.name} binds "
                        f"{profile.min_pages} to {profile.max_pages} pages",
                        f"add {profile.min_pages - count} pages or more (front and back "
                        "matter, a larger type), or publish it as an ebook only", facts.name),)
    if count > profile.max_pages:
        return (Finding("P002", "error", f"{count} pages: {profile.name} binds "
                        f"{profile.min_pages} to {profile.max_pages} pages",
                        f"take out {count - profile.max_pages} pages or more: a larger trim, "
                        "or the book in two volumes", facts.name),)
    return ()


def even_pages(facts: PdfFacts, profile: PrinterProfile) -> tuple[Finding, ...]:
    """P003: a leaf is two pages; an odd count is refused or padded by the printer."""
    count = len(facts.pages)
    if count % 2 == 0:
        return ()
    padded = " (it adds a blank page)" if profile.odd_pages == "warning" else ""
    return (Finding("P003", profile.odd_pages, f"{count} pages, an odd count: {profile.name} "
                    f"prints whole leaves of two pages{padded}", "end the book on a blank "
                    "verso (octavo's own build pads to an even count)", facts.name,
                    (count,)),)


def _bleeds(page: PageFacts) -> dict[str, float]:
    """How far the MediaBox reaches past the trim on each side, in inches, named by the
    side's place in the book (inside: the bound edge)."""
    media, trim = page.media, page.trim_or_media
    left, right = (trim.x0 - media.x0) / POINTS, (media.x1 - trim.x1) / POINTS
    inside, outside = (left, right) if page.is_recto else (right, left)
    return {"outside": outside, "top": (media.y1 - trim.y1) / POINTS,
            "bottom": (trim.y0 - media.y0) / POINTS, "inside": inside}


def _has_bleed(page: PageFacts, tolerance: float) -> bool:
    return any(v > tolerance for v in _bleeds(page).values())


def bleed_boxes(facts: PdfFacts, profile: PrinterProfile) -> tuple[Finding, ...]:
    """P004: a page with bleed has a TrimBox and a BleedBox, the MediaBox equal to the
    BleedBox, and exactly the printer's bleed at the outside, top and bottom, none at the
    inside (bound) edge."""
    problems: dict[str, list[int]] = defaultdict(list)
    bleed = profile.bleed
    for page in facts.pages:
        if not _has_bleed(page, profile.tolerance):
            continue
        if page.bleed is None:
            problems["the page is larger than its TrimBox (bleed) but has no BleedBox"].append(
                page.number)
            continue
        if page.bleed != page.media:
            problems[f"the BleedBox ({_size(page.bleed)}) is not the MediaBox "
                     f"({_size(page.media)})"].append(page.number)
        sides = _bleeds(page)
        wrong = [f"{side} {amount:.3f} in" for side, amount in sides.items()
                 if abs(amount - (0.0 if side == "inside" else bleed)) > profile.tolerance]
        if wrong:
            problems[f"the bleed is {', '.join(wrong)}; {profile.name} wants {bleed} in at "
                     "the outside, top and bottom and none at the inside"].append(page.number)
    fix = ("set [print] bleed = true in book.toml and build again (octavo sets the boxes), or "
           f"make each page trim + {bleed} in at the outside, top and bottom with TrimBox and "
           "BleedBox")
    return tuple(Finding("P004", "error", message, fix, facts.name, tuple(pages))
                 for message, pages in problems.items())


def _margins(page: PageFacts) -> dict[str, float] | None:
    """Inches from the text's extent to each edge of the trim, by the side's place in the
    book; None on a page without text."""
    text, trim = page.text, page.trim_or_media
    if text is None:
        return None
    left, right = (text.x0 - trim.x0) / POINTS, (trim.x1 - text.x1) / POINTS
    inside, outside = (left, right) if page.is_recto else (right, left)
    return {"inside": inside, "outside": outside, "top": (trim.y1 - text.y1) / POINTS,
            "bottom": (text.y0 - trim.y0) / POINTS}


def _short(facts: PdfFacts, side: str, least: Callable[[PageFacts], float]
           ) -> tuple[list[int], float, int]:
    """Pages whose text comes nearer the ``side`` edge than ``least(page)``: their numbers,
    the nearest distance and the page it is on."""
    pages: list[int] = []
    nearest, where = float("inf"), 0
    for page in facts.pages:
        margins = _margins(page)
        if margins is None:
            continue
        distance = margins[side]
        if distance < least(page) - SLACK:
            pages.append(page.number)
            if distance < nearest:
                nearest, where = distance, page.number
    # The nearest page first: the line names it, the others after it.
    return sorted(pages, key=lambda n: n != where), nearest, where


def inside_margins(facts: PdfFacts, profile: PrinterProfile) -> tuple[Finding, ...]:
    """P005: the text keeps the printer's gutter for the book's page count from the bound
    edge (the left of a recto, the right of a verso)."""
    count = len(facts.pages)
    gutter = profile.gutter(count)
    pages, nearest, _nearest_page = _short(facts, "inside", lambda _page: gutter)
    if not pages:
        return ()
    return (Finding("P005", "error", f"text {nearest:.3f} in from the inside (bound) edge: "
                    f"a book of {count} pages needs {gutter} in at {profile.name}", "widen the inside margin to the gutter (octavo sets it "
                    "from the page count: build the book again rather than adding pages "
                    "to its PDF)", facts.name, tuple(pages)),)


def outside_margins(facts: PdfFacts, profile: PrinterProfile) -> tuple[Finding, ...]:
    """P006: the text keeps the printer's least margin from the outside, top and bottom
    edges of the trim (more on a page with bleed, which is trimmed less exactly)."""
    found: list[Finding] = []

    def least(page: PageFacts) -> float:
        return profile.margin(_has_bleed(page, profile.tolerance))

    for side in ("outside", "top", "bottom"):
        pages, nearest, where = _short(facts, side, least)
        if pages:
            page = facts.pages[where - 1]
            bleed = " (with bleed)" if _has_bleed(page, profile.tolerance) else ""
            found.append(Finding(
                "P006", "error", f"text {nearest:.3f} in from the {side} edge of the trim: "
                f"{profile.name} wants {least(page)} in{bleed}",
                f"keep text, folios and running heads {least(page)} in inside the trim "
                f"(a wider {side} margin)", facts.name, tuple(pages)))
    return tuple(found)


def fonts_embedded(facts: PdfFacts, profile: PrinterProfile) -> tuple[Finding, ...]:
    """P007: every font the text is set in is embedded: a printer has no fonts of its own."""
    return tuple(Finding("P007", "error", f"the font {font.name} ({font.subtype.lstrip('/')}) "
                         "is not embedded", "embed every font: export the PDF with all fonts "
                         "embedded (octavo's own build embeds the theme's fonts)", facts.name,
                         font.pages)
                 for font in facts.fonts if not font.embedded)


def type3_fonts(facts: PdfFacts, profile: PrinterProfile) -> tuple[Finding, ...]:
    """P008: no text in Type 3 fonts (glyphs drawn by procedures, often bitmaps), which
    printers refuse or set badly."""
    return tuple(Finding("P008", "error", f"text is set in the Type 3 font {font.name}",
                         "set it in an OpenType or TrueType font (a bitmap font comes out as "
                         "Type 3)", facts.name, font.pages)
                 for font in facts.fonts if font.subtype == "/Type3")


def image_resolution(facts: PdfFacts, profile: PrinterProfile) -> tuple[Finding, ...]:
    """P009: every image has the printer's resolution at the size it is placed (an error
    below the least it prints acceptably, a warning below what it asks for)."""
    found: list[Finding] = []
    for image in facts.images:
        ppi = image.ppi
        if ppi >= profile.ppi_good - 0.5:
            continue
        severity: Severity = "error" if ppi < profile.ppi_least else "warning"
        width, height = image.size
        need = (round(width * profile.ppi_good), round(height * profile.ppi_good))
        found.append(Finding(
            "P009", severity, f"image {image.name} is {ppi:.0f} ppi at its placed size "
            f"({width:.2f} x {height:.2f} in, {image.pixels[0]} x {image.pixels[1]} pixels): "
            f"{profile.name} asks for {profile.ppi_good:.0f} ppi",
            f"use a picture of at least {need[0]} x {need[1]} pixels, or place it smaller",
            facts.name, (image.page,)))
    return tuple(found)


def _grouped(marks: Iterable[Mark]) -> dict[str, list[int]]:
    pages: dict[str, list[int]] = defaultdict(list)
    for mark in marks:
        if not pages[mark.what] or pages[mark.what][-1] != mark.page:
            pages[mark.what].append(mark.page)
    return pages


def transparency(facts: PdfFacts, profile: PrinterProfile) -> tuple[Finding, ...]:
    """P010: PDF/X-1a allows no transparency (soft masks, opacity, blend modes, transparency
    groups): the printer's RIP would flatten it its own way."""
    if not profile.pdf_x1a:
        return ()
    return tuple(Finding("P010", "error", f"transparency ({what}): {profile.name}'s PDF/X-1a "
                         "allows none", PDF_X_FIX, facts.name, tuple(pages))
                 for what, pages in _grouped(facts.transparency).items())


def colour_spaces(facts: PdfFacts, profile: PrinterProfile) -> tuple[Finding, ...]:
    """P011: PDF/X-1a prints process colour only: CMYK, gray and spot colours; RGB or
    device-independent colour would be converted by the printer, unseen."""
    if not profile.pdf_x1a:
        return ()
    return tuple(Finding("P011", "error", f"colour in {what}: {profile.name}'s PDF/X-1a takes "
                         "CMYK or gray only", PDF_X_FIX, facts.name, tuple(pages))
                 for what, pages in _grouped(facts.colours).items())


def pdf_x_intent(facts: PdfFacts, profile: PrinterProfile) -> tuple[Finding, ...]:
    """P012: a PDF/X file names the press condition it was made for (its output intent)."""
    if not profile.pdf_x1a or facts.output_intent:
        return ()
    return (Finding("P012", "warning", f"not a PDF/X file (no output intent): {profile.name} "
                    "asks for PDF/X-1a", PDF_X_FIX, facts.name),)


INTERIOR_CHECKS: tuple[InteriorCheck, ...] = (
    trim_sizes,
    page_count,
    even_pages,
    bleed_boxes,
    inside_margins,
    outside_margins,
    fonts_embedded,
    type3_fonts,
    image_resolution,
    transparency,
    colour_spaces,
    pdf_x_intent,
)
# What a cover is checked for besides its size and barcode area.
CONTENT_CHECKS: tuple[InteriorCheck, ...] = (
    fonts_embedded,
    type3_fonts,
    image_resolution,
    transparency,
    colour_spaces,
)
