"""What each print-on-demand service accepts, as data: one frozen ``PrinterProfile`` each.

Figures are the services' published ones for a black-and-white paperback (perfect bound) on
white or cream paper; where a service publishes a figure octavo could not pin down, the comment
says which figure is taken and why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..errors import OctavoError
from ..geometry import GUTTER_BANDS, PRINTER_EDGES

Severity = Literal["error", "warning"]
PrinterKey = Literal["kdp", "ingram", "lulu"]
MM = 1 / 25.4


@dataclass(frozen=True, slots=True)
class Trim:
    label: str
    width: float  # inches
    height: float


@dataclass(frozen=True, slots=True)
class PrinterProfile:
    key: PrinterKey
    name: str
    trims: tuple[Trim, ...]
    # Another size within these (width range, height range) is printed too, with a warning
    # (a custom trim, sold in fewer places); None: only the listed trims.
    custom_trims: tuple[tuple[float, float], tuple[float, float]] | None
    min_pages: int
    max_pages: int
    # An odd page count: refused (error) or padded with a blank page by the service (warning).
    odd_pages: Severity
    # (last page of the band, minimum inside margin): the binding takes more of a thick book.
    gutter_bands: tuple[tuple[int, float], ...]
    # The least distance from text to the trim at the outside, top and bottom, without and
    # with bleed (a bled page is trimmed less exactly); the inside never below ``min_inside``.
    min_margin: float
    min_margin_bleed: float
    min_inside: float = 0.0
    bleed: float = 0.125
    # PDF/X-1a as the service's default: no transparency, process colour (CMYK, gray) only.
    pdf_x1a: bool = False
    ppi_good: float = 300.0  # below: a warning (prints soft)
    ppi_least: float = 150.0  # below: an error (prints visibly pixelated)
    # The barcode box on the back cover (width, height) and its distance from the spine and
    # the bottom trim: nothing but a barcode may be printed there.
    barcode: tuple[float, float] = (2.0, 1.2)
    barcode_inset: float = 0.25
    # How far a page or cover may be from the size asked for and still be it (rounding).
    tolerance: float = 0.01

    def gutter(self, pages: int) -> float:
        """The least inside margin for a book of ``pages`` pages."""
        for last, inside in self.gutter_bands:
            if pages <= last:
                return max(inside, self.min_inside)
        return max(self.gutter_bands[-1][1], self.min_inside)

    def margin(self, bleed: bool) -> float:
        return self.min_margin_bleed if bleed else self.min_margin


def _inches(label: str, width: float, height: float) -> Trim:
    return Trim(label, width, height)


def _mm(label: str, width: float, height: float) -> Trim:
    return Trim(label, round(width * MM, 4), round(height * MM, 4))


# Amazon KDP, "Set Trim Size, Bleed, and Margins" and "Paperback page count": the standard
# trims (cream paper takes the first five), custom trims 4-8.5 x 6-11.69 in (sold on Amazon,
# not through Expanded Distribution), 24-828 pages on white paper, the gutter table by page
# count, 0.25 in outside margins (0.375 in with bleed). KDP adds a blank page to an odd count.
KDP = PrinterProfile(
    key="kdp",
    name="Amazon KDP",
    trims=(
        _inches("5 x 8 in", 5, 8), _inches("5.06 x 7.81 in", 5.06, 7.81),
        _inches("5.25 x 8 in", 5.25, 8), _inches("5.5 x 8.5 in", 5.5, 8.5),
        _inches("6 x 9 in", 6, 9), _inches("6.14 x 9.21 in", 6.14, 9.21),
        _inches("6.69 x 9.61 in", 6.69, 9.61), _inches("7 x 10 in", 7, 10),
        _inches("7.44 x 9.69 in", 7.44, 9.69), _inches("7.5 x 9.25 in", 7.5, 9.25),
        _inches("8 x 10 in", 8, 10), _inches("8.25 x 6 in", 8.25, 6),
        _inches("8.25 x 8.25 in", 8.25, 8.25), _inches("8.5 x 8.5 in", 8.5, 8.5),
        _inches("8.5 x 11 in", 8.5, 11), _mm("A4", 210, 297),
    ),
    custom_trims=((4.0, 8.5), (6.0, 11.69)),
    min_pages=24,
    max_pages=828,
    odd_pages="warning",
    gutter_bands=GUTTER_BANDS,
    min_margin=PRINTER_EDGES["kdp"][0],
    min_margin_bleed=PRINTER_EDGES["kdp"][1],
)

# IngramSpark, File Creation Guide and "File Requirements for Print Books": margins of at
# least 0.5 in from the trim on every side, page numbers included; PDF/X-1a:2001 the default
# (CMYK or gray, no transparency); an even page count. Its trim tables list the US sizes and
# the UK/European ones in millimetres (A5, B-format 129 x 198 mm, Demy 138 x 216 mm, Royal
# 156 x 234 mm). Page counts: the guide's black-and-white paperback range is 18 pages up to
# 1,200 (less on some trims and papers); 18 and 1,200 are taken as the bounds. The inside
# margin is the same gutter table as KDP's, never under the 0.5 in floor.
INGRAM = PrinterProfile(
    key="ingram",
    name="IngramSpark",
    trims=(
        _inches("4.25 x 7 in", 4.25, 7), _inches("4.37 x 7 in", 4.37, 7),
        _inches("5 x 8 in", 5, 8), _inches("5.06 x 7.81 in", 5.06, 7.81),
        _inches("5.25 x 8 in", 5.25, 8), _inches("5.5 x 8.5 in", 5.5, 8.5),
        _inches("6 x 9 in", 6, 9), _inches("6.14 x 9.21 in", 6.14, 9.21),
        _inches("6.69 x 9.61 in", 6.69, 9.61), _inches("7 x 10 in", 7, 10),
        _inches("7.44 x 9.69 in", 7.44, 9.69), _inches("7.5 x 9.25 in", 7.5, 9.25),
        _inches("8 x 10 in", 8, 10), _inches("8.5 x 8.5 in", 8.5, 8.5),
        _inches("8.5 x 11 in", 8.5, 11), _mm("A5", 148, 210), _mm("B-format", 129, 198),
        _mm("Demy", 138, 216), _mm("Royal", 156, 234), _mm("A4", 210, 297),
    ),
    custom_trims=None,
    min_pages=18,
    max_pages=1200,
    odd_pages="error",
    gutter_bands=GUTTER_BANDS,
    min_margin=PRINTER_EDGES["ingram"][0],
    min_margin_bleed=PRINTER_EDGES["ingram"][1],
    min_inside=0.5,
    pdf_x1a=True,
)

# Lulu, Book Creation Guide and "Tips for formatting documents": at least 0.5 in margins on
# every page, with a gutter on top for binding (octavo takes KDP's gutter table, never under
# the 0.5 in); perfect-bound paperbacks of 32 to 800 pages (the guide's range; hardcovers
# start at 24, saddle stitch ends at 48); its own named trims. Lulu pads an odd count.
LULU = PrinterProfile(
    key="lulu",
    name="Lulu",
    trims=(
        _inches("Pocketbook 4.25 x 6.875 in", 4.25, 6.875), _inches("Novella 5 x 8 in", 5, 8),
        _inches("Digest 5.5 x 8.5 in", 5.5, 8.5), _mm("A5", 148, 210),
        _inches("US Trade 6 x 9 in", 6, 9), _inches("Royal 6.14 x 9.21 in", 6.14, 9.21),
        _inches("Comic 6.625 x 10.25 in", 6.625, 10.25),
        _inches("Executive 7 x 10 in", 7, 10),
        _inches("Crown Quarto 7.44 x 9.68 in", 7.44, 9.68),
        _inches("Small Square 7.5 x 7.5 in", 7.5, 7.5), _inches("Square 8.5 x 8.5 in", 8.5, 8.5),
        _inches("US Letter 8.5 x 11 in", 8.5, 11), _mm("A4", 210, 297),
    ),
    custom_trims=None,
    min_pages=32,
    max_pages=800,
    odd_pages="warning",
    gutter_bands=GUTTER_BANDS,
    min_margin=PRINTER_EDGES["lulu"][0],
    min_margin_bleed=PRINTER_EDGES["lulu"][1],
    min_inside=0.5,
)

PRINTERS: dict[str, PrinterProfile] = {p.key: p for p in (KDP, INGRAM, LULU)}
DEFAULT_PRINTER = "kdp"


def printer_profile(key: str) -> PrinterProfile:
    try:
        return PRINTERS[key]
    except KeyError:
        raise OctavoError(f"unknown printer '{key}' (use {', '.join(PRINTERS)})") from None
