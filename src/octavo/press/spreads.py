"""Level spreads: facing pages end at the same depth.

Widow and orphan control leaves a page a line or two short where the browser's page breaking
meets a paragraph it may not split; its facing page runs full, and the spread ends unevenly.
A compositor makes both pages of a spread the same depth (running the spread a line short
where nothing else serves). Here that is planned per chapter from the first layout: a
chapter's body lines, known line by line because octavo chose them, are distributed over its
pages so that every verso and its recto hold the same number of lines, breaking only where
orphans and widows allow; the plan is then laid out with the page breaks forced.

Only chapters set in lines of one leading are planned (a scene break, a block quote's margins
or a footnote changes a page's depth by less than a line); others keep the browser's breaks.
"""

from __future__ import annotations

import collections
import functools
import itertools
import json
import re
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from .lines import Prebroken
from .scan import INDEX_ATTR, tag_name

# Lines a page may run short to keep its spread level; a page shorter than that keeps the
# browser's breaks.
MOST_SHORT = 2
# Costs: a page more in the chapter outweighs everything else; a spread ending unevenly
# outweighs short pages.
PAGE_COST = 1000
SHORT_LINE_COST = 10
UNEVEN_LINE_COST = 100  # a spread whose pages end at different depths, per line


@dataclass(frozen=True, slots=True)
class BodyLine:
    page: int
    top: float
    section: str | None  # the chapter's element id
    paragraph: int | None  # index among the scanned paragraphs, None for other blocks
    orphans: int
    widows: int


@dataclass(frozen=True, slots=True)
class PageFacts:
    bottom: float  # the page area's bottom edge
    has_notes: bool
    top: float = 0.0  # the page area's top edge


HEADINGS = frozenset({"header", "hgroup", "h1", "h2", "h3", "h4", "h5", "h6"})


def _walk(box: Any, section: str | None, paragraph: int | None, style: Any,
          heading: bool = False) -> Iterator[tuple[Any, str | None, int | None, Any]]:
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.Box) and box.is_absolutely_positioned():
        # Out of the flow (a review edition's mark, fixed on every page): no line of the text.
        return
    element = getattr(box, "element", None)
    if element is not None and isinstance(box, boxes.BlockBox):
        tag = getattr(box, "element_tag", "")
        if tag == "section":
            section = element.get("id") or str(id(element))
        heading = heading or tag in HEADINGS
        index = element.get(INDEX_ATTR)
        # A chapter's heading (its number line too) is not body text.
        paragraph = int(index) if index is not None and not heading else None
        if paragraph is not None:
            style = box.style
    if isinstance(box, boxes.LineBox):
        yield box, section, paragraph, style
        return  # its inline content (inline-blocks, floats) holds no lines of the page
    for child in getattr(box, "children", None) or ():
        yield from _walk(child, section, paragraph, style, heading)


# A layout's line boxes and pages, as ``read_pages`` reads them.
Pages = tuple[list[BodyLine], list[PageFacts]]
L = TypeVar("L")  # a layout: WeasyPrint's document, or a document laid out in slices


def read_pages(document: Any) -> Pages:
    """Every line box of the laid-out document (not the margin boxes' or the notes'), with its
    chapter and paragraph."""
    from weasyprint.formatting_structure import boxes

    lines: list[BodyLine] = []
    facts: list[PageFacts] = []
    for number, page in enumerate(document.pages):
        page_box = page._page_box
        notes = False
        for child in page_box.children:
            if isinstance(child, boxes.MarginBox):
                continue
            if type(child).__name__ == "FootnoteAreaBox":
                notes = notes or bool(child.children)
                continue
            for line, section, paragraph, style in _walk(child, None, None, None):
                orphans = int(style["orphans"]) if style is not None else 2
                widows = int(style["widows"]) if style is not None else 2
                lines.append(BodyLine(number, float(line.position_y), section, paragraph,
                                      orphans, widows))
        top = float(page_box.content_box_y())
        facts.append(PageFacts(top + float(page_box.height), notes, top))
    return lines, facts


def pages_to_bytes(lines: list[BodyLine], facts: list[PageFacts]) -> bytes:
    """What ``read_pages`` read, as bytes the chapter cache can keep (JSON, never pickle)."""
    return json.dumps({
        "lines": [[ln.page, ln.top, ln.section, ln.paragraph, ln.orphans, ln.widows]
                  for ln in lines],
        "facts": [[f.bottom, f.has_notes, f.top] for f in facts]}).encode()


