"""Ellipses: three spaced or unspaced periods to one ellipsis character (…)."""

from __future__ import annotations

import re

from ..model import Book, Diagnostic, Inline, map_inline_runs
from .languages import HAIR
from .rewrite import sub_run

_SPACE = f"[ \\t\u00a0{HAIR}]*"
_ELLIPSIS = re.compile(
    f"(?P<period>(?<=[^\\W_])\\.)?{_SPACE}(?:\\.(?:[ \u00a0]?\\.){{2,}}|\u2026){_SPACE}"
)
_OPENING = set("\u201c\u2018\u201e\u201a\u00ab([{")
_CLOSING = set("\u201d\u2019\u00bb)]}\u2014\u2013")
_PUNCTUATION = set("!?.;,:")


def _quote_opens(text: str, i: int) -> bool:
    """Whether the straight quote at ``i`` opens: it does when a non-space follows it."""
    return i + 1 < len(text) and not text[i + 1].isspace()


def _ellipsis(m: re.Match[str]) -> str:
    text, start, end = m.string, m.start(), m.end()
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if m.group("period"):
        # Four dots: the sentence's period, then the ellipsis (CMOS 13.53).
        lead = "." + HAIR
    elif not before or before == "\n" or before in _OPENING or (
        before in "\"'" and (start < 2 or text[start - 2].isspace())
    ):
        lead = ""
    else:
        lead = HAIR
    if not after or after == "\n" or after in _CLOSING or (
        after in "\"'" and not _quote_opens(text, end)
    ):
        trail = ""
    elif after in _PUNCTUATION:
        trail = HAIR
    else:
        trail = " "
    return f"{lead}\u2026{trail}"


def ellipses_run(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    return sub_run(inlines, _ELLIPSIS, _ellipsis)


def ellipses(book: Book) -> tuple[Book, tuple[Diagnostic, ...]]:
    """``...`` and ``. . .`` to … with a hair space before and a word space after (SE
    typogrify); four dots to a period and an ellipsis (CMOS 13.53)."""
    return map_inline_runs(book, ellipses_run), ()
