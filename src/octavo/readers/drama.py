"""Plays: speeches, stage directions and the cast list, found by the book's own pattern.

A book is read as a play only when its paragraphs say so: the same speaker names open many
paragraphs (``NAME.``, ``NAME:``, ``Name.``, ``NAME (aside).`` or a bold ``**NAME.**``), each name
at least ``MIN_REPEATS`` times (or once, when the dramatis personae lists it) and speeches making
up at least ``MIN_SPEECH_SHARE`` of a chapter's paragraphs. A novel's "Yes." or "No." opening a
few paragraphs never reaches that share, so prose is left as it is.

In a chapter read as a play, a paragraph in brackets or parentheses (or set wholly in italic) is a
stage direction; so is an indented block (a scene description); bracketed or parenthesised runs
inside a speech are inline directions. Every word stays, in order: the speaker's stop is the
only character the model leaves to the renderer.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

from ..model import (
    NO_SPAN,
    Block,
    BlockQuote,
    CastList,
    CastMember,
    Chapter,
    Diagnostic,
    Emphasis,
    Heading,
    Inline,
    InlineDirection,
    LineBreak,
    ListBlock,
    Paragraph,
    Part,
    SmallCaps,
    SourceSpan,
    Speech,
    StageDirection,
    Strong,
    Text,
    Verse,
    inline_text,
    map_body_chapters,
    split_at_line_breaks,
)
from .document import Document
from .guesses import guess_warning
from .structure import numeral_value

MIN_REPEATS = 3
MIN_SPEECH_SHARE = 0.25

# A speaker in capitals: "CATHERINE", "MAJOR PETKOFF", "MRS. HIGGINS", "LADY BRACKNELL".
_CAPS_NAME = r"(?:[A-Z][A-Z'’-]*\.?\s)*?[A-Z][A-Z'’-]+"
# A speaker in title case: "Algernon", "Lady Bracknell" (three words at most).
_TITLE_NAME = r"[A-Z][a-z'’-]+(?:\s[A-Z][a-z'’-]+){0,2}"
# After the name: a direction and an optional stop ("RAINA (aside).", "RAINA (aside.)"), or a
# stop alone; then the speech, after a space or a dash ("PETKOFF (calmly).--but").
_AFTER_NAME = (r"(?:\s*(?P<dir>\([^()]*\)|\[[^\[\]]*\])\s*[.:]?|\s*[.:])"
               r"(?:\s+|(?=--|\u2014))(?=\S)")
SPEAKER_START = re.compile(rf"^(?P<name>{_CAPS_NAME}|{_TITLE_NAME}){_AFTER_NAME}")
# Titles that head a cast list.
CAST_HEADING = re.compile(
    r"^\s*(?:dramatis\s+person(?:ae|æ)|(?:the\s+)?persons\s+(?:of|in)\s+the\s+(?:play|drama|comedy)"
    r"|(?:the\s+)?characters(?:\s+in\s+the\s+play)?|the\s+persons|cast(?:\s+of\s+characters)?)"
    r"\s*[.:]?\s*$", re.IGNORECASE)
# Where a cast line's name ends and the person's description begins.
CAST_SPLIT = re.compile(r"\s*(?:,|\s[-–—]{1,2}\s|\.{2,}|\s{2,})\s*")
_OPENERS = {"(": ")", "[": "]"}
# A chapter title that numbers an act or scene ("ACT I", "Act the Second", "FIRST ACT").
ACT_TITLE = re.compile(r"^(?:(?:act|scene)\b.*|\w+(?:[\s-]\w+)?\s+(?:act|scene))\.?$",
                       re.IGNORECASE)
_ACT_LINE = re.compile(r"^(?:ACT|Act)\s+(?:the\s+)?(?P<num>[\w-]+?)\.?(?:\s*[:.\u2014-]\s*\S.*)?$")
_ORDINAL_ACT = re.compile(r"^(?P<num>[A-Z][a-zA-Z-]*)\s+(?:ACT|Act)\.?$")


def is_act_line(text: str) -> bool:
    """A line that heads an act: "ACT I", "Act 2: The Storm", "Act the Second", "FIRST ACT"."""
    text = text.strip()
    match = _ACT_LINE.match(text) or _ORDINAL_ACT.match(text)
    return bool(match and len(text) <= 60 and numeral_value(match.group("num")) is not None)


# A scene's own heading line: "SCENE", "Scene II", "SCENE THE SECOND".
SCENE_HEADING = re.compile(
    r"^SCENE(?:\s+(?:THE\s+)?[A-Z0-9]+)?\.?$|^Scene(?:\s+(?:the\s+)?[A-Z0-9][a-z0-9]*)?\.?$")
# A scene set in one line after its word: "SCENE: A lighthouse kitchen."
SCENE_SETTING = re.compile(r"^(?:SCENE|Scene)\s*[.:\u2014-]+\s*\S")
# The line that closes an act: a direction, never a heading.
CLOSING_DIRECTION = re.compile(
    r"^(?:(?:quick\s+|slow\s+)?curtain(?:\s+falls)?|act[\s-]+drop|exeunt(?:\s+omnes)?"
    r"|end\s+of\s+(?:the\s+)?(?:act|scene|play)(?:\s+\w+)?)\s*[.!]?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class SpeakerStart:
    """A paragraph's opening speaker: the name, a direction right after it, and where the
    speech itself begins in the paragraph's leading text."""

    name: str
    direction: str | None
    rest: str


