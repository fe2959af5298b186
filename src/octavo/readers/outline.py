"""Headings -> chapters: the one way a reader whose manuscript marks headings by level (Markdown,
Word, OpenDocument) turns a flat run of blocks into parts, chapters and sections.

By default the shallowest heading level present starts chapters and deeper ones are sections; a
single heading opening the file above all the others can be taken as the book's title. A book
may set the levels itself (``part_level``, ``chapter_level`` in the reader's table). Footnote
bodies go at the end of the chapter that first refers to them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, cast

from ..errors import OctavoError
from ..model import (
    LETTER_LINES,
    Block,
    Chapter,
    ChapterRole,
    Emphasis,
    Heading,
    Inline,
    InlineDirection,
    Letter,
    Link,
    Note,
    NoteRef,
    Paragraph,
    Part,
    SmallCaps,
    Speech,
    StageDirection,
    Strong,
    Verse,
    inline_text,
    map_body_chapters,
    walk_blocks,
)
from .assembly import BACK_ROLES, FRONT_ROLES, Chapters
from .inline import split_own_number
from .structure import NAMED_SECTIONS


@dataclass(frozen=True, slots=True)
class HeadingLevels:
    part_level: int | None = None
    chapter_level: int | None = None


def heading_levels(options: Mapping[str, Any], table: str, path: Path) -> HeadingLevels:
    """The ``part_level`` / ``chapter_level`` of a reader's book.toml table, validated."""
    unknown = set(options) - {"part_level", "chapter_level"}
    if unknown:
        raise OctavoError(f"unknown key(s) in [{table}]: {', '.join(sorted(unknown))}", path)
    levels: dict[str, int | None] = {}
    for key in ("part_level", "chapter_level"):
        value = options.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)
                                  or not 1 <= value <= 6):
            raise OctavoError(f"[{table}] {key} must be a heading level from 1 to 6", path)
        levels[key] = value
    part, chapter = levels["part_level"], levels["chapter_level"]
    if part is not None and chapter is not None and part >= chapter:
        raise OctavoError(f"[{table}] part_level must be above chapter_level", path)
    return HeadingLevels(part, chapter)


@dataclass(frozen=True, slots=True)
class Outline:
    body: tuple[Part | Chapter, ...]
    front_matter: tuple[Chapter, ...]
    back_matter: tuple[Chapter, ...]
    title: str | None


def role_of(title: tuple[Inline, ...]) -> str:
    """A named section's role (Preface, Epilogue...) from its heading, else ``chapter``."""
    key = re.sub(r"\s+", " ", inline_text(title).strip().rstrip(".:")).lower().replace("’", "'")
    role = NAMED_SECTIONS.get(key, "chapter")
    return role if role in FRONT_ROLES | BACK_ROLES | {"prologue", "epilogue"} else "chapter"


@dataclass(frozen=True, slots=True)
class ChapterLevel:
    """The heading level that starts chapters, and the lone top heading taken as the book's
    title, if one is."""

    level: int
    title: Heading | None = None


def chapter_level(blocks: list[Block], levels: HeadingLevels,
                  title_from_heading: bool) -> ChapterLevel:
    """The level set, else the first below the part level, else the shallowest present (or
    the one below a single heading opening the file, which is then the title)."""
    if levels.chapter_level is not None:
        return ChapterLevel(levels.chapter_level)
    headings = [b for b in blocks if isinstance(b, Heading)]
    present = sorted({h.level for h in headings})
    if levels.part_level is not None:
        return ChapterLevel(next((lv for lv in present if lv > levels.part_level),
                                 levels.part_level + 1))
    if (title_from_heading and len(present) > 1
            and sum(h.level == present[0] for h in headings) == 1
            and blocks and blocks[0] is headings[0]):
        # One top heading opening the file, above the others: the book's title.
        return ChapterLevel(present[1], headings[0])
    return ChapterLevel(present[0] if present else 1)


def outline(
    blocks: list[Block],
    notes: Mapping[str, Note],
    levels: HeadingLevels,
    path: str,
    title_from_heading: bool = True,
) -> Outline:
    """Chapters from headings; ``title_from_heading``: a lone top heading opening the file is
    the book's title (for manuscripts with no other way to name it)."""
    level = chapter_level(blocks, levels, title_from_heading)
    chapters = Chapters()
    parts_seen = 0
    for block in blocks:
        if block is level.title:
            continue
        if isinstance(block, Heading) and block.level == levels.part_level:
            part_label, part_title = split_own_number(block.inlines)
            parts_seen += 1
            chapters.open_part(Part(part_title, (), parts_seen, block.span, label=part_label))
        elif isinstance(block, Heading) and block.level <= level.level:
            # A heading above the chapter level with no part level set is kept as a chapter.
            label, title_inlines = split_own_number(block.inlines)
            chapters.open(title_inlines, block.span, label=label,
                          role=cast(ChapterRole, role_of(block.inlines)))
        elif isinstance(block, Heading):
            chapters.add(replace(block, level=max(1, block.level - level.level)))
        else:
            chapters.add(block)
    shelves = chapters.finish()

    body, front, back = place_notes(shelves.body, shelves.front, shelves.back, notes)
    title = inline_text(level.title.inlines).strip() if level.title is not None else None
    return Outline(tuple(body), tuple(front), tuple(back), title)


def note_refs(blocks: tuple[Block, ...]) -> set[str]:
    """The ids of every note these blocks refer to."""
    refs: set[str] = set()

    def walk(inlines: tuple[Inline, ...]) -> None:
        for node in inlines:
            if isinstance(node, NoteRef):
                refs.add(node.id)
            elif isinstance(node, Emphasis | Strong | SmallCaps | Link | InlineDirection):
                walk(node.children)

    for block in walk_blocks(blocks):
        if isinstance(block, Paragraph | Heading | StageDirection):
            walk(block.inlines)
        elif isinstance(block, Speech):
            walk(block.speaker)
            walk(block.inlines)
        elif isinstance(block, Verse):
            for line in block.lines:
                walk(line.inlines)
        elif isinstance(block, Letter):
            for part in LETTER_LINES:
                walk(getattr(block, part))
    return refs


def place_notes(
    body: list[Part | Chapter], front: list[Chapter], back: list[Chapter],
    notes: Mapping[str, Note],
) -> tuple[list[Part | Chapter], list[Chapter], list[Chapter]]:
    """Each footnote body goes at the end of the chapter that first refers to it (an
    unreferenced one, at the end of the last chapter)."""
    if not notes:
        return body, front, back
    placed: set[str] = set()

    def with_notes(chapter: Chapter) -> Chapter:
        wanted = [n for n in notes if n in note_refs(chapter.blocks) and n not in placed]
        placed.update(wanted)
        if not wanted:
            return chapter
        return replace(chapter, blocks=chapter.blocks + tuple(notes[n] for n in wanted))

    front = [with_notes(c) for c in front]
    new_body = list(map_body_chapters(body, with_notes))
    back = [with_notes(c) for c in back]
    rest = [notes[n] for n in notes if n not in placed]
    if rest and new_body:
        last = new_body[-1]
        if isinstance(last, Part) and last.chapters:
            tail = last.chapters[-1]
            new_body[-1] = replace(last, chapters=(*last.chapters[:-1],
                                                   replace(tail, blocks=tail.blocks + tuple(rest))))
        elif isinstance(last, Chapter):
            new_body[-1] = replace(last, blocks=last.blocks + tuple(rest))
    return new_body, front, back
