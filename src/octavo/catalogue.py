"""Catalogue builds: many books at once, on this machine's cores or on a Dask cluster.

Each book is one task, and a task's result is the book's output files as data (path relative
to the book's output folder -> bytes): this process, the client, writes every file itself,
atomically, as a single build does. A local task builds the book from its folder; a cluster
worker may be another machine, so it gets the book's folder as data (a ``BookBundle``),
writes it into a temporary folder and builds there.
"""

from __future__ import annotations

import importlib
import os
import tempfile
import traceback
import uuid
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import __version__
from .build import Format, build, slugify, source_date_epoch, write_atomically
from .config import holds_a_book, load_settings, natural_key
from .errors import OctavoError, read_input
from .lifeline import start_worker
from .model import Diagnostic
from .themes import load_theme, styles_root

# The most a book may send to a cluster worker: its whole folder travels with the task.
BUNDLE_LIMIT = 200 * 1024 * 1024


# --------------------------------------------------------------------------- which books


def book_targets(paths: Iterable[Path]) -> tuple[Path, ...]:
    """The books the paths name. A file, or a folder holding a book.toml or manuscript files of
    its own, is one book; any other folder is a catalogue: each of its subfolders that is a
    book (one level down, hidden ones skipped, in natural order). A path that is neither is
    kept, so that building it says why it is not a book."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir() and not holds_a_book(path):
            books = sorted((sub for sub in path.iterdir() if sub.is_dir()
                            and not sub.name.startswith(".") and holds_a_book(sub)),
                           key=natural_key)
            found.extend(books or [path])
        else:
            found.append(path)
    seen: set[Path] = set()
    unique = []
    for book in found:
        key = book.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(book)
    return tuple(unique)


def _manuscript_bytes(target: Path) -> int:
    """How much text a book has to lay out: its manuscript files' sizes (0 when its settings
    cannot be read: that book fails when it is built, and says why then)."""
    try:
        if target.is_file() and target.suffix.lower() != ".toml":
            return target.stat().st_size
        return sum(source.stat().st_size for source in load_settings(target).sources)
    except (OctavoError, OSError):
        return 0


def longest_first(targets: Sequence[Path]) -> tuple[Path, ...]:
    """The books in the order they are started: the longest first, so that no core is left
    laying out a long book alone at the end while the others wait with nothing to do
    (books of one length in the order given)."""
    return tuple(sorted(targets, key=_manuscript_bytes, reverse=True))


# --------------------------------------------------------------------------- one book's task


@dataclass(frozen=True, slots=True)
class BookOutcome:
    """What a task hands back: the files a book's build wrote, or why it failed."""

    name: str  # the book as the user named it
    slug: str = ""
    files: dict[str, bytes] = field(default_factory=dict)
    page_count: int | None = None
    diagnostics: tuple[Diagnostic, ...] = ()
    error: str | None = None
    details: str = ""  # the traceback of an internal error, for --debug
    version: str = __version__  # the octavo that built it


def build_to_bytes(target: Path, formats: tuple[Format, ...], name: str, cache: bool = True
                   ) -> BookOutcome:
    """Build one book into a temporary folder and read its outputs back (``cache``: taking
    unchanged chapters from the book's chapter cache, and keeping them there). Never raises
    for a problem of the book: the others of a catalogue still build."""
    try:
        with tempfile.TemporaryDirectory(prefix="octavo-out-") as tmp:
            outdir = Path(tmp)
            # The catalogue's pool is the one pool: a book's chapters stay in its worker.
            # The printer's checks are a single book's (octavo preflight runs them on any).
            result = build(target, outdir, formats, workers=1, preflight=False, cache=cache)
            files = {path.relative_to(outdir).as_posix(): path.read_bytes()
                     for path in sorted(outdir.rglob("*")) if path.is_file()}
        slug = next(iter(result.outputs.values())).name.split(".", 1)[0]
        return BookOutcome(name, slug, files, result.page_count, result.diagnostics)
    except OctavoError as exc:
        return BookOutcome(name, error=str(exc), details=traceback.format_exc())
    except Exception as exc:  # a bug of ours must not stop the catalogue's other books
        return BookOutcome(name, error=f"internal error: {type(exc).__name__}: {exc}",
                           details=traceback.format_exc())


@dataclass(frozen=True, slots=True)
class BookBundle:
    """A book's folder as data, for a worker that cannot read the client's files."""

    name: str
    origin: str  # the book's folder on the client, to name its files in messages
    target: str  # what to build, relative to the folder ("." for the folder itself)
    files: dict[str, bytes]
    mtimes_ns: dict[str, int]  # the dates are part of the outputs when SOURCE_DATE_EPOCH is unset


def _folder_files(root: Path, exclude: Collection[Path]) -> Iterator[Path]:
    """Every file under ``root`` except hidden ones (a cache, version control) and folders in
    ``exclude`` (the outputs of earlier builds)."""
    skipped = {p.resolve() for p in exclude}
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith(".")
                               and (Path(folder) / d).resolve() not in skipped)
        # A FIFO or a device is no file of the book: reading one would wait forever.
        yield from (Path(folder) / n for n in sorted(names) if not n.startswith(".")
                    and (Path(folder) / n).is_file())


