"""``octavo preview``: the book in a browser while it is written.

A small HTTP server on 127.0.0.1 (never another interface) serves the book as the theme's
ebook HTML, made by the one serializer (``render/html.py``) with the theme's ebook stylesheet
and fonts, and a print view: PNG pages of the PDF WeasyPrint lays out, as ``octavo proof``
draws them. A watcher (watchfiles) re-reads the book when a manuscript file, book.toml or the
theme changes; open pages long-poll ``/events`` and reload when the book's version moves on.

Only the author's browser is answered, and only with what the page uses (``preview_guard``):
the server's own Host, no other site's Origin, GET, well-formed paths and queries.

The print view is laid out again, whole, after each change, and only while someone has it
open: re-setting only the changed chapter waits for the chapter cache.
"""

from __future__ import annotations

import contextlib
import json
import mimetypes
import socket
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import cast

from .build import pdf_options
from .errors import OctavoError
from .images import is_svg, sanitise_svg
from .loaded import LoadedBook, load
from .preview_guard import (
    Assets,
    BadRequest,
    Refusal,
    book_assets,
    events_query,
    fetch_refusal,
    host_refusal,
    method_refusal,
    parse_target,
    print_page_number,
)
from .render.html import (
    HtmlOptions,
    book_sections,
    collect_notes,
    escape,
    note_numbers,
    render_chapter,
    render_part_title,
)

HOST = "127.0.0.1"
# How long an /events request waits for a change before it answers "no change" (the page
# asks again at once): short enough for proxies and browsers never to give up on it.
LONG_POLL_SECONDS = 20.0
# Folders a build or an editor writes into: changes there are not the author's.
IGNORED_DIRS = frozenset({"build", ".octavo-cache", ".git", "__pycache__", "node_modules"})


def book_html(loaded: LoadedBook, image_hrefs: Mapping[str, str]) -> str:
    """The book's sections as the ebook sets them, one after another in one page, each
    picture shown by the path ``image_hrefs`` gives it."""
    book = loaded.book
    notes = collect_notes(book)
    opts = HtmlOptions(notes="linked", note_bodies=notes, note_numbers=note_numbers(notes),
                       image_hrefs=image_hrefs)
    parts = []
    for section in book_sections(book):
        if section.kind == "part":
            parts.append(render_part_title(book, section, opts))
        else:
            parts.append(render_chapter(book, section, opts))
    return "\n".join(parts)


# The page around the book: a bar to switch views and the script that reloads on change.
# Only the preview's own chrome is styled here; the book is styled by the theme alone.
_SHELL = """<!DOCTYPE html>
<html lang="{lang}" xmlns:epub="http://www.idpf.org/2007/ops">
<head><meta charset="utf-8"/><title>{title} — octavo preview</title>
<link rel="stylesheet" href="/style.css"/>
<style>
#octavo-bar {{ position: sticky; top: 0; z-index: 9; display: flex; gap: 1em;
  padding: .4em 1em; background: #20262e; color: #eee; font: 13px/1.4 system-ui, sans-serif; }}
#octavo-bar a {{ color: #9cf; }} #octavo-bar .here {{ color: #fff; font-weight: bold; }}
#octavo-bar .status {{ margin-left: auto; color: #aaa; }}
#octavo-book {{ max-width: 36em; margin: 0 auto; padding: 1em 1.5em 4em; }}
#octavo-book > section {{ border-bottom: 1px dashed #bbb; padding-bottom: 2em; }}
#octavo-print {{ text-align: center; background: #777; padding: 1em; }}
.octavo-spread {{ display: flex; justify-content: center; gap: 2px; margin: 0 0 1.5em; }}
.octavo-spread img {{ box-shadow: 0 1px 6px #333; background: #fff; }}
#octavo-error {{ white-space: pre-wrap; color: #a00; font: 14px monospace; padding: 1em; }}
</style></head>
<body>
<div id="octavo-bar"><span>octavo preview: {title}</span>
<a href="/" class="{ebook_here}">Ebook</a><a href="/print" class="{print_here}">Print</a>
<span class="status" id="octavo-status">version {version}</span></div>
{body}
<script>
(function () {{
  var version = {version}, view = "{view}";
  var key = "octavo-scroll-" + view;
  var saved = sessionStorage.getItem(key);
  if (saved) {{ window.scrollTo(0, parseInt(saved, 10)); sessionStorage.removeItem(key); }}
  function poll() {{
    fetch("/events?view=" + view + "&since=" + version).then(function (r) {{ return r.json(); }})
      .then(function (d) {{
        if (d.version > version) {{
          sessionStorage.setItem(key, String(window.scrollY));
          location.reload();
        }} else {{ poll(); }}
      }}, function () {{ setTimeout(poll, 1000); }});
  }}
  poll();
}})();
</script>
</body></html>
"""


