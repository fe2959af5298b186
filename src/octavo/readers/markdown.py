"""Markdown manuscripts (CommonMark via markdown-it-py, with footnotes) -> Document.

Headings start chapters: by default the shallowest heading level is the chapter level (a
single heading above them is the book's title) and deeper headings are sections. In book.toml

    [markdown]
    part_level = 1      # headings of this level are parts holding the chapters after them
    chapter_level = 2   # headings of this level start chapters

``---`` / ``***`` / ``* * *`` are scene breaks, never a heading underline (a ``===``
underline still makes a heading). A paragraph whose lines all end in hard breaks (two spaces or ``\\``), or a fenced block
marked ``verse``/``poem``, keeps its line breaks as verse; a ``::: letter`` block is a letter,
its parts found by position and form. Code and tables are kept as plain
text with a warning; raw HTML stays text (it is escaped when rendered), never markup.
Quotes and dashes are left straight: the normalizer curls them for every reader alike.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin

from ..errors import OctavoError
from ..linktargets import safe_link_target, unlinked_message
from ..model import (
    Block,
    BlockQuote,
    Diagnostic,
    Emphasis,
    Heading,
    Image,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    Note,
    NoteRef,
    Paragraph,
    SceneBreak,
    SourceSpan,
    Strong,
    Text,
    Verse,
    VerseLine,
    inline_text,
    split_at_line_breaks,
    verse_of,
)
from .document import Document
from .hints import apply_manuscript_hints
from .inline import MAX_NESTING
from .letters import (
    declared_letter,
    is_salutation,
    is_valediction,
    letter_in_quote,
    letter_warning,
)
from .limits import refuse_overlong_blocks
from .outline import HeadingLevels, heading_levels, outline
from .source import SourceText
from .verse import indent_levels, merge_stanzas

VERSE_FENCES = frozenset({"verse", "poem", "poetry", "song"})
# ``::: letter`` … ``:::`` holds one letter; words after the name are its heading.
LETTER_FENCE = "letter"


def markdown_parser() -> MarkdownIt:
    parser = (
        MarkdownIt("commonmark", {"typographer": False})
        .use(footnote_plugin)
        .use(container_plugin, LETTER_FENCE)
        .enable("table")
    )
    parser.core.ruler.before("footnote_tail", "octavo_note_definitions", note_definitions)
    return parser


@dataclass(frozen=True, slots=True)
class NoteDefinition:
    label: str
    line: int
    words: int


DEFINITIONS_KEY = "octavo_note_definitions"


def note_definitions(state: StateCore) -> None:
    """Each footnote definition with its line and words, into ``state.env``: the footnote
    plugin's next step drops, without a word, the definitions no text refers to."""
    found: list[NoteDefinition] = []
    open_token: Token | None = None
    words = 0
    for token in state.tokens:
        if token.type == "footnote_reference_open":
            open_token, words = token, 0
        elif token.type == "footnote_reference_close" and open_token is not None:
            line = open_token.map[0] + 1 if open_token.map else 1
            found.append(NoteDefinition(str(open_token.meta["label"]), line, words))
            open_token = None
        elif open_token is not None and token.type == "inline":
            words += len(token.content.split())
    state.env[DEFINITIONS_KEY] = found


def unreferenced_notes(env: Mapping[str, Any], path: str) -> list[Diagnostic]:
    """A warning for each footnote no text refers to: it has no place in the book."""
    refs = env.get("footnotes", {}).get("refs", {})
    return [Diagnostic("M004", "warning",
                       f"footnote [^{d.label}] is referred to nowhere: left out ({d.words} "
                       "word(s))", SourceSpan(path, d.line),
                       f"put [^{d.label}] where the note belongs, or delete the note")
            for d in env.get(DEFINITIONS_KEY, ()) if refs.get(f":{d.label}", -1) < 0]


# --------------------------------------------------------------------------- options

MarkdownOptions = HeadingLevels


def markdown_options(options: Mapping[str, Any], source: SourceText) -> MarkdownOptions:
    return heading_levels(options, "markdown", source.path)


# --------------------------------------------------------------------------- inlines


@dataclass
class _Context:
    path: str
    note_prefix: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    notes: dict[str, Note] = field(default_factory=dict)
    warned: set[str] = field(default_factory=set)

    def span(self, node: SyntaxTreeNode) -> SourceSpan:
        located: SyntaxTreeNode | None = node
        while located is not None and not located.is_root and not located.map:
            located = located.parent  # an inline: its block's line
        line = (located.map[0] + 1 if located is not None and not located.is_root
                and located.map else 0)
        return SourceSpan(self.path, line) if line else SourceSpan(self.path, 1)

    def warn(self, code: str, message: str, node: SyntaxTreeNode) -> None:
        self.diagnostics.append(Diagnostic(code, "warning", message, self.span(node)))

    def note_id(self, label: str) -> str:
        return f"{self.note_prefix}-{re.sub(r'[^A-Za-z0-9_-]+', '-', label).strip('-') or 'n'}"


