"""Numbered notes in plain-text books: the note blocks and the markers that call them.

A plain text prints a note's place as a marker after a word (``Louis(*)``, ``Probability[9]``,
``word*``) and its text as a block that opens with the same marker, after the paragraph, at
the section's end under a ``Footnotes:`` label, or all at the end of the book. Two steps turn
them into ``Note`` and ``NoteRef``:

``lift_note_blocks`` reads the blocks of lines (before they become paragraphs) and makes each
block that opens with a marker a draft note; ``link_notes`` ties each draft to its marker once
the chapters are assembled: the nearest marker before it in its own chapter, or else the first
uncalled one in the book (notes gathered at the end, in the order they are called). A draft
that no marker calls goes back into the text as it was printed, and a sure marker that calls
no note stays as printed; both are warnings naming the line.

Sure markers (``[12]``, ``(*)``, ``(+)``, ``(#)``) are taken wherever they stand; weak ones
(``(1)``, a bare ``*`` or ``†``) only where the text has called them before the block and the
block is set in or comes under a notes label, since a numbered list or an asterism looks alike.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Protocol, TypeVar

from ..model import (
    Block,
    BlockQuote,
    Chapter,
    Diagnostic,
    Emphasis,
    Heading,
    Image,
    Inline,
    Letter,
    Link,
    ListBlock,
    Note,
    NoteRef,
    PageBreak,
    Paragraph,
    Part,
    SceneBreak,
    SmallCaps,
    SourceSpan,
    Strong,
    Text,
    Verse,
    map_verse_lines,
    verse_of,
)
from .inline import parse_inlines
from .structure import NOTE_SYMBOLS

# A draft note's id: the marker it opens with, behind a mark no manuscript holds (private use).
DRAFT = "\ue001"

_SYMBOL = NOTE_SYMBOLS
SURE_MARKER = re.compile(rf"\[\d{{1,3}}\]|\((?:{_SYMBOL})\)")
# A block that opens with a marker and goes on with words.
NOTE_OPENING = re.compile(
    rf"^(?P<mark>\[\d{{1,3}}\]|\((?:{_SYMBOL})\)|\(\d{{1,3}}\))\s*(?P<body>\S.*)$"
    r"|^(?P<bare>\*{1,3}|†{1,2}|‡{1,2})\s+(?P<bare_body>[^\s*†‡].*)$"
)
# What a notes block is headed with in plain texts.
NOTES_LABEL = re.compile(r"^(?:foot-?notes?|end-?notes?|notes?)\s*[:.]?$", re.IGNORECASE)
# A note set in this far is set apart from the text.
SET_IN = 2


class LinesBlock(Protocol):
    """Lines between blank lines, as a plain-text reader holds them."""

    @property
    def lines(self) -> tuple[str, ...]: ...
    @property
    def stripped(self) -> tuple[str, ...]: ...
    @property
    def indents(self) -> tuple[int, ...]: ...
    @property
    def line(self) -> int: ...


B = TypeVar("B", bound=LinesBlock)
MakeParagraph = Callable[[Sequence[str], SourceSpan], Paragraph]


@dataclass(frozen=True, slots=True)
class Opening:
    marker: str
    body: str
    sure: bool


def note_opening(line: str) -> Opening | None:
    """The marker a stripped line opens with and the words after it, or None."""
    m = NOTE_OPENING.match(line)
    if m is None:
        return None
    if m.group("mark"):
        mark = m.group("mark")
        return Opening(mark, m.group("body"), SURE_MARKER.fullmatch(mark) is not None)
    return Opening(m.group("bare"), m.group("bare_body"), False)


def marker_pattern(marker: str) -> re.Pattern[str]:
    """Where ``marker`` calls its note in running text: right after a word or its punctuation
    (a bracketed number may stand after a space), never inside a longer marker."""
    escaped = re.escape(marker)
    if marker.startswith("["):
        return re.compile(escaped)
    if marker.startswith("("):
        return re.compile(rf"(?<=\S){escaped}")
    symbol = re.escape(marker[0])
    return re.compile(rf"(?<=[^\s({symbol}]){escaped}(?![{symbol})])")


def is_notes_label(block: LinesBlock) -> bool:
    """``Footnotes:``, ``NOTES``: a line that heads a block of notes."""
    return len(block.stripped) == 1 and NOTES_LABEL.match(block.stripped[0]) is not None


def _note_body(lines: Sequence[str], set_in: bool, span: SourceSpan,
               make_paragraph: MakeParagraph) -> Block:
    """Verse when the note is set in and each line after the first opens with a capital, as
    a quoted poem's lines do; else one paragraph of the unwrapped lines."""
    if set_in and len(lines) >= 3 and all(ln[:1].isupper() for ln in lines[1:]):
        return verse_of([[parse_inlines(ln) for ln in lines]], span)
    return make_paragraph(lines, span)


