"""The ebook's front cover: the author's image from book.toml, checked against what stores
ask for, or a typographic cover set in the theme's face so every book has one."""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import OctavoError, read_input
from ..images import pillow_bomb_error, refuse_too_many_pixels
from ..model import Metadata
from ..render.labels import authors_line
from .deflated import Keep

if TYPE_CHECKING:
    from PIL import ImageDraw, ImageFont

    from ..themes import Theme

# Kindle's ideal marketing cover is 1600 x 2560 (1 : 1.6); Apple asks for at least 1400 px on
# the short side. A generated cover is made at that size.
COVER_SIZE = (1600, 2560)
MIN_LONG_SIDE = 1600
IDEAL_RATIO = 1.6
RATIO_TOLERANCE = 0.1
MEDIA_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}

BACKGROUND = (31, 42, 54)
INK = (243, 234, 216)
ACCENT = (190, 160, 110)


@dataclass(frozen=True, slots=True)
class CoverImage:
    data: bytes
    media_type: str
    width: int
    height: int

    @property
    def extension(self) -> str:
        return "jpg" if self.media_type == "image/jpeg" else "png"


def cover_warnings(width: int, height: int) -> tuple[str, ...]:
    """What a store would object to in a cover of this size."""
    long_side, short_side = max(width, height), min(width, height)
    out = []
    if long_side < MIN_LONG_SIDE:
        out.append(f"cover is {width}x{height} px: stores want at least {MIN_LONG_SIDE} px on the "
                   f"long side (ideally {COVER_SIZE[0]}x{COVER_SIZE[1]})")
    ratio = long_side / short_side if short_side else 0.0
    if abs(ratio - IDEAL_RATIO) > RATIO_TOLERANCE or width > height:
        out.append(f"cover is {width}x{height} px: a portrait ratio of about 1:{IDEAL_RATIO} "
                   f"is expected (ideally {COVER_SIZE[0]}x{COVER_SIZE[1]})")
    return tuple(out)


def load_cover(path: Path) -> tuple[CoverImage, tuple[str, ...]]:
    """The author's cover image and any warnings about its size; only JPEG and PNG."""
    from PIL import Image, UnidentifiedImageError

    data = read_input(path, "the cover")
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, (width, height) = image.format, image.size
    except Image.DecompressionBombError as exc:
        raise pillow_bomb_error(exc, path.name, path) from None
    except UnidentifiedImageError:
        raise OctavoError("the cover is not an image (use a JPEG or PNG)", path) from None
    except OSError as exc:
        raise OctavoError(f"cannot read the cover: {exc}", path) from None
    refuse_too_many_pixels(width, height, path.name, path)
    if kind not in MEDIA_TYPES:
        raise OctavoError(f"the cover is a {kind} image: use a JPEG or PNG", path)
    return CoverImage(data, MEDIA_TYPES[kind], width, height), cover_warnings(width, height)


def cover_font_path(theme: Theme) -> Path | None:
    """The theme's upright text face: the first plain @font-face of its ebook stylesheet, else
    a font file named as the regular face."""
    fonts = theme.fonts
    by_name = {f.name: f for f in fonts}
    for rule in re.findall(r"@font-face\s*\{([^}]*)\}", theme.epub_css):
        url = re.search(r"url\(\s*['\"]?fonts/([^'\")]+)", rule)
        plain = not re.search(r"font-(style|weight)\s*:\s*(?!normal)", rule)
        if url and plain and url.group(1) in by_name:
            return by_name[url.group(1)]
    for font in fonts:
        name = font.stem.lower()
        if "regular" in name and "sc" not in name.replace("regular", ""):
            return font
    upright = [f for f in fonts if not any(k in f.stem.lower() for k in ("italic", "bold"))]
    candidates = upright or list(fonts)
    return candidates[0] if candidates else None


def _font(path: Path | None, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    from PIL import ImageFont

    if path is None:
        return ImageFont.load_default(size)
    return ImageFont.truetype(str(path), size)


def wrap_words(text: str, fits: object) -> list[str]:
    """Greedy line filling: as many words per line as ``fits(line)`` allows."""
    assert callable(fits)
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and fits(candidate):
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


def _fitted_lines(
    draw: ImageDraw.ImageDraw, text: str, font_path: Path | None, size: int, width: int,
    max_lines: int,
) -> tuple[list[str], ImageFont.FreeTypeFont | ImageFont.ImageFont]:
    """The largest size (from ``size`` down) at which ``text`` fits ``max_lines`` lines."""
    while True:
        font = _font(font_path, size)

        def fits(line: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont = font) -> bool:
            return draw.textlength(line, font=font) <= width

        lines = wrap_words(text, fits)
        if (len(lines) <= max_lines and all(fits(ln) for ln in lines)) or size <= 40:
            return lines, font
        size = int(size * 0.9)


def typographic_cover(meta: Metadata, theme: Theme, keep: Keep | None = None) -> CoverImage:
    """Title, subtitle and author in the theme's face on a plain ground: a PNG whose bytes
    depend only on the metadata, the face and Pillow (kept by ``keep``, when given, from
    one build to the next)."""
    import PIL

    font_path = cover_font_path(theme)
    drawn = (meta.title, meta.subtitle, meta.authors, meta.language, font_path,
             _face_digest(font_path))
    if keep is None:
        return _drawn_cover(*drawn)
    key = hashlib.sha256(repr((*drawn, PIL.__version__)).encode()).hexdigest()
    width, height = COVER_SIZE
    return CoverImage(keep("typographic-cover-" + key, lambda: _drawn_cover(*drawn).data),
                      "image/png", width, height)


def _face_digest(path: Path | None) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() if path is not None else ""
    except OSError:  # drawing with it says what is wrong
        return ""


# Drawn and encoded once per process for the same words and face (0.15 s a cover): a process
# that builds a book again (a preview, the tests) finds it.
@lru_cache(maxsize=16)
def _drawn_cover(title: str, subtitle: str | None, authors: tuple[str, ...], language: str,
                 font_path: Path | None, _face_digest: str) -> CoverImage:
    from PIL import Image, ImageDraw

    width, height = COVER_SIZE
    margin = 170
    image = Image.new("RGB", COVER_SIZE, BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 60, width - 61, height - 61), outline=ACCENT, width=6)

    def centred(lines: list[str], font: ImageFont.FreeTypeFont | ImageFont.ImageFont, top: float,
                leading: float) -> float:
        for line in lines:
            draw.text((width / 2, top), line, font=font, fill=INK, anchor="ma")
            top += leading
        return top

    title_lines, title_font = _fitted_lines(draw, title.upper(), font_path, 190,
                                            width - 2 * margin, 4)
    size = getattr(title_font, "size", 150)
    y = centred(title_lines, title_font, 620, size * 1.2)
    draw.line((width / 2 - 160, y + 50, width / 2 + 160, y + 50), fill=ACCENT, width=5)
    if subtitle:
        sub_lines, sub_font = _fitted_lines(draw, subtitle, font_path, 90,
                                            width - 2 * margin, 3)
        centred(sub_lines, sub_font, y + 140, getattr(sub_font, "size", 90) * 1.25)
    if authors:
        author_lines, author_font = _fitted_lines(draw, authors_line(authors, language),
                                                  font_path, 110, width - 2 * margin, 2)
        centred(author_lines, author_font, height - 560, getattr(author_font, "size", 110) * 1.25)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return CoverImage(out.getvalue(), "image/png", width, height)
