"""The Book model: what every reader produces and every backend renders.

Frozen, slotted dataclasses with closed unions (``Block``, ``Inline``). The model knows no
output format: no HTML, EPUB or PDF lives here. Traversal helpers sit beside it so rules can
rewrite one kind of node without re-implementing the walk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Literal, TypeAlias, assert_never

# --------------------------------------------------------------------------- source positions


@dataclass(frozen=True, slots=True)
class SourceSpan:
    """Where a block starts in the manuscript, so any message can point at it."""

    path: str
    line: int
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


NO_SPAN = SourceSpan("<generated>", 0, 0)

# --------------------------------------------------------------------------- inlines


@dataclass(frozen=True, slots=True)
class Text:
    text: str


@dataclass(frozen=True, slots=True)
class Emphasis:
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Strong:
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class SmallCaps:
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Link:
    href: str
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class InlineDirection:
    """A stage direction inside a speech ("(aside)", "[Rising.]"): its brackets, when the
    manuscript has them, stay in its text."""

    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class LineBreak:
    pass


@dataclass(frozen=True, slots=True)
class NoteRef:
    id: str


Inline: TypeAlias = (
    Text | Emphasis | Strong | SmallCaps | Link | InlineDirection | LineBreak | NoteRef
)
Container: TypeAlias = Emphasis | Strong | SmallCaps | Link | InlineDirection

# --------------------------------------------------------------------------- blocks


@dataclass(frozen=True, slots=True)
class Paragraph:
    inlines: tuple[Inline, ...]
    span: SourceSpan = NO_SPAN
    # Editor's hints from the manuscript (e.g. "keep-together", "loosen", "tighten"); the
    # backends decide what each means for their medium.
    hints: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading inside a chapter (a section title); chapter titles live on ``Chapter``."""

    level: int
    inlines: tuple[Inline, ...]
    span: SourceSpan = NO_SPAN


@dataclass(frozen=True, slots=True)
class SceneBreak:
    span: SourceSpan = NO_SPAN


@dataclass(frozen=True, slots=True)
class PageBreak:
    """A forced page break an editor asked for; reflowable output ignores it."""

    span: SourceSpan = NO_SPAN


@dataclass(frozen=True, slots=True)
class BlockQuote:
    blocks: tuple[Block, ...]
    span: SourceSpan = NO_SPAN


@dataclass(frozen=True, slots=True)
class VerseLine:
    """One line of verse; ``indent`` is its level in from the poem's least-indented line."""

    inlines: tuple[Inline, ...]
    indent: int = 0


@dataclass(frozen=True, slots=True)
class Stanza:
    lines: tuple[VerseLine, ...]


@dataclass(frozen=True, slots=True)
class Verse:
    """Lines whose breaks belong to the text (poems, songs, addresses in letters), in
    stanzas."""

    stanzas: tuple[Stanza, ...]
    span: SourceSpan = NO_SPAN

    @property
    def lines(self) -> tuple[VerseLine, ...]:
        """Every line, stanza after stanza."""
        return tuple(line for stanza in self.stanzas for line in stanza.lines)


def map_verse_lines(verse: Verse, fn: Callable[[int, VerseLine], VerseLine]) -> Verse:
    """``verse`` with ``fn(k, line)`` applied to its k-th line (counted through the stanzas),
    its stanzas kept."""
    count = 0

    def one(line: VerseLine) -> VerseLine:
        nonlocal count
        count += 1
        return fn(count - 1, line)

    return replace(verse, stanzas=tuple(Stanza(tuple(one(ln) for ln in st.lines))
                                        for st in verse.stanzas))


def verse_of(
    stanzas: Iterable[Iterable[tuple[Inline, ...] | VerseLine]], span: SourceSpan = NO_SPAN
) -> Verse:
    """Verse from stanzas of lines (inlines, or lines with their indents); empty stanzas and
    stanzas without a line are left out."""
    built = tuple(
        Stanza(tuple(ln if isinstance(ln, VerseLine) else VerseLine(ln) for ln in stanza))
        for stanza in stanzas
    )
    return Verse(tuple(s for s in built if s.lines), span)


