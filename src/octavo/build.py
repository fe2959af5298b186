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
from .errors import OctavoError
from .matter import with_supplied_matter
from .model import Book, Diagnostic
from .normalize import normalize, rules_for, typography_options
from .readers import read_book
from .themes import Theme, load_theme

if TYPE_CHECKING:
    from .render.epub import EpubOptions
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
    if loaded.settings.title or loaded.book.metadata.title != _file_title(loaded.settings):
        return slugify(loaded.book.metadata.title)
    return slugify(loaded.settings.sources[0].stem)


def _file_title(settings: Settings) -> str:
    from .readers import _title_from_file

    return _title_from_file(settings.sources[0])


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
    theme = load_theme(settings.theme, settings.root)
    return LoadedBook(settings, book, theme, read_diagnostics + rule_diagnostics)


def write_atomically(files: Iterable[tuple[Path, bytes]]) -> None:
    """Write every file to a temporary name first, then rename them all: a failed build leaves
    no half-written output."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.chmod(tmp_name, 0o644)
            staged.append((Path(tmp_name), path))
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, path in staged:
        os.replace(tmp, path)


def pdf_options(loaded: LoadedBook) -> PdfOptions:
    """The trade edition's print options; other editions (review copies) start from these."""
    from .press.settings import print_settings
    from .render.pdf import PdfOptions

    return PdfOptions(theme=loaded.theme, trim=loaded.settings.trim,
                      allowed_roots=(loaded.settings.root,),
                      press=print_settings(loaded.settings),
                      modified=modification_time(loaded.settings))


def epub_options(loaded: LoadedBook) -> EpubOptions:
    """The trade edition's ebook options; other editions (review copies) start from these."""
    from .render.epub import EpubOptions

    return EpubOptions(modified=modification_time(loaded.settings), theme=loaded.theme)


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
    if "pdf" in formats:
        progress("laying out the print book")
        pdf = render_pdf(loaded.book, pdf_options(loaded))
        page_count = pdf.page_count
        files.append((outdir / f"{slug}.pdf", pdf.data))
        outputs["pdf"] = outdir / f"{slug}.pdf"
    if "epub" in formats:
        progress("packaging the ebook")
        data = render_epub(loaded.book, epub_options(loaded))
        files.insert(0, (outdir / f"{slug}.epub", data))
        outputs["epub"] = outdir / f"{slug}.epub"
    progress("writing")
    write_atomically(files)
    return BuildResult(outputs, page_count, loaded.diagnostics)
