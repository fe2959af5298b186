"""Text widths as the PDF backend will set them: HarfBuzz shaping with the very font file and
OpenType features Pango uses for a WeasyPrint computed style.

The line breaker needs widths that agree with WeasyPrint's to a fraction of a point: a chosen
line that Pango finds too wide is wrapped again. Asking Pango which font it picks for a style
(rather than parsing ``@font-face`` rules ourselves) keeps font matching, fallback and feature
settings (kerning, ligatures, ``font-variant-numeric``, small caps) the same by construction.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import uharfbuzz as hb


@dataclass(frozen=True, slots=True)
class FontFace:
    """One face at one size with its features: what a run of text is shaped with.

    ``size`` and the spacings are in CSS px, like WeasyPrint's computed styles.
    """

    data: bytes = field(repr=False, compare=False, hash=False)
    digest: str
    size: float
    features: tuple[tuple[str, int], ...] = ()
    letter_spacing: float = 0.0
    word_spacing: float = 0.0
    # False: measured as Pango sets letter-spaced text, without optional ligatures.
    ligatures: bool = True

    @classmethod
    def from_bytes(cls, data: bytes, size: float, features: dict[str, int] | None = None,
                   letter_spacing: float = 0.0, word_spacing: float = 0.0) -> FontFace:
        digest = hashlib.sha1(data).hexdigest()
        return cls(data, digest, size, tuple(sorted((features or {}).items())),
                   letter_spacing, word_spacing)


# The HarfBuzz fonts, by face digest, loaded once a process.
_FONTS: dict[str, tuple[Any, int]] = {}

# Widths by face, then by text, kept for the life of the process: a worker that sets chapter
# after chapter shapes each word of the book once in each face, not once a chapter. A width
# is the face's and the text's alone, so every measurer may share them.
_WIDTHS: dict[FontFace, dict[str, float]] = {}
# A process that sets book after book (a catalogue's worker) forgets a face's widths past
# this many texts (a novel has some tens of thousands of distinct words and pieces of words).
MAX_TEXTS_PER_FACE = 200_000


class TextMeasurer:
    """Widths of strings in a face, each shaped once (a novel repeats its words a lot).
    ``widths``: where they are kept (by default the process's, shared by every measurer)."""

    def __init__(self, widths: dict[FontFace, dict[str, float]] | None = None) -> None:
        self._fonts = _FONTS
        self._widths = _WIDTHS if widths is None else widths
        self.shaped = 0  # texts shaped by this measurer (not found among the widths kept)

    def _font(self, face: FontFace) -> tuple[Any, int]:
        cached = self._fonts.get(face.digest)
        if cached is None:
            hb_face = hb.Face(face.data)
            cached = self._fonts[face.digest] = (hb.Font(hb_face), hb_face.upem)
        return cached

    def widths_in(self, face: FontFace) -> dict[str, float]:
        """The widths known in ``face``, by text: a caller that measures many texts in one
        face looks each up here first (one dictionary lookup, no hashing of the face)."""
        known = self._widths.get(face)
        if known is None or len(known) > MAX_TEXTS_PER_FACE:
            known = {}
            if face.letter_spacing and not face.ligatures:
                # Letter-spaced text is shaped without optional ligatures either way: the
                # face with them measures the same (a flexed small-capital lead-in).
                twin = self._widths.get(replace(face, ligatures=True))
                if twin is not None and len(twin) <= MAX_TEXTS_PER_FACE:
                    known = twin
            self._widths[face] = known
        return known

    def width(self, face: FontFace, text: str) -> float:
        known = self.widths_in(face)
        width = known.get(text)
        if width is None:
            width = known[text] = self.shape(face, text)
        return width

    def shape(self, face: FontFace, text: str) -> float:
        """The width of ``text`` shaped now (nothing kept)."""
        if not text:
            return 0.0
        self.shaped += 1
        font, upem = self._font(face)
        buf = hb.Buffer()
        buf.add_str(text)
        buf.guess_segment_properties()
        features = dict(face.features)
        if face.letter_spacing or not face.ligatures:
            # Pango drops optional ligatures from letter-spaced text (CSS Text 3, 8.2).
            features.update(liga=0, clig=0, dlig=0)
        hb.shape(font, buf, features)
        advance = sum(pos.x_advance for pos in buf.glyph_positions)
        width = float(advance) * face.size / upem
        # Pango adds letter-spacing after every character and word-spacing to every space.
        width += face.letter_spacing * len(text) + face.word_spacing * text.count(" ")
        return width


@lru_cache(maxsize=64)
def has_feature(data: bytes, tag: str) -> bool:
    """Whether the font substitutes glyphs for an OpenType feature (GSUB)."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data), lazy=True)
    if "GSUB" not in font:
        return False
    records = font["GSUB"].table.FeatureList
    return records is not None and any(r.FeatureTag == tag for r in records.FeatureRecord)


def face_for_style(style: Any) -> FontFace | None:
    """The face Pango uses for a WeasyPrint computed style (the font's bytes come from Pango's
    own HarfBuzz face, so it is the file WeasyPrint will embed); None when Pango would
    synthesise what the font lacks (small capitals without ``smcp``), which no font file
    measures."""
    from weasyprint.text.ffi import ffi, pango
    from weasyprint.text.fonts import font_features, get_hb_object_data, get_pango_font_hb_face
    from weasyprint.text.line_break import Layout

    layout = Layout(style)
    layout.set_text("x")
    line = pango.pango_layout_get_line_readonly(layout.layout, 0)
    glyph_item = ffi.cast("PangoGlyphItem *", line.runs.data)
    data = get_hb_object_data(get_pango_font_hb_face(glyph_item.item.analysis.font))
    features = font_features(
        style["font_kerning"], style["font_variant_ligatures"], style["font_variant_position"],
        style["font_variant_caps"], style["font_variant_numeric"],
        style["font_variant_alternates"], style["font_variant_east_asian"],
        style["font_feature_settings"])
    letter_spacing = style["letter_spacing"]
    if style["font_variant_caps"] != "normal" and not has_feature(bytes(data), "smcp"):
        return None
    return FontFace.from_bytes(
        bytes(data), float(style["font_size"]), dict(features),
        0.0 if letter_spacing == "normal" else float(letter_spacing),
        float(style["word_spacing"] or 0.0),
    )
