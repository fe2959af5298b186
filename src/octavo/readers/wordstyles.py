"""What a word processor's named paragraph style says a paragraph is, when authors name it for
what it holds: a line of a poem, a speaker or a speech of a play, a stage direction, a part of a
letter. One table for Word and OpenDocument, read by name (lower case, spaces, hyphens and
underscores alike), so a style the author based on one of these means the same.

The names are the ones templates and authors use: Word's own letter styles (Date, Salutation,
Closing, Signature), screenplay and stage-play templates (Character, Dialogue, Parenthetical),
and their common translations. A name not here means nothing to octavo: the paragraph is body
text.
"""

from __future__ import annotations

import re
from typing import Literal

StyleRole = Literal["verse", "speaker", "dialogue", "direction", "parenthetical", "dateline",
                    "salutation", "valediction", "signature", "postscript"]

# The parts a letter is made of, in the order a letter sets them.
LETTER_ROLES: tuple[StyleRole, ...] = ("dateline", "salutation", "valediction", "signature",
                                       "postscript")

_ROLES: dict[StyleRole, frozenset[str]] = {
    "verse": frozenset({
        "verse", "poem", "poetry", "poem text", "verse text", "poem body", "poem line",
        "verse line", "stanza", "lyrics", "gedicht", "vers", "poème", "poeme", "poema", "verso",
        "poesia", "poesía", "poesie", "poésie"}),
    "speaker": frozenset({
        "speaker", "speaker name", "character", "character name", "character cue", "persona",
        "sprecher", "figur", "rolle", "personnage", "personaje", "personaggio"}),
    "dialogue": frozenset({
        "dialogue", "dialog", "speech", "réplique", "replique", "diálogo", "dialogo", "battuta"}),
    "direction": frozenset({
        "stage direction", "stage directions", "direction", "directions", "regieanweisung",
        "bühnenanweisung", "buhnenanweisung", "didascalie", "didascalia", "acotación",
        "acotacion"}),
    "parenthetical": frozenset({"parenthetical", "parentheticals"}),
    "dateline": frozenset({"dateline", "date line", "date", "letter date", "datum"}),
    "salutation": frozenset({"salutation", "greeting", "letter salutation", "anrede"}),
    "valediction": frozenset({
        "closing", "valediction", "complimentary close", "complimentary closing",
        "letter closing", "grußformel", "grussformel"}),
    "signature": frozenset({"signature", "signature line", "letter signature", "unterschrift"}),
    "postscript": frozenset({"postscript", "post script", "p.s.", "ps", "nachschrift"}),
}
_BY_NAME = {name: role for role, names in _ROLES.items() for name in names}


# What templates put before or after a style's name: "Screenplay - Character", "Play Dialogue",
# "Verse 2", "Letter Closing".
_PREFIX = re.compile(r"^(?:screenplay|script|stage play|play|drama|theatre|theater|letter)\s+")
_SUFFIX = re.compile(r"\s+\d{1,2}$")


def style_role(name: str) -> StyleRole | None:
    """The role a paragraph style's name gives its paragraphs, or None for any other style."""
    key = re.sub(r"[\s_-]+", " ", name).strip().lower()
    for candidate in (key, _SUFFIX.sub("", key)):
        role = _BY_NAME.get(candidate) or _BY_NAME.get(_PREFIX.sub("", candidate))
        if role is not None:
            return role
    return None


# Where a word processor sets a tab stop when none is set: every half inch.
DEFAULT_TAB_POINTS = 36.0
# A space at a 12-point size.
SPACE_POINTS = 3.0
# How finely indents are told apart: a sixth of an inch. Two lines set within it of each other
# stand at one level; the poem's levels are the ranks of what is left.
INDENT_STEP_POINTS = 12.0


def indent_steps(points: float) -> int:
    """An indent (points from the margin) in the steps verse levels are ranked by."""
    return max(0, round(points / INDENT_STEP_POINTS))


def leading_white_points(text: str) -> float:
    """How far a line's leading tabs and spaces set it in (points)."""
    points = 0.0
    for ch in text:
        if ch == "\t":
            points = (points // DEFAULT_TAB_POINTS + 1) * DEFAULT_TAB_POINTS
        elif ch in " \u00a0":
            points += SPACE_POINTS
        else:
            break
    return points
