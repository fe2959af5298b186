"""Where the works of a Project Gutenberg file begin and end, and what around them is licence.

A file holds one work or several (an omnibus, as Project Gutenberg publishes them: each work with
its own header, ``*** START OF`` line, ``*** END OF`` line and licence, one after another).
Between a START line and the end line after it is the book. Outside them, a block of lines (lines
between blank lines) is boilerplate when it reads as Project Gutenberg's licence or header: it
names Project Gutenberg, an eBook, a licence, a trademark, a donation or a web address, is a
``*** ... ***`` line, or is all header fields (``Title:``, ``Author:``, ``Release Date:``...).
Any other block is text, and no text is dropped unsaid: after an end line it is kept, as more of
the work before it; before the first START line it is left out, and the reader warns with its
lines and its words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

START_MARKER = re.compile(
    r"^\s*\*{3}\s*START OF (?:THE |THIS )?PROJECT GUTENBERG|^\s*\*END\*\s*THE SMALL PRINT",
    re.IGNORECASE,
)
END_MARKER = re.compile(
    r"^\s*\*{3}\s*END OF (?:THE |THIS )?PROJECT GUTENBERG"
    r"|^\s*End of (?:the )?Project Gutenberg'?s?\b"
    # The licence's own first line ends the text of a file that lost its end line.
    r"|^\s*\*{3}\s*START:? (?:THE )?FULL LICEN[CS]E",
    re.IGNORECASE,
)
# Old texts close the small print of their header with a second marker.
SMALL_PRINT_END = re.compile(r"^\s*\*END\*")
SMALL_PRINT_LINES = 400
# What the licence and the header talk about: the project, its eBooks, licence, trademark and
# foundation, donations, refunds and warranties, web addresses; its numbered sections and
# ``***`` lines. Knowledge of Project Gutenberg's boilerplate, never of a book.
LICENCE_WORDS = re.compile(
    r"gutenberg|licen[cs]e|\be-?books?\b|\be-?texts?\b|copyright|trademark|foundation|donat"
    r"|royalt|refund|warrant|liabilit|disclaim|https?:|www\.|\w\.(?:org|net|com)\b|\bPG\b"
    r"|electronic works?\b|this file\b|this header\b|updated editions"
    r"|^\s*section \d|^\s*1\.[A-F]\b|^\s*\*{3}|^\s*\*END\*"
    r"|^\s*(?:produced|prepared|transcribed) by\b",
    re.IGNORECASE | re.MULTILINE,
)
# The fields of a Project Gutenberg header.
HEADER_FIELD = re.compile(
    r"^(?:title|sub-?title|authors?|editors?|translators?|illustrators?|contributors?|credits"
    r"|release date|posting date|first posted|last updated|most recently updated|date"
    r"|original publication|language|character set encoding|produced by|series|edition)\s*:",
    re.IGNORECASE,
)
TITLE_FIELD = re.compile(r"^Title\s*:", re.IGNORECASE)
# A marker line too long for the width of the file runs on for a line or two (``... EBOOK THE
# ADVENTURES OF`` / ``SHERLOCK HOLMES ***``, ``End of ... Holmes, by`` / ``Arthur Conan Doyle``).
MARKER_RUN_ON = 2


@dataclass(frozen=True, slots=True)
class Segment:
    """Lines of a work's text, with the 1-based number of the first."""

    lines: tuple[str, ...]
    first_line: int


@dataclass(frozen=True, slots=True)
class Work:
    """One work of the file: its header, and its text (the lines between its START line and
    its end line, then any text found after its end line)."""

    header: tuple[str, ...]
    segments: tuple[Segment, ...]


@dataclass(frozen=True, slots=True)
class Region:
    """Blocks of text outside the markers, lines ``first_line`` to ``last_line``."""

    first_line: int
    last_line: int
    words: int


@dataclass(frozen=True, slots=True)
class Layout:
    works: tuple[Work, ...]
    left_out: tuple[Region, ...] = ()  # text before the first START line
    kept: tuple[Region, ...] = ()  # text after an end line, read as the work's own
    starts: tuple[int, ...] = ()  # the 1-based line of each work's START line


def is_boilerplate(lines: Sequence[str]) -> bool:
    """A block of the licence or the header: see the module's docstring."""
    if LICENCE_WORDS.search("\n".join(lines)):
        return True
    return bool(lines) and HEADER_FIELD.match(lines[0].strip()) is not None and all(
        HEADER_FIELD.match(ln.strip()) or ln[:1].isspace() for ln in lines[1:])