def pages_from_bytes(data: bytes) -> tuple[list[BodyLine], list[PageFacts]]:
    """What ``pages_to_bytes`` wrote (ValueError, KeyError, TypeError or IndexError for
    anything else)."""
    kept = json.loads(data)
    lines = [BodyLine(int(page), float(top), None if section is None else str(section),
                      None if paragraph is None else int(paragraph), int(orphans), int(widows))
             for page, top, section, paragraph, orphans, widows in kept["lines"]]
    facts = [PageFacts(float(bottom), bool(notes), float(top))
             for bottom, notes, top in kept["facts"]]
    return lines, facts


@dataclass(frozen=True, slots=True)
class Chapter:
    """A chapter's body: its lines in order (after its heading) and its pages."""

    section: str
    first_page: int
    lines: list[BodyLine]
    pages: list[int]  # lines per page, as the browser laid them out


def chapters(lines: list[BodyLine], facts: list[PageFacts]) -> Iterator[Chapter]:
    """The chapters that can be planned: alone on their pages, without notes, their body set
    in lines of one leading throughout."""
    by_section: dict[str, list[BodyLine]] = {}
    order: list[str] = []
    page_sections: dict[int, set[str | None]] = {}
    for line in lines:
        page_sections.setdefault(line.page, set()).add(line.section)
        if line.section is None:
            continue
        if line.section not in by_section:
            order.append(line.section)
        by_section.setdefault(line.section, []).append(line)
    for section in order:
        own = by_section[section]
        body_start = next((i for i, line in enumerate(own) if line.paragraph is not None), None)
        if body_start is None:
            continue
        body = own[body_start:]
        pages = sorted({line.page for line in body})
        if any(page_sections[p] != {section} or facts[p].has_notes for p in pages):
            continue
        if any(line.paragraph is None for line in body) or len(pages) < 2:
            continue
        counts = [sum(1 for line in body if line.page == p) for p in pages]
        if pages != list(range(pages[0], pages[0] + len(pages))):
            continue
        yield Chapter(section, pages[0], body, counts)


def leading_of(chapter: Chapter) -> float | None:
    """The one distance between successive lines on every page, or None."""
    pitches = {round(b.top - a.top, 2) for a, b in itertools.pairwise(chapter.lines)
               if a.page == b.page}
    if not pitches or max(pitches) - min(pitches) > 0.05:
        return None
    return sum(pitches) / len(pitches)


def capacity(top: float, bottom: float, leading: float) -> int:
    """Lines of ``leading`` that fit between a first line's top and the page's bottom."""
    return int((bottom - top) / leading + 1e-3)


def line_numbers(lines: list[BodyLine]) -> tuple[list[int], dict[int, int]]:
    """Each line's number within its paragraph, and each paragraph's line count."""
    numbers: list[int] = []
    counts: dict[int, int] = {}
    for line in lines:
        assert line.paragraph is not None
        numbers.append(counts.get(line.paragraph, 0))
        counts[line.paragraph] = numbers[-1] + 1
    return numbers, counts


def break_points(lines: list[BodyLine],
                 split_from: Callable[[int], int | None]) -> list[bool]:
    """Whether each line may begin a page: a paragraph's first, or one that leaves its
    paragraph's orphans and widows their due where it may be split."""
    numbers, counts = line_numbers(lines)
    out = []
    for line, n in zip(lines, numbers, strict=True):
        assert line.paragraph is not None
        first = split_from(line.paragraph) if n else 0
        out.append(n == 0 or (first is not None and n >= max(line.orphans, first)
                              and counts[line.paragraph] - n >= line.widows))
    return out


def plan_chapter(chapter: Chapter, facts: list[PageFacts],
                 split_from: Callable[[int], int | None]) -> list[int] | None:
    """The line (index into the chapter's body lines) that begins each page after the first,
    so that facing pages hold as many lines; None when the browser's breaks are as good or
    no plan keeps within the limits."""
    leading = leading_of(chapter)
    if leading is None:
        return None
    lines = chapter.lines
    firsts: dict[int, BodyLine] = {}
    for line in lines:
        firsts.setdefault(line.page, line)
    opener_cap = capacity(firsts[chapter.first_page].top, facts[chapter.first_page].bottom,
                          leading)
    body_pages = [p for p in firsts if p != chapter.first_page]
    caps = {capacity(firsts[p].top, facts[p].bottom, leading) for p in body_pages}
    if len(caps) != 1:
        return None
    cap = caps.pop()
    if opener_cap < chapter.pages[0] or cap < max(chapter.pages[1:]):
        return None  # the browser fitted more than measured: measure not trusted
    if (chapter.pages[0] < opener_cap - MOST_SHORT
            or any(count < cap - MOST_SHORT for count in chapter.pages[1:-1])):
        return None  # a page ended early for a reason not read here (a forced break)

    chosen = plan_lines(lines, opener_cap, cap, chapter.first_page % 2 == 1, split_from)
    if chosen is None:
        return None
    natural = list(itertools.accumulate(chapter.pages[:-1]))
    return None if chosen == natural else chosen


