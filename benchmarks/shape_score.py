"""Score octavo's EPUB of every book in ``../shared/corpus-shapes`` with the shared checker.

usage: python benchmarks/shape_score.py [SHAPES_DIR] [--book NAME ...] [--examples]

For each ``SHAPES_DIR/<book>/source.txt`` octavo builds the EPUB (no cache) and
``../shared/tools/check_shapes.py BOOK.epub SHAPES_DIR/<book> --score`` scores it against the
proofread gold; the score rows of every book are printed one after another, so the table in
an issue note is measured with the same ruler each time. ``--examples`` keeps the checker's
examples of what failed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SHAPES = REPO.parent / "shared" / "corpus-shapes"
CHECKER = REPO.parent / "shared" / "tools" / "check_shapes.py"


def build_epub(source: Path, out: Path) -> Path:
    env = dict(os.environ, SOURCE_DATE_EPOCH="1767225600")
    subprocess.run([sys.executable, "-m", "octavo", "build", str(source), "-o", str(out),
                    "--format", "epub", "--quiet", "--no-cache"], check=True, env=env,
                   capture_output=True)
    return next(out.glob("*.epub"))


def score(epub: Path, book: Path, examples: bool) -> str:
    run = subprocess.run([sys.executable, str(CHECKER), str(epub), str(book), "--score"],
                         capture_output=True, text=True, check=False)
    text = run.stdout
    if not examples:
        text = text.split("\nexamples:")[0]
    return text.rstrip()


def main(argv: list[str]) -> int:
    examples = "--examples" in argv
    names = [argv[i + 1] for i, arg in enumerate(argv[:-1]) if arg == "--book"]
    positional = [a for i, a in enumerate(argv)
                  if not a.startswith("--") and (i == 0 or argv[i - 1] != "--book")]
    shapes = Path(positional[0]) if positional else DEFAULT_SHAPES
    if not CHECKER.exists() or not shapes.is_dir():
        print(f"shape_score: {shapes} or {CHECKER} not found", file=sys.stderr)
        return 1
    books = sorted(p for p in shapes.iterdir() if (p / "source.txt").exists())
    if names:
        books = [b for b in books if b.name in names]
    for book in books:
        with tempfile.TemporaryDirectory() as tmp:
            epub = build_epub(book / "source.txt", Path(tmp))
            print(score(epub, book, examples), flush=True)
            print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
