"""The optimal-fit breaker on small paragraphs (pure: widths are plain numbers)."""

from __future__ import annotations

import itertools
import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from octavo.press.linebreak import (
    INFINITY,
    Attempt,
    Box,
    BreakParams,
    Glue,
    Item,
    Line,
    Penalty,
    _extend_sums,
    best_breaks,
    break_lines,
    demerits_of_penalty,
    greedy_breaks,
    legal_breaks,
    next_line_start,
)

SPACE = 5.0


def paragraph(widths: list[float], hyphen_points: dict[int, list[float]] | None = None,
              ) -> list[Item]:
    """Words of the given widths separated by spaces that stretch to 1.5x and shrink to 0.8x;
    ``hyphen_points[i]`` splits word ``i`` into pieces of those widths, a hyphen between."""
    items: list[Item] = []
    for i, width in enumerate(widths):
        if i:
            items.append(Glue(SPACE, SPACE * 0.5, SPACE * 0.2))
        pieces = (hyphen_points or {}).get(i, [width])
        for k, piece in enumerate(pieces):
            if k:
                items.append(Penalty(3.0, 50.0, flagged=True))
            items.append(Box(piece))
    items += [Penalty(0.0, INFINITY), Glue(0.0, 1e9), Penalty(0.0, -INFINITY)]
    return items


def natural_width(items: list[Item], line: Line) -> float:
    width = sum(i.width for i in items[line.start:line.end] if not isinstance(i, Penalty))
    end = items[line.end]
    return width + (end.width if isinstance(end, Penalty) else 0.0)


def shrinkable(items: list[Item], line: Line) -> float:
    return sum(i.shrink for i in items[line.start:line.end] if isinstance(i, Box | Glue))


def test_optimal_fit_evens_out_what_first_fit_leaves_loose() -> None:
    # First fit fills line 1 with five short words and leaves line 2 twice as loose as a
    # space may go (ratio 4); looking at the paragraph as a whole spreads the room evenly.
    items = paragraph([10, 10, 15, 15, 10, 20, 20, 30, 35, 40])
    greedy = greedy_breaks(items, lambda n: 100)
    optimal = break_lines(items, lambda n: 100)
    assert optimal is not None
    assert [round(line.ratio, 2) for line in greedy] == [2.0, 4.0, 0.0]
    assert len(optimal) == len(greedy)
    assert max(line.ratio for line in optimal) <= 1.0
    assert all(line.ratio >= -1.0 for line in optimal)


def test_lines_cover_every_item_once_in_order() -> None:
    items = paragraph([random.Random(3).choice([10, 20, 30]) for _ in range(40)])
    lines = break_lines(items, lambda n: 120)
    assert lines is not None
    assert lines[0].start == 0 and lines[-1].end == len(items) - 1
    for before, after in itertools.pairwise(lines):
        # The next line starts at the first box after the break: only the break's own glue
        # (or penalty) is dropped between them.
        assert after.start == before.end + 1
        assert isinstance(items[after.start], Box)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=5, max_value=60), min_size=1, max_size=60),
       st.integers(min_value=70, max_value=200))
def test_no_line_is_wider_than_the_measure(widths: list[int], measure: int) -> None:
    items = paragraph([float(w) for w in widths])
    name, lines = best_breaks([Attempt("plain", items)], lambda n: float(measure))
    assert name in ("plain", "emergency")
    for line in lines:
        # Set at its ratio, a line fits: shrinking never goes past the glue's shrinkability.
        assert line.ratio >= -1.0
        assert natural_width(items, line) - shrinkable(items, line) <= measure + 1e-6
    # The last line is never stretched (it is set ragged); like TeX, it may shrink a little.
    assert -1.0 <= lines[-1].ratio <= 0.0


