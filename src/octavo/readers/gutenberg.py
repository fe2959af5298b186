"""Project Gutenberg plain texts -> Document.

The licence header and footer are cut away (title and author are read from the header), the
title page, printed contents and producers' credits are left out, headings are found by their
shape and numbering (see ``structure``), hard-wrapped lines are joined, ``_x_`` becomes
emphasis, and indented blocks keep their line breaks. ``[Illustration: ...]`` and transcriber's
notes are dropped and counted, unless ``[gutenberg]`` in book.toml asks to keep them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, cast

from ..errors import OctavoError
from ..model import (
    Block,
    BlockQuote,
    Chapter,
    ChapterRole,
    Diagnostic,
    Emphasis,
    Heading,
    Inline,
    Note,
    NoteRef,
    Paragraph,
    Part,
    SceneBreak,
    SourceSpan,
    Strong,
    Text,
    Verse,
    VerseLine,
    block_text,
    inline_text,
    verse_of,
)
from .assembly import BACK_ROLES, Chapters, Shelves, part_of
from .document import Document
from .drama import SCENE_HEADING
from .inline import parse_inlines
from .letters import letters_in_body
from .licence import START_MARKER, Layout, Work, split_works
from .limits import refuse_overlong_blocks
from .notes import DRAFT, lift_note_blocks, link_notes, map_book_chapters
from .order import reading_order
from .source import SourceText
from .structure import (
    CHAPTER_WORDS,
    DIVISION_WORDS,
    NOTE_CALL,
    Candidate,
    Form,
    HeadingLine,
    chapter_forms,
    is_title_text,
    match_heading,
    single_spaced,
    title_case,
)
from .subheads import Entry, guessed_sub_heads, nested_divisions
from .text import SCENE_BREAK
from .verse import (
    gather_verse,
    guessed_poem_titles,
    guessed_verse,
    indent_levels,
    is_poem_title,
    set_in_verse,
    text_measure,
)

CREDIT_LINE = re.compile(
    r"^\s*(?:Produced by|E-?text prepared by|Etext prepared by|Prepared by|Transcribed (?:from|by)"
    r"|This (?:e-?text|e-?book) was (?:produced|prepared|transcribed))\b",
    re.IGNORECASE,
)
BRACKET_NOTE = re.compile(r"^\s*\[\s*(Illustrations?|Transcriber[’']?s? Notes?)\b[:.]?\s*", re.I)
FOOTNOTE = re.compile(r"^\s*\[\s*Footnote\s*([^\]:\s]{1,8})\s*:\s*", re.I)
TRANSCRIBER_HEADING = re.compile(r"^\s*Transcriber[’']?s? Notes?\s*:?\s*$", re.I)
# A contents line that ends in its page number.
PAGE_NUMBER_END = re.compile(r"\S\s+\d{1,4}$")
LANGUAGES = {"english": "en", "french": "fr", "german": "de", "spanish": "es", "italian": "it",
             "portuguese": "pt", "dutch": "nl", "latin": "la", "finnish": "fi", "swedish": "sv"}
# Lines set this far right are sign-offs, dates or centred notices: each is its own paragraph.
SET_RIGHT = 20
# An indented block whose lines are all shorter than this keeps its line breaks (verse).
VERSE_MAX = 60


def is_gutenberg(text: str) -> bool:
    return any(START_MARKER.match(line) for line in text.split("\n"))


# --------------------------------------------------------------------------- licence


@dataclass(frozen=True, slots=True)
class Split:
    header: tuple[str, ...]
    body: tuple[str, ...]
    first_line: int  # 1-based line number of body[0]


def split_licence(lines: Sequence[str]) -> Split:
    """The header before the first ``*** START OF`` line, and the text of the first work, up
    to the first end marker (``*** END OF``, ``End of the Project Gutenberg EBook``) after it.
    ``split_works`` finds every work and the text after the end lines."""
    work = split_works(lines).works[0]
    first = work.segments[0]
    return Split(work.header, first.lines, first.first_line)


@dataclass(frozen=True, slots=True)
class HeaderInfo:
    title: str | None = None
    subtitle: str | None = None
    authors: tuple[str, ...] = ()
    language: str | None = None


def header_info(header: Sequence[str]) -> HeaderInfo:
    """``Title:``, ``Author:`` and ``Language:`` fields; indented lines continue a field."""
    fields: dict[str, list[str]] = {}
    current: str | None = None
    for line in header:
        m = re.match(r"^([A-Z][A-Za-z ]{1,30}):\s*(.*)$", line)
        if m:
            current = m.group(1).strip().lower()
            fields.setdefault(current, []).append(m.group(2).strip())
        elif current and line.startswith((" ", "\t")) and line.strip():
            fields[current].append(line.strip())
        else:
            current = None
    title_lines = [t for t in fields.get("title", []) if t]
    authors: tuple[str, ...] = ()
    if fields.get("author"):
        joined = " ".join(fields["author"])
        authors = tuple(a.strip() for a in re.split(r"\s+and\s+|;", joined) if a.strip())
    language = None
    if fields.get("language"):
        language = LANGUAGES.get(fields["language"][0].split()[0].lower().strip(","))
    return HeaderInfo(
        title=title_lines[0] if title_lines else None,
        subtitle=" ".join(title_lines[1:]) or None,
        authors=authors,
        language=language,
    )


# --------------------------------------------------------------------------- blocks of lines


@dataclass(frozen=True, slots=True)
class TextBlock:
    """Lines between blank lines, with the 1-based number of the first."""

    lines: tuple[str, ...]
    line: int
    # Each line's indent, and each line stripped: read several times per block by the steps
    # of the reader, so worked out once.
    indents: tuple[int, ...] = field(init=False, repr=False, compare=False)
    stripped: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "indents", tuple(len(ln) - len(ln.lstrip()) for ln in self.lines))
        object.__setattr__(self, "stripped", tuple(ln.strip() for ln in self.lines))


def text_blocks(lines: Sequence[str], first_line: int) -> list[TextBlock]:
    blocks: list[TextBlock] = []
    current: list[str] = []
    start = first_line
    for offset, raw in enumerate(lines):
        line = raw.rstrip().expandtabs(4)
        if line.strip():
            if not current:
                start = first_line + offset
            current.append(line)
        elif current:
            blocks.append(TextBlock(tuple(current), start))
            current = []
    if current:
        blocks.append(TextBlock(tuple(current), start))
    return blocks


def common_margin(lines: Sequence[str]) -> int:
    """The indentation most lines share: some texts set the whole body in by a few
    columns, and that is no block quote."""
    counts: dict[int, int] = {}
    for line in lines:
        if line.strip():
            indent = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())
            counts[indent] = counts.get(indent, 0) + 1
    return max(counts, key=lambda k: (counts[k], -k)) if counts else 0


def dedent(lines: Sequence[str], margin: int) -> list[str]:
    out = []
    for line in lines:
        line = line.expandtabs(4)
        indent = len(line) - len(line.lstrip())
        out.append(line[min(indent, margin):])
    return out


def split_run_in_headings(blocks: list[TextBlock]) -> list[TextBlock]:
    """``CHAPTER I.`` (and its title line) with the text run on below it, no blank line
    between: the heading is a block of its own. Only for headings that name themselves
    (chapter, part...), so a numbered list item stays text."""
    out: list[TextBlock] = []
    for block in blocks:
        lines = block.stripped
        first = match_heading(lines[0]) if len(lines) >= 2 else None
        if (first is None or first.keyword not in CHAPTER_WORDS | DIVISION_WORDS
                or is_contents_block(block)):
            out.append(block)
            continue
        cut = 1
        if (first.title is None and len(lines) >= 3 and _may_be_title(lines[1])
                and is_title_text(lines[1], 60)):
            cut = 2
        elif len(lines) == 2 and is_title_text(lines[1], 60):
            out.append(block)  # number and title: one heading
            continue
        out.append(TextBlock(block.lines[:cut], block.line))
        out.append(TextBlock(block.lines[cut:], block.line + cut))
    return out


def drop_credits(blocks: list[TextBlock]) -> list[TextBlock]:
    """Producers' credits (``Produced by ...``) among the first blocks of the body."""
    return [b for i, b in enumerate(blocks) if not (i < 6 and CREDIT_LINE.match(b.lines[0]))]


