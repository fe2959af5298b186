"""The print edition as one HTML document with its stylesheet and fonts beside it, so that
``weasyprint book.html book.pdf`` lays it out in one pass: a fair baseline for octavo's
speed and a way to debug a theme.

The HTML is octavo's final print HTML (the lines octavo chose and, with level spreads, the
page breaks it chose); the CSS is every stylesheet the PDF is laid out with, in order.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from ..errors import OctavoError
from ..model import Book
from .layout import PdfOptions, settled_layout

# octavo hands WeasyPrint its stylesheets as user style sheets, below the document's own
# <style> (the chosen lines' rules) in the cascade. Linked from the document they would be
# author style sheets; inside a cascade layer they again lose to the document's unlayered
# rules, whatever their selectors' specificity.
LAYER = "octavo"

_URL = re.compile(r"""url\(\s*(["']?)([^"')]+)\1\s*\)""")
_IMG_SRC = re.compile(r"""<img\b[^>]*?\bsrc="([^"]+)\"""")


@dataclass(frozen=True, slots=True)
class PrintHtml:
    html: str
    css: str
    # Files the HTML and CSS refer to (fonts, images, a colour profile): path relative to
    # the output folder -> the file to copy there.
    assets: dict[str, Path]


def _relative_inside(target: Path, root: Path) -> str | None:
    """``target`` as a POSIX path relative to ``root``, or None when it lies outside."""
    try:
        return target.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None


def _portable_css(css: str, base: str | None, assets: dict[str, Path]) -> str:
    """The stylesheet with each local ``url()`` pointing at a copy beside the exported CSS: a
    relative one keeps its path (a theme's ``fonts/…``), an absolute file one its name."""

    def rewrite(found: re.Match[str]) -> str:
        url = found.group(2).strip()
        if url.startswith(("data:", "#")):
            return found.group(0)
        if url.startswith("file:"):
            source = Path(unquote(urlparse(url).path))
            relative = source.name
        elif "://" in url or base is None:
            return found.group(0)
        else:
            root = Path(base)
            source = root / unquote(url)
            inside = _relative_inside(source, root)
            if inside is None:
                raise OctavoError(f"the stylesheet refers to '{url}', outside its folder", root)
            relative = inside
        assets[relative] = source
        return f'url("{relative}")'

    return _URL.sub(rewrite, css)


def _images(document: str, root: Path, assets: dict[str, Path]) -> None:
    """The book's images the HTML shows, copied to the same relative paths."""
    for src in _IMG_SRC.findall(document):
        url = html_lib.unescape(src)
        if url.startswith("data:") or "://" in url:
            continue
        relative = _relative_inside(root / unquote(url), root)
        if relative is not None:
            assets[relative] = root / relative


def export_print_html(book: Book, options: PdfOptions, stylesheet_name: str) -> PrintHtml:
    """The final print HTML linking ``stylesheet_name``, the CSS and the files both use."""
    laid = settled_layout(book, options)
    # The theme's fonts folder whole: the OFL has its licence travel with the fonts.
    fonts = options.theme.path / "fonts"
    assets = {f"fonts/{f.name}": f for f in sorted(fonts.iterdir()) if f.is_file()} \
        if fonts.is_dir() else {}
    sheets = [_portable_css(text, base, assets) for text, base in laid.stylesheets]
    css = f"@layer {LAYER} {{\n" + "\n".join(sheets) + "\n}\n"
    root = options.allowed_roots[0] if options.allowed_roots else options.theme.path
    _images(laid.html, root, assets)
    link = f'<link rel="stylesheet" href="{html_lib.escape(stylesheet_name)}"/>\n'
    charset = '<meta charset="utf-8"/>\n'
    return PrintHtml(laid.html.replace(charset, charset + link, 1), css, assets)
