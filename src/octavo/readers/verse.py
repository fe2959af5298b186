"""Verse in hard-wrapped plain text (Gutenberg texts, ``.txt`` manuscripts), found by its shape.

Prose in such a text is wrapped: each line runs as near the text's measure as its next word
allows, and continues a sentence in lower case. Verse is broken by the poet: its lines end
where the next word would still have fitted, end on punctuation, start in capitals, and are
set in by indents that mean something. A block of lines (between blank lines) with those
signals is a stanza; stanzas one after another are one poem. A verse line too long for the
measure runs on in the source onto a deeper-indented line (a turnover): it is joined back.

Every rule here reads only the lines' shape, never their words, so no book is named.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TypeVar

from ..model import Block, Diagnostic, Inline, SourceSpan, Stanza, Verse, VerseLine
from .guesses import guess_warning, line_runs
from .structure import is_title_text

# Share of a block's lines that must look like verse lines (capitalised starts; breaks the
# poet made rather than the wrap).
CAPITAL_SHARE = 0.7
BREAK_SHARE = 0.5
# Indent levels beyond this read as one: no stylesheet sets verse further in.
MAX_LEVEL = 6
# A block whose first line is set this far in is centred or set right (a sign-off), not verse.
CENTRED = 20
# Lines ending before this share of the measure are short whatever they say.
SHORT = 0.6
# A line ending past this share of the measure is full: what follows it may be its turnover.
FULL = 0.8
# How much further in a turnover is set than the line it continues (columns).
TURNOVER_STEP = (2, 16)


@dataclass(frozen=True, slots=True)
class SourceLine:
    """A line of a block as it stands in the source: its indent (columns) and its text."""

    indent: int
    text: str
    number: int  # 1-based line number in the file

    @property
    def end(self) -> int:
        """The column the line ends at."""
        return self.indent + len(self.text)


def source_lines(lines: Sequence[str], first_number: int) -> list[SourceLine]:
    out = []
    for k, raw in enumerate(lines):
        line = raw.rstrip().expandtabs(4)
        out.append(SourceLine(len(line) - len(line.lstrip()), line.strip(), first_number + k))
    return out


def text_measure(lines: Sequence[str]) -> int:
    """The column a text is wrapped at: the length of its longer lines (the 95th percentile
    of lines that are followed by another line in their block, so paragraphs' short last
    lines do not count)."""
    lengths: list[int] = []
    previous = ""
    for raw in lines:
        line = raw.rstrip().expandtabs(4)
        if line.strip() and previous.strip():
            lengths.append(len(previous))
        previous = line
    if not lengths:
        return 72
    lengths.sort()
    return max(40, lengths[int(0.95 * (len(lengths) - 1))])


def _first_word(text: str) -> str:
    return text.split(maxsplit=1)[0] if text.split() else ""


def broken_early(line: SourceLine, following: SourceLine, measure: int) -> bool:
    """The line ends where the next line's first word would still have fitted within the
    measure: the break is the writer's, not the wrap's."""
    return line.end + 1 + len(_first_word(following.text)) <= measure


def is_turnover(previous: SourceLine, line: SourceLine, measure: int) -> bool:
    """A verse line too long for the measure, carried on to a deeper-indented line: the line
    before it runs near the measure, and this one is set a little further in (a refrain set
    far right is a line of its own), in lower case or well in (a line indented one step and
    capitalised is the poem's own indent)."""
    step = line.indent - previous.indent
    return (previous.end >= FULL * measure and TURNOVER_STEP[0] <= step <= TURNOVER_STEP[1]
            and (not _starts_capitalised(line.text) or step >= 2 * TURNOVER_STEP[0]))


def join_turnovers(lines: Sequence[SourceLine], measure: int) -> list[SourceLine]:
    out: list[SourceLine] = []
    for line in lines:
        if out and is_turnover(out[-1], line, measure):
            out[-1] = SourceLine(out[-1].indent, f"{out[-1].text} {line.text}", out[-1].number)
        else:
            out.append(line)
    return out


def _starts_capitalised(text: str) -> bool:
    letters = re.sub(r"^[\W_\d]+", "", text)
    return letters[:1].isupper()


def _ends_phrase(text: str) -> bool:
    return text.rstrip("_*").endswith(tuple(".,;:!?-\"'’”)—"))


def looks_like_verse(lines: Sequence[SourceLine], measure: int) -> bool:
    """A block (two or more lines, turnovers joined) whose lines after the first start in
    capitals, and which breaks early or on punctuation, or of three lines or more each ending
    a phrase: lines of verse, not wrapped prose."""
    if len(lines) < 2 or lines[0].indent >= CENTRED:
        return False
    later = lines[1:]
    capitals = sum(_starts_capitalised(ln.text) for ln in later) / len(later)
    breaks = list(pairwise(lines))
    early = sum(broken_early(a, b, measure) for a, b in breaks) / len(breaks)
    punctuated = sum(_ends_phrase(a.text) for a, _ in breaks) / len(breaks)
    if len(lines) >= 3 and punctuated == 1:
        return True  # verse in lower case: every line ends a phrase
    return capitals >= CAPITAL_SHARE and (early >= BREAK_SHARE or punctuated >= BREAK_SHARE)


def set_in_verse(lines: Sequence[str], first_number: int, measure: int) -> bool:
    """An indented block of lines far shorter than the text's measure, or that reads as verse
    against its own longest line (an indented note or quotation of prose, wrapped narrower
    than the text, does not)."""
    block = source_lines(lines, first_number)
    return (all(ln.end <= SHORT * measure for ln in block)
            or looks_like_verse(block, max(ln.end for ln in block)))


def indent_levels(indents: Sequence[int]) -> list[int]:
    """Each indent's level: its rank among the poem's distinct indents, the least-indented
    line at level 0 (two columns in or eight, one step in is one level)."""
    ranks = {col: min(k, MAX_LEVEL) for k, col in enumerate(sorted(set(indents)))}
    return [ranks[i] for i in indents]


def carry_emphasis(texts: Sequence[str], marker: str = "_") -> list[str]:
    """Emphasis opened on one line and closed lines later (``_The lonely ...`` ...
    ``... fate._``) closed and reopened at each line end, so every line reads on its own.
    A marker inside a word (``snake_case``) is no delimiter."""
    delimiter = re.compile(rf"(?<![^\W_]){re.escape(marker)}|{re.escape(marker)}(?![^\W_])")
    out: list[str] = []
    open_ = False
    for text in texts:
        line = f"{marker}{text}" if open_ and text else text
        if len(delimiter.findall(text)) % 2:
            open_ = not open_
        out.append(f"{line}{marker}" if open_ and line else line)
    return out


def verse_of_blocks(
    blocks: Sequence[Sequence[SourceLine]],
    parse: Callable[[str], tuple[Inline, ...]],
    span: SourceSpan,
    measure: int,
) -> Verse:
    """One poem from its stanzas (blocks of source lines): turnovers joined, emphasis carried
    over line ends, indents as levels over the whole poem."""
    stanzas = [join_turnovers(b, measure) for b in blocks]
    levels = iter(indent_levels([ln.indent for st in stanzas for ln in st]))
    return Verse(tuple(
        Stanza(tuple(VerseLine(parse(text), next(levels))
                     for text in carry_emphasis([ln.text for ln in st])))
        for st in stanzas), span)


def verse_runs(
    blocks: Sequence[Sequence[SourceLine] | None], measure: int
) -> list[tuple[int, int]]:
    """Runs of consecutive blocks that are verse, as (start, end) indexes. ``None`` stands for
    a block that is no text (a heading, a note) and ends a run. A lone block of two or three
    lines at the margin (an address, a sign-off) is not verse by its shape alone: a run needs
    two stanzas, a stanza of four lines, or an indent; and in a text of prose, an indent."""
    verse = [b is not None and looks_like_verse(join_turnovers(b, measure), measure)
             for b in blocks]
    # In a text of prose, dialogue wrapped at its sentences can look like verse; there, verse
    # set at the margin is not told from it, and only verse set in counts.
    at_margin_too = is_mostly_verse(blocks, verse)
    runs: list[tuple[int, int]] = []
    k = 0
    while k < len(blocks):
        if not verse[k]:
            k += 1
            continue
        end = k
        while end < len(blocks) and verse[end]:
            end += 1
        stanzas = [join_turnovers(b, measure) for b in blocks[k:end] if b is not None]
        indented = all(min(ln.indent for ln in s) > 0 for s in stanzas)
        if not at_margin_too:
            # verse set in among prose reads as verse against its own longest line too
            indented = indented and all(
                looks_like_verse(s, max(ln.end for ln in s)) for s in stanzas)
        if (indented or at_margin_too) and (
                len(stanzas) >= 2 or any(len(s) >= 4 for s in stanzas) or indented):
            runs.append((k, end))
        k = end
    return runs


def is_mostly_verse(blocks: Sequence[Sequence[SourceLine] | None], verse: Sequence[bool]) -> bool:
    """Whether most lines of text stand in blocks that look like verse: a book of verse."""
    total = sum(len(b) for b in blocks if b is not None)
    in_verse = sum(len(b) for b, v in zip(blocks, verse, strict=True) if b is not None and v)
    return in_verse * 2 >= total


def is_poem_title(text: str) -> bool:
    """A one-line block that reads as a title (quotation marks around it allowed)."""
    inner = text.strip().strip("\"'“”‘’_*").strip()
    return bool(inner) and is_title_text(inner, 60) and not inner.endswith((".", "!", "?", ":"))


def guessed_verse(path: str, ranges: Sequence[tuple[int, int]]) -> Diagnostic | None:
    """One warning naming every line range read as verse by its shape alone."""
    total = sum(b - a + 1 for a, b in ranges)
    return guess_warning(
        "V001", "verse", path, ranges, f"{len(ranges)} run(s), {total} lines",
        "check these lines are verse; set prose as paragraphs with blank lines between")


def guessed_poem_titles(path: str, lines: Sequence[int]) -> Diagnostic | None:
    """One warning naming every line read as a poem's title for standing right above it."""
    return guess_warning(
        "V002", "poem titles", path, line_runs(lines), f"{len(lines)} title(s)",
        "check each is the title of the poem below it; a line of the poem belongs in its "
        "stanza, with no blank line between")


P = TypeVar("P")


def gather_verse(
    pieces: Sequence[P],
    lines_of: Callable[[P], tuple[Sequence[str], int] | None],
    parse: Callable[[str], tuple[Inline, ...]],
    path: str,
    measure: int,
) -> tuple[list[P | Verse], list[tuple[int, int]]]:
    """``pieces`` with each run of verse blocks replaced by one ``Verse`` (its blocks its
    stanzas), and the line ranges so guessed. ``lines_of`` gives a piece's source lines and
    first line number, or None for a piece that is no text block (a heading, a note)."""
    blocks: list[list[SourceLine] | None] = []
    for piece in pieces:
        got = lines_of(piece)
        blocks.append(source_lines(got[0], got[1]) if got is not None else None)
    out: list[P | Verse] = []
    ranges: list[tuple[int, int]] = []
    k = 0
    for start, end in verse_runs(blocks, measure):
        out.extend(pieces[k:start])
        stanzas = [b for b in blocks[start:end] if b is not None]
        first = stanzas[0][0]
        out.append(verse_of_blocks(stanzas, parse, SourceSpan(path, first.number,
                                                              first.indent + 1), measure))
        ranges.append((first.number, stanzas[-1][-1].number))
        k = end
    out.extend(pieces[k:])
    return out, ranges


def merge_stanzas(blocks: Sequence[Block]) -> list[Block]:
    """Verse blocks one right after another (a poem written a stanza per paragraph or line
    block) are one poem, their stanzas in order."""
    out: list[Block] = []
    for block in blocks:
        last = out[-1] if out else None
        if isinstance(block, Verse) and isinstance(last, Verse):
            out[-1] = Verse((*last.stanzas, *block.stanzas), last.span)
        else:
            out.append(block)
    return out