@dataclass
class LeftOut:
    """What the reader sets aside of one kind (notes, a title page, a printed contents): how
    many pieces and words, and the line of the first."""

    count: int = 0
    words: int = 0
    first_line: int = 0

    def add(self, line: int, words: int) -> None:
        self.count += 1
        self.words += words
        self.first_line = self.first_line or line

    def add_block(self, block: TextBlock) -> None:
        self.add(block.line, sum(len(ln.split()) for ln in block.lines))


@dataclass
class NoteCounts:
    illustrations: LeftOut = field(default_factory=LeftOut)
    transcriber: LeftOut = field(default_factory=LeftOut)


def split_bracket_notes(
    blocks: list[TextBlock], keep_illustrations: bool, keep_transcriber: bool,
    counts: NoteCounts, path: str = "",
) -> list[TextBlock | Paragraph | Note]:
    """Take ``[Illustration: ...]``, ``[Transcriber's Note: ...]`` and ``[Footnote 1: ...]``
    out of the blocks (they may span lines, and sit inside or between paragraphs); kept
    illustrations become caption paragraphs, footnotes become notes labelled as printed
    (``link_footnotes`` ties them to their ``[1]``)."""
    out: list[TextBlock | Paragraph | Note] = []
    in_transcriber_section = False
    for block in blocks:
        if TRANSCRIBER_HEADING.match(block.lines[0]) and len(block.lines) == 1:
            in_transcriber_section = True
            counts.transcriber.add_block(block)
            continue
        if in_transcriber_section:
            # The section runs until the next block that is set like a heading.
            if match_heading(block.lines[0]) is None or len(block.lines) > 1:
                counts.transcriber.words += sum(len(ln.split()) for ln in block.lines)
                continue
            in_transcriber_section = False
        rest: list[str] = []
        rest_start = block.line
        i = 0
        while i < len(block.lines):
            line = block.lines[i]
            # Both notes open with a bracket: a line without one is text at a glance.
            m = (BRACKET_NOTE.match(line) or FOOTNOTE.match(line)) if "[" in line else None
            if not m:
                if not rest:
                    rest_start = block.line + i
                rest.append(block.lines[i])
                i += 1
                continue
            j, depth = i, 0
            note_lines: list[str] = []
            while j < len(block.lines):
                text = block.lines[j]
                depth += text.count("[") - text.count("]")
                note_lines.append(text.strip())
                j += 1
                if depth <= 0:
                    break
            if rest and leaves_a_block(m, keep_illustrations, keep_transcriber):
                out.append(TextBlock(tuple(rest), rest_start))
                rest = []
            if m.re is FOOTNOTE:
                body = FOOTNOTE.sub("", " ".join(note_lines), count=1)
                body = body.rstrip().removesuffix("]").strip()
                span = SourceSpan(path, block.line + i)
                out.append(Note(m.group(1), (paragraph_of([body], span),), span))
                i = j
                continue
            illustration = m.group(1).lower().startswith("illustration")
            note_words = sum(len(ln.split()) for ln in note_lines)
            (counts.illustrations if illustration else counts.transcriber).add(
                block.line + i, note_words)
            if (keep_illustrations and illustration) or (keep_transcriber and not illustration):
                body = " ".join(note_lines)
                body = BRACKET_NOTE.sub("", body, count=1).rstrip().removesuffix("]").strip()
                if body:
                    out.append(Paragraph((Emphasis(parse_inlines(body)),),
                                         SourceSpan(path, block.line + i),
                                         frozenset({"caption"})))
            i = j
        if rest:
            out.append(TextBlock(tuple(rest), rest_start))
    return out


