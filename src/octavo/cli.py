"""Command line: parse arguments, call the library, print. No logic of its own."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from . import __version__
from .errors import OctavoError
from .model import Diagnostic

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


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("-o", "--outdir", type=click.Path(path_type=Path), default=Path("build"),
              show_default=True, help="Folder for the outputs.")
@click.option("--format", "fmt", type=click.Choice(["epub", "pdf", "all"]), default="all",
              show_default=True)
@click.option("-q", "--quiet", is_flag=True, help="No progress messages.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@reports_errors
def build(path: Path, outdir: Path, fmt: str, quiet: bool, debug: bool) -> None:
    """Build PATH (a manuscript file or a book folder) into OUTDIR."""
    from .build import build as run_build

    formats: tuple[Any, ...] = ("epub", "pdf") if fmt == "all" else (fmt,)
    result = run_build(path, outdir, formats, progress=_progress(quiet))
    _report(result.diagnostics, quiet)
    for kind, out in result.outputs.items():
        extra = f" ({result.page_count} pages)" if kind == "pdf" else ""
        click.echo(f"{out}{extra}")


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
@click.option("-q", "--quiet", is_flag=True, help="No progress messages.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@reports_errors
def arc(path: Path, reviewers: Path | None, outdir: Path, jobs: int | None, quiet: bool,
        debug: bool) -> None:
    """Build review copies (advance reader copies) of PATH into OUTDIR."""
    from .review.arc import make_arcs

    result = make_arcs(path, outdir, reviewers, jobs=jobs, progress=_progress(quiet))
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
    from .cover import build_cover

    out, spec = build_cover(path, outdir, pages, paper)  # type: ignore[arg-type]
    width, height = spec.size
    click.echo(f"{out} ({width:.3f} x {height:.3f} in, spine {spec.spine:.3f} in, "
               f"{spec.pages} pages)")


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


if __name__ == "__main__":  # pragma: no cover
    main()
