"""The manuscript's pictures: checked before either edition uses them, made safe and small
enough for the ebook.

- A raster picture over ``MAX_IMAGE_PIXELS`` (50 megapixels) is refused, naming the file: a
  book needs nothing near it (a full-bleed 6 x 9 in page at 600 dpi is 19 megapixels), and
  decoding one takes hundreds of megabytes. Its size is read from the header, before any
  decoding; Pillow's own guard (``DecompressionBombError``, past twice its 89-megapixel
  limit) is reported the same way.
- A truncated picture (a file cut short) is kept, with a warning: readers show part of it or
  nothing.
- For the EPUB, a picture over ``EBOOK_MAX_PIXELS`` (4 megapixels, the most Apple Books takes)
  or longer than ``EBOOK_MAX_SIDE`` (3,200 px, twice a large tablet's screen) on a side is
  scaled down, keeping its aspect ratio and format (Lanczos filter, fixed encoder settings, no
  dates: the same picture always gives the same bytes). Print keeps the picture as it is.
- An SVG picture is sanitised (``sanitise_svg``): it may hold no script, event handler,
  ``foreignObject`` or reference out of the document; one that declares XML entities, or is
  not well-formed, is refused.
"""

from __future__ import annotations

import io
import math
import re
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from lxml import etree

from .errors import OctavoError, read_input
from .model import Book, Diagnostic, Image, SourceSpan, all_chapters, walk_blocks

MAX_IMAGE_PIXELS = 50_000_000
EBOOK_MAX_PIXELS = 4_000_000
EBOOK_MAX_SIDE = 3_200
JPEG_QUALITY = 90

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"


@dataclass(frozen=True, slots=True)
class RasterFacts:
    format: str
    width: int
    height: int
    truncated: bool


def is_svg(name: str) -> bool:
    return PurePosixPath(name).suffix.lower() == ".svg"


def _too_many_pixels(name: str, pixels: int, size: str, where: Path | str | None,
                     line: int | None) -> OctavoError:
    return OctavoError(f"image '{name}' is {size}{pixels / 1e6:.1f} megapixels: octavo takes "
                       f"pictures of up to {MAX_IMAGE_PIXELS // 1_000_000} megapixels", where,
                       line, hint="scale it down (a full page at 300 dpi is under 5 megapixels)")


def refuse_too_many_pixels(width: int, height: int, name: str, where: Path | str | None = None,
                           line: int | None = None) -> None:
    """The pixel cap: an error naming the picture when it has more than ``MAX_IMAGE_PIXELS``."""
    if width * height > MAX_IMAGE_PIXELS:
        raise _too_many_pixels(name, width * height, f"{width} x {height} px, ", where, line)


def pillow_bomb_error(exc: Exception, name: str, where: Path | str | None = None,
                      line: int | None = None) -> OctavoError:
    """Pillow's ``DecompressionBombError`` (a picture past twice its own limit) as the cap's
    error."""
    pixels = re.search(r"\((\d+) pixels\)", str(exc))
    return _too_many_pixels(name, int(pixels.group(1)) if pixels else 0, "", where, line)


_STRICT_LOADING = threading.Lock()


@contextmanager
def _strict_loading() -> Iterator[None]:
    """Pillow raising on a picture cut short, whatever the process set: WeasyPrint, once
    imported (a PDF built in the same process), sets ``LOAD_TRUNCATED_IMAGES`` for good, and
    Pillow then fills the missing part silently, so no truncated picture was ever found."""
    from PIL import ImageFile

    with _STRICT_LOADING:
        before = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = before


