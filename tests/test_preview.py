"""octavo preview in a real browser: Debian's chromium driven by playwright (never a browser
playwright downloads). The page shows the chapter text, then the edited text after the
manuscript changes, without anyone reloading it; the print view shows the laid-out pages."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
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


# --------------------------------------------------------------------------- who is answered

# Every exchange is bounded: a server that hangs fails the test instead of stalling it.
REQUEST_TIMEOUT = 10.0


@dataclass(frozen=True)
class Served:
    process: subprocess.Popen[str]
    port: int
    stderr: Path
    folder: Path


def start_preview(target: Path, stderr: Path) -> Served:
    """``octavo preview TARGET --port 0``, its terminal output in ``stderr`` (a file, so a
    server that writes much never blocks on a full pipe)."""
    with stderr.open("w") as sink:
        process = subprocess.Popen([sys.executable, "-m", "octavo", "preview", str(target),
                                    "--port", "0"], stderr=sink, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", stderr.read_text())
        if m:
            return Served(process, int(m.group(1)), stderr, target)
        assert process.poll() is None, stderr.read_text()
        time.sleep(0.1)
    process.terminate()
    raise AssertionError("octavo preview did not start")


def stop_preview(served: Served) -> None:
    served.process.terminate()
    served.process.wait(timeout=30)


def exchange(port: int, target: str, host: str | None = "", method: str = "GET",
             headers: Sequence[str] = ()) -> tuple[int, dict[str, str], bytes]:
    """One raw request (``host``: "" for the server's own, None for no Host header) and its
    answer: status, headers, body."""
    lines = [f"{method} {target} HTTP/1.1"]
    if host is not None:
        lines.append(f"Host: {host or f'127.0.0.1:{port}'}")
    lines += [*headers, "Connection: close", "", ""]
    with socket.create_connection(("127.0.0.1", port), timeout=REQUEST_TIMEOUT) as sock:
        sock.sendall("\r\n".join(lines).encode("latin-1"))
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    fields = dict(line.split(": ", 1) for line in header_lines)
    return int(status_line.split()[1]), {k.lower(): v for k, v in fields.items()}, body


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A book with a picture, beside what it does not use: a dotfile, a cache, a picture no
    page shows, a link to a file outside, a secret in the folder above."""
    from PIL import Image

    from octavo.scaffold import scaffold_book

    base = tmp_path_factory.mktemp("hostile")
    book = base / "mybook"
    scaffold_book(book, "The Quiet Harbour", "Ada Writer", 2026)
    (base / "secret.txt").write_text("the secret beside the book\n")
    (book / ".env").write_text("TOKEN=secret\n")
    (book / ".octavo-cache").mkdir()
    (book / ".octavo-cache" / "pieces.json").write_text("{}")
    (book / "images").mkdir()
    Image.new("RGB", (8, 8), "red").save(book / "images" / "map.png")
    Image.new("RGB", (8, 8), "blue").save(book / "images" / "unused.png")
    (book / "link.txt").symlink_to(base / "secret.txt")
    chapter = book / "chapters" / "01-the-first-chapter.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n![A map](images/map.png)\n",
                       encoding="utf-8")
    served = start_preview(book, base / "stderr.txt")
    try:
        yield served
    finally:
        stop_preview(served)


def test_a_request_under_another_name_or_port_is_refused(hostile: Served) -> None:
    """DNS rebinding: a page of evil.example whose name now points at 127.0.0.1 still sends
    Host: evil.example; it gets nothing of the book."""
    port = hostile.port
    assert exchange(port, "/", host=f"localhost:{port}")[0] == 200
    for host in ("evil.example", f"evil.example:{port}", "127.0.0.1:1", f"localhost:{port + 1}",
                 f"127.0.0.1.evil.example:{port}", None):
        for target in ("/", "/book.toml", "/events?since=999999"):
            status, _headers, body = exchange(port, target, host=host)
            assert status == 403, (host, target, status)
            assert body == f"403 this preview answers only to http://127.0.0.1:{port}/\n".encode()
    status, _headers, _body = exchange(port, "/", host=None,
                                       headers=[f"Host: 127.0.0.1:{port}", "Host: evil.example"])
    assert status == 403


def test_another_sites_page_cannot_read_or_poll_the_preview(hostile: Served) -> None:
    port = hostile.port
    for headers in (["Origin: http://evil.example"], ["Origin: null"],
                    [f"Origin: http://127.0.0.1:{port + 1}"],
                    ["Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: cors",
                     "Sec-Fetch-Dest: empty"],
                    ["Sec-Fetch-Site: same-site", "Sec-Fetch-Mode: no-cors",
                     "Sec-Fetch-Dest: image"],
                    ["Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: navigate",
                     "Sec-Fetch-Dest: iframe"]):
        for target in ("/events?since=999999", "/style.css"):
            status, _fields, body = exchange(port, target, headers=headers)
            assert (status, body) == (403, b"403 requests from other sites are refused\n"), (
                headers, target)
    # The page's own requests, and a link to it followed from elsewhere, are answered; no
    # answer lets another origin read it, embed it or frame it.
    for headers in ([f"Origin: http://127.0.0.1:{port}", "Sec-Fetch-Site: same-origin"],
                    ["Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: navigate",
                     "Sec-Fetch-Dest: document"]):
        status, fields, body = exchange(port, "/", headers=headers)
        assert status == 200 and b"octavo-book" in body
        assert "access-control-allow-origin" not in fields
        assert fields["cross-origin-resource-policy"] == "same-origin"
        assert fields["x-frame-options"] == "DENY"
        assert fields["x-content-type-options"] == "nosniff"