def broken_words(widths: list[int], gains: list[float]) -> list[Item]:
    """Words cut in two halves at a hyphenation point whose second half is ``gains[i]``
    wider set alone at a line's start (a ligature across the break lost) than in the word."""
    items: list[Item] = []
    for i, width in enumerate(widths):
        if i:
            items.append(Glue(SPACE, SPACE * 0.5, SPACE * 0.2))
        items += [Box(width / 2), Penalty(3.0, 50.0, True, gains[i % len(gains)]),
                  Box(width / 2)]
    return [*items, Penalty(0.0, INFINITY), Glue(0.0, 1e9), Penalty(0.0, -INFINITY)]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=10, max_value=60), min_size=1, max_size=60),
       st.lists(st.floats(min_value=-2.0, max_value=8.0), min_size=1, max_size=5),
       st.integers(min_value=70, max_value=200))
def test_a_line_begun_in_a_broken_word_has_room_for_its_start(
        widths: list[int], gains: list[float], measure: int) -> None:
    """Each line's ratio is that of its natural width with its start's gain: set at it, the
    line is exactly the measure (a shrunk line never too wide), first fit and optimal fit."""
    items = broken_words(widths, gains)
    _, optimal = best_breaks([Attempt("hyphenated", items)], lambda n: float(measure))
    for lines in (optimal, greedy_breaks(items, lambda n: float(measure))):
        for before, line in itertools.pairwise([None, *lines]):
            brk = items[before.end] if before is not None else None
            natural = natural_width(items, line) + (
                brk.after if isinstance(brk, Penalty) else 0.0)
            if -1.0 <= line.ratio < 0.0:
                assert natural + line.ratio * shrinkable(items, line) == pytest.approx(measure)
            elif 0.0 < line.ratio < math.inf:
                stretch = sum(i.stretch for i in items[line.start:line.end]
                              if isinstance(i, Box | Glue))
                assert natural + line.ratio * stretch == pytest.approx(measure)


def test_first_line_measure_is_its_own() -> None:
    # An indented first line (or one under a ::first-line in wider letters) has less room.
    items = paragraph([20.0] * 16)
    lines = break_lines(items, lambda n: 95.0 if n == 0 else 120.0)
    assert lines is not None
    first = lines[0]
    assert natural_width(items, first) - shrinkable(items, first) <= 95.0
    assert natural_width(items, lines[1]) > 95.0


@pytest.mark.parametrize("limit", [1, 2])
def test_never_more_consecutive_hyphenated_lines_than_allowed(limit: int) -> None:
    rng = random.Random(7)
    widths = [float(rng.choice([36, 42, 48, 54])) for _ in range(80)]
    # Every word may break in the middle: a breaker that only minimised looseness would
    # hyphenate line after line.
    points = {i: [w / 2, w / 2] for i, w in enumerate(widths)}
    items = paragraph(widths, points)

    def longest_run(params: BreakParams) -> int:
        lines = break_lines(items, lambda n: 150.0, params)
        assert lines is not None
        run = longest = 0
        for line in lines:
            run = run + 1 if line.hyphenated else 0
            longest = max(longest, run)
        return longest

    assert longest_run(BreakParams(tolerance=math.inf, max_consecutive_hyphens=99)) >= 4
    assert longest_run(BreakParams(tolerance=math.inf, max_consecutive_hyphens=limit)) == limit


def test_penultimate_line_never_ends_in_a_hyphen() -> None:
    # Ending the paragraph's second-to-last line in a hyphen leaves a word split across the
    # last break (TeX charges \finalhyphendemerits for it); here it is refused outright.
    items = paragraph([20.0, 30.0, 45.0, 45.0], {2: [22.5, 22.5]})
    allowed = break_lines(items, lambda n: 100.0, BreakParams(
        tolerance=math.inf, final_hyphen=True, final_hyphen_demerits=0))
    assert allowed is not None and allowed[0].hyphenated  # the least loose choice...
    lines = break_lines(items, lambda n: 100.0, BreakParams(tolerance=math.inf))
    assert lines is not None and len(lines) == 2
    assert not lines[0].hyphenated  # ...is not taken


