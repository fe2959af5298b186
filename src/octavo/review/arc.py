"""``octavo arc``: the review edition laid out once, then one stamped PDF and one patched EPUB
per reviewer, made on every core, staged and renamed into place only when all succeeded."""

from __future__ import annotations

import csv
import hashlib
import io
import multiprocessing
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..build import Progress, book_slug, epub_options, pdf_options, print_page_map
from ..errors import OctavoError
from ..loaded import LoadedBook, load
from ..model import Diagnostic, Metadata
from ..press.cache import ChapterCache, cache_folder
from ..press.document import PdfOptions
from ..press.pieces import render_pdf
from ..render.epub import ExtraPage, render_epub
from .cover import mark_epub_cover
from .edition import (
    ARC_PAGE_ID,
    ARC_TITLE,
    EDITION_MARK,
    EPUB_CSS,
    LEAF_END_ID,
    NOTICE,
    PRINT_BACK_HTML,
    PRINT_CSS,
    PRINT_MARK_HTML,
    ArcSettings,
    arc_page_html,
    arc_settings,
    epub_banner_html,
    print_front_html,
    replace_options,
)
from .epubpatch import EpubFiles, personalise_epub
from .fonts import Face, Run, mark_faces, require_runs, theme_text_faces
from .reviewers import Reviewer, copy_id, read_reviewers, spreadsheet_cell
from .stamp import (
    StampGeometry,
    check_fits,
    measure_edition_mark,
    personal_mark,
    stamp_copy,
    stamp_template,
)
from .trace import MANIFEST_NAME

MANIFEST_COLUMNS = ("reviewer", "email", "outlet", "copy_id", "pdf", "pdf_sha256", "epub",
                    "epub_sha256")


@dataclass(frozen=True, slots=True)
class ArcCopy:
    reviewer: Reviewer
    copy_id: str
    pdf: Path
    epub: Path
    pdf_sha256: str
    epub_sha256: str


@dataclass(frozen=True, slots=True)
class ArcResult:
    pdf: Path
    epub: Path
    page_count: int
    copies: tuple[ArcCopy, ...]
    manifest: Path | None
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True, slots=True)
class ReviewEdition:
    pdf: bytes
    epub: bytes
    page_count: int


def build_review_edition(loaded: LoadedBook, arc: ArcSettings, face: Face | None,
                         progress: Progress = lambda _m: None,
                         cache: ChapterCache | None = None) -> ReviewEdition:
    """The unmarked review edition: the trade PDF and EPUB with the ARC page and marks, the
    PDF ending on a verso with every page laid out (so marked), in one layout (its chapters
    taken from ``cache`` where they are unchanged)."""
    meta = loaded.book.metadata
    progress("laying out the review edition")
    options = review_pdf_options(pdf_options(loaded), meta, arc)
    pdf_data = review_pdf(loaded, options, cache)
    count = page_count(pdf_data)
    if stated_page_count(pdf_data) != count:
        # Only if a theme reset the page counter, or pages changed after layout in a way not
        # undone above: lay out again with the count as text (the same width, so the same
        # pages).
        progress("laying out the review edition again with its page count")
        options = replace_options(options, extra_css=fixed_page_count_css(count))
        pdf_data = review_pdf(loaded, options, cache)
        count = page_count(pdf_data)
    progress("packaging the review ebook")
    epub = render_epub(loaded.book, replace_options(
        epub_options(loaded, print_page_map(loaded, pdf_data)),
        extra_front=(ExtraPage(ARC_PAGE_ID, ARC_TITLE, arc_page_html(meta, arc, str(count))),),
        chapter_banner_html=epub_banner_html(), extra_css=EPUB_CSS,
    ))
    epub = mark_epub_cover(epub, face.path if face else None)
    return ReviewEdition(pdf_data, epub, count)


def review_pdf_options(trade: PdfOptions, metadata: Metadata, arc: ArcSettings) -> PdfOptions:
    """The trade edition's print options with the review edition's pages, mark and rules,
    tagged: a review copy is read on a screen."""
    options: PdfOptions = replace_options(
        trade, extra_front_html=print_front_html(metadata, arc), extra_back_html=(PRINT_BACK_HTML,),
        extra_css=PRINT_CSS, every_page_html=(PRINT_MARK_HTML,), page_count_target=LEAF_END_ID,
        tagged=True)
    return options


def review_pdf(loaded: LoadedBook, options: PdfOptions, cache: ChapterCache | None = None) -> bytes:
    """The review edition's PDF as laid out, ending on a verso (``as_laid_out``)."""
    return as_laid_out(render_pdf(loaded.book, options, cache).data)


def page_count(pdf_data: bytes) -> int:
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf_data)) as pdf:
        return len(pdf.pages)


