"""The shapes a word-processor author gives a text by paragraph styles and line breaks: verse
with its indents, a play's speeches, a letter's parts. ``wordproc`` walks the paragraphs and
calls these rules; each keeps every word where the author put it.

- Verse: a paragraph broken into lines (Shift+Enter) is a stanza; a Verse- or Poem-styled
  paragraph with no break is one line, and such lines one after another are a stanza, an
  empty paragraph between them a stanza break. A line's indent is its leading tabs and
  spaces, plus the paragraph's left indent (and, on a Verse paragraph's first line, its
  first-line indent, as the word processor shows it); the poem's levels are the ranks of the
  indents it uses.
- Plays: a Speaker or Character paragraph names who speaks; the Dialogue (or plain)
  paragraph after it is the speech, a Parenthetical inside it an inline direction.
- Letters: Date, Salutation, Closing, Signature and Postscript paragraphs, with the body
  between the opening and the closing, are one letter.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from ..model import (
    Block,
    BlockQuote,
    Diagnostic,
    Emphasis,
    Heading,
    Inline,
    InlineSeqFn,
    Letter,
    LineBreak,
    ListBlock,
    Paragraph,
    SceneBreak,
    SmallCaps,
    SourceSpan,
    Stanza,
    Strong,
    Text,
    Verse,
    VerseLine,
    inline_text,
    split_at_line_breaks,
)
from .drama import inline_directions, leading_speaker
from .verse import indent_levels
from .wordstyles import StyleRole, indent_steps, leading_white_points

# --------------------------------------------------------------------------- verse


def verse_stanzas(raw: tuple[Inline, ...], left: float, first_line: float | None,
                  strip: InlineSeqFn) -> list[list[VerseLine]]:
    """A paragraph's lines as stanzas (an empty line between lines breaks the stanza), each line
    without its edges' white space and with its indent in steps (ranked later by ``rank_indents``).
    ``first_line`` is the first line's own indent from ``left``, when it counts."""
    stanzas: list[list[VerseLine]] = [[]]
    for k, line in enumerate(split_at_line_breaks(raw)):
        inlines = strip(line)
        if not inline_text(inlines).strip() and not _has_content(inlines):
            stanzas.append([])
            continue
        base = left + (first_line if k == 0 and first_line is not None else 0.0)
        indent = indent_steps(base + leading_white_points(inline_text(line)))
        stanzas[-1].append(VerseLine(inlines, indent))
    return [s for s in stanzas if s]


def _has_content(inlines: tuple[Inline, ...]) -> bool:
    return any(not isinstance(n, Text) for n in inlines)


def rank_indents(blocks: Sequence[Block]) -> list[Block]:
    """Every poem's line indents (steps in from the margin) as levels: their ranks among the
    poem's own, the least indented at 0."""

    def one(block: Block) -> Block:
        match block:
            case Verse(stanzas=stanzas):
                levels = iter(indent_levels([ln.indent for st in stanzas for ln in st.lines]))
                return replace(block, stanzas=tuple(
                    Stanza(tuple(replace(ln, indent=next(levels)) for ln in st.lines))
                    for st in stanzas))
            case BlockQuote(blocks=inner):
                return replace(block, blocks=tuple(one(b) for b in inner))
            case ListBlock(items=items):
                return replace(block, items=tuple(tuple(one(b) for b in it) for it in items))
            case _:
                return block

    return [one(b) for b in blocks]


# --------------------------------------------------------------------------- plays