def test_attempts_stop_at_the_first_that_sets_the_paragraph() -> None:
    widths = [30.0, 30.0, 45.0, 20.0, 45.0, 35.0, 50.0]
    plain = paragraph(widths)
    # Cannot be set within tolerance without its hyphenation point...
    assert break_lines(plain, lambda n: 100.0) is None
    hyphenated = paragraph(widths, {2: [22.5, 22.5]})
    built: list[str] = []

    def attempts():  # type: ignore[no-untyped-def]
        for name, items in (("plain", plain), ("hyphenated", hyphenated), ("never", plain)):
            built.append(name)
            yield Attempt(name, items)

    name, lines = best_breaks(attempts(), lambda n: 100.0)
    assert name == "hyphenated"
    assert built == ["plain", "hyphenated"]  # later attempts are not even built
    assert any(line.hyphenated for line in lines)


def test_a_word_wider_than_the_measure_gets_a_line_of_its_own() -> None:
    items = paragraph([30, 250, 30, 30])
    name, lines = best_breaks([Attempt("plain", items)], lambda n: 100.0)
    assert name == "emergency"
    texts = [[i.width for i in items[line.start:line.end] if isinstance(i, Box)]
             for line in lines]
    assert [250.0] in texts
    assert sum(len(t) for t in texts) == 4


def test_the_probe_measures_a_float_with_its_own_letters() -> None:
    """Lines beside a drop capital are as wide as that letter leaves them (W is wider than I),
    so the probe sets the real letter in the floating path, not a stand-in word."""
    from octavo.press.probes import probe_document
    from octavo.press.scan import scan_document

    scan = scan_document('<html><body><p><span class="initial">W</span>ithin a walk.</p>'
                         "</body></html>")
    signature = scan.paragraphs[0].signature
    paths = {signature: {pid for _, pid in scan.paragraphs[0].chars}}
    floating = frozenset(pid for ch, pid in scan.paragraphs[0].chars if ch == "W")
    probe = probe_document(scan, [signature], paths, {0: floating}, {0: "W"})
    assert '<span class="initial">W</span>' in probe
    stand_in = probe_document(scan, [signature], paths, {0: floating})
    assert '<span class="initial">W</span>' not in stand_in


def test_a_scan_by_runs_finds_what_a_scan_by_characters_finds() -> None:
    """The probe scans a whole book by runs: the same paragraphs, contexts, paths and text
    as a scan character by character, so a paragraph's measuring key is the same either way."""
    from octavo.press.lines import Measured
    from octavo.press.scan import scan_document

    document = ('<html lang="en"><body><section><h2>I</h2>'
                '<p class="first"><span class="initial">W</span>ithin &amp; <em>without'
                ' <strong>it</strong></em>, &#8220;so&#8221;.</p>'
                "<p>A <a href=\"#n1\" class=\"note\">1</a> note.</p>"
                "<p>Plain &eacute;t&eacute; <em>again</em></p><p></p>"
                "<blockquote><p>Quoted <i>words</i> here.</p></blockquote></section>"
                "</body></html>")
    by_chars, by_runs = scan_document(document), scan_document(document, runs=True)
    assert by_runs.paths == by_chars.paths and by_runs.html_tag == by_chars.html_tag
    assert len(by_runs.paragraphs) == len(by_chars.paragraphs) == 3
    for run_paragraph, char_paragraph in zip(by_runs.paragraphs, by_chars.paragraphs,
                                             strict=True):
        assert (run_paragraph.start, run_paragraph.end, run_paragraph.signature,
                run_paragraph.after_paragraph) == (char_paragraph.start, char_paragraph.end,
                                                   char_paragraph.signature,
                                                   char_paragraph.after_paragraph)
        assert len(run_paragraph.chars) < len(char_paragraph.chars)
        for pid in range(len(by_chars.paths)):
            assert ("".join(t for t, p in run_paragraph.chars if p == pid)
                    == "".join(c for c, p in char_paragraph.chars if p == pid))
    floating = {by_chars.paragraphs[0].signature: frozenset({1})}
    measured = Measured(tuple(by_chars.paths), {}, floating)
    assert measured.key(by_runs.paragraphs[0]) == measured.key(by_chars.paragraphs[0])
    assert measured.key(by_runs.paragraphs[0])[1] == "W"


