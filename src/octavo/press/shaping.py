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
import operator
import unicodedata
from collections import deque
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import uharfbuzz as hb

_X_ADVANCE = operator.attrgetter("x_advance")

# What a face measured without its optional ligatures turns off (``FontFace.ligatures``).
OPTIONAL_LIGATURES = ("liga", "clig", "dlig")


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
# Faces without optional ligatures: the face with them, and the characters both set alike.
_TWINS: dict[FontFace, tuple[FontFace, frozenset[str]]] = {}


class TextMeasurer:
    """Widths of strings in a face, each shaped once (a novel repeats its words a lot).
    ``widths``: where they are kept (by default the process's, shared by every measurer)."""

    def __init__(self, widths: dict[FontFace, dict[str, float]] | None = None) -> None:
        self._fonts = _FONTS
        self._widths = _WIDTHS if widths is None else widths
        self.shaped = 0  # texts shaped by this measurer (not found among the widths kept)
        # What this measurer found for each face object it was handed, by the object's
        # identity (the face kept beside it, so that its id is not another's): hashing and
        # comparing a face's fields at every width looked up cost more than the lookup.
        self._seen: dict[int, tuple[FontFace, dict[str, float]]] = {}
        self._twins_seen: dict[int, tuple[FontFace, FontFace, frozenset[str]]] = {}
        # The features each face is shaped with, by the face object's identity (as above).
        self._features: dict[int, tuple[FontFace, dict[str, int]]] = {}
        self._buffer = hb.Buffer()

    def _font(self, face: FontFace) -> tuple[Any, int]:
        cached = self._fonts.get(face.digest)
        if cached is None:
            hb_face = hb.Face(face.data)
            cached = self._fonts[face.digest] = (hb.Font(hb_face), hb_face.upem)
        return cached

    def widths_in(self, face: FontFace) -> dict[str, float]:
        """The widths known in ``face``, by text: a caller that measures many texts in one
        face looks each up here first (one dictionary lookup, no hashing of the face)."""
        seen = self._seen.get(id(face))
        if seen is not None and seen[0] is face:
            return seen[1]
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
        self._seen[id(face)] = (face, known)
        return known

    def with_ligatures(self, face: FontFace, text: str) -> FontFace:
        """The face to measure ``text`` in: for one without optional ligatures, the same face
        with them when no character of ``text`` can take part in one (the two shape it
        alike, :func:`ligature_free_characters`), so that its widths are shaped once."""
        if face.ligatures or face.letter_spacing:
            return face  # letter-spaced: widths_in shares the twin's widths already
        seen = self._twins_seen.get(id(face))
        if seen is None or seen[0] is not face:
            found = _TWINS.get(face)
            if found is None:
                found = _TWINS[face] = (replace(face, ligatures=True),
                                        ligature_free_characters(face.data, face.features))
            seen = self._twins_seen[id(face)] = (face, *found)
        _, twin, free = seen
        return twin if free.issuperset(text) else face

    def width(self, face: FontFace, text: str) -> float:
        if not face.ligatures:
            face = self.with_ligatures(face, text)
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
        # One buffer for all: emptied, it is as a new one (its properties guessed again below).
        buf = self._buffer
        buf.clear_contents()
        buf.add_str(text)
        buf.guess_segment_properties()
        seen = self._features.get(id(face))
        if seen is None or seen[0] is not face:
            features = dict(face.features)
            if face.letter_spacing or not face.ligatures:
                # Pango drops optional ligatures from letter-spaced text (CSS Text 3, 8.2).
                features.update(liga=0, clig=0, dlig=0)
            seen = self._features[id(face)] = (face, features)
        hb.shape(font, buf, seen[1])
        advance = sum(map(_X_ADVANCE, buf.glyph_positions))
        width = float(advance) * face.size / upem
        # Pango adds letter-spacing after every character and word-spacing to every space.
        width += face.letter_spacing * len(text) + face.word_spacing * text.count(" ")
        return width


# GSUB lookup types (OpenType 1.9) this reads: single, multiple, alternate and ligature
# substitution, (chained) contextual, extension, reverse chained.
_SINGLE, _MULTIPLE, _ALTERNATE, _LIGATURE, _CONTEXT, _CHAINED, _EXTENSION, _REVERSE = range(1, 9)


def _subtables(lookup: Any) -> list[tuple[int, Any]]:
    """A lookup's subtables with their type, extensions unwrapped."""
    if lookup.LookupType == _EXTENSION:
        return [(table.ExtensionLookupType, table.ExtSubTable) for table in lookup.SubTable]
    return [(lookup.LookupType, table) for table in lookup.SubTable]


