"""A PDF read once into what a printer's preflight looks at: each page's boxes and the extent of
its text, the fonts its text is set in, the images it draws at their placed size, and what it
paints with (colour spaces, transparency). The checks are pure functions of these facts.

Text extents come from pdfium (the glyphs' own boxes, as a printer's RIP would place them);
fonts, images, colours and transparency from walking each content stream with pikepdf, keeping
the current transformation matrix, so an image's placed size is what the page shows.
"""

from __future__ import annotations

import ctypes
import io
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import pikepdf

from ..errors import OctavoError

POINTS = 72.0
# Deeper nesting than this is no book's: a guard against a form that draws itself.
MAX_FORM_DEPTH = 12


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle in PDF points (x0 < x1, y0 < y1)."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return (self.x1 - self.x0) / POINTS

    @property
    def height(self) -> float:
        return (self.y1 - self.y0) / POINTS

    def overlaps(self, other: Box) -> bool:
        return (self.x0 < other.x1 and other.x0 < self.x1
                and self.y0 < other.y1 and other.y0 < self.y1)

    def inside(self, other: Box) -> bool:
        return (other.x0 <= self.x0 and self.x1 <= other.x1
                and other.y0 <= self.y0 and self.y1 <= other.y1)


@dataclass(frozen=True, slots=True)
class Glyph:
    char: str
    box: Box


@dataclass(frozen=True, slots=True)
class PageFacts:
    number: int  # 1-based, as a reader counts pages
    media: Box
    trim: Box | None
    bleed: Box | None
    text: Box | None  # the union of the page's glyph boxes; None on a page without text
    glyphs: tuple[Glyph, ...] = ()  # kept only when asked for (a cover's barcode area)

    @property
    def trim_or_media(self) -> Box:
        return self.trim or self.media

    @property
    def is_recto(self) -> bool:
        """Page 1 is a right-hand page, bound at its left edge."""
        return self.number % 2 == 1


@dataclass(frozen=True, slots=True)
class FontFacts:
    name: str
    subtype: str  # /Type1, /TrueType, /Type0, /Type3 ...
    embedded: bool
    pages: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class ImageFacts:
    page: int
    name: str
    pixels: tuple[int, int]
    placed: Box  # the image's bounding box on the page
    size: tuple[float, float]  # placed width and height in inches (along its own axes)

    @property
    def ppi(self) -> float:
        """The effective resolution: the lower of the two axes' pixels per placed inch."""
        (w, h), (pw, ph) = self.size, self.pixels
        if w <= 0 or h <= 0:
            return math.inf
        return min(pw / w, ph / h)


@dataclass(frozen=True, slots=True)
class Mark:
    """Something a page paints with that a printer may refuse (a colour space, a blend)."""

    page: int
    what: str


@dataclass(frozen=True, slots=True)
class PdfFacts:
    name: str  # the file as messages name it
    pages: tuple[PageFacts, ...]
    fonts: tuple[FontFacts, ...] = ()
    images: tuple[ImageFacts, ...] = ()
    colours: tuple[Mark, ...] = ()  # colour spaces other than process CMYK, gray or spot
    transparency: tuple[Mark, ...] = ()
    output_intent: bool = False


# --------------------------------------------------------------------------- boxes