@dataclass(frozen=True, slots=True)
class Image:
    """A picture: ``src`` names a file in the book's folder, or, for a manuscript that carries
    its pictures inside it (a word-processor file), names the picture while ``data`` holds it."""

    src: str
    alt: str
    caption: tuple[Inline, ...] = ()
    span: SourceSpan = NO_SPAN
    data: bytes | None = None


@dataclass(frozen=True, slots=True)
class Note:
    """A footnote or endnote body; ``NoteRef(id)`` points at it."""

    id: str
    blocks: tuple[Block, ...]
    span: SourceSpan = NO_SPAN


@dataclass(frozen=True, slots=True)
class ListBlock:
    """A bulleted or numbered list; each item is a sequence of blocks."""

    items: tuple[tuple[Block, ...], ...]
    ordered: bool = False
    span: SourceSpan = NO_SPAN


@dataclass(frozen=True, slots=True)
class Speech:
    """One speech of a play: who speaks, then what they say (stage directions inside it are
    ``InlineDirection``). The speaker holds the name only, without the stop after it."""

    speaker: tuple[Inline, ...]
    inlines: tuple[Inline, ...]
    span: SourceSpan = NO_SPAN


@dataclass(frozen=True, slots=True)
class StageDirection:
    """A stage direction standing between speeches (a scene description, an exit)."""

    inlines: tuple[Inline, ...]
    span: SourceSpan = NO_SPAN


@dataclass(frozen=True, slots=True)
class CastMember:
    name: tuple[Inline, ...]
    description: tuple[Inline, ...] = ()


@dataclass(frozen=True, slots=True)
class CastList:
    """The dramatis personae: one entry a person, the name apart from what they are."""

    members: tuple[CastMember, ...]
    span: SourceSpan = NO_SPAN


LetterPart = Literal["salutation", "valediction"]


@dataclass(frozen=True, slots=True)
class Letter:
    """A letter set in the text: its parts by name, each empty when the letter has none.

    A salutation or valediction named in ``run_in`` is printed run into the first or last
    body paragraph (``My dear Sir,--I write``), so the body keeps the rest of that paragraph.
    """

    body: tuple[Block, ...]
    heading: tuple[Inline, ...] = ()
    dateline: tuple[Inline, ...] = ()
    salutation: tuple[Inline, ...] = ()
    valediction: tuple[Inline, ...] = ()
    signature: tuple[Inline, ...] = ()
    postscript: tuple[Block, ...] = ()
    run_in: frozenset[LetterPart] = frozenset()
    span: SourceSpan = NO_SPAN


Block: TypeAlias = (
    Paragraph | Heading | SceneBreak | PageBreak | BlockQuote | Verse | Image | Note | ListBlock
    | Speech | StageDirection | CastList | Letter
)

# A letter's one-line parts, in reading order.
LETTER_LINES = ("heading", "dateline", "salutation", "valediction", "signature")

# --------------------------------------------------------------------------- structure

ChapterRole = Literal[
    "chapter",
    "preface",
    "foreword",
    "introduction",
    "prologue",
    "epilogue",
    "dedication",
    "epigraph",
    "acknowledgements",
    "afterword",
    "about-the-author",
    "also-by",
    "appendix",
]


@dataclass(frozen=True, slots=True)
class Chapter:
    title: tuple[Inline, ...]
    number: int | None
    blocks: tuple[Block, ...]
    span: SourceSpan = NO_SPAN
    role: ChapterRole = "chapter"
    # The chapter's own number as the manuscript prints it above or before the title
    # ("Stave I", "Letter 4", a bare "XV" restarting in each part) when it has one; None lets
    # the backends derive a number line from ``number``, which counts through the book.
    label: str | None = None


@dataclass(frozen=True, slots=True)
class Part:
    title: tuple[Inline, ...]
    chapters: tuple[Chapter, ...]
    number: int | None = None
    span: SourceSpan = NO_SPAN
    # The part's own label above its title ("Book the First", "Volume II") when the
    # manuscript prints one; None lets the backends derive one from ``number``.
    label: str | None = None


BodyItem: TypeAlias = Part | Chapter


@dataclass(frozen=True, slots=True)
class Isbns:
    print: str | None = None
    ebook: str | None = None