def _triggers(kind: int, table: Any) -> list[list[set[str]]]:
    """What a subtable needs to act on a text shaped alone: each way it may match, as glyph
    sets the text must each have a glyph of (a ligature's components, a contextual rule's
    backtrack, input and lookahead). A rule matched by glyph classes is known by the glyphs
    it may start at alone (class 0 is any glyph), which it needs all the same."""
    if kind in (_SINGLE, _MULTIPLE):
        return [[set(table.mapping)]]
    if kind == _ALTERNATE:
        return [[set(table.alternates)]]
    if kind == _LIGATURE:
        return [[{first}, *({g} for g in lig.Component)]
                for first, ligatures in table.ligatures.items() for lig in ligatures]
    if kind in (_CONTEXT, _CHAINED) and table.Format == 3:
        if kind == _CONTEXT:
            return [[set(c.glyphs) for c in table.Coverage]]
        return [[set(c.glyphs) for c in (*table.BacktrackCoverage, *table.InputCoverage,
                                         *table.LookAheadCoverage)]]
    if kind in (_CONTEXT, _CHAINED) and table.Format == 1:
        rule_sets = table.SubRuleSet if kind == _CONTEXT else table.ChainSubRuleSet
        out = []
        for first, rule_set in zip(table.Coverage.glyphs, rule_sets, strict=True):
            rules = () if rule_set is None else (
                rule_set.SubRule if kind == _CONTEXT else rule_set.ChainSubRule)
            for rule in rules:
                context = rule.Input if kind == _CONTEXT else (
                    *rule.Backtrack, *rule.Input, *rule.LookAhead)
                out.append([{first}, *({g} for g in context)])
        return out
    if kind in (_CONTEXT, _CHAINED, _REVERSE):
        return [[set(table.Coverage.glyphs)]]
    raise ValueError(f"GSUB lookup type {kind}")


def _substitutions(kind: int, table: Any) -> list[tuple[str, str]]:
    """(a glyph, a glyph it may become or become part of) for a substituting subtable
    (contextual ones substitute through lookups of their own, read on their own)."""
    if kind == _SINGLE:
        return list(table.mapping.items())
    if kind == _MULTIPLE:
        return [(g, out) for g, sequence in table.mapping.items() for out in sequence]
    if kind == _ALTERNATE:
        return [(g, out) for g, alternates in table.alternates.items() for out in alternates]
    if kind == _LIGATURE:
        return [(g, lig.LigGlyph) for first, ligatures in table.ligatures.items()
                for lig in ligatures for g in (first, *lig.Component)]
    if kind == _REVERSE:
        return list(zip(table.Coverage.glyphs, table.Substitute, strict=True))
    return []


# Features HarfBuzz never applies unless asked (OpenType's "default off" features, and
# prefixes of numbered ones): the lookups of the others, and of those a face asks for, may
# run. ``frac``, ``numr`` and ``dnom`` are not here: HarfBuzz applies them about a fraction
# slash unasked.
_DISCRETIONARY = frozenset((
    "aalt", "afrc", "c2pc", "c2sc", "case", "cpsp", "cswh", "dlig", "expt", "fwid", "halt",
    "hist", "hkna", "hlig", "hngl", "hojo", "hwid", "ital", "jp04", "jp78", "jp83", "jp90",
    "lnum", "mgrk", "nalt", "nlck", "onum", "ordn", "ornm", "palt", "pcap", "pkna", "pnum",
    "pwid", "qwid", "ruby", "salt", "sinf", "smcp", "smpl", "subs", "sups", "swsh", "titl",
    "tnam", "tnum", "trad", "twid", "unic", "vhal", "vkna", "vpal", "vrt2", "zero"))
_NUMBERED = ("cv", "ss")


def _nested_lookups(kind: int, table: Any) -> set[int]:
    """The lookups a contextual subtable applies where it matches: its rules' lookup
    records (by glyphs, by classes, or by coverages)."""
    chained = kind == _CHAINED
    if table.Format == 3:
        records = table.SubstLookupRecord
    elif table.Format == 1:
        rule_sets = table.ChainSubRuleSet if chained else table.SubRuleSet
        records = [record for rule_set in rule_sets if rule_set is not None
                   for rule in (rule_set.ChainSubRule if chained else rule_set.SubRule)
                   for record in rule.SubstLookupRecord]
    else:
        class_sets = table.ChainSubClassSet if chained else table.SubClassSet
        records = [record for class_set in class_sets if class_set is not None
                   for rule in (class_set.ChainSubClassRule if chained
                                else class_set.SubClassRule)
                   for record in rule.SubstLookupRecord]
    return {record.LookupListIndex for record in records}