def _box(value: pikepdf.Object | None) -> Box | None:
    if value is None:
        return None
    x0, y0, x1, y1 = (float(v) for v in value)
    return Box(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


# --------------------------------------------------------------------------- fonts


_FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


def font_is_embedded(font: pikepdf.Object) -> bool:
    """A Type 3 font carries its glyphs; any other names a program that must be in the file
    (a Type 0 font's, in its descendant)."""
    subtype = str(font.get("/Subtype", ""))
    if subtype == "/Type3":
        return True
    if subtype == "/Type0":
        descendants = font.get("/DescendantFonts")
        return descendants is not None and len(descendants) > 0 and font_is_embedded(
            descendants[0])
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and any(key in descriptor for key in _FONT_FILES)


def _font_name(font: pikepdf.Object) -> str:
    name = str(font.get("/BaseFont", font.get("/Name", "(unnamed)")))
    return name.lstrip("/")


# --------------------------------------------------------------------------- colour


_PROCESS = {"/DeviceCMYK", "/DeviceGray", "/Separation", "/DeviceN", "/Pattern"}
_DEVICE = {"/DeviceRGB": "/DeviceRGB", "/DeviceCMYK": "/DeviceCMYK",
           "/DeviceGray": "/DeviceGray", "/RGB": "/DeviceRGB", "/CMYK": "/DeviceCMYK",
           "/G": "/DeviceGray", "/Pattern": "/Pattern"}


def colour_family(space: pikepdf.Object | None, resources: pikepdf.Object) -> str:
    """The family of a colour space given by name or array: ``/DeviceRGB``, ``/Lab``,
    ``/ICCBased RGB``...; an indexed space is its base's, a named one is looked up in the
    resources."""
    if space is None:
        return "/DeviceGray"
    if isinstance(space, pikepdf.Name):
        name = str(space)
        if name in _DEVICE:
            return _DEVICE[name]
        named = (resources.get("/ColorSpace") or pikepdf.Dictionary()).get(name)
        return colour_family(named, pikepdf.Dictionary()) if named is not None else name
    if isinstance(space, pikepdf.Array) and len(space):
        family = str(space[0])
        if family in ("/Indexed", "/I") and len(space) > 1:
            return colour_family(space[1], resources)
        if family == "/ICCBased":
            components = int(space[1].get("/N", 0))
            return "/ICCBased " + {1: "Gray", 3: "RGB", 4: "CMYK"}.get(components, "?")
        return family
    return str(space)


def _not_process(family: str) -> bool:
    return family not in _PROCESS


# --------------------------------------------------------------------------- transparency


def graphics_state_transparency(state: pikepdf.Object) -> str | None:
    """What in an ExtGState makes transparency (a soft mask, an alpha below 1, a blend mode
    other than Normal), or None."""
    mask = state.get("/SMask")
    if mask is not None and mask != pikepdf.Name("/None"):
        return "a soft mask"
    for key in ("/CA", "/ca"):
        if key in state and float(state[key]) < 1:
            return f"an opacity of {float(state[key]):g}"
    blend = state.get("/BM")
    if isinstance(blend, pikepdf.Array):
        blend = blend[0] if len(blend) else None
    if blend is not None and str(blend) not in ("/Normal", "/Compatible"):
        return f"the blend mode {str(blend).lstrip('/')}"
    return None


def _transparency_group(obj: pikepdf.Object) -> bool:
    group = obj.get("/Group")
    return group is not None and group.get("/S") == pikepdf.Name.Transparency


# --------------------------------------------------------------------------- content streams


@dataclass(slots=True)
class _PageWalk:
    """What one page's content streams use, gathered while walking them."""

    number: int
    # Keyed by object and name: fonts written directly in a resource dictionary share (0, 0).
    fonts: dict[tuple[tuple[int, int], str], pikepdf.Object] = field(default_factory=dict)
    images: list[ImageFacts] = field(default_factory=list)
    colours: set[str] = field(default_factory=set)
    transparency: set[str] = field(default_factory=set)


def _placed(ctm: pikepdf.Matrix) -> tuple[Box, tuple[float, float]]:
    """Where the unit square an image is drawn into lands, and its sides in inches."""
    corners = [ctm.transform(p) for p in ((0, 0), (1, 0), (0, 1), (1, 1))]
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    size = (math.hypot(ctm.a, ctm.b) / POINTS, math.hypot(ctm.c, ctm.d) / POINTS)
    return Box(min(xs), min(ys), max(xs), max(ys)), size


def _record_image(walk: _PageWalk, name: str, image: pikepdf.Object | pikepdf.PdfInlineImage,
                  ctm: pikepdf.Matrix, resources: pikepdf.Object) -> None:
    if isinstance(image, pikepdf.PdfInlineImage):
        pixels = (int(image.width), int(image.height))
        space = image.obj.get("/ColorSpace", image.obj.get("/CS"))
        stencil = bool(image.obj.get("/ImageMask", image.obj.get("/IM", False)))
        smask = False
    else:
        pixels = (int(image.get("/Width", 0)), int(image.get("/Height", 0)))
        space = image.get("/ColorSpace")
        stencil = bool(image.get("/ImageMask", False))
        smask = "/SMask" in image or int(image.get("/SMaskInData", 0)) > 0
    box, size = _placed(ctm)
    walk.images.append(ImageFacts(walk.number, name, pixels, box, size))
    if not stencil:
        family = colour_family(space, resources)
        if _not_process(family):
            walk.colours.add(f"{family.lstrip('/')} image {name}")
    if smask:
        walk.transparency.add(f"a soft-masked image ({name})")


_FILL_OPERATORS = {"rg": "/DeviceRGB", "RG": "/DeviceRGB"}
# The operators the walk reads (an inline image is BI ID EI): pikepdf makes no Python objects
# for the others, the text's TJ arrays most of all (half a page's parsing).
_WALKED = "q Q cm Tf rg RG cs CS gs sh Do BI ID EI"


def _walk(walk: _PageWalk, stream: pikepdf.Object | pikepdf.Page, resources: pikepdf.Object,
          ctm: pikepdf.Matrix, forms: tuple[tuple[int, int], ...]) -> None:
    """Follow one content stream (a page's or a form's) with its graphics state stack."""
    stack: list[pikepdf.Matrix] = []
    fonts = resources.get("/Font") or pikepdf.Dictionary()
    xobjects = resources.get("/XObject") or pikepdf.Dictionary()
    states = resources.get("/ExtGState") or pikepdf.Dictionary()
    shadings = resources.get("/Shading") or pikepdf.Dictionary()
    try:
        instructions = pikepdf.parse_content_stream(stream, _WALKED)
    except pikepdf.PdfError as exc:
        raise OctavoError(f"page {walk.number}: its content cannot be read ({exc})") from None
    for instruction in instructions:
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            _record_image(walk, "(inline)", instruction.iimage, ctm, resources)
            continue
        operands, op = instruction.operands, str(instruction.operator)
        if op == "q":
            stack.append(ctm)
        elif op == "Q":
            ctm = stack.pop() if stack else ctm
        elif op == "cm" and len(operands) == 6:
            ctm = pikepdf.Matrix(*(float(v) for v in operands)) @ ctm
        elif op == "Tf" and operands:
            font = fonts.get(str(operands[0]))
            if font is not None:
                walk.fonts.setdefault((font.objgen, _font_name(font)), font)
        elif op in _FILL_OPERATORS:
            walk.colours.add(f"{_FILL_OPERATORS[op].lstrip('/')} ({op} operator)")
        elif op in ("cs", "CS") and operands:
            family = colour_family(operands[0], resources)
            if _not_process(family):
                walk.colours.add(f"{family.lstrip('/')} colour space")
        elif op == "gs" and operands:
            state = states.get(str(operands[0]))
            reason = graphics_state_transparency(state) if state is not None else None
            if reason:
                walk.transparency.add(reason)
        elif op == "sh" and operands:
            shading = shadings.get(str(operands[0]))
            if shading is not None:
                family = colour_family(shading.get("/ColorSpace"), resources)
                if _not_process(family):
                    walk.colours.add(f"{family.lstrip('/')} shading")
        elif op == "Do" and operands:
            name = str(operands[0])
            xobject = xobjects.get(name)
            if xobject is None:
                continue
            subtype = xobject.get("/Subtype")
            if subtype == pikepdf.Name.Image:
                _record_image(walk, name.lstrip("/"), xobject, ctm, resources)
            elif (subtype == pikepdf.Name.Form and xobject.objgen not in forms
                  and len(forms) < MAX_FORM_DEPTH):
                if _transparency_group(xobject):
                    walk.transparency.add(f"a transparency group ({name.lstrip('/')})")
                matrix = xobject.get("/Matrix")
                inner = (pikepdf.Matrix(*(float(v) for v in matrix)) if matrix is not None
                         else pikepdf.Matrix()) @ ctm
                # A form without resources of its own uses its page's (PDF 1.7, 8.10.1).
                _walk(walk, xobject, xobject.get("/Resources") or resources, inner,
                      (*forms, xobject.objgen))


def _page_walk(page: pikepdf.Page, number: int) -> _PageWalk:
    walk = _PageWalk(number)
    if _transparency_group(page.obj):
        walk.transparency.add("a page transparency group")
    resources = page.obj.get("/Resources") or pikepdf.Dictionary()
    if page.obj.get("/Contents") is not None:
        _walk(walk, page, resources, pikepdf.Matrix(), ())
    return walk


# --------------------------------------------------------------------------- text


def _plain_call(function: Any, restype: type[Any], *argtypes: type[Any]) -> Callable[..., int]:
    """pdfium's own ``function`` called with plain addresses: pypdfium2's bindings convert
    each typed pointer on every call, which took half of a glyph box's time."""
    return cast(Callable[..., int], ctypes.cast(function, ctypes.CFUNCTYPE(restype, *argtypes)))


class _Characters:
    """A text page's characters as pdfium reads them, one C call a question."""

    def __init__(self) -> None:
        import pypdfium2.raw as raw

        address, index = ctypes.c_void_p, ctypes.c_int
        self.box_call = _plain_call(raw.FPDFText_GetCharBox, ctypes.c_int, address, index,
                                    address, address, address, address)
        self.unicode = _plain_call(raw.FPDFText_GetUnicode, ctypes.c_uint, address, index)
        self.generated = _plain_call(raw.FPDFText_IsGenerated, ctypes.c_int, address, index)
        self.sides = (ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double())
        self.addresses = tuple(address(ctypes.addressof(side)) for side in self.sides)

    def union(self, textpage: ctypes.c_void_p, count: int) -> Box | None:
        """The union of the boxes of the characters with ink (not spaces, not the line ends
        pdfium adds); None without any."""
        box_call, unicode, generated = self.box_call, self.unicode, self.generated
        left_out, right_out, bottom_out, top_out = self.sides
        at_left, at_right, at_bottom, at_top = self.addresses
        x0 = y0 = math.inf
        x1 = y1 = -math.inf
        for index in range(count):
            box_call(textpage, index, at_left, at_right, at_bottom, at_top)
            left, bottom, right, top = (left_out.value, bottom_out.value, right_out.value,
                                      top_out.value)
            if right <= left or top <= bottom:
                continue
            # Inside the union already: whatever the character is, it leaves the union as it
            # is (most characters of a page, which then need no more questions).
            if x0 <= left and right <= x1 and y0 <= bottom and top <= y1:
                continue
            code = unicode(textpage, index)
            if code <= 32 or generated(textpage, index) == 1:
                continue
            x0, y0 = min(x0, left), min(y0, bottom)
            x1, y1 = max(x1, right), max(y1, top)
        return Box(x0, y0, x1, y1) if x1 > x0 else None

    def glyphs(self, textpage: ctypes.c_void_p, count: int) -> tuple[Glyph, ...]:
        """The characters with ink and their boxes."""
        box_call, unicode, generated = self.box_call, self.unicode, self.generated
        left_out, right_out, bottom_out, top_out = self.sides
        at_left, at_right, at_bottom, at_top = self.addresses
        glyphs: list[Glyph] = []
        for index in range(count):
            code = unicode(textpage, index)
            if code <= 32 or generated(textpage, index) == 1:
                continue  # spaces, line ends pdfium adds: no ink
            box_call(textpage, index, at_left, at_right, at_bottom, at_top)
            left, bottom, right, top = (left_out.value, bottom_out.value, right_out.value,
                                      top_out.value)
            if right > left and top > bottom:
                glyphs.append(Glyph(chr(code), Box(left, bottom, right, top)))
        return tuple(glyphs)


def _text_extents(data: bytes, keep_glyphs: bool, label: str
                  ) -> Iterator[tuple[Box | None, tuple[Glyph, ...]]]:
    """Per page: the union of its glyph boxes (pdfium's tight boxes, in PDF user space),
    and the glyphs themselves when asked for."""
    import pypdfium2 as pdfium

    characters = _Characters()
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise OctavoError(f"not a PDF octavo can read ({exc})", label) from None
    try:
        for page in document:
            textpage = page.get_textpage()
            handle, count = ctypes.cast(textpage.raw, ctypes.c_void_p), textpage.count_chars()
            if keep_glyphs:
                glyphs = characters.glyphs(handle, count)
                text = (Box(min(g.box.x0 for g in glyphs), min(g.box.y0 for g in glyphs),
                            max(g.box.x1 for g in glyphs), max(g.box.y1 for g in glyphs))
                        if glyphs else None)
            else:
                glyphs, text = (), characters.union(handle, count)
            textpage.close()
            page.close()
            yield text, glyphs
    finally:
        document.close()


# --------------------------------------------------------------------------- reading


def read_pdf(source: Path | bytes, name: str | None = None,
             keep_glyphs: bool = False) -> PdfFacts:
    """Everything the checks need from a PDF file (or its bytes), read once."""
    if isinstance(source, Path):
        label = name or str(source)
        try:
            data = source.read_bytes()
        except OSError as exc:
            raise OctavoError(f"cannot read: {exc.strerror}", source) from None
    else:
        label, data = name or "<pdf>", source
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PdfError as exc:
        raise OctavoError(f"not a PDF octavo can read ({exc})", label,
                          hint="give the interior PDF a build wrote, or the book's folder"
                          ) from None
    with pdf:
        walks = [_page_walk(page, number) for number, page in enumerate(pdf.pages, start=1)]
        boxes = [(_box(page.obj.get("/MediaBox")) or Box(0, 0, 612, 792),
                  _box(page.obj.get("/TrimBox")), _box(page.obj.get("/BleedBox")))
                 for page in pdf.pages]
        intent = bool(pdf.Root.get("/OutputIntents"))
        used: dict[tuple[tuple[int, int], str], tuple[pikepdf.Object, list[int]]] = {}
        for walk in walks:
            for key, font in walk.fonts.items():
                used.setdefault(key, (font, []))[1].append(walk.number)
        fonts = tuple(FontFacts(_font_name(font), str(font.get("/Subtype", "")),
                                font_is_embedded(font), tuple(numbers))
                      for font, numbers in used.values())
    texts = list(_text_extents(data, keep_glyphs, label))
    pages = tuple(PageFacts(number, media, trim, bleed, text, glyphs)
                  for number, ((media, trim, bleed), (text, glyphs))
                  in enumerate(zip(boxes, texts, strict=True), start=1))
    return PdfFacts(
        name=label,
        pages=pages,
        fonts=fonts,
        images=tuple(image for walk in walks for image in walk.images),
        colours=tuple(Mark(walk.number, what) for walk in walks for what in sorted(walk.colours)),
        transparency=tuple(Mark(walk.number, what) for walk in walks
                           for what in sorted(walk.transparency)),
        output_intent=intent,
    )
