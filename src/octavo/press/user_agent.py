"""WeasyPrint's user-agent sheet with its pseudo-element rules for list items, footnotes and
notes scoped to the elements that can have those pseudo-elements.

The stock sheet gives ``::marker``, ``::footnote-call``, ``::footnote-marker`` and the three
``::note-*`` pseudo-elements a rule that matches every element, and WeasyPrint computes a style
for every (element, pseudo-element) pair a rule matches: 77,941 of the 90,899 styles of the
121 documents P&P's print build lays out (scoped: 254 of 13,212). WeasyPrint asks for a
``::marker`` style only of an element that is (or whose ``::before``/``::after`` is) a list
item, for the footnote ones only of a ``float: footnote`` element and for the note ones only
of a ``position: note()`` one; without a style it falls back to the element's anonymous style
(a marker) or fails (a call or a note marker).

So the copy is WeasyPrint's own parsed sheet (its selectors' matcher), each of those rules
matching where it did *and* where a rule of the document's sheets (the user agent's included)
sets that property to a value that may give the pseudo-element: what it would have matched
and WeasyPrint reads, with the same declarations, specificity and order, so the same styles. A
document whose own ``<style>``, ``style`` attributes or linked sheets may set one keeps the
stock sheet."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from typing import Any

from weasyprint import HTML
from weasyprint.html import UA_FORM_STYLESHEET, UA_STYLESHEET

from .cffi_arrays import type_arrays_without_parsing
from .html_parsing import keep_tokenizer_patterns
from .margin_rules import margin_boxes_kept

keep_tokenizer_patterns()
type_arrays_without_parsing()

# WeasyPrint's own user-agent sheets, forms' included: what its documents are laid out with.
STOCK_SHEETS = (UA_STYLESHEET, UA_FORM_STYLESHEET)

# The property whose value gives an element each pseudo-element WeasyPrint asks it for.
PSEUDO_PROPERTY = {
    "marker": "display",
    "footnote-call": "float",
    "footnote-marker": "float",
    "note-call": "position",
    "note-marker": "position",
    "note-callback": "position",
}
_PROPERTIES = tuple(dict.fromkeys(PSEUDO_PROPERTY.values()))
# Keywords whose value is another rule's or the parent's: they may give it.
_DEFERRING = frozenset(("inherit", "unset", "revert", "revert-layer"))
# A declaration in the document's own CSS that may give one (read as text: a match, or a
# comment or escape that could hide one, keeps the stock sheet).
_GIVING_TEXT = (r"(?:all\s*:|(?:display|float|position)\s*:[^;{}\"']*"
                r"(?:list-item|footnote|note\(|var\(|attr\(|env\(|inherit|unset|revert))")
_OWN_SHEET_GIVES = re.compile(_GIVING_TEXT + r"|@import|/\*|\\", re.IGNORECASE)
_STYLE_ATTRIBUTE_GIVES = re.compile(
    r"""\sstyle\s*=\s*["'][^"']*(?:""" + _GIVING_TEXT + r"|/\*|\\)", re.IGNORECASE)

Entry = tuple[Callable[[Any], Any], tuple[int, int, int], int, str | None, Any]
_BUCKETS = ("id_selectors", "class_selectors", "lower_local_name_selectors",
            "namespace_selectors")
_LISTS = ("lang_attr_selectors", "other_selectors")


class BookHTML(HTML):  # type: ignore[misc]
    """An HTML document laid out with the user-agent sheet scoped to what ``stylesheets``
    (the parsed sheets it is rendered with) may make list items, footnotes and notes, and,
    given ``margin_boxes``, with the user agent's rules for the other margin boxes left out
    (``margin_rules.margin_boxes_kept``)."""

    def __init__(self, stylesheets: Sequence[Any], *, string: str,
                 margin_boxes: frozenset[str] | None = None, **options: Any) -> None:
        super().__init__(string=string, **options)
        self._author_sheets = tuple(stylesheets)
        self._string = string
        self._margin_boxes = margin_boxes

    def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
        sheets = self._scoped_sheets(forms)
        if self._margin_boxes is None:
            return sheets
        return [margin_boxes_kept(sheet, self._margin_boxes) for sheet in sheets]

    def _scoped_sheets(self, forms: bool) -> list[Any]:
        if forms or not self._scopable():
            return list(super()._ua_stylesheets(forms))
        try:
            return [scoped_ua_sheet(self._author_sheets)]
        except (AttributeError, TypeError, ValueError, IndexError):
            # A WeasyPrint or cssselect2 whose parsed sheets are laid out otherwise than the
            # ones this copies (the tests pin them): the stock sheet, slower, never wrong.
            return list(super()._ua_stylesheets(forms))

    def _scopable(self) -> bool:
        """Whether the document's own CSS leaves the scopes to ``stylesheets``."""
        root = self.etree_element
        if any("stylesheet" in (link.get("rel") or "").lower() for link in root.iter("link")):
            return False
        if _STYLE_ATTRIBUTE_GIVES.search(self._string):
            return False
        return not any(_OWN_SHEET_GIVES.search("".join(style.itertext()))
                       for style in root.iter("style"))


def gives(name: str, value: Any) -> bool:
    """Whether a declaration WeasyPrint keeps (its name and value as WeasyPrint stores them)
    may give an element the pseudo-elements of ``name``'s."""
    if isinstance(value, str) and value in _DEFERRING:
        return True
    if name == "display":
        return not isinstance(value, tuple | str) or "list-item" in value
    if name == "float":
        return not isinstance(value, str) or value == "footnote"
    if name == "position":
        return not isinstance(value, tuple | str) or value[:1] == ("note()",)
    return name == "all"


def _entries(matcher: Any) -> Iterator[tuple[str, Any, Entry]]:
    """Every selector of a cssselect2 matcher, with the bucket (and key) it is kept in."""
    for bucket in _BUCKETS:
        for key, entries in getattr(matcher, bucket).items():
            for entry in entries:
                yield bucket, key, entry
    for bucket in _LISTS:
        for entry in getattr(matcher, bucket):
            yield bucket, None, entry


def _both(first: Callable[[Any], Any], second: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda element: first(element) and second(element)


@lru_cache(maxsize=32)
def scoped_ua_sheet(author_sheets: tuple[Any, ...]) -> Any:
    """WeasyPrint's parsed user-agent sheet, its rules for the pseudo-elements of
    ``PSEUDO_PROPERTY`` matching only elements that a rule of its own or of ``author_sheets``
    may give those pseudo-elements (once a process for each set of sheets)."""
    import cssselect2  # type: ignore[import-untyped]

    stock = UA_STYLESHEET.matcher
    giving: dict[str, list[tuple[str, Any, Entry]]] = {name: [] for name in _PROPERTIES}
    for matcher in (stock, *(sheet.matcher for sheet in author_sheets)):
        for bucket, key, entry in _entries(matcher):
            declarations = entry[4][0]
            for name in giving:
                if any(gives(name, value) if declared == name else declared == "all"
                       for declared, value, _ in declarations):
                    giving[name].append((bucket, key, entry))
    scoped = cssselect2.Matcher()
    scoped.order = stock.order
    for bucket, key, entry in _entries(stock):
        test, specificity, order, pseudo, payload = entry
        if pseudo in PSEUDO_PROPERTY:
            # Where it matched, on an element that may have the pseudo-element: in the
            # giving selector's bucket, which holds every element that selector matches.
            for where, giving_key, giving_entry in giving[PSEUDO_PROPERTY[pseudo]]:
                _add(scoped, where, giving_key,
                     (_both(giving_entry[0], test), specificity, order, pseudo, payload))
        else:
            _add(scoped, bucket, key, entry)
    sheet = copy.copy(UA_STYLESHEET)
    sheet.matcher = scoped
    return sheet


def _add(matcher: Any, bucket: str, key: Any, entry: Entry) -> None:
    if key is None:
        getattr(matcher, bucket).append(entry)
    else:
        getattr(matcher, bucket).setdefault(key, []).append(entry)
