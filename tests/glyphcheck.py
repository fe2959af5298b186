"""Every glyph a PDF draws is its face's glyph.

Each embedded TrueType program is matched to the bundled font file it is a subset of, by what a
subset keeps of its face (names, revision, units per em), and every glyph it holds is drawn
(composites decomposed) and compared with the same glyph id of that file (or, where the font
has a CIDToGIDMap stream, each CID's glyph with the file's glyph of that id): a merge that mixed
two subsets' numbering, or a subset that renumbered a composite's parts, draws other letters'
outlines ("making" with a wrong "i"), which text extraction cannot see. The font's PDF name
must also say the style its face is: a font named Bold whose program is the Regular face (a
synthesized bold) is a wrong face too. Every glyph the PDF draws must be in its program.
"""

from __future__ import annotations

import functools
import io
import re
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.ttLib import TTFont

Identity = tuple[str, str, str, float, int]
Outline = tuple[object, ...]


def identity(font: TTFont) -> Identity:
    name = font["name"]
    return (str(name.getDebugName(1) or ""), str(name.getDebugName(2) or ""),
            str(name.getDebugName(6) or ""), round(float(font["head"].fontRevision), 3),
            int(font["head"].unitsPerEm))


@functools.cache
def _face(path: Path) -> TTFont:
    return TTFont(str(path))


def bundled_faces(*folders: Path) -> dict[Identity, Path]:
    found: dict[Identity, Path] = {}
    for folder in folders:
        for path in sorted(folder.rglob("*.[ot]tf")):
            found.setdefault(identity(_face(path)), path)
    return found


# Each font's glyph set, made once: making it again for each glyph was most of a check.
_glyph_sets: weakref.WeakKeyDictionary[TTFont, Any] = weakref.WeakKeyDictionary()


def outline(font: TTFont, gid: int) -> Outline:
    """The glyph's drawing, composites decomposed; () for an empty glyph."""
    glyphs = _glyph_sets.get(font)
    if glyphs is None:
        glyphs = _glyph_sets[font] = font.getGlyphSet()
    name = font.getGlyphName(gid)
    if name not in glyphs:
        return ()
    pen = DecomposingRecordingPen(glyphs)
    try:
        glyphs[name].draw(pen)
    except Exception:  # a part that is not there is itself a wrong glyph
        return ("broken",)
    return tuple((op, tuple(None if p is None else tuple(round(v) for v in p) for p in points))
                 for op, points in pen.value)


@functools.cache
def _face_outline(path: Path, gid: int) -> Outline:
    """A bundled face's glyph drawing, drawn once: every PDF checked compares against it."""
    return outline(_face(path), gid)


def _style_of_name(name: str) -> tuple[bool, bool]:
    """(bold, italic) as a PDF font name says, after its subset tag: "EB-Garamond-Bold-Italic"."""
    words = set(name.split("+", 1)[-1].replace("-", " ").split())
    return (bool(words & {"Bold", "Semi-Bold", "Ultra-Bold", "Heavy", "Black"}),
            bool(words & {"Italic", "Oblique"}))


def _style_of_face(font: TTFont) -> tuple[bool, bool]:
    os2 = font["OS/2"]
    return os2.usWeightClass >= 600, bool(os2.fsSelection & 0b1000000001)


@dataclass(frozen=True)
class FontCheck:
    name: str  # the PDF's name for the font, subset tag dropped
    face: Path | None  # the bundled file its program is a subset of
    compared: int  # glyphs with an outline compared with the face's
    differing: tuple[str, ...]  # the face's names for glyphs drawn otherwise
    missing: tuple[int, ...]  # glyph ids drawn that the program has no outline for
    style: str  # '' or what is wrong with the name's style

    def problems(self) -> list[str]:
        out = []
        if self.face is None:
            out.append(f"{self.name}: not a subset of any bundled face")
        if self.differing:
            out.append(f"{self.name}: {len(self.differing)} of {self.compared} glyphs differ "
                       f"from {self.face.name if self.face else '?'} "
                       f"(e.g. {', '.join(self.differing[:5])})")
        if self.missing:
            out.append(f"{self.name}: glyphs {list(self.missing[:5])} drawn but not embedded")
        if self.style:
            out.append(f"{self.name}: {self.style}")
        return out