def _merge_text(inlines: list[Inline]) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for node in inlines:
        if isinstance(node, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + node.text)
        elif not (isinstance(node, Text) and not node.text):
            out.append(node)
    return tuple(out)


def convert_inlines(nodes: list[SyntaxTreeNode], ctx: _Context) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for node in nodes:
        kind = node.type
        if kind == "text":
            out.append(Text(node.content))
        elif kind == "softbreak":
            out.append(Text(" "))
        elif kind == "hardbreak":
            out.append(LineBreak())
        elif kind == "em":
            out.append(Emphasis(convert_inlines(node.children, ctx)))
        elif kind == "strong":
            out.append(Strong(convert_inlines(node.children, ctx)))
        elif kind == "link":
            href = str(node.attrs.get("href", ""))
            children = convert_inlines(node.children, ctx)
            if safe_link_target(href) is None:
                ctx.warn("L002", unlinked_message(href), node)
                out.extend(children)
            else:
                out.append(Link(href, children))
        elif kind == "image":
            # An image inside running text: its alt text stands in for it.
            out.append(Text(_alt_text(node)))
        elif kind == "code_inline" or kind in ("html_inline", "html_block"):
            out.append(Text(node.content))
        elif kind == "footnote_ref":
            out.append(NoteRef(ctx.note_id(str(node.meta.get("label", node.meta.get("id", 0))))))
        else:
            out.append(Text(node.content))
    return _merge_text(out)


def _alt_text(node: SyntaxTreeNode) -> str:
    return "".join(child.content for child in node.children) or str(node.attrs.get("alt", ""))


# --------------------------------------------------------------------------- blocks


def paragraph_blocks(node: SyntaxTreeNode, ctx: _Context) -> list[Block]:
    inline = node.children[0] if node.children else None
    children = inline.children if inline is not None else []
    span = ctx.span(node)
    if len(children) == 1 and children[0].type == "image":
        image = children[0]
        title = str(image.attrs.get("title") or "")
        return [Image(str(image.attrs.get("src", "")), _alt_text(image),
                      (Text(title),) if title else (), span)]
    line_block = _line_block(children, ctx, span)
    if line_block is not None:
        return [line_block]
    inlines = convert_inlines(children, ctx)
    lines = split_at_line_breaks(inlines)
    if len(lines) >= 2 and _all_hard_breaks(children):
        return [verse_of([[_strip_line(line) for line in lines]], span)]
    return [Paragraph(inlines, span)] if inlines else []


LINE_BLOCK = re.compile(r"^\|(?: |$)")


def _line_block(children: list[SyntaxTreeNode], ctx: _Context, span: SourceSpan) -> Verse | None:
    """A pandoc line block: every line starts ``| ``; the spaces after it indent the line,
    a line that is only ``|`` parts stanzas, and a line without the bar continues the one
    before."""
    lines: list[list[SyntaxTreeNode]] = [[]]
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            lines.append([])
        else:
            lines[-1].append(child)
    first = lines[0][0] if lines[0] else None
    if first is None or first.type != "text" or not LINE_BLOCK.match(first.content):
        return None
    stanzas: list[list[tuple[int, tuple[Inline, ...]]]] = [[]]
    for nodes in lines:
        head = nodes[0] if nodes else None
        if head is None or head.type != "text" or not LINE_BLOCK.match(head.content):
            if stanzas[-1]:  # a continuation of the line above
                indent, above = stanzas[-1][-1]
                stanzas[-1][-1] = (indent, _merge_text(
                    [*above, Text(" "), *convert_inlines(nodes, ctx)]))
            continue
        rest = head.content[2:]
        text = rest.lstrip(" ")
        inlines = _strip_line(convert_inlines(nodes, ctx))
        if inlines and isinstance(inlines[0], Text):
            inlines = (Text(inlines[0].text.lstrip("|").lstrip()), *inlines[1:])
            inlines = tuple(n for n in inlines if not (isinstance(n, Text) and not n.text))
        if not inlines:
            stanzas.append([])
            continue
        stanzas[-1].append((len(rest) - len(text), inlines))
    levels = iter(indent_levels([i for st in stanzas for i, _ in st]))
    return verse_of([[VerseLine(inl, next(levels)) for _, inl in st] for st in stanzas], span)


