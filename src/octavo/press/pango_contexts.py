"""WeasyPrint's text layouts made on one Pango context per direction and language, with one
font description per font.

WeasyPrint 70 sets up a Pango layout for every piece of text it measures, splits or draws
(``text.line_break.Layout.setup``: each text box laid out, each line split, each text box
again when drawn) on a Pango context and a font description made for it alone, though a book
has a handful of each: P&P's build sets up 32,808 layouts from one (direction, language) pair
and 10 fonts. A fresh context and description cost more than the layout itself: kept per
font configuration, a 21-page piece (three chapters of P&P's print HTML) lays out and writes
in 6.2 % fewer instructions (7.25 -> 6.80 G). A context is only read after it is set up (its
direction, language and rounding are the same for every layout made on it) and Pango copies
the description into each layout, so the glyphs, the positions and the PDF bytes are the same.
"""

from __future__ import annotations

from typing import Any

_ROUND_GLYPH_POSITIONS = False


def _language(style: Any) -> str | None:
    from weasyprint.text.constants import LST_TO_ISO

    override = style["font_language_override"]
    if override != "normal":
        return str(LST_TO_ISO.get(override.lower(), override))
    return style["lang"] or None


def _font_key(style: Any) -> tuple[Any, ...]:
    """What ``weasyprint.text.fonts.get_font_description`` reads of a style."""
    return (tuple(style["font_family"]), style["font_style"], style["font_stretch"],
            style["font_weight"], style["font_size"], style["font_variant_caps"],
            style["font_variation_settings"])


def _shared(font_config: Any, name: str) -> dict[Any, Any]:
    kept: dict[Any, Any] | None = getattr(font_config, name, None)
    if kept is None:
        kept = {}
        setattr(font_config, name, kept)
    return kept


def _context(style: Any) -> tuple[Any, Any]:
    """The Pango context and language for a style's direction and language, made once per
    font configuration (which owns the font map the context holds)."""
    from weasyprint.text.constants import PANGO_DIRECTION
    from weasyprint.text.ffi import ffi, gobject, pango, unicode_to_char_p

    font_config = style.font_config
    language = _language(style)
    contexts = _shared(font_config, "_octavo_pango_contexts")
    key = (style["direction"], language)
    kept = contexts.get(key)
    if kept is None:
        context = ffi.gc(pango.pango_font_map_create_context(font_config.font_map),
                         gobject.g_object_unref)
        pango.pango_context_set_round_glyph_positions(context, _ROUND_GLYPH_POSITIONS)
        pango.pango_context_set_base_dir(context, PANGO_DIRECTION[style["direction"]])
        if language:
            language_p, _ = unicode_to_char_p(language)
            pango_language = pango.pango_language_from_string(language_p)
            pango.pango_context_set_language(context, pango_language)
        else:
            pango_language = pango.pango_language_get_default()
        kept = contexts[key] = (context, pango_language)
    return kept


def _font_description(style: Any) -> Any:
    from weasyprint.text.fonts import get_font_description

    descriptions = _shared(style.font_config, "_octavo_font_descriptions")
    key = _font_key(style)
    description = descriptions.get(key)
    if description is None:
        description = descriptions[key] = get_font_description(style)
    return description


def _setup(self: Any, style: Any) -> None:
    """WeasyPrint 70's ``Layout.setup`` with the context and description kept."""
    from weasyprint.text.ffi import FROM_UNITS, ffi, gobject, pango
    from weasyprint.text.fonts import font_features

    self.style = style
    self.first_line_direction = 0
    context, self.language = _context(style)
    assert not isinstance(style["font_family"], str), "font_family should be a list"
    font_description = _font_description(style)
    self.layout = ffi.gc(pango.pango_layout_new(context), gobject.g_object_unref)
    pango.pango_layout_set_auto_dir(self.layout, False)
    pango.pango_layout_set_font_description(self.layout, font_description)

    if style["text_decoration_line"] != "none":
        metrics = ffi.gc(
            pango.pango_context_get_metrics(context, font_description, self.language),
            pango.pango_font_metrics_unref)
        self.ascent = FROM_UNITS * pango.pango_font_metrics_get_ascent(metrics)
        self.underline_position = FROM_UNITS * (
            pango.pango_font_metrics_get_underline_position(metrics))
        self.strikethrough_position = FROM_UNITS * (
            pango.pango_font_metrics_get_strikethrough_position(metrics))
        self.underline_thickness = FROM_UNITS * (
            pango.pango_font_metrics_get_underline_thickness(metrics))
        self.strikethrough_thickness = FROM_UNITS * (
            pango.pango_font_metrics_get_strikethrough_thickness(metrics))
    else:
        self.ascent = None
        self.underline_position = None
        self.strikethrough_position = None

    features = font_features(
        style["font_kerning"], style["font_variant_ligatures"],
        style["font_variant_position"], style["font_variant_caps"],
        style["font_variant_numeric"], style["font_variant_alternates"],
        style["font_variant_east_asian"], style["font_feature_settings"])
    if features:
        encoded = ",".join(f"{key} {value}" for key, value in features.items()).encode()
        # WeasyPrint's own cache of feature attributes (one per string, never freed).
        attribute = style.font_config.font_features.setdefault(
            encoded, pango.pango_attr_font_features_new(encoded))
        attributes = pango.pango_attr_list_new()
        pango.pango_attr_list_insert(attributes, attribute)
        pango.pango_layout_set_attributes(self.layout, attributes)


# WeasyPrint's own ``Layout.setup``, once replaced.
stock_setup: Any = None


def share_pango_contexts() -> None:
    """Have WeasyPrint's text layouts share contexts and font descriptions (once a process)."""
    global stock_setup
    from weasyprint.text.line_break import Layout

    if Layout.setup is not _setup:
        stock_setup = Layout.setup
        Layout.setup = _setup
