"""Finished chapters -> the book's three runs: the one place that decides where a chapter goes
(front matter, body, inside the open part, back matter), shared by every reader that finds
chapters (the Gutenberg reader's headings by form, ``outline``'s headings by level)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from ..model import Block, Chapter, Part, SceneBreak, SourceSpan, Text
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
