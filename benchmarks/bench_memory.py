"""Peak memory of a full build, by book length and by the largest chapter.

usage: python benchmarks/bench_memory.py [--books=LIST] [--rounds=N] [--help]

  --books=LIST  any of novel, joined, sixnovels, onechapter, comma-separated
                (default: all four)
  --rounds=N    build each book N times and report the median (default: 1)
  --help        this text

The corpus is read from ``../shared/corpus`` beside the checkout, or from the folder the
``OCTAVO_BENCH_CORPUS`` variable names (``corpus-shapes`` beside it).

Every build is ``octavo build`` (EPUB + PDF, defaults) from an empty chapter cache, run as a
subprocess with this checkout's ``src/`` first on ``PYTHONPATH``. The process tree is polled
every 50 ms (psutil): the table gives the peak of its summed resident memory (as
``bench_build.py`` does), the peak of the main process alone, the largest peak of any one
worker, and when in the build the summed peak came (a fraction of the wall time), so a peak
can be told to be the workers' layout or the main process's join.

The books:

- ``novel``: Pride and Prejudice, one manuscript.
- ``joined``: ``bench_build.py``'s book of about 500,000 words (the corpus, then the corpus
  again with each paragraph's sentences in reverse order).
- ``sixnovels``: about 500,000 words of six different novels (the three of ``../shared/corpus``
  and the three longest prose ones of ``../shared/corpus-shapes``), then one of them again
  with its sentences reversed to reach the length: many chapters of different shapes.
- ``onechapter``: Pride and Prejudice with every chapter heading after the first taken out,
  then its first half again with its sentences reversed: one chapter of about 3,000
  paragraphs.

Measured on 2 shared cores (peak RSS MB, tree / main process / largest worker; before ->
after the pieces were written to files and freed memory handed back):

- novel: 406 / 187 / 141 -> 374 / 158 / 135 (peak in the chapters' layout)
- joined: 662 / 428 / 242 -> 619 / 329 / 238 (peak late in the layout: main + 2 workers)
- sixnovels: 759 / 459 / 274 before (not measured after)
- onechapter: 1109 / 228 / 910 -> 1086 / 228 / 895 (the one worker laying out the chapter
  whole: its WeasyPrint document is the cost, not slicing it yet)

After the build's own process laid pieces out beside one forked worker fewer, the scan held
one tuple per distinct (character, path), and long chapters were laid out in slices
(``press/slices.py``), on the same machine (other builds running beside it):

- novel: 344 / - / - -> 266 / 195 / 125
- sixnovels: 628 / 336 / - -> 487 / 425 / 225 (the tree's peak: this process joining)
- onechapter: 679 / 156 / 575 -> 383 / 160 / 229 (422 pages, each one's text and pixels
  the same)

Needs ``pip install -e '.[bench]'`` (psutil).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_build  # beside this script, not installed
from bench_build import (
    ENV,
    OCTAVO,
    POLL_SECONDS,
    describe,
    joined_corpus,
    shape,
    with_reversed_sentences,
)

# The shared corpus beside the checkout, or where OCTAVO_BENCH_CORPUS says (a worktree's).
CORPUS = Path(os.environ.get("OCTAVO_BENCH_CORPUS", str(bench_build.CORPUS)))
bench_build.CORPUS = CORPUS  # the joined book is made from the same corpus
SHAPES = CORPUS.parent / "corpus-shapes"
NOVEL = CORPUS / "pride-and-prejudice" / "source.txt"
# Prose novels of the shapes corpus (a play and verse are other shapes of book).
SHAPES_NOVELS = ("le-tour-du-monde-fr", "poor-folk", "the-prince")
BOOKS = ("novel", "joined", "sixnovels", "onechapter")


@dataclass(frozen=True)
class Peak:
    wall: float
    tree_mb: float  # the process tree's summed RSS at its highest
    main_mb: float  # the main process alone at its highest
    worker_mb: float  # the highest of any one child process
    at: float  # when the summed peak came, as a fraction of the wall time


def measure_tree(command: Sequence[str], env: dict[str, str]) -> Peak:
    """Wall time and the peaks of the process tree (summed), its main process and any one
    of its children while ``command`` runs."""
    start = time.perf_counter()
    process = psutil.Popen(list(command), env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE)
    tree = main = worker = 0
    tree_at = 0.0
    while process.poll() is None:
        try:
            own = process.memory_info().rss
            children = []
            for child in process.children(recursive=True):
                with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
                    children.append(child.memory_info().rss)
        except psutil.NoSuchProcess:
            break
        total = own + sum(children)
        if total > tree:
            tree, tree_at = total, time.perf_counter() - start
        main = max(main, own)
        worker = max([worker, *children])
        time.sleep(POLL_SECONDS)
    _, err = process.communicate()
    wall = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}\n{err.decode()}")
    mb = 2**20
    return Peak(wall, tree / mb, main / mb, worker / mb, tree_at / wall)


def folder_book(folder: Path, title: str, texts: Sequence[tuple[str, str]]) -> Path:
    """A book folder of manuscripts (name, text) with its book.toml."""
    folder.mkdir()
    for name, text in texts:
        (folder / name).write_text(text, encoding="utf-8")
    listed = ", ".join(f'"{name}"' for name, _ in texts)
    (folder / "book.toml").write_text(
        f'title = "{title}"\nauthor = "Various"\nlanguage = "en"\nfiles = [{listed}]\n',
        encoding="utf-8")
    return folder


def novel_book(folder: Path) -> Path:
    folder.mkdir()
    book = folder / NOVEL.name
    shutil.copyfile(NOVEL, book)
    return book


def read_text(source: Path) -> str:
    """A Gutenberg text in UTF-8, or Latin-1 as some older ones are."""
    data = source.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def six_novels(folder: Path) -> Path:
    sources = [*sorted(CORPUS.glob("*/source.txt")),
               *(SHAPES / name / "source.txt" for name in SHAPES_NOVELS)]
    texts = [(f"{n:02d}-{s.parent.name}.txt", read_text(s))
             for n, s in enumerate(sources, start=1)]
    # The stories' paragraphs are of many sentences: reversed, every chapter differs from
    # the one it was made from (a short letter's or a one-sentence chapter's would not).
    again = next(text for name, text in texts if "sherlock" in name)
    texts.append((f"{len(texts) + 1:02d}-sherlock-holmes-reversed.txt",
                  with_reversed_sentences(again)))
    return folder_book(folder / "sixnovels", "Six Novels", texts)


CHAPTER_HEADING = re.compile(r"^Chapter \d+\n", re.MULTILINE)


def one_chapter(folder: Path) -> Path:
    text = NOVEL.read_text(encoding="utf-8-sig")
    first = CHAPTER_HEADING.search(text)
    assert first is not None, "Pride and Prejudice has chapter headings"
    body = CHAPTER_HEADING.sub("", text[first.end():])
    end = body.index("*** END OF")
    # Half the novel again, its sentences reversed: about 3,000 paragraphs in all.
    half = body.index("\n\n", end // 2) + 2
    again = with_reversed_sentences("*** START OF\n" + body[:half] + "*** END OF\n")
    whole = (text[:first.end()] + body[:end] + again[len("*** START OF\n"):-len("*** END OF\n")]
             + body[end:])
    folder.mkdir()
    book = folder / "one-chapter.txt"
    book.write_text(whole, encoding="utf-8")
    return book


MAKERS: dict[str, Callable[[Path], Path]] = {
    "novel": novel_book,
    "joined": lambda folder: joined_corpus(folder.parent),
    "sixnovels": lambda folder: six_novels(folder.parent),
    "onechapter": one_chapter,
}


def bench(name: str, rounds: int) -> str:
    with tempfile.TemporaryDirectory(prefix=f"octavo-memory-{name}-") as tmp:
        work = Path(tmp)
        (work / "made").mkdir()
        book = MAKERS[name](work / "made" / "book")
        title = describe(name, shape(book))
        peaks = []
        for _ in range(rounds):
            cache = work / "cache"
            out = work / "out"
            shutil.rmtree(cache, ignore_errors=True)
            shutil.rmtree(out, ignore_errors=True)
            env = dict(ENV, OCTAVO_CACHE_DIR=str(cache))
            peaks.append(measure_tree([*OCTAVO, "build", str(book), "-o", str(out), "-q"], env))
        wall = statistics.median(p.wall for p in peaks)
        tree = statistics.median(p.tree_mb for p in peaks)
        main = statistics.median(p.main_mb for p in peaks)
        worker = statistics.median(p.worker_mb for p in peaks)
        at = statistics.median(p.at for p in peaks)
        return (f"| {title} | {wall:.0f} | {tree:.0f} | {main:.0f} | {worker:.0f} | "
                f"{at:.2f} |")


def usage() -> str:
    doc = __doc__ or ""
    return doc[doc.index("usage:"):doc.index("\n\n", doc.index("  --help"))]


def main(argv: Sequence[str]) -> None:
    books: tuple[str, ...] = BOOKS
    rounds = 1
    for arg in argv:
        option, _, value = arg.partition("=")
        if option in ("--help", "-h"):
            print(usage())
            return
        if option == "--books" and value and not set(value.split(",")) - set(BOOKS):
            books = tuple(value.split(","))
        elif option == "--rounds" and value.isdigit() and int(value) > 0:
            rounds = int(value)
        else:
            print(f"bench_memory.py: bad option '{arg}'\n{usage()}", file=sys.stderr)
            raise SystemExit(2)
    print(f"{os.cpu_count()} cores; RSS polled every {POLL_SECONDS * 1000:.0f} ms\n")
    print("| book | wall s | peak RSS MB (tree) | main process MB | largest worker MB | "
          "tree peak at |")
    print("|---|---:|---:|---:|---:|---:|", flush=True)
    for name in books:
        print(bench(name, rounds), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
