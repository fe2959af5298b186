"""The tests' one EPUBCheck process reports what EPUBCheck run alone on the file reports, a
broken EPUB's errors as well as a clean one's silence, and keeps nothing from one EPUB to
the next."""

from __future__ import annotations

import zipfile
from pathlib import Path

from test_epub_package import options, parts_book, png

from conftest import epubcheck_messages
from octavo.render.epub import render_epub


def test_one_epubcheck_process_reports_as_epubcheck_alone(tmp_path: Path) -> None:
    from epubcheck import EpubCheck  # type: ignore[import-untyped]

    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "map.png").write_bytes(png(40, 30))
    clean = tmp_path / "clean.epub"
    clean.write_bytes(render_epub(parts_book(), options(tmp_path / "book")))
    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(clean) as whole, zipfile.ZipFile(broken, "w") as cut:
        for info in whole.infolist():
            if not info.filename.endswith("nav.xhtml"):
                cut.writestr(info, whole.read(info))
    assert epubcheck_messages(clean) == []
    found = epubcheck_messages(broken)
    assert any(" RSC-001 " in m and "nav.xhtml" in m for m in found), found
    alone = EpubCheck(str(broken)).messages
    assert found == [f"{m.level} {m.id} {m.location}: {m.message}" for m in alone
                     if m.level in ("FATAL", "ERROR", "WARNING")]
    assert epubcheck_messages(clean) == []
