"""Helpers for rules that rewrite the text of a run of inlines while seeing its context.

A run (a paragraph, a verse line, a title) may split its text across nodes: ``"*Alone.*"``
is a quote mark, an emphasis node and another mark. Rules see the run's whole text and rewrite
each text node's own slice of it, so a decision never depends on where markup happens to fall.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import assert_never

from ..model import (
    Emphasis,
    Inline,
    InlineDirection,
    LineBreak,
    Link,
    NoteRef,
    SmallCaps,
    Strong,
    Text,
    inline_text,
)

# A line break reads as a newline and a note reference as nothing when rules look at context.
LINE_BREAK_CHAR = "\n"

SliceFn = Callable[[str, int, int], str]


def map_text_slices(inlines: tuple[Inline, ...], fn: SliceFn) -> tuple[Inline, ...]:
    """Replace each ``Text`` node by ``fn(full, start, end)``, where ``full[start:end]`` is
    that node's text inside the run's text (``inline_text`` reading a line break as
    ``LINE_BREAK_CHAR``). Empty results drop the node. Nodes ``fn`` leaves as they were are
    the same objects, and so is the run when nothing in it changed: most rules change few
    runs, and a later rule's comparison of an unchanged run then costs nothing."""
    full = inline_text(inlines, LINE_BREAK_CHAR)
    offset = 0

    def walk(nodes: tuple[Inline, ...]) -> tuple[Inline, ...]:
        nonlocal offset
        out: list[Inline] = []
        changed = False
        for node in nodes:
            match node:
                case Text(text=t):
                    start = offset
                    offset += len(t)
                    new = fn(full, start, offset)
                    if new == t and new:
                        out.append(node)
                        continue
                    changed = True
                    if new:
                        out.append(Text(new))
                case (Emphasis(children=ch) | Strong(children=ch) | SmallCaps(children=ch)
                      | Link(children=ch) | InlineDirection(children=ch)):
                    inner = walk(ch)
                    if inner is ch and inner:
                        out.append(node)
                        continue
                    changed = True
                    if inner:
                        out.append(replace(node, children=inner))
                case LineBreak():
                    offset += len(LINE_BREAK_CHAR)
                    out.append(node)
                case NoteRef():
                    out.append(node)
                case _:
                    assert_never(node)
        return tuple(out) if changed else nodes

    return walk(inlines)


def map_joined(inlines: tuple[Inline, ...], fn: Callable[[str], str]) -> tuple[Inline, ...]:
    """Apply a length-preserving ``fn`` to the run's joined text and give every node its slice
    back: for character-for-character rules such as curling quotes."""
    full = inline_text(inlines, LINE_BREAK_CHAR)
    new = fn(full)
    if len(new) != len(full):
        raise ValueError("map_joined needs a length-preserving function")
    if new == full:
        return inlines
    return map_text_slices(inlines, lambda _full, a, b: new[a:b])


def map_text(inlines: tuple[Inline, ...], fn: Callable[[str], str]) -> tuple[Inline, ...]:
    """Apply ``fn`` to each text node on its own (for rules whose matches never cross markup)."""
    return map_text_slices(inlines, lambda full, a, b: fn(full[a:b]))