def _split_openings(block: LinesBlock) -> list[tuple[int, list[str]]]:
    """A block of notes set without blank lines between them: (line offset, lines) per note,
    a new note at each line that opens with a marker of the same kind as the first."""
    first = note_opening(block.stripped[0])
    assert first is not None
    kind = first.marker[0]
    out: list[tuple[int, list[str]]] = []
    for k, line in enumerate(block.stripped):
        opening = note_opening(line) if k else first
        if opening is not None and opening.marker[0] == kind:
            out.append((k, [line]))
        else:
            out[-1][1].append(line)
    return out


def lift_note_blocks(
    blocks: Sequence[B | Paragraph | Note], path: str, make_paragraph: MakeParagraph,
    weak_after_call: bool = False,
) -> tuple[list[B | Paragraph | Note], int]:
    """Each block of lines that opens with a note marker becomes a draft ``Note`` (its id the
    marker behind ``DRAFT``), with the one-line blocks set in as far that follow it (an
    attribution); a ``Footnotes:`` label over notes is left out. Returns the blocks and how
    many labels were left out. With ``weak_after_call`` (an author's manuscript, not a
    scanned book) a weak marker (``*``, ``†``, ``(1)``) also opens a note right after the
    paragraph that calls it (or after the notes that follow that paragraph)."""
    out: list[B | Paragraph | Note] = []
    called: set[str] = set()
    just_called: set[str] = set()
    labels = 0
    under_label = False
    last_note: tuple[int, int] | None = None  # (index in out, indent) of the last note
    for k, block in enumerate(blocks):
        if isinstance(block, Paragraph | Note):
            out.append(block)
            last_note = None
            continue
        opening = note_opening(block.stripped[0])
        set_in = min(block.indents) >= SET_IN
        if opening is not None and not (opening.sure or (
                opening.marker in called and (set_in or under_label))
                or (weak_after_call and opening.marker in just_called)):
            opening = None
        if opening is None:
            nxt = blocks[k + 1] if k + 1 < len(blocks) else None
            if is_notes_label(block) and nxt is not None and not isinstance(nxt, Paragraph | Note) \
                    and (o := note_opening(nxt.stripped[0])) is not None and (
                        o.sure or o.marker in called):
                labels += 1
                under_label = True
                continue
            if (last_note is not None and len(block.lines) == 1 and set_in
                    and block.indents[0] == last_note[1]):
                index = last_note[0]
                draft = out[index]
                assert isinstance(draft, Note)
                span = SourceSpan(path, block.line, block.indents[0] + 1)
                out[index] = replace(draft, blocks=(*draft.blocks,
                                                    make_paragraph(block.stripped, span)))
                last_note = None
                continue
            called.update(_markers_in(block.stripped))
            just_called = _markers_in([EMPHASIS_PAIR.sub("", ln) for ln in block.stripped])
            under_label = False
            last_note = None
            out.append(block)
            continue
        for offset, lines in _split_openings(block):
            first = note_opening(lines[0])
            assert first is not None
            span = SourceSpan(path, block.line + offset, block.indents[offset] + 1)
            body = _note_body([first.body, *lines[1:]], set_in, span, make_paragraph)
            out.append(Note(DRAFT + first.marker, (body,), span))
        last_note = (len(out) - 1, block.indents[0]) if set_in else None
    return out, labels


_ANY_CALL = re.compile(rf"(?<=\S)(?:\[\d{{1,3}}\]|\((?:{_SYMBOL})\)|\(\d{{1,3}}\)|[*†‡]{{1,3}})")


# Stars that pair up around words are emphasis, not note calls.
EMPHASIS_PAIR = re.compile(r"(?<![\w*])\*(?=[^\s*])[^*]*?(?<=[^\s*])\*(?![\w*])")


# Every call holds one of these: a line without any is not searched (most lines of a book).
_CALL_CHARACTERS = frozenset("[(*†‡")


def _markers_in(lines: Sequence[str]) -> set[str]:
    return {m.group() for line in lines if not _CALL_CHARACTERS.isdisjoint(line)
            for m in _ANY_CALL.finditer(line)}


# --------------------------------------------------------------------------- linking

# Where a run of inlines sits in a chapter: ("title",) or a path of block indexes and keys.
RunKey = tuple[object, ...]


