"""Division headings that head a section's parts, not the book's.

An essay in sections may split a section into ``PART I.`` and ``PART II.``, numbering them
again in the next section. Read as the book's parts, each would close the section and leave
its text with no chapter to go into. They are sub-heads of the section they stand in when
text, not a chapter heading, follows them, and either their numbers come round again in a
later section or a long stretch of text follows them (a book's part may open with an
epigraph, but its text comes in chapters).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Diagnostic
from .guesses import guess_warning, line_runs
from .structure import HeadingLine

# Blocks of text after a division heading, before any other heading, that make it a sub-head.
LONG_RUN = 4


@dataclass(frozen=True, slots=True)
class Entry:
    """One block of the body as the rule sees it: its heading (None for text), and whether it
    opens a chapter of the book's own form."""

    heading: HeadingLine | None
    opens_chapter: bool = False


def nested_divisions(entries: Sequence[Entry]) -> frozenset[int]:
    """Indexes of the division headings that are sub-heads of the chapter they stand in."""
    nested: set[int] = set()
    chapter_open = -1  # index of the last chapter heading, -1 before the first
    chapters_between: dict[int, int] = {}
    divisions: list[int] = []
    for k, entry in enumerate(entries):
        h = entry.heading
        if entry.opens_chapter:
            chapter_open = k
            continue
        if h is None or h.kind != "division":
            continue
        divisions.append(k)
        chapters_between[k] = chapter_open
    for k in divisions:
        h = entries[k].heading
        assert h is not None
        run = 0
        for nxt in entries[k + 1:]:
            if nxt.heading is not None:
                break
            run += 1
        if chapters_between[k] < 0 or run == 0:
            continue
        repeated = any(
            _same_division(entries[j].heading, h) and chapters_between[j] != chapters_between[k]
            for j in divisions if j != k
        )
        # Right under a chapter's heading, before any of its text, it can only be inside it.
        first_in_chapter = chapters_between[k] == k - 1
        if repeated or first_in_chapter or run >= LONG_RUN:
            nested.add(k)
    # A sub-head's siblings in the same chapter (its PART II.) are sub-heads too.
    for k in divisions:
        h = entries[k].heading
        if k not in nested and h is not None and any(
                chapters_between[j] == chapters_between[k] >= 0
                and entries[j].heading is not None
                and entries[j].heading.keyword == h.keyword  # type: ignore[union-attr]
                for j in nested) and entries[k + 1:k + 2] and entries[k + 1].heading is None:
            nested.add(k)
    return frozenset(nested)


def _same_division(a: HeadingLine | None, b: HeadingLine) -> bool:
    return a is not None and (a.keyword, a.number) == (b.keyword, b.number)


def guessed_sub_heads(path: str, lines: Sequence[int]) -> Diagnostic | None:
    """One warning for the division lines read as a section's sub-heads, not the book's
    parts."""
    return guess_warning(
        "G023", "part lines read as sub-heads of their section", path, line_runs(lines),
        f"{len(lines)} sub-head(s)",
        "check these are not the book's parts; a part's line right before a chapter's heading "
        "opens a part")