def bundle_book(target: Path, exclude: Collection[Path] = (), limit: int = BUNDLE_LIMIT,
                ) -> BookBundle:
    """The files a worker needs to build ``target``: a manuscript file alone, or the whole
    folder of a book (book.toml, manuscripts, images, cover, back matter) up to ``limit``."""
    settings = load_settings(target)
    theme = load_theme(settings.theme, settings.root).path.resolve()
    root = settings.root
    if not (theme.is_relative_to(styles_root().resolve())
            or theme.is_relative_to(root.resolve())):
        raise OctavoError(f"the theme folder {theme} is outside the book's folder, so a cluster "
                          "worker cannot have it: move it into the book's folder",
                          settings.config_path or target)
    if target.is_file() and target.suffix.lower() != ".toml":
        paths: Iterable[Path] = (target,)
    else:
        paths = _folder_files(root, exclude)
    epoch = source_date_epoch()
    files: dict[str, bytes] = {}
    mtimes: dict[str, int] = {}
    size = 0
    for path in paths:
        relative = path.relative_to(root).as_posix()
        size += path.stat().st_size
        if size > limit:
            raise OctavoError(f"the book's folder holds more than {limit // 2**20} MB, too much "
                              "to send to a cluster worker; build it on this machine", root)
        files[relative] = read_input(path)
        # The client's SOURCE_DATE_EPOCH reaches the worker as the files' dates, which is
        # what the build falls back on without it.
        mtimes[relative] = epoch * 10**9 if epoch is not None else path.stat().st_mtime_ns
    inside = "." if target.is_dir() else target.relative_to(root).as_posix()
    return BookBundle(str(target), str(root), inside, files, mtimes)


def _named_as_on_client(outcome: BookOutcome, worker_root: str, origin: str) -> BookOutcome:
    """Messages name the book's files where the client has them, not the worker's copy."""

    def rename(text: str) -> str:
        return text.replace(worker_root, origin)

    diagnostics = tuple(replace(d, message=rename(d.message),
                                span=replace(d.span, path=rename(d.span.path)))
                        for d in outcome.diagnostics)
    return replace(outcome, diagnostics=diagnostics,
                   error=rename(outcome.error) if outcome.error else None)


def build_bundle(bundle: BookBundle, formats: tuple[Format, ...], cache: bool = True
                 ) -> BookOutcome:
    """A cluster worker's task: the book's files written into a temporary folder, built
    there. A chapter cache only where the worker keeps one (``OCTAVO_CACHE_DIR``): one in the
    temporary folder would be written and thrown away with it."""
    with tempfile.TemporaryDirectory(prefix="octavo-book-") as tmp:
        root = Path(tmp) / "book"
        for relative, data in bundle.files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            mtime = bundle.mtimes_ns[relative]
            os.utime(path, ns=(mtime, mtime))
        root.mkdir(exist_ok=True)
        target = root if bundle.target == "." else root / bundle.target
        from .press.cache import CACHE_DIR_VARIABLE

        kept = cache and bool(os.environ.get(CACHE_DIR_VARIABLE))
        outcome = build_to_bytes(target, formats, bundle.name, kept)
    return _named_as_on_client(outcome, str(root), bundle.origin)


# --------------------------------------------------------------------------- the whole catalogue


@dataclass(frozen=True, slots=True)
class Written:
    """A book's outcome and where its files were written (none when it failed)."""

    outcome: BookOutcome
    paths: tuple[Path, ...] = ()

    @property
    def outputs(self) -> tuple[Path, ...]:
        """The book's own files (EPUB, PDF, HTML, ONIX), not the fonts or images beside
        them."""
        own = {f"{self.outcome.slug}{ext}" for ext in (".epub", ".pdf", ".html", ".onix.xml")}
        return tuple(p for p in self.paths if p.name in own)


def _failed(name: str, exc: BaseException) -> BookOutcome:
    message = str(exc) if isinstance(exc, OctavoError) else f"{type(exc).__name__}: {exc}"
    return BookOutcome(name, error=message,
                       details="".join(traceback.format_exception(exc)))


def _in_turn(targets: Sequence[Path], submit: Callable[[Path], Any], wait_any: Callable[..., Any],
             in_flight: int) -> Iterator[BookOutcome]:
    """Outcomes as the tasks finish, with at most ``in_flight`` books submitted at once (a
    cluster task carries its book's files: a catalogue is not held in memory whole)."""
    queue = iter(targets)
    pending: dict[Any, str] = {}
    while True:
        while len(pending) < in_flight and (target := next(queue, None)) is not None:
            try:
                pending[submit(target)] = str(target)
            except (OctavoError, OSError) as exc:  # this book cannot be sent: the rest can
                yield _failed(str(target), exc)
        if not pending:
            return
        done, _ = wait_any(list(pending))
        for future in done:
            name = pending.pop(future)
            try:
                yield future.result()
            except Exception as exc:  # the worker died: this book failed, the rest go on
                yield _failed(name, exc)


