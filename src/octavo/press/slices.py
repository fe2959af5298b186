"""A long chapter laid out a run of pages at a time, never all its pages at once.

WeasyPrint holds a document's every page (its boxes, their styles, the parsed HTML) until the
document is let go of: a chapter of 3,000 paragraphs took 450 MB. So a long chapter is laid
out in slices of its section's children. A slice is laid out on from where a page of the one
before begins; of its pages, all but its last are kept (what ends a page depends only on what
that page holds and on the first element that does not fit, which a slice ending later holds
too), and the next slice begins where its last page began, with as many empty pages ahead of
it (dropped) as put that page on its side. Before the slice, the chapter's first children
and the few just before it stand as empty hidden copies, and after it the next and the last,
so the selectors a theme sets paragraphs with (``p + p``, ``header ~ p``, ``:first-of-type``,
``:last-child``) match in a slice as in the whole chapter (counting ones, ``:nth-child(n)``,
would not); the blocks around it begin on the dropped pages, so on the kept ones they go on,
as in the whole chapter.

A page may begin a slice where it begins with a child of the section afresh, whose top margin
is nil (or that a chosen page break begins: the break is forced in both), or with a paragraph
whose lines octavo chose, at one of its lines it may be split at: the slice begins with the
continuation such a split writes (``Prebroken``), with no top margin, border or padding, as
WeasyPrint goes on with a paragraph on a new page. A chapter with notes, internal links or no
such page is laid out whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from .lines import Prebroken, render_lines
from .rebroken import chosen_lines, printed_lines
from .scan import (
    CONTINUED_CLASS,
    INDEX_ATTR,
    PAGE_CLASS,
    SET_CLASS,
    TOKEN,
    VOID_TAGS,
    open_elements,
    tag_name,
    with_attribute,
)
from .spreads import BodyLine, PageFacts, read_pages

# HTML characters of a chapter a slice lays out (about 40 pages of a novel): a chapter
# twice as long is laid out in slices.
SLICE_CHARS = 150_000
CHILD_ATTR = "data-octavo-child"  # a slice's children: their index in the section
HIDDEN = "display: none !important"
# A page of its own ahead of a slice, so its first kept page falls on its side.
LEAD_HTML = '<div style="break-after: page; height: 0; margin: 0; padding: 0"></div>'
# How WeasyPrint goes on with a block on a new page: no top margin, border or padding.
GOING_ON = "margin-top: 0 !important; border-top-width: 0 !important; padding-top: 0 !important"
FORCED = frozenset({PAGE_CLASS, CONTINUED_CLASS})


@dataclass(frozen=True, slots=True)
class Child:
    start: int  # offsets of the element in the document, its start tag to its end
    end: int
    tag: str


@dataclass(frozen=True, slots=True)
class Outline:
    """A one-chapter document cut at its section's children."""

    head: str  # the document to the section's start tag, the tag with it
    children: tuple[Child, ...]
    tail: str  # from the section's end tag on
    closing: str  # the end tags of the section and what holds it


def outline(html: str) -> Outline | None:
    """The document's one section and its children, or None when its body is not one section
    of elements (text of its own, another section)."""
    body = html.find("<body")
    section = html.find("<section", body)
    if body < 0 or section < 0:
        return None
    depth = 0
    children: list[Child] = []
    open_at = 0
    head_end = -1
    for match in TOKEN.finditer(html, section):
        token = match.group(0)
        if not token.startswith("<"):
            if depth == 1 and token.strip():
                return None
            continue
        if token.startswith("<!"):
            continue
        name = tag_name(token)
        closing = token.startswith("</")
        if closing:
            depth -= 1
            if depth == 1:
                children.append(Child(open_at, match.end(), html[open_at:html.index(">",
                                                                                   open_at) + 1]))
            elif depth == 0:
                tail = html[match.start():]
                if "<section" in tail:
                    return None
                names = open_elements(html[:match.start()])
                return Outline(html[:head_end], tuple(children), tail,
                               "".join(f"</{n}>" for n in reversed(names)))
            continue
        if depth == 0:
            head_end = match.end()
        if depth == 1:
            open_at = match.start()
        if token.endswith("/>") or name in VOID_TAGS:
            if depth == 1:
                children.append(Child(open_at, match.end(), token))
            continue
        depth += 1
    return None


