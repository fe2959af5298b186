"""Plain-text manuscripts (``.txt``) in either common convention.

* blank-line paragraphs: lines inside a paragraph are hard wraps, joined with one space;
* one paragraph per line (no blank lines between): each line is a paragraph, except a line
  that clearly continues the one before (that one ends without closing punctuation and this
  one starts in lower case), which is joined to it.

A line that is only ``---``, ``***``, ``* * *`` or ``#`` is a scene break. ``# Title`` lines
and ``Chapter N`` lines start chapters; a lone ``#`` heading above ``##`` headings is the
book's title. A part's line (``PART ONE``, ``BOOK THE FIRST``, ``DEUXIÈME PARTIE``), read by
the rule the Gutenberg reader reads it by, holds the chapters after it; in a text without
chapter headings it heads a chapter, and inside a section it is a sub-head (``subheads``). Numbered notes (``word[1]`` and a paragraph ``[1] ...``) are read by the steps
the Gutenberg reader uses (readers/notes.py).
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from ..model import (
    Chapter,
    Diagnostic,
    Heading,
    Note,
    Paragraph,
    Part,
    SceneBreak,
    SourceSpan,
    Text,
    Verse,
    inline_text,
)
from .assembly import Chapters, part_of
from .document import Document
from .drama import is_act_line
from .hints import apply_manuscript_hints
from .inline import parse_inlines, split_own_number
from .letters import letters_in_body
from .limits import refuse_overlong_paragraph
from .notes import NOTES_LABEL, lift_note_blocks, link_notes, map_book_chapters
from .source import SourceText
from .structure import CHAPTER_WORDS, match_heading, title_case
from .structure import HeadingLine as FormHeading
from .subheads import Entry, guessed_sub_heads, nested_divisions
from .verse import gather_verse, guessed_poem_titles, guessed_verse, is_poem_title, text_measure

SCENE_BREAK = re.compile(r"^\s*(?:-{3,}|\*{3,}|(?:\*\s+){2,}\*|#|~{3,}|(?:~\s+){2,}~)\s*$")
MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(\S.*?)\s*#*\s*$")
CHAPTER_LINE = re.compile(
    r"^\s*(?:chapter|chap\.)\s+(?:\d+|[ivxlcdm]+|[a-z]+(?:[- ][a-z]+)?)\b[.:]?(?:\s+\S.*)?$",
    re.IGNORECASE,
)
# Marks that may end a paragraph; a line ending otherwise may be continued by the next.
CLOSING = tuple(".!?…:;\"'”’)]»*_—–-")
# Lines longer than this are not hard-wrapped prose, whatever the blank lines say.
HARD_WRAP_MAX = 100


@dataclass(frozen=True, slots=True)
class Line:
    number: int
    text: str


@dataclass(frozen=True, slots=True)
class HeadingLine:
    level: int
    text: str
    span: SourceSpan


def uses_blank_line_paragraphs(lines: list[str]) -> bool:
    """True when blank lines separate paragraphs whose lines are hard-wrapped."""
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    blocks = [b for b in blocks if b]
    if len(blocks) <= 1:
        return False  # no blank line between text lines: one paragraph per line
    wrapped = [len(ln) for b in blocks if len(b) > 1 for ln in b]
    if not wrapped:
        return True  # every block is one line: both conventions read it the same way
    return statistics.median(wrapped) <= HARD_WRAP_MAX


def continues(previous: str, line: str) -> bool:
    """A one-paragraph-per-line manuscript joins a line that starts in lower case to a
    previous line that did not end a sentence."""
    prev = previous.rstrip()
    return bool(prev) and not prev.endswith(CLOSING) and line.lstrip()[:1].islower()


def heading_of(text: str, span: SourceSpan) -> HeadingLine | None:
    m = MARKDOWN_HEADING.match(text)
    if m:
        return HeadingLine(len(m.group(1)), m.group(2), span)
    if len(text) <= 60 and (CHAPTER_LINE.match(text) or is_act_line(text)
                            or is_chapter_word_line(text)):
        return HeadingLine(1, text.strip(), span)
    return None


def is_chapter_word_line(text: str) -> bool:
    """A line that names itself a chapter in any language ``structure`` reads ("Chapitre
    II", "KAPITEL 3", "CHAPITRE PREMIER")."""
    found = match_heading(text)
    return found is not None and found.kind == "chapter" and found.keyword in CHAPTER_WORDS


def division_of(text: str) -> FormHeading | None:
    """A paragraph that is a part's heading line, by ``structure``'s patterns."""
    if len(text) > 60:
        return None
    found = match_heading(text)
    return found if found is not None and found.kind == "division" else None


def group_paragraphs(lines: list[str], path: str) -> list[tuple[SourceSpan, str]]:
    """(span, text) per paragraph; scene breaks and headings come through as their own text."""
    return [(span, " ".join(ln.strip() for ln in parts))
            for span, parts in paragraph_lines(lines, path)]


def paragraph_lines(lines: list[str], path: str) -> list[tuple[SourceSpan, list[str]]]:
    """(span, the lines as written) per paragraph, as ``group_paragraphs`` groups them."""
    out: list[tuple[SourceSpan, list[str]]] = []
    blank_mode = uses_blank_line_paragraphs(lines)
    open_paragraph = False
    for index, raw in enumerate(lines, start=1):
        line = raw.strip()
        span = SourceSpan(path, index, len(raw) - len(raw.lstrip()) + 1)
        if not line:
            open_paragraph = False
            continue
        standalone = bool(SCENE_BREAK.match(line) or heading_of(line, span))
        if standalone:
            out.append((span, [raw]))
            open_paragraph = False
            continue
        if open_paragraph and (blank_mode or continues(out[-1][1][-1], line)):
            out[-1][1].append(raw)
        else:
            out.append((span, [raw]))
        open_paragraph = True
    return out


def find_verse(lines: list[str], path: str) -> tuple[dict[int, Verse], list[tuple[int, int]]]:
    """Verse in a manuscript of blank-line paragraphs, found by its shape (``verse``): each
    poem by the line it starts on, and the line ranges so guessed."""
    if not uses_blank_line_paragraphs(lines):
        return {}, []
    blocks: list[tuple[list[str], int]] = []
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        if blocks and number == blocks[-1][1] + len(blocks[-1][0]):
            blocks[-1][0].append(raw)
        else:
            blocks.append(([raw], number))

    def lines_of(block: tuple[list[str], int]) -> tuple[list[str], int] | None:
        text, number = block
        span = SourceSpan(path, number)
        if any(SCENE_BREAK.match(t) or heading_of(t.strip(), span) for t in text):
            return None
        return block

    pieces, ranges = gather_verse(blocks, lines_of, parse_inlines, path, text_measure(lines))
    return {p.span.line: p for p in pieces if isinstance(p, Verse)}, ranges


def poem_titles_as_headings(
    units: list[tuple[SourceSpan, str]], verse: dict[int, Verse]
) -> list[tuple[SourceSpan, str]]:
    """In a manuscript without headings, a one-line title right above a poem is the poem's
    title: it becomes a ``#`` heading, so each poem is a chapter."""
    out = list(units)
    for k, (span, text) in enumerate(units[:-1]):
        if (units[k + 1][0].line in verse and "\n" not in text and is_poem_title(text)
                and span.line not in verse):
            out[k] = (span, "# " + title_case(text.strip().strip("_*")))
    return out


@dataclass(frozen=True, slots=True)
class Written:
    """A paragraph with the lines it was written in, for ``lift_note_blocks``."""

    span: SourceSpan
    text: str
    lines: tuple[str, ...]

    @property
    def stripped(self) -> tuple[str, ...]:
        return tuple(ln.strip() for ln in self.lines)

    @property
    def indents(self) -> tuple[int, ...]:
        return tuple(len(ln) - len(ln.lstrip()) for ln in self.lines)

    @property
    def line(self) -> int:
        return self.span.line


def note_paragraph(lines: Sequence[str], span: SourceSpan) -> Paragraph:
    text = " ".join(ln.strip() for ln in lines)
    return Paragraph(parse_inlines(text) or (Text(text),), span)


def without_empty_notes_chapters(body: Sequence[Part | Chapter]) -> list[Part | Chapter]:
    """A ``# Notes`` chapter at the end whose notes all went to the chapters calling them
    has nothing left to show."""
    def kept(chapter: Chapter) -> bool:
        return bool(chapter.blocks) or not NOTES_LABEL.match(inline_text(chapter.title).strip())

    return [replace(item, chapters=tuple(c for c in item.chapters if kept(c)))
            if isinstance(item, Part) else item
            for item in body if isinstance(item, Part) or kept(item)]


def sub_head_lines(units: Sequence[tuple[SourceSpan, str]], divisions: dict[int, FormHeading],
                   chapter_level: int) -> frozenset[int]:
    """The lines of the part headings that stand inside a section, by ``subheads``' rule."""
    def entry(span: SourceSpan, text: str) -> Entry:
        heading = heading_of(text, span)
        if heading is None:
            return Entry(divisions.get(span.line))
        # Any heading ends the text that follows a division; only a chapter's opens one.
        return Entry(match_heading(heading.text) or FormHeading("chapter", None, None, None,
                                                                heading.text),
                     heading.level == chapter_level)

    entries = [entry(span, text) for span, text in units]
    return frozenset(units[k][0].line for k in nested_divisions(entries))


@dataclass(frozen=True, slots=True)
class TextLayout:
    """What the whole text's headings and verse say, read before its paragraphs are."""

    title: str | None
    chapter_level: int
    divisions: dict[int, FormHeading]
    has_chapters: bool
    sub_heads: frozenset[int]
    verse: dict[int, Verse]
    verse_lines: frozenset[int]


def with_poem_titles(units: list[tuple[SourceSpan, str]], verse: dict[int, Verse]
                     ) -> tuple[list[tuple[SourceSpan, str]], list[int]]:
    """In a text without headings, the poems' titles made headings (``poem_titles_as_headings``),
    and their lines; a text with headings as it is."""
    if any(heading_of(t, span) for span, t in units):
        return units, []
    titled = poem_titles_as_headings(units, verse)
    return titled, [span.line for (span, text), (_, now) in zip(units, titled, strict=True)
                    if now != text]


def title_and_chapter_level(units: list[tuple[SourceSpan, str]], headings: list[HeadingLine]
                            ) -> tuple[str | None, int]:
    """The shallowest heading level starts chapters, unless a single heading of that level
    opens the text above the others: that is the book's title, and the next level down
    starts chapters."""
    levels = sorted({h.level for h in headings})
    if len(levels) > 1 and sum(h.level == levels[0] for h in headings) == 1 and units and (
        heading_of(units[0][1], units[0][0]) is not None
    ):
        return headings[0].text, levels[1]
    return None, levels[0] if levels else 1


def text_layout(units: list[tuple[SourceSpan, str]], verse: dict[int, Verse],
                guessed: list[tuple[int, int]]) -> TextLayout:
    """The book's title and chapter level (a lone top heading above the others is the title),
    its part lines and which of them are sub-heads, and its verse."""
    headings = [h for span, t in units if (h := heading_of(t, span))]
    title, chapter_level = title_and_chapter_level(units, headings)
    divisions = {span.line: d for span, t in units
                 if heading_of(t, span) is None and (d := division_of(t))}
    # Parts hold chapters; in a text without chapter headings a part's line heads one.
    has_chapters = bool(headings)
    sub_heads = sub_head_lines(units, divisions, chapter_level) if has_chapters else frozenset()
    return TextLayout(title, chapter_level, divisions, has_chapters, sub_heads, verse,
                      frozenset(n for a, b in guessed for n in range(a, b + 1)))


def read_paragraph(unit: Written | Note, layout: TextLayout, chapters: Chapters,
                   nested_lines: list[int]) -> None:
    """One paragraph (or lifted note) of the text into ``chapters``: a part's line, a heading,
    a scene break, a poem or text."""
    if isinstance(unit, Note):
        chapters.add(unit)
        return
    span, text = unit.span, unit.text
    if span.line in layout.verse_lines:
        if span.line in layout.verse:
            chapters.add(layout.verse[span.line])
        return
    heading = heading_of(text, span)
    division = layout.divisions.get(span.line)
    if division is not None:
        read_division(division, unit, layout, chapters, nested_lines)
    elif heading is not None:
        read_heading(heading, layout, chapters)
    elif SCENE_BREAK.match(text):
        # A break with nothing before it, or after another, separates nothing.
        if chapters.last_block is not None and not isinstance(chapters.last_block, SceneBreak):
            chapters.add(SceneBreak(span))
    else:
        chapters.add(Paragraph(parse_inlines(text) or (Text(text),), span))


def read_division(division: FormHeading, unit: Written, layout: TextLayout, chapters: Chapters,
                  nested_lines: list[int]) -> None:
    """A part's line: a sub-head inside a section, a part holding the chapters after it, or,
    in a text without chapter headings, a chapter's heading."""
    if unit.span.line in layout.sub_heads:
        chapters.add(Heading(1, parse_inlines(division.title or division.label), unit.span))
        nested_lines.append(unit.span.line)
    elif layout.has_chapters:
        chapters.open_part(part_of(division, unit.span))
    else:
        read_heading(HeadingLine(layout.chapter_level, unit.text, unit.span), layout, chapters)


def read_heading(heading: HeadingLine, layout: TextLayout, chapters: Chapters) -> None:
    """A heading line: the book's title (left out), a chapter's, or a section's."""
    if layout.title is not None and heading.level < layout.chapter_level:
        return
    inlines = parse_inlines(heading.text)
    if heading.level == layout.chapter_level:
        label, title = split_own_number(inlines)
        chapters.open(title, heading.span, label=label)
    else:
        chapters.add(Heading(heading.level - layout.chapter_level + 1, inlines, heading.span))


def numbered_in_order() -> Callable[[Chapter], Chapter]:
    """Each chapter placed numbered after the ones placed before it."""
    count = itertools.count(1)
    return lambda chapter: replace(chapter, number=next(count))


def read_text(source: SourceText) -> Document:
    path = str(source.path)
    source_lines = source.text.split("\n")
    written = paragraph_lines(source_lines, path)
    lines_at = {span.line: tuple(parts) for span, parts in written}
    units = [(span, " ".join(ln.strip() for ln in parts)) for span, parts in written]
    verse, guessed = find_verse(source_lines, path)
    for span, text in units:
        refuse_overlong_paragraph(len(text), path, span.line)
    units, poem_titles = with_poem_titles(units, verse)
    layout = text_layout(units, verse, guessed)
    diagnostics: list[Diagnostic] = []
    diagnostics.extend(w for w in (guessed_verse(path, guessed),
                                   guessed_poem_titles(path, poem_titles)) if w is not None)

    # Numbered notes ("[1] ...", or "* ..." under a Notes label) are lifted out as drafts,
    # tied to their markers once the chapters are read, as in a Gutenberg text.
    lifted, labels = lift_note_blocks(
        [Written(span, text, lines_at.get(span.line, (text,))) for span, text in units], path,
        note_paragraph, weak_after_call=True)
    chapters = Chapters(placing=numbered_in_order())
    nested_lines: list[int] = []
    for unit in lifted:
        assert isinstance(unit, Written | Note)
        read_paragraph(unit, layout, chapters, nested_lines)
    shelves = chapters.finish()
    stem = re.sub(r"[^A-Za-z0-9]+", "-", source.path.stem).strip("-") or "text"

    def linked(chapters: tuple[Chapter, ...]) -> tuple[Chapter, ...]:
        result = link_notes(chapters, f"{stem}-n", path)
        diagnostics.extend(result.diagnostics)
        return result.chapters

    _, placed_body, _ = map_book_chapters((), shelves.body, (), linked)
    if labels:
        diagnostics.append(Diagnostic("G008", "info", f"{labels} notes label(s) (\"Notes:\") "
                                      "left out: the notes are marked as notes",
                                      SourceSpan(path, 1)))
    sub_head_warning = guessed_sub_heads(path, nested_lines)
    if sub_head_warning is not None:
        diagnostics.append(sub_head_warning)
    body, letter_notes = letters_in_body(without_empty_notes_chapters(placed_body))
    diagnostics.extend(letter_notes)
    return apply_manuscript_hints(
        Document(body=body, title=layout.title, diagnostics=tuple(diagnostics)))
