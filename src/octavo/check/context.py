"""What every check reads: the book as the build loads it, its text in units with their place
in the manuscript, and a way to point a finding at the exact line and column."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import OctavoError
from ..loaded import LoadedBook
from ..model import (
    Book,
    Chapter,
    Diagnostic,
    Heading,
    Image,
    Letter,
    Paragraph,
    SourceSpan,
    Speech,
    StageDirection,
    Verse,
    all_chapters,
    inline_text,
    walk_blocks,
)
from ..normalize.options import QuoteStyle
from ..readers.source import decode_manuscript

# How far past a block's first line a finding is looked for in the source: a paragraph rarely
# spans more source lines than this, and a bounded search keeps a miss from pointing at a
# later paragraph.
SEARCH_LINES = 200


@dataclass(frozen=True, slots=True)
class TextUnit:
    """One run of prose a reader reads as a whole: a paragraph, a heading, a verse line, a
    caption; ``chapter`` is the chapter it belongs to."""

    text: str
    span: SourceSpan
    chapter: Chapter


@dataclass(frozen=True, slots=True)
class Manuscript:
    loaded: LoadedBook
    quotes: QuoteStyle
    # Source files read once, by the path the spans carry.
    _sources: dict[str, str | None] = field(default_factory=dict)

    @property
    def book(self) -> Book:
        return self.loaded.book

    def source(self, path: str) -> str | None:
        """The manuscript text a span points into (None when it is not a readable file)."""
        if path not in self._sources:
            file = Path(path)
            try:
                self._sources[path] = decode_manuscript(file.read_bytes(), file).text
            except (OSError, OctavoError):  # a word processor's package is no text to search
                self._sources[path] = None
        return self._sources[path]

    def locate(self, span: SourceSpan, pattern: re.Pattern[str]) -> SourceSpan:
        """Where ``pattern`` first matches in the source at or after ``span``'s line; the
        span itself when the source does not have it (text the normalizer changed)."""
        text = self.source(span.path)
        if text is None or span.line < 1:
            return span
        lines = text.split("\n")
        window = "\n".join(lines[span.line - 1: span.line - 1 + SEARCH_LINES])
        m = pattern.search(window)
        if m is None:
            return span
        before = window[: m.start()]
        line = span.line + before.count("\n")
        column = m.start() - (before.rfind("\n") + 1) + 1
        return SourceSpan(span.path, line, column)


CheckRule = Callable[[Manuscript], Iterator[Diagnostic]]


def text_units(book: Book) -> Iterator[TextUnit]:
    """Every unit of text in reading order, chapter titles first in their chapter."""
    for chapter in all_chapters(book):
        if chapter.title:
            yield TextUnit(inline_text(chapter.title), chapter.span, chapter)
        for block in walk_blocks(chapter.blocks):
            match block:
                case Paragraph(inlines=inl) | Heading(inlines=inl) | StageDirection(inlines=inl):
                    yield TextUnit(inline_text(inl), block.span, chapter)
                case Speech(inlines=inl):
                    yield TextUnit(inline_text(inl), block.span, chapter)
                case Verse(lines=lines):
                    # One unit, as the quote balance reads it: a quotation may span lines.
                    yield TextUnit("\n".join(inline_text(line.inlines) for line in lines), block.span,
                                   chapter)
                case Image(caption=cap) if cap:
                    yield TextUnit(inline_text(cap), block.span, chapter)
                case Letter():
                    for part in (block.heading, block.dateline, block.salutation,
                                 block.valediction, block.signature):
                        if part:
                            yield TextUnit(inline_text(part), block.span, chapter)
                case _:
                    pass


# A word: letters, joined by inner hyphens and apostrophes (to-day, o’clock, Kai’s).
WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


def words(text: str) -> list[str]:
    return WORD.findall(text)


def word_pattern(word: str) -> re.Pattern[str]:
    """``word`` as a whole word in a source file, whatever markup (``_to-day_``) or quote
    style surrounds it and with its apostrophe straight or curly."""
    body = re.escape(word).replace("’", "['’]").replace("'", "['’]")
    return re.compile(rf"(?<![^\W_]){body}(?![^\W_])", re.IGNORECASE)
