"""The one model -> (X)HTML serializer. The EPUB and PDF backends wrap what this returns and
add only their own packaging; neither builds markup for model content itself.

Output is well-formed XHTML (also valid HTML5), so it can go into an EPUB as is and into
WeasyPrint unchanged.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from html import escape as _escape
from typing import Literal, assert_never

from ..linktargets import safe_link_target
from ..model import (
    LETTER_LINES,
    Block,
    BlockQuote,
    Book,
    CastList,
    CastMember,
    Chapter,
    Emphasis,
    Heading,
    Image,
    Inline,
    InlineDirection,
    Letter,
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
    Speech,
    StageDirection,
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
    # Where printed pages begin (EPUB page list): section id -> text unit path (see
    # ``text_units``) -> ((word offset, page label), ...). Empty: no markers.
    page_markers: Mapping[str, Mapping[tuple[int, ...], tuple[tuple[int, str], ...]]] = field(
        default_factory=dict)
    # The section being rendered, so blocks can find their markers; set by ``render_chapter``.
    marker_section: str = ""
    # Where a packaged image lives relative to the document (EPUB): manuscript src -> href.
    image_hrefs: Mapping[str, str] = field(default_factory=dict)


IMAGE_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
               ".gif": "image/gif", ".svg": "image/svg+xml", ".webp": "image/webp"}


def image_data_uri(src: str, data: bytes) -> str:
    """A picture the manuscript carries, for a document with no package to put it in (print):
    WeasyPrint reads ``data:`` URIs without touching the file system."""
    suffix = "." + src.rsplit(".", 1)[-1].lower() if "." in src else ""
    media_type = IMAGE_TYPES.get(suffix, "application/octet-stream")
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


# The DPUB-ARIA role matching each epub:type we write: assistive technology reads roles, not
# epub:type, and Ace reports an epub:type without its role.
ARIA_ROLES: dict[str, str] = {
    "chapter": "doc-chapter", "part": "doc-part", "dedication": "doc-dedication",
    "epigraph": "doc-epigraph", "preface": "doc-preface", "foreword": "doc-foreword",
    "introduction": "doc-introduction", "prologue": "doc-prologue", "epilogue": "doc-epilogue",
    "acknowledgements": "doc-acknowledgments", "afterword": "doc-afterword",
    "appendix": "doc-appendix", "footnote": "doc-footnote", "noteref": "doc-noteref",
    "pagebreak": "doc-pagebreak", "toc": "doc-toc", "cover": "doc-cover",
}


def semantic_attrs(epub_type: str) -> str:
    """``epub:type`` with its matching ARIA role, when it has one."""
    role = ARIA_ROLES.get(epub_type)
    return f'epub:type="{epub_type}"' + (f' role="{role}"' if role else "")


# --------------------------------------------------------------------------- page markers


def page_marker_html(label: str) -> str:
    """An invisible print page-break marker (EPUB page list, DPUB-ARIA doc-pagebreak)."""
    label = escape(label)
    return (f'<span {semantic_attrs("pagebreak")} id="page-{label}" '
            f'aria-label="{label}"></span>')


def text_units(book: Book, section: Section) -> Iterator[tuple[tuple[int, ...], str]]:
    """The visible text of a section in reading order as (path, text) units: ``()`` is the
    heading; a block's path is its index, then the index inside a quote or list item.

    Page markers are positioned by word offset (``marker_words``) within a unit; the
    renderer honours the same paths and word counts. Notes are left out: print sets them at
    the page foot, away from the running text.
    """
    if section.part is not None and section.chapter is None:
        yield (), part_label(book, section.part)
        return
    assert section.chapter is not None
    number, title = chapter_label(book, section.chapter)
    yield (), " ".join(s for s in (number, title) if s)
    yield from _block_units(section.chapter.blocks, ())


def _block_units(
    blocks: tuple[Block, ...], prefix: tuple[int, ...]
) -> Iterator[tuple[tuple[int, ...], str]]:
    for i, block in enumerate(blocks):
        path = (*prefix, i)
        match block:
            case Paragraph(inlines=inl) | Heading(inlines=inl) | StageDirection(inlines=inl):
                yield path, inline_text(inl)
            case Speech(speaker=who, inlines=inl):
                yield path, f"{inline_text(who)} {inline_text(inl)}"
            case CastList(members=members):
                yield path, " ".join(
                    f"{inline_text(m.name)} {inline_text(m.description)}" for m in members)
            case Verse(lines=lines):
                yield path, " ".join(inline_text(line.inlines) for line in lines)
            case Image(caption=cap):
                if cap:
                    yield path, inline_text(cap)
            case BlockQuote(blocks=inner):
                yield from _block_units(inner, path)
            case ListBlock(items=items):
                for k, item in enumerate(items):
                    yield from _block_units(item, (*path, k))
            case Letter():
                yield from _letter_units(block, path)
            case Note() | SceneBreak() | PageBreak():
                pass
            case _:
                assert_never(block)


def _letter_units(
    letter: Letter, path: tuple[int, ...]
) -> Iterator[tuple[tuple[int, ...], str]]:
    """A letter's parts in reading order, each at its own index under the letter's path (the
    order ``render_letter`` writes them in; a run-in salutation comes before the body)."""
    for k, name in enumerate(LETTER_LINES):
        if name == "valediction":
            yield from _block_units(letter.body, (*path, LETTER_BODY))
        inlines = getattr(letter, name)
        if inlines:
            yield (*path, k), inline_text(inlines)
    yield from _block_units(letter.postscript, (*path, LETTER_POSTSCRIPT))


# A printed page can turn at a dash between words with no space ("her—that"): a dash ends a
# word for page markers, so a page may begin right after one.
WORD_DASHES = "\u2014\u2013\u2e3a\u2e3b"
_MARKER_WORD = re.compile(f"[^\\s{WORD_DASHES}]*[{WORD_DASHES}]|[^\\s{WORD_DASHES}]+")


def marker_words(text: str) -> list[str]:
    """The words page markers are counted in: split at white space and after dashes."""
    return _MARKER_WORD.findall(text)


class _WordMarks:
    """Inserts page markers before given words while text is rendered: counts words exactly
    as ``marker_words`` does on the unit's plain text."""

    def __init__(self, marks: tuple[tuple[int, str], ...]) -> None:
        self.pending: dict[int, list[str]] = {}
        for word_index, label in marks:
            self.pending.setdefault(word_index, []).append(label)
        self.words = 0
        self.in_word = False

    def space(self) -> None:
        self.in_word = False

    def text(self, text: str) -> str:
        out: list[str] = []
        run: list[str] = []
        for ch in text:
            if ch.isspace():
                self.in_word = False
            elif not self.in_word:
                self.in_word = True
                labels = self.pending.pop(self.words, None)
                self.words += 1
                if labels:
                    out.append(escape("".join(run)))
                    run = []
                    out.extend(page_marker_html(label) for label in labels)
            run.append(ch)
            if ch in WORD_DASHES:
                self.in_word = False
        out.append(escape("".join(run)))
        return "".join(out)

    def rest(self) -> str:
        """Markers past the unit's last word (a page that starts after it)."""
        labels = [label for k in sorted(self.pending) for label in self.pending[k]]
        self.pending.clear()
        return "".join(page_marker_html(label) for label in labels)


