"""Score octavo against proofread editions, beside pandoc and calibre.

usage: python benchmarks/corpus_score.py [CORPUS_DIR] [--no-cache] [--tools=octavo,pandoc]
                                         [--record=tests/fixtures/readers/peer_scores.json]

For each ``CORPUS_DIR/<book>/source.txt`` (default ``../shared/corpus`` beside the repo), every
tool builds an EPUB and ``../shared/tools/score_gold.py BOOK.epub GOLD_DIR --json`` scores it
against ``<book>/gold/``. A peer that is not installed is skipped. Peer results are cached in
``$TMPDIR/octavo-corpus-score`` (keyed by the source's hash and the tool's version), so reruns
only rebuild octavo. Prints one table: book x tool x metric.

To add a tool, write ``def build_<name>(source: Path, out: Path) -> Path`` and add a ``Tool``
to ``TOOLS``; to add a column, add a ``Column`` to ``COLUMNS``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
SCORER = REPO.parent / "shared" / "tools" / "score_gold.py"
CACHE = Path(tempfile.gettempdir()) / "octavo-corpus-score"

Scores = Mapping[str, float]


# --------------------------------------------------------------------------- tools


def build_octavo(source: Path, out: Path) -> Path:
    from octavo.build import build

    os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")
    result = build(source, out, ("epub",))
    return result.outputs["epub"]


def build_pandoc(source: Path, out: Path) -> Path:
    epub = out / "pandoc.epub"
    subprocess.run(["pandoc", "-f", "markdown+smart", str(source), "-o", str(epub)],
                   check=True, capture_output=True)
    return epub


def build_calibre(source: Path, out: Path) -> Path:
    epub = out / "calibre.epub"
    subprocess.run(["ebook-convert", str(source), str(epub), "--enable-heuristics",
                    "--smarten-punctuation"], check=True, capture_output=True)
    return epub


def smartypants_xhtml(xhtml: str) -> str:
    """SmartyPants (quotes, ``--`` em dashes, ellipses) over one XHTML document, its numeric
    entities turned back into characters."""
    import re

    import smartypants

    head, sep, body = xhtml.partition("<body")
    curled = smartypants.smartypants(body, smartypants.Attr.set1)
    return head + sep + re.sub(r"&#(\d+);", lambda m: chr(int(m.group(1))), curled)


def build_smartypants(source: Path, out: Path) -> Path:
    """octavo's own paragraphs (reader and clean-up only, no typography rules), each XHTML
    file of its EPUB then run through SmartyPants: the peer judged on the same text."""
    import zipfile
    from unittest import mock

    from octavo.normalize.cleanup import collapse_whitespace, unicode_nfc

    with mock.patch("octavo.build.rules_for", lambda _options: (unicode_nfc, collapse_whitespace)):
        plain = build_octavo(source, out / "plain")
    epub = out / "smartypants.epub"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(epub, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith(".xhtml") and not info.filename.endswith("nav.xhtml"):
                data = smartypants_xhtml(data.decode("utf-8")).encode("utf-8")
            dst.writestr(info, data)
    return epub


def _smartypants_version() -> str | None:
    try:
        import smartypants
    except ImportError:
        return None
    return str(smartypants.__version__)


def _version(command: Sequence[str]) -> str | None:
    if shutil.which(command[0]) is None:
        return None
    try:
        done = subprocess.run(list(command), capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return (done.stdout or done.stderr).splitlines()[0] if (done.stdout or done.stderr) else "?"


@dataclass(frozen=True)
class Tool:
    name: str
    build: Callable[[Path, Path], Path]
    # The tool's version when it is installed, else None (the tool is skipped). A tool with a
    # version is a peer whose results may be cached; octavo itself is always rebuilt.
    version: Callable[[], str | None]
    cacheable: bool = True


TOOLS: list[Tool] = [
    Tool("octavo", build_octavo, lambda: "working tree", cacheable=False),
    Tool("pandoc", build_pandoc, lambda: _version(["pandoc", "--version"])),
    Tool("calibre", build_calibre, lambda: _version(["ebook-convert", "--version"])),
    # Runs on octavo's reader output, so it is rebuilt with the working tree like octavo.
    Tool("smartypants", build_smartypants, _smartypants_version, cacheable=False),
]


# --------------------------------------------------------------------------- scoring


def score_epub(epub: Path, gold: Path) -> dict[str, float]:
    done = subprocess.run([sys.executable, str(SCORER), str(epub), str(gold), "--json"],
                          capture_output=True, text=True, check=True)
    scores: dict[str, float] = json.loads(done.stdout)
    return scores


def _cache_key(tool: Tool, version: str, source: Path) -> str:
    digest = hashlib.sha256(source.read_bytes() + SCORER.read_bytes()).hexdigest()[:16]
    return f"{tool.name}-{hashlib.sha256(version.encode()).hexdigest()[:8]}-{digest}.json"


def score_tool(tool: Tool, book: Path, use_cache: bool = True) -> dict[str, float] | None:
    """The tool's scores on one corpus book, or None when the tool is not installed."""
    version = tool.version()
    if version is None:
        return None
    source, gold = book / "source.txt", book / "gold"
    cached = CACHE / _cache_key(tool, version, source)
    if tool.cacheable and use_cache and cached.is_file():
        result: dict[str, float] = json.loads(cached.read_text())
        return result
    with tempfile.TemporaryDirectory(prefix=f"score-{tool.name}-") as tmp:
        epub = tool.build(source, Path(tmp))
        scores = score_epub(epub, gold)
    if tool.cacheable:
        CACHE.mkdir(parents=True, exist_ok=True)
        cached.write_text(json.dumps(scores))
    return scores