def leaves_a_block(note: re.Match[str], keep_illustrations: bool, keep_transcriber: bool) -> bool:
    """Whether a bracketed note taken out of a block leaves something in its place (a
    footnote, a kept caption) that parts the lines around it; a dropped one does not, so a
    stanza or paragraph it stood inside stays whole."""
    if note.re is FOOTNOTE:
        return True
    illustration = note.group(1).lower().startswith("illustration")
    return keep_illustrations if illustration else keep_transcriber


# --------------------------------------------------------------------------- prose


def unwrap(lines: Sequence[str]) -> str:
    """Hard-wrapped lines -> one line. A line ending in a dash (``--``) runs on without a
    space; runs of spaces become one."""
    out = ""
    for line in lines:
        text = single_spaced(line)
        if not out:
            out = text
        elif out.endswith("--") or out.endswith("\u2014"):
            out += text
        else:
            out += " " + text
    return out


def paragraph_of(lines: Sequence[str], span: SourceSpan) -> Paragraph:
    text = unwrap(lines)
    return Paragraph(parse_inlines(text) or (Text(text),), span)


def _ends_phrase(line: str) -> bool:
    return line.rstrip().endswith(tuple(".,!?:;\"'’”)"))


def prose_blocks(block: TextBlock, path: str, measure: int = 72) -> list[Block]:
    """One block of a text -> model blocks: a scene break, verse, a block quote, or
    paragraphs (a line set far right, such as a letter's sign-off, is its own paragraph)."""
    span = SourceSpan(path, block.line, block.indents[0] + 1)
    stripped = block.stripped
    if len(stripped) == 1 and SCENE_BREAK.match(stripped[0]):
        return [SceneBreak(span)]
    indents = block.indents
    if min(indents) >= 2 and min(indents) < SET_RIGHT and len(stripped) > 1:
        if max(len(s) for s in stripped) <= VERSE_MAX and set_in_verse(block.lines, block.line,
                                                                    measure):
            return [verse_of([[VerseLine(parse_inlines(s), level) for s, level in
                               zip(stripped, indent_levels(indents), strict=True)]], span)]
        return [BlockQuote((paragraph_of(stripped, span),), span)]
    out: list[Block] = []
    current: list[str] = []
    current_line = block.line
    for k, (line, indent) in enumerate(zip(stripped, indents, strict=True)):
        set_right = indent >= SET_RIGHT and (k == 0 or _ends_phrase(stripped[k - 1]))
        if set_right and current:
            out.append(paragraph_of(current, SourceSpan(path, current_line)))
            current = []
        if not current:
            current_line = block.line + k
        current.append(line)
        if set_right:
            out.append(paragraph_of(current, SourceSpan(path, current_line, indent + 1)))
            current = []
    if current:
        out.append(paragraph_of(current, SourceSpan(path, current_line)))
    return out


# --------------------------------------------------------------------------- headings


@dataclass(frozen=True, slots=True)
class Unit:
    """A block of the body, with what it says as a heading (if anything)."""

    index: int
    block: TextBlock | Paragraph | Verse | Note
    heading: HeadingLine | None = None
    contents: bool = False  # a printed contents list (dropped)


def _may_be_title(line: str) -> bool:
    """A line under a chapter number is its title unless it is a heading of its own; a
    section name ("Introduction", "The End") can be a chapter's title."""
    heading = match_heading(line)
    return heading is None or heading.kind == "named"


def heading_of_block(block: TextBlock) -> HeadingLine | None:
    """A heading of one line, or a number line with its title on the next line."""
    lines = block.stripped
    if len(lines) == 1:
        return match_heading(lines[0])
    if len(lines) == 2:
        first = match_heading(lines[0])
        if (first and first.kind != "named" and first.title is None
                and _may_be_title(lines[1]) and is_title_text(lines[1])):
            return titled(first, title_case(lines[1].strip().rstrip(".")))
        if first and wraps_title(first, lines[0], lines[1]):
            assert first.title is not None
            return replace(first, title=title_case(f"{first.title.upper()} {lines[1]}".rstrip(".")))
    return None


def wraps_title(first: HeadingLine, line: str, nxt: str) -> bool:
    """``CHAPTER I -- HOW MANY KINDS ... AND BY WHAT`` over ``MEANS THEY ARE ACQUIRED``: a
    numbered heading in capitals whose title runs on to a second line in capitals."""
    return (first.kind == "chapter" and first.keyword is not None and first.title is not None
            and line.upper() == line and nxt.upper() == nxt and any(c.isalpha() for c in nxt)
            and match_heading(nxt) is None and is_title_text(nxt, 60))


def is_contents_block(block: TextBlock) -> bool:
    """Several lines, two in three of which read as a heading (or end in a page number): a
    contents list. Reading stops once more than a third are not entries: most blocks are
    prose, and their first lines settle it."""
    lines = [ln for ln in block.stripped if ln]
    if len(lines) < 2:
        return False
    misses = 0
    for line in lines:
        if not is_contents_entry(line):
            misses += 1
            if misses * 3 > len(lines):
                return False
    return True


def is_contents_entry(line: str) -> bool:
    """A stripped line that reads as a heading or ends in a page number. Its last character
    is looked at first: only a decimal digit (what ``\\d`` matches) ends a page number, and
    scanning the whole line for the pattern is slow."""
    return match_heading(line) is not None or (
        line[-1:].isdecimal() and PAGE_NUMBER_END.search(line) is not None)


