"""The print edition's page map as data: where each printed page begins, in model terms.

The print pipeline derives it from the laid-out PDF (``press.pagemap``); the build hands it to
the EPUB backend, which writes it as the ebook's page list. Neither backend knows the other.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PageStart:
    """Printed page ``label`` begins before word ``word`` of the text unit ``path`` in section
    ``section`` (ids and paths as in ``render.html.text_units``). ``section`` is ``None`` for
    a page with no text of the model on it (a blank page, a generated title or contents
    page); ``lead`` keeps the first words printed on such a page."""

    label: str
    section: str | None
    path: tuple[int, ...] = ()
    word: int = 0
    lead: str = ""


@dataclass(frozen=True, slots=True)
class PageMap:
    pages: tuple[PageStart, ...]
    # The print edition the page numbers come from (its ISBN when it has one).
    source: str



@functools.lru_cache(maxsize=1 << 16)  # a book says its words many times over
def letters(text: str) -> str:
    """Lower-case letters and digits only: what survives hyphenation, line breaking and
    punctuation differences between the model and the PDF's extracted text."""
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", text).casefold())


# What ``str.isalnum`` is not: ``\w`` is exactly it and the underscore.
_NOT_ALNUM = re.compile(r"[\W_]+")
