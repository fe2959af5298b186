"""Spaces a typesetter sets: hair spaces between adjacent quotes, no-break spaces that keep
an honorific, an initial or a number with what follows, and never two spaces in a row."""

from __future__ import annotations

import re
from dataclasses import replace

from ..model import (
    Block,
    Book,
    Diagnostic,
    Inline,
    Paragraph,
    inline_text,
    map_blocks,
)
from .languages import HAIR, NBSP, NNBSP
from .rewrite import led_by, sub_run
from .rule import run_rule

_GAP = f"[ \\t{NBSP}{HAIR}]*"

# ---------------------------------------------------------------- adjacent quotes

_ADJACENT_QUOTES = re.compile(
    f"(\u201c){_GAP}(?=[\u2018\u2019])|(\u2019){_GAP}(?=\u201d)"
    f"|(\u2018){_GAP}(?=[\u201c\u2019])|(\u201d){_GAP}(?=\u2019(?![^\\W_]))"
)
# Two curled marks with at most a gap between them: what every pair above needs. This and the
# module's other sieves let a run without it skip the slower pattern (``sub_run``).
_ADJACENT_QUOTES_SIEVE = re.compile(f"[\u201c\u2019\u2018\u201d]{_GAP}[\u2018\u2019\u201c\u201d]")


def _hair_after(m: re.Match[str]) -> str:
    return (m.group(1) or m.group(2) or m.group(3) or m.group(4)) + HAIR


@run_rule
def space_adjacent_quotes(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Adjacent quote marks take a hair space: “ ‘Yes,’ … ’ ” (CMOS 6.11; SE typogrify)."""
    return sub_run(inlines, _ADJACENT_QUOTES, _hair_after, _ADJACENT_QUOTES_SIEVE)


# ---------------------------------------------------------------- no-break spaces

# Titles before a name and ``No.`` before a number: the abbreviation never ends a line alone.
_TITLES = (r"(?:Mr|Mrs|Ms|Messrs|Mmes?|Mlles?|Dr|Drs|Prof|Rev|Hon|St|Mt|Capt|Col|Gen|Lt"
           r"|Sgt|Gov|Pres|Fr|Sr|Sra)")
_HONORIFIC = led_by(
    "CDFGHLMNPRS",  # the first letters of the titles and of No.
    rf"(?<![^\W_]){_TITLES}\.[ \t]+(?=[^\W\d_]|\u2e3a|\u2e3b)"
    r"|(?<![^\W_])No\.[ \t]+(?=\d)"
)
_HONORIFIC_SIEVE = re.compile(rf"(?:{_TITLES}|No)\.[ \t]")
# An initial: one capital and a period, followed by another initial or a name. "I" and "A"
# end sentences too often, so they count only after another initial (J. A. Smith).
_INITIAL = led_by(
    "A-Z", r"(?<![^\W_])(?:(?<=[A-Z]\.[ \u00a0])[A-Z]|(?![AI])[A-Z])\.[ \t]+(?=[A-Z])"
)
_INITIAL_SIEVE = re.compile(r"[A-Z]\.[ \t]+[A-Z]")
_UNITS = (
    r"(?:km|kg|mg|cm|mm|nm|ml|mL|µm|m|g|l|L|lbs?|oz|ft|yd|mi|mph|km/h|kW|W|V|Hz|kHz|MHz"
    r"|°[CF]|K|%|‰)(?![^\W_])"
)
# Abbreviations a number takes after it: measures, money and time (8 oz., 3 hrs., 20 min.,
# 6 cwt.). A closed list: an ordinary word at a sentence's end ("12 men.") is no unit.
_ABBREVIATIONS_AFTER = (
    r"(?:oz|lbs?|ft|yds?|mi|hrs?|mins?|secs?|cwt|qrs?|pts?|qts?|gals?|doz|deg|sq|cu"
    r"|pp?|vols?|[ap]\.m)\.(?![^\W_])"
)
_NUMBER_UNIT = re.compile(rf"(?<=\d)[ \t]+(?={_UNITS}|{_ABBREVIATIONS_AFTER})")
_NUMBER_UNIT_SIEVE = re.compile(r"\d[ \t]")


@run_rule
def no_break_spaces(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """No-break spaces: Mr. Darcy, Dr. Jekyll, No. 12 (SE typogrify), J. R. R.
    Tolkien (CMOS 10.12), 5 kg, 12 %, 8 oz., 5 p.m. (SI 5.4.3), never 12 men."""
    run = sub_run(inlines, _HONORIFIC, lambda m: m.group().rstrip(" \t") + NBSP,
                  _HONORIFIC_SIEVE)
    run = sub_run(run, _INITIAL, lambda m: m.group().rstrip(" \t") + NBSP, _INITIAL_SIEVE)
    return sub_run(run, _NUMBER_UNIT, NBSP, _NUMBER_UNIT_SIEVE)


_LAST_SPACE = re.compile(r"[ \t]+(?=\S+$)")


def _runt(block: Block) -> Block:
    if not isinstance(block, Paragraph) or len(inline_text(block.inlines).split()) < 4:
        return block
    return replace(block, inlines=sub_run(block.inlines, _LAST_SPACE, NBSP))


def no_runts(book: Book) -> tuple[Book, tuple[Diagnostic, ...]]:
    """A no-break space before each paragraph's last word, so no line holds it alone (CMOS
    2.113 runts); only when the book asks (``runts = true``)."""
    return map_blocks(book, _runt), ()


# ---------------------------------------------------------------- never two spaces

_SPACE_RUN = re.compile(f"[ \\t{NBSP}{NNBSP}{HAIR}\u2009]{{2,}}")
# Two of those spaces side by side: two word spaces, or one of the others.
_SPACE_RUN_SIEVE = ("  ", "\t", NBSP, NNBSP, HAIR, "\u2009")
# The strongest space of a run survives: a no-break space must keep its promise.
_STRENGTH = (NNBSP, NBSP, " ", "\u2009", HAIR)


def _one_space(m: re.Match[str]) -> str:
    return next(s for s in _STRENGTH if s in m.group() or s == HAIR)


@run_rule
def single_spaces(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Never two spaces in a row: a run of spaces becomes its strongest one (CMOS 6.11)."""
    return sub_run(inlines, _SPACE_RUN, _one_space, _SPACE_RUN_SIEVE)
