"""Readers: manuscript files -> un-normalised Book. One reader per kind of file."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..config import Settings, deterministic_identifier
from ..errors import OctavoError, read_input
from ..metadata_limits import refuse_overlong_metadata, refuse_overlong_metadata_list
from ..model import Book, Chapter, Diagnostic, Isbns, Metadata, Part, Speech, map_body_chapters
from .document import Document
from .drama import dramatize_document
from .gutenberg import is_gutenberg, read_gutenberg
from .source import SourceText, read_manuscript
from .text import read_text

Reader = Callable[[SourceText, Mapping[str, Any]], Document]
# Word-processor files are packages of XML read from their bytes, never decoded as text.
PackageReader = Callable[[bytes, Path, Mapping[str, Any]], Document]


# The Markdown and word-processor readers (and markdown-it, zip and XML behind them) are
# imported when a book has such a file: a third of a rebuild's start-up went to loading
# readers that a plain-text book never calls.
def read_markdown(source: SourceText, options: Mapping[str, Any]) -> Document:
    from .markdown import read_markdown as read

    return read(source, options)


def read_docx(data: bytes, path: Path, options: Mapping[str, Any]) -> Document:
    from .docx import read_docx as read

    return read(data, path, options)


def read_odt(data: bytes, path: Path, options: Mapping[str, Any]) -> Document:
    from .odt import read_odt as read

    return read(data, path, options)


PACKAGE_READERS: dict[str, tuple[PackageReader, str]] = {
    ".docx": (read_docx, "docx"),
    ".odt": (read_odt, "odt"),
}
TEXT_SUFFIXES = (".md", ".markdown", ".txt")
SUPPORTED = ".txt, .md, .docx or .odt"


def _plain_text(source: SourceText, _options: Mapping[str, Any]) -> Document:
    return read_text(source)


def reader_for(source: SourceText) -> tuple[Reader, str]:
    """The reader for one file, chosen by its suffix and, for .txt, by its content, with the
    name of its book.toml table."""
    suffix = source.path.suffix.lower()
    if suffix in (".md", ".markdown"):
        return read_markdown, "markdown"
    if suffix == ".txt":
        if is_gutenberg(source.text):
            return read_gutenberg, "gutenberg"
        return _plain_text, "text"
    raise unsupported(source.path)


def unsupported(path: Path) -> OctavoError:
    suffix = path.suffix.lower()
    if suffix in (".doc", ".rtf", ".pages", ".wpd", ".fodt", ".docm", ".dotx", ".ott"):
        return OctavoError(f"unsupported manuscript type '{suffix}': save it as .docx or .odt",
                           path)
    return OctavoError(f"unsupported manuscript type '{suffix}' (use {SUPPORTED})", path)


def read_document(path: Path, table: Callable[[str], Mapping[str, Any]]) -> Document:
    """One manuscript file -> Document, by the reader its suffix (and, for .txt, its content)
    calls for; ``table`` gives that reader's book.toml table."""
    suffix = path.suffix.lower()
    # Every manuscript is read as a play when its paragraphs say so, whatever wrote it.
    if suffix in PACKAGE_READERS:
        package_reader, name = PACKAGE_READERS[suffix]
        data = read_input(path)
        if not data:
            raise OctavoError("the manuscript is empty", path)
        return dramatize_document(package_reader(data, path, table(name)))
    if suffix not in TEXT_SUFFIXES:
        raise unsupported(path)
    source = read_manuscript(path)
    reader, name = reader_for(source)
    document = dramatize_document(reader(source, table(name)))
    return replace(document, diagnostics=source.diagnostics + document.diagnostics)


def refuse_overlong_document_metadata(document: Document, path: Path) -> None:
    """The metadata a manuscript gives (a Title style, a lone top heading, a Gutenberg header)
    is held to the caps of book.toml's."""
    refuse_overlong_metadata("title", document.title, path)
    refuse_overlong_metadata("subtitle", document.subtitle, path)
    refuse_overlong_metadata_list("author", document.authors, path)
    refuse_overlong_metadata("language", document.language, path)


def _renumber(items: list[Part | Chapter]) -> tuple[Part | Chapter, ...]:
    """Chapter numbers run through the whole book once files are joined."""
    n = 0

    def number(c: Chapter) -> Chapter:
        nonlocal n
        if c.role != "chapter":
            return c
        n += 1
        return replace(c, number=n)

    return map_body_chapters(items, number)


def dramatize_whole_book(documents: list[Document]) -> Document:
    """The book's files as one document; when none of them reads as a play alone but all
    together do (a play written an act to a file, its cast list in a file of its own), read
    as a play."""
    joined = Document(body=tuple(item for d in documents for item in d.body),
                      front_matter=tuple(c for d in documents for c in d.front_matter),
                      back_matter=tuple(c for d in documents for c in d.back_matter))
    body = [c for item in joined.body for c in (item.chapters if isinstance(item, Part) else (item,))]
    chapters = [*joined.front_matter, *body, *joined.back_matter]
    if len(documents) < 2 or any(isinstance(b, Speech) for c in chapters for b in c.blocks):
        return joined
    return dramatize_document(joined)


def read_book(settings: Settings) -> tuple[Book, tuple[Diagnostic, ...]]:
    """Read every manuscript file of a book and join them into one raw Book."""
    documents: list[Document] = []
    diagnostics: list[Diagnostic] = []
    for path in settings.sources:
        document = read_document(path, settings.table)
        refuse_overlong_document_metadata(document, path)
        diagnostics.extend(document.diagnostics)
        documents.append(document)

    first = documents[0]
    title = settings.title or first.title or _title_from_file(settings.sources[0])
    authors = settings.authors or first.authors
    language = settings.language or first.language or "en"
    identifier = (
        settings.identifier
        or (f"urn:isbn:{settings.isbn_ebook.replace('-', '')}" if settings.isbn_ebook else None)
        or deterministic_identifier(title, authors)
    )
    metadata = Metadata(
        title=title,
        subtitle=settings.subtitle or (first.subtitle if not settings.title else None),
        authors=authors,
        language=language,
        identifier=identifier,
        date=settings.date,
        publisher=settings.publisher,
        rights=settings.rights,
        isbn=Isbns(print=settings.isbn_print, ebook=settings.isbn_ebook),
        description=settings.description,
        subjects=settings.subjects,
    )
    joined = dramatize_whole_book(documents)
    diagnostics.extend(joined.diagnostics)  # a play read only once its files are joined
    body: list[Part | Chapter] = list(joined.body)
    front = list(joined.front_matter)
    back = list(joined.back_matter)
    if not body and (front or back):
        # A manuscript that is all preface (one short named piece) is still a book's text.
        body.append(replace(front.pop() if front else back.pop(0), role="chapter"))
    book = Book(
        metadata=metadata,
        front_matter=tuple(front),
        body=_renumber(body),
        back_matter=tuple(back),
    )
    if not any(True for _ in book.body):
        raise OctavoError("no text found in the manuscript", settings.sources[0])
    return book, tuple(diagnostics)


def _title_from_file(path: Path) -> str:
    stem = path.stem.replace("_", " ").replace("-", " ").strip()
    return stem[:1].upper() + stem[1:] if stem else "Untitled"
