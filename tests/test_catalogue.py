"""Catalogue builds: several books in one command, on a local process pool or a Dask cluster,
each book's files written by the client into a folder of its own."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import SEEDS, epubcheck_messages, pdf_pages_text
from epub_reading import letters, open_package, reading_stream
from octavo.catalogue import (
    BookOutcome,
    book_targets,
    build_bundle,
    build_catalogue,
    build_to_bytes,
    bundle_book,
    longest_first,
    write_outcome,
)
from octavo.errors import OctavoError

OCTAVO = [sys.executable, "-m", "octavo"]


def small_book(folder: Path, title: str, words: str) -> Path:
    """A book folder of two short chapters: a few pages to lay out."""
    folder.mkdir(parents=True)
    (folder / "book.toml").write_text(f'title = "{title}"\nauthor = "Ada Ferrer"\n',
                                      encoding="utf-8")
    (folder / "text.md").write_text(f"# One\n\n{words} in the first chapter.\n\n"
                                    f"# Two\n\n{words} in the second chapter.\n",
                                    encoding="utf-8")
    return folder


def epub_text(path: Path) -> str:
    return letters(" ".join(text for _, text in reading_stream(open_package(path))))


# --------------------------------------------------------------------------- which books


def test_a_folder_of_book_folders_is_a_catalogue(tmp_path: Path) -> None:
    shelf = tmp_path / "shelf"
    small_book(shelf / "b-second", "Second", "Rain")
    small_book(shelf / "a-first", "First", "Lamps")
    (shelf / "c-loose").mkdir()
    (shelf / "c-loose" / "story.txt").write_text("A manuscript alone is a book too.\n")
    (shelf / "notes").mkdir()  # neither a book nor holding books: not one of the catalogue's
    small_book(shelf / ".hidden", "Hidden", "Dust")
    (shelf / "README.md").write_text("Not a manuscript.\n")
    assert book_targets([shelf]) == (shelf / "a-first", shelf / "b-second", shelf / "c-loose")


def test_a_book_folder_a_file_and_a_repeated_path_are_one_book_each(tmp_path: Path) -> None:
    book = small_book(tmp_path / "book", "Book", "Words")
    (book / "chapters").mkdir()  # a book's own subfolders never make it a catalogue
    lone = tmp_path / "lone.txt"
    lone.write_text("Once.\n")
    assert book_targets([book, lone, tmp_path / "book" / ".." / "book"]) == (book, lone)
    missing = tmp_path / "missing"
    assert book_targets([missing]) == (missing,)  # building it says why


def test_the_longest_books_are_started_first(tmp_path: Path) -> None:
    short = small_book(tmp_path / "short", "Short", "Rain")
    long = small_book(tmp_path / "long", "Long", "Rain " * 400)
    lone = tmp_path / "lone.txt"
    lone.write_text("Rain fell. " * 100)
    same = tmp_path / "same.txt"
    same.write_text("Rain fell. " * 100)
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "book.toml").write_text('title = "x\n')  # fails when built, and says why then
    assert longest_first([broken, short, same, lone, long]) == (long, same, lone, short, broken)


# --------------------------------------------------------------------------- on this machine


def test_no_cache_reaches_each_book_of_a_catalogue(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    import octavo.catalogue
    from octavo.cli import main

    asked: list[bool] = []

    def build_catalogue(*args: object) -> Iterator[object]:
        asked.append(bool(args[5]))
        return iter(())

    monkeypatch.setattr(octavo.catalogue, "build_catalogue", build_catalogue)
    shelf = tmp_path / "shelf"
    small_book(shelf / "a", "A", "Rain")
    small_book(shelf / "b", "B", "Lamps")
    for flags in (["--no-cache"], []):
        result = CliRunner().invoke(main, ["build", str(shelf), "-o", str(tmp_path / "out"),
                                           *flags])
        assert result.exit_code == 0, result.output
    assert asked == [False, True]
    # And a book's build without it keeps no cache at all.
    monkeypatch.delenv("OCTAVO_CACHE_DIR", raising=False)
    book = small_book(tmp_path / "kept", "Kept", "Rain")
    assert build_to_bytes(book, ("pdf",), "kept", cache=False).error is None
    assert not (book / ".octavo-cache").exists()
    assert build_to_bytes(book, ("pdf",), "kept").error is None
    assert (book / ".octavo-cache").is_dir()



def test_a_catalogue_builds_each_book_into_its_own_folder(tmp_path: Path) -> None:
    shelf = tmp_path / "shelf"
    small_book(shelf / "lamps", "The Lantern House", "The lamp burned low")
    small_book(shelf / "rain", "Rain on the Orchard", "Rain pressed against the window")
    (shelf / "broken").mkdir()
    (shelf / "broken" / "book.toml").write_text('title = "x\n')
    out = tmp_path / "out"
    result = subprocess.run([*OCTAVO, "build", str(shelf), "-o", str(out), "--jobs", "2"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 1, result.stderr
    errors = [ln for ln in result.stderr.splitlines() if "error" in ln]
    assert errors[0].startswith(f"octavo: error: {shelf / 'broken'}: ")
    assert "invalid TOML" in errors[0]
    assert errors[-1] == "octavo: error: 1 of 3 books failed"
    assert "Traceback" not in result.stderr
    assert "building books" in result.stderr  # the progress display
    assert sorted(p.name for p in out.iterdir()) == ["rain-on-the-orchard", "the-lantern-house"]
    for slug, words in (("the-lantern-house", "thelampburnedlow"),
                        ("rain-on-the-orchard", "rainpressedagainstthewindow")):
        epub, pdf = out / slug / f"{slug}.epub", out / slug / f"{slug}.pdf"
        assert f"{epub}\n" in result.stdout and f"{pdf} (" in result.stdout
        assert epub_text(epub).count(words) == 2
        assert letters(" ".join(pdf_pages_text(pdf))).count(words) == 2
    assert epubcheck_messages(out / "the-lantern-house" / "the-lantern-house.epub") == []


def test_quiet_keeps_a_failed_books_error(tmp_path: Path) -> None:
    lone = tmp_path / "lone.txt"
    lone.write_text("Once upon a time.\n")
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    result = subprocess.run([*OCTAVO, "build", str(lone), str(empty), "-o",
                             str(tmp_path / "out"), "--format", "epub", "-q"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"octavo: error: {empty}: the manuscript is empty; "
        "fix: write some text in it, or remove it from the book",
        "octavo: error: 1 of 2 books failed"]
    assert result.stdout == f"{tmp_path / 'out' / 'lone' / 'lone.epub'}\n"


def test_two_books_with_one_title_are_not_written_over_each_other(tmp_path: Path) -> None:
    taken: dict[str, str] = {}
    first = BookOutcome("a", "same", {"same.epub": b"a"})
    second = BookOutcome("b", "same", {"same.epub": b"b"})
    assert write_outcome(first, tmp_path, True, taken).paths == (tmp_path / "same" / "same.epub",)
    refused = write_outcome(second, tmp_path, True, taken)
    assert refused.paths == () and refused.outcome.error is not None
    assert "same title as a" in refused.outcome.error
    assert (tmp_path / "same" / "same.epub").read_bytes() == b"a"


def test_a_book_built_by_another_octavo_is_not_written(tmp_path: Path) -> None:
    other = BookOutcome("a", "a", {"a.epub": b"x"}, version="0.0.0-elsewhere")
    refused = write_outcome(other, tmp_path, False, {})
    assert refused.outcome.error is not None and "0.0.0-elsewhere" in refused.outcome.error
    assert not (tmp_path / "a.epub").exists()


# --------------------------------------------------------------------------- books as data


def test_a_book_travels_as_its_folders_files(tmp_path: Path) -> None:
    book = small_book(tmp_path / "book", "Book", "Words")
    (book / "art").mkdir()
    (book / "art" / "map.png").write_bytes(b"png")
    (book / ".octavo-cache").mkdir()
    (book / ".octavo-cache" / "entry").write_bytes(b"cache")
    (book / "build").mkdir()
    (book / "build" / "book.epub").write_bytes(b"old output")
    bundle = bundle_book(book, exclude=(book / "build",))
    assert sorted(bundle.files) == ["art/map.png", "book.toml", "text.md"]
    assert bundle.target == "." and bundle.origin == str(book)
    lone = bundle_book(book / "text.md")
    assert sorted(lone.files) == ["text.md"] and lone.target == "text.md"
    with pytest.raises(OctavoError, match="too much to send"):
        bundle_book(book, limit=10)


def test_a_theme_outside_the_book_cannot_be_sent(tmp_path: Path) -> None:
    theme = tmp_path / "house-theme"
    theme.mkdir()
    (theme / "theme.css").write_text("p { margin: 0; }\n")
    book = small_book(tmp_path / "book", "Book", "Words")
    (book / "book.toml").write_text('title = "Book"\ntheme = "../house-theme"\n')
    with pytest.raises(OctavoError, match="outside the book's folder"):
        bundle_book(book)


@pytest.fixture
def clock_from_files(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No SOURCE_DATE_EPOCH: the outputs' dates come from the files' own."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    yield


def test_a_worker_builds_from_the_data_what_the_folder_gives(tmp_path: Path,
                                                             clock_from_files: None) -> None:
    book = small_book(tmp_path / "book", "Book", "Words")
    os.utime(book / "text.md", (1_700_000_000, 1_700_000_000))
    os.utime(book / "book.toml", (1_600_000_000, 1_600_000_000))
    here = build_to_bytes(book, ("epub",), str(book))
    there = build_bundle(bundle_book(book), ("epub",))
    assert here.error is None and there.error is None
    assert there.files == here.files  # the same bytes, dates included


def test_a_workers_messages_name_the_clients_files(tmp_path: Path) -> None:
    book = tmp_path / "book"
    book.mkdir()
    (book / "book.toml").write_text('title = "Book"\n')
    (book / "empty.md").write_text("")
    outcome = build_bundle(bundle_book(book), ("epub",))
    assert outcome.error == (f"{book / 'empty.md'}: the manuscript is empty; "
                             "fix: write some text in it, or remove it from the book")


def test_without_dask_the_scheduler_option_says_what_to_install(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "dask.distributed", None)  # as if not installed
    with pytest.raises(OctavoError, match=r"pip install 'octavo\[cluster\]'"):
        list(build_catalogue([SEEDS, SEEDS], tmp_path, ("epub",), scheduler="tcp://x:8786"))


# --------------------------------------------------------------------------- on a Dask cluster


class _FakeFuture:
    def __init__(self, key: str, outcome: BookOutcome) -> None:
        self.key, self.outcome = key, outcome

    def result(self) -> BookOutcome:
        return self.outcome


class _FakeCluster:
    """A client of two one-thread workers whose books finish in the order ``finish`` says."""

    def __init__(self, finish: list[str]) -> None:
        self.finish = finish
        self.sent: dict[str, str] = {}  # book -> the worker its files were sent to

    def Client(self, *_args: object, **_kwargs: object) -> _FakeCluster:
        return self

    def __enter__(self) -> _FakeCluster:
        return self

    def __exit__(self, *_exc: object) -> None:
        pass

    def nthreads(self) -> dict[str, int]:
        return {"tcp://w2": 1, "tcp://w1": 1}

    def scatter(self, bundle: object, **options: object) -> object:
        workers = options["workers"]
        assert isinstance(workers, list) and len(workers) == 1
        self.sent[Path(bundle.name).name] = workers[0]  # type: ignore[attr-defined]
        return bundle

    def submit(self, _fn: object, bundle: object, *_args: object, key: str,
               pure: bool) -> _FakeFuture:
        return _FakeFuture(key, BookOutcome(bundle.name, error="not built"))  # type: ignore[attr-defined]

    def wait(self, futures: list[_FakeFuture], return_when: str) -> tuple[set[object], set[object]]:
        first = min(futures, key=lambda f: self.finish.index(Path(f.outcome.name).name))
        return {first}, set(futures) - {first}


def test_a_cluster_gets_each_book_on_a_worker_with_a_thread_free(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The longest book on one worker, then the short ones each on the worker that finished
    # last: none queued behind the long book while the other worker has nothing to do.
    books = [small_book(tmp_path / name, name, "Rain " * size)
             for name, size in (("long", 900), ("short", 30), ("shorter", 20), ("least", 1))]
    cluster = _FakeCluster(finish=["short", "shorter", "least", "long"])
    monkeypatch.setattr("octavo.catalogue.importlib.import_module", lambda _name: cluster)
    list(build_catalogue(books, tmp_path / "out", ("epub",), scheduler="tcp://fake:8786"))
    long_worker = cluster.sent["long"]
    assert cluster.sent["short"] != long_worker
    assert cluster.sent["shorter"] == cluster.sent["least"] == cluster.sent["short"]



def test_a_dask_cluster_builds_two_books(tmp_path: Path) -> None:
    distributed = pytest.importorskip("dask.distributed")
    lamps = small_book(tmp_path / "lamps", "The Lantern House", "The lamp burned low")
    rain = tmp_path / "rain-on-the-orchard.txt"
    rain.write_text("Rain pressed against the window.\n\nNobody spoke.\n", encoding="utf-8")
    out = tmp_path / "out"
    # ":0": any free port for the scheduler's web server, never a fixed one another run holds.
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=":0") as cluster:
        written = list(build_catalogue([lamps, rain], out, ("epub", "pdf"),
                                       scheduler=cluster.scheduler_address))
    assert [w.outcome.error for w in written] == [None, None]
    assert sorted(str(p.relative_to(out)) for w in written for p in w.paths) == [
        "rain-on-the-orchard/rain-on-the-orchard.epub",
        "rain-on-the-orchard/rain-on-the-orchard.pdf",
        "the-lantern-house/the-lantern-house.epub",
        "the-lantern-house/the-lantern-house.pdf"]
    pdf = out / "the-lantern-house" / "the-lantern-house.pdf"
    assert letters(" ".join(pdf_pages_text(pdf))).count("thelampburnedlow") == 2
    epub = out / "rain-on-the-orchard" / "rain-on-the-orchard.epub"
    assert "rainpressedagainstthewindow" in epub_text(epub)
    # The cluster's book is byte for byte the one this machine makes.
    local = build_to_bytes(rain, ("epub", "pdf"), str(rain))
    assert local.files == {p.name: p.read_bytes() for p in (out / "rain-on-the-orchard").iterdir()}