def speaker_start(text: str) -> SpeakerStart | None:
    """The speaker a paragraph's text opens with, by shape alone."""
    match = SPEAKER_START.match(text)
    if match is None:
        return None
    name = match.group("name")
    if len(re.sub(r"[^A-Za-z]", "", name)) < 2:
        return None
    return SpeakerStart(name, match.group("dir"), text[match.end():])


def name_key(name: str) -> str:
    """A speaker's name folded for comparison: "LADY BRACKNELL" = "Lady Bracknell"."""
    return " ".join(re.findall(r"[a-z'’]+", name.lower()))


# --------------------------------------------------------------------------- cast list


def cast_member(line: tuple[Inline, ...]) -> CastMember:
    """One cast line: its name up to a comma or dash, then what the person is."""
    text = inline_text(line).strip()
    parts = CAST_SPLIT.split(text, maxsplit=1)
    if len(parts) == 2 and parts[0] and parts[1]:
        return CastMember((Text(parts[0]),), (Text(parts[1]),))
    return CastMember(_strip(line))


def cast_lines(block: Block) -> list[tuple[Inline, ...]]:
    """The lines of a block under a cast heading: verse lines, lines split at line breaks,
    or the paragraph itself."""
    match block:
        case Verse(lines=lines):
            return [ln.inlines for ln in lines if inline_text(ln.inlines).strip()]
        case ListBlock(items=items):
            return [b.inlines for item in items for b in item if isinstance(b, Paragraph)]
        case Paragraph(inlines=inl):
            return [ln for line in split_at_line_breaks(inl) for ln in _split_run_together(line)
                    if inline_text(ln).strip()]
        case _:
            return []


# A person's name in a cast list: up to four capitalised words ("LADY BRACKNELL", "Mrs.
# Higgins", "Peter").
_CAST_NAME = r"(?:[A-Z][\w'’-]*\.?\s){0,3}[A-Z][\w'’-]*"
# Where a cast list unwrapped into one paragraph may start its next person: a name and its
# comma ("... his wife PETER, a boy", "... his wife Peter Quill, a boy").
_NEXT_PERSON = re.compile(rf"\s+(?={_CAST_NAME},)")
_CAPS_PERSON = re.compile(r"(?:[A-Z][A-Z'’.-]*\s)*[A-Z][A-Z'’-]+,")
# Words a description does not end on: a name after one belongs to the description ("servant
# to Lady Bracknell, ...").
_LINKING = frozenset({"a", "an", "and", "the", "of", "to", "in", "for", "with", "at", "by",
                      "from", "on", "his", "her", "their", "its", "our", "my", "your"})
# A person's whole line when a cast list only names them: "John Marlow, Anne Marlow, Peter".
_NAME_ONLY = re.compile(rf"^(?:and\s+)?{_CAST_NAME}\.?$")


def _person_starts(text: str) -> list[int]:
    """Where, in one line of a cast list, each person after the first begins: before a name
    in capitals and its comma, or a capitalised name and its comma after a description's last
    word (in lower case, or ending a sentence)."""
    starts: list[int] = []
    for m in _NEXT_PERSON.finditer(text):
        before = text[:m.start()]
        word = before.split()[-1] if before.split() else ""
        if not word or word.lower().strip(".;") in _LINKING:
            continue
        caps = _CAPS_PERSON.match(text, m.end()) is not None
        # A description ends on a word in lower case ("wife", "light.") or a bracket; before
        # a name in capitals, on a word ending in lower case ("Light", not "Mr." or "JOHN").
        ends_description = word[0].islower() or word[0].isdigit() or word[-1] in ");"
        if ends_description or (caps and (word[-1].islower() or word[-1].isdigit())):
            starts.append(m.end())
    return starts


