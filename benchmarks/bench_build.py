"""Build speed and memory: octavo beside WeasyPrint alone and pandoc, in one run.

usage: python benchmarks/bench_build.py [NOVEL] [--books=novel,joined] [--install-peers]

For each book, from an empty cache (a fresh copy of the text in a temporary folder, so
``.octavo-cache/`` starts empty and the corpus is never written to), every row is one command
run as a subprocess of this venv:

- octavo full build (EPUB + PDF, defaults)
- octavo rebuild after editing one chapter (one word changed, built again into the same folder)
- octavo EPUB only
- WeasyPrint alone on octavo's own print HTML (``--format html``, exported first, not timed)
- pandoc → EPUB, and pandoc → HTML → WeasyPrint, where ``pandoc`` is installed
  (``--install-peers``: ``apt-get install -y pandoc`` first)

Columns: wall time, peak resident memory summed over the command's process tree (psutil,
polled every 50 ms: a peak shorter than that can be missed) and both as ratios to WeasyPrint's
single pass. ``NOVEL`` defaults to Pride and Prejudice from ``../shared/corpus``; ``joined`` is
the corpus books' texts (Gutenberg header and licence cut) joined into one file, each chapter
once: a cache cannot short-circuit a repeated one.

Needs ``pip install -e '.[bench]'`` (psutil).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
DEFAULT_NOVEL = CORPUS / "pride-and-prejudice" / "source.txt"
JOINED_TARGET_WORDS = 500_000
POLL_SECONDS = 0.05
BIN = Path(sys.executable).parent


def tool(name: str) -> list[str]:
    """A console script of this venv, or the module run by its interpreter."""
    script = BIN / name
    return [str(script)] if script.is_file() else [sys.executable, "-m", name]


OCTAVO = tool("octavo")
WEASYPRINT = tool("weasyprint")


@dataclass(frozen=True)
class Run:
    wall: float
    peak_mb: float


def tree_rss(process: psutil.Process) -> int:
    """Resident memory of a process and all its descendants, in bytes."""
    total = 0
    for p in (process, *process.children(recursive=True)):
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            total += p.memory_info().rss
    return total


def measure(command: Sequence[str], cwd: Path | None = None) -> Run:
    """Wall time and the peak of the process tree's summed RSS while ``command`` runs."""
    env = dict(os.environ, SOURCE_DATE_EPOCH=os.environ.get("SOURCE_DATE_EPOCH", "1767225600"))
    start = time.perf_counter()
    process = psutil.Popen(list(command), cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE)
    peak = 0
    while process.poll() is None:
        try:
            peak = max(peak, tree_rss(process))
        except psutil.NoSuchProcess:
            break
        time.sleep(POLL_SECONDS)
    _, err = process.communicate()
    wall = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}\n{err.decode()}")
    return Run(wall, peak / 2**20)


# --------------------------------------------------------------------------- the books


def gutenberg_body(text: str) -> str:
    """The text between a Project Gutenberg file's START and END lines (all of it when it has
    none): no header, no licence."""
    lines = text.splitlines()
    start = next((i + 1 for i, ln in enumerate(lines) if ln.startswith("*** START OF")), 0)
    end = next((i for i, ln in enumerate(lines) if ln.startswith("*** END OF")), len(lines))
    return "\n".join(lines[start:end]).strip() + "\n"


def joined_corpus(folder: Path) -> tuple[Path, int]:
    """Every corpus book's text, once, in one file; and its word count."""
    sources = sorted(CORPUS.glob("*/source.txt"))
    if not sources:
        raise SystemExit(f"no corpus at {CORPUS}")
    text = "\n\n".join(gutenberg_body(s.read_text(encoding="utf-8-sig")) for s in sources)
    book = folder / "joined-corpus.txt"
    book.write_text(text, encoding="utf-8")
    return book, len(text.split())


