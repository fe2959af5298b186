"""Plain-text inline markup (``*em*``, ``_em_``, ``**strong**``) -> model inlines.

Delimiters follow the Markdown flanking idea: an opener is followed by a non-space and not
preceded by a letter or digit; a closer is preceded by a non-space and not followed by one. So
``snake_case`` and ``2*3*4`` stay text while ``*Alone.*`` and ``_Punch_,`` become emphasis.

A span is the earliest opener that has a closer after it, closed by the first closer; its
inside and the text after it are read the same way, each on its own (a delimiter at either
end of a piece sees nothing beyond it). The scan moves forward only, so a paragraph costs time
in proportion to its length, however many markers it holds; spans nest at most
``MAX_NESTING`` deep, and markers deeper than that stay as the characters typed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..model import Emphasis, Inline, Strong, Text, inline_text
from .structure import own_number

# No manuscript nests emphasis this deep on purpose; the bound keeps every later walk of the
# inlines (normalizer, serializer) far from Python's recursion limit.
MAX_NESTING = 24


@dataclass(frozen=True, slots=True)
class _Delimiter:
    """One kind of span: its marker, the node it makes, and the characters that may not sit
    just inside it (``*`` for ``*em*``, so ``**`` is never read as two emphasis markers)."""

    marker: str
    node: Callable[[tuple[Inline, ...]], Emphasis | Strong]
    not_inside: str
    not_before_opener: str
    not_after_closer: str


# In the order they win a tie (none can start at the same place as another).
_DELIMITERS = (
    _Delimiter("**", Strong, "", "\\", ""),
    _Delimiter("*", Emphasis, "*", "\\*", "*"),
    _Delimiter("_", Emphasis, "_", "\\", ""),
)


def _unescape(text: str) -> str:
    return re.sub(r"\\([*_\\])", r"\1", text) if "\\" in text else text


def _bracketed(before: str, after: str) -> bool:
    """``(*)``, ``(**)``, ``[*]``: a marker alone in brackets is a sign (a note's call), not
    emphasis opening or closing."""
    return before in ("(", "[") and after in (")", "]")


class _Scan:
    """Where the next span of one delimiter kind lies in ``text[lo:hi]``; positions only grow."""

    def __init__(self, text: str, kind: _Delimiter, lo: int, hi: int) -> None:
        self.text, self.kind, self.lo, self.hi = text, kind, lo, hi
        self.opener_from = lo
        self.closer_from = lo
        self.closer = -1
        self.exhausted = False

    def _is_opener(self, i: int) -> bool:
        text, kind, n = self.text, self.kind, len(self.kind.marker)
        before = text[i - 1] if i > self.lo else ""
        after = text[i + n] if i + n < self.hi else ""
        return (not before or (not before.isalnum() and before not in kind.not_before_opener)) \
            and bool(after) and not after.isspace() and after not in kind.not_inside \
            and not _bracketed(before, after)

    def _is_closer(self, j: int) -> bool:
        text, kind, n = self.text, self.kind, len(self.kind.marker)
        before = text[j - 1]
        after = text[j + n] if j + n < self.hi else ""
        return not before.isspace() and before not in kind.not_inside and (
            not after or (not after.isalnum() and after not in kind.not_after_closer)) \
            and not _bracketed(before, after)

    def restart_at(self, pos: int) -> None:
        """Read on from ``pos`` as a piece of its own. Only a marker right at ``pos`` can read
        differently (it now sees no character before it, so it may open a span); then this
        kind starts afresh, and that span is the next one taken, so no text is scanned twice."""
        self.lo = pos
        if self.text.startswith(self.kind.marker, pos) and self._is_opener(pos):
            self.opener_from = self.closer_from = pos
            self.closer = -1
            self.exhausted = False

    def next_span(self, start: int) -> tuple[int, int] | None:
        """``(opener, closer)`` of the first span starting at or after ``start``."""
        if self.exhausted:
            return None
        text, marker, hi = self.text, self.kind.marker, self.hi
        n = len(marker)
        i = text.find(marker, max(start, self.opener_from), hi)
        while i != -1 and not self._is_opener(i):
            i = text.find(marker, i + 1, hi)
        if i == -1:
            self.exhausted = True
            return None
        self.opener_from = i
        earliest = i + n + 1  # the inside holds at least one character
        if self.closer < earliest:
            j = text.find(marker, max(earliest, self.closer_from), hi)
            while j != -1 and not self._is_closer(j):
                j = text.find(marker, j + 1, hi)
            if j == -1:
                # No closer after this opener, so none after any later one either.
                self.exhausted = True
                return None
            self.closer, self.closer_from = j, j
        return i, self.closer


def _parse(text: str, lo: int, hi: int, depth: int) -> list[Inline]:
    out: list[Inline] = []
    if depth >= MAX_NESTING:
        return [Text(_unescape(text[lo:hi]))] if hi > lo else []
    pos = lo
    scans = [_Scan(text, kind, lo, hi) for kind in _DELIMITERS]
    while pos < hi:
        best: tuple[int, int, _Delimiter] | None = None
        for scan in scans:
            found = scan.next_span(pos)
            if found and (best is None or found[0] < best[0]):
                best = (found[0], found[1], scan.kind)
        if best is None:
            break
        opener, closer, kind = best
        n = len(kind.marker)
        if opener > pos:
            out.append(Text(_unescape(text[pos:opener])))
        out.append(kind.node(tuple(_parse(text, opener + n, closer, depth + 1))))
        pos = closer + n
        for scan in scans:
            scan.restart_at(pos)
    if pos < hi:
        out.append(Text(_unescape(text[pos:hi])))
    return out


def parse_inlines(text: str) -> tuple[Inline, ...]:
    """The inlines of one paragraph's (or title's) text."""
    if "*" not in text and "_" not in text:  # no marker, so no span: most paragraphs
        return (Text(_unescape(text)),) if text else ()
    return tuple(_parse(text, 0, len(text), 0))


def split_own_number(title: tuple[Inline, ...]) -> tuple[str | None, tuple[Inline, ...]]:
    """A heading's own number line and the rest as its title: ``I. The Period`` ->
    (``I``, ``The Period``). A title whose number is not plain text before it stays whole."""
    text = inline_text(title)
    found = own_number(text) if text == " ".join(text.split()) else None
    if found is None or not title or not isinstance(title[0], Text):
        return None, title
    label, start = found
    first = title[0].text
    if len(first) <= start:
        return None, title
    rest = first[start:]
    return label, ((Text(rest),) if rest else ()) + title[1:]
