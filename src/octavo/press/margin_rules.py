"""What of a stylesheet a body piece's pages can depend on: everything but the rules of the
margin boxes (running heads, folios), which only the margin layer draws.

A body piece is laid out with every margin box emptied, ``content: none !important`` for
every page (:data:`octavo.press.join.NO_MARGIN_BOXES_CSS`, after every stylesheet). A margin
box whose content is none is not made at all, so nothing else a margin-box rule says reaches
the piece: the chapter cache can key a body piece on its stylesheets without those rules, and
a theme edit that only changes the running heads or the folios lays out no chapter again.

Only where that reasoning holds: a margin box's own ``!important`` declaration might outrank
the emptying (by a more specific page selector), and a stylesheet imported or nested in
another at-rule is not looked into. A sheet with any of these keeps its margin-box rules.

Laid out, every document (a piece, the margin layer) is handed only the rules of the margin
boxes some rule may draw (:func:`drawn_margin_boxes`, :func:`margin_boxes_kept`): none for a
body piece.
"""

from __future__ import annotations

import copy
import weakref
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from .document import MARGIN_BOXES

_MARGIN_BOXES = frozenset(MARGIN_BOXES)


def _has_page_rule(tokens: Any) -> bool:
    """Whether a block's tokens hold an ``@page`` rule, at any depth."""
    for token in tokens or ():
        if getattr(token, "type", "") == "at-keyword" and token.lower_value == "page":
            return True
        if _has_page_rule(getattr(token, "content", None)) or _has_page_rule(
                getattr(token, "arguments", None)):
            return True
    return False


def _is_important(margin_rule: Any) -> bool:
    import tinycss2  # type: ignore[import-untyped]

    return any(getattr(item, "important", False) or item.type == "error"
               for item in tinycss2.parse_blocks_contents(margin_rule.content or ()))


@lru_cache(maxsize=64)
def without_margin_boxes(css: str) -> str | None:
    """``css`` as text that differs from another sheet's wherever the two could lay a body
    piece out differently: its rules without the margin boxes in its ``@page`` rules. None
    when the margin boxes might reach a body piece (see the module's note): keep ``css``."""
    import tinycss2

    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    out: list[str] = []
    for rule in rules:
        if rule.type == "error":
            return None
        if rule.type != "at-rule":
            out.append(rule.serialize())
            continue
        if rule.lower_at_keyword == "import":
            return None
        if rule.lower_at_keyword != "page":
            if _has_page_rule(rule.prelude) or _has_page_rule(rule.content):
                return None
            out.append(rule.serialize())
            continue
        kept: list[str] = []
        for item in tinycss2.parse_blocks_contents(rule.content or (), skip_comments=True,
                                                   skip_whitespace=True):
            if item.type == "error":
                return None
            if item.type == "at-rule" and item.lower_at_keyword in _MARGIN_BOXES:
                if _is_important(item):
                    return None
                continue
            kept.append(item.serialize())
        if kept:  # a page rule of margin boxes alone says nothing to a body piece
            out.append("@page" + tinycss2.serialize(rule.prelude) + "{" + ";".join(kept)
                       + "}")
    return "\n".join(out)


# Every page's margin boxes emptied by one rule: what a sheet of rules emptying them page
# name by page name and side comes to where no other sheet's margin box says its content
# !important (only such a declaration, by a more specific page selector, could outrank it).
EVERY_MARGIN_BOX_EMPTY = "@page { " + " ".join(
    f"@{box} {{ content: none !important; }}" for box in MARGIN_BOXES) + " }\n"


def _empties_every_margin_box(rule: Any) -> bool:
    """Whether an ``@page`` rule holds nothing but every margin box, each ``content: none
    !important``."""
    import tinycss2

    if rule.type != "at-rule" or rule.lower_at_keyword != "page":
        return False
    boxes = set()
    for item in tinycss2.parse_blocks_contents(rule.content or (), skip_comments=True,
                                               skip_whitespace=True):
        if item.type != "at-rule" or item.lower_at_keyword not in _MARGIN_BOXES:
            return False
        declarations = [d for d in tinycss2.parse_blocks_contents(
            item.content or (), skip_comments=True, skip_whitespace=True)]
        if not (len(declarations) == 1 and declarations[0].type == "declaration"
                and declarations[0].lower_name == "content" and declarations[0].important
                and tinycss2.serialize(declarations[0].value).strip() == "none"):
            return False
        boxes.add(item.lower_at_keyword)
    return boxes == _MARGIN_BOXES