@dataclass(frozen=True, slots=True)
class Call:
    """One marker in the text: its chapter, its run, its place (for reading order), and the
    text node and characters it covers."""

    chapter: int
    run: RunKey
    order: tuple[int, int, int]  # (top-level block index or -1 for the title, node, start)
    node: int
    start: int
    end: int
    line: int


def _runs(chapter: Chapter) -> Iterator[tuple[RunKey, int, tuple[Inline, ...], int]]:
    """(key, top-level block index, inlines, source line) of every run of text a marker may
    stand in: the title, then each block's, depth first; notes are not searched."""
    yield ("title",), -1, chapter.title, chapter.span.line
    for i, block in enumerate(chapter.blocks):
        for key, inlines, line in _block_runs(block, (i,)):
            yield key, i, inlines, line


def _block_runs(block: Block, key: RunKey) -> Iterator[tuple[RunKey, tuple[Inline, ...], int]]:
    match block:
        case Paragraph(inlines=inl) | Heading(inlines=inl):
            yield key, inl, block.span.line
        case Verse(lines=lines):
            for j, line in enumerate(lines):
                yield (*key, "line", j), line.inlines, block.span.line + j
        case BlockQuote(blocks=inner):
            for j, b in enumerate(inner):
                yield from _block_runs(b, (*key, "in", j))
        case ListBlock(items=items):
            for j, item in enumerate(items):
                for m, b in enumerate(item):
                    yield from _block_runs(b, (*key, "item", j, m))
        case Image(caption=cap):
            yield (*key, "caption"), cap, block.span.line
        case Letter():
            for j, b in enumerate(block.body):
                yield from _block_runs(b, (*key, "letter", j))
            for j, b in enumerate(block.postscript):
                yield from _block_runs(b, (*key, "ps", j))
        case Note() | SceneBreak() | PageBreak():
            return


def _texts(inlines: tuple[Inline, ...]) -> Iterator[str]:
    """The text nodes of a run, depth first (the order ``_rewrite`` counts them in)."""
    for node in inlines:
        match node:
            case Text(text=t):
                yield t
            case Emphasis(children=ch) | Strong(children=ch) | SmallCaps(children=ch) | Link(
                children=ch
            ):
                yield from _texts(ch)
            case _:
                pass


def _rewrite(inlines: tuple[Inline, ...], cuts: dict[int, list[tuple[int, int, str]]],
             counter: list[int]) -> tuple[Inline, ...]:
    """The run with each cut ``(start, end, note id)`` of text node n made a ``NoteRef``."""
    out: list[Inline] = []
    for node in inlines:
        match node:
            case Text(text=t):
                n = counter[0]
                counter[0] += 1
                at = 0
                for start, end, note_id in sorted(cuts.get(n, [])):
                    if start > at:
                        out.append(Text(t[at:start]))
                    out.append(NoteRef(note_id))
                    at = end
                if at < len(t):
                    out.append(Text(t[at:]))
            case Emphasis(children=ch) | Strong(children=ch) | SmallCaps(children=ch) | Link(
                children=ch
            ):
                out.append(replace(node, children=_rewrite(ch, cuts, counter)))
            case _:
                out.append(node)
    return tuple(out)


def _set_run(block: Block, key: RunKey, fn: Callable[[tuple[Inline, ...]], tuple[Inline, ...]]
             ) -> Block:
    if not key:
        if isinstance(block, Paragraph | Heading):
            return replace(block, inlines=fn(block.inlines))
        return block
    head, *rest = key
    match block:
        case Verse() if head == "line":
            j = int(str(rest[0]))
            return map_verse_lines(block, lambda k, ln: replace(ln, inlines=fn(ln.inlines))
                                   if k == j else ln)
        case BlockQuote(blocks=inner) if head == "in":
            j = int(str(rest[0]))
            return replace(block, blocks=tuple(_set_run(b, tuple(rest[1:]), fn) if k == j else b
                                               for k, b in enumerate(inner)))
        case ListBlock(items=items) if head == "item":
            j, m = int(str(rest[0])), int(str(rest[1]))
            return replace(block, items=tuple(
                tuple(_set_run(b, tuple(rest[2:]), fn) if (k, n) == (j, m) else b
                      for n, b in enumerate(item)) for k, item in enumerate(items)))
        case Image(caption=cap) if head == "caption":
            return replace(block, caption=fn(cap))
        case Letter(body=body, postscript=ps) if head in ("letter", "ps"):
            j = int(str(rest[0]))
            blocks = tuple(_set_run(b, tuple(rest[1:]), fn) if k == j else b
                           for k, b in enumerate(body if head == "letter" else ps))
            return replace(block, body=blocks) if head == "letter" else replace(
                block, postscript=blocks)
        case _:
            return block


