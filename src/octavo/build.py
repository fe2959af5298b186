"""The build: settings -> readers -> normalizer -> backends -> files written atomically."""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .config import Settings, load_settings
from .confine import check_images
from .errors import OctavoError
from .matter import with_supplied_matter
from .model import Book, Diagnostic
from .normalize import normalize, rules_for, typography_options
from .readers import read_book
from .themes import Theme, load_theme

if TYPE_CHECKING:
    from .render.epub import EpubOptions
    from .render.pagemap import PageMap
    from .render.pdf import PdfOptions

Format = Literal["epub", "pdf"]
Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class LoadedBook:
    settings: Settings
    book: Book
    theme: Theme
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True, slots=True)
class BuildResult:
    outputs: dict[str, Path]
    page_count: int | None
    diagnostics: tuple[Diagnostic, ...]


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens (``Les Misérables`` -> ``les-miserables``)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "book"


def book_slug(loaded: LoadedBook) -> str:
    """The title's slug; a book without a title is named by its file, whose stem slugifies to
    the same words as the title read from it."""
    return slugify(loaded.book.metadata.title)


def modification_time(settings: Settings) -> dt.datetime:
    """``SOURCE_DATE_EPOCH`` when set, else the newest input file's time: never the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            seconds = int(epoch)
        except ValueError:
            raise OctavoError(f"SOURCE_DATE_EPOCH must be whole seconds, not '{epoch}'") from None
    else:
        inputs = [*settings.sources, *( [settings.config_path] if settings.config_path else [])]
        seconds = int(max(p.stat().st_mtime for p in inputs))
    return dt.datetime.fromtimestamp(seconds, dt.UTC).replace(tzinfo=None)


def load(target: Path) -> LoadedBook:
    settings = load_settings(target)
    raw, read_diagnostics = read_book(settings)
    raw = with_supplied_matter(raw, settings)
    typography = typography_options(settings.table("typography"), raw.metadata.language,
                                    settings.config_path or target)
    book, rule_diagnostics = normalize(raw, rules_for(typography))
    check_images(book, settings.root)
    theme = load_theme(settings.theme, settings.root)
    return LoadedBook(settings, book, theme,
                      settings.diagnostics + read_diagnostics + rule_diagnostics)


def write_atomically(files: Iterable[tuple[Path, bytes]]) -> None:
    """Write every file to a temporary name in its own folder first, flushed to disk, then
    rename each into place. A build that fails or is interrupted before the renames leaves no
    file of its own and the previous outputs untouched; a rename is atomic, so a reader (or a
    second build writing the same names at the same time) only ever sees a whole file, the
    last one renamed. An OS failure (no space, no permission) is an ``OctavoError``."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part",
                                            dir=path.parent)
            staged.append((Path(tmp_name), path))  # before writing, so a failure removes it
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp_name, 0o644)
        for tmp, path in staged:
            os.replace(tmp, path)
    except OSError as exc:
        _remove(tmp for tmp, _ in staged)
        target = exc.filename or (staged[-1][1] if staged else "")
        raise OctavoError(f"cannot write the output: {exc.strerror or exc}", target) from None
    except BaseException:
        _remove(tmp for tmp, _ in staged)
        raise


def _remove(paths: Iterable[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def pdf_options(loaded: LoadedBook) -> PdfOptions:
    """The trade edition's print options; other editions (review copies) start from these."""
    from .press.settings import print_settings
    from .render.pdf import PdfOptions

    return PdfOptions(theme=loaded.theme, trim=loaded.settings.trim,
                      allowed_roots=(loaded.settings.root,),
                      press=print_settings(loaded.settings),
                      modified=modification_time(loaded.settings))


def epub_options(loaded: LoadedBook, page_map: PageMap | None = None) -> EpubOptions:
    """The trade edition's ebook options; other editions (review copies) start from these.
    ``page_map``: where the print edition's pages begin, when the PDF was laid out too."""
    from .render.cover_image import load_cover
    from .render.epub import EpubOptions

    cover = load_cover(loaded.settings.cover)[0] if loaded.settings.cover else None
    embed = loaded.settings.table("epub").get("embed_fonts", True)
    if not isinstance(embed, bool):
        raise OctavoError("[epub] embed_fonts must be true or false", loaded.settings.config_path)
    return EpubOptions(modified=modification_time(loaded.settings), theme=loaded.theme,
                       page_map=page_map, cover=cover, embed_fonts=embed,
                       image_root=loaded.settings.root)


def cover_diagnostics(loaded: LoadedBook) -> tuple[Diagnostic, ...]:
    """Warnings about a given cover's size (stores' minimum and ratio)."""
    from .model import SourceSpan
    from .render.cover_image import load_cover

    if loaded.settings.cover is None:
        return ()
    span = SourceSpan(str(loaded.settings.cover), 0)
    return tuple(Diagnostic("C001", "warning", f"{loaded.settings.cover.name}: {w}", span)
                 for w in load_cover(loaded.settings.cover)[1])


def print_page_map(loaded: LoadedBook, pdf: bytes) -> PageMap:
    """Where each page of the laid-out print edition begins, in model terms."""
    from .render.epub import print_source
    from .render.pagemap import derive_page_map

    source = print_source(loaded.book.metadata, loaded.settings.trim)
    return derive_page_map(loaded.book, pdf, source)


def build(
    target: Path,
    outdir: Path,
    formats: tuple[Format, ...] = ("epub", "pdf"),
    progress: Progress = lambda _msg: None,
) -> BuildResult:
    from .render.epub import render_epub
    from .render.pdf import render_pdf

    progress("reading")
    loaded = load(target)
    slug = book_slug(loaded)
    files: list[tuple[Path, bytes]] = []
    outputs: dict[str, Path] = {}
    page_count = None
    page_map = None
    if "pdf" in formats:
        progress("laying out the print book")
        pdf = render_pdf(loaded.book, pdf_options(loaded))
        page_count = pdf.page_count
        files.append((outdir / f"{slug}.pdf", pdf.data))
        outputs["pdf"] = outdir / f"{slug}.pdf"
        if "epub" in formats:
            # The ebook carries the print page numbers: the PDF is laid out first and the
            # map derived from it is handed to the EPUB backend as data.
            page_map = print_page_map(loaded, pdf.data)
    if "epub" in formats:
        progress("packaging the ebook")
        data = render_epub(loaded.book, epub_options(loaded, page_map))
        files.insert(0, (outdir / f"{slug}.epub", data))
        outputs["epub"] = outdir / f"{slug}.epub"
    progress("writing")
    write_atomically(files)
    diagnostics = loaded.diagnostics + (cover_diagnostics(loaded) if "epub" in formats else ())
    return BuildResult(outputs, page_count, diagnostics)
