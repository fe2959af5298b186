"""Lines octavo chose that WeasyPrint did not print as chosen.

A paragraph octavo sets reaches WeasyPrint as lines ending in forced breaks. A chosen line that
Pango finds wider than the measure is wrapped again (its last word alone on a line of its own);
one that the breaks do not delimit as written is set differently. Both are found by comparing,
paragraph by paragraph, the text of each chosen line (read from the document's elements) with
the text of the lines WeasyPrint laid out (its line boxes): the same check serves a test on a
small book and a benchmark on a novel.
"""

from __future__ import annotations

import collections
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from typing import Any

from .scan import INDEX_ATTR, LINE_END, SET_CLASS


@dataclass(frozen=True, slots=True)
class Rebroken:
    """A chosen line not printed as one line: its paragraph (index among the scanned
    paragraphs), its text, and the lines WeasyPrint printed for the paragraph."""

    paragraph: int
    chosen: str
    printed: tuple[str, ...]


# The values of ``white-space`` under which a newline in the text is a forced break.
NEWLINES_KEPT = frozenset({"pre", "pre-wrap", "pre-line", "break-spaces"})


def _walk(box: Any, floats: bool = True) -> Iterator[Any]:
    """A box and its descendants (without floats and what they hold, unless ``floats``)."""
    yield box
    for child in getattr(box, "children", None) or ():
        if floats or not child.is_floated():
            yield from _walk(child, floats)


def _squeezed(text: str) -> str:
    """Text as a reader compares it: runs of white space are one space, none at the ends."""
    return " ".join(text.split())


def chosen_lines(element: Any, floating: Collection[Any] = (),
                 newlines_kept: bool = False) -> list[str]:
    """The lines of a set paragraph's element: its text cut at its forced breaks (a
    ``<br/>``, and a newline where its white space keeps them), without the text of the
    ``floating`` elements (a drop capital stands beside its lines)."""
    lines = [""]

    def add(text: str | None) -> None:
        first, *others = (text or "").split(LINE_END) if newlines_kept else [text or ""]
        lines[-1] += first
        lines.extend(others)

    def visit(node: Any) -> None:
        if str(node.tag).rpartition("}")[2].lower() == "br":
            lines.append("")
        elif any(node is other for other in floating):
            pass
        else:
            add(node.text)
            for child in node:
                visit(child)
        if node is not element:
            add(node.tail)

    visit(element)
    return [_squeezed(line) for line in lines]


def _line_text(line: Any) -> str:
    from weasyprint.formatting_structure import boxes

    return _squeezed("".join(box.text for box in _walk(line, floats=False)
                             if isinstance(box, boxes.TextBox)))


@dataclass(slots=True)
class Printed:
    """A set paragraph as WeasyPrint laid it out: its elements (one split across a chosen
    page break has two), those of its floats, and the text of each line, in order."""

    elements: list[Any] = field(default_factory=list)
    floating: list[Any] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    newlines_kept: bool = False  # its white space keeps newlines (``pre-line``)


def printed_lines(document: Any) -> dict[int, Printed]:
    """Each set paragraph of a laid-out document as printed, by its index."""
    from weasyprint.formatting_structure import boxes

    out: dict[int, Printed] = {}
    for page in document.pages:
        for box in _walk(page._page_box):
            element = getattr(box, "element", None)
            if not isinstance(box, boxes.BlockBox) or element is None \
                    or getattr(box, "element_tag", "") != "p":
                continue
            index = element.get(INDEX_ATTR)
            if index is None or SET_CLASS not in (element.get("class") or "").split():
                continue
            printed = out.setdefault(int(index), Printed())
            printed.newlines_kept = box.style["white_space"] in NEWLINES_KEPT
            if not any(e is element for e in printed.elements):
                printed.elements.append(element)
            printed.floating.extend(b.element for b in _walk(box)
                                    if b is not box and b.is_floated())
            printed.lines.extend(_line_text(child) for child in box.children
                                 if isinstance(child, boxes.LineBox))
    return out


def rebroken_lines(document: Any) -> list[Rebroken]:
    """Every chosen line of a laid-out print document that is not one of the lines WeasyPrint
    printed for its paragraph (wrapped again, or cut elsewhere)."""
    found: list[Rebroken] = []
    for index, printed in sorted(printed_lines(document).items()):
        left = collections.Counter(printed.lines)
        for element in printed.elements:
            for line in chosen_lines(element, printed.floating, printed.newlines_kept):
                if left[line] > 0:
                    left[line] -= 1
                else:
                    found.append(Rebroken(index, line, tuple(printed.lines)))
    return found
