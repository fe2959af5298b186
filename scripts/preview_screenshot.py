"""Screenshots of `octavo preview` taken by headless chromium (Debian's, driven by
playwright): docs/preview.png (the ebook view) and docs/preview-print.png (the print view) of
a book made by `octavo new`.

    .venv/bin/python scripts/preview_screenshot.py docs/
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def main(outdir: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "the-quiet-harbour"
        subprocess.run([sys.executable, "-m", "octavo", "new", str(book), "--title",
                        "The Quiet Harbour", "--author", "Ada Writer"], check=True,
                       capture_output=True)
        server = subprocess.Popen([sys.executable, "-m", "octavo", "preview", str(book),
                                   "--port", "0"], stderr=subprocess.PIPE, text=True)
        try:
            assert server.stderr is not None
            m = re.search(r"http://127\.0\.0\.1:\d+/", server.stderr.readline())
            assert m
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                page = browser.new_page(viewport={"width": 1100, "height": 900})
                page.goto(m.group(0))
                page.locator("#front-2-preface").scroll_into_view_if_needed()
                page.screenshot(path=str(outdir / "preview.png"))
                page.goto(m.group(0) + "print")
                page.wait_for_function(
                    "document.querySelectorAll('#octavo-print img').length > 8 && "
                    "[...document.querySelectorAll('#octavo-print img')]"
                    ".every(i => i.complete && i.naturalWidth > 0)", timeout=120_000)
                page.evaluate("window.scrollTo(0, document.querySelectorAll("
                              "'#octavo-print img')[8].offsetTop - 40)")
                page.screenshot(path=str(outdir / "preview-print.png"))
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs"))