def _marks_at(opts: HtmlOptions, path: tuple[int, ...]) -> _WordMarks | None:
    if not opts.page_markers:
        return None
    marks = opts.page_markers.get(opts.marker_section, {}).get(path)
    return _WordMarks(marks) if marks else None


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
    book: Book, chapter: Chapter, style: NumberStyle = "manuscript", with_number: bool = False
) -> tuple[str | None, str]:
    """(number line, title) for a chapter heading; either may stand alone.

    With the ``manuscript`` style a chapter's own number line ("Stave I", a bare "XV") heads
    it; the other styles renumber through the book. A chapter without a title is named by its
    number; the only chapter of a book with neither is named by the book's title, so every
    heading and contents entry has words. With ``with_number`` (a printed chapter opener, or
    renumbering asked for) a titled, numbered chapter gets both.
    """
    language = book.metadata.language
    title = inline_text(chapter.title).strip()
    if chapter.role != "chapter":
        return None, title or word(chapter.role, language)
    own = chapter.label if style == "manuscript" else None
    number = (
        f"{word('chapter', language)} {chapter_number(chapter.number, style, language)}"
        if chapter.number is not None
        else None
    )
    if title and own:
        # A title that is its own number line ("Act I") wants no number of ours above it.
        return (own if own != title else None), title
    if title and is_poem(chapter.blocks):
        return None, title  # a poem is headed by its title alone, not "Chapter 15"
    if title:
        return (number if with_number and number and number != title else None), title
    only = sum(1 for s in book_sections(book) if s.kind == "chapter") == 1
    if only:
        return None, book.metadata.title
    return None, number or book.metadata.title