def _blocks(lines: Sequence[str], start: int, stop: int) -> list[tuple[int, int]]:
    """``[first, last)`` indices of each run of non-blank lines in ``lines[start:stop]``."""
    out: list[tuple[int, int]] = []
    first: int | None = None
    for i in range(start, stop):
        if lines[i].strip():
            if first is None:
                first = i
        elif first is not None:
            out.append((first, i))
            first = None
    if first is not None:
        out.append((first, stop))
    return out


def text_runs(lines: Sequence[str], start: int, stop: int) -> list[tuple[int, int]]:
    """``[first, last)`` indices of each run of text blocks (no boilerplate block between
    them) in ``lines[start:stop]``."""
    runs: list[tuple[int, int]] = []
    open_run: tuple[int, int] | None = None
    for first, last in _blocks(lines, start, stop):
        if is_boilerplate(lines[first:last]):
            if open_run is not None:
                runs.append(open_run)
                open_run = None
            continue
        open_run = (open_run[0], last) if open_run is not None else (first, last)
    if open_run is not None:
        runs.append(open_run)
    return runs


def _region(lines: Sequence[str], first: int, last: int) -> Region:
    return Region(first + 1, last, sum(len(ln.split()) for ln in lines[first:last]))


def own_header(lines: Sequence[str]) -> tuple[str, ...]:
    """A work's header among the lines before its START line: from its ``Title:`` field on
    (the licence of the work before it comes first in an omnibus)."""
    titles = [i for i, ln in enumerate(lines) if TITLE_FIELD.match(ln)]
    return tuple(lines[titles[-1]:] if titles else lines)


def marker_end(lines: Sequence[str], marker: int, runs_on: bool = False) -> int:
    """The index after a marker line and the lines it runs on to, at most ``MARKER_RUN_ON``
    of them: a ``*** ... ***`` marker ends at its closing stars; another (``End of the Project
    Gutenberg EBook of ...``) when ``runs_on``, at the next blank line."""
    line = lines[marker].strip()
    last = min(len(lines), marker + 1 + MARKER_RUN_ON)
    if line.startswith("***"):
        if line.endswith("***", 3):
            return marker + 1
        for end in range(marker + 1, last):
            if not lines[end].strip():
                break
            if lines[end].rstrip().endswith("***"):
                return end + 1
        return marker + 1
    if not runs_on:
        return marker + 1
    end = marker + 1
    while end < last and lines[end].strip():
        end += 1
    return end


def _body_start(lines: Sequence[str], start: int, stop: int) -> int:
    """The index of a work's first line of text after its START line at ``start`` (the next
    work's START line, or the end of the file, at ``stop``)."""
    for i in range(start + 1, min(stop, start + SMALL_PRINT_LINES)):
        if SMALL_PRINT_END.match(lines[i]):
            return i + 1
    return marker_end(lines, start)


def split_works(lines: Sequence[str]) -> Layout:
    """The works of a file and the text outside their markers (see the module's docstring).
    A file without a START line is one work, all text."""
    starts = [i for i, ln in enumerate(lines) if START_MARKER.match(ln)]
    # An old text's ``*END*THE SMALL PRINT`` closes the START before it, starting no work.
    starts = [s for k, s in enumerate(starts)
              if not (k and SMALL_PRINT_END.match(lines[s]) and s - starts[k - 1] < SMALL_PRINT_LINES)]
    if not starts:
        return Layout((Work((), (Segment(tuple(lines), 1),)),))
    left_out = [_region(lines, a, b) for a, b in text_runs(lines, 0, starts[0])]
    kept: list[Region] = []
    works: list[Work] = []
    header_from = 0
    for k, start in enumerate(starts):
        stop = starts[k + 1] if k + 1 < len(starts) else len(lines)
        body = _body_start(lines, start, stop)
        end = next((i for i in range(body, stop) if END_MARKER.match(lines[i])), stop)
        segments = [Segment(tuple(lines[body:end]), body + 1)]
        after = marker_end(lines, end, runs_on=True) if end < stop else stop
        for a, b in text_runs(lines, after, stop):
            segments.append(Segment(tuple(lines[a:b]), a + 1))
            kept.append(_region(lines, a, b))
        works.append(Work(own_header(lines[header_from:start]), tuple(segments)))
        header_from = after
    return Layout(tuple(works), tuple(left_out), tuple(kept), tuple(s + 1 for s in starts))
