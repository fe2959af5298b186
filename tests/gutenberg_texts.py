"""A small Project Gutenberg text made in a test: the header and footer of a made-up eBook
around a body, read by the Gutenberg reader (shared by the reader's tests and the builds that
start from a Gutenberg file)."""

from __future__ import annotations

from pathlib import Path

from octavo.model import Chapter, all_chapters
from octavo.readers.document import Document
from octavo.readers.gutenberg import read_gutenberg
from octavo.readers.source import SourceText

HEADER = """The Project Gutenberg EBook of The Lamp, by Ann Example

This eBook is for the use of anyone anywhere at no cost.

Title: The Lamp
       A Tale of the Sea

Author: Ann Example

Language: English

*** START OF THIS PROJECT GUTENBERG EBOOK THE LAMP ***




Produced by A Volunteer




THE LAMP

by Ann Example



"""
FOOTER = """



End of the Project Gutenberg EBook of The Lamp, by Ann Example

*** END OF THIS PROJECT GUTENBERG EBOOK THE LAMP ***

***** This file should be named 1234.txt or 1234.zip *****
Licence words that must never reach the book.
"""

PROSE = """It was a dark night, and the lamp
burned low in the window of the house.

"Who is there?" she said.
"""


def gutenberg(body: str, options: dict[str, object] | None = None) -> Document:
    text = HEADER + body + FOOTER
    return read_gutenberg(SourceText(Path("book.txt"), text), options or {})


def chapters(doc: Document) -> list[Chapter]:
    from octavo.model import Book, Metadata

    return list(all_chapters(Book(Metadata("t"), doc.front_matter, doc.body, doc.back_matter)))
