"""A build killed with ``kill -9`` leaves no worker behind: its layout workers (the early one
and the chapters' pool) and a catalogue's book workers end with it."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

OCTAVO = [sys.executable, "-m", "octavo"]

pytestmark = pytest.mark.skipif(not Path("/proc/self/task").is_dir(),
                                reason="reads processes from /proc (Linux)")


def children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):  # the task ended meanwhile
            found.update(int(n) for n in task.read_text().split())
    return found


def running(pid: int) -> bool:
    """Alive and not a zombie (a zombie runs nothing: it waits to be reaped)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def write_book(folder: Path, title: str, chapters: int, paragraphs: int) -> Path:
    folder.mkdir(parents=True)
    (folder / "book.toml").write_text(f'title = "{title}"\nauthor = "A. Writer"\n')
    sentence = "The lamp burned low while the rain went on over the roofs of the town. "
    (folder / "text.md").write_text("\n".join(
        f"# Chapter {c}\n\n" + "\n\n".join(f"{sentence * 5}{c}.{p}" for p in range(paragraphs))
        + "\n" for c in range(1, chapters + 1)))
    return folder


def same_program(pid: int, of: int) -> bool:
    """Whether ``pid`` runs the program ``of`` runs (a worker, not a program one of the
    libraries a worker loads runs for a while: WeasyPrint's looks for libraries with gcc)."""
    try:
        return os.readlink(f"/proc/{pid}/exe") == os.readlink(f"/proc/{of}/exe")
    except OSError:
        return False


def killed_leaves_none(command: list[str], workers_seen: int, cores: int = 2
                       ) -> tuple[int, list[int]]:
    """Start ``command`` with ``cores`` workers, wait until it has ``workers_seen`` of them,
    kill -9 it: how many workers it had and which of them still run 5 s later."""
    environment = {**os.environ, "OCTAVO_WORKERS": str(cores)}
    build = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        while len(workers) < workers_seen and time.monotonic() < deadline:
            if build.poll() is not None:
                pytest.fail(f"the build ended (exit {build.returncode}) before it had "
                            f"{workers_seen} workers")
            workers = {w for w in children(build.pid)
                       if running(w) and same_program(w, build.pid)}
            time.sleep(0.02)
        assert len(workers) >= workers_seen
        build.send_signal(signal.SIGKILL)
        build.wait()
        deadline = time.monotonic() + 5
        while any(running(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        return len(workers), sorted(w for w in workers if running(w))
    finally:
        build.kill()
        build.wait()
        for worker in workers:  # the test's own processes: none is left on failure either
            if running(worker):
                os.kill(worker, signal.SIGKILL)


# Two cores: the early worker lays the chapters out beside the build's own process; three:
# a worker more is forked for them.
@pytest.mark.parametrize(("workers_seen", "cores"), [(1, 2), (2, 3)],
                         ids=["early-worker", "chapter-pool"])
def test_a_killed_build_leaves_no_worker(tmp_path: Path, workers_seen: int, cores: int) -> None:
    book = write_book(tmp_path / "book", "Lamp", chapters=6, paragraphs=30)
    seen, left = killed_leaves_none(
        [*OCTAVO, "build", str(book), "-o", str(tmp_path / "out"), "--no-cache"], workers_seen,
        cores)
    assert seen >= workers_seen and left == []


def test_a_killed_catalogue_build_leaves_no_worker(tmp_path: Path) -> None:
    shelf = tmp_path / "shelf"
    for n in (1, 2):
        write_book(shelf / f"book{n}", f"Book {n}", chapters=3, paragraphs=30)
    seen, left = killed_leaves_none(
        [*OCTAVO, "build", str(shelf), "-o", str(tmp_path / "out"), "--jobs", "2",
         "--no-cache"], 2)
    assert seen >= 2 and left == []