def _with_style(tag: str, style: str) -> str:
    found = re.search(r'\sstyle\s*=\s*"([^"]*)"', tag)
    if found:
        return tag[:found.start(1)] + style + "; " + found.group(1) + tag[found.end(1):]
    return with_attribute(tag, "style", style)


# The children a slice keeps hidden copies of, ahead of its own: the first few (a heading
# and the first paragraph after it, for ``header ~ p`` and ``:first-of-type``) and the few
# just before (for ``p + p``). The others are left out: a slice of a chapter of 3,000
# paragraphs took as long to style as to lay out with a hidden copy of each.
FIRST_CHILDREN = 4
CHILDREN_BEFORE = 2


def _standing_before(children: tuple[Child, ...], start: int) -> tuple[Child, ...]:
    head = min(start, FIRST_CHILDREN)
    return children[:head] + children[max(head, start - CHILDREN_BEFORE):start]


def _hidden(child: Child) -> str:
    tag = _with_style(child.tag, HIDDEN)
    void = child.tag.endswith("/>") or tag_name(child.tag) in VOID_TAGS
    return tag if void else tag + f"</{tag_name(child.tag)}>"


@dataclass(frozen=True, slots=True)
class Restart:
    """Where a slice begins: a child of the section, or a set paragraph's continuation from
    one of its lines (the child's lines before it are on the pages before)."""

    child: int
    line: int = 0
    continuation: str = ""  # the continuation's HTML, when ``line``


def slice_html(html: str, cut: Outline, start: Restart, end: int, leads: int,
               first: bool) -> str:
    """The document with the section's children ``start`` to ``end`` (not included) laid out,
    after ``leads`` empty pages; the first few before them and the few just before and
    after stand as empty hidden copies. ``first``: the chapter's first slice."""
    head = cut.head
    if not first:
        # The lead page of a chapter opening on a left page is the first slice's.
        body = head.index("<body")
        body = head.index(">", body) + 1
        head = head[:body] + head[body:].replace('<div class="octavo-lead-page"></div>', "", 1)
    out = [head, LEAD_HTML * leads]
    out.extend(_hidden(child) for child in _standing_before(cut.children, start.child))
    begin = start.child
    if start.line:
        out.append(_hidden(cut.children[start.child]))
        out.append(with_attribute(_with_style(start.continuation[:start.continuation.index(">")
                                                                + 1], GOING_ON),
                                  CHILD_ATTR, start.child)
                   + start.continuation[start.continuation.index(">") + 1:])
        begin += 1
    children = cut.children
    for n in range(begin, min(end, len(children))):
        child = children[n]
        following = children[n + 1].start if n + 1 < len(children) else child.end
        out.append(with_attribute(child.tag, CHILD_ATTR, n) + html[child.start + len(child.tag):
                                                                    following])
    if end < len(children):
        out.extend(_hidden(child) for child in (children[end:end + 1] + children[-1:]
                                                if end + 1 < len(children) else
                                                children[end:]))
        out.append(cut.closing + "\n</body>\n</html>\n")
    else:
        out.append(cut.tail)
    return "".join(out)


def continuation(prebroken: Prebroken, index: int, line: int) -> str:
    """Set paragraph ``index`` from its line ``line`` on, as a chosen page break splits it
    there; "" where it may not be split there."""
    found = prebroken.paragraphs.get(index)
    first = prebroken.split_from(index)
    if found is None or first is None or not max(first, 1) <= line < len(found.chosen.lines):
        return ""
    tag = with_attribute(prebroken.scan.paragraphs[index].start_tag, INDEX_ATTR, index)
    html = render_lines(replace(found.source, start_tag=tag), prebroken.scan, found.chosen,
                        found.ctx, prebroken.setting, prebroken.measurer, [], line)
    cut = html.find(f'</p><p class="{SET_CLASS} {CONTINUED_CLASS}"')
    return html[cut + len("</p>"):] if cut >= 0 else ""


