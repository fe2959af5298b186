"""WeasyPrint's CPU time per page on octavo's print HTML beside pandoc's HTML of the same book.

usage: python benchmarks/weasyprint_per_page.py [NOVEL] [--rounds=N] [--help]

  NOVEL       a manuscript file (default: Pride and Prejudice from ../shared/corpus)
  --rounds=N  each document laid out and written N times, alternated (default: 2)

octavo's HTML is its print edition exported with ``--format html`` (its lines already set:
each paragraph's lines end in forced breaks), laid out as one document; pandoc's is
``pandoc -s -f markdown`` of the same manuscript (pandoc must be installed: ``apt-get install
pandoc``). Each run is a subprocess of this venv that renders and writes the PDF; the CPU
seconds are its own (``time.process_time``), so a machine shared with other work slows the
figures less than wall time would. Reports the medians: render, write and their sum per page,
and octavo's per page as a ratio to pandoc's.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_build import DEFAULT_NOVEL, ENV, OCTAVO

# Run in a subprocess: WeasyPrint's caches (fonts, shaped words) start empty for each document.
MEASURE = """
import json, logging, sys, time
import weasyprint
logging.getLogger("weasyprint").setLevel(logging.ERROR)
start = time.process_time()
document = weasyprint.HTML(sys.argv[1]).render()
rendered = time.process_time()
document.write_pdf(sys.argv[2])
print(json.dumps({"pages": len(document.pages), "render": rendered - start,
                  "write": time.process_time() - rendered}))
"""


def measured(html: Path, pdf: Path) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-c", MEASURE, str(html), str(pdf)], env=ENV,
                          capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str]) -> None:
    if "--help" in argv or "-h" in argv:
        print(__doc__)
        return
    rounds = next((int(a.split("=", 1)[1]) for a in argv if a.startswith("--rounds=")), 2)
    args = [a for a in argv if not a.startswith("--")]
    novel = Path(args[0]) if args else DEFAULT_NOVEL
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        raise SystemExit("pandoc is not installed (apt-get install pandoc)")
    with tempfile.TemporaryDirectory(prefix="octavo-wp-") as tmp:
        work = Path(tmp)
        book = work / "book" / novel.name
        book.parent.mkdir()
        shutil.copyfile(novel, book)
        subprocess.run([*OCTAVO, "build", str(book), "-o", str(work / "html"), "-q",
                        "--format", "html", "--no-cache"], env=dict(ENV, OCTAVO_CACHE_DIR=tmp),
                       check=True, stdout=subprocess.DEVNULL)
        documents = {"octavo": next((work / "html").glob("*.html")),
                     "pandoc": work / "pandoc.html"}
        subprocess.run([pandoc, "-s", "-f", "markdown", str(book), "-o",
                        str(documents["pandoc"]), "--metadata", f"title={novel.stem}"],
                       check=True)
        runs: dict[str, list[dict[str, float]]] = {name: [] for name in documents}
        for _ in range(rounds):  # alternated, so a slow spell of the machine hits both
            for name, html in documents.items():
                runs[name].append(measured(html, work / f"{name}.pdf"))
    print(f"### WeasyPrint CPU per page: {novel.parent.name or novel.stem} "
          f"({rounds} rounds, medians; {os.cpu_count()} cores)\n")
    print("| HTML | pages | render s | write s | ms per page |\n|---|---:|---:|---:|---:|")
    per_page: dict[str, float] = {}
    for name, found in runs.items():
        pages = int(found[0]["pages"])
        render = statistics.median(r["render"] for r in found)
        write = statistics.median(r["write"] for r in found)
        per_page[name] = statistics.median((r["render"] + r["write"]) / pages for r in found)
        print(f"| {name} | {pages} | {render:.1f} | {write:.1f} | "
              f"{per_page[name] * 1000:.1f} |")
    print(f"\noctavo's per page: {per_page['octavo'] / per_page['pandoc']:.2f}× pandoc's")


if __name__ == "__main__":
    main(sys.argv[1:])
