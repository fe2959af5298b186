"""Checks of the book's shape: chapters titled alike, of comparable length, paragraphs a
reader can breathe between."""

from __future__ import annotations

import statistics
from collections.abc import Iterator

from ..model import (
    Chapter,
    Diagnostic,
    Paragraph,
    Speech,
    StageDirection,
    block_text,
    body_chapters,
    inline_text,
)
from ..model import walk_blocks as blocks_of
from .context import Manuscript

# A chapter this many times shorter or longer than the book's median chapter is far out of
# line: a split or a missing chapter heading, not the author's rhythm (novels' chapters vary
# by about three times either way).
CHAPTER_LENGTH_RATIO = 4.0
# The median means something from this many chapters on.
MIN_CHAPTERS_TO_COMPARE = 3
# About two and a half printed pages of a 6 × 9 in book without a break: a missing blank line
# between paragraphs, more often than a paragraph the author meant.
LONG_PARAGRAPH_WORDS = 750


def chapter_words(chapter: Chapter) -> int:
    return sum(len(block_text(b).split()) for b in chapter.blocks)


def untitled_chapters(ms: Manuscript) -> Iterator[Diagnostic]:
    """S001: a chapter without a title in a book whose other chapters have one."""
    chapters = [c for c in body_chapters(ms.book) if c.role == "chapter"]
    titled = [c for c in chapters if inline_text(c.title).strip()]
    if not titled or len(titled) == len(chapters):
        return
    for chapter in chapters:
        if not inline_text(chapter.title).strip():
            yield Diagnostic(
                "S001", "warning",
                f"chapter {chapter.number or ''} has no title; {len(titled)} of the book's "
                f"{len(chapters)} chapters have one".replace("chapter  ", "chapter "),
                chapter.span, fix="give it a heading like the others (e.g. ## Title)")


def chapter_length_outliers(ms: Manuscript) -> Iterator[Diagnostic]:
    """S002: a chapter far shorter or longer than the book's other chapters."""
    chapters = [c for c in body_chapters(ms.book) if c.role == "chapter"]
    if len(chapters) < MIN_CHAPTERS_TO_COMPARE:
        return
    lengths = [chapter_words(c) for c in chapters]
    median = statistics.median(lengths)
    for chapter, length in zip(chapters, lengths, strict=True):
        if median and length * CHAPTER_LENGTH_RATIO < median:
            yield Diagnostic(
                "S002", "warning",
                f"chapter {chapter.number} has {length} words, the book's chapters "
                f"{median:.0f} as a rule", chapter.span,
                fix="join it to a neighbour, or check that its text is not missing")
        elif median and length > median * CHAPTER_LENGTH_RATIO:
            yield Diagnostic(
                "S002", "warning",
                f"chapter {chapter.number} has {length} words, the book's chapters "
                f"{median:.0f} as a rule", chapter.span,
                fix="check for a chapter heading the reader did not recognise, or split it")


def long_paragraphs(ms: Manuscript) -> Iterator[Diagnostic]:
    """S003: a paragraph longer than about two and a half printed pages."""
    for chapter in (*ms.book.front_matter, *body_chapters(ms.book), *ms.book.back_matter):
        for block in blocks_of(chapter.blocks):
            if isinstance(block, Paragraph | Speech | StageDirection):
                count = len(block_text(block).split())
                if count > LONG_PARAGRAPH_WORDS:
                    yield Diagnostic(
                        "S003", "warning",
                        f"a paragraph of {count} words (over {LONG_PARAGRAPH_WORDS})",
                        block.span,
                        fix="check for a missing blank line between paragraphs, or break it")
