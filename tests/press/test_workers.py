"""Forked layout workers (OCTAVO_WORKERS, all cores by default) give the book a build laid out
in its own process gives, byte for byte. The test session lays out in its own process
(conftest), so this is where the forked path is run, with its count named."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES
from octavo.build import build
from octavo.press import chapters


def forks_counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The workers of each pool forked from now on, one entry a pool."""
    forked: list[int] = []
    fork_pool = chapters._fork_pool

    def counted(workers: int, *args: object) -> object:
        forked.append(workers)
        return fork_pool(workers, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(chapters, "_fork_pool", counted)
    return forked


def test_two_forked_workers_build_the_same_files_as_one_process(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    forked = forks_counted(monkeypatch)
    book = FIXTURES / "tale" / "text"
    alone = build(book, tmp_path / "one", ("epub", "pdf"), cache=False, workers=1)
    assert forked == []
    pooled = build(book, tmp_path / "two", ("epub", "pdf"), cache=False, workers=2)
    # The early worker alone: it lays the pieces out beside the build's own process.
    assert forked == [1]
    for kind in ("epub", "pdf"):
        assert pooled.outputs[kind].read_bytes() == alone.outputs[kind].read_bytes(), kind
    assert pooled.page_count == alone.page_count


def test_the_early_worker_lays_out_the_probes_then_chapters_beside_this_process(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A book laid out from scratch: the early worker, which read the book's stylesheets and
    faces while this process read the book, lays the probes out and goes on to the longest
    chapters as soon as the book is measured, while this process loads WeasyPrint and takes
    the shortest. A worker more (three cores) is forked once this process has WeasyPrint
    loaded, and does not load it again."""
    import os
    import sys
    from collections import OrderedDict

    from octavo.press import lines, pieces

    log = tmp_path / "laid"
    lay_out_piece, floating_paths = chapters.lay_out_piece, lines.floating_paths

    def logged_piece(*args: object) -> object:
        with log.open("a") as out:
            out.write(f"piece {os.getpid()} {'weasyprint' in sys.modules}\n")
        return lay_out_piece(*args)  # type: ignore[arg-type]

    def logged_probe(document: object, count: int) -> object:
        with log.open("a") as out:
            out.write(f"probe {os.getpid()} -\n")
        return floating_paths(document, count)

    # Patched before the fork, and named as the module's own: handed to a worker by name,
    # it is this one there.
    logged_piece.__module__, logged_piece.__qualname__ = chapters.__name__, "lay_out_piece"
    monkeypatch.setattr(chapters, "lay_out_piece", logged_piece)
    monkeypatch.setattr(lines, "floating_paths", logged_probe)
    # What another test's build of the book read from its probes is not read again.
    monkeypatch.setattr(pieces, "_KEPT_HERE", OrderedDict())
    forked = forks_counted(monkeypatch)
    build(FIXTURES / "tale" / "text", tmp_path / "out", ("pdf",), cache=False, workers=3)
    # The early worker, then one more beside it and this process.
    assert forked == [1, 1]
    entries = [line.split() for line in log.read_text().splitlines()]
    probed_by = {int(pid) for kind, pid, _ in entries if kind == "probe"}
    first_piece: dict[int, bool] = {}
    for kind, pid, loaded in entries:
        if kind == "piece":
            first_piece.setdefault(int(pid), loaded == "True")
    [early] = probed_by
    assert early != os.getpid()
    assert len(first_piece) == 3 and {early, os.getpid()} < first_piece.keys()
    # Each worker had WeasyPrint loaded before its first piece: the early one warmed up, the
    # other forked from this process after it loaded it.
    assert all(first_piece[pid] for pid in first_piece if pid != os.getpid())


def test_the_early_worker_collects_after_handing_its_piece_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rebuild waits for the chapter its edit changed, then for the ebook the early worker
    packages while this process joins the pages: the worker's collection of what the layout
    freed comes after both, not before, and it is done all the same."""
    import time

    from octavo.model import Book
    from octavo.normalize import normalize
    from octavo.press.document import PdfOptions, estimated_pages, print_parts
    from octavo.press.join import NO_MARGIN_BOXES_CSS
    from octavo.press.pieces import LayoutCount, PieceBuild
    from octavo.themes import load_theme
    from printbooks import sample_book

    book: Book = normalize(sample_book("en", paragraphs=3))[0]
    options = PdfOptions(theme=load_theme("classic"))
    parts = print_parts(book, (), options.press, ())
    log = tmp_path / "collected"

    def release_memory() -> None:  # the worker's clock is this process's (monotonic)
        with log.open("a") as out:
            out.write(f"{time.monotonic()}\n")

    # Patched before the fork, and named as the module's own: handed to the worker by
    # name, it is this one there.
    release_memory.__module__, release_memory.__qualname__ = chapters.__name__, "release_memory"
    monkeypatch.setattr(chapters, "release_memory", release_memory)
    with chapters.LayoutPool(2) as pool:
        build = PieceBuild(book, options, parts, estimated_pages(book, options.trim), None,
                           LayoutCount(), pool)
        piece = chapters.Piece(parts.section_document(0))
        [(_, laid)] = pool.lay_out([piece], build.css, build.measured(), None,
                                   NO_MARGIN_BOXES_CSS)
        back = time.monotonic()
        assert laid.pages >= 1
        assert not log.exists()
        next_task = pool.call(time.monotonic)  # the ebook, in a build
        pool.call(int)
    collected = [float(line) for line in log.read_text().split()]
    assert len(collected) == 1 and back < next_task < collected[0]


def test_a_process_laying_a_book_out_itself_leaves_the_collecting_to_its_collector(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A catalogue's or a Dask cluster's worker is some pool's child process too, but lays
    whole books out in itself: a full collection after each piece would walk its heap (the
    books before, the caches) once a piece."""
    import multiprocessing

    from octavo.model import Book
    from octavo.normalize import normalize
    from octavo.press.document import PdfOptions, estimated_pages, print_parts
    from octavo.press.join import NO_MARGIN_BOXES_CSS
    from octavo.press.pieces import LayoutCount, PieceBuild
    from octavo.themes import load_theme
    from printbooks import sample_book

    book: Book = normalize(sample_book("en", paragraphs=3))[0]
    options = PdfOptions(theme=load_theme("classic"))
    parts = print_parts(book, (), options.press, ())
    log = tmp_path / "collected"

    def release_memory() -> None:
        log.write_text("collected")

    monkeypatch.setattr(chapters, "release_memory", release_memory)
    with chapters.LayoutPool(1) as pool:
        build = PieceBuild(book, options, parts, estimated_pages(book, options.trim), None,
                           LayoutCount(), pool)
        measured = build.measured()
    piece = chapters.Piece(parts.section_document(0))

    def lay_out() -> None:
        assert chapters.lay_out_piece(piece, build.css, measured, None,
                                      NO_MARGIN_BOXES_CSS).pages >= 1

    child = multiprocessing.get_context("fork").Process(target=lay_out)
    child.start()
    child.join()
    assert child.exitcode == 0
    assert not log.exists()
    # A worker a build's pool forked does collect, once a piece.
    with chapters._fork_pool(1) as forked:
        assert forked.submit(chapters.lay_out_piece, piece, build.css, measured, None,
                             NO_MARGIN_BOXES_CSS).result().pages >= 1
    assert log.read_text() == "collected"


class _Cycle:
    """An object that refers to itself: freed by the collector alone."""

    def __init__(self) -> None:
        self.itself = self


def _release_memory_in_a_worker() -> tuple[bool, bool, bool]:
    """A cycle dropped and a list kept before ``release_memory``: whether the cycle was
    freed, whether the list was walked by the collector before, and whether it is after."""
    import gc
    import weakref

    cycle = _Cycle()
    dropped = weakref.ref(cycle)
    del cycle
    kept: list[int] = []

    def walked() -> bool:
        return any(held is kept for held in gc.get_objects())

    before = walked()
    chapters.release_memory()
    return dropped() is None, before, walked()


def test_a_layout_worker_leaves_what_it_keeps_out_of_its_next_collections() -> None:
    """A worker's collection after each piece walks what it holds (its caches, the widths
    of the words it set) unless that is frozen: what survives one is left out of the next
    ones, what was garbage is freed all the same. A process that lays books out itself
    freezes nothing (its collector would never walk what it keeps again)."""
    import gc

    with chapters._fork_pool(1) as forked:
        assert forked.submit(_release_memory_in_a_worker).result() == (True, True, False)
    assert gc.get_freeze_count() == 0
    assert _release_memory_in_a_worker() == (True, True, True)
    assert gc.get_freeze_count() == 0


def test_each_piece_is_handed_on_as_soon_as_it_is_done(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """This process lays out the shortest pieces while the worker takes the longest: the
    pieces the worker finished while this process laid its own out are handed on then, as
    they were done (the longest first), each with its index, not held for those before it;
    and this process stops taking pieces once the worker has taken the rest."""
    import os
    import time

    here = os.getpid()

    def lay_out_piece(piece: chapters.Piece, *_args: object) -> tuple[str, bool]:
        if os.getpid() == here:
            time.sleep(0.6)  # the worker finishes every other piece meanwhile
        return piece.html, os.getpid() == here

    # Patched before the fork, and named as the module's own: handed to the worker by
    # name, it is this one there.
    lay_out_piece.__module__, lay_out_piece.__qualname__ = chapters.__name__, "lay_out_piece"
    monkeypatch.setattr(chapters, "lay_out_piece", lay_out_piece)
    pieces = [chapters.Piece("x" * (n + 1)) for n in range(6)]
    with chapters.LayoutPool(2) as pool:
        pool.call(int)  # the early worker warmed up: it takes the others at once
        laid = list(pool.lay_out(pieces, None, None, None))  # type: ignore[arg-type]
    assert [n for n, _ in laid] == [0, 5, 4, 3, 2, 1]
    assert all(html == pieces[n].html for n, (html, _here) in laid)
    assert laid[0][1][1] and not any(by_here for _n, (_html, by_here) in laid[1:])


def test_the_early_worker_is_handed_the_books_language_and_loads_its_patterns(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A rebuild's edited chapter is set by the early worker: the book's hyphenation patterns
    are read and indexed while this process measures the book, not at the chapter's first
    hyphenated word."""
    from dataclasses import replace

    import pyphen

    from octavo.model import Book
    from octavo.normalize import normalize
    from octavo.press import hyphenation
    from octavo.press.document import PdfOptions, estimated_pages, print_parts
    from octavo.press.pieces import LayoutCount, PieceBuild
    from octavo.themes import load_theme
    from printbooks import sample_book

    book: Book = normalize(sample_book("de", paragraphs=1))[0]
    book = replace(book, metadata=replace(book.metadata, language="de"))
    options = PdfOptions(theme=load_theme("classic"))
    prepared: list[tuple[object, ...]] = []

    class Pool:
        def prepare(self, *args: object) -> None:
            prepared.append(args)

    PieceBuild(book, options, print_parts(book, (), options.press, ()),
               estimated_pages(book, options.trim), None, LayoutCount(), Pool())  # type: ignore[arg-type]
    assert [args[-1] for args in prepared] == ["de"]

    monkeypatch.setattr(pyphen, "hdcache", {})
    monkeypatch.setattr(hyphenation, "_TRIES", {})
    chapters.load_hyphenation("de")
    assert list(pyphen.hdcache) == [pyphen.LANGUAGES[pyphen.language_fallback("de")]]
    assert len(hyphenation._TRIES) == 1
    chapters.load_hyphenation("xx-unknown")
    assert len(hyphenation._TRIES) == 1