def _local_outcomes(targets: Sequence[Path], formats: tuple[Format, ...], jobs: int | None,
                    cache: bool) -> Iterator[BookOutcome]:
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    workers = max(1, min(jobs or os.cpu_count() or 1, len(targets)))
    # Started once for the whole catalogue; "spawn": fresh interpreters, whatever threads
    # the client runs (the progress display has one).
    context = multiprocessing.get_context("spawn")
    # Tied to this process: a killed catalogue build leaves no worker behind.
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context,
                               initializer=start_worker, initargs=(os.getpid(),))
    try:
        yield from _in_turn(
            targets, lambda t: pool.submit(build_to_bytes, t, formats, str(t), cache),
            lambda fs: wait(fs, return_when=FIRST_COMPLETED), 2 * workers)
    finally:
        # Interrupted: the books not started yet are not started at all.
        pool.shutdown(wait=True, cancel_futures=True)


def _cluster_outcomes(targets: Sequence[Path], formats: tuple[Format, ...], scheduler: str,
                      exclude: Collection[Path], cache: bool) -> Iterator[BookOutcome]:
    try:
        # Untyped: used through Any rather than loosening mypy for the module.
        distributed: Any = importlib.import_module("dask.distributed")
    except ImportError:
        raise OctavoError("--scheduler needs Dask: pip install 'octavo[cluster]'") from None
    try:
        client = distributed.Client(scheduler, timeout="20s")
    except (OSError, TimeoutError) as exc:
        raise OctavoError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    with client:
        # A task runs where its book's files were sent, so they are sent to a worker with a
        # thread free, one book a thread: sent round the workers in turn, a worker would
        # queue the next long book behind its own while another has finished.
        busy: dict[str, int] = {}
        sent_to: dict[str, str] = {}

        def submit(target: Path) -> Any:
            bundle = bundle_book(target, exclude)
            threads = client.nthreads()
            worker = max(sorted(threads), key=lambda w: threads[w] - busy.get(w, 0))
            # Sent straight to that worker, not through the scheduler: it can be megabytes.
            data = client.scatter(bundle, hash=False, workers=[worker])
            key = f"octavo-build-{slugify(target.name)}-{uuid.uuid4().hex[:8]}"
            busy[worker] = busy.get(worker, 0) + 1
            sent_to[key] = worker
            return client.submit(build_bundle, data, formats, cache, key=key, pure=False)

        def wait_any(futures: list[Any]) -> Any:
            done, waiting = distributed.wait(futures, return_when="FIRST_COMPLETED")
            for future in done:
                busy[sent_to[future.key]] -= 1
            return done, waiting

        yield from _in_turn(targets, submit, wait_any, sum(client.nthreads().values()) or 1)


def write_outcome(outcome: BookOutcome, outdir: Path, own_folder: bool,
                  taken: dict[str, str]) -> Written:
    """Write a built book's files, in ``outdir/<slug>/`` when ``own_folder`` (a catalogue),
    else in ``outdir`` as a single build does. ``taken``: slug -> the book that has it."""
    if outcome.error is not None:
        return Written(outcome)
    if outcome.version != __version__:
        return Written(replace(outcome, error=f"built by octavo {outcome.version} on the "
                               f"cluster, not {__version__} as here: install the same "
                               "octavo on every worker"))
    if own_folder and taken.get(outcome.slug, outcome.name) != outcome.name:
        return Written(replace(outcome, error=f"has the same title as {taken[outcome.slug]}: "
                               f"both would be written to {outdir / outcome.slug}"))
    taken[outcome.slug] = outcome.name
    folder = outdir / outcome.slug if own_folder else outdir
    files = [(folder / relative, data) for relative, data in outcome.files.items()]
    write_atomically(files)
    return Written(outcome, tuple(path for path, _ in files))


def build_catalogue(
    targets: Sequence[Path],
    outdir: Path,
    formats: tuple[Format, ...] = ("epub", "pdf"),
    jobs: int | None = None,
    scheduler: str | None = None,
    cache: bool = True,
) -> Iterator[Written]:
    """Build every book, each in its own task (a pool of ``jobs`` processes started once, or
    the Dask cluster whose scheduler is at ``scheduler``), the longest first, writing each
    book's files as it comes back: in ``outdir/<slug>/`` when there are several books, else
    in ``outdir``. ``cache``: as for one book's build."""
    own_folder = len(targets) > 1
    order = longest_first(targets)
    if scheduler is None:
        outcomes = _local_outcomes(order, formats, jobs, cache)
    else:
        outcomes = _cluster_outcomes(order, formats, scheduler, (outdir,), cache)
    taken: dict[str, str] = {}
    for outcome in outcomes:
        yield write_outcome(outcome, outdir, own_folder, taken)