def mark_contents(units: list[Unit]) -> list[Unit]:
    """Mark printed contents: a contents block; the lines after a ``CONTENTS`` heading; and, in a
    run of headings with no text between them, the entries before the first number comes
    round again."""
    out = list(units)
    for k, unit in enumerate(out):
        if isinstance(unit.block, TextBlock) and unit.heading is None and is_contents_block(
            unit.block
        ):
            out[k] = replace(unit, contents=True)
    k = 0
    while k < len(out):
        if out[k].heading is None:
            k += 1
            continue
        run_end = k
        while run_end + 1 < len(out) and (out[run_end + 1].heading is not None
                                          or out[run_end + 1].contents):
            run_end += 1
        run = out[k:run_end + 1]
        numbered = [u for u in run if u.heading and u.heading.number is not None]
        in_contents = bool(run[0].heading and run[0].heading.role in ("contents", "list"))
        if numbered:
            first = numbered[0].heading
            assert first is not None
            repeat = next((u for u in numbered[1:] if u.heading and u.heading.number == first.number
                           and u.heading.kind == first.kind), None)
            # One heading and then its first section (``ADVENTURE I.`` then ``I.``) is no list.
            if repeat is not None and numbered.index(repeat) >= 2:
                for u in run:
                    if u.index >= repeat.index:
                        break
                    out[u.index] = replace(u, contents=True)
            elif in_contents:
                for u in run[:-1]:
                    out[u.index] = replace(u, contents=True)
        k = run_end + 1
    return out


def titled(heading: HeadingLine, title: str) -> HeadingLine:
    """A number line with the title found under it. A note's call after the number
    (``CHAPITRE XXII[1].``) moves to the end of the title, where the notes module links it."""
    m = _LABEL_NOTE_CALL.search(heading.label)
    if m is None:
        return replace(heading, title=title)
    return replace(heading, title=title + m.group(), label=heading.label[:m.start()])


_LABEL_NOTE_CALL = re.compile(rf"(?:{NOTE_CALL})$")


def next_line_title(lines: Sequence[str]) -> str | None:
    """The title a block under a bare chapter number gives: one short title line, or a title
    in capitals (as long as a title line may be) on up to three lines (``OÙ LA MER ROUGE ... AUX DESSEINS DE`` over
    ``PHILEAS FOGG``), joined; None for anything else."""
    if len(lines) == 1 and not in_capitals(lines[0]):
        line = lines[0].strip()
        if is_title_text(line, 60) and not line.endswith(("?", "!")):
            return line.rstrip(".")
        return None
    if not 1 <= len(lines) <= 3 or not all(in_capitals(line) for line in lines):
        return None
    joined = single_spaced(" ".join(lines))
    if joined.endswith(("?", "!", ",", ";")) or joined[:1] in "\"'([*_" or len(joined) > 200:
        return None
    return joined.rstrip(".")


def in_capitals(line: str) -> bool:
    """Set in capitals: every letter upper case, but for a word in italics (``_Tankadère_``),
    which keeps its case."""
    plain = _ITALIC_RUN.sub(" ", line)
    return sum(c.isalpha() for c in plain) >= 2 and plain.upper() == plain


_ITALIC_RUN = re.compile(r"_[^_\s][^_]*_")


def attach_next_line_titles(units: list[Unit]) -> list[Unit]:
    """``CHAPTER I.`` then, after a blank line, ``THE BEGINNING``: the title joins the number,
    when text follows it."""
    out: list[Unit] = []
    skip = False
    for k, unit in enumerate(units):
        if skip:
            skip = False
            continue
        h = unit.heading
        if (h and h.kind != "named" and h.title is None and not unit.contents
                and k + 2 < len(units)):
            nxt, after = units[k + 1], units[k + 2]
            title = (next_line_title(nxt.block.stripped) if isinstance(nxt.block, TextBlock)
                     and nxt.heading is None and not nxt.contents
                     and not SCENE_HEADING.match(nxt.block.lines[0].strip()) else None)
            if title is not None and (after.heading is None or after.heading.kind == "division"):
                out.append(replace(unit, heading=titled(h, title_case(title))))
                skip = True
                continue
        out.append(unit)
    return [replace(u, index=i) for i, u in enumerate(out)]


# Lines set in this far are centred or set right, not indented prose.
CENTRED = 10


def merge_centred_notices(units: list[Unit], path: str) -> list[Unit]:
    """Single centred lines one after another, blank lines between them (a notice, a
    placard), are one block with its line breaks. Only after the first heading: before it
    such lines are the title page."""
    first = next((u.index for u in units if u.heading is not None and not u.contents), None)
    if first is None:
        return units

    def centred(u: Unit) -> bool:
        b = u.block
        return (u.index > first and u.heading is None and not u.contents
                and isinstance(b, TextBlock) and len(b.lines) == 1
                and b.indents[0] >= CENTRED and not SCENE_BREAK.match(b.lines[0]))

    out: list[Unit] = []
    k = 0
    while k < len(units):
        end = k
        while end < len(units) and centred(units[end]):
            end += 1
        if end - k >= 2:
            run = [u.block for u in units[k:end] if isinstance(u.block, TextBlock)]
            verse = verse_of([[parse_inlines(b.stripped[0]) for b in run]],
                             SourceSpan(path, run[0].line, run[0].indents[0] + 1))
            out.append(Unit(len(out), verse))
            k = end
            continue
        out.append(replace(units[k], index=len(out)))
        k += 1
    return out


# --------------------------------------------------------------------------- verse


def find_verse(
    pieces: list[TextBlock | Paragraph | Note], measure: int, path: str
) -> tuple[list[TextBlock | Paragraph | Note | Verse], list[tuple[int, int]]]:
    """Runs of stanzas found by their shape (``verse``), each made one ``Verse``; headings,
    contents lists and scene breaks are never verse."""

    def lines_of(piece: TextBlock | Paragraph | Note) -> tuple[Sequence[str], int] | None:
        if (not isinstance(piece, TextBlock) or heading_of_block(piece) is not None
                or is_contents_block(piece)):
            return None
        return piece.lines, piece.line

    return gather_verse(pieces, lines_of, parse_inlines, path, measure)