def plan_lines(lines: list[BodyLine], opener_cap: int, cap: int, opener_verso: bool,
               split_from: Callable[[int], int | None]) -> list[int] | None:
    """The line (index into a chapter's body lines) that begins each page after the first,
    with ``opener_cap`` lines on the opening page and ``cap`` on the others, so that facing
    pages hold as many lines; None when the chapter fits its opening page or no plan keeps
    within the limits."""
    total = len(lines)
    allowed = break_points(lines, split_from)

    def legal(t: int) -> bool:
        """May line ``t`` begin a page?"""
        return 0 < t < total and allowed[t]

    inf = float("inf")

    def depths(room: int) -> range:
        return range(room, room - MOST_SHORT - 1, -1)

    def alone(t: int, room: int, then_verso: bool) -> Iterator[tuple[float, tuple[int, ...]]]:
        """The ways to set a page from line ``t`` that faces no page of the chapter (the
        opening page, or a recto facing an opening verso), with the pages after it."""
        for depth in depths(room):
            if depth >= 1 and legal(t + depth):
                cost, starts = best(t + depth, then_verso)
                yield (PAGE_COST + SHORT_LINE_COST * (room - depth) + cost, (t + depth, *starts))

    @functools.cache
    def best(t: int, verso: bool) -> tuple[float, tuple[int, ...]]:
        """Lines from ``t`` on, from a page that is a verso (paired with the recto after it)
        or a recto standing alone: (cost, the lines that begin its later pages)."""
        rest = total - t
        if rest <= 0:
            return 0.0, ()
        if rest <= cap:
            return PAGE_COST, ()
        if not verso:
            return min(alone(t, cap, True), default=(inf, ()))
        found: tuple[float, tuple[int, ...]] = (inf, ())
        for depth in depths(cap):
            if depth < 1 or not legal(t + depth):
                continue
            short = SHORT_LINE_COST * (cap - depth)
            left = rest - depth
            if left <= cap:  # its recto ends the chapter: no deeper than the verso
                uneven = UNEVEN_LINE_COST * max(0, left - depth)
                found = min(found, (2 * PAGE_COST + short + uneven, (t + depth,)))
                continue
            for facing in depths(cap):
                if not legal(t + depth + facing):
                    continue
                cost, starts = best(t + depth + facing, True)
                option = (2 * PAGE_COST + short + SHORT_LINE_COST * (cap - facing)
                          + UNEVEN_LINE_COST * abs(depth - facing) + cost,
                          (t + depth, t + depth + facing, *starts))
                found = min(found, option)
        return found

    if total <= opener_cap:
        return None
    # The first of the cheapest openings (the deepest opening page among equals).
    found = min(alone(0, opener_cap, not opener_verso), key=lambda option: option[0],
                default=(inf, ()))
    best.cache_clear()
    if found[0] == inf:
        return None
    return list(found[1])


@dataclass(frozen=True, slots=True)
class SpreadPlan:
    page_starts: dict[int, int]  # paragraph index -> its line that begins a page
    pages: dict[str, list[int]]  # each planned chapter (by id) -> lines per page
    sections: dict[int, str] = field(default_factory=dict)  # paragraph index -> chapter id

    def only(self, kept: set[str]) -> SpreadPlan:
        """The plan for the chapters ``kept`` alone (the others laid out unplanned)."""
        return SpreadPlan({n: line for n, line in self.page_starts.items()
                           if self.sections.get(n) in kept},
                          {s: pages for s, pages in self.pages.items() if s in kept},
                          {n: s for n, s in self.sections.items() if s in kept})


