"""Chapters as a reader finds them -> the book's three runs: the one place that holds the chapter
being read, finishes it and decides where it goes (front matter, body, inside the open part,
back matter), shared by every reader that finds chapters (the Gutenberg reader's headings by
form, ``outline``'s headings by level, the plain-text reader's heading lines). What a heading
means stays with each reader."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from ..model import Block, Chapter, ChapterRole, Inline, Part, SceneBreak, SourceSpan, Text
from .inline import parse_inlines
from .structure import HeadingLine

FRONT_ROLES = frozenset({"preface", "foreword", "introduction", "dedication", "acknowledgements",
                         "epigraph"})
BACK_ROLES = frozenset({"afterword", "appendix"})


def without_edge_breaks(blocks: Sequence[Block]) -> tuple[Block, ...]:
    """A chapter neither opens nor ends on a scene break: a separator the manuscript set
    before a heading (or after one) belongs to no chapter's text."""
    start, end = 0, len(blocks)
    while end > start and isinstance(blocks[end - 1], SceneBreak):
        end -= 1
    while start < end and isinstance(blocks[start], SceneBreak):
        start += 1
    return tuple(blocks[start:end])


def part_of(heading: HeadingLine, span: SourceSpan) -> Part:
    """The (still empty) part a division heading opens: "BOOK THE FIRST" alone is its title;
    "PART I. The Beginning" is titled "The Beginning" under its own label "Part I"."""
    title = parse_inlines(heading.title) if heading.title else (Text(heading.label),)
    return Part(title=title, chapters=(), number=heading.number, span=span,
                label=heading.label if heading.title else None)


@dataclass
class Shelves:
    """The chapters placed so far: a front-matter role (Preface, Foreword...) before the first
    body chapter goes to the front, an appendix or afterword to the back, any other chapter
    into the open part or the body."""

    front: list[Chapter] = field(default_factory=list)
    body: list[Part | Chapter] = field(default_factory=list)
    back: list[Chapter] = field(default_factory=list)
    part: Part | None = None

    @property
    def started(self) -> bool:
        """Whether any chapter or part is placed or open."""
        return bool(self.front or self.body or self.back) or self.part is not None

    def add(self, chapter: Chapter) -> None:
        if chapter.role in FRONT_ROLES and not self.body and self.part is None:
            self.front.append(chapter)
        elif chapter.role in BACK_ROLES:
            self.back.append(chapter)
        elif self.part is not None:
            self.part = replace(self.part, chapters=(*self.part.chapters, chapter))
        else:
            self.body.append(chapter)

    def open_part(self, part: Part) -> None:
        """``part`` holds the chapters added from now on (the one open before is closed)."""
        self.close_part()
        self.part = part

    def close_part(self) -> None:
        if self.part is not None:
            self.body.append(self.part)
            self.part = None


@dataclass
class _OpenChapter:
    title: tuple[Inline, ...]
    span: SourceSpan | None  # None: the span of its first block
    label: str | None
    number: int | None
    role: ChapterRole
    kept_empty: bool
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Chapters:
    """The chapter a reader is reading, and the chapters it has finished (``shelves``).

    Blocks go into the open chapter (text before any heading opens an untitled one); a heading
    opens the next chapter, or a part, and closes the open chapter: it loses the scene breaks
    at its edges and is placed, unless nothing is left of it and it was not asked to stand
    empty (a heading the author wrote stands even with nothing under it; untitled text
    that turns out to be only separators does not). ``placing`` is what the reader does to
    every chapter as it is placed (ties its footnotes, numbers it)."""

    placing: Callable[[Chapter], Chapter] | None = None
    shelves: Shelves = field(default_factory=Shelves)
    _open: _OpenChapter | None = None

    @property
    def is_open(self) -> bool:
        return self._open is not None

    @property
    def last_block(self) -> Block | None:
        """The last block of the open chapter, if any."""
        return self._open.blocks[-1] if self._open is not None and self._open.blocks else None

    def open(self, title: tuple[Inline, ...], span: SourceSpan, *, label: str | None = None,
             number: int | None = None, role: ChapterRole = "chapter",
             kept_empty: bool = True) -> None:
        """A chapter headed ``title`` starts at ``span`` (the open one is closed)."""
        self.close()
        self._open = _OpenChapter(title, span, label, number, role, kept_empty)

    def add(self, *blocks: Block) -> None:
        self.extend(blocks)

    def extend(self, blocks: Iterable[Block]) -> None:
        if self._open is None:
            self._open = _OpenChapter((), None, None, None, "chapter", kept_empty=False)
        self._open.blocks.extend(blocks)

    def close(self) -> None:
        """The open chapter (if any) finished and placed."""
        open_, self._open = self._open, None
        if open_ is None:
            return
        blocks = without_edge_breaks(open_.blocks)
        if not blocks and not open_.kept_empty:
            return
        span = open_.span if open_.span is not None else blocks[0].span
        chapter = Chapter(title=open_.title, number=open_.number, blocks=blocks, span=span,
                          role=open_.role, label=open_.label)
        self.shelves.add(self.placing(chapter) if self.placing is not None else chapter)

    def open_part(self, part: Part) -> None:
        """``part`` holds the chapters opened from now on (the open chapter and part closed)."""
        self.close()
        self.shelves.open_part(part)

    def close_part(self) -> None:
        """The open chapter and the open part closed: what follows stands outside any part."""
        self.close()
        self.shelves.close_part()

    def finish(self) -> Shelves:
        """Every chapter placed: the shelves, nothing left open."""
        self.close_part()
        return self.shelves
