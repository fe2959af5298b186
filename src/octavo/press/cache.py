"""The chapter cache: each laid-out part or chapter, by the hash of everything it was made
from, in ``.octavo-cache/`` beside the book (or in the folder ``OCTAVO_CACHE_DIR`` names).

A key covers the piece's print HTML (its text, numbering, notes' numbers), every stylesheet
(theme, trim, margins, print settings; for a part or chapter, without the margin-box rules
only the margin layer draws: :mod:`octavo.press.margin_rules`), the page side it opens on, the PDF variant, and the
code that lays it out: octavo's own sources and the versions of WeasyPrint, pydyf, fontTools,
pikepdf, Pyphen, Pango and HarfBuzz (:mod:`octavo.press.provenance`). So an entry is only ever
found for the same input laid out by the same code. Each entry carries the hash of its key and
its bytes: a truncated or damaged one, or one moved, copied or swapped to another key's place,
is not used but laid out again and rewritten. Entries are written to a temporary file and
renamed into place, so builds running at once never see half an entry.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from .. import __version__
from ..render.pagemap import PageStart
from .chapters import LaidOut, Mark, Piece, Stylesheets
from .join import NO_MARGIN_BOXES_CSS
from .margin_rules import without_margin_boxes
from .provenance import code_digest
from .reached import reached_digest

CACHE_DIR = ".octavo-cache"
CACHE_DIR_VARIABLE = "OCTAVO_CACHE_DIR"
FORMAT = "octavo-chapter-4"  # 4: an entry keeps the HTML it was laid out from


def cache_folder(book_root: Path) -> Path:
    """Where a book's chapter cache is: the folder ``OCTAVO_CACHE_DIR`` names when it is set
    (keys are hashes of everything an entry was made from, so books may share one), else
    ``.octavo-cache/`` in the book's folder."""
    chosen = os.environ.get(CACHE_DIR_VARIABLE, "")
    return Path(chosen) if chosen else book_root / CACHE_DIR


def entry_digest(key: str, payload: bytes) -> bytes:
    """What an entry is checked by: its key and its bytes, so an entry found under another
    key than its own is no answer."""
    digest = hashlib.sha256(key.encode("ascii", "surrogateescape"))
    digest.update(b"\0")
    digest.update(payload)
    return digest.hexdigest().encode()


class ChapterCache:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.hits = 0  # entries found sound and used

    @staticmethod
    def key(piece: Piece, css: Stylesheets, variant: str | None, extra_css: str,
            sheets: tuple[str, ...] | None = None) -> str:
        """``sheets``: ``ChapterCache.sheet_parts(css, extra_css)`` when the caller made it
        already: the same for every piece of a build, and reading the stylesheets for their
        margin boxes and the files they reach once a piece cost a rebuild a tenth of a
        second."""
        if sheets is None:
            sheets = ChapterCache.sheet_parts(css, extra_css)
        return ChapterCache.key_of(
            piece.html, str(piece.left_start), str(piece.footnotes_before),
            str(piece.level_spreads), *sheets,
            variant or "", extra_css,
            reached_digest(((piece.html, css.base_url), (extra_css, css.base_url))))

    @staticmethod
    def sheet_parts(css: Stylesheets, extra_css: str) -> tuple[str, ...]:
        """What a piece's key holds of the stylesheets it is laid out with."""
        # A body piece's margin boxes are the margin layer's: a theme edit of its running
        # heads or folios only lays the layer out again.
        sheets = body_stylesheets(css) if extra_css == NO_MARGIN_BOXES_CSS else css
        return stylesheet_parts(sheets)

    @staticmethod
    def key_of(*parts: str) -> str:
        """A key for anything else the print build keeps (a margin layer, a merged face)."""
        digest = hashlib.sha256()
        for part in (FORMAT, __version__, code_digest(), *parts):
            digest.update(part.encode("utf-8", "surrogatepass"))
            digest.update(b"\0\1")
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / key

    def get_bytes(self, key: str) -> bytes | None:
        """What was kept under ``key``, or None when nothing is or it is damaged."""
        try:
            blob = self._path(key).read_bytes()
        except OSError:
            return None
        digest, payload = blob[:64], blob[64:]
        if entry_digest(key, payload) != digest:
            return None
        self.hits += 1
        return payload

    def put_bytes(self, key: str, data: bytes) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".entry.", dir=path.parent)
            with os.fdopen(fd, "wb") as fh:
                fh.write(entry_digest(key, data) + data)
            os.replace(tmp, path)
        except OSError:
            return  # a cache that cannot be written only costs time

    def remembered(self, key: str, make: Callable[[], bytes]) -> bytes:
        """The bytes kept under ``key``, made (and kept) when there are none."""
        found = self.get_bytes(key)
        if found is None:
            found = make()
            self.put_bytes(key, found)
        return found

    def get(self, key: str) -> LaidOut | None:
        """The laid-out piece kept under ``key``, or None."""
        payload = self.get_bytes(key)
        return _decode(payload) if payload is not None else None

    def put(self, key: str, laid: LaidOut) -> None:
        self.put_bytes(key, _encode(laid))


