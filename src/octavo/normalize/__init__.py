"""The normalizer: an ordered chain of small named rules, each ``Book -> (Book, diagnostics)``.

Order matters and is pinned by a test: cleanup first (so typography sees clean text), dashes and
ellipses before quotes (a quote after a dash or an ellipsis opens).
"""

from __future__ import annotations

from collections.abc import Callable

from ..model import Book, Diagnostic
from .cleanup import collapse_whitespace, unicode_nfc
from .typography import curl_quotes, ellipses, em_dashes

Rule = Callable[[Book], tuple[Book, tuple[Diagnostic, ...]]]

RULES: tuple[Rule, ...] = (
    unicode_nfc,
    collapse_whitespace,
    em_dashes,
    ellipses,
    curl_quotes,
)


def normalize(book: Book, rules: tuple[Rule, ...] = RULES) -> tuple[Book, tuple[Diagnostic, ...]]:
    """Run every rule in order; diagnostics are collected, each reported once."""
    seen: dict[Diagnostic, None] = {}
    for rule in rules:
        book, found = rule(book)
        for d in found:
            seen.setdefault(d, None)
    return book, tuple(seen)
