"""Footnotes that run on to the next page.

WeasyPrint (70) keeps a footnote whole: one taller than the room left under its call moves
whole to a later page (its call's line with it, leaving that page short) and, taller than a
page, is drawn over the running head. A book runs such a note on: it begins at the foot of
its call's page and goes on, without a number, at the foot of the next.

Here that is done from a piece's layout. A note that did not begin on its call's page, that
left the page before its call short (its call's line pushed on), or that overflows its page
is cut at line ends into a head and continuations, in the HTML: the head keeps the number
and the call, each continuation is a footnote of its own without call or marker, called
where the head is and set to go to the next page rather than take the call's line along
(``footnote-policy: auto``), so WeasyPrint reports it to the following page's note area.
The lines of a note are read from the first layout: WeasyPrint sets a note's lines one after
the other in the same measure on every page, so its head and continuations keep them.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

NOTE_MARK = '<span class="footnote"'
HEAD_CLASS = "octavo-note-head"
REST_CLASS = "octavo-note-rest"
REST_ATTR = "data-octavo-rest"  # on a continuation: the id of the note it continues
# The continuation adds no number: it takes back the footnote counter's step and shows no
# call or marker.
NOTES_CSS = f"""
span.footnote.{REST_CLASS} {{ footnote-policy: auto; counter-increment: footnote -1; }}
span.footnote.{REST_CLASS}::footnote-call {{ content: none; }}
span.footnote.{REST_CLASS}::footnote-marker {{ content: none; }}
"""

MIN_LINES = 2  # lines of a note at least on either side of a page turn
# Body lines a page may run short (its last lines pushed on with a note's call, as WeasyPrint
# does) before the note is run on instead: a line or two short is a compositor's usual
# remedy; more leaves a page visibly empty.
SHORT_LINES = 5
# Body lines kept on a page that carries a continued note, so a page never holds note alone.
KEPT_BODY_LINES = 4
PASSES = 5  # layouts tried at most after the first (each only when the last went wrong)
# Px kept free under a note's head: the call's line, laid out again, may not come out at
# exactly the depth measured.
SAFETY = 4.0

TOKEN = re.compile(r"<[^>]+>|[^<]+")
TAG = re.compile(r"<(/?)([A-Za-z][\w:-]*)[^>]*?(/?)>")
VOID = frozenset({"br", "img", "wbr"})
HYPHENS = "-\u2010\u00ad"


@dataclass(frozen=True, slots=True)
class NoteBox:
    page: int
    top: float
    bottoms: tuple[float, ...]  # each line's bottom
    texts: tuple[str, ...]  # each line's text, without the marker
    end: float  # the box's bottom (margin edge)
    justified: bool


@dataclass(slots=True)
class PageFacts:
    top: float  # content area
    bottom: float
    area_top: float | None  # the footnote area's top, when the page has notes
    chrome: float  # the footnote area's own height (rule, margins) on this page, or 0
    lines: list[tuple[float, float]]  # body line (top, bottom)
    calls: dict[str, int]  # note id: index of the body line holding its call
    notes: list[str]  # note ids in the footnote area, in order
    rests: list[str] = field(default_factory=list)  # whose continuations it holds, in order


@dataclass(frozen=True, slots=True)
class Split:
    """A note cut into parts of these many lines (the last part takes the rest)."""

    parts: tuple[int, ...]
    page: int  # the page its head is meant for


def _walk_lines(box: Any) -> Iterator[Any]:
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.LineBox):
        yield box
        return
    for child in getattr(box, "children", ()):
        yield from _walk_lines(child)


def _descendants(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", ()):
        yield from _descendants(child)


def _line_text(line: Any) -> str:
    from weasyprint.formatting_structure import boxes

    def text(box: Any) -> str:
        if getattr(box, "element_tag", "").endswith("::footnote-marker"):
            return ""
        if isinstance(box, boxes.TextBox):
            return str(box.text)
        return "".join(text(child) for child in getattr(box, "children", ()))

    return text(line)


def read_layout(document: Any) -> tuple[list[PageFacts], dict[str, NoteBox]]:
    """Each page's body lines, calls and note area; each note's box (the first of its id)."""
    from weasyprint.formatting_structure import boxes

    pages: list[PageFacts] = []
    notes: dict[str, NoteBox] = {}
    for number, page in enumerate(document.pages):
        page_box = page._page_box
        top = float(page_box.content_box_y())
        facts = PageFacts(top, top + float(page_box.height), None, 0.0, [], {}, [])
        for child in page_box.children:
            if isinstance(child, boxes.MarginBox):
                continue
            if type(child).__name__ == "FootnoteAreaBox":
                if not child.children:
                    continue
                facts.area_top = float(child.position_y)
                inner = sum(float(n.margin_height()) for n in child.children)
                facts.chrome = float(child.margin_height()) - inner
                for note in child.children:
                    note_id = note.element.get("id") if note.element is not None else None
                    if not note_id:
                        owner = note.element.get(REST_ATTR) if note.element is not None \
                            else None
                        if owner:
                            facts.rests.append(owner)
                        continue
                    facts.notes.append(note_id)
                    lines = list(_walk_lines(note))
                    if note_id in notes or not lines:
                        continue
                    notes[note_id] = NoteBox(
                        number, float(note.position_y),
                        tuple(float(ln.position_y + ln.height) for ln in lines),
                        tuple(_line_text(ln) for ln in lines),
                        float(note.position_y + note.margin_height()),
                        note.style["text_align_all"] == "justify")
                continue
            for line in _walk_lines(child):
                index = len(facts.lines)
                facts.lines.append((float(line.position_y),
                                    float(line.position_y + line.height)))
                for box in _descendants(line):
                    if getattr(box, "element_tag", "").endswith("::footnote-call"):
                        note_id = box.element.get("id")
                        if note_id:
                            facts.calls.setdefault(note_id, index)
        pages.append(facts)
    return pages, notes


def _fitting(note: NoteBox, room: float, skip: int = 0) -> int:
    """How many of the note's lines from ``skip`` on fit in ``room`` (from the line's top)."""
    start = note.top if skip == 0 else note.bottoms[skip - 1]
    tail = note.end - note.bottoms[-1]
    count = 0
    for bottom in note.bottoms[skip:]:
        if bottom - start + tail > room:
            break
        count += 1
    return count


def _leading(pages: list[PageFacts]) -> float:
    pitches = [b[0] - a[0] for p in pages for a, b in zip(p.lines, p.lines[1:], strict=False)]
    return min(pitches, default=12.0)


def _pushed_head(pages: list[PageFacts], call_page: int, call_line: int, note: NoteBox,
                 leading: float, chrome: float) -> int:
    """Lines of the note that the page before its call's would hold, when the call's line
    (and the few before it on its page) were pushed on from there by the note and left it
    short; else 0."""
    if call_page == 0 or call_line >= 3 or not pages[call_page - 1].lines:
        return 0
    before = pages[call_page - 1]
    lines = pages[call_page].lines
    moved = lines[call_line][1] - lines[0][0]
    floor = before.area_top if before.area_top is not None else before.bottom - chrome
    short = floor - before.lines[-1][1]
    if short < SHORT_LINES * leading:
        return 0
    return _fitting(note, short - moved - SAFETY)


def note_area_limit(document: Any) -> float:
    """The tallest a note area may grow on the pages of a piece with notes run on: the page
    less the lines of text it keeps (what each part was measured to fit in)."""
    pages, _ = read_layout(document)
    return max(p.bottom - p.top for p in pages) - KEPT_BODY_LINES * _leading(pages)


def plan_splits(document: Any, shrink: dict[str, int] | None = None,
                rest_shrink: dict[str, int] | None = None) -> dict[str, Split]:
    """The notes of a laid-out document to run on, and where to cut them. ``shrink``: lines
    taken off a note's head (a head that did not fit where it was measured to);
    ``rest_shrink``: lines of text more kept on the pages of its continuations (one that
    did not stay on the page it was measured for)."""
    pages, notes = read_layout(document)
    leading = _leading(pages)
    chrome = max((p.chrome for p in pages), default=0.0)
    splits: dict[str, Split] = {}
    for note_id, note in notes.items():
        call_page = next((n for n, p in enumerate(pages) if note_id in p.calls), None)
        if call_page is None or len(note.bottoms) < 2 * MIN_LINES:
            continue
        facts = pages[note.page]
        overflows = facts.area_top is not None and facts.area_top < facts.top - 0.5
        reported = note.page > call_page
        call_line = pages[call_page].calls[note_id]
        head = _pushed_head(pages, call_page, call_line, note, leading, chrome)
        head_page = call_page - 1
        if head < MIN_LINES and (overflows or reported):
            here = pages[call_page]
            if here.area_top is None:
                floor = here.bottom - chrome
            elif note.page == call_page:
                floor = here.area_top + (note.end - note.top)
            else:
                floor = here.area_top
            head = _fitting(note, floor - here.lines[call_line][1] - SAFETY)
            head_page = call_page
        page_room = facts.bottom - facts.top - chrome - KEPT_BODY_LINES * leading - SAFETY
        # No part taller than the note area may grow (note_area_limit), with the notes
        # called before it on its page.
        head_floor = pages[head_page].area_top
        called_before = 0.0 if head_floor is None else (
            pages[head_page].bottom - chrome - head_floor)
        if note_id in pages[head_page].notes:
            called_before -= note.end - note.top
        head = min(head, _fitting(note, page_room - called_before))
        head -= (shrink or {}).get(note_id, 0)
        if head < MIN_LINES or len(note.bottoms) - head < MIN_LINES:
            continue
        parts = [head]
        rest_room = page_room - (rest_shrink or {}).get(note_id, 0) * leading
        while sum(parts) + _fitting(note, rest_room, sum(parts)) < len(note.bottoms):
            more = _fitting(note, rest_room, sum(parts))
            if more < MIN_LINES:
                break
            parts.append(more)
        splits[note_id] = Split(tuple(parts), head_page)
    return splits


# --------------------------------------------------------------------------- the HTML


def _cuts(texts: tuple[str, ...], source: str, parts: tuple[int, ...]
          ) -> list[tuple[int, str]] | None:
    """Where each part ends in the note's visible characters (spaces left out), and the
    hyphen to end it with where a line ends inside a word; None if the lines do not read
    as the source does."""
    chars = [c for c in source if not c.isspace() and c != "\u00ad"]
    at = 0
    ends: list[tuple[int, str]] = []
    for text in texts:
        hyphen = ""
        line = [c for c in text if not c.isspace() and c != "\u00ad"]
        for k, c in enumerate(line):
            if at < len(chars) and chars[at] == c:
                at += 1
            elif k == len(line) - 1 and c in HYPHENS:
                hyphen = c
            else:
                return None
        ends.append((at, hyphen))
    marks: list[tuple[int, str]] = []
    total = 0
    for size in parts:
        total += size
        if total > len(ends):
            return None
        marks.append(ends[total - 1])
    return marks


def _visible(fragment: str) -> str:
    return "".join(html_lib.unescape(t) for t in TOKEN.findall(fragment)
                   if not t.startswith("<"))


def _cut(inner: str, count: int) -> tuple[str, str, bool]:
    """``inner`` cut after ``count`` visible characters (spaces not counted): the part
    before with its open elements closed, the part after with them opened again, and
    whether the cut ends a paragraph."""
    stack: list[tuple[str, str]] = []
    seen = 0
    out: list[str] = []
    tokens = TOKEN.findall(inner)
    for n, token in enumerate(tokens):
        if token.startswith("<"):
            match = TAG.match(token)
            closing = match is not None and bool(match.group(1))
            if seen == count and not closing:
                # Elements the last character closes stay with it; what opens after
                # (a paragraph's break, an emphasis) goes with the rest.
                return (_closed("".join(out), stack), _reopened(tokens[n:], stack),
                        token.startswith("<br"))
            if match is not None and match.group(2).lower() not in VOID \
                    and not match.group(3):
                if closing:
                    if stack:
                        stack.pop()
                else:
                    stack.append((match.group(2), token))
            out.append(token)
            continue
        text = html_lib.unescape(token)
        for k, c in enumerate(text):
            counted = not c.isspace() and c != "\u00ad"
            if seen == count and counted:
                before = "".join(out) + html_lib.escape(text[:k], quote=False)
                after_tokens = [html_lib.escape(text[k:], quote=False), *tokens[n + 1:]]
                return _closed(before, stack), _reopened(after_tokens, stack), False
            if counted:
                seen += 1
        out.append(token)
    return inner, "", True


def _closed(before: str, stack: list[tuple[str, str]]) -> str:
    return before.rstrip() + "".join(f"</{name}>" for name, _ in reversed(stack))


def _reopened(tokens: list[str], stack: list[tuple[str, str]]) -> str:
    # What opens the rest (spaces, a paragraph's break) has no place at a part's start.
    rest: list[str] = []
    started = False
    for token in tokens:
        if not started:
            if token.startswith("<br") or (not token.startswith("<") and not token.strip()):
                continue
            if not token.startswith("<"):
                token = token.lstrip()
                started = True
        rest.append(token)
    return "".join(opened for _, opened in stack) + "".join(rest)


def _note_span(html: str, note_id: str) -> tuple[int, int, int] | None:
    """Offsets of the note's element: its start, its content's start, its end."""
    start = html.find(f'<span class="footnote" id="{note_id}">')
    if start < 0:
        return None
    content = html.index(">", start) + 1
    depth = 1
    for match in re.finditer(r"<span\b[^>]*?(/?)>|</span>", html[content:]):
        if match.group(0) == "</span>":
            depth -= 1
            if depth == 0:
                return start, content, content + match.start()
        elif not match.group(1):
            depth += 1
    return None


def _head(part: str, note_id: str, justified: bool) -> str:
    if not justified:
        return f'<span class="footnote {HEAD_CLASS}" id="{note_id}">{part}</span>'
    # Its last line is a full line of the note: justified as the others are (only the
    # paragraph it ends, not one that ended before it).
    last_break = part.rfind("<br/>")
    if last_break < 0:
        return (f'<span class="footnote {HEAD_CLASS}" id="{note_id}" '
                f'style="text-align-last: justify">{part}</span>')
    return (f'<span class="footnote {HEAD_CLASS}" id="{note_id}">{part[:last_break]}'
            f'<span style="display: block; text-align-last: justify">'
            f"{part[last_break + len('<br/>'):]}</span></span>")


def split_notes(html: str, splits: dict[str, Split], notes: dict[str, NoteBox],
                area_limit: float | None = None) -> str:
    """The piece's HTML with each note of ``splits`` cut into its parts; with
    ``area_limit``, the note area of its pages kept to that height (px)."""
    whole = html
    for note_id, split in sorted(splits.items()):
        found = _note_span(html, note_id)
        note = notes.get(note_id)
        if found is None or note is None:
            continue
        start, content, end = found
        inner = html[content:end]
        cuts = _cuts(note.texts, _visible(inner), split.parts)
        if cuts is None:
            continue
        pieces: list[str] = []
        rest, taken = inner, 0
        head_ends_paragraph = False
        for count, hyphen in cuts:
            part, rest, ends_paragraph = _cut(rest, count - taken)
            if not pieces:
                head_ends_paragraph = ends_paragraph
            taken = count
            pieces.append(_with_hyphen(part, hyphen))
        spans = [_head(pieces[0], note_id, note.justified and not head_ends_paragraph)]
        opening = f'<span class="footnote {REST_CLASS}" {REST_ATTR}="{note_id}">'
        spans += [f"{opening}{p}</span>" for p in [*pieces[1:], rest]]
        html = html[:start] + "".join(spans) + html[end + len("</span>"):]
    if area_limit is not None and html != whole and "</head>" in html:
        # WeasyPrint sets every note reported to a page at its foot before the text, room or
        # not, and then ends the page's text as soon as a line does not fit (reporting the
        # last note on again): a continuation that goes on to a third page would leave the
        # second with a line or two of text. A note area that may not grow past what the
        # parts were measured for reports it on at once.
        rule = f"@page {{ @footnote {{ max-height: {area_limit:.2f}px; }} }}"
        html = html.replace("</head>", f"<style>{rule}</style></head>", 1)
    return html


_NOTE_AREA = re.compile(r"<style>(@page \{ @footnote \{ max-height: [\d.]+px; \} \})</style>")


def note_area_rules(html: str) -> list[str]:
    """The note area's height limit ``split_notes`` gave a piece's HTML, as CSS rules."""
    return _NOTE_AREA.findall(html)


def _with_hyphen(part: str, hyphen: str) -> str:
    if not hyphen or hyphen == "\u00ad":
        hyphen = "\u2010" if hyphen else ""
    if not hyphen:
        return part
    # Before the closing tags the cut added.
    closing = re.search(r"(</[^>]+>)*$", part)
    at = closing.start() if closing is not None else len(part)
    return part[:at] + hyphen + part[at:]


def run_on_notes(html: str, document: Any, lay_out: Callable[[str], tuple[Any, int]]
                 ) -> tuple[Any, str, int]:
    """The piece laid out with its long notes run on to the next page (or as it was, when
    none needs it): the document, the HTML it was laid out from, and the layouts it took."""
    splits = plan_splits(document)
    if not splits:
        return document, html, 0
    _, notes = read_layout(document)
    limit = note_area_limit(document)
    shrink: dict[str, int] = {}
    rest_shrink: dict[str, int] = {}
    layouts = 0
    # The best layout yet: (misplaced heads, misplaced continuations), document, HTML.
    best: tuple[tuple[int, int], Any, str] | None = None
    for _ in range(PASSES):
        split_html = split_notes(html, splits, notes, limit)
        if split_html == html:
            break
        laid, taken = lay_out(split_html)
        layouts += taken
        heads, rests = misplaced(laid, splits)
        if best is None or (len(heads), len(rests)) < best[0]:
            best = ((len(heads), len(rests)), laid, split_html)
        if not heads and not rests:
            break
        for note_id in heads:
            shrink[note_id] = shrink.get(note_id, 0) + 1
        for note_id in rests:
            rest_shrink[note_id] = rest_shrink.get(note_id, 0) + 1
        splits = plan_splits(document, shrink, rest_shrink)
    else:
        # A continuation WeasyPrint put a page further on (to keep a paragraph's first
        # lines together it takes notes off a page) still begins at its call and never
        # overlaps the text: better than a note over the running head.
        if best is not None and best[0][0] == 0:
            return best[1], best[2], layouts
        return document, html, layouts
    if split_html == html:
        return document, html, layouts
    # A head measured a little short leaves the foot of its page empty (the text after the
    # call could not put two lines there): it takes the lines that room holds.
    grow = room_left(laid, splits, notes)
    if grow:
        for note_id, lines in grow.items():
            shrink[note_id] = shrink.get(note_id, 0) - lines
        fuller = plan_splits(document, shrink, rest_shrink)
        fuller_html = split_notes(html, fuller, notes, limit)
        again, taken = lay_out(fuller_html)
        layouts += taken
        if misplaced(again, fuller) == ([], []):
            return again, fuller_html, layouts
    return laid, split_html, layouts


def room_left(document: Any, splits: dict[str, Split], whole: dict[str, NoteBox]
              ) -> dict[str, int]:
    """Lines of its note each split head could take more on its page: the room between the
    page's last line and its notes, when the head is the last of them."""
    pages, notes = read_layout(document)
    grow: dict[str, int] = {}
    for note_id, split in sorted(splits.items()):
        head, note = notes.get(note_id), whole.get(note_id)
        if head is None or note is None or len(note.bottoms) < 2:
            continue
        facts = pages[head.page]
        if facts.area_top is None or not facts.lines or facts.notes[-1:] != [note_id]:
            continue
        pitch = note.bottoms[1] - note.bottoms[0]
        room = facts.area_top - facts.lines[-1][1] - SAFETY
        lines = min(int(room // pitch), len(note.bottoms) - split.parts[0] - MIN_LINES)
        if lines > 0:
            grow[note_id] = lines
    return grow


def misplaced(document: Any, splits: dict[str, Split]) -> tuple[list[str], list[str]]:
    """The split notes whose head is not on its call's page (or whose page's notes overflow
    it), and those whose continuations are not each at the foot of the next page."""
    pages, notes = read_layout(document)
    heads: list[str] = []
    rests: list[str] = []
    for note_id, split in sorted(splits.items()):
        note = notes.get(note_id)
        call = next((n for n, p in enumerate(pages) if note_id in p.calls), None)
        if note is None or not call == note.page == split.page:
            heads.append(note_id)
            continue
        wanted = range(split.page + 1, split.page + 1 + len(split.parts))
        if any(n >= len(pages) or pages[n].rests.count(note_id) != 1 for n in wanted):
            rests.append(note_id)
    if any(p.area_top is not None and p.area_top < p.top - 0.5 for p in pages):
        heads.extend(n for n in sorted(splits) if n not in heads)
    return heads, rests
