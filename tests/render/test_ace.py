"""DAISY Ace, the EPUB accessibility checker, on real builds: no violation of any impact.

Ace runs headless in Debian's chromium; ``scripts/test-deps.sh`` (run first by ``make test``)
installs both. Missing tools fail this test rather than skip it: an accessibility check that
silently does not run is no check.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

import pytest

from conftest import ROOT, Built, corpus_books

ACE = ROOT / "tools" / "ace" / "node_modules" / ".bin" / "ace-cli"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def ace_violations(epub: Path, outdir: Path) -> list[str]:
    """Every violation Ace reports, as 'rule (impact) in document: description'."""
    assert ACE.is_file(), f"{ACE} is missing: run scripts/test-deps.sh (make test does)"
    assert Path(CHROMIUM).is_file(), "chromium is missing: run scripts/test-deps.sh"
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": CHROMIUM, "PUPPETEER_SKIP_DOWNLOAD": "1"}
    result = subprocess.run([str(ACE), "--force", "--silent", "--outdir", str(outdir), str(epub)],
                            env=env, capture_output=True, text=True, timeout=600)
    report_path = outdir / "report.json"
    assert report_path.is_file(), f"Ace wrote no report:\n{result.stdout}\n{result.stderr}"
    report = json.loads(report_path.read_text(encoding="utf-8"))
    found = []
    for document in report["assertions"]:
        for check in document["assertions"]:
            if check["earl:result"]["earl:outcome"] == "fail":
                test = check["earl:test"]
                found.append(f"{test['dct:title']} ({test['earl:impact']}) in "
                             f"{document['earl:testSubject']['url']}: "
                             f"{check['earl:result'].get('dct:description', '')}")
    if not found:
        assert report["earl:result"]["earl:outcome"] == "pass"
    return found


def test_seed_has_no_accessibility_violations(seed_build: Built, tmp_path: Path) -> None:
    assert ace_violations(seed_build.epub, tmp_path) == []


def test_parts_book_has_no_accessibility_violations(parts_epub_for_ace: Path,
                                                    tmp_path: Path) -> None:
    assert ace_violations(parts_epub_for_ace, tmp_path) == []


@pytest.fixture
def parts_epub_for_ace(tmp_path: Path) -> Path:
    """The hand-built book of the package tests: parts, notes, verse, an image, a page list."""
    from test_epub_package import PAGE_MAP, options, parts_book, png

    from octavo.render.epub import render_epub

    (tmp_path / "map.png").write_bytes(png(40, 30))
    path = tmp_path / "parts.epub"
    path.write_bytes(render_epub(parts_book(), options(tmp_path, page_map=PAGE_MAP)))
    return path


@pytest.mark.corpus
@pytest.mark.slow
@pytest.mark.parametrize("book", corpus_books()[:1])
def test_a_corpus_novel_has_no_accessibility_violations(
    corpus_build: Mapping[str, Built], tmp_path: Path, book: str
) -> None:
    assert ace_violations(corpus_build[book].epub, tmp_path) == []