def _joined(number: str | None, title: str) -> str:
    """One line for a contents entry: ``I. The Period`` after a bare numeral, ``Stave I:
    Marley's Ghost`` after a labelled one."""
    if not number or not title:
        return title or number or ""
    return f"{number}{'.' if ' ' not in number else ':'} {title}"


def toc_label(book: Book, chapter: Chapter, style: NumberStyle = "manuscript") -> str:
    number, title = chapter_label(book, chapter, style, with_number=style != "manuscript")
    return _joined(number, title)


def part_label(book: Book, part: Part) -> str:
    title = inline_text(part.title).strip()
    if title:
        return title
    n = part.number if part.number is not None else 0
    return f"{word('part', book.metadata.language)} {chapter_number(n, 'roman')}"


def part_number_line(book: Book, part: Part, style: NumberStyle = "manuscript",
                     with_number: bool = False) -> str | None:
    """The line above a titled part's title: its own label ("Book the First") with the
    ``manuscript`` style, else, on a printed part page or when renumbering is asked for, its
    number spelled out ("Part Two"); None for an untitled part, whose title is its number."""
    title = inline_text(part.title).strip()
    if not title:
        return None
    if style == "manuscript" and part.label and part.label != title:
        return part.label
    if not with_number or part.number is None:
        return None
    language = book.metadata.language
    spelled = chapter_number(part.number, "words" if style in ("arabic", "manuscript") else style,
                             language)
    return f"{word('part', language)} {spelled}"


def part_toc_label(book: Book, part: Part, style: NumberStyle = "manuscript") -> str:
    return _joined(part_number_line(book, part, style, with_number=style != "manuscript"),
                   part_label(book, part))


# --------------------------------------------------------------------------- inlines


def render_inlines(
    inlines: tuple[Inline, ...], opts: HtmlOptions = HtmlOptions(), marks: _WordMarks | None = None
) -> str:
    out: list[str] = []
    for node in inlines:
        match node:
            case Text(text=t):
                out.append(escape(t) if marks is None else marks.text(t))
            case Emphasis(children=ch):
                out.append(f"<em>{render_inlines(ch, opts, marks)}</em>")
            case Strong(children=ch):
                out.append(f"<strong>{render_inlines(ch, opts, marks)}</strong>")
            case SmallCaps(children=ch):
                out.append(f'<span class="small-caps">{render_inlines(ch, opts, marks)}</span>')
            case InlineDirection(children=ch):
                out.append(f'<i class="stage-direction" epub:type="z3998:stage-direction">'
                           f"{render_inlines(ch, opts, marks)}</i>")
            case Link(href=href, children=ch):
                target = safe_link_target(href)
                inner = render_inlines(ch, opts, marks)
                # A model built by hand (or an older reader) may hold any target: its words stay.
                out.append(inner if target is None else f'<a href="{escape(target)}">{inner}</a>')
            case LineBreak():
                if marks is not None:
                    marks.space()
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
        f'<a class="noteref" {semantic_attrs("noteref")} id="noteref-{escape(note_id)}" '
        f'href="#note-{escape(note_id)}">{label}</a>'
    )