def fence_verse(content: str, span: SourceSpan) -> Verse:
    """A verse fence: blank lines part stanzas, leading spaces indent lines (as levels over
    the whole poem)."""
    stanzas: list[list[tuple[int, str]]] = [[]]
    for line in content.rstrip("\n").expandtabs(4).split("\n"):
        if not line.strip():
            stanzas.append([])
        else:
            stanzas[-1].append((len(line) - len(line.lstrip()), line.strip()))
    levels = iter(indent_levels([i for st in stanzas for i, _ in st]))
    return verse_of([[VerseLine((Text(t),), next(levels)) for _, t in st] for st in stanzas],
                    span)


def _all_hard_breaks(children: list[SyntaxTreeNode]) -> bool:
    """Verse: every line of the paragraph ends in a hard break (none merely wraps)."""
    return not any(c.type == "softbreak" for c in children)


def _strip_line(line: tuple[Inline, ...]) -> tuple[Inline, ...]:
    if line and isinstance(line[0], Text):
        line = (Text(line[0].text.lstrip()), *line[1:])
    if line and isinstance(line[-1], Text):
        line = (*line[:-1], Text(line[-1].text.rstrip()))
    return tuple(n for n in line if not (isinstance(n, Text) and not n.text))


def text_lines_block(text: str, span: SourceSpan) -> Paragraph:
    lines = text.rstrip("\n").split("\n")
    inlines: list[Inline] = []
    for k, line in enumerate(lines):
        if k:
            inlines.append(LineBreak())
        inlines.append(Text(line))
    return Paragraph(_merge_text(inlines), span)


def convert_blocks(nodes: list[SyntaxTreeNode], ctx: _Context) -> list[Block]:
    out: list[Block] = []
    for node in nodes:
        kind = node.type
        span = ctx.span(node)
        if kind == "paragraph":
            out.extend(paragraph_blocks(node, ctx))
        elif kind == "hr":
            out.append(SceneBreak(span))
        elif kind == "blockquote":
            inner = convert_blocks(node.children, ctx)
            letter = letter_in_quote(inner)
            if letter is not None:
                ctx.diagnostics.append(letter_warning(letter))
            out.append(BlockQuote(tuple(inner), span) if letter is None else letter.letter)
        elif kind == f"container_{LETTER_FENCE}":
            out.extend(fenced_letter(node, ctx))
        elif kind in ("bullet_list", "ordered_list"):
            items = tuple(tuple(convert_blocks(item.children, ctx)) for item in node.children)
            out.append(ListBlock(items, kind == "ordered_list", span))
        elif kind in ("fence", "code_block"):
            info = (node.info or "").strip().split(" ")[0].lower() if kind == "fence" else ""
            if info in VERSE_FENCES:
                out.append(fence_verse(node.content, span))
                continue
            ctx.warn("M001", "code block kept as plain text (a book has no code styling)", node)
            out.append(text_lines_block(node.content, span))
        elif kind == "table":
            ctx.warn("M002", "table kept as plain text, one row per line", node)
            out.extend(table_rows(node, ctx))
        elif kind == "html_block":
            ctx.warn("M003", "raw HTML kept as text, not markup", node)
            out.append(text_lines_block(node.content, span))
        elif kind == "heading" and node.markup == "-":
            # ``---`` under a line of text is a scene break after it, not a heading underline.
            out.append(Paragraph(convert_inlines(node.children[0].children, ctx), span))
            out.append(SceneBreak(SourceSpan(ctx.path, span.line + 1)))
        elif kind == "heading":
            level = int(node.tag[1])
            out.append(Heading(level, convert_inlines(node.children[0].children, ctx), span))
        elif kind == "footnote_block":
            for note in node.children:
                label = str(note.meta.get("label", note.meta.get("id", 0)))
                blocks = [b for b in convert_blocks(
                    [c for c in note.children if c.type != "footnote_anchor"], ctx)]
                where = blocks[0].span if blocks and not isinstance(
                    blocks[0], SceneBreak) else span
                ctx.notes[ctx.note_id(label)] = Note(ctx.note_id(label), tuple(blocks), where)
        elif kind == "footnote_anchor":
            continue
        else:
            out.extend(convert_blocks(node.children, ctx))
    return merge_stanzas(out)


