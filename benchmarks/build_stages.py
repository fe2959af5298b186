"""Where a build's time goes: the main process's wall time per stage, from cProfile.

usage: python benchmarks/build_stages.py [BOOK] [--rebuild] [--jobs=1] [--top=N] [--share]

Builds ``BOOK`` (default: Pride and Prejudice from ``../shared/corpus``) from an empty cache
in a temporary folder, profiled, and prints each stage's cumulative time as the profiler saw
it in the main process (layouts in the worker processes show as the time spent waiting for
them). ``--rebuild``: build once unprofiled, change one word in the middle of the book, and
profile the rebuild instead. Profiling slows Python code down, so read the figures as shares
of the total, not as times to compare with ``bench_build.py``'s.

``--jobs=1``: every piece laid out in this process (no workers), so the profile sees all of
the build, and a last row gives line breaking's share of the build: octavo's own code
that reads the paragraphs, builds their items, chooses their lines and writes them out
(``set_lines`` and ``Prebroken.html``, with everything they call). ``--top=N``: the N
functions of that code (press/lines, linebreak, scan, shaping, hyphenation) with the most
time of their own, and the calls they make that take the most, for where to look next.
(The profiler's clock is wall time: a CPU-time clock costs a system call a call and doubles
the share of code that makes many small calls. On a shared machine read the share, which
another process's load leaves about even, and the CPU seconds printed beside it.)

``--share``: line breaking's share of the build in CPU seconds, unprofiled (the figure to
compare): the build in one process, with only ``set_lines`` and ``Prebroken.html`` timed
(``time.process_time`` around each call, a few hundred in a novel), over the whole build's.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench_build import DEFAULT_NOVEL, edit_one_chapter

# (stage, the function whose cumulative time it is), in pipeline order.
STAGES = (
    ("read and normalize the manuscript", "loaded.py", "load"),
    ("  of which: normalize (runs from the cache on a rebuild)", "normalize/__init__.py", "normalize"),
    ("measure the paragraph kinds (probe)", "pieces.py", "measured"),
    ("wait for the workers (chapters laid out, the EPUB)", "_base.py", "result"),
    ("lay out in this process (no workers)", "chapters.py", "lay_out_piece"),
    ("join the pieces (finished and saved once)", "join.py", "join_pdf"),
    ("  of which: merge font subsets", "fonts.py", "embed_from_files"),
    ("  of which: finish (bleed, identity, padding)", "finish.py", "__call__"),
    ("page map read back from the whole PDF", "build.py", "print_page_map"),
    ("package the EPUB (this process)", "epub.py", "render_epub"),
    ("write the files", "build.py", "write_atomically"),
    ("the whole build", "build.py", "build"),
)


# Line breaking's entry points: what a chapter's layout calls to set its paragraphs' lines.
LINE_BREAKING = (("press/lines.py", "set_lines"), ("press/lines.py", "html"))
LINE_BREAKING_FILES = ("press/lines.py", "press/linebreak.py", "press/scan.py",
                       "press/shaping.py", "press/hyphenation.py")


def profiled_build(book: Path, out: Path, workers: int | None = None) -> pstats.Stats:
    from octavo.build import build

    profile = cProfile.Profile()
    cpu = time.process_time()
    profile.runcall(build, book, out, workers=workers)
    print(f"CPU seconds of this process, profiled: {time.process_time() - cpu:.1f}")
    return pstats.Stats(profile)


def cpu_share(book: Path, out: Path) -> tuple[float, float]:
    """(line breaking's CPU seconds, the whole build's), the build in this process."""
    import octavo.press.chapters as chapters
    from octavo.build import build
    from octavo.press.lines import Prebroken

    spent = [0.0]

    def timed(function: Any) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[0] += time.process_time() - start
        return call

    # Where a chapter's layout finds set_lines (it imported the name).
    namespace = vars(chapters)
    set_lines, html = namespace["set_lines"], Prebroken.html
    namespace["set_lines"] = timed(set_lines)
    Prebroken.html = timed(html)  # type: ignore[method-assign]
    try:
        start = time.process_time()
        build(book, out, workers=1)
        return spent[0], time.process_time() - start
    finally:
        namespace["set_lines"] = set_lines
        Prebroken.html = html  # type: ignore[method-assign]


def cumulative(stats: pstats.Stats, filename: str, function: str) -> float:
    table = stats.stats  # type: ignore[attr-defined]
    return float(sum(entry[3] for (file, _, name), entry in table.items()
                     if name == function and file.endswith(filename)))


def line_breaking_share(stats: pstats.Stats) -> tuple[float, float]:
    """(line breaking's seconds, the whole build's)."""
    return (sum(cumulative(stats, f, name) for f, name in LINE_BREAKING),
            cumulative(stats, "build.py", "build"))


def top_line_breaking(stats: pstats.Stats, count: int) -> list[str]:
    table = stats.stats  # type: ignore[attr-defined]
    ours = [(key, entry) for key, entry in table.items()
            if any(key[0].endswith(f) for f in LINE_BREAKING_FILES)]
    rows = [f"{entry[2]:7.2f} {entry[3]:7.2f} {entry[1]:9d}  "
            f"{key[0].split('octavo/')[-1]}:{key[1]}({key[2]})"
            for key, entry in sorted(ours, key=lambda kv: -kv[1][2])[:count]]
    # What they call outside themselves (str.join, the shaper, Pyphen): time below them.
    called: dict[tuple[str, int, str], list[float]] = {}
    for key, entry in table.items():
        if any(key[0].endswith(f) for f in LINE_BREAKING_FILES):
            continue
        for caller, (_, calls, own, _cum) in entry[4].items():
            if any(caller[0].endswith(f) for f in LINE_BREAKING_FILES):
                seconds = called.setdefault(key, [0.0, 0.0, 0.0])
                seconds[0] += own
                seconds[2] += calls
                seconds[1] += _cum
    rows.append("  called from there:")
    rows += [f"{own:7.2f} {cum:7.2f} {int(calls):9d}  {key[0].split('/')[-1]}:{key[2]}"
             for key, (own, cum, calls) in sorted(called.items(), key=lambda kv: -kv[1][1])
             [:count]]
    return rows


def stage_times(stats: pstats.Stats) -> list[tuple[str, float]]:
    return [(stage, cumulative(stats, filename, function))
            for stage, filename, function in STAGES]


def main(argv: Sequence[str]) -> None:
    if "--help" in argv or "-h" in argv:
        print(__doc__)
        return
    args = [a for a in argv if not a.startswith("--")]
    options = dict(a[2:].partition("=")[::2] for a in argv if a.startswith("--"))
    workers = int(options["jobs"]) if options.get("jobs") else None
    source = Path(args[0]) if args else DEFAULT_NOVEL
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")
    with tempfile.TemporaryDirectory(prefix="octavo-stages-") as tmp:
        book = Path(tmp) / "book" / source.name
        book.parent.mkdir()
        shutil.copyfile(source, book)
        if "share" in options:
            breaking, whole = cpu_share(book, Path(tmp) / "out")
            print(f"line breaking: {breaking:.2f} CPU s of the build's {whole:.2f} "
                  f"({100 * breaking / whole:.1f} %), one process, unprofiled")
            return
        if "--rebuild" in argv:
            from octavo.build import build

            build(book, Path(tmp) / "out", workers=workers)
            edit_one_chapter(book)
        stats = profiled_build(book, Path(tmp) / "out", workers)
    title = "rebuild after a one-word edit" if "--rebuild" in argv else "full build"
    where = "one process" if workers == 1 else "main process"
    print(f"### {source.parent.name or source.stem}: {title} ({where}, profiled)\n")
    print("| stage | s (profiled) |\n|---|---:|")
    for stage, seconds in stage_times(stats):
        print(f"| {stage} | {seconds:.2f} |")
    if workers == 1:
        breaking, whole = line_breaking_share(stats)
        print(f"| line breaking (set_lines + Prebroken.html) | {breaking:.2f} "
              f"({100 * breaking / whole:.1f} %) |")
    if options.get("top"):
        print("\n    own     cum     calls  function")
        print("\n".join(top_line_breaking(stats, int(options["top"]))))


if __name__ == "__main__":
    main(sys.argv[1:])
