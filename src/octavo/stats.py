"""``octavo stats``: how long the book is, in words, chapters, printed pages and reading time,
without laying it out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .geometry import TRIMS
from .model import Book, all_chapters, block_text, body_chapters

if TYPE_CHECKING:
    from .loaded import LoadedBook

# Adult silent reading in English: 238 words a minute for non-fiction and 260 for fiction
# (Brysbaert 2019, a meta-analysis of 190 studies).
WORDS_PER_MINUTE = 250


@dataclass(frozen=True, slots=True)
class BookStats:
    title: str
    words: int
    chapters: int
    trim: str
    # Estimated printed pages for each preset trim (and the book's own, when custom).
    pages: dict[str, int]
    reading_minutes: int


def word_count(book: Book) -> int:
    """Words of the book's text (front and back matter included), split at white space."""
    return sum(len(block_text(b).split()) for c in all_chapters(book) for b in c.blocks)


def book_stats(loaded: LoadedBook) -> BookStats:
    from .press.document import estimated_pages

    book = loaded.book
    words = word_count(book)
    trims = dict.fromkeys([*TRIMS, loaded.settings.trim])
    pages = {trim: estimated_pages(book, trim) for trim in trims}
    return BookStats(
        title=book.metadata.title, words=words,
        chapters=sum(1 for c in body_chapters(book) if c.role == "chapter"),
        trim=loaded.settings.trim, pages=pages,
        reading_minutes=max(1, round(words / WORDS_PER_MINUTE)))


def reading_time(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d} min" if hours else f"{rest} min"
