"""The theme's face for text octavo draws itself (the per-reviewer mark): which font file, whether
it covers a name, the glyphs HarfBuzz shapes for a line, and a subset to embed."""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from ..errors import OctavoError
from ..themes import Theme

_FONT_FACE = re.compile(r"@font-face\s*\{([^}]*)\}", re.IGNORECASE)
_BODY_FAMILY = re.compile(r"(?:^|[\s,}])body\s*\{[^}]*?font-family\s*:\s*([^;}]+)", re.IGNORECASE)


def _declaration(block: str, name: str) -> str:
    m = re.search(rf"(?:^|;|\s){name}\s*:\s*([^;]+)", block, re.IGNORECASE)
    return m.group(1).strip() if m else ""


def _first_family(value: str) -> str:
    return value.split(",")[0].strip().strip("\"'").casefold()


def theme_text_faces(theme: Theme) -> tuple[Path, ...]:
    """The theme's upright, regular-weight font files, the body face first: the faces a mark in
    running text may be set in, in the order the theme would choose them."""
    css = theme.print_css
    body = _BODY_FAMILY.search(css)
    body_family = _first_family(body.group(1)) if body else ""
    declared: list[tuple[bool, Path]] = []
    for block in _FONT_FACE.findall(css):
        style = _declaration(block, "font-style").casefold() or "normal"
        weight = _declaration(block, "font-weight").casefold() or "normal"
        if style != "normal" or weight not in ("normal", "400"):
            continue
        url = re.search(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", _declaration(block, "src"))
        if not url:
            continue
        path = (theme.path / url.group(1)).resolve()
        if path.is_file() and theme.path.resolve() in path.parents:
            family = _first_family(_declaration(block, "font-family"))
            declared.append((family != body_family, path))
    ordered = [p for _, p in sorted(declared, key=lambda item: item[0])]
    # Faces the CSS does not declare still count, so a theme that only ships files works.
    ordered += [p for p in theme.fonts if p.resolve() not in ordered and _is_regular(p)]
    return tuple(dict.fromkeys(ordered))


def _is_regular(path: Path) -> bool:
    from fontTools.ttLib import TTFont

    try:
        font = TTFont(str(path), lazy=True)
        os2 = font["OS/2"]
        return not (os2.fsSelection & 0b1) and 350 <= os2.usWeightClass <= 450
    except Exception:
        return False


def missing_characters(text: str, cmap: dict[int, str]) -> str:
    """The characters of ``text`` a face has no glyph for (spaces and marks included)."""
    return "".join(dict.fromkeys(ch for ch in text if ord(ch) not in cmap))


def describe_characters(chars: str) -> str:
    return ", ".join(
        f"'{ch}' U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed')}" for ch in chars[:3]
    ) + (" …" if len(chars) > 3 else "")


@dataclass(frozen=True, slots=True)
class FaceMetrics:
    ascent: float
    descent: float
    cap_height: float
    bbox: tuple[float, float, float, float]
    italic_angle: float


@dataclass(frozen=True, slots=True)
class ShapedGlyph:
    gid: int  # in the full font
    text: str  # the characters this glyph stands for (for ToUnicode)
    advance: float  # in font units, kerning included


class Face:
    """One font file, loaded lazily; shared by every copy a worker stamps."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @cached_property
    def data(self) -> bytes:
        return self.path.read_bytes()

    @cached_property
    def _font(self) -> Any:
        from fontTools.ttLib import TTFont

        return TTFont(io.BytesIO(self.data), lazy=True)

    @cached_property
    def cmap(self) -> dict[int, str]:
        return dict(self._font.getBestCmap() or {})

    @cached_property
    def glyph_order(self) -> list[str]:
        return list(self._font.getGlyphOrder())

    @cached_property
    def units_per_em(self) -> int:
        return int(self._font["head"].unitsPerEm)

    @cached_property
    def is_cff(self) -> bool:
        return "CFF " in self._font

    @cached_property
    def postscript_name(self) -> str:
        name = self._font["name"].getDebugName(6) or self.path.stem
        return re.sub(r"[^A-Za-z0-9-]", "", name) or "Font"

    @cached_property
    def metrics(self) -> FaceMetrics:
        """Descriptor values in PDF glyph space (1000 units per em)."""
        f = self._font
        scale = 1000 / self.units_per_em
        head, hhea, os2 = f["head"], f["hhea"], f["OS/2"]
        return FaceMetrics(
            ascent=hhea.ascent * scale,
            descent=hhea.descent * scale,
            cap_height=getattr(os2, "sCapHeight", 0) * scale or hhea.ascent * scale * 0.7,
            bbox=(head.xMin * scale, head.yMin * scale, head.xMax * scale, head.yMax * scale),
            italic_angle=float(f["post"].italicAngle),
        )

    @cached_property
    def _hb_face(self) -> Any:
        import uharfbuzz as hb

        return hb.Face(hb.Blob(self.data))

    @cached_property
    def _hb_font(self) -> Any:
        import uharfbuzz as hb

        return hb.Font(self._hb_face)

    def is_rtl(self, text: str) -> bool:
        """Whether HarfBuzz sets ``text`` right to left (its glyphs come in visual order)."""
        import uharfbuzz as hb

        buf = hb.Buffer()
        buf.add_str(text)
        buf.guess_segment_properties()
        return bool(buf.direction == "rtl")

    def shape(self, text: str) -> list[ShapedGlyph]:
        """Glyphs for one line with kerning but no ligatures, so every glyph maps back to its own
        characters and the line extracts exactly as written."""
        import uharfbuzz as hb

        buf = hb.Buffer()
        buf.add_str(text)
        buf.guess_segment_properties()
        hb.shape(self._hb_font, buf, {"kern": True, "liga": False, "clig": False, "dlig": False})
        infos, positions = buf.glyph_infos, buf.glyph_positions
        # HarfBuzz clusters are string indices; a glyph stands for the characters up to the
        # next cluster (its first glyph carries them, marks in the same cluster carry none).
        starts = sorted({i.cluster for i in infos})
        ends = {s: (starts[k + 1] if k + 1 < len(starts) else len(text))
                for k, s in enumerate(starts)}
        out: list[ShapedGlyph] = []
        seen: set[int] = set()
        for info, pos in zip(infos, positions, strict=True):
            chars = text[info.cluster:ends[info.cluster]] if info.cluster not in seen else ""
            seen.add(info.cluster)
            out.append(ShapedGlyph(info.codepoint, chars, float(pos.x_advance)))
        return out

    def width(self, text: str) -> float:
        """Advance width in ems."""
        return sum(g.advance for g in self.shape(text)) / self.units_per_em

    def subset(self, gids: list[int]) -> tuple[bytes, dict[int, int]]:
        """A font with only ``gids`` (and .notdef), and how the face's glyph ids map to the
        subset's. A TrueType subset is renumbered (1, 2, 3, ...): kept at their ids, a few
        glyphs of a CJK face tens of thousands of glyphs long would carry a loca and hmtx entry
        for every empty slot below them (337 KB for a Chinese name); the PDF names the face's
        own ids as CIDs and a CIDToGIDMap takes each to its glyph here, so every glyph drawn is
        still the face's glyph at the id the PDF names. A CFF subset keeps its ids, as a
        CIDFontType0 has no such map. HarfBuzz's subsetter, in C, takes well under a
        millisecond: cheap enough per copy."""
        import uharfbuzz as hb

        request = hb.SubsetInput()
        request.glyph_set.update({0, *gids})
        for tag in (b"GSUB", b"GPOS", b"GDEF", b"kern", b"DSIG", b"FFTM"):
            request.drop_table_tag_set.add(int.from_bytes(tag, "big"))
        request.flags = (hb.SubsetFlags.NO_LAYOUT_CLOSURE | hb.SubsetFlags.NOTDEF_OUTLINE
                         | hb.SubsetFlags.NO_HINTING)
        if self.is_cff:
            request.flags |= hb.SubsetFlags.RETAIN_GIDS
        plan = hb.SubsetPlan(self._hb_face, request)
        mapping = plan.old_to_new_glyph_mapping
        data = bytes(plan.execute().blob.data)
        return data, {g: int(mapping[g]) for g in gids}

    def advance_widths(self, gids: list[int]) -> dict[int, float]:
        """Unkerned advances (PDF glyph space) for the /W array."""
        hmtx = self._font["hmtx"]
        scale = 1000 / self.units_per_em
        return {g: hmtx[self.glyph_order[g]][0] * scale for g in gids}


# Faces for scripts the themes' book faces lack (Arabic, Hebrew, Devanagari, Thai, Chinese,
# Japanese, Korean), bundled with their licences so no copy depends on the machine's fonts.
FALLBACK_DIR = Path(__file__).parent / "fallback_fonts"


# Script faces before the broad CJK face, whose few glyphs of other scripts are unshaped.
FALLBACK_FILES = (
    "NotoSansArabic-Regular.ttf", "NotoSansHebrew-Regular.ttf",
    "NotoSansDevanagari-Regular.ttf", "NotoSansThai-Regular.ttf", "NanumGothicCoding.ttf",
    "DroidSansFallbackFull.ttf",
)


def fallback_faces() -> tuple[Path, ...]:
    return tuple(FALLBACK_DIR / name for name in FALLBACK_FILES)


def mark_faces(theme: Theme) -> tuple[Path, ...]:
    """Every face a personal line may be set in: the theme's first, then the fallbacks."""
    return (*theme_text_faces(theme), *fallback_faces())


@dataclass(frozen=True, slots=True)
class Run:
    """Consecutive characters set in one face (``face`` indexes the face tuple)."""

    face: int
    text: str


def _strong(ch: str) -> bool:
    """A letter or digit decides a run's face; spaces, punctuation and marks follow it."""
    return unicodedata.category(ch)[0] in "LN"


def _rtl(ch: str) -> bool:
    return unicodedata.bidirectional(ch) in ("R", "AL")


def split_runs(text: str, faces: tuple[Face, ...]) -> tuple[Run, ...] | None:
    """``text`` cut into runs, each in the first face that has its letters: the theme's face
    for what it covers, a fallback for the rest. A space or a mark between two letters of one
    right-to-left run stays in it (the bidi rule for neutrals), so HarfBuzz orders the whole
    run; elsewhere it takes the first face with a glyph. None if a character has no face."""
    runs: list[Run] = []
    for i, ch in enumerate(text):
        covering = [k for k, f in enumerate(faces) if ord(ch) in f.cmap]
        if not covering:
            return None
        current = runs[-1] if runs else None
        if current is not None and not _strong(ch) and current.face in covering:
            ahead = next((c for c in text[i + 1:] if _strong(c)), "")
            inside_rtl = (any(_rtl(c) for c in current.text) and bool(ahead) and _rtl(ahead)
                          and ord(ahead) in faces[current.face].cmap)
            if unicodedata.category(ch)[0] == "M" or inside_rtl:
                runs[-1] = Run(current.face, current.text + ch)
                continue
        face = covering[0]
        if current is not None and current.face == face:
            runs[-1] = Run(face, current.text + ch)
        else:
            runs.append(Run(face, ch))
    return tuple(runs)


def face_for(text: str, faces: tuple[Face, ...]) -> Face | None:
    """The first face that has every character of ``text``."""
    for face in faces:
        if not missing_characters(text, face.cmap):
            return face
    return None


def require_runs(text: str, faces: tuple[Face, ...], what: str, path: Path | None,
                 line: int | None) -> tuple[Run, ...]:
    """The runs to draw ``text`` in, or an error naming what cannot be drawn and where."""
    runs = split_runs(text, faces) if faces else None
    if runs is not None:
        return runs
    require_face(text, faces, what, path, line)
    raise AssertionError("unreachable: a text no face covers has no runs")


def require_face(text: str, faces: tuple[Face, ...], what: str, path: Path | None,
                 line: int | None) -> Face:
    """The face to draw ``text`` in, or an error naming what cannot be drawn and where."""
    face = face_for(text, faces)
    if face is not None:
        return face
    if not faces:
        raise OctavoError("the theme bundles no upright regular font to draw the mark with",
                          path, line)
    missing = "".join(ch for ch in missing_characters(text, faces[0].cmap)
                      if all(ord(ch) not in f.cmap for f in faces[1:]))
    if not missing:
        raise OctavoError(f"{what} mixes scripts no single face bundled with the theme covers",
                          path, line)
    raise OctavoError(
        f"{what} has characters no face bundled with the theme can draw "
        f"({describe_characters(missing)}); octavo draws Latin, Greek and Cyrillic names in "
        "the theme's face, Arabic, Hebrew, Devanagari, Thai, Chinese, Japanese and Korean "
        "in its bundled faces, and never prints missing-glyph boxes", path, line,
    )
