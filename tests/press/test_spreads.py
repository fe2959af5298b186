"""Level spreads: the plan that gives facing pages the same depth, on made-up chapters (the
planner reads line positions, so a chapter is a list of lines), and on a small book laid out
by WeasyPrint and read back with pypdfium2."""

from __future__ import annotations

import itertools
import random
from dataclasses import replace

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from octavo.model import Book, Chapter, Metadata, Paragraph, Text
from octavo.press.document import PdfOptions
from octavo.press.pieces import render_pdf
from octavo.press.settings import PrintSettings
from octavo.press.spreads import BodyLine, PageFacts, break_points, plan_chapter
from octavo.press.spreads import Chapter as Run
from octavo.proof import FOOT_ZONE_PT, HEAD_ZONE_PT, uneven_spreads
from octavo.themes import load_theme

LEADING = 20.0
TOP = 100.0
CAPACITY = 10  # lines a body page holds


def run_of(paragraph_lines: list[int], opener_capacity: int = 6,
           browser: list[int] | None = None) -> tuple[Run, list[PageFacts]]:
    """A chapter of paragraphs of the given line counts, as the browser would lay it out
    (``browser``: its lines per page; default: pages filled where widows and orphans allow)."""
    owners = [n for n, count in enumerate(paragraph_lines) for _ in range(count)]
    pages = browser or greedy_pages(paragraph_lines, opener_capacity)
    lines: list[BodyLine] = []
    page_tops = {0: TOP + (CAPACITY - opener_capacity) * LEADING}
    cursor = 0
    for page, count in enumerate(pages):
        top = page_tops.get(page, TOP)
        for k in range(count):
            lines.append(BodyLine(page, top + k * LEADING, "c", owners[cursor], 2, 2))
            cursor += 1
    facts = [PageFacts(TOP + CAPACITY * LEADING, False) for _ in pages]
    return Run("c", 0, lines, pages), facts


def greedy_pages(paragraph_lines: list[int], opener_capacity: int) -> list[int]:
    """Pages filled as far as two-line widows and orphans allow."""
    breaks = set(itertools.accumulate(paragraph_lines))
    inside = {start + k for start, count in zip(itertools.accumulate([0, *paragraph_lines]),
                                                paragraph_lines, strict=False)
              for k in range(2, count - 1)}
    total, t, pages = sum(paragraph_lines), 0, []
    capacity = opener_capacity
    while total - t > capacity:
        depth = next(d for d in range(capacity, 0, -1) if t + d in breaks | inside)
        pages.append(depth)
        t += depth
        capacity = CAPACITY
    pages.append(total - t)
    return pages


def depths(plan: list[int], total: int) -> list[int]:
    bounds = [0, *plan, total]
    return [b - a for a, b in itertools.pairwise(bounds)]


def test_a_short_verso_and_full_recto_become_a_level_spread() -> None:
    # One-line paragraphs: a page may end anywhere; the browser's spreads end unevenly.
    run, facts = run_of([1] * 44, browser=[6, 9, 10, 10, 9])
    plan = plan_chapter(run, facts, lambda _p: 0)
    assert plan is not None
    assert depths(plan, len(run.lines)) == [6, 10, 10, 10, 8]


def test_breaks_respect_widows_and_orphans() -> None:
    chapter = [5, 3, 7, 2, 6, 4, 3, 5, 2, 8, 3]
    # The browser's spreads uneven, so the planner moves breaks (a level layout gets no plan).
    run, facts = run_of(chapter, browser=[6, 9, 10, 10, 10, 3])
    plan = plan_chapter(run, facts, lambda _p: 0)
    assert plan is not None
    starts = list(itertools.accumulate([0, *chapter]))
    for t in plan:
        paragraph = max(i for i, s in enumerate(starts[:-1]) if s <= t)
        inside = t - starts[paragraph]
        assert inside == 0 or (inside >= 2 and chapter[paragraph] - inside >= 2), (t, plan)


def test_a_paragraph_that_may_not_split_is_never_split() -> None:
    chapter = [3, 12, 4, 9, 5]
    run, facts = run_of(chapter, browser=[6, 10, 10, 7])
    plan = plan_chapter(run, facts, lambda p: None if p == 1 else 0)
    starts = list(itertools.accumulate([0, *chapter]))
    assert plan is None or not any(starts[1] < t < starts[2] for t in plan)


def test_lines_beside_a_drop_capital_stay_with_it() -> None:
    # The opening paragraph's first three lines stand beside a three-line capital: a page
    # may not begin among them, though orphans alone would allow line 2.
    chapter = [12, 4, 6, 9, 5, 8, 3]
    breaks = break_points(run_of(chapter)[0].lines, lambda p: 3 if p == 0 else 0)
    assert breaks[:5] == [True, False, False, True, True]
    assert break_points(run_of(chapter)[0].lines, lambda _p: 0)[2]


def test_a_chapter_with_a_page_ended_early_on_purpose_is_left_alone() -> None:
    # The second page ends five lines short: an editor's page break the lines do not show.
    run, facts = run_of([1] * 40, browser=[6, 5, 10, 10, 9])
    assert plan_chapter(run, facts, lambda _p: 0) is None


def test_level_pages_are_left_as_they_are() -> None:
    run, facts = run_of([6, 10, 10, 4], browser=[6, 10, 10, 4])
    assert plan_chapter(run, facts, lambda _p: 0) is None