def plan_of_pages(prebroken: Prebroken, lines: list[BodyLine], facts: list[PageFacts]
                  ) -> SpreadPlan:
    """The plan made from a layout's lines and pages (``read_pages``)."""
    page_starts: dict[int, int] = {}
    planned: dict[str, list[int]] = {}
    sections: dict[int, str] = {}
    for chapter in chapters(lines, facts):
        starts = plan_chapter(chapter, facts, prebroken.split_from)
        if starts is None:
            continue
        numbers, _ = line_numbers(chapter.lines)
        for t in starts:
            paragraph = cast(int, chapter.lines[t].paragraph)
            page_starts[paragraph] = numbers[t]
            sections[paragraph] = chapter.section
        bounds = [0, *starts, len(chapter.lines)]
        planned[chapter.section] = [b - a for a, b in itertools.pairwise(bounds)]
    return SpreadPlan(page_starts, planned, sections)


def laid_out_level(prebroken: Prebroken, lay_out: Callable[[str], L], level: bool = True,
                   pages_of: Callable[[L], Pages] = read_pages) -> tuple[L, str, int]:
    """The document with its chosen lines laid out and, where ``level``, laid out again with
    the page breaks a plan made from that layout chooses, kept if they held: the document,
    its HTML and the layouts it took. Where some chapters of a plan did not hold, the others
    are laid out level once more without them, so a book laid out whole has the pages its
    chapters laid out alone get. ``pages_of`` reads a layout's lines and pages (a layout in
    slices has them read already)."""
    html = prebroken.html()
    document = lay_out(html)
    if not level:
        return document, html, 1
    plan = plan_of_pages(prebroken, *pages_of(document))
    if not plan.page_starts:
        return document, html, 1
    level_html = prebroken.html(plan.page_starts)
    level_document = lay_out(level_html)
    held = held_of_pages(plan, *pages_of(level_document))
    if held == set(plan.pages):
        return level_document, level_html, 2
    kept = plan.only(held)
    if not kept.page_starts:
        return document, html, 2
    kept_html = prebroken.html(kept.page_starts)
    kept_document = lay_out(kept_html)
    if plan_held(kept, kept_document, pages_of):
        return kept_document, kept_html, 3
    return document, html, 3


def held_of_pages(plan: SpreadPlan, lines: list[BodyLine], facts: list[PageFacts]
                  ) -> set[str]:
    """The planned chapters whose lines a layout with the plan's breaks holds on its pages
    as planned, from its lines and pages (``read_pages``)."""
    found = {c.section: c.pages for c in chapters(lines, facts)}
    return {section for section, pages in plan.pages.items() if found.get(section) == pages}


def plan_held(plan: SpreadPlan, document: L, pages_of: Callable[[L], Pages] = read_pages
              ) -> bool:
    """Whether the document laid out with the plan's breaks holds each planned chapter's
    lines on its pages as planned."""
    return held_of_pages(plan, *pages_of(document)) == set(plan.pages)


# --------------------------------------------------------------------------- planned unseen
# A chapter whose body is paragraphs only, each with lines octavo chose, holds a known number
# of lines; what its pages hold (the opening page below the heading, a full page) is read off
# a layout of its opening alone. So the plan is made before the chapter is laid out, and the
# chapter is laid out once, with the plan's breaks, instead of a first time to plan from.

OPENING_LINES = 3  # lines of body the opening's layout holds: enough to read the leading


def body_paragraphs(prebroken: Prebroken) -> list[int] | None:
    """The paragraphs of a one-chapter document's body (after its heading), when they are
    all of its body and octavo knows each one's lines; else None."""
    document, scanned = prebroken.document, prebroken.scan.paragraphs
    if document.count("<section") != 1:
        return None
    body = [n for n, p in enumerate(scanned)
            if not any(tag_name(tag) in HEADINGS for tag in p.signature[:-2])]
    header_end = document.find("</header>")
    if not body or header_end < 0 or any(n not in prebroken.line_counts for n in body):
        return None
    starts = [header_end + len("</header>"), *(scanned[n].end for n in body)]
    ends = [*(scanned[n].start for n in body), document.find("</section>", scanned[body[-1]].end)]
    if ends[-1] < 0 or any(document[a:b].strip() for a, b in zip(starts, ends, strict=True)):
        return None
    return body


def opening_last(prebroken: Prebroken, body: list[int]) -> int:
    """The last paragraph of the opening: the first body paragraphs that hold
    ``OPENING_LINES`` lines, as octavo set them."""
    count, last = 0, body[0]
    for last in body:
        count += prebroken.line_counts[last]
        if count >= OPENING_LINES:
            break
    return last


