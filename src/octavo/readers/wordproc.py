"""What Word and OpenDocument manuscripts share once their XML is read: paragraphs that say
what their style means -> blocks -> a Document, keeping what the author meant and dropping what
the word processor added.

A format's reader (``docx.py``, ``odt.py``) turns each paragraph into a ``WordParagraph``: its
kind from its style (title, heading, quote, caption, list item, body), its text as a flat run of
``Piece``s each with the author's emphasis, its pictures. From there on every rule is here:

- styling becomes ``Emphasis``/``Strong``/``SmallCaps`` over the longest runs that share it, so
  runs a revision split (``dar`` + ``k``) read as one, and spaces at a styled run's edges stay
  outside it;
- a paragraph's leading and trailing space (tab or space indents) is dropped;
- one empty paragraph is spacing and is dropped; two or more between text are a scene break, as
  is a paragraph that is only a scene-break mark (``***``, ``* * *``, ``#``);
- quote paragraphs in a row are one block quote; a caption after a picture is its caption;
  a paragraph broken into lines (Shift+Enter) is verse, as hard breaks are in Markdown;
- a paragraph whose style names what it is (a line of verse, a speaker, a speech, a direction,
  a letter's part: ``wordstyles``) takes that shape by the rules of ``wordshapes``.
"""

from __future__ import annotations

import html.entities
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import groupby
from pathlib import PurePosixPath
from typing import Literal, cast

from lxml import etree

from ..images import pillow_bomb_error, refuse_too_many_pixels
from ..model import (
    Block,
    BlockQuote,
    Diagnostic,
    Emphasis,
    Heading,
    Image,
    Inline,
    InlineDirection,
    LineBreak,
    Link,
    ListBlock,
    Note,
    NoteRef,
    Paragraph,
    SceneBreak,
    SmallCaps,
    SourceSpan,
    Speech,
    StageDirection,
    Stanza,
    Strong,
    Text,
    Verse,
    VerseLine,
    inline_text,
)
from .document import Document
from .drama import inline_directions, leading_speaker
from .hints import apply_manuscript_hints
from .outline import HeadingLevels, outline
from .text import SCENE_BREAK
from .wordshapes import (
    gather_styled_letters,
    rank_indents,
    speaker_and_speech,
    verse_stanzas,
)
from .wordstyles import LETTER_ROLES, StyleRole

ParagraphKind = Literal["body", "title", "subtitle", "heading", "quote", "caption", "list-item"
                        ] | StyleRole
Styling = Literal["em", "strong", "smallcaps"]
# Outermost first: ``***x***`` in Markdown is emphasis around strong, and so is a bold italic run.
STYLING_ORDER: tuple[Styling, ...] = ("em", "strong", "smallcaps")


@dataclass(frozen=True, slots=True)
class Piece:
    """A stretch of a paragraph: text, or a note reference, a line break or a link, with the
    author's styling of the run it came from."""

    inline: Inline
    styling: frozenset[Styling] = frozenset()


@dataclass
class Gathered:
    """A paragraph's pieces and pictures while a reader walks its runs."""

    pieces: list[Piece] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class WordParagraph:
    kind: ParagraphKind
    pieces: tuple[Piece, ...]
    span: SourceSpan
    level: int = 0
    images: tuple[Image, ...] = ()
    ordered: bool = False
    # The paragraph's left indent and its first line's indent from there (negative: hanging),
    # in points, by its own formatting or its style's: how far in a line of verse is set.
    left: float = 0.0
    first_line: float = 0.0


@dataclass
class WordReading:
    """What a format's reader collects from one file."""

    path: str
    note_prefix: str
    paragraphs: list[WordParagraph] = field(default_factory=list)
    notes: dict[str, list[WordParagraph]] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def warn(self, code: str, message: str, line: int = 1) -> None:
        self.diagnostics.append(Diagnostic(code, "warning", message, SourceSpan(self.path, line)))

    def new_note_id(self) -> str:
        """Notes are numbered in the order they are referred to, as ``[^1]``, ``[^2]`` are."""
        return f"{self.note_prefix}-{len(self.notes) + 1}"


def small_number(value: str | None) -> int | None:
    """A level or count written in the file, or None when it is not a plain small number."""
    return int(value) if value and value.isdecimal() and len(value) <= 4 else None