def _split_run_together(line: tuple[Inline, ...]) -> list[tuple[Inline, ...]]:
    """One line of a cast list as a line per person: a list unwrapped into one paragraph
    (each person after a description), joined by semicolons, or a list of names only."""
    if not all(isinstance(n, Text) for n in line):
        return [line]
    text = inline_text(line).strip()
    if ";" in text:
        pieces = [p.strip() for p in text.split(";")]
        pieces = [re.sub(r"^and\s+", "", p) for p in pieces if p]
        if len(pieces) > 1 and all(p[:1].isupper() for p in pieces):
            return [q for p in pieces for q in _split_run_together((Text(p),))]
    starts = _person_starts(text)
    if starts:
        bounds = [0, *starts, len(text)]
        return [(Text(text[a:b].strip()),) for a, b in pairwise(bounds) if text[a:b].strip()]
    names = [p.strip() for p in re.split(r",\s*|\s+and\s+", text) if p.strip()]
    if len(names) >= 3 and all(_NAME_ONLY.match(n) for n in names):
        return [(Text(n),) for n in names]
    return [line]


def persons_in_one_line(block: Block) -> int:
    """How many persons a cast list's paragraph was split into where it wrote them on one
    line (unwrapped, or run together with semicolons); 0 when each had a line of its own."""
    if not isinstance(block, Paragraph):
        return 0
    written = [ln for ln in split_at_line_breaks(block.inlines) if inline_text(ln).strip()]
    persons = len(cast_lines(block))
    return persons if persons > len(written) else 0


@dataclass(frozen=True, slots=True)
class Gathered:
    """A chapter's blocks with its cast list gathered, and the lines of the paragraphs that
    list was split out of by guessing where each person begins (where, persons)."""

    blocks: tuple[Block, ...]
    split: tuple[tuple[SourceSpan, int], ...] = ()


def gather_cast(blocks: Sequence[Block], title_is_cast: bool) -> Gathered:
    """Blocks with the lines that follow a cast heading (or fill a chapter titled as one)
    gathered into one ``CastList``; it ends at the next heading or at a block of prose."""
    out: list[Block] = []
    split: list[tuple[SourceSpan, int]] = []
    members: list[CastMember] = []
    collecting = title_is_cast
    span = NO_SPAN

    def flush() -> None:
        if members:
            out.append(CastList(tuple(members), span))
            members.clear()

    for block in blocks:
        if isinstance(block, Heading | Paragraph) and CAST_HEADING.match(
                inline_text(block.inlines)):
            flush()
            collecting = True
            out.append(Heading(1, block.inlines, block.span))
            continue
        if isinstance(block, Heading):
            flush()
            collecting = False
            out.append(block)
            continue
        lines = cast_lines(block) if collecting else []
        if lines and all(len(inline_text(ln)) <= 90 for ln in lines):
            span = span if members else block.span
            members.extend(cast_member(ln) for ln in lines)
            if persons := persons_in_one_line(block):
                split.append((block.span, persons))
            continue
        flush()
        collecting = False
        out.append(block)
    flush()
    return Gathered(tuple(out), tuple(split))


def cast_names(blocks: Iterable[Block]) -> set[str]:
    return {name_key(inline_text(m.name)) for b in blocks if isinstance(b, CastList)
            for m in b.members}


# --------------------------------------------------------------------------- speakers


def leading_speaker(inlines: tuple[Inline, ...]) -> tuple[SpeakerStart, tuple[Inline, ...]] | None:
    """A paragraph's speaker and the inlines of its speech. The name is either bold or in
    small capitals at the start (``**NAME.** text``) or the start of its plain text."""
    if not inlines:
        return None
    first, rest = inlines[0], inlines[1:]
    if isinstance(first, Strong | SmallCaps):
        name = inline_text(first.children).strip()
        bare = re.sub(r"\s*[.:]$", "", name)
        tail = inline_text(rest)
        # A bold name in capitals needs no stop: "**JOHN** The lamp", or the speech on the
        # next line.
        shouted = bare == name and bare.isupper() and re.match(r"\s", tail) is not None
        if (bare and bare != name) or re.match(r"\s*[.:]\s", tail) or shouted:
            found = speaker_start(f"{bare}. {_lstrip_stop(tail)}")
            if found is not None and found.name == bare:
                return found, _drop_stop(_drop_leading_break(rest))
        return None
    if not isinstance(first, Text):
        return None
    # When italic or other inlines follow the name ("ANNE. _Quietly._"), a stand-in letter
    # lets the name's pattern see that a speech goes on.
    found = speaker_start(first.text + ("x" if rest else ""))
    if found is None:
        return None
    text = found.rest[:-1] if rest else found.rest
    speech: tuple[Inline, ...] = ((Text(text),) if text else ()) + rest
    if found.direction:
        speech = (InlineDirection((Text(found.direction),)), Text(" "), *speech)
    return found, speech


