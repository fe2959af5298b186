"""The sizes octavo refuses before any work starts, each with what to do instead.

Every stage is linear in the length of the text (measured: a 1.6-million-word paragraph
normalises in 12 s, a 40,000-word one lays out in print at the speed of a book of short
paragraphs), but a paragraph is held whole in memory by each of them and set as one unit in
print. A million characters (about 170,000 words, the length of the longest single-paragraph
novels in print) is far beyond any paragraph a reader meets; a 50 MB paste without paragraph
breaks is refused at once rather than after minutes. A "word" of more than a thousand
characters with no space is data, not prose: no line of any page can hold it.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import OctavoError

MAX_PARAGRAPH_CHARACTERS = 1_000_000
MAX_WORD_CHARACTERS = 1_000

_LONG_WORD = re.compile(rf"\S{{{MAX_WORD_CHARACTERS + 1},}}")
_BLANK_LINES = re.compile(r"\n[ \t]*\n")


def _line_at(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def refuse_overlong_words(text: str, path: Path) -> None:
    """An error at the first run of more than ``MAX_WORD_CHARACTERS`` non-space characters."""
    m = _LONG_WORD.search(text)
    if m:
        raise OctavoError(
            f"a 'word' of {m.end() - m.start():,} characters without a space: no printed line "
            f"can hold more than a few dozen, and octavo refuses any over "
            f"{MAX_WORD_CHARACTERS:,}; put spaces in it or remove it",
            path, _line_at(text, m.start()))


def refuse_overlong_paragraph(length: int, path: Path | str, line: int) -> None:
    if length > MAX_PARAGRAPH_CHARACTERS:
        raise OctavoError(
            f"a paragraph of {length:,} characters: octavo sets paragraphs of up to "
            f"{MAX_PARAGRAPH_CHARACTERS:,} characters (about 170,000 words); split it into "
            "paragraphs with blank lines (or one paragraph per line)", path, line)


def refuse_overlong_blocks(text: str, path: Path) -> None:
    """An error at the first run of lines between blank lines that is longer than a paragraph
    may be (for readers where such a run is one paragraph: Markdown, Project Gutenberg)."""
    if len(text) <= MAX_PARAGRAPH_CHARACTERS:
        return
    start = 0
    for m in _BLANK_LINES.finditer(text):
        if m.start() - start > MAX_PARAGRAPH_CHARACTERS:
            break
        start = m.end()
    end = _BLANK_LINES.search(text, start)
    length = (end.start() if end else len(text)) - start
    refuse_overlong_paragraph(length, path, _line_at(text, start))


def refuse_overlong_lines(text: str, path: Path) -> None:
    """An error at a line longer than a paragraph may be: a line is never more than one
    paragraph, whatever the reader, so this runs before any of them."""
    if len(text) <= MAX_PARAGRAPH_CHARACTERS:
        return
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end == -1 else end
        if end - start > MAX_PARAGRAPH_CHARACTERS:
            refuse_overlong_paragraph(end - start, path, _line_at(text, start))
        start = end + 1
