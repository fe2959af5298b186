"""Command line: parse arguments, call the library, print. No logic of its own."""

from __future__ import annotations

import atexit
import json
import os
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from . import __version__
from .errors import OctavoError
from .model import Diagnostic
from .scaffold import SHAPES

if TYPE_CHECKING:
    from .preflight import PreflightReport

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(fn: F) -> F:
    """Turn an ``OctavoError`` (or any failure) into one line on stderr and exit code 1."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = bool(kwargs.get("debug"))
        try:
            return fn(*args, **kwargs)
        except OctavoError as exc:
            if debug:
                traceback.print_exc()
            for d in getattr(exc, "diagnostics", ()):
                click.echo(f"octavo: {d}", err=True)
            click.echo(f"octavo: error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("octavo: interrupted", err=True)
            sys.exit(130)
        except Exception as exc:  # a bug of ours: still one line unless asked for more
            if debug:
                traceback.print_exc()
            click.echo(f"octavo: internal error: {type(exc).__name__}: {exc} "
                       "(run with --debug for details)", err=True)
            sys.exit(2)

    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return cast(F, wrapper)


def _progress(quiet: bool) -> Callable[[str], None]:
    if quiet:
        return lambda _msg: None
    from rich.console import Console

    console = Console(stderr=True, highlight=False)
    return lambda msg: console.print(f"[dim]octavo:[/dim] {msg}…")


def _report(diagnostics: Iterable[Diagnostic], quiet: bool) -> None:
    """Each diagnostic once on stderr; ``--quiet`` keeps warnings and errors, drops notes."""
    for d in diagnostics:
        if not (quiet and d.severity == "info"):
            click.echo(f"octavo: {d}", err=True)


@click.group()
@click.version_option(__version__, prog_name="octavo")
def main() -> None:
    """octavo: a manuscript in, an EPUB, a print PDF and review copies out."""


@contextmanager
def _book_progress(total: int, quiet: bool) -> Iterator[Callable[[Iterable[str]], None]]:
    """One bar over a catalogue's books on stderr; a finished book's messages above it.
    Yields what to call when a book is done, with its messages."""
    if quiet:
        def echo(lines: Iterable[str]) -> None:
            for line in lines:
                click.echo(line, err=True)

        yield echo
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    console = Console(stderr=True, highlight=False)
    columns = (TextColumn("[dim]octavo:[/dim] building books"), BarColumn(),
               MofNCompleteColumn(), TimeElapsedColumn())
    # Output paths go to stdout after the bar is gone: nothing else may write under it.
    with Progress(*columns, console=console, redirect_stdout=False,
                  redirect_stderr=False) as progress:
        task = progress.add_task("books", total=total)

        def done(lines: Iterable[str]) -> None:
            for line in lines:
                console.print(line, markup=False, soft_wrap=True)
            progress.advance(task)

        yield done


def _build_catalogue(targets: tuple[Path, ...], outdir: Path, formats: tuple[Any, ...],
                     jobs: int | None, scheduler: str | None, quiet: bool, debug: bool,
                     cache: bool) -> None:
    from .catalogue import build_catalogue

    outputs: list[str] = []
    failed = 0
    with _book_progress(len(targets), quiet) as book_done:
        for written in build_catalogue(targets, outdir, formats, jobs, scheduler, cache):
            outcome = written.outcome
            lines = [f"octavo: {outcome.name}: {d}" for d in outcome.diagnostics
                     if not (quiet and d.severity == "info")]
            if outcome.error is not None:
                failed += 1
                if debug and outcome.details:
                    lines.append(outcome.details.rstrip())
                # The error names the book's file already when the book is that one file.
                named = outcome.error.startswith(f"{outcome.name}:")
                lines.append(f"octavo: error: {'' if named else outcome.name + ': '}"
                             f"{outcome.error}")
            elif not quiet:
                lines.append(f"octavo: built {outcome.name}")
            book_done(lines)
            outputs.extend(f"{out} ({outcome.page_count} pages)" if out.suffix == ".pdf"
                           else str(out) for out in written.outputs)
    for line in outputs:
        click.echo(line)
    if failed:
        raise OctavoError(f"{failed} of {len(targets)} books failed")


def parse_formats(text: str) -> tuple[Any, ...]:
    """``epub,onix`` -> ("epub", "onix"): each known, each once, in the order given; ``all`` is
    EPUB and PDF."""
    from .build import FORMATS

    out: list[str] = []
    for name in (part.strip().lower() for part in text.split(",")):
        chosen = ["epub", "pdf"] if name == "all" else [name]
        if name != "all" and name not in FORMATS:
            raise OctavoError(f"unknown format '{name}' (use {', '.join(FORMATS)} or all, "
                              "several joined by commas)")
        out += [f for f in chosen if f not in out]
    return tuple(out)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--outdir", type=click.Path(path_type=Path), default=Path("build"),
              show_default=True,
              help="Folder for the outputs (with several books, one folder each inside).")
@click.option("--format", "fmt", default="all", show_default=True, metavar="FORMATS",
              help="epub, pdf, html, onix or all, or several joined by commas (epub,onix). "
                   "all: EPUB and PDF; html: the print edition's HTML with its CSS and fonts, "
                   "for `weasyprint BOOK.html BOOK.pdf`; onix: the ONIX 3.0 record of the "
                   "print and ebook editions (lays the print book out for its page count).")
@click.option("--digital", is_flag=True,
              help="The PDF for reading on screens, as <slug>-digital.pdf: the print "
                   "edition's pages tagged for accessibility (PDF/UA-1: structure, reading "
                   "order, bookmarks), without bleed, crop marks or PDF/X.")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Processes for several books (default: every core).")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="Build on the Dask cluster whose scheduler is at ADDRESS "
                   "(tcp://host:8786); needs octavo[cluster].")
@click.option("-q", "--quiet", is_flag=True, help="No progress messages.")
@click.option("--no-cache", is_flag=True,
              help="Lay out every chapter again instead of taking unchanged ones from "
                   ".octavo-cache/ in the book's folder (or $OCTAVO_CACHE_DIR).")
@click.option("--strict", is_flag=True,
              help="Fail (exit 1, nothing written) when the book has warnings: for CI.")
@click.option("--json", "as_json", is_flag=True,
              help="Print one JSON object (outputs, pages, words, seconds, diagnostics).")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@reports_errors
def build(paths: tuple[Path, ...], outdir: Path, fmt: str, digital: bool, jobs: int | None,
          scheduler: str | None, quiet: bool, no_cache: bool, strict: bool, as_json: bool,
          debug: bool) -> None:
    """Build PATHS into OUTDIR. Each path is a manuscript file, a book folder (one holding
    book.toml or manuscript files) or a folder of book folders (a catalogue)."""
    from .build import build as run_build
    from .catalogue import book_targets

    started = time.monotonic()
    formats = parse_formats(fmt)
    targets = book_targets(paths)
    if len(targets) > 1 or scheduler is not None:
        if digital:
            raise OctavoError("--digital builds one book at a time, not a catalogue",
                              hint="build each book with --digital")
        _build_catalogue(targets, outdir, formats, jobs, scheduler, quiet, debug,
                         cache=not no_cache)
        return
    result = run_build(targets[0], outdir, formats, progress=_progress(quiet or as_json),
                       strict=strict, cache=not no_cache, digital=digital)
    seconds = time.monotonic() - started
    if as_json:
        from .check import finding_json

        click.echo(json.dumps({
            "outputs": {kind: str(out) for kind, out in result.outputs.items()},
            "pages": result.page_count, "words": result.words, "seconds": round(seconds, 2),
            "diagnostics": [finding_json(d) for d in result.diagnostics],
            **({"preflight": result.preflight.as_json()} if result.preflight else {}),
        }, ensure_ascii=False, indent=2))
        _fail_on_preflight(result.preflight)
        return
    _report(result.diagnostics, quiet)
    for kind, out in result.outputs.items():
        extra = f" ({result.page_count} pages)" if kind == "pdf" else ""
        click.echo(f"{out}{extra}")
    if not quiet:
        pages = f"{result.page_count} pages, " if result.page_count else ""
        click.echo(f"octavo: built {pages}{result.words:,} words in {seconds:.1f} s: "
                   f"{', '.join(str(out) for out in result.outputs.values())}", err=True)
    if result.preflight is not None:
        from .preflight import format_finding

        for finding in result.preflight.findings:
            click.echo(f"octavo: {format_finding(finding)}", err=True)
        _fail_on_preflight(result.preflight)


def _fail_on_preflight(report: PreflightReport | None) -> None:
    """A build for a printer whose PDF the printer would refuse fails (exit 1), its files
    written, so that CI notices before the upload does."""
    if report is not None and report.errors:
        raise OctavoError(f"the PDF fails {report.printer.name}'s checks ({report.errors} "
                          "error(s))", report.interior,
                          hint="see the lines above; octavo preflight BOOK checks the cover too")


@main.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--title", default=None, help="The book's title (default: from FOLDER's name).")
@click.option("--author", default=None, help="The author's name (default: Your Name).")
@click.option("--template", "shape", type=click.Choice(SHAPES), default=SHAPES[0],
              show_default=True,
              help="The sample chapters: a novel, poems, a play or a book of letters.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@reports_errors
def new(folder: Path, title: str | None, author: str | None, shape: str, debug: bool) -> None:
    """Start a book in FOLDER: book.toml, sample chapters, front and back matter."""
    from .scaffold import scaffold_book

    for written in scaffold_book(folder, title, author, shape=shape):
        click.echo(str(written))
    click.echo(f"octavo: next: octavo build {folder} (or octavo preview {folder} to watch it "
               "as you write)", err=True)


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the findings as a JSON list.")
@click.option("--epub", "epub_file", type=click.Path(path_type=Path), default=None,
              help="Also run EPUBCheck on this built EPUB.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@reports_errors
def check(path: Path, as_json: bool, epub_file: Path | None, debug: bool) -> None:
    """Check PATH's manuscript without building it: exit 1 when a finding is an error."""
    from .check import check_manuscript, finding_json, format_finding
    from .check.epub import epubcheck_findings

    findings = list(check_manuscript(path).findings)
    if epub_file is not None:
        findings += epubcheck_findings(epub_file)
    errors = sum(1 for f in findings if f.severity == "error")
    if as_json:
        click.echo(json.dumps([finding_json(f) for f in findings], ensure_ascii=False,
                              indent=2))
    else:
        for f in findings:
            click.echo(format_finding(f))
        warnings = sum(1 for f in findings if f.severity == "warning")
        notes = len(findings) - errors - warnings
        click.echo(f"octavo: {errors} error(s), {warnings} warning(s), {notes} note(s)",
                   err=True)
    if errors:
        sys.exit(1)


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the figures as a JSON object.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@reports_errors
def stats(path: Path, as_json: bool, debug: bool) -> None:
    """Words, chapters, estimated printed pages per trim and reading time of PATH, with what
    reading it found (text left out, an encoding guessed...), as a build prints it."""
    from .check import finding_json
    from .loaded import load
    from .stats import book_stats, reading_time

    loaded = load(path)
    figures = book_stats(loaded)
    if as_json:
        click.echo(json.dumps({
            "title": figures.title, "words": figures.words, "chapters": figures.chapters,
            "trim": figures.trim, "estimated_pages": figures.pages,
            "reading_minutes": figures.reading_minutes,
            "diagnostics": [finding_json(d) for d in loaded.diagnostics],
        }, ensure_ascii=False, indent=2))
        return
    _report(loaded.diagnostics, quiet=False)
    click.echo(f"{figures.title}")
    click.echo(f"  words          {figures.words:,}")
    click.echo(f"  chapters       {figures.chapters}")
    click.echo(f"  reading time   {reading_time(figures.reading_minutes)}")
    click.echo("  pages (estimated, without laying the book out):")
    for trim, pages in figures.pages.items():
        mark = "  <- book.toml" if trim == figures.trim else ""
        click.echo(f"    {trim:<10} {pages:>5}{mark}")


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--reviewers", type=click.Path(path_type=Path), default=None,
              help="CSV of reviewers (name; email, outlet optional): one personal PDF and EPUB "
                   "each. Default: [arc] reviewers in book.toml, or reviewers.csv in the book's "
                   "folder.")
