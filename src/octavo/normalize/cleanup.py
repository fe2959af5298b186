"""Rules that make text uniform before typography runs: Unicode form and white space."""

from __future__ import annotations

import re
import unicodedata

from ..model import Inline
from .inlines import map_text, map_text_slices
from .rule import run_rule

# Hair spaces (U+200A) are typography's own (between adjacent quotes, before an ellipsis) and
# survive, so the chain is idempotent; ``single_spaces`` still forbids two spaces in a row.
_SPACES = re.compile(r"[ \t\u2000-\u2009\u3000\u205f]+")


@run_rule
def unicode_nfc(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Compose characters (NFC) so the same letter is always the same code points."""
    return map_text(inlines, _nfc)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _collapse(full: str, start: int, end: int, first: int, last: int) -> str:
    """The node ``full[start:end]`` with its runs of spaces made one; ``first`` and ``last``
    bound the run's non-space text, so no node looks at the whole run again."""
    text = _SPACES.sub(" ", full[start:end].replace("\n", " "))
    # One space between words even where markup splits them ("a " + "*b*" + " c").
    if text.startswith(" ") and (start <= first or full[start - 1].isspace()):
        text = text[1:]
    if text.endswith(" ") and end >= last:
        text = text.rstrip(" ")
    return text


def _text_bounds(full: str) -> tuple[int, int]:
    """Where the run's first non-space character is, and where its last one ends."""
    stripped = full.lstrip()
    first = len(full) - len(stripped)
    return first, first + len(stripped.rstrip())


@run_rule
def collapse_whitespace(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Runs of spaces and tabs become one space; runs lose leading and trailing space."""
    bounds: list[tuple[int, int]] = []

    def collapse(full: str, start: int, end: int) -> str:
        if not bounds:  # every node of a run sees the same joined text
            bounds.append(_text_bounds(full))
        return _collapse(full, start, end, *bounds[0])

    return map_text_slices(inlines, collapse)