@dataclass
class PreviewState:
    """What the server shows, replaced whole after each change (never half-updated)."""

    target: Path
    lock: threading.Condition = field(default_factory=threading.Condition)
    version: int = 0
    loaded: LoadedBook | None = None
    assets: Assets = field(default_factory=lambda: Assets({}, {}))
    html: str = ""
    error: str = ""
    print_version: int = 0
    print_pages: list[bytes] = field(default_factory=list)
    print_error: str = ""
    print_wanted: bool = False
    print_stale: bool = True

    def reload(self) -> None:
        """Read the book again; a mistake in the manuscript shows on the page, not a crash."""
        assets: Assets | None = None
        try:
            loaded = load(self.target)
            assets = book_assets(loaded)
            html, error = book_html(loaded, assets.image_hrefs), ""
        except OctavoError as exc:
            loaded, html, error = None, "", f"octavo: error: {exc}"
        with self.lock:
            self.loaded = loaded if loaded is not None else self.loaded
            self.assets = assets if assets is not None else self.assets
            self.html, self.error = html, error
            self.version += 1
            self.print_stale = True
            self.lock.notify_all()

    def wait(self, view: str, since: int, timeout: float) -> int:
        deadline = time.monotonic() + timeout
        with self.lock:
            while self.current(view) <= since:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self.lock.wait(left)
            return self.current(view)

    def current(self, view: str) -> int:
        return self.print_version if view == "print" else self.version


def lay_out_print(state: PreviewState) -> None:
    """Set the print pages again when the print view is open and the book has changed."""
    from .press.cache import ChapterCache, cache_folder
    from .press.pieces import render_pdf_in_pieces
    from .proof import page_pngs

    with state.lock:
        loaded = state.loaded
        if not (state.print_wanted and state.print_stale) or loaded is None:
            return
        state.print_stale = False
    try:
        # Through the chapter cache: an edit lays out only the chapter it touched again.
        cache = ChapterCache(cache_folder(loaded.settings.root))
        pdf = render_pdf_in_pieces(loaded.book, pdf_options(loaded), cache)
        pages, error = page_pngs(pdf.data), ""
    except OctavoError as exc:
        pages, error = [], f"octavo: error: {exc}"
    with state.lock:
        state.print_pages, state.print_error = pages, error
        state.print_version += 1
        state.lock.notify_all()


def is_author_file(path: str, root: Path) -> bool:
    """A change the book cares about: not in a build or cache folder, not an editor's swap
    file (the theme's files, outside the book's folder, always count)."""
    try:
        relative = Path(path).resolve().relative_to(root.resolve())
    except ValueError:
        return True
    name = relative.name
    return not (set(relative.parts) & IGNORED_DIRS or name.startswith((".", "#"))
                or name.endswith(("~", ".swp", ".tmp")))


def watch_book(state: PreviewState, stop: threading.Event) -> None:
    """Re-read the book whenever one of its files (or its theme's) changes."""
    from watchfiles import watch

    root = state.target if state.target.is_dir() else state.target.parent
    paths = [root]
    if state.loaded is not None and root.resolve() not in state.loaded.theme.path.parents:
        paths.append(state.loaded.theme.path)
    for _changes in watch(*paths, stop_event=stop, debounce=300, step=50,
                          watch_filter=lambda _change, path: is_author_file(path, root)):
        state.reload()


