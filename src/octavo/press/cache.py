"""The chapter cache: each laid-out part or chapter, by the hash of everything it was made
from, in ``.octavo-cache/`` beside the book.

A key covers the piece's print HTML (its text, numbering, notes' numbers), every stylesheet
(theme, trim, margins, print settings), the page side it opens on, the PDF variant and
octavo's version, so an entry is only ever found for the same input. Each entry carries the
hash of its own bytes: a truncated or damaged one is not used but laid out again and
rewritten. Entries are written to a temporary file and renamed into place, so builds running
at once never see half an entry.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from .. import __version__
from .chapters import LaidOut, Mark, Piece, Stylesheets

CACHE_DIR = ".octavo-cache"
FORMAT = "octavo-chapter-1"


class ChapterCache:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(piece: Piece, css: Stylesheets, variant: str | None, extra_css: str) -> str:
        digest = hashlib.sha256()
        for part in (FORMAT, __version__, piece.html, str(piece.left_start),
                     str(piece.footnotes_before), str(piece.level_spreads),
                     str(piece.set_lines), css.base_url, *map(str, css.roots),
                     str(css.color_profile_sheet), variant or "", extra_css,
                     *(text + "\0" + base for text, base in css.sheets)):
            digest.update(part.encode("utf-8", "surrogatepass"))
            digest.update(b"\0\1")
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / key

    def get(self, key: str) -> LaidOut | None:
        """The entry for ``key``, or None when there is none or it is damaged."""
        try:
            blob = self._path(key).read_bytes()
        except OSError:
            self.misses += 1
            return None
        laid = _decode(blob)
        if laid is None:
            self.misses += 1
            return None
        self.hits += 1
        return laid

    def put(self, key: str, laid: LaidOut) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".entry.", dir=path.parent)
            with os.fdopen(fd, "wb") as fh:
                fh.write(_encode(laid))
            os.replace(tmp, path)
        except OSError:
            return  # a cache that cannot be written only costs time


def _encode(laid: LaidOut) -> bytes:
    header = json.dumps({
        "pages": laid.pages, "layouts": laid.layouts,
        "anchors": [list(a) for a in laid.anchors],
        "marks": [[m.level, m.label, m.page, m.x, m.y, m.open] for m in laid.marks],
    }, ensure_ascii=False).encode()
    payload = len(header).to_bytes(8, "big") + header + laid.pdf
    return hashlib.sha256(payload).hexdigest().encode() + payload


def _decode(blob: bytes) -> LaidOut | None:
    digest, payload = blob[:64], blob[64:]
    if len(payload) < 8 or hashlib.sha256(payload).hexdigest().encode() != digest:
        return None
    size = int.from_bytes(payload[:8], "big")
    try:
        header = json.loads(payload[8:8 + size])
        marks = tuple(Mark(int(m[0]), str(m[1]), int(m[2]), float(m[3]), float(m[4]),
                           bool(m[5])) for m in header["marks"])
        anchors = tuple(tuple(str(a) for a in page) for page in header["anchors"])
        return LaidOut(payload[8 + size:], int(header["pages"]), marks, anchors,
                       int(header["layouts"]))
    except (ValueError, KeyError, TypeError, IndexError):
        return None