def _strip_p(html: str) -> str:
    """A footnote set inline must not contain block elements inside the paragraph it floats
    from; its paragraphs become spans, each after the first on a line of its own.

    No white space is left between them or in place of a newline: WeasyPrint (70) takes a
    footnote out of the document before it collapses white space, so a newline in a note
    reaches its line breaking as it is, and stops it ("Got ' \\n' between two lines")."""
    spans = re.sub(r"\s*<p(?: class=\"first\")?>", "<span>", html.strip())
    spans = re.sub(r"</p>\s*", "</span>", spans).replace("</span><span>", "</span><br/><span>")
    return re.sub(r"\s*\n\s*", " ", spans)


# --------------------------------------------------------------------------- blocks


def render_blocks(
    blocks: tuple[Block, ...], opts: HtmlOptions = HtmlOptions(), path: tuple[int, ...] = ()
) -> str:
    """Blocks to XHTML. A paragraph that opens a chapter, or follows a heading, a break or a
    non-paragraph block, carries ``class="first"`` (set flush, without indent)."""
    out: list[str] = []
    first = True
    poem = is_poem(blocks) and not path
    for i, block in enumerate(blocks):
        out.append(render_block(block, opts, first, (*path, i), poem))
        first = not isinstance(block, Paragraph | Note)
    return "\n".join(s for s in out if s)


def is_poem(blocks: tuple[Block, ...]) -> bool:
    """A chapter whose text is all verse is a poem (or poems); verse among prose is quoted."""
    return any(isinstance(b, Verse) for b in blocks) and all(
        isinstance(b, Verse | Heading | SceneBreak | PageBreak | Image) for b in blocks)


# Stanzas of up to this many lines are short enough to keep whole on a page.
SHORT_STANZA = 8


def render_verse(verse: Verse, opts: HtmlOptions, marks: _WordMarks | None,
                 poem: bool = False) -> str:
    """Verse as Standard Ebooks marks it: a ``z3998:poem`` (a chapter of verse) or
    ``z3998:verse`` (verse inside prose) container, a ``<p>`` per stanza (``short`` when it
    has at most ``SHORT_STANZA`` lines), a ``<span>`` per line with its indent as class
    ``i1``, ``i2``..., lines separated by ``<br/>``."""
    stanzas: list[tuple[str, int]] = []
    for stanza in verse.stanzas:
        lines = []
        for line in stanza.lines:
            if marks is not None:
                marks.space()
            cls = f' class="i{line.indent}"' if line.indent else ""
            lines.append(f"<span{cls}>{render_inlines(line.inlines, opts, marks)}</span>")
        stanzas.append(("<br/>\n".join(lines), len(lines)))
    if marks is not None and stanzas:
        stanzas[-1] = (stanzas[-1][0] + marks.rest(), stanzas[-1][1])
    kind = "z3998:poem" if poem else "z3998:verse"
    # A short stanza is marked so that print can keep it on one page.
    short = ' class="short"'
    body = "\n".join(f"<p{short if n <= SHORT_STANZA else ''}>{s}</p>" for s, n in stanzas)
    return f'<div class="verse" epub:type="{kind}">\n{body}\n</div>'


