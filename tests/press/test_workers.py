"""Forked layout workers (OCTAVO_WORKERS, all cores by default) give the book a build laid out
in its own process gives, byte for byte. The test session lays out in its own process
(conftest), so this is where the forked path is run, with its count named."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES
from octavo.build import build
from octavo.press import chapters


def test_two_forked_workers_build_the_same_files_as_one_process(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    forked: list[int] = []
    fork_pool = chapters._fork_pool

    def counted(workers: int, *args: object) -> object:
        forked.append(workers)
        return fork_pool(workers, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(chapters, "_fork_pool", counted)
    book = FIXTURES / "tale" / "text"
    alone = build(book, tmp_path / "one", ("epub", "pdf"), cache=False, workers=1)
    assert forked == []
    pooled = build(book, tmp_path / "two", ("epub", "pdf"), cache=False, workers=2)
    # The early worker, then one chapter worker for the pieces laid out at once: the build's
    # own process lays them out beside it.
    assert forked == [1, 1]
    for kind in ("epub", "pdf"):
        assert pooled.outputs[kind].read_bytes() == alone.outputs[kind].read_bytes(), kind
    assert pooled.page_count == alone.page_count