def edit_one_chapter(source: Path) -> None:
    """Change one word in the middle of the book: one chapter's text differs, nothing else."""
    text = source.read_text(encoding="utf-8")
    at = text.index(" the ", len(text) // 2)
    source.write_text(text[:at] + " that " + text[at + len(" the "):], encoding="utf-8")


# --------------------------------------------------------------------------- the rows


def same_pages(octavo_pdf: Path, weasyprint_pdf: Path) -> str:
    """Whether the baseline laid out the same book: text page for page (octavo pads the book
    to an even page count with a blank page)."""
    import pypdfium2 as pdfium

    def pages(path: Path) -> list[str]:
        doc = pdfium.PdfDocument(str(path))
        try:
            return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
        finally:
            doc.close()

    ours, alone = pages(octavo_pdf), pages(weasyprint_pdf)
    same = ours[:len(alone)] == alone and not "".join(ours[len(alone):]).strip()
    return f"{len(alone)} pages, {'the same text on every page' if same else 'DIFFERENT text'}"


def ensure_pandoc(install: bool) -> str | None:
    found = shutil.which("pandoc")
    if found is None and install:
        subprocess.run(["apt-get", "install", "-y", "pandoc"], check=True,
                       stdout=subprocess.DEVNULL)
        found = shutil.which("pandoc")
    return found


def bench_book(source: Path, pandoc: str | None) -> list[tuple[str, Run | None, str]]:
    """The rows for one book: (work, measurement or None when skipped, note)."""
    rows: list[tuple[str, Run | None, str]] = []
    with tempfile.TemporaryDirectory(prefix="octavo-bench-") as tmp:
        work = Path(tmp)
        book = work / "book" / source.name
        book.parent.mkdir()
        shutil.copyfile(source, book)
        shutil.rmtree(book.parent / ".octavo-cache", ignore_errors=True)
        out = work / "out"
        rows.append(("octavo full build (EPUB + PDF, defaults)",
                     measure([*OCTAVO, "build", str(book), "-o", str(out / "full"), "-q"]), ""))
        edit_one_chapter(book)
        rows.append(("octavo rebuild after a one-chapter edit",
                     measure([*OCTAVO, "build", str(book), "-o", str(out / "full"), "-q"]), ""))
        rows.append(("octavo EPUB only",
                     measure([*OCTAVO, "build", str(book), "-o", str(out / "epub"), "-q",
                              "--format", "epub"]), ""))
        exported = measure([*OCTAVO, "build", str(book), "-o", str(out / "html"), "-q",
                            "--format", "html"])
        html = next((out / "html").glob("*.html"))
        single = measure([*WEASYPRINT, str(html), str(out / "weasyprint.pdf")])
        rows.append(("WeasyPrint alone on octavo's print HTML", single,
                     f"export not timed here ({exported.wall:.1f} s); "
                     + same_pages(next((out / "full").glob("*.pdf")), out / "weasyprint.pdf")))
        if pandoc is None:
            rows.append(("pandoc → EPUB", None, "pandoc not installed: skipped"))
            rows.append(("pandoc → HTML → WeasyPrint", None, "pandoc not installed: skipped"))
            return rows
        rows.append(("pandoc → EPUB",
                     measure([pandoc, "-f", "markdown", str(book), "-o",
                              str(out / "pandoc.epub")]), ""))
        to_html = measure([pandoc, "-s", "-f", "markdown", str(book), "-o",
                           str(out / "pandoc.html")])
        laid_out = measure([*WEASYPRINT, str(out / "pandoc.html"), str(out / "pandoc.pdf")])
        rows.append(("pandoc → HTML → WeasyPrint",
                     Run(to_html.wall + laid_out.wall, max(to_html.peak_mb, laid_out.peak_mb)),
                     f"{to_html.wall:.1f} s + {laid_out.wall:.1f} s; "
                     f"{to_html.peak_mb:.0f} / {laid_out.peak_mb:.0f} MB"))
    return rows


def table(title: str, rows: list[tuple[str, Run | None, str]]) -> str:
    baseline = next(run for work, run, _ in rows if work.startswith("WeasyPrint alone"))
    assert baseline is not None
    out = [f"### {title}", "",
           "| work | wall s | peak RSS MB (process tree) | × WeasyPrint wall | "
           "× WeasyPrint RSS | note |",
           "|---|---:|---:|---:|---:|---|"]
    for work, run, note in rows:
        if run is None:
            out.append(f"| {work} | – | – | – | – | {note} |")
            continue
        out.append(f"| {work} | {run.wall:.1f} | {run.peak_mb:.0f} | "
                   f"{run.wall / baseline.wall:.2f} | {run.peak_mb / baseline.peak_mb:.2f} | "
                   f"{note} |")
    return "\n".join(out) + "\n"


def main(argv: Sequence[str]) -> None:
    args = [a for a in argv if not a.startswith("--")]
    flags = dict(a[2:].split("=", 1) if "=" in a else (a[2:], "") for a in argv
                 if a.startswith("--"))
    novel = Path(args[0]) if args else DEFAULT_NOVEL
    books = flags.get("books", "novel,joined").split(",")
    pandoc = ensure_pandoc("install-peers" in flags)
    words = len(novel.read_text(encoding="utf-8-sig").split())
    print(f"octavo: {subprocess.run([*OCTAVO, '--version'], capture_output=True, text=True).stdout.strip()}; "
          f"{os.cpu_count()} cores; RSS polled every {POLL_SECONDS * 1000:.0f} ms\n")
    if "novel" in books:
        print(table(f"{novel.parent.name or novel.stem} ({words:,} words)",
                    bench_book(novel, pandoc)))
    if "joined" in books:
        with tempfile.TemporaryDirectory(prefix="octavo-joined-") as tmp:
            joined, count = joined_corpus(Path(tmp))
            short = (f"; below the {JOINED_TARGET_WORDS:,} asked for: the corpus holds no more, "
                     "and no text is repeated") if count < JOINED_TARGET_WORDS else ""
            print(table(f"the corpus joined ({count:,} words{short})",
                        bench_book(joined, pandoc)))


if __name__ == "__main__":
    main(sys.argv[1:])
