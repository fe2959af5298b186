"""Quote marks and punctuation spacing of each language's typographic convention.

- en-US: “double” primary, ‘single’ nested (CMOS 13.30).
- en-GB: ‘single’ primary, “double” nested (New Hart's Rules 9.2); chosen with ``quotes``.
- fr: « guillemets » with narrow no-break spaces inside, “ ” nested; a narrow no-break space
  before ; : ! ? (Lexique des règles typographiques de l'Imprimerie nationale).
- de: „Anführungszeichen“ primary, ‚halbe‘ nested (Duden), or »Guillemets« ›halbe‹ when the
  book itself prints them most (``german_guillemets_by_majority``).
- es: «comillas latinas» primary, “inglesas” nested, no space inside (Ortografía de la RAE
  3.4.8); ¿ and ¡ are kept as written.
The apostrophe is ’ and primes are ′ ″ in every style.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Book, Diagnostic, Inline, inline_text, map_inline_runs
from .inlines import map_text
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
    "es": QuoteMarks("\u00ab", "\u00bb", "\u201c", "\u201d"),
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


# A number in groups of three digits: French sets thousands apart with a (narrow) space,
# "7 000", never with a comma; the space must not break. A first group of one to three
# digits only ("1872 100" is two numbers).
_THOUSANDS = re.compile(r"(?<![\d\u202f])\d{1,3}(?:[ \u00a0]\d{3})+(?!\d)")
# A currency or percent sign after a number: "7 000 F", "20 %", "5 €".
_SIGN_AFTER_NUMBER = re.compile(r"(?<=\d)[ \u00a0](?=(?:F|FF|fr\.|€|£|\$|%|‰)(?![^\W_]))")
_THOUSANDS_SIEVE = re.compile(r"\d[ \u00a0]\d")
_SIGN_AFTER_NUMBER_SIEVE = re.compile(r"\d[ \u00a0]")


@run_rule
def french_number_spaces(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """French numbers: thousands set apart by a narrow no-break space (7 000, 100 000) and a
    no-break space before a currency or percent sign (7 000 F, 20 %) (Imprimerie nationale)."""
    run = sub_run(inlines, _THOUSANDS, lambda m: re.sub("[ \u00a0]", NNBSP, m.group()),
                  _THOUSANDS_SIEVE)
    return sub_run(run, _SIGN_AFTER_NUMBER, NNBSP, _SIGN_AFTER_NUMBER_SIEVE)


# German quotation marks, „Gänsefüßchen“ and ‚halbe‘, set as »Guillemets« and ›halbe‹.
_TO_GUILLEMETS = str.maketrans({"\u201e": "\u00bb", "\u201c": "\u00ab", "\u201a": "\u203a",
                                "\u2018": "\u2039"})


def german_guillemets_by_majority(book: Book) -> tuple[Book, tuple[Diagnostic, ...]]:
    """A German book prints either „…“ or »…« (Duden): the quotes it was given straight, set
    „…“ by curling, follow the marks the book itself holds most, so a text typed with
    »Guillemets« gets no „…“ among them."""
    counts = {"guillemets": 0, "low": 0}

    def count(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
        text = inline_text(inlines)
        counts["guillemets"] += text.count("\u00bb")
        counts["low"] += text.count("\u201e")
        return inlines

    map_inline_runs(book, count)
    # The book's own guillemets outnumber every „ (typed or curled from straight quotes).
    if counts["guillemets"] <= counts["low"]:
        return book, ()
    return map_inline_runs(book, lambda inl: map_text(inl, lambda t: t.translate(_TO_GUILLEMETS))), ()
