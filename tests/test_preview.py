"""octavo preview in a real browser: Debian's chromium driven by playwright (never a browser
playwright downloads). The page shows the chapter text, then the edited text after the
manuscript changes, without anyone reloading it; the print view shows the laid-out pages."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Chromium as root in CI: no sandbox, no GPU, and nothing that reaches the network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-dev-shm-usage"]
# Generous bounds for a busy machine: waits end as soon as the page is ready.
WAIT_MS = 120_000


@pytest.fixture()
def preview(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A new book served by ``octavo preview --port 0``: (its address, its folder)."""
    from octavo.scaffold import scaffold_book

    book = tmp_path / "mybook"
    scaffold_book(book, "The Quiet Harbour", "Ada Writer", 2026)
    process = subprocess.Popen([sys.executable, "-m", "octavo", "preview", str(book),
                                "--port", "0"], stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        m = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert m, line
        yield m.group(0), book
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture()
def browser() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("no chromium: scripts/test-deps.sh installs it")
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def test_the_server_listens_on_loopback_only(preview: tuple[str, Path]) -> None:
    url, _book = preview
    assert url.startswith("http://127.0.0.1:")
    with urllib.request.urlopen(url + "style.css") as response:
        assert b"@font-face" in response.read()
    with pytest.raises(urllib.error.HTTPError):  # nothing outside the book's folder
        urllib.request.urlopen(url + "..%2f..%2fetc%2fpasswd")


def test_preview_shows_the_book_and_reloads_on_a_change(
    preview: tuple[str, Path], browser: object
) -> None:
    url, book = preview
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(url)
    book_text = page.locator("#octavo-book")
    assert "The First Chapter" in book_text.inner_text()
    assert "Each chapter is a Markdown file" in book_text.inner_text()
    # The theme's ebook stylesheet styles the page (its face, not the browser's default).
    family = page.evaluate("getComputedStyle(document.querySelector('#octavo-book p'))"
                           ".fontFamily")
    assert "Garamond" in family

    chapter = book / "chapters" / "01-the-first-chapter.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace(
        "Paragraphs are separated", "The lighthouse keeper counted seventeen gulls. Paragraphs "
        "are separated"), encoding="utf-8")
    page.get_by_text("The lighthouse keeper counted seventeen gulls.").wait_for(timeout=WAIT_MS)
    assert "seventeen gulls" in page.locator("#octavo-book").inner_text()


def test_print_view_shows_the_laid_out_pages(preview: tuple[str, Path], browser: object) -> None:
    url, _book = preview
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(url + "print")
    first = page.locator("#octavo-print img").first
    first.wait_for(timeout=WAIT_MS)
    page.wait_for_function("document.querySelector('#octavo-print img').naturalWidth > 0",
                           timeout=WAIT_MS)
    count = page.locator("#octavo-print img").count()
    assert count >= 10  # half title, title, copyright, contents, chapters: a real book
    width, height = page.evaluate(
        "[document.querySelector('#octavo-print img').naturalWidth,"
        " document.querySelector('#octavo-print img').naturalHeight]")
    assert abs(height / width - 9 / 6) < 0.01  # a 6 × 9 in page
