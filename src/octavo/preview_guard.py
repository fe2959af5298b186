"""What ``octavo preview`` answers, and to whom: the author's own browser, asking for the files
the book uses, in well-formed requests. Everything else is refused before a file is read.

A page on another site cannot reach the server by name once the Host must be the loopback
address the server listens on (DNS rebinding gives a foreign name an address of 127.0.0.1, but
the browser still sends that name); a request another site's page makes is refused by its
``Origin`` or ``Sec-Fetch-Site``; and only the files the page uses are served, by the names the
page asks for them by, never by a path into the book's folder.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path, PurePosixPath
from urllib.parse import parse_qsl, unquote

from .confine import image_file
from .loaded import LoadedBook
from .model import Image, all_chapters, walk_blocks

# The names the server is reached by: the loopback address it listens on, and localhost.
LOOPBACK_NAMES = ("127.0.0.1", "localhost")
# Longer than any path the preview page asks for, far shorter than a file name may be.
MAX_TARGET = 2048
MAX_QUERY_FIELDS = 8
# The long poll's version: a count of reloads, far below this in any session.
_VERSION = re.compile(r"[0-9]{1,9}")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_PRINT_PAGE = re.compile(r"/print/page-([1-9][0-9]{0,5})\.png")


@dataclass(frozen=True, slots=True)
class Refusal:
    status: HTTPStatus
    reason: str


class BadRequest(ValueError):
    """A request target or query the preview never writes: answered 400, with the reason."""


def own_hosts(port: int) -> frozenset[str]:
    """The Host values the server answers to (the port left out only where a browser leaves
    it out, on port 80)."""
    hosts = {f"{name}:{port}" for name in LOOPBACK_NAMES}
    return frozenset(hosts | set(LOOPBACK_NAMES) if port == 80 else hosts)


def host_refusal(hosts: Sequence[str], port: int) -> Refusal | None:
    """A request with no Host, several, or one that is not this server's own: refused, for a
    page that reached 127.0.0.1 under another name is another site's page."""
    if len(hosts) != 1 or hosts[0].strip().lower() not in own_hosts(port):
        return Refusal(HTTPStatus.FORBIDDEN,
                       f"this preview answers only to http://127.0.0.1:{port}/")
    return None


def fetch_refusal(origin: str | None, fetch_site: str | None, fetch_mode: str | None,
                  fetch_dest: str | None, port: int) -> Refusal | None:
    """A request another site's page made (a script's fetch, an image, a frame): refused. A
    link followed from elsewhere opens the page, which no other site can read."""
    if origin is not None and origin.strip().lower() not in {
            f"http://{host}" for host in own_hosts(port)}:
        return Refusal(HTTPStatus.FORBIDDEN, "requests from other sites are refused")
    if fetch_site in (None, "same-origin", "none"):
        return None
    if fetch_mode == "navigate" and fetch_dest == "document":
        return None
    return Refusal(HTTPStatus.FORBIDDEN, "requests from other sites are refused")


def method_refusal(method: str) -> Refusal | None:
    if method != "GET":
        return Refusal(HTTPStatus.METHOD_NOT_ALLOWED, "the preview only answers GET")
    return None


@dataclass(frozen=True, slots=True)
class Target:
    """A request's path, percent-decoded, and its query's fields."""

    path: str
    query: tuple[tuple[str, str], ...]


def _no_control_characters(text: str, what: str) -> str:
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise BadRequest(f"a control character in the {what}")
    return text


def parse_target(target: str) -> Target:
    """A request target as the preview page writes one (``/path?name=value``), or
    ``BadRequest`` saying what is wrong with it."""
    if len(target) > MAX_TARGET:
        raise BadRequest("the request path is too long")
    if not target.startswith("/"):
        raise BadRequest("the request path must start with /")
    if any(not 33 <= ord(c) <= 126 for c in target) or "#" in target:
        raise BadRequest("the request path has characters that must be percent-encoded")
    if _BAD_ESCAPE.search(target):
        raise BadRequest("a % in the request path is not followed by two hex digits")
    raw_path, _, raw_query = target.partition("?")
    try:
        path = unquote(raw_path, errors="strict")
        fields = parse_qsl(raw_query, keep_blank_values=True, strict_parsing=True,
                           errors="strict", max_num_fields=MAX_QUERY_FIELDS)
    except UnicodeDecodeError:
        raise BadRequest("the request path is not UTF-8 once decoded") from None
    except ValueError:
        raise BadRequest("the query is not name=value fields joined by &") from None
    _no_control_characters(path, "request path")
    for name, value in fields:
        _no_control_characters(name + value, "query")
    return Target(path, tuple(fields))


def events_query(fields: Sequence[tuple[str, str]]) -> tuple[str, int]:
    """``/events``' view (ebook or print) and the version the page shows."""
    query = dict(fields)
    if len(query) != len(fields) or not set(query) <= {"view", "since"}:
        raise BadRequest("/events takes view and since, once each")
    view = query.get("view", "ebook")
    since = query.get("since", "0")
    if view not in ("ebook", "print") or not _VERSION.fullmatch(since):
        raise BadRequest("/events takes view=ebook or view=print and since=a version number")
    return view, int(since)


def print_page_number(path: str) -> int | None:
    """The page a ``/print/page-N.png`` path asks for (from 1), else None."""
    m = _PRINT_PAGE.fullmatch(path)
    return int(m.group(1)) if m else None


@dataclass(frozen=True, slots=True)
class Assets:
    """The files the preview page uses, by the path it asks for each (``files``), and the
    path each manuscript image is shown by (``image_hrefs``)."""

    files: Mapping[str, Path]
    image_hrefs: Mapping[str, str]


def image_route(number: int, src: str) -> str:
    """``/images/001-map.png``: numbered, so two pictures of one name stay apart."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", PurePosixPath(src).name).lstrip(".") or "image"
    return f"/images/{number:03d}-{safe}"


def book_assets(loaded: LoadedBook) -> Assets:
    """The theme's fonts (as its stylesheet names them, ``fonts/NAME``) and the manuscript's
    pictures that are files of the book's folder; a picture a word processor's file carried
    is shown from the page itself."""
    files: dict[str, Path] = {f"/fonts/{font.name}": font.resolve()
                              for font in loaded.theme.fonts}
    hrefs: dict[str, str] = {}
    for chapter in all_chapters(loaded.book):
        for block in walk_blocks(chapter.blocks):
            if isinstance(block, Image) and block.data is None and block.src not in hrefs:
                route = image_route(len(hrefs) + 1, block.src)
                hrefs[block.src] = route
                files[route] = image_file(block, loaded.settings.root)
    return Assets(files, hrefs)