# ----------------------------------------------------------------------------- laid out

SENTENCES = (
    "She said nothing for a while.", "The lamps were lit along the quay.",
    "Beyond the breakwater the sea was grey and quiet, and the gulls had gone inland.",
    "He asked whether the boat had come in, and whether anyone had seen the pilot.",
    "“Not yet,” said the harbour-master, without looking up from his ledger.",
    "The wind had turned in the night and the tide was running against it.",
    "Nobody on the quay could remember a spring like it.",
)


def novel_book(chapters: int = 2) -> Book:
    """Paragraphs of one to eight sentences, as a novel's narrative and dialogue mix them:
    widow and orphan control leaves some pages short."""
    rng = random.Random(7)
    body = []
    for c in range(chapters):
        paragraphs = []
        for n in range(110):
            count = rng.choice((1, 1, 2, 3, 4, 6, 8))
            text = " ".join(rng.choice(SENTENCES) for _ in range(count))
            paragraphs.append(Paragraph((Text(f"{n}. {text}"),)))
        body.append(Chapter((Text(f"Part of the Night {c + 1}"),), c + 1, tuple(paragraphs)))
    return Book(metadata=Metadata(title="Harbour", authors=("A. Writer",), language="en",
                                  identifier="urn:uuid:00000000-0000-4000-8000-0000000051ad"),
                body=tuple(body))


@pytest.fixture(scope="module")
def both_ways() -> dict[bool, bytes]:
    book = novel_book()
    out = {}
    for level in (False, True):
        press = replace(PrintSettings(), level_spreads=level)
        out[level] = render_pdf(book, PdfOptions(theme=load_theme("classic"), press=press)).data
    return out


def test_levelling_mends_uneven_spreads(both_ways: dict[bool, bytes]) -> None:
    spreads, uneven = uneven_spreads(both_ways[False])
    assert spreads >= 6 and uneven >= 2  # else this book does not test the planner
    spreads_level, uneven_level = uneven_spreads(both_ways[True])
    assert spreads_level >= 6 and uneven_level < uneven


def test_levelling_keeps_every_word_in_order(both_ways: dict[bool, bytes]) -> None:
    def body_words(data: bytes) -> list[str]:
        """The words between running heads and folios, page after page."""
        doc = pdfium.PdfDocument(data)
        words = []
        try:
            for i in range(len(doc)):
                page = doc[i]
                width, height = page.get_size()
                text = page.get_textpage().get_text_bounded(0, FOOT_ZONE_PT, width,
                                                            height - HEAD_ZONE_PT)
                words.extend(text.replace("\ufffe", "-").split())
        finally:
            doc.close()
        return words

    plain, level = body_words(both_ways[False]), body_words(both_ways[True])
    assert len(plain) > 3000 and plain == level


@given(st.lists(st.integers(min_value=1, max_value=12), min_size=8, max_size=40),
       st.integers(min_value=4, max_value=CAPACITY))
@settings(max_examples=150, deadline=None)
def test_any_plan_fits_its_pages_and_keeps_widows_and_orphans(
        paragraph_lines: list[int], opener_capacity: int) -> None:
    run, facts = run_of(paragraph_lines, opener_capacity)
    plan = plan_chapter(run, facts, lambda _p: 0)
    if plan is None:
        return
    planned = depths(plan, len(run.lines))
    assert planned[0] <= opener_capacity and all(0 < d <= CAPACITY for d in planned[1:])
    allowed = break_points(run.lines, lambda _p: 0)
    assert all(allowed[t] for t in plan)
    # Levelling never costs the chapter a page the browser did without.
    assert len(planned) <= len(run.pages)


def test_a_plan_whose_chapter_did_not_hold_is_laid_out_again_without_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """One planned chapter failing leaves the others level, not the whole book unlevelled."""
    from octavo.press import spreads

    plan = spreads.SpreadPlan({3: 20, 9: 18}, {"chapter-1": [30, 20], "chapter-2": [30, 18]},
                              {3: "chapter-1", 9: "chapter-2"})
    assert plan.only({"chapter-2"}) == spreads.SpreadPlan({9: 18}, {"chapter-2": [30, 18]},
                                                          {9: "chapter-2"})

    class Lines:
        def html(self, page_starts: dict[int, int] | None = None) -> str:
            return repr(sorted((page_starts or {}).items()))

    laid: list[str] = []

    def lay_out(html: str) -> str:
        laid.append(html)
        return html

    def held(wanted: spreads.SpreadPlan, document: str) -> set[str]:
        # Laid out with both chapters' breaks, the first chapter's lines moved.
        return {"chapter-2"} if "3" in document else set(wanted.pages)

    # A layout's pages read as the layout itself (the HTML it was laid out from).
    monkeypatch.setattr(spreads, "plan_of_pages", lambda _lines, _document, _facts: plan)
    monkeypatch.setattr(spreads, "held_of_pages",
                        lambda wanted, document, _facts: held(wanted, document))
    document, html, layouts = spreads.laid_out_level(
        Lines(), lay_out, pages_of=lambda document: (document, []))  # type: ignore[arg-type]
    assert layouts == 3 and laid == ["[]", "[(3, 20), (9, 18)]", "[(9, 18)]"]
    assert document == html == "[(9, 18)]"