def opening_html(prebroken: Prebroken, body: list[int]) -> str:
    """The document with its lines, cut after the first few body paragraphs."""
    return prebroken.html(until=opening_last(prebroken, body))


# What the lines and pages of a laid-out HTML document are (``read_pages`` of its layout).
PagesOf = Callable[[str], Pages]


@dataclass(frozen=True, slots=True)
class Opening:
    """What a chapter's plan is made of, read off its opening's layout: the lines of the
    opening page and of every other page, the first paragraph's orphans and widows, and
    each opening paragraph's lines as laid out (a drop capital's paragraph can take a line
    more than octavo set it in)."""

    opener_cap: int
    cap: int
    orphans: int
    widows: int
    section: str
    counts: tuple[tuple[int, int], ...]  # (paragraph, lines) of the opening's paragraphs


def opening_of(lines: list[BodyLine], facts: list[PageFacts]) -> Opening | None:
    """The opening read off the lines and pages of a layout of a chapter's opening alone, or
    of those of its opening's paragraphs in a layout of the whole chapter; None where its
    first page has notes, holds a line of body or none, or lines of more than one leading."""
    opening = [line for line in lines if line.paragraph is not None and line.page == 0]
    if len(opening) < 2 or facts[0].has_notes:
        return None
    pitches = [b.top - a.top for a, b in itertools.pairwise(opening)]
    if max(pitches) - min(pitches) > 0.05:
        return None
    leading = sum(pitches) / len(pitches)
    first = opening[0]
    if first.section is None:
        return None
    counts = collections.Counter(line.paragraph for line in lines if line.paragraph is not None)
    return Opening(capacity(first.top, facts[0].bottom, leading),
                   capacity(facts[0].top, facts[0].bottom, leading), first.orphans,
                   first.widows, first.section,
                   tuple(sorted(cast(dict[int, int], counts).items())))


def plan_of_opening(prebroken: Prebroken, body: list[int], opening: Opening,
                    opener_verso: bool) -> SpreadPlan | None:
    """The plan for a one-chapter document's body made from its opening, the paragraphs
    after the opening as octavo set them; None where it breaks no page."""
    counts = dict(prebroken.line_counts)
    counts.update(opening.counts)
    known = [BodyLine(0, 0.0, opening.section, n, opening.orphans, opening.widows)
             for n in body for _ in range(counts[n])]
    starts = plan_lines(known, opening.opener_cap, opening.cap, opener_verso,
                        prebroken.split_from)
    if not starts:
        return None
    numbers, _ = line_numbers(known)
    page_starts = {known[t].paragraph: numbers[t] for t in starts}
    bounds = [0, *starts, len(known)]
    return SpreadPlan(cast(dict[int, int], page_starts),
                      {opening.section: [b - a for a, b in itertools.pairwise(bounds)]})


def predict_plan(prebroken: Prebroken, lay_out: Callable[[str], Any],
                 opener_verso: bool, opening_pages: PagesOf | None = None,
                 laid_out_by: Hashable = None) -> SpreadPlan | None:
    """The plan for a one-chapter document read from its opening's layout, when its lines
    are all known and the plan breaks a page anywhere; else None. ``opening_pages``: the
    opening's lines and pages as ``lay_out`` gives them, kept from an earlier build (an
    edit further on in a chapter leaves its opening as it was). ``laid_out_by``: what
    decides ``lay_out``'s layouts besides the HTML (its stylesheets): given, the opening is
    remembered for the chapters of its shape after it (``shared_plan``)."""
    body = body_paragraphs(prebroken)
    if body is None:
        return None
    first_page = opening_html(prebroken, body)
    opening = opening_of(*(opening_pages(first_page) if opening_pages is not None
                           else read_pages(lay_out(first_page))))
    if opening is None:
        return None
    if laid_out_by is not None:
        _remember(laid_out_by, prebroken, body, opening)
    return plan_of_opening(prebroken, body, opening, opener_verso)


# --------------------------------------------------------------------------- shared openings
# A chapter's opening is laid out alone for what its plan is made of; chapters whose openings
# are of one shape (the same elements with the same classes from the body to their opening
# paragraphs, each text as long: a heading as long sets as many lines) lay them out alike.
# So a process remembers the opening of each shape it laid out, and plans the next chapter of
# that shape from it, unseen: the chapter's layout, whose first paragraphs are its opening's
# (the document's same text to the opening's end, and no page break planned before it), shows
# what its opening's own layout would have, and the plan is kept only where they agree. Where
# they do not, the chapter is planned from its own opening as before: its pages are always
# those its own opening's plan gives.