def without_stop(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """A speaker's name without the stop after it (the renderer sets one)."""
    if not inlines:
        return inlines
    last = inlines[-1]
    if isinstance(last, Text):
        text = re.sub(r"\s*[.:]\s*$", "", last.text)
        return (*inlines[:-1], Text(text)) if text else inlines[:-1]
    if isinstance(last, Strong | Emphasis | SmallCaps):
        inner = without_stop(last.children)
        return (*inlines[:-1], replace(last, children=inner)) if inner else inlines[:-1]
    return inlines


def speaker_and_speech(inlines: tuple[Inline, ...]
                       ) -> tuple[tuple[Inline, ...], tuple[Inline, ...]]:
    """A Speaker paragraph: the name alone, or a name and what they say (``HAMLET. To be``)."""
    found = leading_speaker(inlines)
    if found is not None and inline_text(found[1]).strip():
        return (Text(found[0].name),), inline_directions(found[1])
    return without_stop(inlines), ()


# --------------------------------------------------------------------------- letters


def _joined(paragraphs: Sequence[Block]) -> tuple[Inline, ...]:
    """Paragraphs of one part (a place and a date, a name and a title) as its lines."""
    out: list[Inline] = []
    for k, block in enumerate(paragraphs):
        assert isinstance(block, Paragraph)
        if k:
            out.append(LineBreak())
        out.extend(block.inlines)
    return tuple(out)


def _run(blocks: Sequence[Block], roles: Mapping[int, StyleRole], at: int, role: StyleRole
         ) -> int:
    """Where a run of paragraphs of ``role`` starting at ``at`` ends."""
    while at < len(blocks) and roles.get(at) == role:
        at += 1
    return at


def gather_styled_letters(blocks: Sequence[Block], roles: Mapping[int, StyleRole], path: str
                          ) -> tuple[list[Block], list[Diagnostic]]:
    """Blocks with each letter its paragraph styles mark gathered into a ``Letter``: an opening
    (Date, then Salutation), the body, a closing (Closing, then Signature) and Postscripts. A
    letter needs a salutation or a closing; one without a closing ends before the next heading,
    scene break or letter. Parts out of that order stay where they are, as paragraphs, with a
    warning (W007), as do a lone date's."""
    out: list[Block] = []
    notes: list[Diagnostic] = []
    i = 0
    while i < len(blocks):
        role = roles.get(i)
        if role not in ("dateline", "salutation", "valediction", "signature"):
            if role is not None:
                notes.append(_stray(blocks[i], role, path))
            out.append(blocks[i])
            i += 1
            continue
        start = i
        parts: dict[StyleRole, tuple[Inline, ...]] = {}
        for opening in ("dateline", "salutation"):
            if roles.get(i) == opening:
                end = _run(blocks, roles, i, opening)
                parts[opening] = _joined(blocks[i:end])
                i = end
        body_start = i
        while i < len(blocks) and i not in roles and not isinstance(blocks[i],
                                                                      Heading | SceneBreak):
            i += 1
        body = list(blocks[body_start:i])
        for closing in ("valediction", "signature"):
            if roles.get(i) == closing:
                end = _run(blocks, roles, i, closing)
                parts[closing] = _joined(blocks[i:end])
                i = end
        postscript_end = _run(blocks, roles, i, "postscript") if (
            "valediction" in parts or "signature" in parts) else i
        postscript = tuple(blocks[i:postscript_end])
        i = postscript_end
        if not parts.keys() & {"salutation", "valediction", "signature"}:
            # A date alone opens no letter (a diary's entry, a dated section).
            notes.append(_stray(blocks[start], "dateline", path))
            out.extend(blocks[start:i])
            continue
        span = blocks[start].span if isinstance(blocks[start], Paragraph) else SourceSpan(path, 1)
        out.append(Letter(body=tuple(body), dateline=parts.get("dateline", ()),
                          salutation=parts.get("salutation", ()),
                          valediction=parts.get("valediction", ()),
                          signature=parts.get("signature", ()), postscript=postscript,
                          span=span))
    return out, notes


def _stray(block: Block, role: StyleRole, path: str) -> Diagnostic:
    span = block.span if isinstance(block, Paragraph) else SourceSpan(path, 1)
    name = {"dateline": "Date", "salutation": "Salutation", "valediction": "Closing",
            "signature": "Signature", "postscript": "Postscript"}.get(role, role)
    return Diagnostic(
        "W007", "warning",
        f"paragraph {span.line}: its style says {name}, but no letter is around it (a "
        "salutation or a closing, in the order a letter sets them): kept as a paragraph",
        span, fix="style the letter's other parts too, or give this paragraph a body style")