# --------------------------------------------------------------------------- table


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Scores], str]


def _fixed(key: str, digits: int = 3) -> Callable[[Scores], str]:
    return lambda s: f"{float(s[key]):.{digits}f}" if key in s else "-"


def extra_share(scores: Scores) -> float:
    """Output words not in the gold, as a share of the gold's words."""
    return float(scores["extra_words"]) / max(1.0, float(scores["gold_words"]))


COLUMNS: list[Column] = [
    Column("chap_f1", _fixed("chapters_f1", 4)),
    Column("chaps", lambda s: f"{int(s['chapters_out'])}/{int(s['chapters_gold'])}"),
    Column("para_f1", _fixed("paragraphs_f1", 4)),
    Column("ital_f1", _fixed("italics_f1", 4)),
    Column("recall", _fixed("word_recall", 4)),
    Column("extra%", lambda s: f"{100 * extra_share(s):.2f}"),
    Column("curl_acc", _fixed("curl_acc", 4)),
    Column("emdash_acc", _fixed("emdash_acc", 4)),
]


def table(results: Mapping[str, Mapping[str, Scores | None]]) -> str:
    """One row per book and tool; a tool that is not installed shows as such."""
    headers = ["book", "tool", *(c.header for c in COLUMNS)]
    rows: list[list[str]] = []
    for book, by_tool in results.items():
        for tool, scores in by_tool.items():
            if scores is None:
                rows.append([book, tool, *(["(not installed)"] + [""] * (len(COLUMNS) - 1))])
            else:
                rows.append([book, tool, *(c.value(scores) for c in COLUMNS)])
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    lines = [" | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(lines)


def corpus_books(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.iterdir() if (p / "source.txt").is_file() and (p / "gold").is_dir())


def main(argv: Sequence[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    use_cache = "--no-cache" not in argv
    names = next((a.split("=", 1)[1].split(",") for a in argv if a.startswith("--tools=")), None)
    corpus = Path(args[0]) if args else DEFAULT_CORPUS
    if not corpus.is_dir():
        print(f"no corpus at {corpus}", file=sys.stderr)
        return 2
    tools = [t for t in TOOLS if names is None or t.name in names]
    results: dict[str, dict[str, Scores | None]] = {}
    for book in corpus_books(corpus):
        results[book.name] = {t.name: score_tool(t, book, use_cache) for t in tools}
        print(f"scored {book.name}", file=sys.stderr)
    print(table(results))
    record = next((a.split("=", 1)[1] for a in argv if a.startswith("--record=")), None)
    if record:
        # The peers' figures, for the corpus test to compare with where peers aren't installed.
        peers = {book: {tool: scores for tool, scores in by_tool.items()
                        if tool != "octavo" and scores is not None}
                 for book, by_tool in results.items()}
        Path(record).write_text(json.dumps(peers, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
