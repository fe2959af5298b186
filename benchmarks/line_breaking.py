"""Even colour, measured: octavo's optimal fit, without and with level spreads.

usage: python benchmarks/line_breaking.py MANUSCRIPT [THEME ...]
Builds the print PDF in each theme with octavo's line breaking, without and with level
spreads, then prints page_quality.py's figures (loose share, hyphen ladders, median and
p95 word space), tofu.py's missing glyphs, the mid-chapter spreads whose pages end at
different depths, the lines octavo chose that WeasyPrint printed otherwise (re-broken:
press.rebroken; none is the goal; each is named on stderr) and the build time, with the
time ratio of level spreads. Reads ../shared/tools; writes under a temporary folder.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from octavo.build import load
from octavo.press.document import PdfOptions
from octavo.press.pieces import render_pdf
from octavo.press.settings import PrintSettings
from octavo.proof import uneven_spreads
from octavo.themes import available_themes

TOOLS = Path(__file__).resolve().parents[2] / "shared" / "tools"


def measure(pdf: Path) -> dict[str, str]:
    quality = subprocess.run([sys.executable, str(TOOLS / "page_quality.py"), str(pdf)],
                             capture_output=True, text=True).stdout.strip().splitlines()[-1]
    tofu = subprocess.run([sys.executable, str(TOOLS / "tofu.py"), str(pdf)],
                          capture_output=True, text=True).stdout.strip().splitlines()[-1]
    figures = dict(re.findall(r"(median|p95) ([\d.]+)x", quality))
    return {
        "loose": re.search(r"\(> 1.5x\) ([\d.]+)%", quality).group(1),  # type: ignore[union-attr]
        "ladders": re.search(r"ladders (\d+)", quality).group(1),  # type: ignore[union-attr]
        "median": figures.get("median", "?"), "p95": figures.get("p95", "?"),
        "tofu": tofu.split(":")[-1].strip(),
    }


def spread_figure(pdf: Path) -> str:
    spreads, uneven = uneven_spreads(pdf)
    return f"{uneven}/{spreads}"


def main() -> None:
    manuscript = Path(sys.argv[1])
    themes = sys.argv[2:] or list(available_themes())
    out = Path(tempfile.mkdtemp(prefix="octavo-linebreak-"))
    print("| theme | breaking | loose % | ladders | median | p95 | missing glyphs "
          "| uneven spreads | re-broken lines | build s |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    try:
        for theme in themes:
            folder = out / theme
            folder.mkdir()
            shutil.copy(manuscript, folder / manuscript.name)
            (folder / "book.toml").write_text(f'theme = "{theme}"\n', encoding="utf-8")
            loaded = load(folder)
            times = {}
            for mode in ("optimal", "optimal, level spreads"):
                press = dataclasses.replace(PrintSettings(), level_spreads="level" in mode)
                options = PdfOptions(theme=loaded.theme, trim=loaded.settings.trim,
                                     allowed_roots=(loaded.settings.root,), press=press)
                start = time.perf_counter()
                result = render_pdf(loaded.book, dataclasses.replace(options))
                times[mode] = time.perf_counter() - start
                pdf = folder / f"{mode}.pdf"
                pdf.write_bytes(result.data)
                f = measure(pdf)
                rebroken = str(len(result.rebroken))
                print(f"| {theme} | {mode} | {f['loose']} | {f['ladders']} | {f['median']} | "
                      f"{f['p95']} | {f['tofu']} | {spread_figure(pdf)} | {rebroken} "
                      f"| {times[mode]:.1f} |", flush=True)
                for line in result.rebroken:
                    print(f"<!-- re-broken: {line} -->", file=sys.stderr)
            print(f"| {theme} | time ratio level spreads / optimal | | | | | | | | "
                  f"{times['optimal, level spreads'] / times['optimal']:.2f} |", flush=True)
    finally:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