def render_block(
    block: Block, opts: HtmlOptions = HtmlOptions(), first: bool = False,
    path: tuple[int, ...] = (), poem: bool = False,
) -> str:
    marks = _marks_at(opts, path)
    rest = marks.rest if marks is not None else str
    match block:
        case Paragraph(inlines=inl, hints=hints):
            classes = (["first"] if first else []) + sorted(f"hint-{h}" for h in hints)
            cls = f' class="{" ".join(classes)}"' if classes else ""
            return f"<p{cls}>{render_inlines(inl, opts, marks)}{rest()}</p>"
        case Heading(level=level, inlines=inl):
            tag = f"h{min(6, level + 2)}"
            return f"<{tag}>{render_inlines(inl, opts, marks)}{rest()}</{tag}>"
        case SceneBreak():
            return '<hr class="scene-break"/>'
        case PageBreak():
            return '<div class="page-break"></div>'
        case BlockQuote(blocks=inner):
            return f"<blockquote>\n{render_blocks(inner, opts, path)}\n</blockquote>"
        case Verse():
            return render_verse(block, opts, marks, poem)
        case Image(src=src, alt=alt, caption=cap, data=data):
            caption = (f"<figcaption>{render_inlines(cap, opts, marks)}{rest()}</figcaption>"
                       if cap else "")
            href = opts.image_hrefs.get(src) or (image_data_uri(src, data) if data else src)
            return (f'<figure><img src="{escape(href)}" alt="{escape(alt)}"/>'
                    f"{caption}</figure>")
        case Note(id=note_id, blocks=inner):
            if opts.notes == "inline":
                return ""
            n = opts.note_numbers.get(note_id, 0)
            back = (f'<a class="note-back" href="#noteref-{escape(note_id)}">'
                    f"{n or escape(note_id)}</a>")
            return (f'<aside class="footnote" {semantic_attrs("footnote")} '
                    f'id="note-{escape(note_id)}">'
                    f'\n<p class="note-label">{back}</p>\n{render_blocks(inner, opts, path)}'
                    "\n</aside>")
        case Speech(speaker=who, inlines=inl):
            return speech_html(who, inl, opts, marks, rest)
        case StageDirection(inlines=inl):
            return (f'<p class="stage-direction"><i epub:type="z3998:stage-direction">'
                    f"{render_inlines(inl, opts, marks)}{rest()}</i></p>")
        case CastList(members=members):
            items = "\n".join(f"<li>{cast_member_html(m, opts, marks)}</li>" for m in members)
            return (f'<ul class="cast-list" epub:type="z3998:dramatis-personae">\n{items}'
                    f"{rest()}\n</ul>")
        case Letter():
            return render_letter(block, opts, path)
        case ListBlock(items=items, ordered=ordered):
            tag = "ol" if ordered else "ul"
            lis = "\n".join(f"<li>{render_blocks(item, opts, (*path, k))}</li>"
                             for k, item in enumerate(items))
            return f"<{tag}>\n{lis}\n</{tag}>"
        case _:
            assert_never(block)


# A speaker's name stands apart from the speech by a stop, unless it ends in one already.
_SPEAKER_STOP = re.compile(r"[.:!?]\s*$")


def speech_html(speaker: tuple[Inline, ...], inlines: tuple[Inline, ...], opts: HtmlOptions,
                marks: _WordMarks | None, rest: Callable[[], str]) -> str:
    """A speech as one paragraph led by its speaker (``z3998:persona``); print hangs the
    speech's later lines under the name."""
    name = render_inlines(speaker, opts, marks)
    stop = "" if _SPEAKER_STOP.search(inline_text(speaker)) else "."
    if marks is not None:
        marks.space()
    return (f'<p class="speech"><b class="persona" epub:type="z3998:persona">{name}</b>{stop} '
            f"{render_inlines(inlines, opts, marks)}{rest()}</p>")


def cast_member_html(member: CastMember, opts: HtmlOptions, marks: _WordMarks | None) -> str:
    name = render_inlines(member.name, opts, marks)
    if not member.description:
        return f'<span class="cast-name">{name}</span>'
    if marks is not None:
        marks.space()
    return (f'<span class="cast-name">{name}</span>, '
            f'<span class="cast-role">{render_inlines(member.description, opts, marks)}</span>')