def _embedded(pdf: pikepdf.Pdf) -> Iterator[
        tuple[str, pikepdf.Object, set[int], dict[int, int] | None]]:
    """(PDF name, program stream, glyph ids drawn, CID to program glyph map if the font has
    one as a stream) for every TrueType program, once each."""
    seen: set[tuple[int, int]] = set()
    for page in pdf.pages:
        for resources in _resources(page.obj, 0):
            for font in (resources.get("/Font") or {}).values():
                for part in font.get("/DescendantFonts") or [font]:
                    descriptor = part.get("/FontDescriptor")
                    if descriptor is None or "/FontFile2" not in descriptor:
                        continue
                    stream = descriptor.FontFile2
                    if stream.objgen in seen:
                        continue
                    seen.add(stream.objgen)
                    yield (str(part.get("/BaseFont", "")).lstrip("/"), stream, _drawn(part),
                           _cid_to_gid(part))


def _cid_to_gid(part: pikepdf.Object) -> dict[int, int] | None:
    """A CIDToGIDMap stream read as {CID: program glyph id} (glyph 0 left out but for CID 0);
    None for /Identity or no map, where a CID is the program's glyph id."""
    table = part.get("/CIDToGIDMap")
    if not isinstance(table, pikepdf.Stream):
        return None
    data = table.read_bytes()
    out = {cid: int.from_bytes(data[2 * cid:2 * cid + 2], "big") for cid in range(len(data) // 2)}
    return {cid: gid for cid, gid in out.items() if gid or cid == 0}


def _drawn(part: pikepdf.Object) -> set[int]:
    """The glyph ids a CID font has widths for: the ones its pages draw."""
    out: set[int] = set()
    array = list(part.get("/W", pikepdf.Array()))
    k = 0
    while k < len(array):
        first, following = int(array[k]), array[k + 1]
        if isinstance(following, pikepdf.Array):
            out.update(range(first, first + len(following)))
            k += 2
        else:
            out.update(range(first, int(following) + 1))
            k += 3
    return out


def _resources(obj: Any, depth: int) -> Iterator[Any]:
    resources = obj.get("/Resources")
    if resources is None:
        return
    yield resources
    if depth < 4:
        for form in (resources.get("/XObject") or {}).values():
            if form.get("/Subtype") == "/Form":
                yield from _resources(form, depth + 1)


def check_pdf(pdf: Path | bytes, *font_folders: Path) -> list[FontCheck]:
    faces = bundled_faces(*font_folders)
    out = []
    source = pdf if isinstance(pdf, Path) else io.BytesIO(pdf)
    with pikepdf.open(source) as document:
        for name, stream, drawn, cid_map in _embedded(document):
            name = re.sub(r"^[A-Z]{6}\+", "", name)
            program = TTFont(io.BytesIO(stream.read_bytes()))
            path = faces.get(identity(program))
            if path is None:
                out.append(FontCheck(name, None, 0, (), (), ""))
                continue
            face = _face(path)
            compared, differing = 0, []
            held = program["maxp"].numGlyphs
            # The face's glyph id each program glyph stands for: its own, or a CID mapped to it.
            pairs = (cid_map or {gid: gid for gid in range(held)}).items()
            pairs = [(cid, gid) for cid, gid in pairs if cid < face["maxp"].numGlyphs]
            drawing = functools.cache(functools.partial(outline, program))  # each drawn once
            for cid, gid in pairs:
                mine = drawing(gid) if gid < held else ()
                if not mine:
                    continue
                compared += 1
                if mine != _face_outline(path, cid):
                    differing.append(face.getGlyphName(cid))
            program_glyph = dict(pairs)
            missing = tuple(sorted(
                cid for cid in drawn if cid < face["maxp"].numGlyphs
                and _face_outline(path, cid)
                and (program_glyph.get(cid, held) >= held
                     or not drawing(program_glyph[cid]))))
            said, was = _style_of_name(name), _style_of_face(face)
            style = "" if said == was else (
                f"named {_describe(said)} but its program is {path.name} ({_describe(was)})")
            out.append(FontCheck(name, path, compared, tuple(differing), missing, style))
    return out


def _describe(style: tuple[bool, bool]) -> str:
    bold, italic = style
    return " ".join(w for w, on in (("bold", bold), ("italic", italic)) if on) or "regular"


def problems(pdf: Path | bytes, *font_folders: Path) -> list[str]:
    return [p for check in check_pdf(pdf, *font_folders) for p in check.problems()]