def _section_box(box: Any) -> Any:
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.BlockBox) and getattr(box, "element_tag", "") == "section":
        return box
    for child in getattr(box, "children", None) or ():
        if isinstance(child, boxes.BlockBox):
            found = _section_box(child)
            if found is not None:
                return found
    return None


def _section_children(page: Any) -> list[Any]:
    from weasyprint.formatting_structure import boxes

    section = _section_box(page._page_box)
    if section is None:
        return []
    return [child for child in section.children
            if isinstance(child, boxes.Box) and not child.is_absolutely_positioned()]


def _line_count(box: Any) -> int:
    from weasyprint.formatting_structure import boxes

    return sum(1 for child in box.children if isinstance(child, boxes.LineBox))


def restart_at(pages: list[Any], number: int, start: Restart,
               prebroken: Prebroken | None) -> Restart | None:
    """Where a slice may begin the page ``pages[number]`` of this one begins, or None."""
    children = _section_children(pages[number])
    if not children or children[0].element is None:
        return None
    first = children[0]
    element = first.element
    child = element.get(CHILD_ATTR)
    if child is None:
        return None
    before = _section_children(pages[number - 1])
    going_on = bool(before) and before[-1].element is element
    classes = set((element.get("class") or "").split())
    if not going_on:
        margin = first.style["margin_top"]
        if getattr(margin, "value", margin) != 0 and not classes & FORCED:
            return None
        return Restart(int(child))
    index = element.get(INDEX_ATTR)
    if prebroken is None or index is None or SET_CLASS not in classes:
        return None
    line = sum(_line_count(box) for page in pages[:number] for box in _section_children(page)
               if box.element is element)
    if int(child) == start.child and start.line:
        line += start.line
    text = continuation(prebroken, int(index), line)
    return Restart(int(child), line, text) if text else None


@dataclass(slots=True)
class Run:
    """What a document laid out in slices came to: its pages' lines and facts (as
    ``read_pages`` reads them off the whole document), bookmarks, anchors, the PDF of each
    slice's kept pages, and its set paragraphs' lines as chosen and as printed."""

    pages: int = 0
    layouts: int = 0
    lines: list[BodyLine] = field(default_factory=list)
    facts: list[PageFacts] = field(default_factory=list)
    # (level, label, page, x, y, open) in PDF units
    marks: list[tuple[int, str, int, float, float, bool]] = field(default_factory=list)
    anchors: list[tuple[str, ...]] = field(default_factory=list)
    pdfs: list[bytes] = field(default_factory=list)
    chosen: dict[int, list[str]] = field(default_factory=dict)
    printed: dict[int, list[str]] = field(default_factory=dict)

    def rebroken(self) -> Iterator[str]:
        """The chosen lines WeasyPrint printed otherwise (``rebroken.rebroken_lines``)."""
        import collections

        for index in sorted(self.chosen):
            left = collections.Counter(self.printed.get(index, ()))
            for line in self.chosen[index]:
                if left[line] > 0:
                    left[line] -= 1
                else:
                    yield line


def _kept(run: Run, document: Any, start: Restart, skip: int,
          write: Callable[[Any], bytes]) -> None:
    """A slice's kept pages (``document``'s) added to ``run``; its first ``skip`` pages (a
    chapter's lead page) not written."""
    lines, facts = read_pages(document)
    run.lines.extend(replace(line, page=line.page + run.pages) for line in lines)
    run.facts.extend(facts)
    scale = 0.75  # CSS px to PDF points
    for number, page in enumerate(document.pages):
        for level, label, (x, y), state in page.bookmarks:
            run.marks.append((level, label, run.pages + number, x * scale,
                              (page.height - y) * scale, state != "closed"))
        run.anchors.append(tuple(page.anchors))
    for index, printed in printed_lines(document).items():
        run.printed.setdefault(index, []).extend(printed.lines)
        for element in printed.elements:
            if start.line and element.get(CHILD_ATTR) == str(start.child):
                continue  # the continuation this slice begins with: its lines are chosen
            run.chosen.setdefault(index, []).extend(
                chosen_lines(element, printed.floating, printed.newlines_kept))
    run.pdfs.append(write(document.copy(document.pages[skip:])) if skip < len(document.pages)
                    else b"")
    run.pages += len(document.pages)


