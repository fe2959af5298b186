"""Outputs appear whole or not at all: a failed, interrupted or concurrent build never leaves a
half-written file or damages the previous one."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from octavo.build import write_atomically
from octavo.errors import OctavoError


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_an_interrupted_build_keeps_the_previous_outputs_and_leaves_no_temporary_file(
        tmp_path: Path) -> None:
    (tmp_path / "book.epub").write_bytes(b"old epub")
    (tmp_path / "book.pdf").write_bytes(b"old pdf")

    def outputs() -> Iterator[tuple[Path, bytes]]:
        yield tmp_path / "book.epub", b"new epub"
        raise KeyboardInterrupt  # the user pressed Ctrl-C while the PDF was being made

    with pytest.raises(KeyboardInterrupt):
        write_atomically(outputs())
    assert (tmp_path / "book.epub").read_bytes() == b"old epub"
    assert (tmp_path / "book.pdf").read_bytes() == b"old pdf"
    assert _leftovers(tmp_path) == []


def test_an_interrupted_write_leaves_no_temporary_file(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "book.epub").write_bytes(b"old epub")

    def interrupted(_fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomically([(tmp_path / "book.epub", b"new epub" * 1000)])
    assert (tmp_path / "book.epub").read_bytes() == b"old epub"
    assert _leftovers(tmp_path) == []


def test_a_folder_that_cannot_be_written_is_an_octavo_error(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("a file where the folder should be")
    with pytest.raises(OctavoError, match="cannot write the output"):
        write_atomically([(tmp_path / "out" / "book.epub", b"epub")])


def test_concurrent_writes_of_one_name_leave_one_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "book.epub"
    payloads = [bytes([n]) * (1 << 20) for n in range(8)]
    threads = [threading.Thread(target=write_atomically, args=([(target, data)],))
               for data in payloads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert target.read_bytes() in payloads
    assert _leftovers(tmp_path) == []


def _build(manuscript: Path, outdir: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "octavo", "build", str(manuscript), "-o",
                             str(outdir), "--format", "epub", "-q"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_builds_at_once_into_one_folder_do_not_corrupt_each_other(tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "tale.txt", tmp_path / "b" / "tale.txt"
    for path, words in ((first, "The first telling."), (second, "A second telling.")):
        path.parent.mkdir()
        path.write_text(f"Chapter 1\n\n{words}\n", encoding="utf-8")
    references = []
    for path in (first, second):  # each alone, for the bytes a whole file must have
        assert _build(path, path.parent / "ref").wait() == 0
        references.append((path.parent / "ref" / "tale.epub").read_bytes())
    shared = tmp_path / "shared"
    builds = [_build(first, shared), _build(second, shared)]
    assert [b.wait() for b in builds] == [0, 0]
    out = shared / "tale.epub"
    assert out.read_bytes() in references
    with zipfile.ZipFile(out) as epub:
        assert epub.testzip() is None
    assert _leftovers(shared) == []
