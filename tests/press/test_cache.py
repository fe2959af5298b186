"""The chapter cache binds each entry to its key (an entry moved, copied or swapped to another
key's place is a miss, never an answer), keys every entry on the code that laid it out, and is
kept out of the checkout in tests."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from test_pieces import options, texts

import octavo
from conftest import ROOT, SEEDS, Built
from octavo.model import Book
from octavo.normalize import normalize
from octavo.press import cache as cache_module
from octavo.press import provenance
from octavo.press.cache import ChapterCache, _decode
from octavo.press.document import PdfOptions
from octavo.press.pieces import LayoutCount, PdfResult, render_pdf_in_pieces
from octavo.themes import Theme, load_theme
from printbooks import sample_book

PACKAGE = Path(octavo.__file__).resolve().parent


@pytest.fixture(scope="module")
def book() -> Book:
    normalized, _ = normalize(sample_book("en"))
    return normalized


@dataclass(frozen=True)
class Cold:
    """The book laid out from scratch into an empty cache, in a copy of the classic theme
    (which a test may edit, and put back): what it gave, what it laid out, and the cache."""
    theme: Theme
    result: PdfResult
    count: LayoutCount
    cache: Path

    def options(self) -> PdfOptions:
        return replace(options(), theme=self.theme)

    def cache_copy(self, folder: Path) -> ChapterCache:
        """A cache holding what this layout wrote, for one test to read, damage or add to."""
        shutil.copytree(self.cache, folder)
        return ChapterCache(folder)


@pytest.fixture(scope="module")
def cold(book: Book, tmp_path_factory: pytest.TempPathFactory) -> Cold:
    """The layout every cache test starts from, made once (each is the book in full)."""
    folder = tmp_path_factory.mktemp("cache-cold")
    theme = _theme_copy(folder)
    count = LayoutCount()
    result = render_pdf_in_pieces(book, replace(options(), theme=theme),
                                  ChapterCache(folder / "cache"), count, workers=1)
    return Cold(theme, result, count, folder / "cache")


@contextlib.contextmanager
def theme_edited(theme: Theme, *edits: tuple[str, str]) -> Iterator[None]:
    """The theme's print.css with ``edits`` (old, new) made, put back as it was after."""
    sheet = theme.path / "print.css"
    before = sheet.read_text(encoding="utf-8")
    try:
        for old, new in edits:
            _edit_print_css(theme, old, new)
        yield
    finally:
        sheet.write_text(before, encoding="utf-8")


def test_an_entry_found_under_another_key_is_a_miss(tmp_path: Path) -> None:
    cache = ChapterCache(tmp_path)
    one, two = ChapterCache.key_of("one"), ChapterCache.key_of("two")
    cache.put_bytes(one, b"the first chapter's pages")
    cache.put_bytes(two, b"the second chapter's pages")
    first, second = cache._path(one), cache._path(two)
    first_bytes, second_bytes = first.read_bytes(), second.read_bytes()
    # Swapped on disk: each file holds a sound entry, of the other key.
    first.write_bytes(second_bytes)
    second.write_bytes(first_bytes)
    assert cache.get_bytes(one) is None and cache.get_bytes(two) is None
    # Copied over another: the same.
    first.write_bytes(first_bytes)
    second.write_bytes(first_bytes)
    assert cache.get_bytes(one) == b"the first chapter's pages"
    assert cache.get_bytes(two) is None
    # What is remembered under the copied key is made again, and kept right.
    assert cache.remembered(two, lambda: b"made again") == b"made again"
    assert cache.get_bytes(two) == b"made again"


def test_swapped_chapter_entries_are_laid_out_again(book: Book, cold: Cold,
                                                    tmp_path: Path) -> None:
    cache = cold.cache_copy(tmp_path / "cache")
    pieces = []
    for entry in sorted(p for p in (tmp_path / "cache").rglob("*") if p.is_file()):
        laid = _decode(entry.read_bytes()[64:])
        if laid is not None and laid.pages > 0:
            pieces.append((entry, laid))
    assert len(pieces) >= 3
    (one, laid_one), (two, laid_two) = pieces[0], pieces[1]
    assert laid_one.texts != laid_two.texts
    one_bytes, two_bytes = one.read_bytes(), two.read_bytes()
    one.write_bytes(two_bytes)
    two.write_bytes(one_bytes)
    count = LayoutCount()
    warm = render_pdf_in_pieces(book, cold.options(), cache, count, workers=1)
    assert texts(warm.data) == texts(cold.result.data)  # each chapter's pages where they belong
    assert warm.data == cold.result.data
    assert count.pieces + count.front == 2  # the two swapped were laid out again
    again = LayoutCount()
    render_pdf_in_pieces(book, cold.options(), cache, again, workers=1)  # and rewritten
    assert (again.pieces, again.front, again.layer) == (0, 0, 0)