def print_worker(state: PreviewState, stop: threading.Event) -> None:
    while not stop.is_set():
        lay_out_print(state)
        with state.lock:
            state.lock.wait(0.5)


# Sent with every answer: no other site may frame the page, embed its files or have a browser
# guess a type the server did not name.
SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
    ("Content-Security-Policy", "frame-ancestors 'none'"),
    ("Referrer-Policy", "no-referrer"),
)
# An idle connection is closed after this long (the long poll answers well within it).
SOCKET_TIMEOUT_SECONDS = LONG_POLL_SECONDS + 10


def make_handler(state: PreviewState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "octavo-preview"
        timeout = SOCKET_TIMEOUT_SECONDS
        # The server's own refusals (a malformed request line) as one short line of text.
        error_message_format = "%(code)d %(message)s\n"
        error_content_type = "text/plain; charset=utf-8"

        def version_string(self) -> str:
            return self.server_version

        def log_message(self, format: str, *args: object) -> None:
            pass  # the author's terminal shows the book's messages, not each request

        def parse_request(self) -> bool:
            """Refuse, before any file is read, a request that is not the author's browser
            asking with GET."""
            if not super().parse_request():
                return False
            port = cast(ThreadingHTTPServer, self.server).server_port
            refusal = (host_refusal(self.headers.get_all("Host") or [], port)
                       or fetch_refusal(self.headers.get("Origin"),
                                        self.headers.get("Sec-Fetch-Site"),
                                        self.headers.get("Sec-Fetch-Mode"),
                                        self.headers.get("Sec-Fetch-Dest"), port)
                       or method_refusal(self.command))
            if refusal is not None:
                self._refuse(refusal)
                return False
            return True

        def do_GET(self) -> None:
            try:
                target = parse_target(self.path)
            except BadRequest as exc:
                self._refuse(Refusal(HTTPStatus.BAD_REQUEST, str(exc)))
                return
            route = target.path
            if route == "/":
                self._page("ebook")
            elif route == "/print":
                self._page("print")
            elif route == "/events":
                try:
                    view, since = events_query(target.query)
                except BadRequest as exc:
                    self._refuse(Refusal(HTTPStatus.BAD_REQUEST, str(exc)))
                    return
                if view == "print":
                    with state.lock:
                        state.print_wanted = True
                        state.lock.notify_all()
                version = state.wait(view, since, LONG_POLL_SECONDS)
                self._send(json.dumps({"version": version}).encode(), "application/json")
            elif route == "/style.css":
                theme = state.loaded.theme if state.loaded else None
                self._send((theme.epub_css if theme else "").encode(), "text/css; charset=utf-8")
            elif (number := print_page_number(route)) is not None:
                with state.lock:
                    pages = state.print_pages
                if number <= len(pages):
                    self._send(pages[number - 1], "image/png")
                else:
                    self._refuse(Refusal(HTTPStatus.NOT_FOUND, "no such page"))
            else:
                self._asset(route)

        def _page(self, view: str) -> None:
            with state.lock:
                if view == "print":
                    state.print_wanted = True
                    state.lock.notify_all()
                loaded, error = state.loaded, state.error
                if view == "print":
                    version = state.print_version
                    if state.print_error:
                        body = f'<pre id="octavo-error">{escape(state.print_error)}</pre>'
                    elif not state.print_pages:
                        body = '<p id="octavo-print">Laying out the print pages…</p>'
                    else:
                        body = print_view_html(len(state.print_pages), version)
                else:
                    version = state.version
                    body = (f'<pre id="octavo-error">{escape(error)}</pre>' if error else "") + (
                        f'<main id="octavo-book">{state.html}</main>')
            title = loaded.book.metadata.title if loaded else state.target.name
            lang = loaded.book.metadata.language if loaded else "en"
            page = _SHELL.format(
                lang=escape(lang), title=escape(title), version=version, view=view, body=body,
                ebook_here="here" if view == "ebook" else "",
                print_here="here" if view == "print" else "")
            self._send(page.encode("utf-8"), "text/html; charset=utf-8")

        def _asset(self, route: str) -> None:
            """One of the files the page uses (a theme font, a manuscript picture), by the
            path the page asks for it by; nothing else of the book's folder."""
            with state.lock:
                path = state.assets.files.get(route)
            try:
                data = path.read_bytes() if path is not None else None
            except OSError:  # gone since the book was read: the next reload says so
                data = None
            if data is None:
                self._refuse(Refusal(HTTPStatus.NOT_FOUND, "not a file of this book"))
                return
            kind = mimetypes.guess_type(route)[0] or "application/octet-stream"
            if is_svg(route):  # opened on its own, an SVG's script would run on this origin
                try:
                    data = sanitise_svg(data, route)[0]
                except OctavoError:
                    self._refuse(Refusal(HTTPStatus.NOT_FOUND, "not a file of this book"))
                    return
            self._send(data, kind)

        def _refuse(self, refusal: Refusal) -> None:
            """A short plain-text answer; the connection closes after it."""
            body = f"{refusal.status.value} {refusal.reason}\n".encode()
            self.send_response(refusal.status)
            if refusal.status == HTTPStatus.METHOD_NOT_ALLOWED:
                self.send_header("Allow", "GET")
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.close_connection = True
            self.end_headers()
            if self.command != "HEAD":
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

        def end_headers(self) -> None:
            for name, value in SECURITY_HEADERS:
                self.send_header(name, value)
            super().end_headers()

        def _send(self, data: bytes, kind: str) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            # The page may reload before it has read the answer.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(data)

    return Handler


# The print pages on screen at about their printed size on a 96 dpi display.
_PAGE_WIDTH_PX = 420


def print_view_html(count: int, version: int) -> str:
    """The pages as a reader holds the book: page 1 alone on the right, then each verso
    beside its recto (the spreads ``octavo proof`` draws)."""
    from .proof import spreads

    def slot(n: int | None) -> str:
        if n is None or n > count:
            return f'<span class="octavo-blank" style="width:{_PAGE_WIDTH_PX}px"></span>'
        return (f'<img src="/print/page-{n}.png?v={version}" alt="page {n}" '
                f'width="{_PAGE_WIDTH_PX}"/>')

    rows = "".join(f'<div class="octavo-spread">{slot(left)}{slot(right)}</div>'
                   for left, right in spreads(list(range(1, count + 1))))
    return f'<div id="octavo-print">{rows}</div>'


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: socket.socket | tuple[bytes, socket.socket],
                     client_address: object) -> None:
        """A request that failed is one line on the terminal, never a traceback; a browser
        that went away mid-answer is nothing to report."""
        exc = sys.exc_info()[1]
        if not isinstance(exc, ConnectionError | TimeoutError):
            print(f"octavo: preview: a request failed: {exc!r}", file=sys.stderr)


def serve_preview(target: Path, port: int,
                  ready: Callable[[str], None] = lambda _url: None) -> None:
    """Serve the preview until interrupted; ``ready`` gets the address once it listens."""
    state = PreviewState(target)
    state.reload()
    if state.loaded is None:
        raise OctavoError(state.error.removeprefix("octavo: error: "),
                          hint="fix it and run octavo preview again")
    try:
        server = PreviewServer((HOST, port), make_handler(state))
    except OSError as exc:
        raise OctavoError(f"cannot listen on {HOST}:{port}: {exc.strerror}",
                          hint="choose another port with --port, or --port 0 for any free one"
                          ) from None
    stop = threading.Event()
    threads = [threading.Thread(target=watch_book, args=(state, stop), daemon=True),
               threading.Thread(target=print_worker, args=(state, stop), daemon=True)]
    for thread in threads:
        thread.start()
    ready(f"http://{HOST}:{server.server_address[1]}/")
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        stop.set()
        server.server_close()