# --------------------------------------------------------------------------- entities

# Longest replacement text taken from an entity the file declares itself.
ENTITY_TEXT_MAX = 200


def _declared_entity(entity: etree._Element, name: str) -> str | None:
    """The text a DTD inside the file gives entity ``name``, when it is plain text (no markup,
    no further entity: nothing that could expand again)."""
    dtd = entity.getroottree().docinfo.internalDTD
    for declared in dtd.iterentities() if dtd is not None else ():
        content = declared.content
        if (declared.name == name and isinstance(content, str) and len(content) <= ENTITY_TEXT_MAX
                and "<" not in content and "&" not in content):
            return content
    return None


def entity_text(entity: etree._Element, reading: WordReading, line: int) -> str:
    """What an entity reference the XML parser left unexpanded stands for (the readers expand
    none, against entity bombs): the character HTML names so (``&nbsp;``, ``&eacute;``), else
    the plain text a DTD in the file declares for it; anything else is left out with a warning
    naming the paragraph (the text around it stays)."""
    name = str(entity.name)
    known = html.entities.html5.get(f"{name};")
    if known is not None:
        return known
    declared = _declared_entity(entity, name)
    if declared is not None:
        return declared
    reading.warn("W006", f"paragraph {line}: the entity '&{name};' is defined nowhere octavo "
                 "reads: left out (the text around it is kept); type the character itself",
                 line)
    return ""


def element_text(el: etree._Element, reading: WordReading, line: int) -> str:
    """An element's text whole: lxml holds the text after an entity reference, a comment or a
    processing instruction inside it as that node's tail, so ``el.text`` alone stops there.
    Entity references are read by ``entity_text``; comments and instructions are no text."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child, etree._Entity):
            parts.append(entity_text(child, reading, line))
        parts.append(child.tail or "")
    return "".join(parts)


# --------------------------------------------------------------------------- pictures

# What an EPUB may hold (core media types); pictures in other raster formats are converted.
EPUB_PICTURES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".svg", ".webp"})


def picture(reading: WordReading, name: str, data: bytes, alt: str, span: SourceSpan
            ) -> Image | None:
    """A picture the file carries, as an ``Image`` named ``<file>/<its name inside>``; one in
    a format no ebook reader shows (TIFF, BMP) is converted to PNG, one that cannot be (a
    Windows metafile) is dropped with a warning."""
    src = f"{PurePosixPath(reading.path).name}/{name.lstrip('/')}"
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in EPUB_PICTURES:
        return Image(src, alt.strip(), (), span, data)
    from PIL import Image as Pillow
    from PIL import UnidentifiedImageError

    try:
        with Pillow.open(io.BytesIO(data)) as opened:
            refuse_too_many_pixels(*opened.size, f"{reading.path}/{name}", reading.path,
                                   span.line)
            out = io.BytesIO()
            opened.convert("RGBA" if "A" in opened.getbands() else "RGB").save(out, "PNG")
    except Pillow.DecompressionBombError as exc:
        raise pillow_bomb_error(exc, f"{reading.path}/{name}", reading.path, span.line) from None
    except (UnidentifiedImageError, OSError, ValueError):
        reading.warn("W003", f"picture '{name}' dropped: its format ({suffix or 'unknown'}) "
                     "cannot be shown in a book; insert it as JPEG or PNG", span.line)
        return None
    return Image(f"{src.rsplit('.', 1)[0]}.png", alt.strip(), (), span, out.getvalue())


# --------------------------------------------------------------------------- inlines


def _is_space(piece: Piece) -> bool:
    return isinstance(piece.inline, Text) and not piece.inline.text.strip()


def _neutral(piece: Piece) -> bool:
    """Pieces whose styling nobody sees: spaces, note references, line breaks."""
    return _is_space(piece) or isinstance(piece.inline, NoteRef | LineBreak)


def _split_edges(pieces: Iterable[Piece]) -> list[Piece]:
    """A styled run's leading and trailing spaces as pieces of their own."""
    out: list[Piece] = []
    for piece in pieces:
        node = piece.inline
        if not isinstance(node, Text) or not piece.styling or not node.text.strip():
            out.append(piece)
            continue
        core = node.text.strip()
        head = node.text[: len(node.text) - len(node.text.lstrip())]
        tail = node.text[len(node.text.rstrip()):]
        if head:
            out.append(Piece(Text(head)))
        out.append(Piece(Text(core), piece.styling))
        if tail:
            out.append(Piece(Text(tail)))
    return out


