"""The rule contract: a pure, named function from a book to a new book and its findings.

Most rules rewrite each run of inlines (a paragraph, a heading, a verse line, a caption, a
title) on its own: such a rule is written as the function of one run and made a rule by
``run_rule``. ``in_one_walk`` lets rules of that kind that follow one another share a single
walk over the book, each run taking them in their order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import update_wrapper
from itertools import groupby
from typing import TypeAlias

from ..model import Book, Diagnostic, Inline, InlineSeqFn, map_inline_runs

Rule: TypeAlias = Callable[[Book], tuple[Book, tuple[Diagnostic, ...]]]


class RunRule:
    """A rule that applies ``run`` to every run of inlines of the book (``map_inline_runs``),
    each seen alone: no run's result depends on another run. It bears the name and docstring
    of ``run``. ``run`` leaves an empty run empty."""

    def __init__(self, run: InlineSeqFn) -> None:
        self.run = run
        update_wrapper(self, run)

    def __call__(self, book: Book) -> tuple[Book, tuple[Diagnostic, ...]]:
        return map_inline_runs(book, self.run), ()


def run_rule(run: InlineSeqFn) -> RunRule:
    """The rule that rewrites each run of a book with ``run`` (used as a decorator)."""
    return RunRule(run)


def in_turn(runs: Sequence[InlineSeqFn]) -> InlineSeqFn:
    """One run function that applies ``runs`` in their order."""

    def run(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
        for one in runs:
            inlines = one(inlines)
        return inlines

    return run


def in_one_walk(rules: Sequence[Rule]) -> tuple[Rule, ...]:
    """``rules`` with each stretch of run rules that follow one another made one run rule,
    which walks the book once and gives each run the rules of the stretch in their order.

    The book is the same as after one walk per rule: each rule sees a run alone, the walks
    visit the same runs (rules rewrite inlines, never blocks), and where a walk skips an
    empty caption or title, the rules keep it empty. The rules between stretches (the whole
    book's checks) run in their place."""
    out: list[Rule] = []
    for _, group in groupby(rules, key=lambda rule: isinstance(rule, RunRule)):
        stretch = list(group)
        runs = [rule.run for rule in stretch if isinstance(rule, RunRule)]
        out.extend([RunRule(in_turn(runs))] if len(runs) > 1 else stretch)
    return tuple(out)
