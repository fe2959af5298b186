"""Page geometry a printer checks: trim sizes, margins by page count, bleed, spine width.

All lengths are inches. The figures are the common print-on-demand specifications (Amazon KDP,
IngramSpark and Lulu publish the same table for the inside margin).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .errors import OctavoError

# Trim sizes (width, height).
TRIMS: dict[str, tuple[float, float]] = {
    "5x8": (5.0, 8.0),
    "5.25x8": (5.25, 8.0),
    "5.5x8.5": (5.5, 8.5),
    "6x9": (6.0, 9.0),
    "a5": (148 / 25.4, 210 / 25.4),
    "b-format": (129 / 25.4, 198 / 25.4),
}

# (last page of the band, minimum inside margin): a thicker book curves more into the binding.
GUTTER_BANDS: tuple[tuple[int, float], ...] = (
    (150, 0.375),
    (300, 0.5),
    (500, 0.625),
    (700, 0.75),
    (828, 0.875),
)
MAX_PAGES = GUTTER_BANDS[-1][0]
MIN_PAGES = 24

BLEED = 0.125
# Paper thickness per page (a leaf is two pages), as print-on-demand services compute spines.
PAPER_CALIPER: dict[str, float] = {"white": 0.002252, "cream": 0.0025}
Paper = Literal["white", "cream"]
# Text on a spine needs room: print-on-demand services (KDP) allow it over 79 pages.
SPINE_TEXT_MIN_PAGES = 80


def trim_size(trim: str) -> tuple[float, float]:
    """Inches for a preset name or a custom ``WxH`` in inches (``5.06x7.81``)."""
    key = trim.strip().lower().replace(" ", "").replace("in", "")
    if key in TRIMS:
        return TRIMS[key]
    try:
        w, h = (float(v) for v in key.split("x"))
    except ValueError:
        raise OctavoError(
            f"unknown trim '{trim}' (use one of {', '.join(TRIMS)} or WIDTHxHEIGHT in inches)"
        ) from None
    if not (3 <= w <= 12 and 4 <= h <= 15):
        raise OctavoError(f"trim '{trim}' is outside 3-12 x 4-15 inches")
    return w, h


def gutter_for_pages(pages: int) -> float:
    """The minimum inside margin for a book of ``pages`` pages (below 24 pages: the first
    band's figure; above 828 no service binds it, so the last band's)."""
    for last, gutter in GUTTER_BANDS:
        if pages <= last:
            return gutter
    return GUTTER_BANDS[-1][1]


@dataclass(frozen=True, slots=True)
class Margins:
    top: float
    bottom: float
    outside: float
    inside: float


# The least distance from anything printed (folios and running heads included) to the trim
# that each print-on-demand service accepts, without and with bleed (a bled page is trimmed
# less exactly). The preflight's printer profiles take their margins from here.
PRINTER_EDGES: dict[str, tuple[float, float]] = {
    "kdp": (0.25, 0.375),
    "ingram": (0.5, 0.5),
    "lulu": (0.5, 0.5),
}
# Both themes hang the running head and the folios in the margin within this distance of the
# type area (9 pt type 0.2-0.24 in from it): a top or bottom margin of the printer's edge plus
# this keeps them inside what the printer accepts.
MARGIN_LAYER_DEPTH = 0.375


def least_edge(printer: str, bleed: bool) -> float:
    """The named printer's least distance to the trim (0 when no printer is named)."""
    edges = PRINTER_EDGES.get(printer)
    if edges is None:
        return 0.0
    return edges[1] if bleed else edges[0]


def margins_for(trim: tuple[float, float], pages: int, edge: float = 0.0) -> Margins:
    """Margins of the type area. The inside is the band's gutter (what the binding takes) plus
    a quarter inch of visible margin: the two inside margins of a spread are seen together, so
    each is narrower than the outside one, as in a trade book. ``edge`` is the printer's least
    distance to the trim: the head and foot margins grow so the running heads and folios keep
    it (IngramSpark's and Lulu's half inch takes more than the theme's 0.7-0.85 in)."""
    width, height = trim
    outside = 0.625 if width >= 5.5 else 0.55
    visual_inside = 0.25
    top = 0.8 if height >= 8.5 else 0.7
    bottom = 0.85 if height >= 8.5 else 0.75
    if edge:
        top = max(top, round(edge + MARGIN_LAYER_DEPTH, 4))
        bottom = max(bottom, round(edge + MARGIN_LAYER_DEPTH, 4))
        outside = max(outside, edge)
    return Margins(top, bottom, outside, round(gutter_for_pages(pages) + visual_inside, 4))


def spine_width(pages: int, paper: Paper = "white") -> float:
    """Spine thickness from the page count and the paper's caliper."""
    if paper not in PAPER_CALIPER:
        raise OctavoError(f"unknown paper '{paper}' (use white or cream)")
    return pages * PAPER_CALIPER[paper]


def cover_size(trim: tuple[float, float], pages: int, paper: Paper = "white") -> tuple[float, float]:
    """A full-wrap cover: back + spine + front, with bleed on every side."""
    width, height = trim
    return (2 * width + spine_width(pages, paper) + 2 * BLEED, height + 2 * BLEED)
