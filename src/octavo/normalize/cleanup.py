"""Rules that make text uniform before typography runs: Unicode form and white space."""

from __future__ import annotations

import re
import unicodedata

from ..model import Book, Diagnostic, Inline, map_inline_runs
from .inlines import map_text, map_text_slices

# Hair spaces (U+200A) are typography's own (between adjacent quotes, before an ellipsis) and
# survive, so the chain is idempotent; ``single_spaces`` still forbids two spaces in a row.
_SPACES = re.compile(r"[ \t\u2000-\u2009\u3000\u205f]+")


def unicode_nfc(book: Book) -> tuple[Book, tuple[Diagnostic, ...]]:
    """Compose characters (NFC) so the same letter is always the same code points."""
    return map_inline_runs(book, lambda run: map_text(run, _nfc)), ()


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


def collapse_whitespace(book: Book) -> tuple[Book, tuple[Diagnostic, ...]]:
    """Runs of spaces and tabs become one space; runs lose leading and trailing space."""

    def run(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
        bounds: list[tuple[int, int]] = []

        def collapse(full: str, start: int, end: int) -> str:
            if not bounds:  # every node of a run sees the same joined text
                bounds.append(_text_bounds(full))
            return _collapse(full, start, end, *bounds[0])

        return map_text_slices(inlines, collapse)

    return map_inline_runs(book, run), ()