def test_a_runt_last_line_is_avoided_when_the_lines_above_can_give() -> None:
    # Set freely, the paragraph ends on a word of 10 alone; asked for a last line of at
    # least 20, the breaker carries more of the paragraph down, within tolerance.
    items = paragraph([15, 15, 22, 10, 8, 10, 12, 8, 18, 25, 18, 10])
    free = break_lines(items, lambda n: 100)
    assert free is not None and natural_width(items, free[-1]) == 10
    guarded = break_lines(items, lambda n: 100, BreakParams(min_last_line=20))
    assert guarded is not None and len(guarded) == len(free)
    assert natural_width(items, guarded[-1]) >= 20
    assert all(-1 <= line.ratio <= 1 for line in guarded)



def test_the_rest_of_a_word_broken_in_a_ligature_is_measured_as_set() -> None:
    """"dif-ferent": the word whole has an ff ligature, the two pieces of it broken do not.
    The line that begins with "ferent" is as wide as "ferent" shaped alone."""
    from pathlib import Path

    from octavo.press.lines import Typesetting, paragraph_items
    from octavo.press.paragraph_context import Context
    from octavo.press.shaping import FontFace, TextMeasurer

    font = Path(__file__).resolve().parents[2] / "styles/classic/fonts/EBGaramond12-Regular.ttf"
    face = FontFace.from_bytes(font.read_bytes(), 16.0)
    ctx = Context(300.0, 0.0, {0: face}, {0: face}, True, (5, 2, 2), "-", "en")
    measurer = TextMeasurer()
    chars = [(ch, 0) for ch in "a different word"]
    items, spans = paragraph_items(chars, ctx.faces, ctx, measurer, Typesetting(), {},
                                   hyphenate=True, flex=False)
    cut = next(n for n, (start, _, kind) in enumerate(spans) if kind == "hyphen"
               and "".join(ch for ch, _ in chars[start:]).startswith("ferent"))
    brk = items[cut]
    assert isinstance(brk, Penalty)
    rest = sum(item.width for item in itertools.takewhile(
        lambda item: not isinstance(item, Glue), items[cut + 1:]) if isinstance(item, Box))
    # The ligature is real: the word whole is narrower than its two pieces.
    assert measurer.width(face, "different") < (measurer.width(face, "dif")
                                                 + measurer.width(face, "ferent")) - 0.5
    assert rest + brk.after == pytest.approx(measurer.width(face, "ferent"))
    assert brk.width == pytest.approx(measurer.width(face, "dif-")
                                      - measurer.width(face, "dif"))


# break_lines' named steps


def test_legal_breaks_are_finite_penalties_and_glue_after_a_box() -> None:
    items: list[Item] = [Box(10), Glue(5, 2), Glue(5, 2), Box(10), Penalty(3, 50, True),
                         Penalty(0, INFINITY), Box(4), Glue(0, 100), Penalty(0, -INFINITY)]
    # The second glue follows glue, the infinite penalty forbids: neither may end a line.
    assert legal_breaks(items) == [1, 4, 7, 8]


def test_the_pass_that_sums_items_a_chunk_at_a_time_finds_their_legal_breaks() -> None:
    # The breaker reads its legal breaks off the running sums' pass as the items grow; a
    # glue at a chunk's start is legal after a box at the end of the chunk before.
    rng = random.Random(11)
    kinds: list[Item] = [Box(7.5, 0.3, 0.3), Box(4.25), Glue(5, 2.5, 1), Penalty(3, 50, True),
                         Penalty(0, INFINITY), Penalty(0, -INFINITY), Glue(0, 100)]
    for _ in range(300):
        items = [rng.choice(kinds) for _ in range(rng.randint(0, 40))]
        sums: tuple[list[float], list[float], list[float]] = ([0.0], [0.0], [0.0])
        found: list[int] = []
        grown: list[Item] = []
        while len(grown) < len(items):
            start = len(grown)
            grown.extend(items[start:start + rng.randint(1, 6)])
            _extend_sums(grown, start, sums, found)
        assert found == legal_breaks(items)
        plain: tuple[list[float], list[float], list[float]] = ([0.0], [0.0], [0.0])
        _extend_sums(items, 0, plain)
        assert sums == plain
        assert sums[0] == list(itertools.accumulate(
            (0.0 if isinstance(item, Penalty) else item.width for item in items),
            initial=0.0))


