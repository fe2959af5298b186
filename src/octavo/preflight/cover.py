"""The cover's own checks: its size for the interior it wraps, and the barcode area.

P020 cover size (2 x trim + spine + bleed, the spine from the page count and the paper),
P021 something printed in the barcode area of the back cover.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..geometry import Paper, cover_size, spine_width
from .facts import POINTS, Box, PdfFacts
from .findings import Finding
from .profiles import PrinterProfile


@dataclass(frozen=True, slots=True)
class CoverJob:
    """A cover and what it must fit: the interior's trim (inches) and page count, the paper."""

    cover: PdfFacts
    trim: tuple[float, float]
    pages: int
    paper: Paper


CoverCheck = Callable[[CoverJob, PrinterProfile], tuple[Finding, ...]]
# A barcode's human-readable lines (the ISBN above the bars, the digits under them, a price
# add-on) are part of it; glyphs are read without spaces.
BARCODE_TEXT = re.compile(r"(?:ISBN(?:-1[03])?:?)?[0-9X\-–]*(?:\$?[0-9.]+)?")


def cover_dimensions(job: CoverJob, profile: PrinterProfile) -> tuple[Finding, ...]:
    """P020: the cover is back + spine + front with the bleed on every side."""
    if not job.cover.pages:
        return ()
    page = job.cover.pages[0]
    width, height = page.media.width, page.media.height
    want_w, want_h = cover_size(job.trim, job.pages, job.paper)
    if abs(width - want_w) <= profile.tolerance and abs(height - want_h) <= profile.tolerance:
        return ()
    spine = spine_width(job.pages, job.paper)
    return (Finding(
        "P020", "error", f"the cover is {width:.3f} x {height:.3f} in; for {job.pages} pages "
        f"of {job.trim[0]:.3f} x {job.trim[1]:.3f} in on {job.paper} paper it must be "
        f"{want_w:.3f} x {want_h:.3f} in (spine {spine:.3f} in, bleed {profile.bleed} in)",
        f"make the cover again for this interior: octavo cover BOOK --pages {job.pages} "
        f"--paper {job.paper}", job.cover.name, (1,)),)


def barcode_box(job: CoverJob, profile: PrinterProfile) -> Box:
    """The barcode area: at the back cover's lower right, ``barcode_inset`` from the spine
    and from the bottom trim."""
    page = job.cover.pages[0]
    trim = page.trim or Box(page.media.x0 + profile.bleed * POINTS,
                            page.media.y0 + profile.bleed * POINTS,
                            page.media.x1 - profile.bleed * POINTS,
                            page.media.y1 - profile.bleed * POINTS)
    spine_edge = trim.x0 + job.trim[0] * POINTS
    width, height = profile.barcode
    inset = profile.barcode_inset * POINTS
    return Box(spine_edge - inset - width * POINTS, trim.y0 + inset,
               spine_edge - inset, trim.y0 + inset + height * POINTS)


def barcode_area(job: CoverJob, profile: PrinterProfile) -> tuple[Finding, ...]:
    """P021: nothing printed in the barcode area but a barcode (an image that lies within
    it, its digits) or a background (an image under the whole back cover)."""
    if not job.cover.pages:
        return ()
    area = barcode_box(job, profile)
    page = job.cover.pages[0]
    back = Box(area.x1 - job.trim[0] * POINTS, page.media.y0, area.x1, page.media.y1)
    text = "".join(g.char for g in page.glyphs if g.box.overlaps(area))
    if BARCODE_TEXT.fullmatch(text):
        text = ""
    images = [i.name for i in job.cover.images if i.page == 1 and i.placed.overlaps(area)
              and not i.placed.inside(area) and not _covers(i.placed, back)]
    what = ([f"text ({text[:30]!r})"] if text else []) + [f"image {n}" for n in images]
    if not what:
        return ()
    width, height = profile.barcode
    return (Finding(
        "P021", "error", f"{' and '.join(what)} in the barcode area ({width} x {height} in at "
        f"the back cover's lower right, {profile.barcode_inset} in from the spine and the "
        f"bottom): {profile.name} prints the ISBN barcode there", "move it out of that area "
        "(shorten the blurb, or place the picture higher)", job.cover.name, (1,)),)


def _covers(placed: Box, back: Box) -> bool:
    """An image that fills the back cover's width is its background, not something in the
    barcode's way."""
    return placed.x0 <= back.x0 + 1 and placed.x1 >= back.x1 - 1


COVER_CHECKS: tuple[CoverCheck, ...] = (cover_dimensions, barcode_area)