_KEPT_ATTRIBUTES = frozenset({"class", "style", "lang", "dir", "hidden"})
_TOKEN = re.compile(r"<[^>]*>|[^<]+")
_ATTRIBUTE = re.compile(r"""([^\s=/>]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?""")
MOST_SHAPES = 64  # openings a process remembers


def _skeleton(html: str) -> Iterator[str | int]:
    """The elements of ``html`` with the attributes that style them, and the length of
    everything else (texts, ids, titles)."""
    for token in _TOKEN.findall(html):
        if not token.startswith("<"):
            text = " ".join(token.split())
            if text:
                yield len(text)
            continue
        name, _, rest = token[1:-1].partition(" ")
        yield name
        for attribute, value in _ATTRIBUTE.findall(rest):
            yield attribute
            yield value if attribute in _KEPT_ATTRIBUTES else len(value)


def opening_shape(prebroken: Prebroken, body: list[int]) -> tuple[str | int, ...]:
    """What an opening shares with the openings laid out like it: its document's skeleton
    from the body to the end of its last paragraph's start tag, and each paragraph's lines."""
    document, scanned = prebroken.document, prebroken.scan.paragraphs
    last = opening_last(prebroken, body)
    opening = body[:body.index(last) + 1]
    return (*_skeleton(document[document.find("<body"):scanned[body[0]].start]),
            *(part for n in opening for part in _skeleton(scanned[n].start_tag)))


@dataclass(frozen=True, slots=True)
class _Shared:
    """An opening as its shape's chapters share it: paragraphs by their place in it."""

    opener_cap: int
    cap: int
    orphans: int
    widows: int
    more_lines: tuple[int, ...]  # lines each paragraph took beyond those octavo set


_SHARED: dict[tuple[Hashable, tuple[str | int, ...]], _Shared] = {}


def _remember(laid_out_by: Hashable, prebroken: Prebroken, body: list[int],
              opening: Opening) -> None:
    counts = dict(opening.counts)
    opened = body[:body.index(opening_last(prebroken, body)) + 1]
    if set(counts) != set(opened):
        return
    key = (laid_out_by, opening_shape(prebroken, body))
    _SHARED.pop(key, None)
    while len(_SHARED) >= MOST_SHAPES:
        del _SHARED[next(iter(_SHARED))]
    _SHARED[key] = _Shared(opening.opener_cap, opening.cap, opening.orphans, opening.widows,
                           tuple(counts[n] - prebroken.line_counts[n] for n in opened))


_SECTION_ID = re.compile(r"""<section\b[^>]*?\sid\s*=\s*["']([^"']+)["']""")


@dataclass(frozen=True, slots=True)
class SharedPlan:
    """A plan made from the opening of a chapter of the same shape laid out before."""

    plan: SpreadPlan
    opening: Opening  # what the chapter's own opening is taken to hold

    def held(self, lines: list[BodyLine], facts: list[PageFacts]) -> bool | None:
        """Whether the chapter laid out with the plan's breaks holds it, from its lines and
        pages (``read_pages``); None where its opening's paragraphs are laid out otherwise
        than taken (the plan is not the one its own opening gives)."""
        opened = {n for n, _ in self.opening.counts}
        if opening_of([line for line in lines if line.paragraph in opened], facts) \
                != self.opening:
            return None
        return held_of_pages(self.plan, lines, facts) == set(self.plan.pages)


def shared_plan(prebroken: Prebroken, opener_verso: bool, laid_out_by: Hashable
                ) -> SharedPlan | None:
    """The plan for a one-chapter document made from the opening remembered for its shape
    (``predict_plan``), where there is one and the plan breaks no page before its opening's
    end; else None."""
    body = body_paragraphs(prebroken)
    if body is None:
        return None
    shared = _SHARED.get((laid_out_by, opening_shape(prebroken, body)))
    section = _SECTION_ID.search(prebroken.document)
    if shared is None or section is None:
        return None
    last = opening_last(prebroken, body)
    opened = body[:body.index(last) + 1]
    opening = Opening(shared.opener_cap, shared.cap, shared.orphans, shared.widows,
                      section[1], tuple((n, prebroken.line_counts[n] + more)
                                        for n, more in zip(opened, shared.more_lines,
                                                           strict=True)))
    plan = plan_of_opening(prebroken, body, opening, opener_verso)
    if plan is None or min(plan.page_starts) <= last:
        return None
    return SharedPlan(plan, opening)
