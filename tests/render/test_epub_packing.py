"""Packing an ebook again in the same process costs no deflating of its faces nor drawing of
its cover, and gives the bytes a first packing gives."""

from __future__ import annotations

import io
import os
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import SEED_TEXT
from octavo.model import Metadata
from octavo.render import cover, deflated
from octavo.render.cover import typographic_cover
from octavo.render.epub import ZIP_EPOCH, reproducible_zip
from octavo.themes import load_theme


def _plain_zip(entries: dict[str, bytes]) -> bytes:
    """The entries packed by zipfile alone, as reproducible_zip packs them."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name, ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" \
                else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            dst.writestr(info, data, compresslevel=9)
    return out.getvalue()


def test_large_entries_are_deflated_once_and_packed_as_zipfile_packs_them(
        monkeypatch: pytest.MonkeyPatch) -> None:
    face = b"".join(bytes([n % 251]) * (n % 7 + 1) for n in range(60_000)) + os.urandom(5000)
    assert len(face) >= deflated.REMEMBERED_FROM
    entries = {"mimetype": b"application/epub+zip", "EPUB/a.xhtml": b"<p>small</p>" * 20,
               "EPUB/fonts/face.ttf": face, "EPUB/z.css": b"p { margin: 0 }"}
    plain = _plain_zip(entries)
    assert reproducible_zip(plain) == plain
    made: list[int] = []
    real = deflated.deflated

    def counted(data: bytes, level: int) -> bytes:
        made.append(len(data))
        return real(data, level)

    monkeypatch.setattr(deflated, "deflated", counted)
    assert reproducible_zip(plain) == plain
    assert made == []  # the face's stream from the first packing
    with zipfile.ZipFile(io.BytesIO(plain)) as packed:
        assert packed.testzip() is None
        assert packed.read("EPUB/fonts/face.ttf") == face


def test_the_typographic_cover_is_drawn_once_for_the_same_words_and_face(
        monkeypatch: pytest.MonkeyPatch) -> None:
    theme = load_theme("classic")
    meta = Metadata(title="A Cover Drawn Once", authors=("Ada Ferrer",))
    first = typographic_cover(meta, theme)
    drawn: list[str] = []
    real = cover._fitted_lines

    def counted(*args: object) -> object:
        drawn.append(str(args[1]))
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(cover, "_fitted_lines", counted)
    assert typographic_cover(replace(meta), theme).data == first.data
    assert drawn == []
    other = typographic_cover(replace(meta, subtitle="And Again"), theme)
    assert drawn and other.data != first.data


def test_a_rebuild_takes_the_deflated_faces_and_the_cover_from_the_chapter_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new process (here: the process's own memos emptied) building the book again."""
    from octavo.build import build

    monkeypatch.setenv("OCTAVO_CACHE_DIR", str(tmp_path / "cache"))
    book = tmp_path / "book.txt"
    book.write_text(SEED_TEXT.read_text(encoding="utf-8"), encoding="utf-8")

    def new_process() -> None:
        deflated._deflated.clear()
        cover._drawn_cover.cache_clear()

    new_process()
    first = build(book, tmp_path / "first", ("epub",)).outputs["epub"].read_bytes()
    new_process()
    made: list[str] = []
    monkeypatch.setattr(deflated, "deflated", lambda data, level: made.append("deflated"))
    monkeypatch.setattr(cover, "_drawn_cover", lambda *drawn: made.append("cover"))
    again = build(book, tmp_path / "again", ("epub",)).outputs["epub"].read_bytes()
    assert made == []
    assert again == first
