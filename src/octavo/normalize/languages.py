"""Quote marks and punctuation spacing of each language's typographic convention.

- en-US: “double” primary, ‘single’ nested (CMOS 13.30).
- en-GB: ‘single’ primary, “double” nested (New Hart's Rules 9.2); chosen with ``quotes``.
- fr: « guillemets » with narrow no-break spaces inside, “ ” nested; a narrow no-break space
  before ; : ! ? (Lexique des règles typographiques de l'Imprimerie nationale).
- de: „Anführungszeichen“ primary, ‚halbe‘ nested (Duden).
The apostrophe is ’ and primes are ′ ″ in every style.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Inline
from .options import QuoteStyle
from .rewrite import sub_run
from .rule import run_rule

NNBSP = "\u202f"
NBSP = "\u00a0"
HAIR = "\u200a"
APOSTROPHE = "\u2019"
PRIME = "\u2032"
DOUBLE_PRIME = "\u2033"


@dataclass(frozen=True, slots=True)
class QuoteMarks:
    """The four quote glyphs of a style: primary open/close, nested open/close."""

    open_primary: str
    close_primary: str
    open_nested: str
    close_nested: str


QUOTE_MARKS: dict[QuoteStyle, QuoteMarks] = {
    "en-US": QuoteMarks("\u201c", "\u201d", "\u2018", "\u2019"),
    "en-GB": QuoteMarks("\u2018", "\u2019", "\u201c", "\u201d"),
    "fr": QuoteMarks("\u00ab", "\u00bb", "\u201c", "\u201d"),
    "de": QuoteMarks("\u201e", "\u201c", "\u201a", "\u2018"),
}

_SPACES = f"[ {NBSP}{NNBSP}]*"
_INSIDE_GUILLEMETS = re.compile(f"(«){_SPACES}(?=[^\\s»])|(?<=[^\\s«]){_SPACES}(»)")
# Not inside "?!" runs, and not the colon of a time or ratio (10:30).
_HIGH_PUNCTUATION = re.compile(f"(?<=[^\\s;:!?{NBSP}{NNBSP}]){_SPACES}([;!?]|:(?!\\d))")
# What each pattern needs, so a run without it skips the pattern (``sub_run``).
_INSIDE_GUILLEMETS_SIEVE = ("«", "»")
_HIGH_PUNCTUATION_SIEVE = (";", ":", "!", "?")


def _french_space(m: re.Match[str]) -> str:
    if m.group(1):
        return m.group(1) + NNBSP
    return NNBSP + (m.group(2) or "")


@run_rule
def french_spacing(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """French spacing: « Bonjour » and Quoi ? take a narrow no-break space (U+202F)."""
    run = sub_run(inlines, _INSIDE_GUILLEMETS, _french_space, _INSIDE_GUILLEMETS_SIEVE)
    return sub_run(run, _HIGH_PUNCTUATION, lambda m: NNBSP + m.group(1),
                   _HIGH_PUNCTUATION_SIEVE)
