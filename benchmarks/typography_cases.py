"""The typography hard cases (tests/fixtures/typography/hard_cases.txt) through octavo and its
peers: the share of cases each gets exactly right.

usage: python benchmarks/typography_cases.py [--tools=octavo,smartypants,pandoc,calibre]
                                             [--failures=TOOL] [--differences=CORPUS_BOOK_DIR]

Peers: SmartyPants (``smartypants`` on PyPI, ``Attr.set1``: quotes, ``--`` em dashes,
ellipses), pandoc ``-f markdown+smart`` and calibre ``ebook-convert --smarten-punctuation``;
a peer that is not installed is skipped. Peers see the same paragraphs (``*x*`` is emphasis
for pandoc; SmartyPants and calibre read it as text, as the expected output writes it). A peer
has no language options, so it is scored on every case as it stands. "exact" compares
characters; "marks" folds the kind of space (no-break, narrow, hair) into a plain space, so a
peer is not penalised for spacing alone.

``--differences=DIR`` lists every word where octavo's EPUB of ``DIR/source.txt`` differs from
the gold edition ``DIR/gold`` in em dashes or quote direction (the shared scorer's alignment),
each classified: a dash the gold adds where the manuscript has other punctuation, or drops
where the manuscript has one, is an editorial difference of the gold's source edition.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# The cases and the corpus comparison live with the normalizer's tests; their conftest helpers
# are imported by name from tests/ (as pytest's pythonpath does).
sys.path[:0] = [str(REPO / "tests" / "normalize"), str(REPO / "tests")]

from test_typography_cases import CASES, Case, run_octavo  # type: ignore[import-not-found, unused-ignore]  # noqa: E402

Runner = Callable[[list[Case]], list[tuple[str, ...]]]
MARKER = "OCTAVOCASEMARKER"


def octavo(cases: list[Case]) -> list[tuple[str, ...]]:
    return [run_octavo(c)[0] for c in cases]


def smartypants_text(text: str) -> str:
    import smartypants

    curled = smartypants.smartypants(text, smartypants.Attr.set1)
    return re.sub(r"&#(\d+);", lambda m: chr(int(m.group(1))), curled)


def smartypants_peer(cases: list[Case]) -> list[tuple[str, ...]]:
    return [tuple(smartypants_text(p) for p in c.source) for c in cases]


def _joined_document(cases: list[Case]) -> str:
    parts: list[str] = []
    for n, case in enumerate(cases):
        parts.append(f"{MARKER}{n}")
        parts.extend(case.source)
    return "\n\n".join(parts) + "\n"


def _split_document(paragraphs: list[str], count: int) -> list[tuple[str, ...]]:
    out: list[list[str]] = [[] for _ in range(count)]
    current = -1
    for p in paragraphs:
        m = re.fullmatch(rf"{MARKER}(\d+)", p.strip())
        if m:
            current = int(m.group(1))
        elif current >= 0 and p.strip():
            out[current].append(p.strip("\n"))
    return [tuple(o) for o in out]


def pandoc_peer(cases: list[Case]) -> list[tuple[str, ...]]:
    done = subprocess.run(
        ["pandoc", "-f", "markdown+smart", "-t", "html", "--wrap=none"],
        input=_joined_document(cases), capture_output=True, text=True, check=True)
    paragraphs = []
    for m in re.finditer(r"<p>(.*?)</p>", done.stdout, re.S):
        text = re.sub(r"</?em>", "*", m.group(1))
        text = re.sub(r"</?strong>", "**", text)
        text = re.sub(r"<code>(.*?)</code>", r"`\1`", text)
        paragraphs.append(html.unescape(re.sub(r"<[^>]+>", "", text)))
    return _split_document(paragraphs, len(cases))


def calibre_peer(cases: list[Case]) -> list[tuple[str, ...]]:
    with tempfile.TemporaryDirectory(prefix="calibre-cases-") as tmp:
        src, out = Path(tmp, "cases.txt"), Path(tmp, "out.txt")
        src.write_text(_joined_document(cases), encoding="utf-8")
        # Plain input: the asterisks stay characters, as the expected outputs write them.
        subprocess.run(["ebook-convert", str(src), str(out), "--smarten-punctuation",
                        "--formatting-type=plain", "--txt-output-encoding=utf-8",
                        "--max-line-length=0"],
                       check=True, capture_output=True)
        text = out.read_text(encoding="utf-8")
    return _split_document(re.split(r"\n\s*\n", text), len(cases))


TOOLS: dict[str, tuple[Runner, Callable[[], bool]]] = {
    "octavo": (octavo, lambda: True),
    "smartypants": (smartypants_peer, lambda: _importable("smartypants")),
    "pandoc": (pandoc_peer, lambda: shutil.which("pandoc") is not None),
    "calibre": (calibre_peer, lambda: shutil.which("ebook-convert") is not None),
}


def _importable(name: str) -> bool:
    try:
        __import__(name)
    except ImportError:
        return False
    return True


def fold_spaces(paragraphs: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(re.sub(r"[\u00a0\u202f\u200a\u2009]", " ", p).replace("  ", " ")
                 for p in paragraphs)


def fold_hair(paragraphs: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(re.sub(r" ?\u200a ?", "", p) for p in fold_spaces(paragraphs))


def scores(cases: list[Case], results: list[tuple[str, ...]]) -> tuple[float, float]:
    exact = sum(r == c.expected for c, r in zip(cases, results, strict=True))
    marks = sum(fold_hair(r) == fold_hair(c.expected) for c, r in zip(cases, results, strict=True))
    return exact / len(cases), marks / len(cases)


# --------------------------------------------------------------------------- corpus differences


def corpus_differences(book: Path) -> int:
    """Print octavo's quote and dash differences from the gold on one corpus book."""
    from test_typography_corpus import differences  # type: ignore[import-not-found, unused-ignore]

    from octavo.build import build

    with tempfile.TemporaryDirectory(prefix="typography-diff-") as tmp:
        epub = build(book / "source.txt", Path(tmp), ("epub",)).outputs["epub"]
        found = differences(epub, book / "gold")
    kinds: dict[str, int] = {}
    for kind, gold, out, context in found:
        kinds[kind] = kinds.get(kind, 0) + 1
        print(f"{kind[:40]:40} gold {gold!r:18} octavo {out!r:18} | {context}")
    print()
    for kind, n in sorted(kinds.items(), key=lambda kv: -kv[1]):
        print(f"{n:5}  {kind}")
    return 0


def main(argv: Sequence[str]) -> int:
    differences = next((a.split("=", 1)[1] for a in argv if a.startswith("--differences=")), None)
    if differences:
        return corpus_differences(Path(differences))
    names = next((a.split("=", 1)[1].split(",") for a in argv if a.startswith("--tools=")),
                 list(TOOLS))
    show = next((a.split("=", 1)[1] for a in argv if a.startswith("--failures=")), None)
    cases = list(CASES)
    print(f"{len(cases)} hard cases, {sum(len(c.source) for c in cases)} paragraphs\n")
    print(f"{'tool':12} | {'exact':>7} | {'marks':>7}")
    print(f"{'-' * 12}-+-{'-' * 7}-+-{'-' * 7}")
    for name in names:
        runner, available = TOOLS[name]
        if not available():
            print(f"{name:12} | (not installed)")
            continue
        results = runner(cases)
        exact, marks = scores(cases, results)
        print(f"{name:12} | {100 * exact:6.1f}% | {100 * marks:6.1f}%")
        if name == show:
            for case, got in zip(cases, results, strict=True):
                if got != case.expected:
                    print(f"    {case.title}: {got!r} != {case.expected!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
