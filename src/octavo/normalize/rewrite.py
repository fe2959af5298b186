"""Length-changing rewrites of a run's text that still see the whole run.

A pattern is matched on the run's joined text (so ``--`` split by markup or a quote after an
emphasised word is seen in context); each match is replaced inside the text node where it
starts, and the rest of a match that crosses into later nodes is removed from them. Patterns
consume only punctuation and spaces, so no word moves between nodes. Protected text (code,
URLs, e-mail addresses) is never matched.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable

from ..model import (
    Emphasis,
    Inline,
    InlineDirection,
    LineBreak,
    Link,
    SmallCaps,
    Strong,
    Text,
    inline_text,
)
from .inlines import LINE_BREAK_CHAR, map_text_slices
from .safety import overlaps, protected_spans

Replacement = str | Callable[[re.Match[str]], str]
Edit = tuple[int, int, str]
# What every text a slow pattern matches in holds: strings one of which it contains (looking
# for a string is the fastest scan there is), or a cheaper pattern that finds something in it.
Sieve = tuple[str, ...] | re.Pattern[str]


def passes(sieve: Sieve, text: str) -> bool:
    """Whether ``text`` holds what ``sieve`` looks for."""
    if isinstance(sieve, tuple):
        return any(needle in text for needle in sieve)
    return sieve.search(text) is not None


def led_by(first: str, pattern: str) -> re.Pattern[str]:
    """``pattern``, every match of which starts with one of the characters ``first`` (the
    inside of a character class), compiled behind a lookahead for them. The matches are the
    same; a place where none can start fails at one test instead of trying each alternative
    and lookbehind in turn, which makes scanning prose three to five times as fast."""
    return re.compile(f"(?=[{first}])(?:{pattern})")


def sub_run(
    inlines: tuple[Inline, ...], pattern: re.Pattern[str], repl: Replacement,
    sieve: Sieve | None = None,
) -> tuple[Inline, ...]:
    """``pattern.sub(repl, ...)`` over the run's joined text, outside protected spans.

    ``sieve``, when given, holds what every text ``pattern`` matches in holds: a run that
    does not pass it is returned as it is without running ``pattern``, whose lookarounds
    make it slow to scan a long paragraph for nothing."""
    full = inline_text(inlines, LINE_BREAK_CHAR)
    if sieve is not None and not passes(sieve, full):
        return inlines
    guarded = protected_spans(full)
    links: list[tuple[int, int]] | None = None
    edits: list[Edit] = []
    for m in pattern.finditer(full):
        if m.start() == m.end() or overlaps(guarded, m.start(), m.end()):
            continue
        links = links if links is not None else link_text_spans(inlines)
        if links and not _keeps_links(links, m.start(), m.end()):
            continue
        new = repl(m) if callable(repl) else m.expand(repl)
        if new != m.group():
            edits.append((m.start(), m.end(), new))
    return apply_edits(inlines, edits) if edits else inlines


def link_text_spans(inlines: tuple[Inline, ...]) -> list[tuple[int, int]]:
    """Where the text of each link lies in the run's joined text."""
    spans: list[tuple[int, int]] = []
    offset = 0

    def walk(nodes: tuple[Inline, ...]) -> None:
        nonlocal offset
        for node in nodes:
            if isinstance(node, Link):
                start = offset
                walk(node.children)
                spans.append((start, offset))
            elif isinstance(node, Emphasis | Strong | SmallCaps | InlineDirection):
                walk(node.children)
            elif isinstance(node, Text):
                offset += len(node.text)
            elif isinstance(node, LineBreak):
                offset += len(LINE_BREAK_CHAR)

    walk(inlines)
    return spans


def _keeps_links(links: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether an edit of ``[start, end)`` leaves every link it touches some text: marks a
    match removes move into the node where the match starts, and a link emptied of its
    text would lose its target. An edit from outside into a link must leave it text."""
    return not any(start <= a and b <= end and a < b and not (a <= start < b)
                   for a, b in links)


def sub_run_settled(
    inlines: tuple[Inline, ...], pattern: re.Pattern[str], repl: Replacement, limit: int = 4,
    sieve: Sieve | None = None,
) -> tuple[Inline, ...]:
    """``sub_run`` repeated until nothing changes (marks typed side by side, "a - —b", settle
    after a pass or two), so the rule is idempotent; ``limit`` bounds the work."""
    for _ in range(limit):
        new = sub_run(inlines, pattern, repl, sieve)
        if new == inlines:
            break
        inlines = new
    return inlines


def apply_edits(inlines: tuple[Inline, ...], edits: list[Edit]) -> tuple[Inline, ...]:
    """Apply sorted, disjoint ``(start, end, text)`` edits of the joined text to the nodes."""
    ends = [b for _a, b, _new in edits]

    def node(full: str, start: int, end: int) -> str:
        out: list[str] = []
        pos = start
        # Only the edits that reach this node: found by their ends, so a paragraph of many
        # nodes and many edits costs their sum, not their product.
        for i in range(bisect_right(ends, start), len(edits)):
            a, b, new = edits[i]
            if a >= end:
                break
            out.append(full[pos:max(a, start)])
            if a >= start:
                out.append(new)
            pos = min(b, end)
        out.append(full[pos:end])
        return "".join(out)

    return map_text_slices(inlines, node)