@click.option("-o", "--outdir", type=click.Path(path_type=Path), default=Path("build/arc"),
              show_default=True, help="Folder for the review copies and the manifest.")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Processes for personal copies (default: every core).")
@click.option("--no-cache", is_flag=True,
              help="Lay out every chapter again instead of taking unchanged ones from "
                   ".octavo-cache/ in the book's folder (or $OCTAVO_CACHE_DIR).")
@click.option("-q", "--quiet", is_flag=True, help="No progress messages.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@reports_errors
def arc(path: Path, reviewers: Path | None, outdir: Path, jobs: int | None, no_cache: bool,
        quiet: bool, debug: bool) -> None:
    """Build review copies (advance reader copies) of PATH into OUTDIR."""
    from .review.arc import make_arcs

    result = make_arcs(path, outdir, reviewers, jobs=jobs, progress=_progress(quiet),
                       cache=not no_cache)
    _report(result.diagnostics, quiet)
    click.echo(f"{result.pdf} ({result.page_count} pages)")
    click.echo(f"{result.epub}")
    if result.manifest:
        click.echo(f"{result.manifest} ({len(result.copies)} personal copies)")


@main.command("arc-trace")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--manifest", type=click.Path(path_type=Path), default=None,
              help="arc-manifest.csv to name the reviewer from a copy id "
                   "(default: the one beside FILE).")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@reports_errors
