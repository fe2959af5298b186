"""WeasyPrint's user-agent sheet with its universal pseudo-element rules scoped to the elements
that can have those pseudo-elements.

The stock sheet gives ``::marker``, ``::footnote-call``, ``::footnote-marker`` and the three
``::note-*`` pseudo-elements a rule that matches every element, and WeasyPrint computes a style
for every (element, pseudo-element) pair a rule matches: about 78,000 styles for the 10,600
elements of a novel, where its list items and footnotes ask for a few hundred. WeasyPrint asks
for a ``::marker`` style only of an element that is (or whose ``::before``/``::after`` is) a
list item, for the footnote ones only of a ``float: footnote`` element and for the note ones
only of a ``position: note()`` one; without a style it falls back to the element's anonymous
style (a marker) or fails (a call or a note marker). So each rule is scoped to every selector
of a rule of the document's sheets (the user agent's included) that may set that property so:
what it would have matched and WeasyPrint reads, the same styles. A sheet this cannot read
for sure (an ``@import``, a nested rule setting one of them, a ``style`` attribute setting
one, a linked sheet) keeps the stock sheet."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

import cssselect2  # type: ignore[import-untyped]
import tinycss2  # type: ignore[import-untyped]
from weasyprint import CSS, HTML
from weasyprint.css.counters import CounterStyle
from weasyprint.html import UA as STOCK_UA  # read from the installed package

# The property whose value gives an element each pseudo-element WeasyPrint asks it for.
PSEUDO_PROPERTY = {
    "marker": "display",
    "footnote-call": "float",
    "footnote-marker": "float",
    "note-call": "position",
    "note-marker": "position",
    "note-callback": "position",
}
# What a declaration of the property holds when it may give the pseudo-element.
_GIVING = {"display": "list-item", "float": "footnote", "position": "note("}
# Values that say nothing by themselves: the declaration may give it.
_INDIRECT = ("var(", "attr(", "env(", "inherit", "unset", "revert")
# The pseudo-elements CSS 2 also wrote with one colon.
_LEGACY_PSEUDO = frozenset(("before", "after", "first-line", "first-letter"))
UNIVERSAL_RULE = re.compile(r"^::([a-z-]+) (\{[^}\n]*\})\n", re.MULTILINE)
_ANY_VALUE = "|".join(re.escape(value) for value in _INDIRECT)
_STYLE_ATTRIBUTE = re.compile(
    r"""\sstyle\s*=\s*["'][^"']*\b(?:all\s*:|"""
    + "|".join(rf"{name}\s*:[^;\"']*(?:{re.escape(giving)}|{_ANY_VALUE})"
               for name, giving in _GIVING.items()) + ")", re.IGNORECASE)

Scopes = tuple[tuple[str, frozenset[str]], ...]  # property -> the selectors that may set it


class BookHTML(HTML):  # type: ignore[misc]
    """An HTML document laid out with the user-agent sheet scoped to what ``author_css``
    (the sheets it is rendered with, as text) and its own ``<style>`` elements may make list
    items, footnotes and notes."""

    def __init__(self, *, string: str, author_css: Sequence[str], **options: Any) -> None:
        super().__init__(string=string, **options)
        self._author_css = tuple(author_css)
        self._string = string

    def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
        scopes = None if forms else self._scopes()
        if scopes is None:
            return list(super()._ua_stylesheets(forms))
        sheet = scoped_ua_sheet(scopes)
        return list(super()._ua_stylesheets(forms)) if sheet is None else [sheet]

    def _scopes(self) -> Scopes | None:
        root = self.etree_element
        if any("stylesheet" in (link.get("rel") or "").lower() for link in root.iter("link")):
            return None
        if _STYLE_ATTRIBUTE.search(self._string):
            return None
        inline = tuple("".join(style.itertext()) for style in root.iter("style"))
        return document_scopes((STOCK_UA, *self._author_css, *inline))


def document_scopes(sheets: Iterable[str]) -> Scopes | None:
    """What may set each property in ``sheets`` (None: not known for sure)."""
    found: dict[str, set[str]] = {name: set() for name in _GIVING}
    for text in sheets:
        scopes = sheet_scopes(text)
        if scopes is None:
            return None
        for name, selectors in scopes:
            found[name] |= selectors
    return tuple((name, frozenset(found[name])) for name in _GIVING)


@lru_cache(maxsize=256)
def sheet_scopes(text: str) -> Scopes | None:
    """The selectors of ``text``'s rules that may set each property (None: not known)."""
    found: dict[str, set[str]] = {name: set() for name in _GIVING}
    rules = tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)
    if not _rules_scopes(rules, found):
        return None
    return tuple((name, frozenset(found[name])) for name in _GIVING)