def _settle_neutral(pieces: list[Piece]) -> list[Piece]:
    """A neutral piece takes the styling its neighbours share, so ``*dark* *night*`` split
    around a plain space reads as one emphasis, and a note reference never breaks one."""
    styled = [i for i, p in enumerate(pieces) if not _neutral(p)]
    out = list(pieces)
    for i, piece in enumerate(pieces):
        if not _neutral(piece):
            continue
        before = next((pieces[j].styling for j in reversed(styled) if j < i), frozenset())
        after = next((pieces[j].styling for j in styled if j > i), frozenset())
        out[i] = Piece(piece.inline, before & after)
    return out


def merge_text(inlines: Iterable[Inline]) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for node in inlines:
        if isinstance(node, Text) and not node.text:
            continue
        if isinstance(node, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + node.text)
        else:
            out.append(node)
    return tuple(out)


def _nest(pieces: Sequence[Piece], order: tuple[Styling, ...]) -> list[Inline]:
    if not order:
        return list(merge_text(p.inline for p in pieces))
    styling, rest = order[0], order[1:]
    out: list[Inline] = []
    for has, group in groupby(pieces, key=lambda p: styling in p.styling):
        inner = tuple(_nest(list(group), rest))
        if not has:
            out.extend(inner)
        elif styling == "em":
            out.append(Emphasis(inner))
        elif styling == "strong":
            out.append(Strong(inner))
        else:
            out.append(SmallCaps(inner))
    return out


def styled_inlines(pieces: Iterable[Piece]) -> tuple[Inline, ...]:
    """Pieces -> inlines: each styling over the longest run of pieces that has it."""
    settled = _settle_neutral(_split_edges(pieces))
    return merge_text(_nest(settled, STYLING_ORDER))