def arc_trace(file: Path, manifest: Path | None, debug: bool) -> None:
    """Name the reviewer a review copy (PDF or EPUB) was made for, and list its marks."""
    from .review.trace import format_report, trace_copy

    click.echo(format_report(trace_copy(file, manifest)))


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("-o", "--outdir", type=click.Path(path_type=Path), default=Path("build"),
              show_default=True, help="Folder for the cover PDF.")
@click.option("--pages", type=click.IntRange(min=1), default=None,
              help="The interior's page count (default: lay the interior out and count).")
@click.option("--paper", type=click.Choice(["white", "cream"]), default=None,
              help="Interior paper, for the spine width (default: book.toml, else white).")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@reports_errors
def cover(path: Path, outdir: Path, pages: int | None, paper: str | None, debug: bool) -> None:
    """Write the full-wrap print cover (back, spine, front) for PATH."""
    from .print_jobs import build_cover

    out, spec = build_cover(path, outdir, pages, paper)  # type: ignore[arg-type]
    width, height = spec.size
    click.echo(f"{out} ({width:.3f} x {height:.3f} in, spine {spec.spine:.3f} in, "
               f"{spec.pages} pages)")


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--printer", type=click.Choice(["kdp", "ingram", "lulu"]), default=None,
              help="The print-on-demand service whose checks to run (default: [print] "
                   "printer in book.toml, else kdp).")
