"""The build: settings -> readers -> normalizer -> backends -> files written atomically."""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal, cast

from .collector import fewer_collections
from .config import Settings
from .errors import OctavoError
from .model import Diagnostic
from .render.labels import NUMBER_STYLES, NumberStyle

if TYPE_CHECKING:
    from .loaded import LoadedBook
    from .normalize.memo import Keeper
    from .preflight import PreflightReport
    from .press.cache import ChapterCache
    from .press.document import PdfOptions
    from .render.epub import EpubOptions
    from .render.onix import Price
    from .render.pagemap import PageMap

# "html": the print edition as one HTML document with its CSS and fonts (press/export.py);
# "onix": the ONIX 3.0 record of the print and ebook editions (render/onix.py).
Format = Literal["epub", "pdf", "html", "onix"]
FORMATS: tuple[Format, ...] = ("epub", "pdf", "html", "onix")
Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class BuildResult:
    outputs: dict[str, Path]
    page_count: int | None
    diagnostics: tuple[Diagnostic, ...]
    words: int = 0
    # The PDF checked for the printer ``[print] printer`` names, when it names one.
    preflight: PreflightReport | None = None


class StrictBuildError(OctavoError):
    """``--strict``: the book has warnings, so nothing was written; carries them to print."""

    def __init__(self, diagnostics: tuple[Diagnostic, ...]):
        count = sum(1 for d in diagnostics if d.severity != "info")
        super().__init__(f"{count} warning(s) with --strict: nothing written",
                         hint="fix the warnings above (octavo check shows them all), "
                              "or build without --strict")
        self.diagnostics = diagnostics


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens (``Les Misérables`` -> ``les-miserables``)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "book"


def load(target: Path, keeper_for: Callable[[Path], Keeper | None] = lambda _root: None
         ) -> LoadedBook:
    """The book at ``target`` read (:func:`octavo.loaded.load`). Imported when a book is
    read, not with this module: a build forks its early layout worker first, and the reader
    and normalizer's modules are no part of what that worker needs."""
    from .loaded import load as load_book

    return load_book(target, keeper_for)


def book_slug(loaded: LoadedBook) -> str:
    """The title's slug; a book without a title is named by its file, whose stem slugifies to
    the same words as the title read from it."""
    return slugify(loaded.book.metadata.title)