def mark_poem_titles(units: list[Unit]) -> list[Unit]:
    """In a book without numbered chapters, a one-line title right above a poem (or above
    its subtitle, one blank line lower) is the poem's title: a heading that starts it."""
    out = list(units)

    def title_line(u: Unit) -> str | None:
        b = u.block
        # A title may read as an odd heading ("THE THREE VOICES": "the" numbered three)
        # where no run of such headings made them the book's chapters.
        odd = u.heading is None or (u.heading.kind != "named" and u.heading.keyword
                                    not in CHAPTER_WORDS | DIVISION_WORDS)
        if (isinstance(b, TextBlock) and len(b.lines) == 1 and odd
                and not u.contents and is_poem_title(b.stripped[0])):
            return b.stripped[0]
        return None

    k = 0
    while k + 1 < len(units):
        unit, below, step = units[k], units[k + 1], 1
        line = title_line(unit)
        if line is None:
            k += 1
            continue
        if (title_line(below) is not None and isinstance(below.block, TextBlock)
                and isinstance(unit.block, TextBlock)
                and below.block.line - unit.block.line <= 2 and k + 2 < len(units)):
            below, step = units[k + 2], 2  # the poem's subtitle, between title and lines
        if isinstance(below.block, Verse):
            title = title_case(line.strip("_*"))
            out[k] = replace(unit, heading=HeadingLine("named", None, None, title, title))
            k += step
        k += 1
    return out


# --------------------------------------------------------------------------- assembly

REF = r"\[{}\]"

# An unnumbered note inside a paragraph: ``sloped at all. [Footnote: It may be ... a
# hill.--ED.] The end``. Its place becomes a reference, its text the note.
INLINE_NOTE = re.compile(r"\s*\[\s*(?:Foot-?note|Note|Side-?note)\s*:\s*(?P<body>[^\[\]]+?)\s*\]",
                         re.IGNORECASE)
# A mark no manuscript holds (private use), standing for an inline note until
# ``link_footnotes`` numbers it with the book's others.
_INLINE_MARK = "\ue000"


def lift_inline_notes(blocks: list[Block], first: int) -> list[Block]:
    """Each ``[Footnote: ...]`` inside a paragraph's text becomes a note after the paragraph,
    its place marked ``[label]`` as a numbered footnote's is, so ``link_footnotes`` ties and
    numbers both kinds alike. ``first`` keeps the labels unique within a chapter."""
    out: list[Block] = []
    count = first
    for block in blocks:
        if not isinstance(block, Paragraph):
            out.append(block)
            continue
        notes: list[Note] = []
        inlines: list[Inline] = []
        for node in block.inlines:
            # The bracket first: the pattern, free to start at any space, is slow to scan
            # a paragraph that holds none.
            if not isinstance(node, Text) or "[" not in node.text or not INLINE_NOTE.search(
                node.text
            ):
                inlines.append(node)
                continue

            def mark(m: re.Match[str], notes: list[Note] = notes,
                     span: SourceSpan = block.span) -> str:
                nonlocal count
                count += 1
                label = f"{_INLINE_MARK}{count}"
                body = " ".join(m.group("body").split())
                notes.append(Note(label, (Paragraph(parse_inlines(body), span),), span))
                return f"[{label}]"

            inlines.append(Text(INLINE_NOTE.sub(mark, node.text)))
        if notes and not re.sub(r"\[\ue000\d+\]", "", inline_text(tuple(inlines))).strip():
            out.append(block)  # a note standing alone has no place to mark: leave it as text
            count -= len(notes)
            continue
        out.append(replace(block, inlines=tuple(inlines)) if notes else block)
        out.extend(notes)
    return out


def _with_refs(inlines: tuple[Inline, ...], label: str, note_id: str) -> tuple[tuple[Inline, ...], bool]:
    """``inlines`` with the last ``[label]`` turned into a reference to ``note_id``."""
    pattern = re.compile(REF.format(re.escape(label)))
    for k in range(len(inlines) - 1, -1, -1):
        node = inlines[k]
        if isinstance(node, Text):
            hits = list(pattern.finditer(node.text))
            if hits:
                m = hits[-1]
                pieces: list[Inline] = [Text(node.text[:m.start()]), NoteRef(note_id),
                                        Text(node.text[m.end():])]
                new = tuple(p for p in pieces if not (isinstance(p, Text) and not p.text))
                return (*inlines[:k], *new, *inlines[k + 1:]), True
        elif isinstance(node, Emphasis | Strong):
            inner, found = _with_refs(node.children, label, note_id)
            if found:
                return (*inlines[:k], replace(node, children=inner), *inlines[k + 1:]), True
    return inlines, False


def link_footnotes(blocks: list[Block], prefix: str, first_number: int) -> list[Block]:
    """Give each footnote a book-wide id and turn the nearest ``[label]`` before it into
    a reference to it. A footnote no ``[label]`` in its chapter calls is left a draft of
    ``notes``, tied (or reported) with the book's numbered notes."""
    out = list(blocks)
    number = first_number
    for k, block in enumerate(out):
        if not isinstance(block, Note) or block.id.startswith(DRAFT):
            continue  # a numbered note's draft is tied to its marker once the book is read
        note_id = f"{prefix}{number}"
        number += 1
        out[k] = replace(block, id=note_id)
        for back in range(k - 1, -1, -1):
            para = out[back]
            if isinstance(para, Paragraph):
                inlines, found = _with_refs(para.inlines, block.id, note_id)
                if found:
                    out[back] = replace(para, inlines=inlines)
                    break
        else:
            out[k] = replace(block, id=f"{DRAFT}[{block.id}]")
    return out


@dataclass
class FootnoteNumbers:
    """Ties each chapter's footnotes to their calls as the chapter is placed, numbering them
    through the work (``link_footnotes``)."""

    prefix: str
    linked: int = 0

    def __call__(self, chapter: Chapter) -> Chapter:
        blocks = link_footnotes(list(chapter.blocks), self.prefix, self.linked + 1)
        self.linked += sum(isinstance(b, Note) for b in blocks)
        return replace(chapter, blocks=tuple(blocks))


