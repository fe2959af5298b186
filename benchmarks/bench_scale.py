"""Scale-out: a catalogue of books one after another, on this machine's cores, and on a Dask
LocalCluster; and one novel's full build with 1, 2, ... chapter workers. One run, ratios.

usage: python benchmarks/bench_scale.py [--books=N] [--workers=1,2] [--rounds=N] [--help]

  --books=N      books in the catalogue (default 10): the seed, the corpus novels and the
                 shape books of ../shared, cycled when N asks for more (a repeated book is a
                 copy under another name and its own empty cache, so nothing is shared)
  --workers=LIST chapter workers for the novel's scaling rows (default: 1 and every core)
  --rounds=N     alternated rounds of each row; medians are reported (default 1)
  --novel=PATH   the book of the scaling rows (default: Pride and Prejudice)

Rows (each a subprocess of this venv, every build from an empty cache, EPUB + PDF):

- one after another: ``octavo build BOOK`` for each book in turn
- catalogue, local: ``octavo build CATALOGUE/`` (one process a core, each book a task)
- catalogue, Dask: the same on a ``LocalCluster`` of 2 single-threaded worker processes
  (``--scheduler``), the cluster started before the clock and kept between rounds
- the novel (Pride and Prejudice unless --novel) with OCTAVO_WORKERS=N for each N

Needs ``pip install -e '.[cluster]'`` (dask.distributed).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def sources() -> list[Path]:
    """The books to cycle through: manuscript files or folders."""
    found: list[Path] = [REPO / "seeds"]
    for group in ("corpus", "corpus-shapes"):
        found += sorted(p / "source.txt" for p in (SHARED / group).glob("*")
                        if (p / "source.txt").is_file())
    return found


def catalogue(folder: Path, count: int) -> list[Path]:
    """``count`` book folders in ``folder``, each with its own copy of the manuscript."""
    books = []
    pool = sources()
    for n in range(count):
        source = pool[n % len(pool)]
        book = folder / f"book-{n + 1:02d}"
        if source.is_dir():
            shutil.copytree(source, book, ignore=shutil.ignore_patterns(".octavo-cache"))
        else:
            book.mkdir()
            shutil.copy(source, book / "manuscript.txt")
        books.append(book)
    return books


def octavo(*args: str, env: dict[str, str] | None = None) -> None:
    run_env = dict(os.environ, PYTHONPATH=str(REPO / "src"), **(env or {}))
    subprocess.run([sys.executable, "-m", "octavo", "build", *args, "--quiet", "--no-cache"],
                   check=True, env=run_env, capture_output=True)


def timed(action: Callable[[], None]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def one_after_another(books: Sequence[Path], out: Path) -> None:
    for book in books:
        octavo(str(book), "-o", str(out / book.name))


def rows(books: Sequence[Path], catalogue_dir: Path, out: Path, novel: Path,
         workers: Sequence[int], scheduler: str) -> dict[str, Callable[[], None]]:
    found: dict[str, Callable[[], None]] = {
        "one after another": partial(one_after_another, books, out / "serial"),
        "catalogue, local cores": partial(octavo, str(catalogue_dir), "-o", str(out / "local")),
        "catalogue, Dask LocalCluster (2 workers)": partial(
            octavo, str(catalogue_dir), "-o", str(out / "dask"), "--scheduler", scheduler),
    }
    if novel.exists():
        for n in workers:
            found[f"novel full build, {n} chapter worker(s)"] = partial(
                octavo, str(novel), "-o", str(out / f"w{n}"), env={"OCTAVO_WORKERS": str(n)})
    return found


def main(argv: Sequence[str]) -> int:
    if "--help" in argv:
        print(__doc__)
        return 0
    options = dict(a.removeprefix("--").split("=", 1) for a in argv if "=" in a)
    count = int(options.get("books", "10"))
    rounds = int(options.get("rounds", "1"))
    cores = os.cpu_count() or 1
    workers = [int(w) for w in options.get("workers", f"1,{cores}").split(",")]
    try:
        from dask.distributed import LocalCluster
    except ImportError:
        print("bench_scale: needs dask.distributed (pip install -e '.[cluster]')",
              file=sys.stderr)
        return 1
    novel = Path(options.get("novel", SHARED / "corpus" / "pride-and-prejudice" / "source.txt"))
    with tempfile.TemporaryDirectory() as tmp, LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
            silence_logs=40) as cluster:
        root = Path(tmp)
        books = catalogue(root / "catalogue", count)
        times: dict[str, list[float]] = {}
        for r in range(rounds):
            for name, action in rows(books, root / "catalogue", root / f"out-{r}", novel,
                                     workers, cluster.scheduler_address).items():
                times.setdefault(name, []).append(timed(action))
    base = statistics.median(times["one after another"])
    novel_base = statistics.median(next((v for k, v in times.items() if "1 chapter" in k),
                                        [1.0]))
    print(f"{count} books, {rounds} round(s), {cores} cores")
    print(f"{'':46} {'wall s':>8} {'ratio':>7}")
    for name, values in times.items():
        wall = statistics.median(values)
        ref = novel_base if name.startswith("novel") else base
        print(f"{name:46} {wall:8.1f} {wall / ref:7.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
