"""Quote balance across paragraphs, checked after the marks are set.

A paragraph that ends inside a quotation must be followed by one that reopens it (CMOS 13.30);
a quotation that never closes is reported as ``Q001`` with the file and line where it opened.
The check reads the primary marks of the book's style and never changes the text.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import (
    Book,
    Diagnostic,
    Paragraph,
    SourceSpan,
    Speech,
    StageDirection,
    Verse,
    all_chapters,
    inline_text,
    walk_blocks,
)
from .languages import QUOTE_MARKS
from .options import QuoteStyle
from .rule import Rule


def _units(book: Book) -> Iterator[list[tuple[str, SourceSpan]]]:
    """Each chapter's paragraphs (and verse, read as one unit) in reading order."""
    for chapter in all_chapters(book):
        units: list[tuple[str, SourceSpan]] = []
        for block in walk_blocks(chapter.blocks):
            if isinstance(block, Paragraph | Speech | StageDirection):
                units.append((inline_text(block.inlines), block.span))
            elif isinstance(block, Verse):
                units.append(("\n".join(inline_text(line.inlines) for line in block.lines), block.span))
        yield units


def ends_open(text: str, style: QuoteStyle) -> bool:
    """Whether ``text`` ends inside a primary quotation of ``style``: its last opening mark
    has no closing mark after it. Read from that mark on, not from the start, since a
    paragraph's earlier quotations do not change how it ends."""
    marks = QUOTE_MARKS[style]
    last_open = text.rfind(marks.open_primary)
    if last_open < 0:
        return False
    close = text.find(marks.close_primary, last_open + 1)
    while close >= 0:
        after = text[close + 1] if close + 1 < len(text) else " "
        # In en-GB the closing mark is also the apostrophe: one inside a word is not a close.
        if not (style == "en-GB" and after.isalnum()):
            return False
        close = text.find(marks.close_primary, close + 1)
    return True


def _reopens(text: str, style: QuoteStyle) -> bool:
    return text.lstrip().startswith(QUOTE_MARKS[style].open_primary)


def check_quote_balance_rule(style: QuoteStyle) -> Rule:
    def check_quote_balance(book: Book) -> tuple[Book, tuple[Diagnostic, ...]]:
        """Q001: a quotation that never closes (no later paragraph closes or reopens it)."""
        found: list[Diagnostic] = []
        for units in _units(book):
            opened_at: SourceSpan | None = None
            for text, span in units:
                if opened_at is not None and not _reopens(text, style):
                    found.append(_unclosed(opened_at))
                    opened_at = None
                opened_at = (opened_at or span) if ends_open(text, style) else None
            if opened_at is not None:
                found.append(_unclosed(opened_at))
        return book, tuple(found)

    return check_quote_balance


def _unclosed(span: SourceSpan) -> Diagnostic:
    return Diagnostic(
        "Q001", "warning",
        "a quotation opened here never closes (the next paragraph neither closes nor reopens it)",
        span, fix="close the quotation, or open the next paragraph with a quotation mark if the "
                  "speech goes on")
