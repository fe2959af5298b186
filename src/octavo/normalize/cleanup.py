"""Rules that make text uniform before typography runs: Unicode form and white space."""

from __future__ import annotations

import re
import unicodedata

from ..model import Inline, inline_text
from .inlines import LINE_BREAK_CHAR, map_text, map_text_slices
from .rule import run_rule

# Hair spaces (U+200A) are typography's own (between adjacent quotes, before an ellipsis) and
# survive, so the chain is idempotent; ``single_spaces`` still forbids two spaces in a row.
_SPACES = re.compile(r"[ \t\u2000-\u2009\u3000\u205f]+")
# What ``_collapse`` changes inside a run: a newline, a tab or a wide space (each made a
# space), and a space after white space (dropped); ``collapsed`` adds the run's two ends.
_UNCOLLAPSED = re.compile(r"[\t\n\u2000-\u2009\u3000\u205f]|\s ")


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


def collapsed(full: str) -> bool:
    """Whether the run's text ``full`` is collapsed already: no white space at its ends and
    none ``_collapse`` would change inside, so every node keeps its text (most runs)."""
    return not (full[:1].isspace() or full[-1:].isspace() or _UNCOLLAPSED.search(full))


def _kept(full: str, start: int, end: int) -> str:
    return full[start:end]


def _text_bounds(full: str) -> tuple[int, int]:
    """Where the run's first non-space character is, and where its last one ends."""
    stripped = full.lstrip()
    first = len(full) - len(stripped)
    return first, first + len(stripped.rstrip())


@run_rule
def collapse_whitespace(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Runs of spaces and tabs become one space; runs lose leading and trailing space."""
    if collapsed(inline_text(inlines, LINE_BREAK_CHAR)):
        return map_text_slices(inlines, _kept)  # which still drops empty nodes, as collapsing does
    bounds: list[tuple[int, int]] = []

    def collapse(full: str, start: int, end: int) -> str:
        if not bounds:  # every node of a run sees the same joined text
            bounds.append(_text_bounds(full))
        return _collapse(full, start, end, *bounds[0])

    return map_text_slices(inlines, collapse)
