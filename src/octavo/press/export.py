"""The print edition as one HTML document with its stylesheet and fonts beside it, so that
``weasyprint book.html book.pdf`` lays it out in one pass: a fair baseline for octavo's
speed and a way to debug a theme.

The HTML is the pieces the PDF is laid out from (``press.pieces``), each with the lines octavo
chose and, with level spreads, the page breaks it chose, joined into one document; the CSS is
every stylesheet the PDF is laid out with, in order.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from ..errors import OctavoError
from ..model import Book
from .cache import ChapterCache
from .chapters import LaidOut
from .document import PdfOptions, PrintParts, stylesheet_sources, with_dates
from .hyphenation import apply_hyphenation_exceptions
from .notes import NOTES_CSS, REST_CLASS, note_area_rules
from .pieces import Settled, laid_out_pieces
from .scan import INDEX_ATTR, LEAD_ATTR, PREBREAK_CSS

# octavo hands WeasyPrint its stylesheets as user style sheets, below the pieces' own
# <style> (the chosen lines' rules) in the cascade. Linked from the document they would be
# author style sheets; inside a cascade layer they again lose to the unlayered rules after
# it (the chosen lines'), whatever their selectors' specificity.
LAYER = "octavo"

_URL = re.compile(r"""url\(\s*(["']?)([^"')]+)\1\s*\)""")
_IMG_SRC = re.compile(r"""<img\b[^>]*?\bsrc="([^"]+)\"""")
_LEAD = re.compile(f'{LEAD_ATTR}="(\\d+)"')
_INDEX = re.compile(f'{INDEX_ATTR}="(\\d+)"')
_STYLE = f"<style>{PREBREAK_CSS}"


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


@dataclass(slots=True)
class _Numbering:
    """Each piece numbers its paragraphs and its lead-in lines' rules from 0; the document
    holding them all numbers them on through the book."""

    paragraphs: int = 0
    rules: int = 0

    def renumbered(self, body: str, rules: list[str]) -> tuple[str, list[str]]:
        paragraphs, lead_ins = self.paragraphs, self.rules

        def shifted(pattern: re.Pattern[str], by: int, text: str) -> str:
            return pattern.sub(lambda m: m.group(0).replace(m.group(1), str(int(m.group(1)) + by)),
                               text)

        numbers = [int(n) for n in _INDEX.findall(body)]
        self.paragraphs += max(numbers) + 1 if numbers else 0
        self.rules += len(rules)
        return (shifted(_LEAD, lead_ins, shifted(_INDEX, paragraphs, body)),
                [shifted(_LEAD, lead_ins, rule) for rule in rules])


def _wrapped(html: str, wrapper: str) -> tuple[str, list[str]]:
    """What a piece's document holds inside its one wrapper (``frontmatter``, ``mainmatter``
    or ``backmatter``), and its lead-in lines' rules."""
    opening = f'<div class="{wrapper}">\n'
    start = html.index(opening, html.index("<body")) + len(opening)
    end = html.rindex("\n</div>", 0, html.rindex("</body>"))
    style = html.index(_STYLE) + len(_STYLE)
    rules = html[style:html.index("</style>", style)]
    return html[start:end], rules.split("\n") if rules else []


def _without_strings(section: str, strings: str) -> str:
    """A section laid out alone carries the running heads' element, which the book has once."""
    cut = section.index(">") + 1
    if not section.startswith(strings, cut):
        raise RuntimeError("a laid-out piece lacks the running heads' element")
    return section[:cut] + section[cut + len(strings):]


def joined_html(settled: Settled, options: PdfOptions) -> tuple[str, str]:
    """The pieces as they were laid out, joined into the one document they were cut from: the
    front matter without the stand-ins for the body's sections it was laid out with (one
    document has the sections themselves), each section once; and the rules the pieces'
    <style> held (the chosen lines', a note's continuation), for the stylesheet's end."""
    parts: PrintParts = settled.parts
    numbering = _Numbering()
    rules: list[str] = []

    page_rules: list[str] = []

    def taken(laid: LaidOut, wrapper: str) -> str:
        for rule in note_area_rules(laid.html):
            if rule not in page_rules:
                page_rules.append(rule)
        body, own_rules = _wrapped(laid.html, wrapper)
        body, own_rules = numbering.renumbered(body, own_rules)
        rules.extend(own_rules)
        return body

    front = ""
    if settled.front is not None:
        front = taken(settled.front, "frontmatter")
        if front.count(settled.front_targets) != 1:
            raise RuntimeError("the laid-out front matter lacks its section stand-ins")
        front = front.replace(settled.front_targets, "", 1)
    main: list[str] = []
    back: list[str] = []
    for (section, _), laid in zip(parts.sections(), settled.laid, strict=True):
        wrapper = "backmatter" if section.kind == "back" else "mainmatter"
        (back if section.kind == "back" else main).append(
            _without_strings(taken(laid, wrapper), parts.strings))
    first = main if main else back
    if not front and first:
        # The running heads' element (and what is on every page) in the first page's element.
        cut = first[0].index(">") + 1
        first[0] = (first[0][:cut] + apply_hyphenation_exceptions(
            parts.strings + parts.every_page, parts.hyphenation) + first[0][cut:])
    body = "\n".join(
        [f'<div class="frontmatter">\n{front}\n</div>' if front else "",
         f'<div class="mainmatter">\n{chr(10).join(main)}\n</div>',
         f'<div class="backmatter">\n{chr(10).join(back)}\n</div>' if back else "",
         *(apply_hyphenation_exceptions(html, parts.hyphenation)
           for html in options.extra_back_html)])
    head = with_dates(parts.head, options.modified)
    # A note run on to the next page: its continuation's rules and the note area's limit,
    # which the piece was laid out with.
    notes = NOTES_CSS + "".join(page_rules) if REST_CLASS in body else ""
    return (head + body + "\n</body>\n</html>\n",
            f"{PREBREAK_CSS}{notes}{chr(10).join(rules)}\n")


def export_print_html(book: Book, options: PdfOptions, stylesheet_name: str,
                      cache: ChapterCache | None = None) -> PrintHtml:
    """The print HTML the PDF is laid out from (its pieces laid out, unchanged ones taken from
    ``cache``) linking ``stylesheet_name``, the CSS and the files both use."""
    settled = laid_out_pieces(book, options, cache)
    document, rules = joined_html(settled, options)
    # The theme's fonts folder whole: the OFL has its licence travel with the fonts.
    fonts = options.theme.path / "fonts"
    assets = {f"fonts/{f.name}": f for f in sorted(fonts.iterdir()) if f.is_file()} \
        if fonts.is_dir() else {}
    sheets = [_portable_css(text, base, assets)
              for text, base in stylesheet_sources(book, options, settled.margins_pages)]
    # The pieces' rules after the layer, unlayered, in the one stylesheet rather than in a
    # <style> of the document's: WeasyPrint reads every @page rule of a document's sheets
    # once for each of them, at each page (1.3 ms a page).
    css = f"@layer {LAYER} {{\n" + "\n".join(sheets) + "\n}\n" + rules
    root = options.allowed_roots[0] if options.allowed_roots else options.theme.path
    _images(document, root, assets)
    link = f'<link rel="stylesheet" href="{html_lib.escape(stylesheet_name)}"/>\n'
    charset = '<meta charset="utf-8"/>\n'
    return PrintHtml(document.replace(charset, charset + link, 1), css, assets)