@click.option("--cover", "cover_pdf", type=click.Path(path_type=Path), default=None,
              help="A cover PDF to check with an interior PDF (a book's is built with it).")
@click.option("--paper", type=click.Choice(["white", "cream"]), default="white",
              show_default=True, help="The interior paper, for a given cover's spine width.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@reports_errors
def preflight(path: Path, printer: str | None, cover_pdf: Path | None, paper: str,
              as_json: bool, debug: bool) -> None:
    """Check PATH (an interior PDF, or a book built first into a temporary folder, with its
    cover) as a printer's own preflight does: exit 1 on an error."""
    from .preflight import DEFAULT_PRINTER, format_finding, preflight_files, printer_profile
    from .print_jobs import preflight_book

    if path.suffix.lower() == ".pdf" and path.is_file():
        report = preflight_files(path, printer_profile(printer or DEFAULT_PRINTER), cover_pdf,
                                 paper)  # type: ignore[arg-type]
    else:
        if cover_pdf is not None:
            raise OctavoError("--cover goes with an interior PDF; a book's cover is built "
                              "with it", cover_pdf)
        report = preflight_book(path, printer)
    if as_json:
        click.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        for finding in report.findings:
            click.echo(format_finding(finding))
        checked = report.interior + (f" and {report.cover}" if report.cover else "")
        click.echo(f"octavo: {report.printer.name}: {checked}, {report.pages} pages: "
                   f"{report.errors} error(s), {report.warnings} warning(s)", err=True)
    if report.errors:
        sys.exit(1)


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--port", type=click.IntRange(min=0, max=65535), default=8000, show_default=True,
              help="Port on 127.0.0.1 (0: any free port).")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@reports_errors
def preview(path: Path, port: int, debug: bool) -> None:
    """Show PATH in a browser, as the ebook and as print pages, reloading as you write."""
    from .preview import serve_preview

    def ready(url: str) -> None:
        click.echo(f"octavo: previewing {path} at {url} (print pages at {url}print); "
                   "Ctrl-C stops", err=True)

    serve_preview(path, port, ready)


@main.command()
@click.argument("pdf", type=click.Path(path_type=Path))
@click.option("-o", "--outdir", type=click.Path(path_type=Path), default=Path("build/proof"),
              show_default=True, help="Folder for the PNG spreads.")
@click.option("--pages", default=None,
              help="Pages to show, e.g. 1-12 or 3,5,9-10 (default: front matter and the "
                   "first chapter's opening).")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@reports_errors
def proof(pdf: Path, outdir: Path, pages: str | None, debug: bool) -> None:
    """Write PNG spreads of BOOK.pdf, as a reader sees them."""
    from .proof import write_proofs

    for written in write_proofs(pdf, outdir, pages):
        click.echo(str(written))


@main.command()
def schema() -> None:
    """Print the JSON Schema of book.toml (every key, its type and what it does)."""
    import json

    from .schema import json_schema

    click.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))


def run() -> None:
    """The ``octavo`` command: ``main``, then out of the process at once.

    A build leaves a large heap (the book, WeasyPrint's faces and caches), and the
    interpreter's own exit frees it object by object: 0.4 s after a novel's build, a thirtieth
    of it, with nothing left to do. The exit handlers still run (pools, temporary folders,
    logging) and the streams are flushed; only that freeing is skipped, and only when no
    other thread is left that the interpreter would wait for.
    """
    try:
        main()
        status: str | int | None = 0
    except SystemExit as done:
        status = done.code
    if any(t is not threading.main_thread() and not t.daemon for t in threading.enumerate()):
        sys.exit(status)
    atexit._run_exitfuncs()
    if status is not None and not isinstance(status, int):
        print(status, file=sys.stderr)  # as sys.exit("message") does
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(exit_code(status))


def exit_code(status: str | int | None) -> int:
    """The process's exit code for a ``SystemExit`` code, as the interpreter makes it."""
    if status is None:
        return 0
    if isinstance(status, int):
        return status & 0xFF
    return 1


if __name__ == "__main__":  # pragma: no cover
    run()
