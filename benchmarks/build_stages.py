"""Where a build's time goes: the main process's wall time per stage, from cProfile.

usage: python benchmarks/build_stages.py [BOOK] [--rebuild]

Builds ``BOOK`` (default: Pride and Prejudice from ``../shared/corpus``) from an empty cache
in a temporary folder, profiled, and prints each stage's cumulative time as the profiler saw
it in the main process (layouts in the worker processes show as the time spent waiting for
them). ``--rebuild``: build once unprofiled, change one word in the middle of the book, and
profile the rebuild instead. Profiling slows Python code down, so read the figures as shares
of the total, not as times to compare with ``bench_build.py``'s.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bench_build import DEFAULT_NOVEL, edit_one_chapter

# (stage, the function whose cumulative time it is), in pipeline order.
STAGES = (
    ("read and normalize the manuscript", "loaded.py", "load"),
    ("  of which: normalize (runs from the cache on a rebuild)", "normalize/__init__.py", "normalize"),
    ("measure the paragraph kinds (probe)", "pieces.py", "measured"),
    ("wait for the workers (chapters laid out, the EPUB)", "_base.py", "result"),
    ("lay out in this process (no workers)", "chapters.py", "lay_out_piece"),
    ("join the pieces", "join.py", "join_pdf"),
    ("  of which: merge font subsets", "fonts.py", "merge_subsets"),
    ("finish (bleed, identity, padding)", "finish.py", "finish_pdf"),
    ("page map read back from the whole PDF", "build.py", "print_page_map"),
    ("package the EPUB (this process)", "epub.py", "render_epub"),
    ("write the files", "build.py", "write_atomically"),
    ("the whole build", "build.py", "build"),
)


def profiled_build(book: Path, out: Path) -> pstats.Stats:
    from octavo.build import build

    profile = cProfile.Profile()
    profile.runcall(build, book, out)
    return pstats.Stats(profile)


def stage_times(stats: pstats.Stats) -> list[tuple[str, float]]:
    table = stats.stats  # type: ignore[attr-defined]
    rows = []
    for stage, filename, function in STAGES:
        total = sum(entry[3] for (file, _, name), entry in table.items()
                    if name == function and file.endswith(filename))
        rows.append((stage, total))
    return rows


def main(argv: Sequence[str]) -> None:
    if "--help" in argv or "-h" in argv:
        print(__doc__)
        return
    args = [a for a in argv if not a.startswith("--")]
    source = Path(args[0]) if args else DEFAULT_NOVEL
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")
    with tempfile.TemporaryDirectory(prefix="octavo-stages-") as tmp:
        book = Path(tmp) / "book" / source.name
        book.parent.mkdir()
        shutil.copyfile(source, book)
        if "--rebuild" in argv:
            from octavo.build import build

            build(book, Path(tmp) / "out")
            edit_one_chapter(book)
        stats = profiled_build(book, Path(tmp) / "out")
    title = "rebuild after a one-word edit" if "--rebuild" in argv else "full build"
    print(f"### {source.parent.name or source.stem}: {title} (main process, profiled)\n")
    print("| stage | s (profiled) |\n|---|---:|")
    for stage, seconds in stage_times(stats):
        print(f"| {stage} | {seconds:.2f} |")


if __name__ == "__main__":
    main(sys.argv[1:])
