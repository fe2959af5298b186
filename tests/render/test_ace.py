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


def _ace_environment() -> dict[str, str]:
    assert ACE.is_file(), f"{ACE} is missing: run scripts/test-deps.sh (make test does)"
    assert Path(CHROMIUM).is_file(), "chromium is missing: run scripts/test-deps.sh"
    return {**os.environ, "PUPPETEER_EXECUTABLE_PATH": CHROMIUM, "PUPPETEER_SKIP_DOWNLOAD": "1"}


def ace_violations(epub: Path, outdir: Path) -> list[str]:
    """Every violation Ace reports, as 'rule (impact) in document: description'."""
    result = subprocess.run([str(ACE), "--force", "--silent", "--outdir", str(outdir), str(epub)],
                            env=_ace_environment(), capture_output=True, text=True, timeout=600)
    return reported_violations(outdir, f"{result.stdout}\n{result.stderr}")


def ace_violations_of_each(epubs: Mapping[str, Path], outdir: Path) -> dict[str, list[str]]:
    """Ace's violations in each EPUB (by name), all checked in one Ace process
    (tests/ace_many.js): one Node and one Chromium started, not one of each an EPUB."""
    command = ["node", str(Path(__file__).parents[1] / "ace_many.js"),
               str(ACE.parents[1])]
    for name, epub in epubs.items():
        command += [str(epub), str(outdir / name)]
    result = subprocess.run(command, env=_ace_environment(), capture_output=True, text=True,
                            timeout=600)
    said = f"{result.stdout}\n{result.stderr}"
    assert result.returncode == 0, said
    return {name: reported_violations(outdir / name, said) for name in epubs}


def reported_violations(outdir: Path, said: str) -> list[str]:
    """The violations in the report Ace wrote to ``outdir`` (``said``: what it printed)."""
    report_path = outdir / "report.json"
    assert report_path.is_file(), f"Ace wrote no report:\n{said}"
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


@pytest.fixture(scope="module")
def violations(seed_build: Built, tmp_path_factory: pytest.TempPathFactory
               ) -> dict[str, list[str]]:
    """The seed and the hand-built book of the package tests (parts, notes, verse, an image,
    a page list), checked in one Ace run."""
    from test_epub_package import PAGE_MAP, options, parts_book, png

    from octavo.render.epub import render_epub

    folder = tmp_path_factory.mktemp("ace")
    (folder / "map.png").write_bytes(png(40, 30))
    parts = folder / "parts.epub"
    parts.write_bytes(render_epub(parts_book(), options(folder, page_map=PAGE_MAP)))
    return ace_violations_of_each({"seed": seed_build.epub, "parts": parts}, folder / "reports")


def test_seed_has_no_accessibility_violations(violations: dict[str, list[str]]) -> None:
    assert violations["seed"] == []


def test_parts_book_has_no_accessibility_violations(violations: dict[str, list[str]]) -> None:
    assert violations["parts"] == []


@pytest.mark.corpus
@pytest.mark.slow
@pytest.mark.parametrize("book", corpus_books()[:1])
def test_a_corpus_novel_has_no_accessibility_violations(
    corpus_build: Mapping[str, Built], tmp_path: Path, book: str
) -> None:
    assert ace_violations(corpus_build[book].epub, tmp_path) == []
