"""The one model -> (X)HTML serializer. The EPUB and PDF backends wrap what this returns and
add only their own packaging; neither builds markup for model content itself.

Output is well-formed XHTML (also valid HTML5), so it can go into an EPUB as is and into
WeasyPrint unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from html import escape as _escape
from typing import Literal, assert_never

from ..model import (
    Block,
    BlockQuote,
    Book,
    Chapter,
    Emphasis,
    Heading,
    Image,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    Note,
    NoteRef,
    PageBreak,
    Paragraph,
    Part,
    SceneBreak,
    SmallCaps,
    Strong,
    Text,
    Verse,
    inline_text,
    walk_blocks,
)
from .labels import NumberStyle, chapter_number, word

NoteStyle = Literal["linked", "inline"]


def escape(text: str) -> str:
    return _escape(text, quote=True)


@dataclass(frozen=True, slots=True)
class HtmlOptions:
    """How the shared serializer renders what the media differ on.

    ``notes="linked"``: a note reference links to an ``<aside>`` at the chapter's end (EPUB).
    ``notes="inline"``: the note body is set where it is referenced, for CSS
    ``float: footnote`` (print).
    """

    notes: NoteStyle = "linked"
    note_bodies: Mapping[str, Note] = field(default_factory=dict)
    note_numbers: Mapping[str, int] = field(default_factory=dict)


# --------------------------------------------------------------------------- structure


@dataclass(frozen=True, slots=True)
class Section:
    """One unit of the book in reading order with its stable id: a part title or a chapter."""

    id: str
    kind: Literal["part", "chapter", "front", "back"]
    part: Part | None
    chapter: Chapter | None


def book_sections(book: Book) -> tuple[Section, ...]:
    """Every part and chapter in reading order, with ids both backends share."""
    out: list[Section] = []
    for i, c in enumerate(book.front_matter, start=1):
        out.append(Section(f"front-{i}-{c.role}", "front", None, c))
    chapter_index = 0
    for p_index, item in enumerate(book.body, start=1):
        if isinstance(item, Part):
            out.append(Section(f"part-{p_index}", "part", item, None))
            for c in item.chapters:
                chapter_index += 1
                out.append(Section(f"chapter-{chapter_index}", "chapter", item, c))
        else:
            chapter_index += 1
            out.append(Section(f"chapter-{chapter_index}", "chapter", None, item))
    for i, c in enumerate(book.back_matter, start=1):
        out.append(Section(f"back-{i}-{c.role}", "back", None, c))
    return tuple(out)


def collect_notes(book: Book) -> dict[str, Note]:
    notes: dict[str, Note] = {}
    for section in book_sections(book):
        if section.chapter:
            for block in walk_blocks(section.chapter.blocks):
                if isinstance(block, Note):
                    notes[block.id] = block
    return notes


def note_numbers(notes: Mapping[str, Note]) -> dict[str, int]:
    return {note_id: n for n, note_id in enumerate(notes, start=1)}


# --------------------------------------------------------------------------- labels


def chapter_label(
    book: Book, chapter: Chapter, style: NumberStyle = "arabic"
) -> tuple[str | None, str]:
    """(number line, title) for a chapter heading; either may stand alone.

    A chapter without a title is named by its number; the only chapter of a book with neither
    is named by the book's title, so every heading and contents entry has words.
    """
    language = book.metadata.language
    title = inline_text(chapter.title).strip()
    if chapter.role != "chapter":
        return None, title or word(chapter.role, language)
    number = (
        f"{word('chapter', language)} {chapter_number(chapter.number, style, language)}"
        if chapter.number is not None
        else None
    )
    if title:
        return None, title
    only = sum(1 for s in book_sections(book) if s.kind == "chapter") == 1
    if only:
        return None, book.metadata.title
    return None, number or book.metadata.title


def toc_label(book: Book, chapter: Chapter) -> str:
    number, title = chapter_label(book, chapter)
    return f"{number}: {title}" if number and title else (title or number or "")


def part_label(book: Book, part: Part) -> str:
    title = inline_text(part.title).strip()
    if title:
        return title
    n = part.number if part.number is not None else 0
    return f"{word('part', book.metadata.language)} {chapter_number(n, 'roman')}"


# --------------------------------------------------------------------------- inlines


def render_inlines(inlines: tuple[Inline, ...], opts: HtmlOptions = HtmlOptions()) -> str:
    out: list[str] = []
    for node in inlines:
        match node:
            case Text(text=t):
                out.append(escape(t))
            case Emphasis(children=ch):
                out.append(f"<em>{render_inlines(ch, opts)}</em>")
            case Strong(children=ch):
                out.append(f"<strong>{render_inlines(ch, opts)}</strong>")
            case SmallCaps(children=ch):
                out.append(f'<span class="small-caps">{render_inlines(ch, opts)}</span>')
            case Link(href=href, children=ch):
                out.append(f'<a href="{escape(href)}">{render_inlines(ch, opts)}</a>')
            case LineBreak():
                out.append("<br/>")
            case NoteRef(id=note_id):
                out.append(_note_ref(note_id, opts))
            case _:
                assert_never(node)
    return "".join(out)


def _note_ref(note_id: str, opts: HtmlOptions) -> str:
    n = opts.note_numbers.get(note_id, 0)
    label = str(n) if n else escape(note_id)
    if opts.notes == "inline":
        body = opts.note_bodies.get(note_id)
        inner = render_blocks(body.blocks, opts) if body else ""
        return f'<span class="footnote" id="note-{escape(note_id)}">{_strip_p(inner)}</span>'
    return (
        f'<a class="noteref" epub:type="noteref" id="noteref-{escape(note_id)}" '
        f'href="#note-{escape(note_id)}">{label}</a>'
    )


def _strip_p(html: str) -> str:
    """A footnote set inline must not contain block elements inside the paragraph it floats
    from; its paragraphs become line-separated spans."""
    return (
        html.replace('<p class="first">', "<span>")
        .replace("<p>", "<span>")
        .replace("</p>", "</span> ")
        .strip()
    )


# --------------------------------------------------------------------------- blocks


def render_blocks(blocks: tuple[Block, ...], opts: HtmlOptions = HtmlOptions()) -> str:
    """Blocks to XHTML. A paragraph that opens a chapter, or follows a heading, a break or a
    non-paragraph block, carries ``class="first"`` (set flush, without indent)."""
    out: list[str] = []
    first = True
    for block in blocks:
        out.append(render_block(block, opts, first))
        first = not isinstance(block, Paragraph | Note)
    return "\n".join(s for s in out if s)


def render_block(block: Block, opts: HtmlOptions = HtmlOptions(), first: bool = False) -> str:
    match block:
        case Paragraph(inlines=inl, hints=hints):
            classes = (["first"] if first else []) + sorted(f"hint-{h}" for h in hints)
            cls = f' class="{" ".join(classes)}"' if classes else ""
            return f"<p{cls}>{render_inlines(inl, opts)}</p>"
        case Heading(level=level, inlines=inl):
            tag = f"h{min(6, level + 2)}"
            return f"<{tag}>{render_inlines(inl, opts)}</{tag}>"
        case SceneBreak():
            return '<hr class="scene-break"/>'
        case PageBreak():
            return '<div class="page-break"></div>'
        case BlockQuote(blocks=inner):
            return f"<blockquote>\n{render_blocks(inner, opts)}\n</blockquote>"
        case Verse(lines=lines):
            body = "<br/>\n".join(f'<span class="line">{render_inlines(ln, opts)}</span>'
                                  for ln in lines)
            return f'<div class="verse" epub:type="z3998:verse">\n<p>{body}</p>\n</div>'
        case Image(src=src, alt=alt, caption=cap):
            caption = f"<figcaption>{render_inlines(cap, opts)}</figcaption>" if cap else ""
            return (f'<figure><img src="{escape(src)}" alt="{escape(alt)}"/>'
                    f"{caption}</figure>")
        case Note(id=note_id, blocks=inner):
            if opts.notes == "inline":
                return ""
            n = opts.note_numbers.get(note_id, 0)
            back = (f'<a class="note-back" href="#noteref-{escape(note_id)}">'
                    f"{n or escape(note_id)}</a>")
            return (f'<aside class="footnote" epub:type="footnote" id="note-{escape(note_id)}">'
                    f'\n<p class="note-label">{back}</p>\n{render_blocks(inner, opts)}\n</aside>')
        case ListBlock(items=items, ordered=ordered):
            tag = "ol" if ordered else "ul"
            lis = "\n".join(f"<li>{render_blocks(item, opts)}</li>" for item in items)
            return f"<{tag}>\n{lis}\n</{tag}>"
        case _:
            assert_never(block)


def render_chapter(
    book: Book, section: Section, opts: HtmlOptions = HtmlOptions(),
    number_style: NumberStyle = "arabic",
) -> str:
    """A chapter as a ``<section>`` with its heading: the unit both backends place."""
    chapter = section.chapter
    assert chapter is not None
    number, title = chapter_label(book, chapter, number_style)
    kind = "chapter" if chapter.role == "chapter" else chapter.role
    epub_type = {"chapter": "chapter", "about-the-author": "backmatter",
                 "also-by": "backmatter"}.get(kind, kind)
    heading = ""
    if number:
        heading += f'<p class="chapter-number">{escape(number)}</p>\n'
    heading += f'<h2 class="chapter-title">{escape(title)}</h2>'
    return (
        f'<section class="{kind}" epub:type="{epub_type}" id="{section.id}" '
        f'data-title="{escape(title)}">\n<header>\n{heading}\n</header>\n'
        f"{render_blocks(chapter.blocks, opts)}\n</section>"
    )


def render_part_title(book: Book, section: Section) -> str:
    part = section.part
    assert part is not None
    return (
        f'<section class="part" epub:type="part" id="{section.id}">\n'
        f'<h1 class="part-title">{escape(part_label(book, part))}</h1>\n</section>'
    )