def test_only_the_files_the_book_uses_are_served(hostile: Served) -> None:
    port = hostile.port
    status, _fields, page = exchange(port, "/")
    assert status == 200
    [image] = re.findall(r'<img src="([^"]+)" alt="A map"', page.decode())
    status, fields, data = exchange(port, image)
    assert (status, fields["content-type"], data) == (
        200, "image/png", (hostile.folder / "images" / "map.png").read_bytes())
    css = exchange(port, "/style.css")[2].decode()
    fonts = re.findall(r"url\((fonts/[^)]+)\)", css)
    assert fonts
    for font in fonts:
        assert exchange(port, "/" + font)[0] == 200, font
    for target in ("/book.toml", "/chapters/01-the-first-chapter.md", "/front/preface.md",
                   "/.env", "/.octavo-cache/pieces.json", "/.gitignore", "/images/unused.png",
                   "/link.txt", "/..%2fsecret.txt", "/%2e%2e/secret.txt", "/fonts/OFL.txt",
                   "/fonts/..%2f..%2fbook.toml", "//etc/passwd", "/print/page-0.png",
                   "/print/page--1.png"):
        status, _fields, body = exchange(port, target)
        assert status == 404, (target, status)
        assert b"secret" not in body and b"title" not in body


def test_malformed_requests_answer_400_or_405_and_never_a_traceback(hostile: Served) -> None:
    port = hostile.port
    for target in ("/%zz", "/%ff", "/a%00b", "/a%0ab", "/" + "a" * 5000,
                   "/events?since=abc", "/events?since=-1", "/events?since=" + "9" * 5000,
                   "/events?since=1&since=2", "/events?view=other", "/events?view=print&x=1",
                   "/events?since=%ff", "/?a=%00", "/?a&&b", "/?a=%zz",
                   "http://evil.example/book.toml", "*", "/caf\xe9"):
        status, fields, body = exchange(port, target)
        assert status == 400, (target, status)
        assert fields["content-type"] == "text/plain; charset=utf-8"
        assert body.startswith(b"400 ") and len(body) < 200
    for method in ("POST", "PUT", "DELETE", "OPTIONS", "HEAD", "BREW"):
        status, fields, _body = exchange(port, "/", method=method)
        assert (status, fields.get("allow")) == (405, "GET"), method
    assert exchange(port, "/")[0] == 200  # the server is still up
    assert "Traceback" not in hostile.stderr.read_text()
    assert "error" not in hostile.stderr.read_text()


def test_a_one_file_book_serves_nothing_of_its_folder(tmp_path: Path) -> None:
    (tmp_path / "story.md").write_text("# One\n\nThe text of the story.\n")
    (tmp_path / "diary.txt").write_text("a private diary\n")
    served = start_preview(tmp_path / "story.md", tmp_path / "stderr.txt")
    try:
        status, _fields, page = exchange(served.port, "/")
        assert status == 200 and b"The text of the story." in page
        for target in ("/diary.txt", "/story.md", "/stderr.txt"):
            assert exchange(served.port, target)[0] == 404, target
    finally:
        stop_preview(served)


def test_the_guard_rules_one_by_one() -> None:
    from octavo.preview_guard import (
        BadRequest,
        events_query,
        host_refusal,
        image_route,
        parse_target,
        print_page_number,
    )

    assert host_refusal(["LOCALHOST:8000"], 8000) is None
    assert host_refusal(["127.0.0.1"], 80) is None  # a browser leaves out port 80 only
    assert host_refusal(["127.0.0.1"], 8000) is not None
    assert host_refusal(["[::1]:8000"], 8000) is not None  # the server listens on IPv4 only
    target = parse_target("/fonts/EB%20Garamond.ttf?v=3")
    assert (target.path, target.query) == ("/fonts/EB Garamond.ttf", (("v", "3"),))
    assert events_query([("view", "print"), ("since", "12")]) == ("print", 12)
    assert events_query([]) == ("ebook", 0)
    with pytest.raises(BadRequest):
        events_query([("since", "1e3")])
    assert [print_page_number(p) for p in ("/print/page-7.png", "/print/page-07.png",
                                           "/print/page-0.png", "/print/page-7.png/x")] == [
        7, None, None, None]
    assert image_route(2, "../pictures/the map.PNG") == "/images/002-the-map.PNG"
    assert image_route(1, ".hidden.png") == "/images/001-hidden.png"
