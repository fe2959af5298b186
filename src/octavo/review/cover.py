"""The review edition's cover: whatever cover the ebook has (given or generated), with an
"Advance Reader Copy" band across its head."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path

from ..review.edition import COVER_MARK
from ..review.epubpatch import EpubFiles

OPF_NS = "{http://www.idpf.org/2007/opf}"
BAND = (128, 20, 28)
BAND_INK = (255, 255, 255)


def cover_entry(epub: EpubFiles) -> tuple[str, str] | None:
    """(zip entry, media type) of the package's cover image, if it has one."""
    root = ET.fromstring(epub.get(epub.opf))
    for item in root.iter(f"{OPF_NS}item"):
        if "cover-image" in (item.get("properties") or "").split():
            return epub.href_path(item.get("href", "")), item.get("media-type", "")
    return None


def band_cover(data: bytes, font_path: Path | None) -> bytes:
    """A raster cover with a band across its head reading ``COVER_MARK``, same size and format."""
    from PIL import Image, ImageDraw, ImageFont

    with Image.open(io.BytesIO(data)) as opened:
        fmt = opened.format or "PNG"
        image = opened.convert("RGB") if fmt == "JPEG" else opened.convert("RGBA")
    width, height = image.size
    band_height = max(24, round(height * 0.075))
    top = round(height * 0.035)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, top, width, top + band_height), fill=BAND)
    size = round(band_height * 0.55)
    while True:
        font = (ImageFont.truetype(str(font_path), size) if font_path
                else ImageFont.load_default(size))
        left, upper, right, lower = draw.textbbox((0, 0), COVER_MARK, font=font)
        if right - left <= width * 0.88 or size <= 8:
            break
        size -= 2
    draw.text(((width - (right - left)) / 2 - left,
               top + (band_height - (lower - upper)) / 2 - upper),
              COVER_MARK, font=font, fill=BAND_INK)
    out = io.BytesIO()
    image.save(out, format=fmt, **({"quality": 92} if fmt == "JPEG" else {"optimize": False}))
    return out.getvalue()


def mark_epub_cover(epub_data: bytes, font_path: Path | None) -> bytes:
    """The EPUB with its cover image banded; unchanged when it has no raster cover."""
    epub = EpubFiles.read(epub_data)
    found = cover_entry(epub)
    if found is None or found[1] not in ("image/jpeg", "image/png"):
        return epub_data
    name, _ = found
    return epub.write({name: band_cover(epub.get(name), font_path)})