def fenced_letter(node: SyntaxTreeNode, ctx: _Context) -> list[Block]:
    """A ``::: letter`` block as one letter, its parts found as in any text (see
    ``declared_letter``); a paragraph holding a salutation or valediction on a line of its own
    (``Yours ever,`` then ``Lucy`` under it) is read a line at a time."""
    inner: list[Block] = []
    for child in node.children:
        lines = _paragraph_lines(child, ctx) if child.type == "paragraph" else None
        inner.extend(lines if lines is not None else convert_blocks([child], ctx))
    if not inner:
        ctx.warn("M005", "an empty ::: letter block: left out", node)
        return []
    # The author marked it a letter: no warning that one was guessed.
    found = declared_letter(inner)
    heading = node.info.strip()[len(LETTER_FENCE):].strip()
    letter = replace(found.letter, span=ctx.span(node))
    return [replace(letter, heading=(Text(heading),)) if heading else letter]


def _paragraph_lines(node: SyntaxTreeNode, ctx: _Context) -> list[Block] | None:
    """A paragraph of a letter as one paragraph per line when a line of it is a salutation
    or valediction; None when it is one paragraph."""
    inline = node.children[0] if node.children else None
    if inline is None:
        return None
    lines: list[list[SyntaxTreeNode]] = [[]]
    for child in inline.children:
        if child.type in ("softbreak", "hardbreak"):
            lines.append([])
        else:
            lines[-1].append(child)
    converted = [_strip_line(convert_inlines(line, ctx)) for line in lines]
    texts = [inline_text(line).strip() for line in converted]
    if len(lines) < 2 or not any(is_salutation(t) or is_valediction(t) for t in texts):
        return None
    span = ctx.span(node)
    return [Paragraph(line, SourceSpan(span.path, span.line + k))
            for k, line in enumerate(converted) if line]


def table_rows(node: SyntaxTreeNode, ctx: _Context) -> list[Block]:
    rows: list[Block] = []
    for section in node.children:
        for row in section.children:
            cells = [convert_inlines(cell.children[0].children if cell.children else [], ctx)
                     for cell in row.children]
            inlines: list[Inline] = []
            for k, cell in enumerate(cells):
                if k:
                    inlines.append(Text(" | "))
                inlines.extend(cell)
            rows.append(Paragraph(_merge_text(inlines), ctx.span(row)))
    return rows


# --------------------------------------------------------------------------- chapters


def refuse_lost_nesting(tokens: list[Token], max_nesting: int, source: SourceText) -> None:
    """markdown-it skips, without a word, whatever lies deeper than its nesting limit (block
    quotes in block quotes, lists in lists): refuse such a file rather than lose its text."""
    for token, following in pairwise(tokens):
        # At the limit a container opens and closes at once: its lines were skipped.
        if token.nesting == 1 and token.level >= max_nesting - 1 and following.nesting == -1:
            line = token.map[0] + 1 if token.map else None
            raise OctavoError(f"block quotes and lists nest more than {max_nesting - 1} levels "
                              "deep here (a list item counts two): octavo would lose the text "
                              "inside; nest them less",
                              source.path, line)


def bound_inline_nesting(tokens: list[Token]) -> None:
    """Emphasis nested deeper than ``MAX_NESTING`` (markdown-it pairs any number of ``*``) is
    flattened into the span around it: its words stay, the extra levels go, and no later walk
    of the tree recurses past Python's limit."""
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        kept: list[Token] = []
        opened: list[bool] = []  # for each open span: whether its tokens are kept
        depth = 0
        for child in token.children:
            if child.nesting == 1:
                keep = depth < MAX_NESTING
                opened.append(keep)
                depth += keep
            elif child.nesting == -1 and opened:
                keep = opened.pop()
                depth -= keep
            else:
                keep = True
            if keep:
                kept.append(child)
        token.children = kept


def read_markdown(source: SourceText, options: Mapping[str, Any] | None = None) -> Document:
    opts = markdown_options(options or {}, source)
    refuse_overlong_blocks(source.text, source.path)
    parser = markdown_parser()
    env: dict[str, Any] = {}
    tokens = parser.parse(source.text, env)
    refuse_lost_nesting(tokens, parser.options["maxNesting"], source)
    bound_inline_nesting(tokens)
    tree = SyntaxTreeNode(tokens)
    ctx = _Context(str(source.path), re.sub(r"[^A-Za-z0-9]+", "-", source.path.stem).strip("-")
                   or "note")
    blocks = convert_blocks(tree.children, ctx)
    book = outline(blocks, ctx.notes, opts, ctx.path)
    return apply_manuscript_hints(Document(
        body=book.body, front_matter=book.front_matter, back_matter=book.back_matter,
        title=book.title,
        diagnostics=(*ctx.diagnostics, *unreferenced_notes(env, ctx.path))))