def _drop_leading_break(rest: tuple[Inline, ...]) -> tuple[Inline, ...]:
    while rest and (isinstance(rest[0], LineBreak)
                    or (isinstance(rest[0], Text) and not rest[0].text.strip())):
        rest = rest[1:]
    return rest


def _lstrip_stop(text: str) -> str:
    return re.sub(r"^\s*[.:]?\s*", "", text)


def _drop_stop(rest: tuple[Inline, ...]) -> tuple[Inline, ...]:
    if rest and isinstance(rest[0], Text):
        head = _lstrip_stop(rest[0].text)
        return ((Text(head),) if head else ()) + rest[1:]
    return rest


def is_speaker(name: str, speakers: set[str]) -> bool:
    """A name that opens a speech in a play: one of the book's speakers, or any name in
    capitals (a voice that speaks once, "A MAN'S VOICE")."""
    return name_key(name) in speakers or (name.upper() == name and len(name) >= 3)


def play_speakers(chapters: Sequence[Chapter]) -> set[str]:
    """The names that make a book a play: each opens at least ``MIN_REPEATS`` paragraphs (or
    one, when the cast list names it), and together they open at least
    ``MIN_SPEECH_SHARE`` of the book's paragraphs. Empty for prose."""
    counts: Counter[str] = Counter()
    paragraphs = 0
    cast: set[str] = set()
    for chapter in chapters:
        cast |= cast_names(chapter.blocks)
        for block in chapter.blocks:
            if isinstance(block, Paragraph):
                paragraphs += 1
                found = leading_speaker(block.inlines)
                if found is not None:
                    counts[name_key(found[0].name)] += 1
    names = {n for n, k in counts.items() if k >= MIN_REPEATS or (n in cast and k >= 1)}
    if cast and any(n in cast for n in names):
        # A cast list confirms title-case names; a name it does not list must be in capitals
        # and repeated to count.
        names = {n for n in names if n in cast or counts[n] >= MIN_REPEATS}
    spoken = sum(counts[n] for n in names)
    if len(names) < 2 or not paragraphs or spoken < MIN_SPEECH_SHARE * paragraphs:
        return set()
    return names


# --------------------------------------------------------------------------- directions


def is_bracketed(text: str) -> bool:
    """Text wholly inside one pair of brackets or parentheses (a trailing stop allowed)."""
    text = text.strip()
    if len(text) < 2 or text[0] not in _OPENERS:
        return False
    body = text.rstrip(".")
    return body.endswith(_OPENERS[text[0]])


def is_direction_paragraph(inlines: tuple[Inline, ...]) -> bool:
    """A paragraph that is a stage direction: bracketed, or wholly in italic."""
    text = inline_text(inlines)
    if is_bracketed(text):
        return True
    content = [n for n in inlines if not (isinstance(n, Text) and not n.text.strip())]
    return len(content) == 1 and isinstance(content[0], Emphasis) and bool(text.strip())


def inline_directions(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """A speech's inlines with each bracketed or parenthesised run (it may hold italic or other
    inlines) set as an ``InlineDirection``; an unclosed bracket leaves the text as it was."""
    out: list[Inline] = []
    held: list[Inline] = []
    closer: str | None = None
    for k, node in enumerate(inlines):
        if closer is None and isinstance(node, Emphasis) and is_italic_direction(node, k == 0):
            out.append(InlineDirection(node.children))
            continue
        if not isinstance(node, Text):
            (held if closer else out).append(node)
            continue
        text = node.text
        while text:
            if closer is None:
                at = min((i for i in (text.find("("), text.find("[")) if i >= 0), default=-1)
                if at < 0:
                    out.append(Text(text))
                    break
                if at:
                    out.append(Text(text[:at]))
                closer = _OPENERS[text[at]]
                text = text[at:]
                end = text.find(closer, 1)
            else:
                end = text.find(closer)
            if end < 0:
                held.append(Text(text))
                break
            held.append(Text(text[:end + 1]))
            out.append(InlineDirection(_merged(held)))
            held, closer, text = [], None, text[end + 1:]
    out.extend(held)
    return _merged(out)


def is_italic_direction(node: Emphasis, opens_speech: bool) -> bool:
    """Italic that is a direction: bracketed ("_(aside)_"), or opening a speech as a
    sentence of its own ("_Quietly._ Then ..."); italic for stress is left alone."""
    text = inline_text(node.children).strip()
    return is_bracketed(text) or (opens_speech and text.endswith(".") and len(text) > 2)


def _merged(nodes: Sequence[Inline]) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + node.text)
        elif not (isinstance(node, Text) and not node.text):
            out.append(node)
    return tuple(out)