def _apply_cuts(chapter: Chapter, cuts: dict[RunKey, dict[int, list[tuple[int, int, str]]]]
                ) -> Chapter:
    if not cuts:
        return chapter
    title = chapter.title
    blocks = list(chapter.blocks)
    for key, by_node in cuts.items():
        def fn(inl: tuple[Inline, ...], by_node: dict[int, list[tuple[int, int, str]]] = by_node
               ) -> tuple[Inline, ...]:
            return _rewrite(inl, by_node, [0])
        if key == ("title",):
            title = fn(title)
        else:
            i = int(str(key[0]))
            blocks[i] = _set_run(blocks[i], key[1:], fn)
    return replace(chapter, title=title, blocks=tuple(blocks))


def _revert(note: Note) -> tuple[Block, ...]:
    """A draft no marker calls, back as the text it was printed as, marker and all."""
    marker = note.id.removeprefix(DRAFT)
    first, *rest = note.blocks
    match first:
        case Paragraph(inlines=inl):
            first = replace(first, inlines=(Text(marker + " "), *inl))
        case Verse():
            first = map_verse_lines(first, lambda k, ln: replace(
                ln, inlines=(Text(marker + " "), *ln.inlines)) if k == 0 else ln)
        case _:
            pass
    return (first, *rest)


@dataclass(frozen=True, slots=True)
class Linked:
    chapters: tuple[Chapter, ...]
    diagnostics: tuple[Diagnostic, ...]


def link_notes(chapters: Sequence[Chapter], prefix: str, path: str) -> Linked:
    """Each draft note tied to the marker that calls it (see the module's docstring) and given
    a book-wide id ``{prefix}{n}``; the marker becomes a ``NoteRef``. Drafts no marker calls
    go back to text; sure markers left calling nothing are reported."""
    drafts = [(c, i, b) for c, ch in enumerate(chapters) for i, b in enumerate(ch.blocks)
              if isinstance(b, Note) and b.id.startswith(DRAFT)]
    calls: dict[str, list[Call]] = {}
    marker_set = {b.id.removeprefix(DRAFT) for _, _, b in drafts}
    patterns = {m: marker_pattern(m) for m in marker_set}
    for c, chapter in enumerate(chapters):
        for key, top, inlines, line in _runs(chapter):
            for n, text in enumerate(_texts(inlines)):
                for marker, pattern in patterns.items():
                    if marker not in text:
                        continue
                    for m in pattern.finditer(text):
                        calls.setdefault(marker, []).append(
                            Call(c, key, (top, n, m.start()), n, m.start(), m.end(), line))
    for found in calls.values():
        found.sort(key=lambda call: (call.chapter, call.order))
    used: set[Call] = set()
    cuts: dict[int, dict[RunKey, dict[int, list[tuple[int, int, str]]]]] = {}
    ids: dict[tuple[int, int], str] = {}
    homes: dict[tuple[int, int], tuple[int, int]] = {}  # draft -> (chapter, block) calling it
    diagnostics: list[Diagnostic] = []
    chosen: dict[tuple[int, int], Call] = {}
    for run, region in note_runs(drafts):
        gathered = not calls_nearby(run, region, calls)
        for c, i, note in run:
            marker = note.id.removeprefix(DRAFT)
            before = [k for k in calls.get(marker, ())
                      if k not in used and (k.chapter, k.order[0]) < (c, i)]
            local = [k for k in before if k.chapter == c]
            # Gathered notes are called in their order; a note after its text by the nearest
            # call, in its chapter if it can be.
            call = (before[0] if gathered else (local or before)[-1]) if before else None
            if call is None:
                diagnostics.append(Diagnostic(
                    "N002", "warning", f"note {marker} is called by no marker before it; kept "
                    "as text", note.span, fix=f"put {marker} after the word the note is about"))
                continue
            used.add(call)
            chosen[(c, i)] = call
    # Notes are numbered in the order the text calls them, wherever they were printed.
    for number, (draft, call) in enumerate(sorted(
            chosen.items(), key=lambda item: (item[1].chapter, item[1].order)), start=1):
        note_id = f"{prefix}{number}"
        ids[draft] = note_id
        homes[draft] = (call.chapter, call.order[0])
        cuts.setdefault(call.chapter, {}).setdefault(call.run, {}).setdefault(
            call.node, []).append((call.start, call.end, note_id))
    # A note called from another chapter goes to its call (after the block that calls it):
    # an ebook links a note within its own document, and in print it is that page's note.
    moved: dict[tuple[int, int], list[Note]] = {}
    stays = {draft for draft, home in homes.items() if home[0] == draft[0]}
    out: list[Chapter] = []
    for c, chapter in enumerate(chapters):
        chapter = _apply_cuts(chapter, cuts.get(c, {}))
        for i, block in enumerate(chapter.blocks):
            if isinstance(block, Note) and (c, i) in ids and (c, i) not in stays:
                moved.setdefault(homes[(c, i)], []).append(replace(block, id=ids[(c, i)]))
        out.append(chapter)
    for c, chapter in enumerate(out):
        blocks: list[Block] = list(moved.get((c, -1), ()))
        for i, block in enumerate(chapter.blocks):
            if isinstance(block, Note) and block.id.startswith(DRAFT):
                if (c, i) in stays:
                    blocks.append(replace(block, id=ids[(c, i)]))
                elif (c, i) not in ids:
                    blocks.extend(_revert(block))
            else:
                blocks.append(block)
            blocks.extend(moved.get((c, i), ()))
        out[c] = replace(chapter, blocks=tuple(blocks))
    diagnostics.extend(uncalled_markers(out, path))
    return Linked(tuple(out), tuple(diagnostics))