NOTICE_START = NOTICE.split(" — ")[0]


def stated_page_count(pdf_data: bytes) -> int | None:
    """The count the ARC page states, read back from the laid-out PDF."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf_data)
    try:
        for i in range(len(doc)):
            text = " ".join(doc[i].get_textpage().get_text_range().split())
            if NOTICE_START in text:
                m = re.search(r"\bPages (\d+)\b", text)
                return int(m.group(1)) if m else None
    finally:
        doc.close()
    return None


def as_laid_out(pdf_data: bytes) -> bytes:
    """The review edition's pages, every one laid out, ending on a verso.

    The trade interior is padded to whole leaves after layout; a page appended so would carry
    no edition mark, so that pad goes. The leaf-end page (edition.py) is kept where it is a
    verso, ending the last leaf, and dropped where it is a recto, as the page before it already
    ends one. Its destination is internal, so it goes either way."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf_data)) as pdf:
        while len(pdf.pages) > 1 and _is_blank_pad(pdf.pages[-1]):
            del pdf.pages[-1]
        leaf_end = _take_destination(pdf, LEAF_END_ID)
        if (leaf_end is not None and leaf_end.objgen == pdf.pages[-1].obj.objgen
                and len(pdf.pages) % 2 == 1):
            del pdf.pages[-1]
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()


def _is_blank_pad(page: Any) -> bool:
    """A page with nothing drawn on it: WeasyPrint draws every laid-out page, even a blank
    verso, so only a page added afterwards has no content and no resources."""
    import pikepdf

    contents = page.obj.get("/Contents")
    streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
    return all(s is None or not s.read_bytes().strip() for s in streams)


def _take_destination(pdf: Any, name: str) -> Any:
    """The page a named destination points to, the name removed from the document."""
    import pikepdf

    if "/Names" not in pdf.Root or "/Dests" not in pdf.Root.Names:
        return None
    tree = pikepdf.NameTree(pdf.Root.Names.Dests)
    if name not in tree:
        return None
    target: Any = tree[name]
    del tree[name]
    if isinstance(target, pikepdf.Dictionary):
        target = target.get("/D")
    if isinstance(target, pikepdf.Array) and len(target) > 0:
        return target[0]
    return None


def fixed_page_count_css(count: int) -> str:
    return f'\n.arc-page-count::after {{ content: "{count}"; }}\n'


def default_reviewers(loaded: LoadedBook, arc: ArcSettings, target: Path) -> Path | None:
    """``[arc] reviewers``, else a ``reviewers.csv`` in the book's folder (when the book is
    a folder or has a book.toml, not beside a lone manuscript file)."""
    if arc.reviewers is not None:
        if not arc.reviewers.is_file():
            raise OctavoError(f"[arc] reviewers file '{arc.reviewers.name}' does not exist",
                              loaded.settings.config_path)
        return arc.reviewers
    candidate = loaded.settings.root / "reviewers.csv"
    is_book_folder = target.is_dir() or loaded.settings.config_path is not None
    return candidate if is_book_folder and candidate.is_file() else None


# --------------------------------------------------------------------------- per-copy work

@dataclass(frozen=True, slots=True)
class CopyJob:
    """Everything a worker needs, shared by all copies (inherited by forked workers)."""

    template: bytes
    epub: bytes
    faces: tuple[Face, ...]
    geometry: StampGeometry
    title: str
    authors: tuple[str, ...]
    staging: Path


_JOB: CopyJob | None = None
_EPUB: tuple[EpubFiles, tuple[str, ...]] | None = None


def _init_worker(job: CopyJob) -> None:
    global _JOB, _EPUB
    _JOB = job
    base = EpubFiles.read(job.epub)
    _EPUB = (base, base.chapter_files())


def _make_copy(task: tuple[Reviewer, str, tuple[Run, ...], str]) -> tuple[str, str]:
    """Write one reviewer's PDF and EPUB into the staging folder; their SHA-256s."""
    reviewer, copy, runs, stem = task
    assert _JOB is not None and _EPUB is not None
    job = _JOB
    pdf = stamp_copy(job.template, job.faces, runs, job.geometry, reviewer, copy,
                     job.title, job.authors)
    epub = personalise_epub(_EPUB[0], _EPUB[1], reviewer, copy)
    (job.staging / f"{stem}.pdf").write_bytes(pdf)
    (job.staging / f"{stem}.epub").write_bytes(epub)
    return hashlib.sha256(pdf).hexdigest(), hashlib.sha256(epub).hexdigest()


