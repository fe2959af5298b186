"""Length-changing rewrites of a run's text that still see the whole run.

A pattern is matched on the run's joined text (so ``--`` split by markup or a quote after an
emphasised word is seen in context); each match is replaced inside the text node where it
starts, and the rest of a match that crosses into later nodes is removed from them. Patterns
consume only punctuation and spaces, so no word moves between nodes. Protected text (code,
URLs, e-mail addresses) is never matched.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..model import Inline
from .inlines import joined_text, map_text_slices
from .safety import overlaps, protected_spans

Replacement = str | Callable[[re.Match[str]], str]
Edit = tuple[int, int, str]


def sub_run(
    inlines: tuple[Inline, ...], pattern: re.Pattern[str], repl: Replacement
) -> tuple[Inline, ...]:
    """``pattern.sub(repl, ...)`` over the run's joined text, outside protected spans."""
    full = joined_text(inlines)
    guarded = protected_spans(full)
    edits: list[Edit] = []
    for m in pattern.finditer(full):
        if m.start() == m.end() or overlaps(guarded, m.start(), m.end()):
            continue
        new = repl(m) if callable(repl) else m.expand(repl)
        if new != m.group():
            edits.append((m.start(), m.end(), new))
    return apply_edits(inlines, edits) if edits else inlines


def sub_run_settled(
    inlines: tuple[Inline, ...], pattern: re.Pattern[str], repl: Replacement, limit: int = 4
) -> tuple[Inline, ...]:
    """``sub_run`` repeated until nothing changes (marks typed side by side, "a - —b", settle
    after a pass or two), so the rule is idempotent; ``limit`` bounds the work."""
    for _ in range(limit):
        new = sub_run(inlines, pattern, repl)
        if new == inlines:
            break
        inlines = new
    return inlines


def apply_edits(inlines: tuple[Inline, ...], edits: list[Edit]) -> tuple[Inline, ...]:
    """Apply sorted, disjoint ``(start, end, text)`` edits of the joined text to the nodes."""

    def node(full: str, start: int, end: int) -> str:
        out: list[str] = []
        pos = start
        for a, b, new in edits:
            if b <= start:
                continue
            if a >= end:
                break
            out.append(full[pos:max(a, start)])
            if a >= start:
                out.append(new)
            pos = min(b, end)
        out.append(full[pos:end])
        return "".join(out)

    return map_text_slices(inlines, node)
