"""Typography rules: straight marks to the marks a typesetter would use.

Each rule is one case family, pure, and idempotent (running it twice changes nothing more).
"""

from __future__ import annotations

import re

from ..model import Book, Diagnostic, Inline, map_inline_runs
from .inlines import map_joined, map_text

# Characters after which a quote mark opens: start of text, space, opening brackets, dashes.
_OPENERS_BEFORE = set(" \t\n([{<\u2014\u2013-/\u201c\u2018\u00a0\u202f\u2026")
# Words that begin with an apostrophe standing for dropped letters (Standard Ebooks' list of
# common English elisions): the mark is an apostrophe (’), never an opening quote.
_ELISIONS = re.compile(
    r"(?:tis|twas|twere|twill|twould|em|n|cause|til|bout|neath|gainst|mongst|midst|pon)"
    r"(?![a-z])|\d\d(?:s|\b)",
    re.IGNORECASE,
)


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def curl_quotes_text(text: str) -> str:
    """Straight " and ' to curly marks by context; apostrophes inside and at word ends."""
    out = list(text)
    for i, ch in enumerate(text):
        if ch not in "\"'":
            continue
        before = text[i - 1] if i > 0 else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        opens = before in _OPENERS_BEFORE or before in "\u201c\u2018"
        if ch == '"':
            if opens and not after.isspace():
                out[i] = "\u201c"
            elif opens and before in " \n" and after.isspace():
                out[i] = "\u201d" if i + 1 >= len(text) else "\u201c"
            else:
                out[i] = "\u201d"
        else:
            if _is_word(before) and _is_word(after):
                out[i] = "\u2019"  # don't, o'clock
            elif opens and _ELISIONS.match(text, i + 1) and not _closes_single(text, i):
                out[i] = "\u2019"  # 'tis, '90s, rock 'n' roll
            elif opens and not after.isspace():
                out[i] = "\u2018"
            else:
                out[i] = "\u2019"  # closing single quote or plural possessive (the boys')
    return "".join(out)


def _closes_single(text: str, i: int) -> bool:
    """Whether an opening-position ' is matched by a closing ' later in the same word run,
    which makes it a quotation ('em' as a quoted word) rather than an elision."""
    m = re.match(r"[A-Za-z]+'(?![A-Za-z])", text[i + 1:])
    return bool(m) and not re.match(r"n'", text[i + 1:])


def curl_quotes(book: Book) -> tuple[Book, tuple[Diagnostic, ...]]:
    """Straight quotes to curly “ ” ‘ ’ by context, apostrophes in and after words."""

    def run(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
        return map_joined(inlines, curl_quotes_text)

    return map_inline_runs(book, run), ()


def em_dashes_text(text: str) -> str:
    """``--`` (and a spaced `` - `` between words) to an em dash with no spaces around it."""
    text = re.sub(r"\s*(?<!-)---?(?!-)\s*", "\u2014", text)
    text = re.sub(r"(?<=\w) - (?=\w)", "\u2014", text)
    return text


def em_dashes(book: Book) -> tuple[Book, tuple[Diagnostic, ...]]:
    """Double hyphens to em dashes, closed up (Chicago 6.85)."""
    return map_inline_runs(book, lambda run: map_text(run, em_dashes_text)), ()


def ellipses_text(text: str) -> str:
    """``...`` and ``. . .`` to one ellipsis character."""
    return re.sub(r"\.\s?\.\s?\.", "\u2026", text)


def ellipses(book: Book) -> tuple[Book, tuple[Diagnostic, ...]]:
    """Three periods to an ellipsis (…)."""
    return map_inline_runs(book, lambda run: map_text(run, ellipses_text)), ()
