"""What a build may read: files inside the book's folder and the theme's folder, nothing else.

A name in book.toml or a manuscript (``files``, an image, the cover, a back-matter file, the
theme) is resolved with every symlink followed; ``../``, an absolute path or a link that ends
outside the folder is refused, as is any URL: octavo never fetches from the network.
"""

from __future__ import annotations

from pathlib import Path

from .errors import OctavoError, special_file_kind
from .model import Book, Image, all_chapters, walk_blocks


def is_inside(path: Path, root: Path) -> bool:
    """Whether ``path``, with its symlinks followed, lies in ``root`` (also resolved)."""
    resolved, base = path.resolve(), root.resolve()
    return resolved == base or base in resolved.parents


def is_url(name: str) -> bool:
    return "://" in name or name.lower().startswith(("data:", "//"))


def file_in(root: Path, name: str, what: str, where: Path | str | None = None,
            line: int | None = None) -> Path:
    """``root / name`` resolved, or an ``OctavoError`` naming ``what`` when it is a URL, leaves
    ``root`` or is not a file."""
    if is_url(name):
        raise OctavoError(f"{what} '{name}' must be a file in the book's folder (octavo never "
                          "fetches from the network)", where, line)
    path = (root / name).resolve()
    if not is_inside(path, root):
        raise OctavoError(f"{what} '{name}' is outside the book's folder (no '../', absolute "
                          "paths or links out of it)", where, line)
    kind = special_file_kind(path.stat().st_mode) if path.exists() else None
    if kind is not None:
        raise OctavoError(f"{what} '{name}' is {kind}, not a file", where, line)
    if not path.is_file():
        raise OctavoError(f"{what} '{name}' not found in the book's folder: the file does "
                          "not exist", where, line)
    return path


def image_file(image: Image, root: Path) -> Path:
    """An image of the manuscript as a file of the book's folder."""
    return file_in(root, image.src, "image", image.span.path if image.span.line else None,
                   image.span.line or None)


def check_images(book: Book, root: Path) -> None:
    """Every image of the book is a file of its folder (both editions read them)."""
    for chapter in all_chapters(book):
        for block in walk_blocks(chapter.blocks):
            # A picture a word processor's file carried comes with its bytes: no file to read.
            if isinstance(block, Image) and block.data is None:
                image_file(block, root)
