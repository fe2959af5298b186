"""D001: the metadata every store asks for before it lists a book; D002: an ISBN that is
none (a wrong check digit), which the cover's barcode and the ONIX record refuse."""

from __future__ import annotations

from collections.abc import Iterator

from ..isbn import isbn13
from ..model import Diagnostic, SourceSpan
from ..readers import read_document
from ..schema import key_line
from .context import Manuscript


def store_metadata(ms: Manuscript) -> Iterator[Diagnostic]:
    """D001: title, author, language, an identifier (ideally an ISBN) and a description, given
    by the author rather than guessed by the build."""
    settings = ms.loaded.settings
    meta = ms.book.metadata
    where = SourceSpan(str(settings.config_path or settings.sources[0]), 1)
    in_toml = f"in {settings.config_path.name}" if settings.config_path else "in a book.toml"
    missing: list[tuple[str, str]] = []
    if not settings.title and not _read_from_manuscript(ms, "title"):
        missing.append(("title", f'title = "…" {in_toml}'))
    if not meta.authors:
        missing.append(("author", f'author = "…" {in_toml}'))
    if not settings.language and not _read_from_manuscript(ms, "language"):
        missing.append(("language", f'language = "en-US" (or yours) {in_toml}'))
    if not (settings.identifier or settings.isbn_ebook or settings.isbn_print):
        missing.append(("identifier or ISBN",
                        f'[isbn] ebook = "978-…" {in_toml} (a urn:uuid is used meanwhile)'))
    if not meta.description:
        missing.append(("description", f'description = "…" (the store page\'s blurb) {in_toml}'))
    for field, fix in missing:
        yield Diagnostic("D001", "warning", f"no {field}: stores ask for it", where,
                         fix=f"add {fix}")


def _read_from_manuscript(ms: Manuscript, field: str) -> bool:
    """Whether the first manuscript file names the book's title or language itself (a
    Markdown title heading, a Project Gutenberg header) rather than the build guessing it."""
    settings = ms.loaded.settings
    # The reader the build calls for this file (a .docx or .odt is no text to decode).
    document = read_document(settings.sources[0], settings.table)
    return bool(getattr(document, field))


def invalid_isbns(ms: Manuscript) -> Iterator[Diagnostic]:
    """D002: an ``[isbn]`` entry that is not an ISBN: wrong length or check digit."""
    settings = ms.loaded.settings
    if settings.config_path is None:
        return
    text = settings.config_path.read_text(encoding="utf-8-sig")
    for key, value in (("print", settings.isbn_print), ("ebook", settings.isbn_ebook)):
        if value and isbn13(value) is None:
            line = key_line(text, "isbn", key) or 1
            yield Diagnostic("D002", "error", f"[isbn] {key} '{value}' is not a valid ISBN",
                             SourceSpan(str(settings.config_path), line),
                             fix="copy it exactly as the ISBN agency issued it (13 digits "
                                 "starting 978 or 979, or 10, with the right check digit)")