def strip_edges(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Without the leading and trailing white space (indents, trailing spaces) of a run."""

    def strip(nodes: tuple[Inline, ...], left: bool) -> tuple[Inline, ...]:
        items = list(nodes)
        index = 0 if left else -1
        while items:
            node = items[index]
            if isinstance(node, Text):
                text = node.text.lstrip() if left else node.text.rstrip()
                if text:
                    items[index] = Text(text)
                    break
                items.pop(index)
            elif isinstance(node, LineBreak):
                items.pop(index)
            elif isinstance(node, Emphasis | Strong | SmallCaps | Link | InlineDirection):
                inner = strip(node.children, left)
                if inner:
                    items[index] = replace(node, children=inner)
                    break
                items.pop(index)
            else:
                break
        return tuple(items)

    return strip(strip(inlines, True), False)


def _has_notes(inlines: tuple[Inline, ...]) -> bool:
    return any(isinstance(n, NoteRef) or (
        isinstance(n, Emphasis | Strong | SmallCaps | Link | InlineDirection) and _has_notes(n.children))
        for n in inlines)


# --------------------------------------------------------------------------- blocks


def _stanzas(raw: tuple[Inline, ...], para: WordParagraph) -> list[list[VerseLine]]:
    # A body style's first-line indent is set for prose: it sets no verse line in.
    first_line = para.first_line if para.kind == "verse" else None
    return verse_stanzas(raw, para.left, first_line, strip_edges)


def _text_block(raw: tuple[Inline, ...], inlines: tuple[Inline, ...], para: WordParagraph
                ) -> Block:
    """A paragraph; one broken into lines is verse."""
    if any(isinstance(n, LineBreak) for n in inlines):
        return Verse(tuple(Stanza(tuple(s)) for s in _stanzas(raw, para)), para.span)
    return Paragraph(inlines, para.span)


LETTER_PARTS: frozenset[ParagraphKind] = frozenset(LETTER_ROLES)
PLAY_KINDS: frozenset[ParagraphKind] = frozenset(
    {"speaker", "dialogue", "direction", "parenthetical"})


@dataclass
class _Blocks:
    out: list[Block] = field(default_factory=list)
    empties: int = 0
    title: str | None = None
    subtitle: str | None = None
    # The last block is a poem whose last stanza is being written a line a paragraph.
    stanza_open: bool = False
    # The last block is a speech that Dialogue and Parenthetical paragraphs go on with.
    speech_open: bool = False
    # Paragraphs a letter's part style marks: their index in ``out`` -> the part.
    roles: dict[int, StyleRole] = field(default_factory=dict)
    # The poems being written, by their index in ``out``: their stanzas, a line at a time
    # (a poem of thousands of one-line paragraphs is not copied at each).
    poems: dict[int, list[list[VerseLine]]] = field(default_factory=dict)
    # The speeches being written, by their index in ``out``: what they say so far.
    speeches: dict[int, list[Inline]] = field(default_factory=dict)

    def text_follows(self, span: SourceSpan) -> None:
        """Two or more empty paragraphs between text are a scene break; one is spacing."""
        if self.empties >= 2 and self.out and not isinstance(self.out[-1], SceneBreak | Heading):
            self.out.append(SceneBreak(span))
        self.empties = 0

    def scene_break(self, span: SourceSpan) -> None:
        self.empties = 0
        if self.out and not isinstance(self.out[-1], SceneBreak):
            self.out.append(SceneBreak(span))

    def open_speech(self) -> list[Inline] | None:
        """What the speech that ends ``out`` says so far, while paragraphs may go on with it."""
        return self.speeches.get(len(self.out) - 1)

    def verse(self, raw: tuple[Inline, ...], para: WordParagraph, stanza_open: bool,
              gap: int) -> None:
        """Lines of verse: a poem's next stanza, or its stanza's next line, or a new poem."""
        stanzas = _stanzas(raw, para)
        single = para.kind == "verse" and len(stanzas) == 1 and len(stanzas[0]) == 1
        poem = self.poems.get(len(self.out) - 1)
        if poem is not None:
            if stanza_open and single and gap == 0:
                poem[-1].extend(stanzas.pop(0))
            poem.extend(stanzas)
        else:
            self.poems[len(self.out)] = stanzas
            self.out.append(Verse((), para.span))  # its stanzas are set by ``finish_poems``
        self.stanza_open = single

    def finish(self) -> None:
        """Every poem and speech set whole, once all its paragraphs are read."""
        for at, stanzas in self.poems.items():
            self.out[at] = Verse(tuple(Stanza(tuple(s)) for s in stanzas), self.out[at].span)
        for at, said in self.speeches.items():
            speech = self.out[at]
            if isinstance(speech, Speech):
                self.out[at] = replace(speech, inlines=merge_text(said))

    def play(self, para: WordParagraph, inlines: tuple[Inline, ...], said: list[Inline] | None
             ) -> bool:
        """A paragraph a play's style marks: a speaker opens a speech, Dialogue goes on with
        the open one (``said`` so far) or opens one when it starts with a name, a direction
        inside it is an inline direction. False for Dialogue that is none of these: it reads
        as body text."""
        if para.kind == "speaker":
            who, speech = speaker_and_speech(inlines)
            self.speeches[len(self.out)] = list(speech)
            self.out.append(Speech(who, (), para.span))  # its speech is set by ``finish``
            self.speech_open = True
            return True
        if said is not None and (para.kind != "direction" or not said):
            inline = para.kind in ("parenthetical", "direction")
            if said:
                # A direction runs in; more dialogue goes on on a line of its own.
                runs_on = inline or isinstance(said[-1], InlineDirection)
                said.append(Text(" ") if runs_on else LineBreak())
            said.extend((InlineDirection(inlines),) if inline else inline_directions(inlines))
            self.speech_open = True
            return True
        if para.kind in ("direction", "parenthetical"):
            self.out.append(StageDirection(inlines, para.span))
            return True
        found = leading_speaker(inlines)
        if found is None:
            return False
        self.speeches[len(self.out)] = list(inline_directions(found[1]))
        self.out.append(Speech((Text(found[0].name),), (), para.span))
        self.speech_open = True
        return True


def word_blocks(paragraphs: Iterable[WordParagraph], title_styles: bool = True) -> _Blocks:
    """The blocks of a run of paragraphs (a document's body or one note's)."""
    state = _Blocks()
    for para in paragraphs:
        raw = styled_inlines(para.pieces)
        inlines = strip_edges(raw)
        text = inline_text(inlines).strip()
        if not text and not para.images and not _has_notes(inlines):
            if para.kind != "heading":
                state.empties += 1
            continue
        stanza_open, speech_open = state.stanza_open, state.speech_open
        state.stanza_open = state.speech_open = False
        if title_styles and para.kind in ("title", "subtitle") and text:
            if para.kind == "title" and state.title is None:
                state.title = text
                continue
            if para.kind == "subtitle" and state.subtitle is None:
                state.subtitle = text
                continue
        if para.kind == "heading":
            state.empties = 0
            if text:
                state.out.append(Heading(max(1, para.level), inlines, para.span))
            continue
        if text and SCENE_BREAK.match(text) and not _has_notes(inlines) and not para.images:
            state.scene_break(para.span)
            continue
        if (para.kind == "caption" and state.empties < 2 and state.out
                and isinstance(state.out[-1], Image) and not state.out[-1].caption):
            state.out[-1] = replace(state.out[-1], caption=inlines)
            state.empties = 0
            continue
        gap = state.empties
        state.text_follows(para.span)
        has_text = bool(text) or _has_notes(inlines)
        said = state.open_speech() if speech_open else None
        if not (has_text and _shaped(state, para, raw, inlines, said, stanza_open, gap)):
            _other(state, para, raw, inlines, has_text)
            continue
        state.out.extend(para.images)
    state.finish()
    state.out = rank_indents(state.out)
    return state


def _shaped(state: _Blocks, para: WordParagraph, raw: tuple[Inline, ...],
            inlines: tuple[Inline, ...], said: list[Inline] | None, stanza_open: bool, gap: int
            ) -> bool:
    """A paragraph set as a letter's part, a play's or verse, when its style or its line
    breaks make it one; False leaves it to ``_other``."""
    if para.kind in LETTER_PARTS:
        state.roles[len(state.out)] = cast(StyleRole, para.kind)
        state.out.append(Paragraph(inlines, para.span))
        return True
    if (para.kind in PLAY_KINDS or (para.kind == "body" and said == [])
            ) and state.play(para, inlines, said):
        return True
    if para.kind == "verse" or (para.kind in ("body", "dialogue")
                                and any(isinstance(n, LineBreak) for n in inlines)):
        state.verse(raw, para, stanza_open, gap)
        return True
    return False


def _other(state: _Blocks, para: WordParagraph, raw: tuple[Inline, ...],
           inlines: tuple[Inline, ...], has_text: bool) -> None:
    """A body, quote or list paragraph (or a styled one holding only pictures)."""
    blocks: list[Block] = [_text_block(raw, inlines, para)] if has_text else []
    blocks.extend(para.images)
    last = state.out[-1] if state.out else None
    if para.kind == "quote" and isinstance(last, BlockQuote):
        state.out[-1] = replace(last, blocks=last.blocks + tuple(blocks))
    elif para.kind == "quote":
        state.out.append(BlockQuote(tuple(blocks), para.span))
    elif para.kind == "list-item" and isinstance(last, ListBlock) and (
        last.ordered == para.ordered
    ):
        state.out[-1] = replace(last, items=(*last.items, tuple(blocks)))
    elif para.kind == "list-item":
        state.out.append(ListBlock((tuple(blocks),), para.ordered, para.span))
    else:
        state.out.extend(blocks)


def word_document(reading: WordReading, levels: HeadingLevels) -> Document:
    """A word-processor file's Document: a Title-style paragraph names the book (else, as in
    Markdown, a lone top heading opening the file does), headings make chapters."""
    body = word_blocks(reading.paragraphs)
    blocks, letter_notes = gather_styled_letters(body.out, body.roles, reading.path)
    notes: Mapping[str, Note] = {
        note_id: Note(note_id, tuple(word_blocks(paragraphs, title_styles=False).out),
                      paragraphs[0].span if paragraphs else SourceSpan(reading.path, 1))
        for note_id, paragraphs in reading.notes.items()
    }
    book = outline(blocks, notes, levels, reading.path,
                   title_from_heading=body.title is None)
    return apply_manuscript_hints(Document(
        body=book.body, front_matter=book.front_matter, back_matter=book.back_matter,
        title=body.title or book.title, subtitle=body.subtitle,
        diagnostics=(*reading.diagnostics, *letter_notes)))