def open_chapter(chapters: Chapters, h: HeadingLine, span: SourceSpan,
                 role: str = "chapter") -> None:
    """A chapter opened under heading ``h``. A numbered chapter heading with nothing under it
    is not kept (a named section is): ``ACT I`` over ``SCENE I`` heads no text of its own."""
    title = parse_inlines(h.title) if h.title else (Text(h.label),)
    # The manuscript's own number ("STAVE I", a bare "I."), kept as printed so the editions
    # can set it instead of a number of their own; a heading that is only its number is its
    # title already.
    label = (h.label if h.title and h.number is not None
             and (h.keyword is None or h.keyword in CHAPTER_WORDS) else None)
    chapters.open(title, span, label=label, number=h.number, role=cast(ChapterRole, role),
                  kept_empty=role != "chapter")


def _short_lines(block: TextBlock) -> bool:
    """Lines of a list (contents, illustrations): short, none ending a sentence."""
    return all(len(ln) <= 70 and not re.search(r"[a-z][.!?]['\"]?$", ln) for ln in block.stripped)


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 2}


def is_title_page(block: TextBlock, info: HeaderInfo) -> bool:
    """Lines of a title page: short, none ending a sentence, each in capitals, a ``by`` line,
    or mostly words of the title, subtitle or author the header names."""
    known = _words(" ".join([info.title or "", info.subtitle or "", *info.authors]))

    def title_line(line: str) -> bool:
        if len(line) > 60 or re.search(r"[a-z][.!?]['\"]?$", line):
            return False
        words = _words(line)
        return (line.upper() == line or re.match(r"[\W_]*by(?![a-z])", line, re.IGNORECASE) is not None
                or (bool(words) and len(words & known) * 2 >= len(words)))

    return all(title_line(ln) for ln in block.stripped)


def read_gutenberg(source: SourceText, options: Mapping[str, Any] | None = None) -> Document:
    """A Project Gutenberg file: one work, or several one after another (an omnibus), each
    read on its own and then joined, each a part of the book (``join_works``)."""
    options = options or {}
    unknown = set(options) - {"illustrations", "transcriber_notes"}
    if unknown:
        raise OctavoError(f"unknown key(s) in [gutenberg]: {', '.join(sorted(unknown))}",
                          source.path)
    keep_illustrations = _option(options, "illustrations", ("drop", "caption"), source) == "caption"
    keep_transcriber = _option(options, "transcriber_notes", ("drop", "keep"), source) == "keep"
    refuse_overlong_blocks(source.text, source.path)
    path = str(source.path)
    layout = split_works(source.text.split("\n"))
    stem = re.sub(r"[^A-Za-z0-9]+", "-", source.path.stem).strip("-")
    documents = [
        read_work(work, path, f"{stem}-fn" if k == 0 else f"{stem}-w{k + 1}-fn",
                  keep_illustrations, keep_transcriber)
        for k, work in enumerate(layout.works)
    ]
    if not any(d.body for d in documents):
        raise OctavoError("no text found between the Project Gutenberg markers", source.path)
    joined = documents[0] if len(documents) == 1 else join_works(documents, layout, path)
    notes = (*layout_notes(layout, path), *(d for doc in documents for d in doc.diagnostics))
    return replace(joined, diagnostics=notes)


@dataclass(frozen=True, slots=True)
class WorkText:
    """One work's body cut into units, with what was set aside on the way."""

    units: list[Unit]
    counts: NoteCounts
    notes_labels: int
    measure: int
    verse_guessed: list[tuple[int, int]]


def work_units(work: Work, path: str, keep_illustrations: bool,
               keep_transcriber: bool) -> WorkText:
    """A work's lines -> blocks, bracketed notes and note blocks lifted, verse gathered, each
    block a unit read for a heading, printed contents marked."""
    margin = common_margin([ln for segment in work.segments for ln in segment.lines])
    raw_blocks = split_run_in_headings(drop_credits([
        block for segment in work.segments
        for block in text_blocks(dedent(segment.lines, margin), segment.first_line)]))
    counts = NoteCounts()
    pieces = split_bracket_notes(raw_blocks, keep_illustrations, keep_transcriber, counts, path)
    pieces, notes_labels = lift_note_blocks(pieces, path, paragraph_of)
    measure = text_measure([ln for segment in work.segments
                            for ln in dedent(segment.lines, margin)])
    with_verse, verse_guessed = find_verse(pieces, measure, path)
    units = [Unit(i, b, heading_of_block(b) if isinstance(b, TextBlock) else None)
             for i, b in enumerate(with_verse)]
    units = merge_centred_notices(attach_next_line_titles(mark_contents(units)), path)
    return WorkText(units, counts, notes_labels, measure, verse_guessed)


@dataclass(frozen=True, slots=True)
class WorkHeadings:
    """What the work's headings, taken together, say: the forms that are its chapters, how
    often each form comes, and which division headings are sub-heads inside a chapter."""

    forms: frozenset[Form]
    form_counts: dict[Form, int]
    sub_heads: frozenset[int]

    @property
    def has_chapters(self) -> bool:
        return bool(self.forms)


def work_headings(units: list[Unit]) -> tuple[list[Unit], WorkHeadings, list[int]]:
    """The work's headings read together; in a work without chapter headings, the poems'
    titles made headings (``mark_poem_titles``) and their lines."""
    candidates = [Candidate(u.index, u.heading) for u in units if u.heading and not u.contents]
    forms = chapter_forms(candidates)
    form_counts: dict[Form, int] = {}
    for c in candidates:
        form_counts[c.heading.form] = form_counts.get(c.heading.form, 0) + 1
    poem_titles: list[int] = []
    if not forms:
        titled = mark_poem_titles(units)
        poem_titles = [u.block.line for u, t in zip(units, titled, strict=True)
                       if t is not u and isinstance(u.block, TextBlock)]
        units = titled
    sub_heads = nested_divisions([
        Entry(None if u.contents else u.heading,
              u.heading is not None and not u.contents and (
                  u.heading.form in forms or u.heading.kind == "named"))
        for u in units])
    return units, WorkHeadings(forms, form_counts, sub_heads), poem_titles


