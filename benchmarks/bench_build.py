"""Build speed and memory: octavo beside WeasyPrint alone and pandoc, in one run.

usage: python benchmarks/bench_build.py [NOVEL] [--books=novel,joined] [--rounds=N]
                                        [--install-peers] [--help]

  NOVEL            a manuscript file or book folder (default: Pride and Prejudice from
                   ../shared/corpus)
  --books=LIST     novel, joined or both, comma-separated (default: novel,joined)
  --rounds=N       run octavo's full build and WeasyPrint's single pass N times, alternated
                   (A B A B ...), and report medians and the median of the per-round ratios
                   (default: 1)
  --install-peers  apt-get install -y pandoc first, when it is missing
  --help           this text

For each book, from an empty cache (a fresh copy of the book in a temporary folder, so
``.octavo-cache/`` starts empty and the corpus is never written to), every row is one command
run as a subprocess of this venv:

- octavo full build (EPUB + PDF, defaults)
- octavo rebuild after editing one chapter (one word changed, built again into the same folder)
- octavo EPUB only
- octavo PDF only, print HTML only, and both in one run (each from an empty cache)
- WeasyPrint alone on octavo's own print HTML (``--format html``, exported first, not timed)
- pandoc → EPUB, and pandoc → HTML → WeasyPrint, where ``pandoc`` is installed; with
  ``--rounds``, pandoc → HTML → WeasyPrint runs in every round beside octavo's full build, and
  the full build's row gives its ratio to it round by round and the median

Columns: wall time, peak resident memory summed over the command's process tree (psutil,
polled every 50 ms: a peak shorter than that can be missed) and both as ratios to WeasyPrint's
single pass. octavo runs as ``python -m octavo`` with this checkout's ``src/`` first on
``PYTHONPATH``, so the code measured is the code beside this script, whatever the venv has
installed; its modules are compiled first (``compileall``), as an install's are.

``joined`` is a book of about 500,000 words with no chapter repeated (a chapter cache would
short-circuit a repeated one): a folder holding a book.toml and one manuscript per corpus book,
each Gutenberg text as it is (the reader drops its header, licence, title page and contents and
finds its chapters), and then each of them again with the sentences of every paragraph in
reverse order. The corpus holds about 260,000 words, so the second pass is what makes the
length; reversing sentences keeps every sentence, and so the quotation marks, dashes and
italics a real book has, while giving every chapter a text of its own. A sentence is only cut
off where no quotation or italics is open, so each keeps its marks balanced.

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
import textwrap
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"
CORPUS = REPO.parent / "shared" / "corpus"
DEFAULT_NOVEL = CORPUS / "pride-and-prejudice" / "source.txt"
JOINED_TARGET_WORDS = 500_000
POLL_SECONDS = 0.05
BIN = Path(sys.executable).parent
BOOKS = ("novel", "joined")


def tool(name: str) -> list[str]:
    """A console script of this venv, or the module run by its interpreter."""
    script = BIN / name
    return [str(script)] if script.is_file() else [sys.executable, "-m", name]


# Not the venv's console script: that imports whichever octavo the venv installed (another
# checkout's, for an editable install); the module run with this checkout's src/ first on
# PYTHONPATH (see ENV) is the code beside this script.
OCTAVO = [sys.executable, "-m", "octavo"]
WEASYPRINT = tool("weasyprint")
ENV = dict(os.environ,
           SOURCE_DATE_EPOCH=os.environ.get("SOURCE_DATE_EPOCH", "1767225600"),
           PYTHONPATH=os.pathsep.join(
               p for p in (str(SRC), os.environ.get("PYTHONPATH", "")) if p))


@dataclass(frozen=True)
class Run:
    wall: float
    peak_mb: float


@dataclass(frozen=True)
class Row:
    work: str
    run: Run | None  # None: skipped
    note: str = ""
    # × WeasyPrint wall, when it is not this run's wall over the baseline's (the median of
    # the per-round ratios over several rounds).
    ratio: float | None = None


def tree_rss(process: psutil.Process) -> int:
    """Resident memory of a process and all its descendants, in bytes."""
    total = 0
    for p in (process, *process.children(recursive=True)):
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            total += p.memory_info().rss
    return total


def measure(command: Sequence[str], cwd: Path | None = None) -> Run:
    """Wall time and the peak of the process tree's summed RSS while ``command`` runs."""
    start = time.perf_counter()
    process = psutil.Popen(list(command), cwd=cwd, env=ENV, stdout=subprocess.DEVNULL,
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


def median_run(runs: Sequence[Run]) -> Run:
    return Run(statistics.median(r.wall for r in runs), statistics.median(r.peak_mb for r in runs))


# --------------------------------------------------------------------------- the joined book

# Words a full stop follows inside a sentence (titles, abbreviations): no sentence ends there.
ABBREVIATIONS = frozenset({"mr", "mrs", "messrs", "dr", "st", "mme", "mlle", "no", "co",
                           "capt", "col", "gen", "rev", "esq", "viz", "vs", "etc", "ch"})
SENTENCE_END = re.compile(r"""([\w'-]*)[.!?]+['")\]_]*$""")
SENTENCE_START = re.compile(r"""["'_(]*[A-Z]""")
ROMAN = re.compile(r"[IVXLC]+")  # a section number ("II.") is no sentence


def ends_sentence(text: str) -> bool:
    found = SENTENCE_END.search(text)
    if found is None:
        return False
    word = found.group(1)
    return len(word) > 1 and word.lower() not in ABBREVIATIONS and not ROMAN.fullmatch(word)


def sentences(paragraph: str) -> list[str]:
    """A paragraph (one line, single spaces) cut into sentences, only where no quotation
    (straight ``"``, as Gutenberg texts have) and no ``_italics_`` is open."""
    out: list[str] = []
    start = 0
    quoted = italic = False
    for i, ch in enumerate(paragraph):
        if ch == '"':
            quoted = not quoted
        elif ch == "_":
            italic = not italic
        elif (ch == " " and not quoted and not italic and i > start
              and SENTENCE_START.match(paragraph, i + 1)
              and ends_sentence(paragraph[start:i])):
            out.append(paragraph[start:i])
            start = i + 1
    out.append(paragraph[start:])
    return out


# A single quotation mark opening a quotation inside another (an apostrophe sits after a letter).
NESTED_OPEN = re.compile(r"(?:^|[\s(])'\w")
QUOTED = re.compile(r'"([^"]*)("|$)')


def reordered(parts: list[str], keep_first: bool, keep_last: bool) -> list[str]:
    """``parts`` in reverse order, but for the first or last kept where they are."""
    head = parts[:1] if keep_first else []
    tail = parts[len(head):][-1:] if keep_last else []
    return [*head, *reversed(parts[len(head):len(parts) - len(tail)]), *tail]


def reversed_sentences(paragraph: str, continues_speech: bool = False) -> str:
    """The paragraph's sentences in reverse order, and those inside each quotation too.

    Where speech runs across paragraphs, the paragraph that goes on with it still opens with
    it (``continues_speech``), and a quotation still open at the paragraph's end stays at its
    end; a quotation's last words before a speech tag (``"…, I think," said he``) stay last;
    a quotation holding a quotation in single marks is left whole, so the marks pair up as
    they did."""

    def inside(found: re.Match[str]) -> str:
        said = found.group(1)
        if NESTED_OPEN.search(said):
            return found.group(0)
        parts = sentences(said)
        last_ends = bool(SENTENCE_END.search(parts[-1]))
        return f'"{" ".join(reordered(parts, False, not last_ends))}{found.group(2)}'

    quoted = QUOTED.sub(inside, paragraph)
    still_open = paragraph.count('"') % 2 == 1 or paragraph.count("_") % 2 == 1
    return " ".join(reordered(sentences(quoted), continues_speech, still_open))


def unwrap(lines: Sequence[str]) -> str:
    """Hard-wrapped lines -> one line, as the Gutenberg reader joins them: a line ending in a
    dash runs on without a space."""
    out = ""
    for line in lines:
        text = " ".join(line.split())
        out = text if not out else out + text if out.endswith("--") else f"{out} {text}"
    return out


def is_prose(block: Sequence[str]) -> bool:
    """A block of running text, set flush left: not a heading (no lower case), a contents
    list or verse (indented), nor a bracketed note or illustration."""
    text = " ".join(block)
    return (all(line == line.lstrip() for line in block) and any(c.islower() for c in text)
            and "[" not in text)


def with_reversed_sentences(text: str, width: int = 70) -> str:
    """A Gutenberg text with each prose paragraph between its START and END lines written
    with its sentences in reverse order and wrapped again; its header, licence, headings and
    blank lines as they were, so the reader sees the same structure."""
    lines = text.splitlines()
    start = next((i + 1 for i, ln in enumerate(lines) if ln.startswith("*** START OF")), 0)
    end = next((i for i, ln in enumerate(lines) if ln.startswith("*** END OF")), len(lines))
    out = lines[:start]
    block: list[str] = []

    speech_open = False  # the last paragraph ended inside a quotation

    def flush() -> None:
        nonlocal speech_open
        if block and is_prose(block):
            paragraph = unwrap(block)
            out.extend(textwrap.wrap(reversed_sentences(paragraph, speech_open), width,
                                     break_long_words=False, break_on_hyphens=False))
            speech_open = paragraph.count('"') % 2 == 1
        else:
            out.extend(block)
        block.clear()

    for line in lines[start:end]:
        if line.strip():
            block.append(line)
        else:
            flush()
            out.append(line)
    flush()
    return "\n".join(out + lines[end:]) + "\n"


def joined_corpus(folder: Path) -> Path:
    """The joined book (see the module's text) as a folder with its book.toml."""
    sources = sorted(CORPUS.glob("*/source.txt"))
    if not sources:
        raise SystemExit(f"no corpus at {CORPUS}")
    book = folder / "joined"
    book.mkdir()
    texts = [s.read_text(encoding="utf-8-sig") for s in sources]
    names = [f"{n:02d}-{s.parent.name}.txt" for n, s in enumerate(sources, start=1)]
    names += [f"{n:02d}-{s.parent.name}-reversed.txt"
              for n, s in enumerate(sources, start=len(sources) + 1)]
    for name, text in zip(names, [*texts, *(with_reversed_sentences(t) for t in texts)],
                          strict=True):
        (book / name).write_text(text, encoding="utf-8")
    listed = ", ".join(f'"{n}"' for n in names)
    (book / "book.toml").write_text(
        f'title = "The Corpus Joined"\nauthor = "Various"\nlanguage = "en"\nfiles = [{listed}]\n',
        encoding="utf-8")
    return book


@dataclass(frozen=True)
class Shape:
    """What octavo reads in a book: its size and its largest chapter (memory follows it)."""
    words: int
    chapters: int
    largest_paragraphs: int
    largest_words: int
    largest_title: str


def shape(target: Path) -> Shape:
    """The book read as the build reads it (this checkout's octavo); refuses a book where two
    chapters have the same text."""
    if str(SRC) not in sys.path:
        sys.path.insert(0, str(SRC))
    from octavo.build import load
    from octavo.model import Paragraph, block_text, body_chapters, inline_text, walk_blocks
    from octavo.stats import word_count

    book = load(target).book
    chapters = [c for c in body_chapters(book) if c.role == "chapter"]
    texts = ["\n".join(block_text(b) for b in c.blocks) for c in chapters]
    if len(set(texts)) < len(texts):
        raise SystemExit(f"{target}: two chapters have the same text")
    sizes = [(sum(isinstance(b, Paragraph) for b in walk_blocks(c.blocks)),
              len(text.split()), inline_text(c.title) or f"chapter {c.number}")
             for c, text in zip(chapters, texts, strict=True)]
    paragraphs, words, title = max(sizes)
    return Shape(word_count(book), len(chapters), paragraphs, words, title)


def manuscripts(book: Path) -> list[Path]:
    """A book's manuscript files in order: the file itself, or a folder's book.toml list."""
    if book.is_file():
        return [book]
    listed = re.search(r"^files = \[(.*)\]$", (book / "book.toml").read_text(), re.MULTILINE)
    assert listed is not None, "the joined book lists its files"
    return [book / name for name in re.findall(r'"([^"]+)"', listed.group(1))]


def edit_one_chapter(book: Path) -> None:
    """Change one word in the middle of the book's middle manuscript: one chapter's text
    differs, nothing else."""
    files = manuscripts(book)
    source = files[len(files) // 2]
    text = source.read_text(encoding="utf-8")
    at = text.index(" the ", len(text) // 2)
    source.write_text(text[:at] + " that " + text[at + len(" the "):], encoding="utf-8")


# --------------------------------------------------------------------------- the rows


def page_ranges(numbers: Sequence[int], most: int = 6) -> str:
    """1-based page numbers as ranges, the first ``most`` of them (a table cell, not a
    list): ``15-337, 363-366, … (21 runs)``."""
    spans: list[list[int]] = []
    for n in numbers:
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    shown = ", ".join(f"{a}-{b}" if a != b else f"{a}" for a, b in spans[:most])
    return shown + (f", … ({len(spans)} runs)" if len(spans) > most else "")


def same_pages(octavo_pdf: Path, weasyprint_pdf: Path) -> str:
    """Whether the baseline laid out the same book: text page for page (octavo pads the book
    to an even page count with a blank page); where not, which pages differ and whether it is
    only where the pages break (the same lines, running heads and folios over the book)."""
    from octavo.press.pagemap import page_texts

    ours, alone = page_texts(octavo_pdf.read_bytes()), page_texts(weasyprint_pdf.read_bytes())
    extra = "".join(ours[len(alone):]).strip()
    # octavo's padding page has no twin: compared as extra text, not page for page.
    differ = [n for n, (a, b) in enumerate(zip(ours, alone, strict=False), start=1) if a != b]
    if not differ and not extra and len(ours) >= len(alone):
        return f"{len(alone)} pages, the same text on every page"
    lines = sorted(ln for page in ours for ln in page.splitlines() if ln.strip())
    same_lines = lines == sorted(ln for page in alone for ln in page.splitlines() if ln.strip())
    what = ("the same lines, other page breaks" if same_lines else "DIFFERENT text")
    return (f"{len(alone)} pages ({len(ours)} from octavo), {what} on {len(differ)}: "
            f"pages {page_ranges(differ)}")


def ensure_pandoc(install: bool) -> str | None:
    found = shutil.which("pandoc")
    if found is None and install:
        subprocess.run(["apt-get", "install", "-y", "pandoc"], check=True,
                       stdout=subprocess.DEVNULL)
        found = shutil.which("pandoc")
    return found


def pandoc_chain(pandoc: str, texts: Sequence[str], out: Path) -> Run:
    """pandoc's standalone HTML of the manuscripts, then WeasyPrint's PDF of it: the two
    walls added, the larger of the two peaks."""
    to_html = measure([pandoc, "-s", "-f", "markdown", *texts, "-o", str(out / "pandoc.html")])
    laid_out = measure([*WEASYPRINT, str(out / "pandoc.html"), str(out / "pandoc.pdf")])
    return Run(to_html.wall + laid_out.wall, max(to_html.peak_mb, laid_out.peak_mb))


# Issue 22's sixth target: every format from one layout, so asking for HTML beside the PDF
# costs what the PDF alone costs.
FORMAT_ROWS = (("pdf", "octavo PDF only"), ("html", "octavo print HTML only (--format html)"),
               ("pdf,html", "octavo PDF and print HTML in one run"))


def format_rows(book: Path, out: Path, cache: Path) -> list[Row]:
    """The print formats alone and together, each from an empty cache, with each wall as a
    ratio to the PDF alone."""
    runs: dict[str, Run] = {}
    for formats, _ in FORMAT_ROWS:
        shutil.rmtree(cache, ignore_errors=True)
        runs[formats] = measure([*OCTAVO, "build", str(book), "-o",
                                 str(out / formats.replace(",", "-")), "-q", "--format", formats])
    pdf = runs["pdf"].wall
    return [Row(work, runs[formats],
                "" if formats == "pdf" else f"{runs[formats].wall / pdf:.2f} × the PDF alone")
            for formats, work in FORMAT_ROWS]


def bench_book(source: Path, pandoc: str | None, rounds: int = 1) -> list[Row]:
    """The rows for one book (a manuscript file or a book folder)."""
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="octavo-bench-") as tmp:
        work = Path(tmp)
        if source.is_dir():
            folder = work / "book"
            shutil.copytree(source, folder, ignore=shutil.ignore_patterns(".octavo-cache"))
            book = folder
        else:
            folder = work / "book"
            folder.mkdir()
            book = folder / source.name
            shutil.copyfile(source, book)
        cache = folder / ".octavo-cache"
        out = work / "out"
        exported = measure([*OCTAVO, "build", str(book), "-o", str(out / "html"), "-q",
                            "--format", "html"])
        html = next((out / "html").glob("*.html"))
        full = [*OCTAVO, "build", str(book), "-o", str(out / "full"), "-q"]
        texts = [str(f) for f in manuscripts(book)]
        builds: list[Run] = []
        singles: list[Run] = []
        chains: list[Run] = []
        for _ in range(rounds):  # alternated, so a slow spell of the machine hits every row
            shutil.rmtree(cache, ignore_errors=True)  # every full build from an empty cache
            shutil.rmtree(out / "full", ignore_errors=True)
            builds.append(measure(full))
            singles.append(measure([*WEASYPRINT, str(html), str(out / "weasyprint.pdf")]))
            if pandoc is not None:
                chains.append(pandoc_chain(pandoc, texts, out))
        single = median_run(singles)
        # Before the edit below changes the book the export was made from.
        compared = same_pages(next((out / "full").glob("*.pdf")), out / "weasyprint.pdf")
        ratios = [b.wall / s.wall for b, s in zip(builds, singles, strict=True)]
        spread = (f"median of {rounds} rounds alternated with WeasyPrint; × WeasyPrint per "
                  f"round: {', '.join(f'{r:.2f}' for r in ratios)}" if rounds > 1 else "")
        if chains:
            to_pandoc = [b.wall / c.wall for b, c in zip(builds, chains, strict=True)]
            spread += (f"{'; ' if spread else ''}× pandoc → HTML → WeasyPrint per round: "
                       f"{', '.join(f'{r:.2f}' for r in to_pandoc)} "
                       f"(median **{statistics.median(to_pandoc):.2f}**)")
        rows.append(Row("octavo full build (EPUB + PDF, defaults)", median_run(builds), spread,
                        statistics.median(ratios)))
        edit_one_chapter(book)
        rows.append(Row("octavo rebuild after a one-chapter edit", measure(full)))
        rows.append(Row("octavo EPUB only",
                        measure([*OCTAVO, "build", str(book), "-o", str(out / "epub"), "-q",
                                 "--format", "epub"])))
        # After the rebuild, which needs the full build's cache: each of these empties it.
        rows.extend(format_rows(book, out, cache))
        rows.append(Row("WeasyPrint alone on octavo's print HTML", single,
                        f"{'median; ' if rounds > 1 else ''}"
                        f"export not timed here ({exported.wall:.1f} s); {compared}"))
        if pandoc is None:
            rows.append(Row("pandoc → EPUB", None, "pandoc not installed: skipped"))
            rows.append(Row("pandoc → HTML → WeasyPrint", None, "pandoc not installed: skipped"))
            return rows
        rows.append(Row("pandoc → EPUB",
                        measure([pandoc, "-f", "markdown", *texts, "-o",
                                 str(out / "pandoc.epub")])))
        chain = median_run(chains)
        rows.append(Row("pandoc → HTML → WeasyPrint", chain,
                        "median of the rounds, alternated with octavo's full build"
                        if rounds > 1 else "pandoc's wall plus WeasyPrint's; the larger peak"))
    return rows


def table(title: str, rows: list[Row]) -> str:
    baseline = next(row.run for row in rows if row.work.startswith("WeasyPrint alone"))
    assert baseline is not None
    out = [f"### {title}", "",
           "| work | wall s | peak RSS MB (process tree) | × WeasyPrint wall | "
           "× WeasyPrint RSS | note |",
           "|---|---:|---:|---:|---:|---|"]
    for row in rows:
        run = row.run
        if run is None:
            out.append(f"| {row.work} | – | – | – | – | {row.note} |")
            continue
        ratio = row.ratio if row.ratio is not None else run.wall / baseline.wall
        out.append(f"| {row.work} | {run.wall:.1f} | {run.peak_mb:.0f} | {ratio:.2f} | "
                   f"{run.peak_mb / baseline.peak_mb:.2f} | {row.note} |")
    return "\n".join(out) + "\n"


def describe(name: str, book: Shape) -> str:
    return (f"{name} ({book.words:,} words, {book.chapters} chapters; largest chapter "
            f"“{book.largest_title}”: {book.largest_paragraphs:,} paragraphs, "
            f"{book.largest_words:,} words)")


@dataclass(frozen=True)
class Options:
    novel: Path
    books: tuple[str, ...]
    rounds: int
    install_peers: bool


def usage_error(message: str) -> SystemExit:
    print(f"bench_build.py: {message}\n{usage()}", file=sys.stderr)
    return SystemExit(2)


def usage() -> str:
    doc = __doc__ or ""
    return doc[doc.index("usage:"):doc.index("\n\n", doc.index("  --help"))]


def parse(argv: Sequence[str]) -> Options | None:
    """The options, or None when the usage was asked for."""
    novel = DEFAULT_NOVEL
    books: tuple[str, ...] = BOOKS
    rounds, install = 1, False
    positional: list[str] = []
    for arg in argv:
        name, _, value = arg.partition("=")
        if name in ("--help", "-h"):
            return None
        if name == "--books":
            books = tuple(b for b in value.split(",") if b)
            if not books or set(books) - set(BOOKS):
                raise usage_error(f"--books takes {' or '.join(BOOKS)}, got '{value}'")
        elif name == "--rounds":
            if not value.isdigit() or int(value) < 1:
                raise usage_error(f"--rounds takes a whole number from 1, got '{value}'")
            rounds = int(value)
        elif name == "--install-peers" and not value:
            install = True
        elif arg.startswith("-"):
            raise usage_error(f"unknown option '{arg}'")
        else:
            positional.append(arg)
    if len(positional) > 1:
        raise usage_error("one NOVEL at most")
    if positional:
        novel = Path(positional[0])
    return Options(novel, books, rounds, install)


def main(argv: Sequence[str]) -> None:
    options = parse(argv)
    if options is None:
        print(usage())
        return
    pandoc = ensure_pandoc(options.install_peers)
    # Each command's imports read compiled modules, as an installed octavo's do: with
    # PYTHONDONTWRITEBYTECODE set, a module edited since its bytecode was written would be
    # compiled again by every command (0.15 of a rebuild's 2.4 CPU seconds).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(SRC)], check=True,
                   stdout=subprocess.DEVNULL)
    version = subprocess.run([*OCTAVO, "--version"], capture_output=True, text=True,
                             env=ENV).stdout.strip()
    print(f"octavo: {version} from {SRC}; {os.cpu_count()} cores; "
          f"RSS polled every {POLL_SECONDS * 1000:.0f} ms\n")
    if "novel" in options.books:
        novel = options.novel
        name = novel.parent.name if novel.is_file() else novel.name
        print(table(describe(name, shape(novel)), bench_book(novel, pandoc, options.rounds)),
              flush=True)
    if "joined" in options.books:
        with tempfile.TemporaryDirectory(prefix="octavo-joined-") as tmp:
            joined = joined_corpus(Path(tmp))
            made = shape(joined)
            short = (f"; below the {JOINED_TARGET_WORDS:,} asked for"
                     if made.words < JOINED_TARGET_WORDS * 9 // 10 else "")
            title = describe("the corpus joined twice: each Gutenberg text as it is, then each "
                             "again with every paragraph's sentences in reverse order; one "
                             "manuscript per pass of a book, in a folder with its book.toml",
                             made) + short
            print(table(title, bench_book(joined, pandoc, options.rounds)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