def _rules_scopes(rules: Iterable[Any], found: dict[str, set[str]]) -> bool:
    """Add to ``found`` what ``rules`` may set, as WeasyPrint reads them (False: unknown)."""
    for rule in rules:
        if rule.type == "at-rule":
            # WeasyPrint reads element rules only at the top, in @media and in @layer.
            if rule.lower_at_keyword == "import":
                return False
            if rule.lower_at_keyword in ("media", "layer") and rule.content is not None:
                inner = tinycss2.parse_rule_list(rule.content, True, True)
                if not _rules_scopes(inner, found):
                    return False
        elif rule.type == "qualified-rule":
            contents = tinycss2.parse_blocks_contents(rule.content, True, True)
            if any(item.type == "qualified-rule" and _nested_sets(item) for item in contents):
                return False
            names = _names_set(contents)
            if names:
                selectors = originating_selectors(rule.prelude)
                if selectors is None:
                    return False
                for name in names:
                    found[name] |= selectors
    return True


def _names_set(contents: Iterable[Any]) -> set[str]:
    """The properties among ``_GIVING``'s that these declarations may give their value."""
    names: set[str] = set()
    for item in contents:
        if item.type != "declaration":
            continue
        value = tinycss2.serialize(item.value).lower()
        if item.lower_name == "all":
            names.update(_GIVING)
        elif item.lower_name in _GIVING and (
                _GIVING[item.lower_name] in value or any(v in value for v in _INDIRECT)):
            names.add(item.lower_name)
    return names


def _nested_sets(rule: Any) -> bool:
    contents = tinycss2.parse_blocks_contents(rule.content, True, True)
    return bool(_names_set(contents)) or any(
        item.type == "qualified-rule" and _nested_sets(item) for item in contents)


def originating_selectors(prelude: list[Any]) -> frozenset[str] | None:
    """The selectors of a rule's prelude without their pseudo-elements: the elements whose
    pseudo-elements WeasyPrint asks for (None: one of them not read for sure; an empty set:
    WeasyPrint drops the rule)."""
    if any(token.type == "literal" and token.value == "&" for token in prelude):
        return None  # WeasyPrint reads it as :root
    try:
        cssselect2.compile_selector_list(prelude)
    except cssselect2.SelectorError:
        return frozenset()
    selectors = set()
    groups: list[list[Any]] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            groups.append([])
        else:
            groups[-1].append(token)
    for group in groups:
        tokens = _stripped(group)
        if tokens[-3:-1] == [":", ":"] and tokens[-1].type == "ident":
            tokens = tokens[:-3]
        elif (tokens[-2:-1] == [":"] and tokens[-1].type == "ident"
                and tokens[-1].lower_value in _LEGACY_PSEUDO):
            tokens = tokens[:-2]
        if not tokens or tokens[-1].type == "whitespace" or tokens[-1] in (">", "+", "~"):
            tokens = [*tokens, tinycss2.ast.LiteralToken(0, 0, "*")]
        text = tinycss2.serialize(_stripped(tokens))
        try:
            compiled = cssselect2.compile_selector_list(text)
        except cssselect2.SelectorError:
            return None
        if any(selector.pseudo_element is not None for selector in compiled):
            return None
        selectors.add(text)
    return frozenset(selectors)


def _stripped(tokens: list[Any]) -> list[Any]:
    start, end = 0, len(tokens)
    while start < end and tokens[start].type in ("whitespace", "comment"):
        start += 1
    while end > start and tokens[end - 1].type in ("whitespace", "comment"):
        end -= 1
    return tokens[start:end]


def scoped_ua_text(scopes: Scopes) -> str | None:
    """WeasyPrint's user-agent sheet with each universal pseudo-element rule scoped to the
    selectors that may give an element that pseudo-element (dropped where none may); None
    when the sheet's universal pseudo-element rules are not the ones this knows."""
    by_property = dict(scopes)
    found = [match.group(1) for match in UNIVERSAL_RULE.finditer(STOCK_UA)]
    if sorted(found) != sorted(PSEUDO_PROPERTY):
        return None

    def scoped(match: re.Match[str]) -> str:
        pseudo, block = match.group(1), match.group(2)
        selectors = sorted(by_property[PSEUDO_PROPERTY[pseudo]])
        if not selectors:
            return ""
        return ", ".join(f"{selector}::{pseudo}" for selector in selectors) + f" {block}\n"

    return UNIVERSAL_RULE.sub(scoped, STOCK_UA)


@lru_cache(maxsize=16)
def scoped_ua_sheet(scopes: Scopes) -> Any:
    """``scoped_ua_text`` parsed (once a process for each scope), or None."""
    text = scoped_ua_text(scopes)
    # Its @counter-style rules are the stock sheet's, which WeasyPrint gives every document.
    return None if text is None else CSS(string=text, counter_style=CounterStyle())