def is_drama(chapter: Chapter) -> bool:
    """A chapter of a play: it holds speeches (EPUB marks its section ``z3998:drama``)."""
    return any(isinstance(b, Speech) for b in walk_blocks(chapter.blocks))


# Where a letter's body and postscript sit under its path, past its one-line parts.
LETTER_BODY = len(LETTER_LINES)
LETTER_POSTSCRIPT = LETTER_BODY + 1

# epub:type of each one-line part (the dateline has none in the EPUB vocabularies: a class)
LETTER_TYPES = {"heading": "", "dateline": "", "salutation": "z3998:salutation",
                "valediction": "z3998:valediction", "signature": "z3998:signature"}


def _letter_line(name: str, inlines: tuple[Inline, ...], opts: HtmlOptions,
                 path: tuple[int, ...], tag: str = "p") -> str:
    marks = _marks_at(opts, path)
    rest = marks.rest if marks is not None else str
    kind = LETTER_TYPES[name]
    attrs = f' class="{name}"' + (f" {semantic_attrs(kind)}" if kind else "")
    return f"<{tag}{attrs}>{render_inlines(inlines, opts, marks)}{rest()}</{tag}>"


def _run_into(paragraph_html: str, span: str) -> str:
    """A rendered ``<p>`` with ``span`` just inside its start tag."""
    head, _, tail = paragraph_html.partition(">")
    return f"{head}>{span}{tail}"


def render_letter(letter: Letter, opts: HtmlOptions, path: tuple[int, ...]) -> str:
    """A letter as ``<div class="letter" epub:type="z3998:letter">``: its heading and dateline,
    salutation, body, valediction, signature and postscript, each marked by name."""
    body = list(letter.body)
    rendered = [render_block(b, opts, i == 0 or not isinstance(body[i - 1], Paragraph),
                             (*path, LETTER_BODY, i))
                for i, b in enumerate(body)]
    out: list[str] = []
    for k, name in enumerate(LETTER_LINES):
        inlines: tuple[Inline, ...] = getattr(letter, name)
        if name == "valediction":
            out.extend(rendered)
        if not inlines:
            continue
        # A valediction run into the last paragraph is set as its own line all the same: a
        # block inside a paragraph would keep the print line breaker from setting it.
        if name == "salutation" and name in letter.run_in and body and isinstance(
                body[0], Paragraph):
            rendered[0] = _run_into(rendered[0], _letter_line(name, inlines, opts, (*path, k),
                                                              "span"))
        else:
            out.append(_letter_line(name, inlines, opts, (*path, k)))
    if letter.postscript:
        out.append(f'<div class="postscript" {semantic_attrs("z3998:postscript")}>\n'
                   f"{render_blocks(letter.postscript, opts, (*path, LETTER_POSTSCRIPT))}\n</div>")
    return (f'<div class="letter" {semantic_attrs("z3998:letter")}>\n' + "\n".join(out)
            + "\n</div>")