def sliceable(html: str) -> bool:
    """Whether a piece may be laid out in slices: long, without notes or links inside it."""
    return len(html) >= 2 * SLICE_CHARS and 'href="#' not in html and "footnote" not in html


def in_slices(html: str, lay_out: Callable[[str], Any], prebroken: Prebroken | None,
              write: Callable[[Any], bytes], lead_pages: int = 0,
              release: Callable[[], None] = lambda: None) -> Run | None:
    """The one-chapter document laid out a slice at a time (``lead_pages``: its own first
    pages, left out of the PDF), or None where it is not one section of elements. A slice
    none of whose pages but its first may begin the next is laid out again twice as long."""
    cut = outline(html)
    if cut is None or len(cut.children) < 2:
        return None
    run = Run()
    start = Restart(0)
    children = cut.children
    budget = SLICE_CHARS
    while True:
        end, size = start.child + 1, 0
        while end < len(children) and size < budget:
            size += children[end].end - children[end].start
            end += 1
        first = not run.pages
        leads = 0 if first else 1 if run.pages % 2 else 2
        document = lay_out(slice_html(html, cut, start, end, leads, first))
        run.layouts += 1
        pages = document.pages[leads:]
        if end >= len(children):
            _kept(run, document.copy(pages), start, lead_pages if first else 0, write)
            return run
        following = None
        kept = len(pages) - 1
        # A slice keeps a page of the chapter at least (not only its lead page).
        least = 1 + (lead_pages if first else 0)
        while kept >= least and following is None:
            following = restart_at(pages, kept, start, prebroken)
            if following is None:
                kept -= 1
        if following is None:
            # No page of this slice but its first may begin the next: a longer slice.
            del document, pages
            release()
            budget *= 2
            continue
        _kept(run, document.copy(pages[:kept]), start, lead_pages if first else 0, write)
        del document, pages
        release()
        start, budget = following, SLICE_CHARS


def joined_slices(pdfs: list[bytes]) -> bytes:
    """The slices' PDFs as one piece's: their pages in order, one name tree of their named
    destinations (a name the first slice that has it gives, as in one document)."""
    import io

    import pikepdf

    parts = [pdf for pdf in pdfs if pdf]
    if len(parts) == 1:
        return parts[0]
    opened = [pikepdf.open(io.BytesIO(pdf)) for pdf in parts]
    try:
        base = opened[0]
        found: dict[str, tuple[int, list[Any]]] = {}
        offset = 0
        for pdf in opened:
            names = pdf.Root.get("/Names")
            dests = names.get("/Dests") if names is not None else None
            array: Any = dests.get("/Names", pikepdf.Array()) if dests is not None else []
            index_of = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
            for k in range(0, len(array), 2):
                page = index_of.get(array[k + 1][0].objgen)
                if page is not None:
                    found.setdefault(str(array[k]), (offset + page, list(array[k + 1])[1:]))
            offset += len(pdf.pages)
        for pdf in opened[1:]:
            base.pages.extend(pdf.pages)
        if found:
            flat = pikepdf.Array()
            for name in sorted(found):
                page, rest = found[name]
                flat.append(pikepdf.String(name))
                flat.append(pikepdf.Array([base.pages[page].obj, *rest]))
            if "/Names" not in base.Root:
                base.Root.Names = pikepdf.Dictionary()
            base.Root.Names.Dests = base.make_indirect(pikepdf.Dictionary(Names=flat))
        out = io.BytesIO()
        base.save(out, deterministic_id=True)
        return out.getvalue()
    finally:
        for pdf in opened:
            pdf.close()
