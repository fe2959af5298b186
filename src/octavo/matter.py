"""Front and back matter an author supplies beside the manuscript, as model chapters both
editions set: a dedication and an epigraph written in book.toml (``[front_matter]``), and
acknowledgements, about the author and an also-by list from files (``[back_matter]``)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .config import Settings
from .confine import file_in
from .errors import OctavoError
from .model import (
    Block,
    BlockQuote,
    Book,
    Chapter,
    ChapterRole,
    Emphasis,
    Paragraph,
    Part,
    SourceSpan,
    Text,
)

# book.toml key in [back_matter] -> the role of the chapter it makes, in reading order.
BACK_MATTER_KEYS: dict[str, ChapterRole] = {
    "acknowledgements": "acknowledgements",
    "about_the_author": "about-the-author",
    "also_by": "also-by",
}


def _paragraph(text: str, where: Path | None) -> Paragraph:
    return Paragraph((Text(text),), SourceSpan(str(where or "book.toml"), 0))


def configured_front_matter(settings: Settings) -> tuple[Chapter, ...]:
    """A dedication and an epigraph given as text in ``[front_matter]``."""
    front = settings.table("front_matter")
    where = settings.config_path
    out: list[Chapter] = []
    dedication = front.get("dedication")
    if isinstance(dedication, str) and dedication.strip():
        blocks = tuple(_paragraph(p.strip(), where) for p in dedication.split("\n\n")
                       if p.strip())
        out.append(Chapter((), None, blocks, role="dedication"))
    epigraph = front.get("epigraph")
    if isinstance(epigraph, str) and epigraph.strip():
        quote: list[Block] = [_paragraph(epigraph.strip(), where)]
        source = front.get("epigraph_source")
        if isinstance(source, str) and source.strip():
            quote.append(Paragraph((Text("— "), Emphasis((Text(source.strip()),))),
                                   SourceSpan(str(where or "book.toml"), 0), frozenset()))
        out.append(Chapter((), None, (BlockQuote(tuple(quote)),), role="epigraph"))
    return tuple(out)


def read_back_matter(settings: Settings) -> tuple[Chapter, ...]:
    """Chapters for each ``[back_matter]`` entry: a file (``.md``, ``.txt``, ``.docx``...) read by the same
    readers as the manuscript, or for ``also_by`` a list of titles."""
    from .readers import read_document

    back = settings.table("back_matter")
    where = settings.config_path
    unknown = set(back) - set(BACK_MATTER_KEYS)
    if unknown:
        raise OctavoError(f"unknown key(s) in [back_matter]: {', '.join(sorted(unknown))} "
                          f"(known: {', '.join(BACK_MATTER_KEYS)})", where)
    out: list[Chapter] = []
    for key, role in BACK_MATTER_KEYS.items():
        value = back.get(key)
        if value is None:
            continue
        if isinstance(value, list) and key == "also_by" and all(isinstance(v, str) for v in value):
            titles: tuple[Block, ...] = tuple(Paragraph((Emphasis((Text(v),)),)) for v in value)
            out.append(Chapter((), None, titles, role=role))
            continue
        if not isinstance(value, str):
            raise OctavoError(f"[back_matter] {key} must be a file name", where)
        path = file_in(settings.root, value, f"[back_matter] {key}", where)
        document = read_document(path, settings.table)
        # A file headed "Acknowledgements" is read as front matter by its name: its place
        # here is decided by book.toml, so every chapter of the file counts.
        chapters = [*document.front_matter,
                    *(c for item in document.body
                      for c in (item.chapters if isinstance(item, Part) else (item,))),
                    *document.back_matter]
        blocks = tuple(b for c in chapters for b in c.blocks)
        title = chapters[0].title if chapters else ()
        out.append(Chapter(title, None, blocks, role=role))
    return tuple(out)


def with_supplied_matter(book: Book, settings: Settings) -> Book:
    front = configured_front_matter(settings)
    back = read_back_matter(settings)
    if not front and not back:
        return book
    return replace(book, front_matter=front + book.front_matter,
                   back_matter=book.back_matter + back)