def render_chapter(
    book: Book, section: Section, opts: HtmlOptions = HtmlOptions(),
    number_style: NumberStyle = "manuscript", with_number: bool = False,
) -> str:
    """A chapter as a ``<section>`` with its heading: the unit both backends place."""
    chapter = section.chapter
    assert chapter is not None
    if opts.page_markers:
        opts = replace(opts, marker_section=section.id)
    number, title = chapter_label(book, chapter, number_style, with_number)
    kind = "chapter" if chapter.role == "chapter" else chapter.role
    epub_type = {"chapter": "chapter", "about-the-author": "backmatter",
                 "also-by": "backmatter"}.get(kind, kind)
    lead, marks = _heading_marks(opts)
    refs = title_note_refs(chapter.title, opts)
    if number and number == chapter.label and " " not in number:
        # A bare numeral ("XV") belongs to the title's heading, on a line of its own in print.
        heading = (f'<h2 class="chapter-title"><span class="chapter-number">'
                   f'{_marked(number, marks)}</span> {_marked(title, marks)}{refs}</h2>')
    elif number:
        # A number line ("Stave I", or "Chapter 4" when renumbering) and the title are one
        # heading to assistive technology: an hgroup whose one h element is the title.
        # The manuscript's own line ("Stave I") is set as the book had it, apart from a
        # number the edition supplies.
        heading = heading_group(_marked(number, marks), "chapter-number", "h2", "chapter-title",
                                f"{_marked(title, marks)}{refs}",
                                "own-number" if number == chapter.label else None)
    else:
        heading = f'<h2 class="chapter-title">{_marked(title, marks)}{refs}</h2>'
    blocks = chapter.blocks
    letter = blocks[0] if blocks and isinstance(blocks[0], Letter) else None
    if letter is not None and letter.dateline and chapter.title:
        # A chapter that is a letter keeps the letter's dateline under its title, in its
        # header, as editions of letters set it.
        heading += "\n" + _letter_line("dateline", letter.dateline, opts,
                                       (0, LETTER_LINES.index("dateline")))
        blocks = (replace(letter, dateline=()), *blocks[1:])
    attrs = semantic_attrs(epub_type)
    if is_drama(chapter):
        attrs = attrs.replace(f'epub:type="{epub_type}"', f'epub:type="{epub_type} z3998:drama"')
    return (
        f'<section class="{kind}" {attrs} id="{section.id}" '
        f'data-title="{escape(title)}">\n{lead}<header>\n{heading}\n</header>\n'
        f"{render_blocks(blocks, opts)}\n</section>"
    )


def heading_group(number_html: str, number_class: str, tag: str, title_class: str,
                  title_html: str, group_class: str | None = None) -> str:
    """A label line and its title as one heading (EPUB 3.3 hgroup: one h element and p's), as
    Standard Ebooks sets "Stave I" over "Marley's Ghost"."""
    cls = f' class="{group_class}"' if group_class else ""
    return (f'<hgroup{cls}>\n<p class="{number_class}" epub:type="ordinal">{number_html}</p>\n'
            f'<{tag} class="{title_class}" epub:type="title">{title_html}</{tag}>\n</hgroup>')


def title_note_refs(title: tuple[Inline, ...], opts: HtmlOptions) -> str:
    """The references a title calls notes with, set after it: the title itself is set as
    plain text (the contents list and the running heads show it without them)."""
    refs: list[str] = []
    for node in title:
        match node:
            case NoteRef(id=note_id):
                refs.append(_note_ref(note_id, opts))
            case Emphasis(children=ch) | Strong(children=ch) | SmallCaps(children=ch) | Link(
                children=ch
            ):
                refs.append(title_note_refs(ch, opts))
            case _:
                pass
    return "".join(refs)


def _heading_marks(opts: HtmlOptions) -> tuple[str, _WordMarks | None]:
    """Markers for a page that opens on a heading go before it, so the page number does not
    become part of the heading's accessible name; any others go inside."""
    marks = _marks_at(opts, ())
    if marks is None:
        return "", None
    lead = "".join(page_marker_html(label) for label in marks.pending.pop(0, []))
    return lead, marks


def _marked(text: str, marks: _WordMarks | None) -> str:
    if marks is None:
        return escape(text)
    marks.space()
    return marks.text(text)


def render_part_title(book: Book, section: Section, opts: HtmlOptions = HtmlOptions(),
                      number_style: NumberStyle = "manuscript", with_number: bool = False) -> str:
    part = section.part
    assert part is not None
    lead, marks = _heading_marks(replace(opts, marker_section=section.id))
    number = part_number_line(book, part, number_style, with_number)
    title_html = f"{_marked(part_label(book, part), marks)}{title_note_refs(part.title, opts)}"
    heading = (heading_group(escape(number), "part-number", "h1", "part-title", title_html)
               if number else f'<h1 class="part-title">{title_html}</h1>')
    return (
        f'<section class="part" {semantic_attrs("part")} id="{section.id}">\n{lead}'
        f"{heading}\n</section>"
    )
