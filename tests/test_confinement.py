"""A build reads only the book's folder and the theme's folder and never the network."""

from __future__ import annotations

import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from conftest import pdf_pages_text
from octavo.build import build
from octavo.config import load_settings
from octavo.errors import OctavoError
from octavo.model import Book, Chapter, Image, Link, Metadata, Paragraph, Text
from octavo.press.document import PdfOptions, confined_fetcher
from octavo.press.pieces import render_pdf
from octavo.themes import load_theme

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7"
       b"5\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(PNG)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server that records every request it gets (there must be none)."""
    _Recorder.requests = []
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", _Recorder.requests
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_pdf_with_network_links_css_and_images_fetches_nothing(
        tmp_path: Path, server: tuple[str, list[str]]) -> None:
    url, requests = server
    book = tmp_path / "book"
    theme = book / "house"
    shutil.copytree(load_theme("classic").path, theme)
    # The theme asks for the network and for a file outside both folders.
    (theme / "print.css").write_text(
        (theme / "print.css").read_text(encoding="utf-8")
        + f'\n@import url("{url}/import.css");\n'
        f'@font-face {{ font-family: Net; src: url("{url}/font.ttf"); }}\n'
        f'body {{ background-image: url("{url}/bg.png"); }}\n'
        'h1 { background-image: url("file:///etc/hostname"); }\n', encoding="utf-8")
    (book / "book.toml").write_text('title = "Net"\ntheme = "house"\n', encoding="utf-8")
    (book / "a.md").write_text(
        f"# One\n\nSee [the site]({url}/page) and <img src=\"{url}/raw.png\"> here.\n\n"
        f"<link rel=\"stylesheet\" href=\"{url}/x.css\">\n", encoding="utf-8")
    result = build(book, tmp_path / "out", ("pdf",))
    text = "".join(pdf_pages_text(result.outputs["pdf"]))
    assert "See the site and" in text.replace("\n", " ").replace("\r", "")
    assert f"<img src=\u201c{url}/raw.png\u201d>" in text  # raw HTML is text
    assert requests == []


def test_an_image_from_the_network_is_refused_before_any_fetch(
        tmp_path: Path, server: tuple[str, list[str]]) -> None:
    url, requests = server
    (tmp_path / "a.md").write_text(f"# One\n\n![a dot]({url}/x.png)\n", encoding="utf-8")
    with pytest.raises(OctavoError, match="never fetches from the network") as err:
        build(tmp_path / "a.md", tmp_path / "out", ("pdf",))
    assert err.value.line == 3
    assert requests == []
    assert not (tmp_path / "out").exists()


def test_the_pdf_backend_itself_fetches_no_network_image(
        tmp_path: Path, server: tuple[str, list[str]]) -> None:
    """Below the build's own check: a Book handed straight to the backend."""
    url, requests = server
    book = Book(Metadata("T"), body=(Chapter((Text("One"),), 1, (
        Paragraph((Text("Before."), Link(f"{url}/l", (Text("link"),)))),
        Image(f"{url}/x.png", "a dot"),
        Image("/etc/hostname", "outside"),
        Paragraph((Text("After."),)),
    )),))
    result = render_pdf(book, PdfOptions(theme=load_theme("classic"), allowed_roots=(tmp_path,)))
    assert "After." in "".join(pdf_pages_text(result.data))
    assert requests == []


def test_the_fetcher_refuses_network_and_out_of_tree_urls(tmp_path: Path) -> None:
    inside = tmp_path / "book"
    inside.mkdir()
    (inside / "ok.css").write_text("p {}", encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("secret", encoding="utf-8")
    (inside / "link.css").symlink_to(secret)
    fetch = confined_fetcher((inside,)).fetch
    assert fetch((inside / "ok.css").as_uri()) is not None
    for url in ("http://127.0.0.1:9/x.png", "https://example.org/", "ftp://example.org/x",
                secret.as_uri(), (inside / "link.css").as_uri(),
                (inside / ".." / "secret.txt").as_uri(), "file:///etc/hostname"):
        with pytest.raises(ValueError, match="refusing"):
            fetch(url)


# ---------------------------------------------------------------- names that leave the folder


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A book folder with a file beside it (outside) that nothing may read."""
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "a.txt").write_text("Text.\n", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("Secret.\n", encoding="utf-8")
    (tmp_path / "secret.png").write_bytes(PNG)
    return tmp_path


@pytest.mark.parametrize("toml", [
    'files = ["../secret.txt"]',
    'files = ["{root}/secret.txt"]',
    'files = ["link.txt"]',
    'cover = "../secret.png"',
    'cover = "{root}/secret.png"',
    'cover = "link.png"',
    '[back_matter]\nacknowledgements = "../secret.txt"',
    '[back_matter]\nabout_the_author = "link.txt"',
])
def test_book_toml_names_outside_the_folder_are_refused(outside: Path, toml: str) -> None:
    book = outside / "book"
    for link in ("link.txt", "link.png"):
        if link in toml:
            (book / link).symlink_to(outside / f"secret{Path(link).suffix}")
    (book / "book.toml").write_text(toml.format(root=outside) + "\n", encoding="utf-8")
    with pytest.raises(OctavoError, match="outside the book's folder") as err:
        build(book, outside / "out", ("epub",))
    assert err.value.path == str(book / "book.toml")
    assert not (outside / "out").exists()


def test_a_manuscript_file_linking_out_of_the_folder_is_refused(outside: Path) -> None:
    (outside / "book" / "b.txt").symlink_to(outside / "secret.txt")
    with pytest.raises(OctavoError, match=r"'b\.txt' links outside the book's folder"):
        load_settings(outside / "book")


@pytest.mark.parametrize("src", ["../secret.png", "{root}/secret.png", "link.png",
                                 "data:image/png;base64,AAAA", "//example.org/x.png"])
def test_images_outside_the_folder_are_refused(outside: Path, src: str) -> None:
    book = outside / "book"
    (book / "link.png").symlink_to(outside / "secret.png")
    (book / "a.txt").unlink()
    (book / "a.md").write_text(f"# One\n\nText.\n\n![alt]({src.format(root=outside)})\n",
                               encoding="utf-8")
    with pytest.raises(OctavoError, match=r"outside the book's folder|never fetches") as err:
        build(book, outside / "out", ("epub",))
    assert (err.value.path, err.value.line) == (str(book / "a.md"), 5)


def test_a_theme_outside_the_folder_or_linking_out_of_its_own_is_refused(outside: Path) -> None:
    book = outside / "book"
    shutil.copytree(load_theme("classic").path, outside / "elsewhere")
    (book / "book.toml").write_text('theme = "../elsewhere"\n', encoding="utf-8")
    with pytest.raises(OctavoError, match=r"theme '\.\./elsewhere' is outside the book's folder"):
        build(book, outside / "out", ("epub",))
    shutil.copytree(load_theme("classic").path, book / "house")
    font = next((book / "house" / "fonts").glob("*.ttf"))
    font.unlink()
    font.symlink_to(outside / "secret.txt")
    (book / "book.toml").write_text('theme = "house"\n', encoding="utf-8")
    with pytest.raises(OctavoError, match="links outside the theme's folder"):
        build(book, outside / "out", ("epub",))
    assert not (outside / "out").exists()
