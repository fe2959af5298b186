"""Ellipses: three spaced or unspaced periods to one ellipsis character (…)."""

from __future__ import annotations

import re

from ..model import Inline
from .languages import HAIR, NBSP
from .options import QuoteStyle
from .rewrite import sub_run
from .rule import RunRule, run_rule

_SPACE = f"[ \\t\u00a0{HAIR}]*"
_DOTS = "(?:\\.(?:[ \u00a0]?\\.){2,}|\u2026)"
# Ellipses typed side by side are one ellipsis.
# A no-break space after an ellipsis was set on purpose (a later rule or the author): kept.
_TRAIL = f"[ \\t{HAIR}]*"
_ELLIPSIS = re.compile(
    f"(?P<period>(?<=[^\\W_])\\.)?{_SPACE}{_DOTS}(?:{_SPACE}{_DOTS})*{_TRAIL}"
)
# Every ellipsis starts with two dots (spaced or not) or is the character already.
_ELLIPSIS_SIEVE = ("..", ". .", ".\u00a0.", "\u2026")
# Runs after the quotes are curled, so a mark's direction is known here.
_OPENING = set("\u201c\u2018\u201e\u201a\u00ab\u2039([{\n")
_CLOSING = set("\u201d\u00bb\u203a)]}\u2014\u2013\u2e3a\u2e3b-\n")
_PUNCTUATION = set("!?.;,:")


def _ellipsis(m: re.Match[str], space_before: str = HAIR) -> str:
    text, start, end = m.string, m.start(), m.end()
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if m.group("period"):
        # Four dots: the sentence's period, then the ellipsis (CMOS 13.53).
        lead = "." + space_before
    elif not before or before in _OPENING or before.isspace():
        lead = ""  # after a kept no-break space too: whoever set it meant that space
    else:
        lead = space_before
    # A ’ before a letter is an elision (… ’tis), one after is a closing quote.
    closing_single = after == "\u2019" and not text[end + 1:end + 2].isalpha()
    if not after or after in _CLOSING or closing_single or after.isspace():
        trail = ""
    elif after in _PUNCTUATION:
        trail = HAIR
    else:
        trail = " "
    return f"{lead}\u2026{trail}"


# The space before an ellipsis after a word, by convention: a hair space in English (SE
# typogrify), none in French (Lexique: close to the word), a word space in German (Duden),
# no-break so that no line starts with the ellipsis.
SPACE_BEFORE: dict[QuoteStyle, str] = {"en-US": HAIR, "en-GB": HAIR, "fr": "", "de": NBSP,
                                     "es": ""}


def ellipses_rule(style: QuoteStyle) -> RunRule:
    @run_rule
    def ellipses(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
        """``...`` and ``. . .`` to … with the language's space before it (a hair space in
        English, SE typogrify) and a word space after; four dots to a period and an ellipsis
        (CMOS 13.53)."""
        return sub_run(inlines, _ELLIPSIS, lambda m: _ellipsis(m, SPACE_BEFORE[style]),
                       _ELLIPSIS_SIEVE)

    return ellipses