def list_entry(block: TextBlock | Paragraph | Verse | Note,
               h: HeadingLine | None) -> TextBlock | None:
    """``block`` if it goes on a list of illustrations or contents being left out: such a
    list runs until the first block of text."""
    if isinstance(block, TextBlock) and (h is not None or _short_lines(block)
                                         or is_contents_block(block)):
        return block
    return None


@dataclass
class WorkReading:
    """The reading of one work's units in order: the chapters found so far, the text before
    the first of them, and what was left out (a title page, printed contents and lists)."""

    path: str
    info: HeaderInfo
    measure: int
    headings: WorkHeadings
    chapters: Chapters
    preamble: list[Block] = field(default_factory=list)
    title_page: LeftOut = field(default_factory=LeftOut)
    contents: LeftOut = field(default_factory=LeftOut)
    skipping_list: bool = False
    inline_notes: int = 0
    nested_lines: list[int] = field(default_factory=list)

    def read(self, unit: Unit) -> None:
        """One unit: a heading that opens or nests, an entry of a list left out, or text."""
        block = unit.block
        span = SourceSpan(self.path,
                          block.line if isinstance(block, TextBlock) else block.span.line)
        h = unit.heading
        if unit.contents:
            self.contents.add(span.line, words_of(block))
            return
        if h is not None and self.heading(unit, h, span):
            return
        entry = list_entry(block, h) if self.skipping_list else None
        self.skipping_list = entry is not None
        if entry is not None:
            self.contents.add_block(entry)
        elif (h is not None and self.chapters.is_open
              and self.headings.form_counts.get(h.form, 0) >= 2):
            self.chapters.add(Heading(1, parse_inlines(h.title or h.label), span))
        else:
            self.text(block, span)

    def heading(self, unit: Unit, h: HeadingLine, span: SourceSpan) -> bool:
        """Whether heading ``h`` opens a named section, a part or a chapter, or nests as a
        sub-head in the open chapter (False: it is none of these here)."""
        if h.kind == "named":
            self.named_section(h, span, unit.block)
        elif unit.index in self.headings.sub_heads and self.chapters.is_open:
            self.chapters.add(Heading(1, parse_inlines(h.title or h.label), span))
            self.nested_lines.append(span.line)
        elif h.kind == "division" and self.headings.has_chapters:
            self.chapters.open_part(part_of(h, span))
            self.skipping_list = False
        elif h.form in self.headings.forms or (not self.headings.has_chapters
                                               and h.kind == "division"):
            open_chapter(self.chapters, h, span)
            self.skipping_list = False
        else:
            return False
        return True

    def named_section(self, h: HeadingLine, span: SourceSpan,
                      block: TextBlock | Paragraph | Verse | Note) -> None:
        """A named heading: a contents or list heading starts a list left out; ``The End``
        is dropped; any other (Preface, Appendix...) opens a chapter in its role."""
        role = h.role or "chapter"
        if role == "end":
            return
        self.chapters.close()
        self.skipping_list = role in ("contents", "list")
        if self.skipping_list:
            self.contents.add(span.line, words_of(block))
            return
        if role in BACK_ROLES:
            self.chapters.close_part()
        open_chapter(self.chapters, h, span, role)

    def text(self, block: TextBlock | Paragraph | Verse | Note, span: SourceSpan) -> None:
        """Text: into the open chapter, else before the first one (a title page there is
        left out)."""
        new_blocks: list[Block] = (
            lift_inline_notes(prose_blocks(block, self.path, self.measure), self.inline_notes)
            if isinstance(block, TextBlock) else [block]
        )
        self.inline_notes += sum(isinstance(b, Note) for b in new_blocks)
        if not self.chapters.is_open and self.chapters.shelves.started:
            # Text after a heading that opened no chapter (a part's title) stays where it
            # is, an untitled chapter, rather than joining the opening text at the front.
            self.chapters.open((), span, kept_empty=False)
        if self.chapters.is_open:
            self.chapters.extend(new_blocks)
        elif isinstance(block, TextBlock) and not self.preamble and is_title_page(block,
                                                                                  self.info):
            self.title_page.add_block(block)
        else:
            self.preamble.extend(new_blocks)


def with_opening(shelves: Shelves, preamble: list[Block], has_chapters: bool,
                 span: SourceSpan) -> None:
    """The text before the first heading: an epigraph (a few blocks) or a preface at the front,
    or, in a work without headings, its one chapter."""
    if preamble:
        role = "epigraph" if len(preamble) <= 3 else "preface"
        opener = Chapter((), None, tuple(preamble), preamble[0].span if isinstance(
            preamble[0], Paragraph) else span, cast(ChapterRole, role))
        if has_chapters or shelves.front or shelves.body:
            shelves.front.insert(0, opener)
        else:
            shelves.body.append(replace(opener, role="chapter", number=1))
    if not shelves.body and shelves.front:
        # A text with no chapter headings at all: its one untitled section is the body.
        shelves.body.append(replace(shelves.front.pop(), role="chapter"))


