"""The sample manuscript end to end: the quickest signal that the pipeline holds together."""

from __future__ import annotations

import zipfile

from conftest import Built, epubcheck_messages, pdf_pages_text


def test_seed_epub_passes_epubcheck(seed_build: Built) -> None:
    assert epubcheck_messages(seed_build.epub) == []


def test_seed_pdf_has_pages(seed_build: Built) -> None:
    assert seed_build.pdf is not None
    text = "".join(pdf_pages_text(seed_build.pdf))
    assert "Kai" in text
    assert zipfile.is_zipfile(seed_build.epub)
