"""Which characters the typography rules emit, and how text falls back when a face lacks one.

The rules emit standard Unicode; a backend whose font has no glyph for one (EB Garamond Italic
has no U+2E3A/U+2E3B two- and three-em dashes and no U+202F narrow no-break space) asks
``drawable`` for text its faces can draw, instead of printing a box. Fallbacks keep meaning:
a two-em dash becomes two em dashes, a narrow no-break space a no-break space.
"""

from __future__ import annotations

from collections.abc import Container

# What each rule can put into the text (besides what it keeps from the manuscript).
EMITTED: dict[str, str] = {
    "en_dash_ranges": "\u2013",
    "em_dashes": "\u2014 \u2013",  # em dash; spaced en dash with dashes = "spaced-en"
    "multi_em_dashes": "\u2014\u2e3a\u2e3b",
    "curl_quotes": "\u201c\u201d\u2018\u2019\u2032\u2033\u00ab\u00bb\u201e\u201a",
    "ellipses": "\u2026\u200a\u00a0 .",
    "space_adjacent_quotes": "\u200a",
    "french_spacing": "\u202f",
    "no_break_spaces": "\u00a0",
    "no_runts": "\u00a0",
    "single_spaces": "",
}

FALLBACKS: dict[str, str] = {
    "\u2e3a": "\u2014\u2014",  # two-em dash
    "\u2e3b": "\u2014\u2014\u2014",  # three-em dash
    "\u202f": "\u00a0",  # narrow no-break space: keep the no-break promise
    "\u200a": "",  # hair space: a touch tighter is still right
    "\u2009": " ",
    "\u2032": "'",  # primes: the straight marks are their typewriter forms
    "\u2033": '"',
    "\u2026": "...",
    "\u201e": ",,",
    "\u201a": ",",
}


def drawable(text: str, cmap: Container[int]) -> str:
    """``text`` with every character the face (``cmap``: its code points) lacks replaced by
    a fallback it has; a character with no drawable fallback is left for the font stack."""
    out: list[str] = []
    for ch in text:
        if ord(ch) in cmap or ch not in FALLBACKS:
            out.append(ch)
            continue
        fallback = drawable(FALLBACKS[ch], cmap)
        out.append(fallback if all(ord(c) in cmap for c in fallback) else ch)
    return "".join(out)