def read_work(work: Work, path: str, note_prefix: str, keep_illustrations: bool,
              keep_transcriber: bool) -> Document:
    """One work of a Project Gutenberg file -> Document (an empty body when it has no text)."""
    info = header_info(work.header)
    text = work_units(work, path, keep_illustrations, keep_transcriber)
    units, headings, poem_titles = work_headings(text.units)
    reading = WorkReading(path, info, text.measure, headings,
                          Chapters(placing=FootnoteNumbers(note_prefix)))
    for unit in units:
        reading.read(unit)
    shelves = reading.chapters.finish()
    opening = SourceSpan(path, work.segments[0].first_line)
    with_opening(shelves, reading.preamble, headings.has_chapters, opening)
    diagnostics = summary(text.counts, reading.title_page, reading.contents, keep_illustrations,
                          keep_transcriber, path)
    front, body, back = linked_chapters(shelves, note_prefix.removesuffix("fn") + "n", path,
                                        diagnostics)
    if text.notes_labels:
        diagnostics.append(Diagnostic("G008", "info", f"{text.notes_labels} notes label(s) "
                                      "(\"Footnotes:\") left out: the notes are marked as notes",
                                      opening))
    body, letter_notes = letters_in_body(body)
    diagnostics.extend(letter_notes)
    diagnostics.extend(reading_order(front, body, back))
    diagnostics.extend(w for w in (guessed_verse(path, text.verse_guessed),
                                   guessed_poem_titles(path, poem_titles),
                                   guessed_sub_heads(path, reading.nested_lines)) if w is not None)
    return Document(
        body=body,
        front_matter=front,
        back_matter=back,
        title=title_case(info.title) if info.title else None,
        subtitle=title_case(info.subtitle) if info.subtitle else None,
        authors=info.authors,
        language=info.language,
        diagnostics=tuple(diagnostics),
    )


def linked_chapters(shelves: Shelves, prefix: str, path: str, diagnostics: list[Diagnostic]
                    ) -> tuple[tuple[Chapter, ...], tuple[Part | Chapter, ...], tuple[Chapter, ...]]:
    """The book's numbered notes tied to their markers (``link_notes``), what that found
    added to ``diagnostics``."""

    def linked(chapters: tuple[Chapter, ...]) -> tuple[Chapter, ...]:
        result = link_notes(chapters, prefix, path)
        diagnostics.extend(result.diagnostics)
        return result.chapters

    return map_book_chapters(shelves.front, shelves.body, shelves.back, linked)


def words_of(block: TextBlock | Paragraph | Verse | Note) -> int:
    if isinstance(block, TextBlock):
        return sum(len(ln.split()) for ln in block.lines)
    return len(block_text(block).split())


def _left_out(code: str, what: str, left: LeftOut, done: str, path: str) -> Diagnostic:
    return Diagnostic(code, "info", f"{what} {done} ({left.words} word(s), the first at line "
                      f"{left.first_line})", SourceSpan(path, left.first_line))


def summary(counts: NoteCounts, title_page: LeftOut, contents: LeftOut, kept_illustrations: bool,
            kept_transcriber: bool, path: str) -> list[Diagnostic]:
    """What the reader set aside (or kept on request), each kind with its words and where it
    starts, for the build summary: notes for a book's apparatus, which the book makes anew."""
    out: list[Diagnostic] = []
    if counts.illustrations.count:
        done = "kept as captions" if kept_illustrations else "left out"
        out.append(_left_out("G001", f"{counts.illustrations.count} illustration note(s)",
                             counts.illustrations, done, path))
    if counts.transcriber.count:
        done = "kept" if kept_transcriber else "left out"
        out.append(_left_out("G002", f"{counts.transcriber.count} transcriber's note(s)",
                             counts.transcriber, done, path))
    if title_page.count:
        out.append(_left_out("G003", f"title page ({title_page.count} block(s))", title_page,
                             "left out: the book has its own", path))
    if contents.count:
        out.append(_left_out("G005", f"printed contents ({contents.count} block(s))", contents,
                             "left out: the book makes its own", path))
    return out


def layout_notes(layout: Layout, path: str) -> list[Diagnostic]:
    """Text found outside a Project Gutenberg file's markers, and the works of an omnibus."""
    out = [Diagnostic(
        "G004", "warning",
        f"{region.words} word(s) before the Project Gutenberg START line left out (lines "
        f"{region.first_line}-{region.last_line}): they read as neither its header nor its "
        "licence", SourceSpan(path, region.first_line),
        "move them below the START line to keep them, or delete them")
        for region in layout.left_out]
    out.extend(Diagnostic(
        "G006", "info",
        f"{region.words} word(s) after a Project Gutenberg end line kept as text (lines "
        f"{region.first_line}-{region.last_line}): they read as no part of its licence",
        SourceSpan(path, region.first_line)) for region in layout.kept)
    if len(layout.works) > 1:
        out.append(Diagnostic(
            "G007", "info",
            f"{len(layout.works)} works in one file, each after its own START line: each is a "
            "part of the book, titled as its header names it",
            SourceSpan(path, layout.starts[1])))
    return out


def join_works(documents: Sequence[Document], layout: Layout, path: str) -> Document:
    """An omnibus -> one Document: each work, in order, a part titled as its header names it,
    holding its chapters with its own front and back matter in their places. A work divided
    into parts of its own keeps them: its title's part holds what comes before the first."""
    body: list[Part | Chapter] = []
    for k, doc in enumerate(documents):
        items = [*doc.front_matter, *doc.body, *doc.back_matter]
        if not items:
            continue
        current = Part((Text(doc.title or f"{k + 1}"),), (),
                       span=SourceSpan(path, layout.starts[k]))
        for item in items:
            if isinstance(item, Part):
                body.append(current)
                current = item
            else:
                current = replace(current, chapters=(*current.chapters, item))
        body.append(current)
    titles = [d.title for d in documents if d.title]
    return Document(
        body=tuple(body),
        title="; ".join(titles) or None,
        authors=tuple(dict.fromkeys(a for d in documents for a in d.authors)),
        language=next((d.language for d in documents if d.language), None),
    )


def _option(options: Mapping[str, Any], key: str, allowed: tuple[str, ...],
            source: SourceText) -> str:
    value = options.get(key, allowed[0])
    if value is True:
        value = allowed[1]
    elif value is False:
        value = allowed[0]
    if value not in allowed:
        raise OctavoError(
            f"[gutenberg] {key} must be one of {', '.join(allowed)}, not {value!r}", source.path)
    return str(value)