def raster_facts(data: bytes, name: str, where: str | None = None,
                 line: int | None = None) -> RasterFacts:
    """A raster picture's format and size, read from its header, and whether its data is
    cut short; an ``OctavoError`` naming it when it has more than ``MAX_IMAGE_PIXELS`` pixels
    or is no picture Pillow can read."""
    from PIL import Image as Pillow
    from PIL import UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Pillow.DecompressionBombWarning)
            with Pillow.open(io.BytesIO(data)) as opened:
                width, height = opened.size
                refuse_too_many_pixels(width, height, name, where, line)
                kind = opened.format or ""
                # Reading every byte is what finds a file cut short; a JPEG decodes at an
                # eighth of its size for that, in a sixty-fourth of the memory.
                opened.draft(opened.mode, (max(1, width // 8), max(1, height // 8)))
                try:
                    with _strict_loading():
                        opened.load()
                    truncated = False
                except (OSError, SyntaxError, ValueError):
                    truncated = True
    except Pillow.DecompressionBombError as exc:
        raise pillow_bomb_error(exc, name, where, line) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise OctavoError(f"image '{name}' is not a picture octavo can read (or it is "
                          "damaged)", where, line,
                          hint="export it again as JPEG, PNG, GIF, WebP or SVG") from None
    return RasterFacts(kind, width, height, truncated)


def ebook_size(width: int, height: int) -> tuple[int, int]:
    """The size a picture is given in the EPUB: its own, or scaled down (aspect ratio kept)
    to at most ``EBOOK_MAX_PIXELS`` and ``EBOOK_MAX_SIDE`` on its longer side."""
    scale = min(1.0, math.sqrt(EBOOK_MAX_PIXELS / (width * height)),
                EBOOK_MAX_SIDE / max(width, height))
    if scale >= 1.0:
        return width, height
    return max(1, math.floor(width * scale)), max(1, math.floor(height * scale))


def scaled_for_ebook(data: bytes) -> bytes:
    """A raster picture's bytes, scaled down when it is larger than an ebook needs (see
    ``ebook_size``), in its own format; an animated or damaged one as it is."""
    from PIL import Image as Pillow

    with Pillow.open(io.BytesIO(data)) as opened:
        size = ebook_size(*opened.size)
        if size == opened.size or getattr(opened, "is_animated", False):
            return data
        kind = opened.format
        icc = opened.info.get("icc_profile")
        try:
            source = opened.convert("RGBA") if opened.mode in ("P", "1", "LA", "PA") else opened
            smaller = source.resize(size, Pillow.Resampling.LANCZOS)
        except (OSError, SyntaxError, ValueError):  # truncated, or a mode it cannot filter
            return data
    out = io.BytesIO()
    extra = {"icc_profile": icc} if icc else {}
    if kind == "JPEG":
        smaller.convert("RGB" if smaller.mode not in ("L", "CMYK") else smaller.mode).save(
            out, "JPEG", quality=JPEG_QUALITY, optimize=True, **extra)
    elif kind == "WEBP":
        smaller.save(out, "WEBP", quality=JPEG_QUALITY, method=4, **extra)
    elif kind == "GIF":
        smaller.convert("RGBA").save(out, "GIF")
    else:
        smaller.save(out, "PNG", optimize=True, **extra)
    return out.getvalue()


# --------------------------------------------------------------------------- SVG

_SCRIPTING = frozenset({"script", "foreignObject", "handler", "listener"})
# Animation elements that can set an attribute (an href, an event handler) after loading.
_ANIMATION = frozenset({"set", "animate", "animateTransform", "animateMotion", "animateColor"})
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(?!\s*#)[^)]*\1\s*\)", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"@import\b[^;]*;?", re.IGNORECASE)
# A picture embedded in the SVG itself is kept; a data: URI of any other type (an SVG or HTML
# document) could carry script.
_EMBEDDED_PICTURE = re.compile(r"\s*data:image/(png|jpeg|gif|webp)[;,]", re.IGNORECASE)


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _sanitised_css(text: str) -> str:
    return _CSS_URL.sub("none", _CSS_IMPORT.sub("", text))


def _safe_reference(element: etree._Element, value: str) -> bool:
    """An href an SVG picture may keep: a fragment of itself, or (on ``image``) an embedded
    raster picture."""
    if value.strip().startswith("#"):
        return True
    return _local(element.tag) == "image" and bool(_EMBEDDED_PICTURE.match(value))


def svg_parser() -> etree.XMLParser:
    """Reads no DTD, expands no entity, never touches the network; comments and processing
    instructions (an ``xml-stylesheet`` could load CSS) are dropped."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False, remove_comments=True, remove_pis=True)


def sanitise_svg(data: bytes, name: str, where: str | None = None,
                 line: int | None = None) -> tuple[bytes, tuple[str, ...]]:
    """An SVG picture with everything removed that could run or fetch something, and what
    was removed: script, ``foreignObject``, event-handler attributes (``on*``), animations
    that set an href or a handler, every href but a fragment of the picture (or an embedded
    raster picture), CSS ``@import`` and ``url()`` out of the document. An SVG that declares
    entities (a DTD can make a few bytes expand to gigabytes), or is not well-formed, is an
    ``OctavoError``."""
    try:
        root = etree.fromstring(data, svg_parser())
    except etree.XMLSyntaxError as exc:
        raise OctavoError(f"image '{name}' is not a well-formed SVG file: {exc}", where,
                          line) from None
    tree = root.getroottree()
    dtd = tree.docinfo.internalDTD
    if (dtd is not None and any(True for _ in dtd.iterentities())) or any(
            isinstance(node, etree._Entity) for node in root.iter()):
        raise OctavoError(f"image '{name}' declares XML entities (a DTD): an ebook's SVG may "
                          "not", where, line, hint="export the picture again as plain SVG")
    if _local(root.tag) != "svg":
        raise OctavoError(f"image '{name}' is not an SVG picture (its root is "
                          f"<{_local(root.tag)}>)", where, line)
    # A document type declaration names a DTD out of the picture, which EPUB does not allow.
    removed: list[str] = ["DOCTYPE"] if tree.docinfo.doctype else []
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        tag = _local(element.tag)
        target = (element.get("attributeName") or "").lower()
        if tag in _SCRIPTING or (tag in _ANIMATION and (
                target.startswith("on") or target.endswith("href"))):
            removed.append(f"<{tag}>")
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)
            continue
        for attribute, value in list(element.attrib.items()):
            local = _local(attribute).lower()
            if local.startswith("on") or local == "base":  # an xml:base could point out
                removed.append(f"{local} handler")
                del element.attrib[attribute]
            elif local == "href" and not _safe_reference(element, value):
                removed.append(f"link to {value[:40]!r}")
                del element.attrib[attribute]
            elif "url(" in value.lower() and _CSS_URL.search(value):
                removed.append("CSS url()")
                element.set(attribute, _sanitised_css(value))
        if tag == "style" and element.text and (_CSS_URL.search(element.text)
                                                or _CSS_IMPORT.search(element.text)):
            removed.append("CSS @import or url()")
            element.text = _sanitised_css(element.text)
    if removed:
        seen = tuple(dict.fromkeys(removed))
        return etree.tostring(root, encoding="utf-8", xml_declaration=True), seen
    return data, ()


# --------------------------------------------------------------------------- the book's pictures


def image_bytes(image: Image, root: Path) -> bytes:
    """A picture's bytes: those the manuscript carried, or its file's in the book's folder."""
    from .confine import image_file

    return image.data if image.data is not None else read_input(image_file(image, root),
                                                                "the image")


def _where(image: Image) -> tuple[str | None, int | None]:
    return (image.span.path if image.span.line else None, image.span.line or None)


def check_book_images(book: Book, root: Path) -> tuple[Diagnostic, ...]:
    """Every picture of the book checked once, before either edition is made: over the pixel
    cap or an SVG that cannot be made safe is an error; a truncated picture, or an SVG that
    had something removed, a warning."""
    out: list[Diagnostic] = []
    seen: set[str] = set()
    for chapter in all_chapters(book):
        for block in walk_blocks(chapter.blocks):
            if not isinstance(block, Image) or block.src in seen:
                continue
            seen.add(block.src)
            data = image_bytes(block, root)
            where, line = _where(block)
            span = SourceSpan(where or block.src, line or 0)
            if is_svg(block.src):
                removed = sanitise_svg(data, block.src, where, line)[1]
                if removed:
                    out.append(Diagnostic("I002", "warning", f"image '{block.src}': removed "
                                          f"{', '.join(removed)} from the ebook's copy (an "
                                          "SVG in an ebook may not run or fetch anything)",
                                          span))
            elif raster_facts(data, block.src, where, line).truncated:
                out.append(Diagnostic("I001", "warning", f"image '{block.src}' is truncated "
                                      "(its file was cut short): readers may show part of it "
                                      "or nothing; export it again", span))
    return tuple(out)


def ebook_image(data: bytes, name: str) -> bytes:
    """The bytes the EPUB carries for a picture already checked by ``check_book_images``."""
    return sanitise_svg(data, name)[0] if is_svg(name) else scaled_for_ebook(data)