def source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` in whole seconds, or None when it is not set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return None
    try:
        return int(epoch)
    except ValueError:
        raise OctavoError(f"SOURCE_DATE_EPOCH must be whole seconds, not '{epoch}'") from None


def modification_time(settings: Settings) -> dt.datetime:
    """``SOURCE_DATE_EPOCH`` when set, else the newest input file's time: never the clock."""
    epoch = source_date_epoch()
    if epoch is not None:
        seconds = epoch
    else:
        inputs = [*settings.sources, *( [settings.config_path] if settings.config_path else [])]
        seconds = int(max(p.stat().st_mtime for p in inputs))
    return dt.datetime.fromtimestamp(seconds, dt.UTC).replace(tzinfo=None)


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


def pdf_options(loaded: LoadedBook, digital: bool = False) -> PdfOptions:
    """The trade edition's print options; other editions (review copies) start from these.
    ``digital``: the same pages for reading on screens: tagged, without bleed or PDF/X and
    for no printer."""
    from dataclasses import replace

    from .press.document import PdfOptions
    from .press.settings import print_settings

    press = print_settings(loaded.settings)
    if digital:
        press = replace(press, bleed=False, pdf_x="", printer="")
    return PdfOptions(theme=loaded.theme, trim=loaded.settings.trim,
                      allowed_roots=(loaded.settings.root,), press=press,
                      modified=modification_time(loaded.settings), tagged=digital)


def epub_options(loaded: LoadedBook, page_map: PageMap | None = None) -> EpubOptions:
    """The trade edition's ebook options; other editions (review copies) start from these.
    ``page_map``: where the print edition's pages begin, when the PDF was laid out too."""
    from .render.cover import load_cover
    from .render.epub import EpubOptions

    cover = load_cover(loaded.settings.cover)[0] if loaded.settings.cover else None
    table = loaded.settings.table("epub")
    where = loaded.settings.config_path
    embed = table.get("embed_fonts", True)
    if not isinstance(embed, bool):
        raise OctavoError("[epub] embed_fonts must be true or false", where)
    numbers = table.get("chapter_numbers", "manuscript")
    if numbers not in NUMBER_STYLES:
        raise OctavoError(f"[epub] chapter_numbers must be one of {', '.join(NUMBER_STYLES)}, "
                          f"not {numbers!r}", where)
    return EpubOptions(modified=modification_time(loaded.settings), theme=loaded.theme,
                       page_map=page_map, cover=cover, embed_fonts=embed,
                       image_root=loaded.settings.root,
                       chapter_numbers=cast(NumberStyle, numbers))


def cover_diagnostics(loaded: LoadedBook) -> tuple[Diagnostic, ...]:
    """Warnings about a given cover's size (stores' minimum and ratio)."""
    from .model import SourceSpan
    from .render.cover import load_cover

    if loaded.settings.cover is None:
        return ()
    span = SourceSpan(str(loaded.settings.cover), 0)
    return tuple(Diagnostic("C001", "warning", f"{loaded.settings.cover.name}: {w}", span)
                 for w in load_cover(loaded.settings.cover)[1])


def print_source(loaded: LoadedBook) -> str:
    """The print edition the page numbers come from (its ISBN when it has one)."""
    from .render.epub import print_source as source_of

    return source_of(loaded.book.metadata, loaded.settings.trim)


def print_page_map(loaded: LoadedBook, pdf: bytes) -> PageMap:
    """Where each page of a print edition laid out as one document begins, in model terms."""
    from .press.pagemap import derive_page_map

    return derive_page_map(loaded.book, pdf, print_source(loaded))


def print_html_files(loaded: LoadedBook, outdir: Path, slug: str,
                     cache: ChapterCache | None = None) -> list[tuple[Path, bytes]]:
    """``<slug>.html`` with ``<slug>.css`` and the fonts and images they use, laid out beside
    them as in the theme's and the book's folders (unchanged chapters taken from ``cache``)."""
    from .errors import read_input
    from .press.export import export_print_html

    exported = export_print_html(loaded.book, pdf_options(loaded), f"{slug}.css", cache)
    files = [(outdir / f"{slug}.html", exported.html.encode("utf-8")),
             (outdir / f"{slug}.css", exported.css.encode("utf-8"))]
    files.extend((outdir / relative, read_input(source, "a file the print HTML uses"))
                 for relative, source in sorted(exported.assets.items()))
    return files


def checked_price(settings: Settings, edition: str) -> Price | None:
    """``[price] print`` / ``[price] ebook`` (the print price falls back on ``[arc] price``),
    or an error naming book.toml and the key's line."""
    from .render.onix import parse_price
    from .schema import key_line

    table, text = "price", settings.table("price").get(edition)
    if text is None and edition == "print":
        table, text = "arc", settings.table("arc").get("price")
    if text is None:
        return None
    try:
        return parse_price(str(text), f"[{table}] {edition if table == 'price' else 'price'}")
    except OctavoError as exc:
        where = settings.config_path
        line = (key_line(where.read_text(encoding="utf-8-sig"), table,
                         edition if table == "price" else "price") if where else None)
        raise OctavoError(exc.message, where, line) from None


def onix_record(loaded: LoadedBook, page_count: int, page_map: PageMap | None) -> bytes:
    """The ONIX message of both editions: the print book's facts from its layout, the
    ebook's accessibility as its EPUB declares it (with print page numbers when the layout
    gave the ebook a page map)."""
    from .geometry import spine_width, trim_size
    from .isbn import checked_isbn
    from .press.settings import print_settings
    from .render.epub import accessibility_metadata, has_images
    from .render.onix import Edition, OnixFacts, PrintFacts, onix_message

    settings = loaded.settings
    where = settings.config_path
    isbns = {kind: checked_isbn(text, "isbn", kind, where) if text else None
             for kind, text in (("print", settings.isbn_print), ("ebook", settings.isbn_ebook))}
    press = print_settings(settings)
    page_list = bool(page_map and page_map.pages)
    facts = OnixFacts(
        print_edition=Edition(isbns["print"], checked_price(settings, "print")),
        ebook_edition=Edition(isbns["ebook"], checked_price(settings, "ebook")),
        layout=PrintFacts(page_count, trim_size(settings.trim),
                          round(spine_width(page_count, press.paper), 4)),
        accessibility=tuple(accessibility_metadata(has_images(loaded.book), page_list)),
        sent=modification_time(settings),
        biography=press.author_note,
    )
    return onix_message(loaded.book.metadata, facts)


def build(
    target: Path,
    outdir: Path,
    formats: tuple[Format, ...] = ("epub", "pdf"),
    progress: Progress = lambda _msg: None,
    cache: bool = True,
    strict: bool = False,
    workers: int | None = None,
    # Check the written PDF for the printer ``[print] printer`` names, if it names one.
    preflight: bool = True,
    digital: bool = False,
) -> BuildResult:
    """Build the book at ``target`` into ``outdir``. ``cache``: keep each laid-out chapter in
    the chapter cache (``.octavo-cache/`` in the book's folder) and take unchanged ones from it;
    ``strict``: a warning stops the build before anything is laid out or written
    (``StrictBuildError``); ``workers``: processes for the print chapters (default: every
    core); ``digital``: the PDF is the edition read on screens (``<slug>-digital.pdf``,
    tagged, no bleed, no PDF/X, not checked for a printer)."""
    with fewer_collections():
        return _build(target, outdir, formats, progress, cache, strict, workers, preflight,
                      digital)


def _build(target: Path, outdir: Path, formats: tuple[Format, ...], progress: Progress,
           cache: bool, strict: bool, workers: int | None, preflight: bool, digital: bool
           ) -> BuildResult:
    from .press.chapters import LayoutPool

    # The ONIX record gives the print page count: the print book is laid out for it (from
    # the chapter cache when unchanged), written only when asked for.
    laid_out = "pdf" in formats or "onix" in formats
    # Started before the book is read: the workers import WeasyPrint meanwhile, and hold no
    # copy of the book. Forked before the modules only this process needs are imported
    # (the reader, the normalizer, the join, the ebook): a rebuild's early worker is the one
    # its edited chapter waits for.
    with LayoutPool(workers if laid_out else 1) as pool:
        from .press.cache import ChapterCache, CodeKeyed, cache_folder
        from .press.pieces import render_pdf_in_pieces
        from .render.epub import render_epub
        from .stats import word_count

        progress("reading")
        loaded = load(target, lambda root: CodeKeyed(ChapterCache(cache_folder(root)))
                      if cache else None)
        diagnostics = loaded.diagnostics + (cover_diagnostics(loaded) if "epub" in formats
                                            else ())
        if strict and any(d.severity != "info" for d in diagnostics):
            raise StrictBuildError(diagnostics)
        slug = book_slug(loaded)
        files: list[tuple[Path, bytes]] = []
        outputs: dict[str, Path] = {}
        page_count = None
        ebook: Future[bytes] | None = None
        print_pages: PageMap | None = None
        chapter_cache = ChapterCache(cache_folder(loaded.settings.root)) if cache else None

        def package_ebook(page_map: PageMap | None) -> None:
            # The ebook carries the print page numbers: handed the PDF's page map as data,
            # it is packaged in a worker while the print pages are joined.
            nonlocal ebook, print_pages
            print_pages = page_map
            if "epub" in formats:
                options = epub_options(loaded, page_map)
                if chapter_cache is not None:
                    options = replace(options, keep=CodeKeyed(chapter_cache).remembered)
                ebook = pool.submit(render_epub, loaded.book, options)

        if laid_out:
            progress("laying out the print book")
            pdf = render_pdf_in_pieces(loaded.book, pdf_options(loaded, digital), chapter_cache,
                                       progress=progress, pool=pool,
                                       page_map_source=print_source(loaded)
                                       if "epub" in formats or "onix" in formats else None,
                                       page_map_ready=package_ebook)
            page_count = pdf.page_count
            if "pdf" in formats:
                name = f"{slug}-digital.pdf" if digital else f"{slug}.pdf"
                files.append((outdir / name, pdf.data))
                outputs["pdf"] = outdir / name
        if "epub" in formats:
            progress("packaging the ebook")
            if ebook is None:
                package_ebook(None)
            assert ebook is not None
            files.insert(0, (outdir / f"{slug}.epub", ebook.result()))
            outputs["epub"] = outdir / f"{slug}.epub"
    if "html" in formats:
        progress("laying out the print HTML")
        files.extend(print_html_files(loaded, outdir, slug, chapter_cache))
        outputs["html"] = outdir / f"{slug}.html"
    if "onix" in formats:
        assert page_count is not None
        progress("writing the ONIX record")
        files.append((outdir / f"{slug}.onix.xml", onix_record(loaded, page_count, print_pages)))
        outputs["onix"] = outdir / f"{slug}.onix.xml"
    progress("writing")
    write_atomically(files)
    report = None
    if preflight and "pdf" in outputs and not digital:
        report = preflight_for_printer(loaded, outputs["pdf"], progress)
    return BuildResult(outputs, page_count, diagnostics, word_count(loaded.book), report)


def preflight_for_printer(loaded: LoadedBook, pdf: Path, progress: Progress
                          ) -> PreflightReport | None:
    """The written interior checked as the printer ``[print] printer`` names checks it
    (none: no check)."""
    from .preflight import preflight_files, printer_profile
    from .press.settings import print_settings

    printer = print_settings(loaded.settings).printer
    if not printer:
        return None
    progress(f"checking the PDF for {printer_profile(printer).name}")
    return preflight_files(pdf, printer_profile(printer))