def test_pages_laid_out_by_other_code_are_never_reused(
        book: Book, cold: Cold, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = cold.cache_copy(tmp_path / "cache")
    first = cold.count
    monkeypatch.setattr(cache_module, "code_digest", lambda: "octavo as edited since")
    other = LayoutCount()
    render_pdf_in_pieces(book, cold.options(), cache, other, workers=1)
    assert (other.pieces, other.front, other.layer, other.probe) == (
        first.pieces, first.front, 1, first.probe)


def _copy_of_octavo(into: Path) -> Path:
    copy = into / "octavo"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_the_source_digest_follows_every_source(tmp_path: Path) -> None:
    copy = _copy_of_octavo(tmp_path)
    original = provenance.source_digest(PACKAGE)
    assert provenance.source_digest(copy) == original  # where it is installed is no matter
    linebreak = copy / "press" / "linebreak.py"
    text = linebreak.read_text()
    linebreak.write_text(text.replace("def ", "def  ", 1))
    assert provenance.source_digest(copy) != original
    linebreak.write_text(text)
    (copy / "press" / "spreads.py").rename(copy / "press" / "spreads2.py")
    assert provenance.source_digest(copy) != original


def test_a_key_changes_with_the_installed_layout_code(tmp_path: Path) -> None:
    """octavo copied elsewhere and run from there: the same key; one line of its line
    breaking edited: another key."""
    copy = _copy_of_octavo(tmp_path / "src")
    script = "from octavo.press.cache import ChapterCache; print(ChapterCache.key_of('piece'))"
    environment = {**os.environ, "PYTHONPATH": str(tmp_path / "src")}

    def key() -> str:
        return subprocess.run([sys.executable, "-c", script], env=environment, check=True,
                              capture_output=True, text=True).stdout.strip()

    assert key() == ChapterCache.key_of("piece")
    spreads = copy / "press" / "spreads.py"
    spreads.write_text(spreads.read_text() + "\n# laid out otherwise\n")
    assert key() != ChapterCache.key_of("piece")


def test_the_libraries_are_the_ones_weasyprint_lays_out_with() -> None:
    import fontTools
    import pikepdf
    import pydyf
    import pyphen
    import weasyprint
    from weasyprint.text.ffi import harfbuzz, pango

    assert [provenance.package_version(m, d) for m, d in provenance.PACKAGES] == [
        weasyprint.__version__, pydyf.__version__, fontTools.version, pikepdf.__version__,
        pyphen.__version__]
    (pango_names, pango_function), (hb_names, hb_function) = provenance.LIBRARIES
    major, minor, micro = map(int, provenance.library_version(pango_names, pango_function)
                              .split("."))
    assert pango.pango_version() == major * 10000 + minor * 100 + micro
    major, minor, micro = map(int, provenance.library_version(hb_names, hb_function).split("."))
    assert harfbuzz.hb_version_atleast(major, minor, micro)
    assert not harfbuzz.hb_version_atleast(major, minor, micro + 1)


def test_a_test_build_keeps_its_cache_outside_the_checkout(seed_build: Built) -> None:
    folder = cache_module.cache_folder(SEEDS).resolve()
    assert not folder.is_relative_to(ROOT)
    assert any(path.is_file() for path in folder.rglob("*"))  # the seed build's entries


def test_a_font_or_picture_replaced_under_its_name_changes_the_key(tmp_path: Path) -> None:
    from octavo.press.chapters import Piece, Stylesheets

    (tmp_path / "fonts").mkdir()
    face, picture = tmp_path / "fonts" / "Face.ttf", tmp_path / "plate.png"
    face.write_bytes(b"first face")
    picture.write_bytes(b"first picture")
    base = str(tmp_path) + "/"
    css = Stylesheets(((
        '@font-face { font-family: F; src: url("fonts/Face.ttf"); }', base),), base,
        (tmp_path,), 0)
    piece = Piece('<section><img src="plate.png" alt=""/></section>')
    before = ChapterCache.key(piece, css, None, "")
    face.write_bytes(b"second face")
    after_face = ChapterCache.key(piece, css, None, "")
    picture.write_bytes(b"second picture, longer")
    after_picture = ChapterCache.key(piece, css, None, "")
    assert len({before, after_face, after_picture}) == 3


def _theme_copy(into: Path) -> Theme:
    folder = into / "theme"
    shutil.copytree(load_theme("classic").path, folder)
    return Theme("edited", folder)


def _edit_print_css(theme: Theme, old: str, new: str) -> None:
    sheet = theme.path / "print.css"
    text = sheet.read_text(encoding="utf-8")
    assert old in text
    sheet.write_text(text.replace(old, new), encoding="utf-8")


# The running head of every verso and the folio of every recto, changed in the theme.
VERSO_HEAD = "@top-center { content: string(verso-head);"
RECTO_FOLIO = "@top-right { content: counter(folio);"


def test_a_margin_only_theme_edit_lays_out_no_chapter_again(book: Book, cold: Cold,
                                                            tmp_path: Path) -> None:
    cache = cold.cache_copy(tmp_path / "cache")
    first, before = cold.count, cold.result
    assert first.pieces >= 3
    with theme_edited(cold.theme, (VERSO_HEAD, '@top-center { content: "Verso Mark";'),
                      (RECTO_FOLIO, "@top-right { content: counter(folio, upper-roman);")):
        count = LayoutCount()
        warm = render_pdf_in_pieces(book, cold.options(), cache, count, workers=1)
        # The same bytes as the edited theme's pages laid out from scratch.
        fresh = render_pdf_in_pieces(book, cold.options(), None, LayoutCount(), workers=1)
    assert count.pieces == 0  # every chapter from the cache
    assert count.layer == 1  # the running heads and folios drawn anew
    assert cache.hits >= first.pieces
    pages = texts(warm.data)
    assert any("Verso Mark" in page for page in pages)
    assert not any("Verso Mark" in page for page in texts(before.data))
    # The rectos' folios in roman figures (the versos' and the openers' stay arabic).
    last_words = [page.split()[-1] for page in pages if page]
    assert "IX" in last_words and "9" not in last_words
    assert "9" in [page.split()[-1] for page in texts(before.data) if page]
    assert warm.data == fresh.data


def test_a_body_theme_edit_lays_every_chapter_out_again(book: Book, cold: Cold,
                                                        tmp_path: Path) -> None:
    cache = cold.cache_copy(tmp_path / "cache")
    count = LayoutCount()
    with theme_edited(cold.theme, ("html { font-size: 11pt; }", "html { font-size: 11.5pt; }")):
        render_pdf_in_pieces(book, cold.options(), cache, count, workers=1)
    assert count.pieces >= cold.count.pieces


@pytest.mark.parametrize(("edit", "same"), [
    # Only the margin layer reads these.
    ("@page :left { @top-left { content: counter(folio, upper-roman); } }", True),
    ('@page chapter:first { @bottom-center { content: "—" counter(folio) "—"; } }', True),
    # What can move a line or a page.
    ("@page :left { margin-left: 1in; }", False),
    ("@page { @footnote { margin-top: 2em; } }", False),
    ("p { letter-spacing: 0.01em; }", False),
    ("@media print { @page { @top-left { content: none; } } }", False),
    # A margin box that might outrank the pieces' emptying keeps every margin rule in the key.
    ("@page :nth(2) { @top-left { content: 'x' !important; } }", False),
])
def test_a_body_piece_is_keyed_on_all_but_its_margin_boxes(edit: str, same: bool) -> None:
    from octavo.press.chapters import Piece, Stylesheets
    from octavo.press.join import NO_MARGIN_BOXES_CSS

    theme = load_theme("classic")
    base = str(theme.path) + "/"

    def key(extra: str, laid_with: str = NO_MARGIN_BOXES_CSS) -> str:
        css = Stylesheets(((theme.print_css + extra, base),), base, (theme.path,), 0)
        return ChapterCache.key(Piece("<section><p>Words.</p></section>"), css, None,
                                laid_with)

    assert (key(edit) == key("")) is same
    # The front matter prints margin boxes of its own: keyed on every rule.
    assert key(edit, "") != key("", "")