UNCALLED = re.compile(rf"\[\d{{1,3}}\]|(?<=\S)\((?:{_SYMBOL})\)")


Draft = tuple[int, int, Note]  # (chapter, block index, the draft)


def note_runs(drafts: Sequence[Draft]) -> list[tuple[list[Draft], tuple[int, int]]]:
    """Drafts standing one after another, each run with the region of text that may call
    them: its chapter, from the block after the run before it (or the title) up to it."""
    runs: list[tuple[list[Draft], tuple[int, int]]] = []
    for draft in drafts:
        c, i, _ = draft
        if runs and runs[-1][0][-1][0] == c and runs[-1][0][-1][1] == i - 1:
            runs[-1][0].append(draft)
            continue
        start = runs[-1][0][-1][1] + 1 if runs and runs[-1][0][-1][0] == c else -1
        runs.append(([draft], (c, start)))
    return runs


def calls_nearby(run: Sequence[Draft], region: tuple[int, int],
                 calls: dict[str, list[Call]]) -> bool:
    """True when at least half the run's notes are called in the text just before it (notes
    after their paragraph or section); else the run gathers notes called all through the book
    (a NOTES section at its end)."""
    c, start = region
    end = run[0][1]
    taken: set[Call] = set()
    found = 0
    for _, _, note in run:
        near = [k for k in calls.get(note.id.removeprefix(DRAFT), ())
                if k.chapter == c and start <= k.order[0] < end and k not in taken]
        if near:
            taken.add(near[-1])
            found += 1
    return found * 2 >= len(run)


def uncalled_markers(chapters: Sequence[Chapter], path: str) -> list[Diagnostic]:
    """A sure marker (``[3]``, ``(*)``) still in the text calls a note the text lacks."""
    out: list[Diagnostic] = []
    for chapter in chapters:
        for _key, _top, inlines, line in _runs(chapter):
            for n, text in enumerate(_texts(inlines)):
                for m in UNCALLED.finditer(text):
                    if n == 0 and m.start() == 0:
                        continue  # a note's own marker, one no text calls (N002)
                    out.append(Diagnostic(
                        "N001", "warning", f"note marker {m.group()} calls no note; kept as "
                        "printed", SourceSpan(path, line),
                        fix="add the note it calls, or remove the marker"))
    return out


def map_book_chapters(front: Sequence[Chapter], body: Sequence[Part | Chapter],
                      back: Sequence[Chapter],
                      fn: Callable[[tuple[Chapter, ...]], tuple[Chapter, ...]]
                      ) -> tuple[tuple[Chapter, ...], tuple[Part | Chapter, ...],
                                 tuple[Chapter, ...]]:
    """``fn`` given every chapter in reading order at once (through parts) and the book
    rebuilt in its own shape from the chapters it returns, one for one."""
    flat: list[Chapter] = [*front]
    for item in body:
        flat.extend(item.chapters if isinstance(item, Part) else (item,))
    flat.extend(back)
    done = iter(fn(tuple(flat)))
    new_front = tuple(next(done) for _ in front)
    new_body: list[Part | Chapter] = []
    for item in body:
        if isinstance(item, Part):
            new_body.append(replace(item, chapters=tuple(next(done) for _ in item.chapters)))
        else:
            new_body.append(next(done))
    new_back = tuple(next(done) for _ in back)
    return new_front, tuple(new_body), new_back