def _run_copies(job: CopyJob, tasks: list[tuple[Reviewer, str, tuple[Run, ...], str]],
                jobs: int) -> list[tuple[str, str]]:
    if jobs <= 1 or len(tasks) <= 1:
        _init_worker(job)
        return [_make_copy(t) for t in tasks]
    # fork shares the laid-out template with the workers without pickling it
    method = "fork" if sys.platform.startswith("linux") else None
    context = multiprocessing.get_context(method)
    with context.Pool(jobs, initializer=_init_worker, initargs=(job,)) as pool:
        return pool.map(_make_copy, tasks, chunksize=max(1, len(tasks) // (jobs * 4)))


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def manifest_csv(copies: tuple[ArcCopy, ...]) -> bytes:
    out = io.StringIO()
    # RFC 4180 line ends: a cell holding a carriage return is quoted, not a row broken in two.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(MANIFEST_COLUMNS)
    for c in copies:
        writer.writerow([spreadsheet_cell(cell) for cell in (
            c.reviewer.name, c.reviewer.email, c.reviewer.outlet, c.copy_id, c.pdf.name,
            c.pdf_sha256, c.epub.name, c.epub_sha256)])
    return out.getvalue().encode("utf-8")


def make_arcs(target: Path, outdir: Path, reviewers_csv: Path | None = None,
              jobs: int | None = None, progress: Progress = lambda _m: None,
              cache: bool = True) -> ArcResult:
    """The review edition into ``outdir`` and, with a reviewer list, a personal PDF and EPUB
    per reviewer and the manifest. Every input is checked before anything is laid out, and
    nothing lands in ``outdir`` unless everything was made. ``cache``: keep the edition's
    laid-out chapters in the chapter cache and take unchanged ones from it."""
    progress("reading")
    loaded = load(target)
    meta = loaded.book.metadata
    arc = arc_settings(loaded.settings.table("arc"), meta, loaded.settings.root,
                       loaded.settings.config_path)
    csv_path = reviewers_csv or default_reviewers(loaded, arc, target)
    reviewers = read_reviewers(csv_path) if csv_path else ()
    faces = tuple(Face(p) for p in mark_faces(loaded.theme))
    theme_faces = len(theme_text_faces(loaded.theme))
    runs_of = [
        require_runs(personal_mark(r.name), faces, f"reviewer name '{r.name}'", csv_path, r.line)
        for r in reviewers
    ]

    chapter_cache = ChapterCache(cache_folder(loaded.settings.root)) if cache else None
    edition = build_review_edition(loaded, arc, faces[0] if theme_faces else None,
                                   progress, chapter_cache)
    slug = book_slug(loaded)
    tasks: list[tuple[Reviewer, str, tuple[Run, ...], str]] = [
        (r, copy_id(meta.identifier, r), runs_of[i], f"{slug}-arc-{r.slug}")
        for i, r in enumerate(reviewers)
    ]
    geometry = StampGeometry()
    template = b""
    if reviewers:
        geometry = measure_edition_mark(edition.pdf, EDITION_MARK)
        page_width = _narrowest_page(edition.pdf)
        for r, _copy, runs, _stem in tasks:
            check_fits(faces, runs, r, geometry, page_width, csv_path)
        template = stamp_template(edition.pdf)

    outdir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".octavo-arc-", dir=outdir))
    try:
        (staging / f"{slug}-arc.pdf").write_bytes(edition.pdf)
        (staging / f"{slug}-arc.epub").write_bytes(edition.epub)
        copies: tuple[ArcCopy, ...] = ()
        if tasks:
            workers = min(jobs or available_cores(), len(tasks))
            progress(f"making {len(tasks)} personal copies on {workers} "
                     f"{'core' if workers == 1 else 'cores'}")
            job = CopyJob(template, edition.epub, faces, geometry, meta.title, meta.authors,
                          staging)
            digests = _run_copies(job, tasks, workers)
            copies = tuple(
                ArcCopy(r, copy, outdir / f"{stem}.pdf", outdir / f"{stem}.epub", pdf_sha, epub_sha)
                for (r, copy, _f, stem), (pdf_sha, epub_sha) in zip(tasks, digests, strict=True)
            )
            (staging / MANIFEST_NAME).write_bytes(manifest_csv(copies))
        progress("writing")
        for staged in sorted(staging.iterdir()):
            os.chmod(staged, 0o644)
            os.replace(staged, outdir / staged.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return ArcResult(
        outdir / f"{slug}-arc.pdf", outdir / f"{slug}-arc.epub", edition.page_count, copies,
        outdir / MANIFEST_NAME if copies else None, loaded.diagnostics,
    )


def _narrowest_page(pdf_data: bytes) -> float:
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf_data)) as pdf:
        widths = {abs(float(p.trimbox[2]) - float(p.trimbox[0])) for p in pdf.pages}
    return min(widths) if widths else 0.0