@dataclass(frozen=True, slots=True)
class Metadata:
    title: str
    authors: tuple[str, ...] = ()
    subtitle: str | None = None
    language: str = "en"
    identifier: str = ""
    date: str | None = None
    publisher: str | None = None
    rights: str | None = None
    isbn: Isbns = field(default_factory=Isbns)
    description: str | None = None
    subjects: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Book:
    metadata: Metadata
    front_matter: tuple[Chapter, ...] = ()
    body: tuple[BodyItem, ...] = ()
    back_matter: tuple[Chapter, ...] = ()


# --------------------------------------------------------------------------- diagnostics

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A problem a rule or reader found, with a stable code (e.g. ``Q001``)."""

    code: str
    severity: Severity
    message: str
    span: SourceSpan = NO_SPAN
    # What to do about it, in one line ("close the quotation ..."); empty when obvious.
    fix: str = ""

    def __str__(self) -> str:
        where = f"{self.span}: " if self.span.line else ""
        fix = f"; fix: {self.fix}" if self.fix else ""
        return f"{where}{self.severity} {self.code}: {self.message}{fix}"


# --------------------------------------------------------------------------- traversal


def all_chapters(book: Book) -> Iterator[Chapter]:
    """Every chapter in reading order: front matter, body (through parts), back matter."""
    yield from book.front_matter
    yield from body_chapters(book)
    yield from book.back_matter


def body_chapters(book: Book) -> Iterator[Chapter]:
    for item in book.body:
        if isinstance(item, Part):
            yield from item.chapters
        else:
            yield item


def walk_blocks(blocks: tuple[Block, ...]) -> Iterator[Block]:
    """Every block, depth first, containers before their contents."""
    for block in blocks:
        yield block
        match block:
            case BlockQuote(blocks=inner) | Note(blocks=inner):
                yield from walk_blocks(inner)
            case ListBlock(items=items):
                for item in items:
                    yield from walk_blocks(item)
            case Letter(body=body, postscript=ps):
                yield from walk_blocks(body)
                yield from walk_blocks(ps)
            case (Paragraph() | Heading() | SceneBreak() | PageBreak() | Verse() | Image()
                  | Speech() | StageDirection() | CastList()):
                pass
            case _:
                assert_never(block)


def map_body_chapters(
    body: Iterable[BodyItem], fn: Callable[[Chapter], Chapter]
) -> tuple[BodyItem, ...]:
    """The body with ``fn`` applied to every chapter, in reading order, through its parts."""
    return tuple(
        replace(item, chapters=tuple(fn(c) for c in item.chapters))
        if isinstance(item, Part) else fn(item)
        for item in body
    )


def map_chapters(book: Book, fn: Callable[[Chapter], Chapter]) -> Book:
    """A new book with ``fn`` applied to every chapter (front, body, back)."""
    return replace(
        book,
        front_matter=tuple(fn(c) for c in book.front_matter),
        body=map_body_chapters(book.body, fn),
        back_matter=tuple(fn(c) for c in book.back_matter),
    )


def map_blocks(book: Book, fn: Callable[[Block], Block]) -> Book:
    """A new book with ``fn`` applied bottom-up to every block."""

    def one(block: Block) -> Block:
        match block:
            case BlockQuote(blocks=inner):
                block = replace(block, blocks=tuple(one(b) for b in inner))
            case Note(blocks=inner):
                block = replace(block, blocks=tuple(one(b) for b in inner))
            case ListBlock(items=items):
                block = replace(block, items=tuple(tuple(one(b) for b in it) for it in items))
            case Letter(body=body, postscript=ps):
                block = replace(block, body=tuple(one(b) for b in body),
                                postscript=tuple(one(b) for b in ps))
            case (Paragraph() | Heading() | SceneBreak() | PageBreak() | Verse() | Image()
                  | Speech() | StageDirection() | CastList()):
                pass
            case _:
                assert_never(block)
        return fn(block)

    return map_chapters(book, lambda c: replace(c, blocks=tuple(one(b) for b in c.blocks)))


InlineSeqFn: TypeAlias = Callable[[tuple[Inline, ...]], tuple[Inline, ...]]


def map_inline_runs(book: Book, fn: InlineSeqFn, titles: bool = True) -> Book:
    """A new book with ``fn`` applied to every run of inlines that forms one unit of text:
    a paragraph, a heading, a verse line, a caption, and (with ``titles``) chapter and part titles.
    """

    def block(b: Block) -> Block:
        match b:
            case Paragraph(inlines=inl) | Heading(inlines=inl) | StageDirection(inlines=inl):
                return replace(b, inlines=fn(inl))
            case Speech(speaker=who, inlines=inl):
                return replace(b, speaker=fn(who), inlines=fn(inl))
            case CastList(members=members):
                return replace(b, members=tuple(
                    CastMember(fn(m.name), fn(m.description) if m.description else ())
                    for m in members))
            case Verse(stanzas=stanzas):
                return replace(b, stanzas=tuple(
                    Stanza(tuple(replace(ln, inlines=fn(ln.inlines)) for ln in st.lines))
                    for st in stanzas))
            case Image(caption=cap):
                return replace(b, caption=fn(cap)) if cap else b
            case Letter():
                return replace(b, heading=fn(b.heading) if b.heading else (),
                               dateline=fn(b.dateline) if b.dateline else (),
                               salutation=fn(b.salutation) if b.salutation else (),
                               valediction=fn(b.valediction) if b.valediction else (),
                               signature=fn(b.signature) if b.signature else ())
            case SceneBreak() | PageBreak() | BlockQuote() | Note() | ListBlock():
                return b
            case _:
                assert_never(b)

    book = map_blocks(book, block)
    if not titles:
        return book

    def chapter(c: Chapter) -> Chapter:
        return replace(c, title=fn(c.title)) if c.title else c

    book = map_chapters(book, chapter)
    return replace(
        book,
        body=tuple(
            replace(i, title=fn(i.title)) if isinstance(i, Part) and i.title else i
            for i in book.body
        ),
    )


def split_at_line_breaks(inlines: tuple[Inline, ...]) -> list[tuple[Inline, ...]]:
    """The runs of inlines between hard line breaks (the lines of verse, a cast list...)."""
    lines: list[list[Inline]] = [[]]
    for node in inlines:
        if isinstance(node, LineBreak):
            lines.append([])
        else:
            lines[-1].append(node)
    return [tuple(line) for line in lines]


def inline_text(inlines: tuple[Inline, ...], line_break: str = " ") -> str:
    """The plain text of inlines, a line break read as ``line_break`` (a space; rules that map
    offsets back to nodes read it as a newline) and a note reference as nothing."""
    out: list[str] = []
    for node in inlines:
        match node:
            case Text(text=t):
                out.append(t)
            case (Emphasis(children=ch) | Strong(children=ch) | SmallCaps(children=ch)
                  | Link(children=ch) | InlineDirection(children=ch)):
                out.append(inline_text(ch, line_break))
            case LineBreak():
                out.append(line_break)
            case NoteRef():
                pass
            case _:
                assert_never(node)
    return "".join(out)


def block_text(block: Block) -> str:
    """The plain text of a block, its nested blocks joined by newlines."""
    match block:
        case Paragraph(inlines=inl) | Heading(inlines=inl) | StageDirection(inlines=inl):
            return inline_text(inl)
        case Speech(speaker=who, inlines=inl):
            return f"{inline_text(who)} {inline_text(inl)}"
        case CastList(members=members):
            return "\n".join(cast_member_text(m) for m in members)
        case Verse(lines=lines):
            return "\n".join(inline_text(line.inlines) for line in lines)
        case Image(alt=alt, caption=cap):
            return inline_text(cap) if cap else alt
        case BlockQuote(blocks=inner) | Note(blocks=inner):
            return "\n".join(block_text(b) for b in inner)
        case ListBlock(items=items):
            return "\n".join(block_text(b) for item in items for b in item)
        case Letter():
            return "\n".join(
                [inline_text(line) for line in (block.heading, block.dateline, block.salutation)
                 if line]
                + [block_text(b) for b in block.body]
                + [inline_text(line) for line in (block.valediction, block.signature) if line]
                + [block_text(b) for b in block.postscript])
        case SceneBreak() | PageBreak():
            return ""
        case _:
            assert_never(block)


def cast_member_text(member: CastMember) -> str:
    """A cast line as plain text: the name, then what the person is."""
    name = inline_text(member.name)
    return f"{name}, {inline_text(member.description)}" if member.description else name