def ligature_free_characters(data: bytes, features: tuple[tuple[str, int], ...] = ()
                             ) -> frozenset[str]:
    """Characters that no optional ligature of the font (``liga``, ``clig``, ``dlig``) can
    touch in a face with ``features`` on: a text made of them alone is shaped the same with
    those ligatures on or off, so a face measured without them (a flexed line) may take
    its widths from the face with them."""
    enabled = tuple(sorted(tag for tag, value in features if value))
    return _ligature_free_characters(data, enabled)


@lru_cache(maxsize=64)
def _ligature_free_characters(data: bytes, enabled: tuple[str, ...]) -> frozenset[str]:
    """:func:`ligature_free_characters`, read from the font's GSUB.

    Each way a lookup of those features may match needs some glyphs in the text shaped
    (:func:`_triggers`). The first of them to match in a text would find there glyphs of
    its characters or glyphs other lookups that run (those of features on by default, of
    ``enabled``, and the lookups they apply) made of them. One needed set of characters
    is kept out of every way to match (the one that keeps out fewest more), so that none
    can match a text made of the rest. Characters the font has no glyph for, that
    decompose, and combining marks (HarfBuzz may compose or decompose them) are not free;
    a font shaped by other tables (AAT, Graphite), with feature variations, or with
    positioning under those features has none."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data), lazy=True)
    if any(tag in font for tag in ("morx", "mort", "Silf")):
        return frozenset()
    for tag in ("GSUB", "GPOS"):
        table = font[tag].table if tag in font else None
        if table is not None and getattr(table, "FeatureVariations", None) is not None:
            return frozenset()
    gpos = font["GPOS"].table if "GPOS" in font else None
    if gpos is not None and gpos.FeatureList is not None and any(
            r.FeatureTag in OPTIONAL_LIGATURES for r in gpos.FeatureList.FeatureRecord):
        return frozenset()
    cmap = font.getBestCmap() or {}
    gsub = font["GSUB"].table if "GSUB" in font else None
    triggers: list[list[set[str]]] = []
    sources: dict[str, set[str]] = {}  # glyph -> glyphs that may become it
    if gsub is not None and gsub.LookupList is not None:
        lookups = gsub.LookupList.Lookup
        records = gsub.FeatureList.FeatureRecord if gsub.FeatureList is not None else []
        for index in sorted({i for r in records if r.FeatureTag in OPTIONAL_LIGATURES
                             for i in r.Feature.LookupListIndex}):
            for kind, table in _subtables(lookups[index]):
                triggers.extend(_triggers(kind, table))
        running = {i for r in records if r.FeatureTag not in OPTIONAL_LIGATURES and (
                       r.FeatureTag in enabled or not (r.FeatureTag in _DISCRETIONARY
                                                       or r.FeatureTag[:2] in _NUMBERED))
                   for i in r.Feature.LookupListIndex}
        queue = deque(running)
        while queue:
            for kind, table in _subtables(lookups[queue.popleft()]):
                if kind in (_CONTEXT, _CHAINED):
                    for nested in _nested_lookups(kind, table) - running:
                        running.add(nested)
                        queue.append(nested)
                for glyph, becomes in _substitutions(kind, table):
                    sources.setdefault(becomes, set()).add(glyph)
    characters_of: dict[str, set[str]] = {}
    for code, glyph in cmap.items():
        characters_of.setdefault(glyph, set()).add(chr(code))

    def characters(glyphs: set[str]) -> frozenset[str]:
        """The characters whose glyph is one of ``glyphs`` or may become one."""
        seen, queue = set(glyphs), deque(glyphs)
        while queue:
            for glyph in sources.get(queue.popleft(), ()):
                if glyph not in seen:
                    seen.add(glyph)
                    queue.append(glyph)
        return frozenset(ch for glyph in seen for ch in characters_of.get(glyph, ()))

    # A way to match that needs a glyph no character can give never does.
    needs = [sets for sets in ([characters(glyphs) for glyphs in trigger]
                               for trigger in triggers) if sets and all(sets)]
    kept_out: set[str] = set()
    for sets in sorted(needs, key=lambda sets: min(map(len, sets))):
        if not any(s <= kept_out for s in sets):
            kept_out |= min(sets, key=lambda s: len(s - kept_out))
    # Then each character kept out that every way to match is kept from without.
    for ch in sorted(kept_out):
        rest = kept_out - {ch}
        if all(any(s <= rest for s in sets) for sets in needs):
            kept_out = rest
    return frozenset(
        chr(code) for code in cmap
        if chr(code) not in kept_out and not unicodedata.combining(chr(code))
        and not unicodedata.category(chr(code)).startswith("M")
        and unicodedata.normalize("NFD", chr(code)) == chr(code))


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
