"""The normalizer: an ordered chain of small named rules, each ``Book -> (Book, diagnostics)``.

Order matters and is pinned by a test: cleanup first (so typography sees clean text); letters
elided inside a word (``D--n``, before the breaks would take its hyphens for one); breaks,
then two-em dashes (so dashes a break leaves side by side become one), then ranges (which see
the dashes settled: ``--0-0`` is a break and a range); a word processor's turned apostrophes
(‘tis) before curling, so the pairing of quotes never sees them as openers; dashes before quotes (a quote after a dash opens, and an elided name's dash decides the
apostrophe after it); quotes before ellipses (an ellipsis is spaced by the direction of the
quote beside it) and before the spaces that depend on them (hair
spaces between adjacent marks, French spaces inside guillemets); the balance check last, on
the marks as they will be printed. Rules that depend on the book's options are built from one
frozen ``TypographyOptions`` by ``rules_for``.
"""

from __future__ import annotations

from ..model import Book, Diagnostic, map_inline_runs
from .balance import check_quote_balance_rule
from .cleanup import collapse_whitespace, unicode_nfc
from .dashes import elided_letters, em_dashes_rule, en_dash_ranges, multi_em_dashes_rule
from .ellipses import ellipses_rule
from .languages import french_number_spaces, french_spacing, german_guillemets_by_majority
from .memo import Keeper, RunMemo
from .options import TypographyOptions, typography_options
from .quotes import curl_quotes_rule, turned_apostrophes
from .rule import Rule, RunRule, in_one_walk
from .spaces import no_break_spaces, no_runts, single_spaces, space_adjacent_quotes

__all__ = [
    "RULES", "Rule", "TypographyOptions", "normalize", "rules_for", "typography_options",
]


def rules_for(options: TypographyOptions) -> tuple[Rule, ...]:
    """The ordered rules for a book with these typography options."""
    rules: list[Rule] = [
        unicode_nfc,
        collapse_whitespace,
        elided_letters,
        em_dashes_rule(options.dashes),
        multi_em_dashes_rule(options.dashes),
        en_dash_ranges,
    ]
    if options.english:
        rules.append(turned_apostrophes)
    rules += [
        curl_quotes_rule(options.quotes),
        ellipses_rule(options.quotes),
    ]
    if options.quotes == "de":
        rules.append(german_guillemets_by_majority)
    if options.english:
        rules.append(space_adjacent_quotes)
    if options.quotes == "fr":
        rules.append(french_spacing)
    if options.language.lower().split("-")[0].split("_")[0] == "fr":
        rules.append(french_number_spaces)
    if options.nbsp:
        rules.append(no_break_spaces)
    if options.runts:
        rules.append(no_runts)
    rules += [single_spaces, check_quote_balance_rule(options.quotes)]
    return tuple(rules)


RULES: tuple[Rule, ...] = rules_for(TypographyOptions())


def normalize(book: Book, rules: tuple[Rule, ...] = RULES, keeper: Keeper | None = None,
              label: str = "") -> tuple[Book, tuple[Diagnostic, ...]]:
    """Run every rule in order; diagnostics are collected, each reported once. Rules that
    rewrite each run alone and follow one another share one walk over the book. ``keeper``:
    what those walks made of each run is kept there, under keys led by ``label`` (which must
    name everything the rules were built from, as their options), and taken from there in
    the next build for every run the same as in this one."""
    seen: dict[Diagnostic, None] = {}
    names = ",".join(getattr(one, "__qualname__", "?") for one in rules)
    for n, rule in enumerate(in_one_walk(rules)):
        if keeper is not None and isinstance(rule, RunRule):
            memo = RunMemo(rule.run, keeper, f"normalized-runs\0{label}\0{names}\0{n}")
            book = map_inline_runs(book, memo)
            memo.keep()
            continue
        book, found = rule(book)
        for d in found:
            seen.setdefault(d, None)
    return book, tuple(seen)
