"""Checks of what the text points at: images a reader cannot see described, links out of the
book's folder that no edition can carry."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlparse

from ..model import (
    Diagnostic,
    Emphasis,
    Heading,
    Image,
    Inline,
    InlineDirection,
    Link,
    Paragraph,
    SmallCaps,
    Speech,
    StageDirection,
    Strong,
    Verse,
    all_chapters,
    walk_blocks,
)
from .context import Manuscript


def images_without_alt(ms: Manuscript) -> Iterator[Diagnostic]:
    """A001: an image without alt text (the EPUB build refuses it: readers who cannot see it
    get nothing)."""
    for chapter in all_chapters(ms.book):
        for block in walk_blocks(chapter.blocks):
            if isinstance(block, Image) and not block.alt.strip():
                yield Diagnostic(
                    "A001", "error", f"image '{block.src}' has no alt text",
                    ms.locate(block.span, re.compile(re.escape(block.src))),
                    fix=f"describe it: ![what the picture shows]({block.src})")


def _links(inlines: tuple[Inline, ...]) -> Iterator[Link]:
    for node in inlines:
        if isinstance(node, Link):
            yield node
        if isinstance(node, Emphasis | Strong | SmallCaps | Link | InlineDirection):
            yield from _links(node.children)


def leaves_the_book(target: str, root: Path) -> bool:
    """Whether a link or image source points at a file outside the book's folder (a web
    address or an anchor inside the book does not)."""
    parsed = urlparse(target)
    if parsed.scheme in ("http", "https", "mailto", "tel") or target.startswith("#"):
        return False
    if parsed.scheme == "file" or target.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", target):
        return True
    if parsed.scheme:
        return False
    resolved = (root / unquote(parsed.path)).resolve()
    return root.resolve() not in resolved.parents


def links_leaving_the_book(ms: Manuscript) -> Iterator[Diagnostic]:
    """L001: a link or image that points at a file outside the book's folder."""
    root = ms.loaded.settings.root
    for chapter in all_chapters(ms.book):
        for block in walk_blocks(chapter.blocks):
            targets: list[str] = []
            match block:
                case Paragraph(inlines=inl) | Heading(inlines=inl) | StageDirection(inlines=inl):
                    targets = [link.href for link in _links(inl)]
                case Speech(inlines=inl):
                    targets = [link.href for link in _links(inl)]
                case Verse(lines=lines):
                    targets = [link.href for line in lines for link in _links(line.inlines)]
                case Image(src=src):
                    targets = [src]
                case _:
                    pass
            for target in targets:
                if leaves_the_book(target, root):
                    yield Diagnostic(
                        "L001", "error", f"'{target}' points outside the book's folder",
                        ms.locate(block.span, re.compile(re.escape(target))),
                        fix="copy the file into the book's folder and link to it there, "
                            "or link to a web address")