@lru_cache(maxsize=8)
def _only_empties_margin_boxes(css: str) -> bool:
    """Whether ``css`` is ``@page`` rules that each empty every margin box !important."""
    import tinycss2

    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    return bool(rules) and all(_empties_every_margin_box(rule) for rule in rules)


def margin_boxes_emptied(css: str, others: tuple[str, ...]) -> str:
    """``css`` as WeasyPrint is best handed it after the ``others`` sheets: a sheet that
    only empties every margin box, page selector by page selector, as one rule for every
    page when none of ``others`` could outrank that (WeasyPrint matches each rule's page
    selector at every page: 595 entries for a body piece's, 17 for one rule's); else
    ``css``."""
    if not _only_empties_margin_boxes(css):
        return css
    if any(without_margin_boxes(other) is None for other in others):
        return css
    return EVERY_MARGIN_BOX_EMPTY


# A margin box is made only where its content is other than none or normal; a box no rule
# gives such content is never made, whatever else its rules say (its neighbours' sizes read
# nothing of a box not made), and neither are the boxes of a page whose every margin box is
# emptied beyond any sheet's reach (``EVERY_MARGIN_BOX_EMPTY``). WeasyPrint computes a style
# for every box any rule names, on every page (its own sheet names all sixteen): rules that
# can change no page are best not handed to it.
_AT_MARGIN_BOXES = frozenset(f"@{box}" for box in MARGIN_BOXES)
_NOT_DRAWN = frozenset(("none", "normal", "inhibit"))


def _margin_box_of(page_rule: Any) -> str | None:
    """The margin box a parsed sheet's page rule (WeasyPrint's ``page_rules`` entry: rule,
    selectors, declarations) is for, or None for a page's own rule or another area's."""
    boxes: set[str | None] = {pseudo for _, pseudo, _ in page_rule[1]}
    box = boxes.pop() if len(boxes) == 1 else None
    return box if box in _AT_MARGIN_BOXES else None


def _draws_nothing(value: Any) -> bool:
    """Whether a parsed ``content`` value is none, normal or inhibit (WeasyPrint holds
    ``content: none`` as ``('none',)``)."""
    if isinstance(value, tuple) and len(value) == 1:
        value = value[0]
    return isinstance(value, str) and value in _NOT_DRAWN


def drawn_margin_boxes(sheets: Sequence[Any]) -> frozenset[str]:
    """The margin boxes (``@top-left``…) a rule of the parsed ``sheets`` gives a content
    that may draw something: any but none, normal and inhibit (``inherit`` and ``var()``
    included)."""
    drawn = set()
    for sheet in sheets:
        for page_rule in sheet.page_rules:
            box = _margin_box_of(page_rule)
            if box is None:
                if any(pseudo in _AT_MARGIN_BOXES for _, pseudo, _ in page_rule[1]):
                    return _AT_MARGIN_BOXES  # a rule for several: not looked into
                continue
            if any(name == "content" and not _draws_nothing(value)
                   for name, value, _ in page_rule[2]):
                drawn.add(box)
    return frozenset(drawn)


# Each parsed sheet's copies, by the boxes they keep, for as long as the sheet is held.
_KEPT_SHEETS: weakref.WeakKeyDictionary[Any, dict[frozenset[str], Any]] = (
    weakref.WeakKeyDictionary())


def margin_boxes_kept(sheet: Any, drawn: frozenset[str]) -> Any:
    """The parsed ``sheet`` without its rules for margin boxes not in ``drawn``: a copy
    made once for the sheet and ``drawn``."""
    if drawn == _AT_MARGIN_BOXES:
        return sheet
    copies = _KEPT_SHEETS.setdefault(sheet, {})
    kept = copies.get(drawn)
    if kept is None:
        kept = copies[drawn] = copy.copy(sheet)
        kept.page_rules = [page_rule for page_rule in sheet.page_rules
                           if _margin_box_of(page_rule) in (None, *drawn)]
    return kept