def test_demerits_of_a_penalty() -> None:
    assert demerits_of_penalty(50) == 2500
    assert demerits_of_penalty(-50) == -2500  # a wanted break lowers its line's demerits
    assert demerits_of_penalty(-INFINITY) == 0.0  # a forced break is no choice


def test_the_next_line_starts_at_its_first_box_or_forced_break() -> None:
    items: list[Item] = [Box(10), Glue(5, 2), Penalty(0, 50), Box(10), Glue(5, 2),
                         Penalty(0, -INFINITY)]
    assert next_line_start(items, 1) == 3  # the space and the penalty vanish
    assert next_line_start(items, 4) == 5  # a forced break still ends the paragraph


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(5, 60), min_size=1, max_size=40), st.integers(1, 7),
       st.sampled_from([1.0, math.inf]), st.booleans())
def test_items_read_as_made_set_the_lines_the_whole_paragraph_sets(
        widths: list[int], step: int, tolerance: float, lead_in: bool) -> None:
    # A paragraph's items handed over a few at a time (``more``), as an attempt makes them,
    # give the lines they give all at once, and one that fails fails the same.
    rng = random.Random(len(widths) * 31 + step)
    items = paragraph([float(w) for w in widths],
                      {i: [w / 2, w / 2] for i, w in enumerate(widths) if rng.random() < 0.3})
    first = [replace_width(item, 1.1) for item in items] if lead_in else None
    params = BreakParams(tolerance=tolerance)
    whole = break_lines(items, lambda n: 100.0, params, 1, first)
    read: list[Item] = []
    read_first: list[Item] | None = [] if lead_in else None
    calls = 0

    def more() -> bool:
        nonlocal calls
        calls += 1
        if len(read) == len(items):
            return False
        upto = min(len(items), len(read) + step)
        read.extend(items[len(read):upto])
        if read_first is not None and first is not None:
            read_first.extend(first[len(read_first):upto])
        return True

    assert break_lines(read, lambda n: 100.0, params, 1, read_first, more) == whole
    if whole is not None:
        assert read == items and calls > len(items) // step


def replace_width(item: Item, factor: float) -> Item:
    if isinstance(item, Box):
        return Box(item.width * factor, item.stretch, item.shrink)
    return item


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(5, 60), min_size=3, max_size=40), st.integers(1, 7),
       st.sampled_from([1.0, math.inf]))
def test_a_lead_in_is_read_no_further_than_a_first_line_can_reach(
        widths: list[int], step: int, tolerance: float) -> None:
    # Once no line from the paragraph's start can end any later, the breaker says so and
    # reads no more of the first line's items: what comes after (here, boxes a mile wide)
    # changes nothing, through a failed attempt and the emergency one after it.
    rng = random.Random(len(widths) * 17 + step)
    items = paragraph([float(w) for w in widths],
                      {i: [w / 2, w / 2] for i, w in enumerate(widths) if rng.random() < 0.3})
    first = [replace_width(item, 1.3) for item in items]
    params = BreakParams(tolerance=tolerance)
    whole = best_breaks([Attempt("lead-in", items, first)], lambda n: 100.0, params, 1)
    read: list[Item] = []
    read_first: list[Item] = []
    over: list[int] = []

    def more() -> bool:
        if len(read) == len(items):
            return False
        upto = min(len(items), len(read) + step)
        read.extend(items[len(read):upto])
        made = [Box(1e6)] * (upto - len(read_first)) if over else first[len(read_first):upto]
        read_first.extend(made)
        return True

    attempt = Attempt("lead-in", read, read_first, more, lambda: over.append(len(read)))
    assert best_breaks([attempt], lambda n: 100.0, params, 1) == whole
    assert len(over) <= 2  # once a pass: the attempt, and the emergency one if it failed
    if sum(widths) > 400:  # four lines or more: the first is over well before the end
        assert over and over[0] < len(items) // 2
