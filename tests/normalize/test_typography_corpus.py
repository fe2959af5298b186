"""Typography on the corpus: quote direction and em dashes of octavo's EPUBs against the
proofread gold editions, on the words the shared scorer aligns.

Targets (issue 4): curl_acc >= 0.9995 on every book, and every remaining em-dash difference an
editorial one of the gold (its source edition has a dash where the manuscript has other
punctuation, or none where the manuscript has one); both at least the peers' recorded figures.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pytest

from conftest import CORPUS, FIXTURES, Built, OnFirstUse, corpus_books
from scoring import scorer

pytestmark = pytest.mark.corpus

PEERS = FIXTURES / "readers" / "peer_scores.json"
CURL_TARGET = 0.9995


def difference_kind(gold: str, out: str) -> str | None:
    """How octavo's word differs from the gold's in quote direction or em dashes, or None."""
    sg = scorer()
    gq, oq = sg.qseq(gold), sg.qseq(out)
    if (gq or oq) and sg.fold(gq) == sg.fold(oq) and gq != oq:
        return "quote direction (typographic)"
    g_dashes, o_dashes = gold.count("\u2014"), out.count("\u2014")
    if "--" in out:
        return "dash left as hyphens (typographic)"
    if g_dashes == o_dashes:
        return None
    if o_dashes == 0:
        return "gold adds a dash where the manuscript has other punctuation (editorial)"
    if g_dashes == 0:
        return "gold drops the manuscript's dash (editorial)"
    return "dash count (typographic)"


def differences(epub: Path, gold_dir: Path) -> list[tuple[str, str, str, str]]:
    """Every aligned word that differs: (kind, gold word, octavo word, gold context)."""
    sg = scorer()
    out, gold = sg.epub_tokens(epub), sg.gold_tokens(gold_dir)
    found = []
    for i, j in sg.align([t.key for t in gold], [t.key for t in out]):
        kind = difference_kind(gold[i].raw, out[j].raw)
        if kind:
            context = " ".join(t.raw for t in gold[max(0, i - 4):i + 4])
            found.append((kind, gold[i].raw, out[j].raw, context))
    return found


@pytest.fixture(scope="module")
def typography_scores(corpus_build: Mapping[str, Built]) -> Mapping[str, dict[str, float]]:
    """Each novel scored when a test first asks (only its own novel: one xdist worker builds
    each)."""
    sg = scorer()

    def score(name: str) -> dict[str, float]:
        tokens = sg.epub_tokens(corpus_build[name].epub)
        result: dict[str, float] = sg.score(tokens, sg.gold_tokens(CORPUS / name / "gold"))
        return result

    return OnFirstUse(corpus_build, score)


def _recorded_peers(book: str) -> dict[str, dict[str, float]]:
    if not PEERS.is_file():
        return {}
    recorded: dict[str, dict[str, dict[str, float]]] = json.loads(PEERS.read_text())
    return recorded.get(book, {})


@pytest.mark.parametrize("book", corpus_books())
def test_curl_accuracy(book: str, typography_scores: dict[str, dict[str, float]]) -> None:
    scores = typography_scores[book]
    assert scores["curl_acc"] >= CURL_TARGET, scores
    for peer, theirs in _recorded_peers(book).items():
        assert scores["curl_acc"] >= theirs.get("curl_acc", 0.0), peer


@pytest.mark.parametrize("book", corpus_books())
def test_em_dashes_differ_from_the_gold_only_editorially(
    book: str, corpus_build: dict[str, Built], typography_scores: dict[str, dict[str, float]]
) -> None:
    typographic = [d for d in differences(corpus_build[book].epub, CORPUS / book / "gold")
                   if "(typographic)" in d[0]]
    assert typographic == []
    scores = typography_scores[book]
    for peer, theirs in _recorded_peers(book).items():
        assert scores["emdash_acc"] >= theirs.get("emdash_acc", 0.0), peer