@dataclass(frozen=True, slots=True)
class KeptOpenings:
    """The layouts of chapter openings (spreads are planned from them) kept in the chapter
    cache at ``root``, by the opening's HTML, its rules, ``sheets`` (what keys hold of the
    book's stylesheets: ``stylesheet_parts``), the files they reach and the code. Handed to
    the workers that lay the pieces out."""

    root: Path
    sheets: tuple[str, ...]

    def remembered(self, html: str, rules: str, base_url: str,
                   make: Callable[[], bytes]) -> bytes:
        key = ChapterCache.key_of("spread-opening", html, rules, *self.sheets,
                                  reached_digest(((html, base_url), (rules, base_url))))
        return ChapterCache(self.root).remembered(key, make)


def body_stylesheets(css: Stylesheets) -> Stylesheets:
    """``css`` as a body piece laid out without margin boxes can depend on it (its sheets
    without their margin-box rules), or ``css`` itself where one sheet's margin boxes might
    reach the piece (:func:`octavo.press.margin_rules.without_margin_boxes`)."""
    stripped = [without_margin_boxes(text) for text, _ in css.sheets]
    if any(text is None for text in stripped):
        return css
    return replace(css, sheets=tuple((str(text), base) for text, (_, base)
                                     in zip(stripped, css.sheets, strict=True)))


class CodeKeyed:
    """A cache's bytes under keys that also hold the code and octavo's version
    (``ChapterCache.key_of``): what the normalizer keeps is made by octavo's code too."""

    def __init__(self, cache: ChapterCache) -> None:
        self.cache = cache

    def get_bytes(self, key: str) -> bytes | None:
        return self.cache.get_bytes(ChapterCache.key_of(key))

    def put_bytes(self, key: str, data: bytes) -> None:
        self.cache.put_bytes(ChapterCache.key_of(key), data)

    def remembered(self, key: str, make: Callable[[], bytes]) -> bytes:
        return self.cache.remembered(ChapterCache.key_of(key), make)


def stylesheet_parts(css: Stylesheets) -> tuple[str, ...]:
    return (css.base_url, *map(str, css.roots), str(css.color_profile_sheet),
            *(text + "\0" + base for text, base in css.sheets),
            reached_digest(tuple((text, base or css.base_url) for text, base in css.sheets)))


def _encode(laid: LaidOut) -> bytes:
    header = json.dumps({
        "pages": laid.pages, "layouts": laid.layouts,
        "anchors": [list(a) for a in laid.anchors],
        "marks": [[m.level, m.label, m.page, m.x, m.y, m.open] for m in laid.marks],
        "texts": list(laid.texts),
        "starts": [[s.section, list(s.path), s.word, s.lead] for s in laid.starts],
        "rebroken": list(laid.rebroken),
        "html": laid.html,
    }, ensure_ascii=False).encode()
    return len(header).to_bytes(8, "big") + header + laid.pdf_bytes()


def _decode(payload: bytes) -> LaidOut | None:
    if len(payload) < 8:
        return None
    size = int.from_bytes(payload[:8], "big")
    try:
        header = json.loads(payload[8:8 + size])
        marks = tuple(Mark(int(m[0]), str(m[1]), int(m[2]), float(m[3]), float(m[4]),
                           bool(m[5])) for m in header["marks"])
        anchors = tuple(tuple(str(a) for a in page) for page in header["anchors"])
        starts = tuple(PageStart("", None if s[0] is None else str(s[0]),
                                 tuple(int(i) for i in s[1]), int(s[2]), str(s[3]))
                       for s in header["starts"])
        return LaidOut(payload[8 + size:], int(header["pages"]), marks, anchors,
                       int(header["layouts"]), tuple(str(t) for t in header["texts"]), starts,
                       tuple(str(t) for t in header["rebroken"]), str(header["html"]))
    except (ValueError, KeyError, TypeError, IndexError):
        return None