def _strip(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    text = inline_text(inlines).strip()
    return (Text(text),) if all(isinstance(n, Text) for n in inlines) else inlines


def direction_of(block: Block) -> StageDirection | None:
    """An indented block (verse-like lines or a quotation) as one stage direction."""
    match block:
        case Verse(lines=lines):
            joined: list[Inline] = []
            for k, line in enumerate(lines):
                if k:
                    joined.append(Text(" "))
                joined.extend(line.inlines)
            return StageDirection(_merged(joined), block.span)
        case BlockQuote(blocks=inner) if all(isinstance(b, Paragraph) for b in inner):
            parts: list[Inline] = []
            for k, b in enumerate(inner):
                assert isinstance(b, Paragraph)
                if k:
                    parts.append(Text(" "))
                parts.extend(b.inlines)
            return StageDirection(_merged(parts), block.span)
        case _:
            return None


# --------------------------------------------------------------------------- chapters


def dramatize_blocks(blocks: Sequence[Block], speakers: set[str]) -> tuple[Block, ...] | None:
    """A chapter's blocks as a play's, or None when too few of its paragraphs are speeches
    (an introduction or a preface to the play stays prose)."""
    out: list[Block] = []
    speeches = paragraphs = 0
    # Before a scene's first speech, what is not a heading describes the scene.
    setting = True
    for block in blocks:
        if isinstance(block, Speech):  # marked by the manuscript's own styles
            speeches += 1
            setting = False
        if isinstance(block, Paragraph):
            paragraphs += 1
            text = inline_text(block.inlines).strip()
            found = leading_speaker(block.inlines)
            if found is not None and is_speaker(found[0].name, speakers):
                speeches += 1
                setting = False
                out.append(Speech((Text(found[0].name),), inline_directions(found[1]),
                                  block.span))
            elif SCENE_HEADING.match(text) or is_act_line(text):
                setting = True
                out.append(Heading(1, block.inlines, block.span))
            elif (setting or is_direction_paragraph(block.inlines)
                  or SCENE_SETTING.match(text) or CLOSING_DIRECTION.match(text)):
                out.append(StageDirection(block.inlines, block.span))
            else:
                out.append(block)
            continue
        if isinstance(block, Heading):
            setting = True
            out.append(block)
            continue
        direction = direction_of(block)
        out.append(direction or block)
    if not speeches or speeches < MIN_SPEECH_SHARE * paragraphs:
        return None
    return tuple(out)


def act_of(chapter: Chapter) -> Chapter:
    """A play's chapter is an act, a scene or its cast list: a title that numbers itself ("Act
    I", "Second Act") or names the cast is its own label, so no "Chapter 2" is set above it."""
    title = inline_text(chapter.title).strip()
    if chapter.label is None and (ACT_TITLE.match(title) or CAST_HEADING.match(title)):
        return replace(chapter, label=title)
    return chapter


@dataclass(frozen=True, slots=True)
class Play:
    """Chapters read as a play's (or left as they were), with a warning for each thing
    guessed by its shape: speeches found by their speakers' names, a cast list split."""

    chapters: list[Chapter]
    diagnostics: tuple[Diagnostic, ...] = ()


def dramatize_chapters(chapters: Sequence[Chapter]) -> list[Chapter]:
    """Chapters with their cast list gathered and, when the book is a play, its speeches and
    stage directions marked."""
    return read_play(chapters).chapters


def read_play(chapters: Sequence[Chapter]) -> Play:
    """``dramatize_chapters`` with its guesses named."""
    gathered_cast = [gather_cast(c.blocks, bool(CAST_HEADING.match(inline_text(c.title))))
                     for c in chapters]
    gathered = [replace(c, blocks=g.blocks) for c, g in zip(chapters, gathered_cast, strict=True)]
    speakers = play_speakers(gathered)
    # A manuscript whose styles marked its speeches (a word processor's Speaker style) is a
    # play already: its acts and cast list are read as any play's.
    styled = any(isinstance(b, Speech) for c in chapters for b in c.blocks)
    if not speakers and not styled:
        return Play(list(chapters))
    out: list[Chapter] = []
    for chapter in gathered:
        blocks = dramatize_blocks(chapter.blocks, speakers) if speakers else None
        if blocks is not None:
            out.append(act_of(replace(chapter, blocks=blocks)))
        elif any(isinstance(b, CastList | Speech) for b in chapter.blocks):
            out.append(act_of(chapter))
        else:
            out.append(chapter)
    split = [s for g in gathered_cast for s in g.split]
    warnings = [] if styled or declares_a_play(gathered) else guessed_speeches(out, speakers)
    return Play(out, (*warnings, *guessed_cast(split)))


def declares_a_play(chapters: Sequence[Chapter]) -> bool:
    """A text that says it is a play: a cast list under its heading, or an act or scene
    heading ("ACT I", "Second Act") as a chapter's title or inside a chapter."""
    return any(
        ACT_TITLE.match(inline_text(c.title).strip()) or CAST_HEADING.match(inline_text(c.title))
        or any(isinstance(b, CastList) or (isinstance(b, Heading) and (
            ACT_TITLE.match(inline_text(b.inlines).strip())
            or CAST_HEADING.match(inline_text(b.inlines)))) for b in c.blocks)
        for c in chapters)


def _by_file(lines: Iterable[tuple[SourceSpan, int]]) -> dict[str, list[tuple[int, int]]]:
    """(span, n) pairs grouped by the file the span is in, in reading order."""
    files: dict[str, list[tuple[int, int]]] = {}
    for span, n in lines:
        files.setdefault(span.path, []).append((span.line, n))
    return files


def guessed_speeches(chapters: Sequence[Chapter], speakers: set[str]) -> list[Diagnostic]:
    """A warning a file for the speeches read by their speakers' names alone, each run of
    them (a chapter's, between its headings) by its first and last speech's line."""
    runs: list[tuple[SourceSpan, int]] = []  # (first speech, last speech's line)
    for chapter in chapters:
        run: list[SourceSpan] = []
        for block in (*chapter.blocks, None):
            ends_run = block is None or isinstance(block, Heading) or (
                isinstance(block, Speech) and bool(run) and run[0].path != block.span.path)
            if ends_run and run:
                runs.append((run[0], run[-1].line))
                run = []
            if isinstance(block, Speech):
                run.append(block.span)
    speech_count = Counter(s.path for c in chapters for b in c.blocks if isinstance(b, Speech)
                           for s in (b.span,))
    names = ", ".join(name.title() for name in sorted(speakers)[:6]) + (
        ", ..." if len(speakers) > 6 else "")
    return [w for path, file_runs in _by_file(runs).items() if (w := guess_warning(
        "G021", "speeches", path, file_runs,
        f"{speech_count[path]} speeches, {len(speakers)} speakers by name: {names}",
        "check the text is a play (a cast list or act headings say so); if it is prose, "
        "its paragraphs open with names followed by a stop")) is not None]


def guessed_cast(split: Sequence[tuple[SourceSpan, int]]) -> list[Diagnostic]:
    """A warning a file for the cast list paragraphs split into persons where the
    manuscript ran them together."""
    return [w for path, found in _by_file(split).items() if (w := guess_warning(
        "G022", "cast list split into persons", path, [(line, line) for line, _ in found],
        f"{len(found)} paragraph(s), {sum(n for _, n in found)} persons",
        "check where each person begins; give each person a line of their own"))
        is not None]


def dramatize_document(document: Document) -> Document:
    """A manuscript's document read as a play when it is one (see ``dramatize_chapters``)."""
    front, back = len(document.front_matter), len(document.back_matter)
    body = [c for item in document.body for c in (
        item.chapters if isinstance(item, Part) else (item,))]
    play = read_play([*document.front_matter, *body, *document.back_matter])
    chapters = play.chapters
    if chapters == [*document.front_matter, *body, *document.back_matter]:
        return document
    done = iter(chapters[front:len(chapters) - back])
    new_body = map_body_chapters(document.body, lambda _c: next(done))
    return replace(document, front_matter=tuple(chapters[:front]), body=new_body,
                   back_matter=tuple(chapters[len(chapters) - back:]),
                   diagnostics=document.diagnostics + play.diagnostics)
