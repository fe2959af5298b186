"""The reading-order guard: a reader's blocks come out in the order the source has them.

Every block carries the line it starts on; walking the book in reading order, a block that
starts before one already passed (in the same file) has been moved. The guard names where
the moved text came from, where it went, and how many words moved, so no rule can reorder a
book silently.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..model import Block, Chapter, Diagnostic, Note, Part, SourceSpan, block_text


def _spans(chapters: Sequence[Chapter]) -> Iterator[tuple[SourceSpan, Block]]:
    for chapter in chapters:
        for block in chapter.blocks:
            # A note's place is its call's, wherever the reader keeps its body.
            if block.span.line > 0 and not isinstance(block, Note):
                yield block.span, block


def reading_order(front: Sequence[Chapter], body: Sequence[Part | Chapter],
                  back: Sequence[Chapter]) -> list[Diagnostic]:
    """One warning per run of blocks that sits before text the source prints ahead of it."""
    chapters: list[Chapter] = [*front]
    for item in body:
        chapters.extend(item.chapters if isinstance(item, Part) else (item,))
    chapters.extend(back)
    out: list[Diagnostic] = []
    furthest: dict[str, int] = {}
    moved: list[tuple[SourceSpan, int, int]] = []  # (first span, words, line it came before)
    for span, block in _spans(chapters):
        last = furthest.get(span.path, 0)
        if span.line < last:
            words = len(block_text(block).split())
            if moved and moved[-1][2] == last:
                first, count, _ = moved[-1]
                moved[-1] = (first, count + words, last)
            else:
                moved.append((span, words, last))
            continue
        furthest[span.path] = span.line
    for span, words, after in moved:
        out.append(Diagnostic(
            "G010", "warning",
            f"{words} word(s) from line {span.line} come out after line {after}: read out of "
            "the source's order", span,
            fix="report this: a structure rule moved text it should have left in place"))
    return out
