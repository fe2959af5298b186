"""An editor's layout markers in a manuscript, for when a printed page is flagged:

* a line ``{pagebreak}`` alone forces a page break (print only; an ebook reflows);
* a paragraph starting ``{keep}`` is kept on one page, ``{loosen}`` / ``{tighten}`` asks the
  print layout to set it a line longer / shorter. Several may be combined: ``{keep}{loosen}``.

Markers become model facts (``PageBreak``, ``Paragraph.hints``); backends decide what they
mean for their medium.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..model import Block, Chapter, PageBreak, Paragraph, Text, map_body_chapters
from .document import Document

PAGE_BREAK_MARKER = re.compile(r"^\s*\{\s*page-?break\s*\}\s*$", re.IGNORECASE)
PARAGRAPH_MARKERS = re.compile(r"^\s*\{\s*(keep|loosen|tighten)\s*\}\s*", re.IGNORECASE)
HINT_NAMES = {"keep": "keep-together", "loosen": "loosen", "tighten": "tighten"}


def leading_hints(text: str) -> tuple[frozenset[str], str]:
    """The hints a paragraph's text starts with, and the text without them."""
    hints: set[str] = set()
    while m := PARAGRAPH_MARKERS.match(text):
        hints.add(HINT_NAMES[m.group(1).lower()])
        text = text[m.end():]
    return frozenset(hints), text


def block_with_hints(block: Block) -> Block:
    if not isinstance(block, Paragraph) or not block.inlines:
        return block
    first = block.inlines[0]
    if not isinstance(first, Text):
        return block
    if len(block.inlines) == 1 and PAGE_BREAK_MARKER.match(first.text):
        return PageBreak(block.span)
    hints, rest = leading_hints(first.text)
    if not hints:
        return block
    inlines = ((Text(rest),) if rest else ()) + block.inlines[1:]
    return replace(block, inlines=inlines, hints=block.hints | hints)


def _chapter(chapter: Chapter) -> Chapter:
    return replace(chapter, blocks=tuple(block_with_hints(b) for b in chapter.blocks))


def apply_manuscript_hints(document: Document) -> Document:
    """The document with every marker turned into a page break or a paragraph hint."""
    return replace(
        document,
        body=map_body_chapters(document.body, _chapter),
        front_matter=tuple(_chapter(c) for c in document.front_matter),
        back_matter=tuple(_chapter(c) for c in document.back_matter),
    )
