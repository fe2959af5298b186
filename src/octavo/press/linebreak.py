"""Optimal-fit paragraph breaking (Knuth & Plass, "Breaking Paragraphs into Lines", 1981).

A paragraph is a sequence of boxes (unbreakable material), glue (spaces that may stretch and be
broken at) and penalties (possible breaks inside words: hyphenation points, after hard hyphens
and dashes). The breaker chooses the breaks that minimise the total demerits of the paragraph,
instead of filling each line greedily as browsers do, which is what keeps word spaces even.

Pure and format-free: widths are numbers in one unit chosen by the caller.
"""

from __future__ import annotations

import itertools
import math
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Final

INFINITY = 10_000  # a penalty this large forbids a break; its negative forces one


@dataclass(frozen=True, slots=True)
class Box:
    width: float
    # Boxes may give a little too: letter-spacing spread over their characters.
    stretch: float = 0.0
    shrink: float = 0.0


@dataclass(frozen=True, slots=True)
class Glue:
    width: float
    stretch: float
    shrink: float = 0.0
    text: str = " "


@dataclass(frozen=True, slots=True)
class Penalty:
    width: float
    cost: float
    # A flagged break ends its line with a hyphen: two in a row cost extra, more are refused.
    flagged: bool = False
    # What the line that begins at this break gains when it is taken: a word broken here is
    # shaped in two pieces, and the second may lose a ligature or kerning across the break
    # (TeX's post-break text of a discretionary, as a width).
    after: float = 0.0


Item = Box | Glue | Penalty


@dataclass(frozen=True, slots=True)
class BreakParams:
    """TeX's names and defaults where they apply (plain.tex), ratios relative to the glue's
    stretch: 1.0 is a line whose spaces stretched by their whole stretchability."""

    tolerance: float = 1.0  # the largest adjustment ratio a line may have
    line_penalty: float = 10.0
    double_hyphen_demerits: float = 10_000.0
    final_hyphen_demerits: float = 50_000.0  # the penultimate line ending in a hyphen
    # Whether it may at all: a word split across a paragraph's last break is a blemish (and
    # a short last line hides between two hyphenated lines, a ladder to the eye).
    final_hyphen: bool = False
    adjacent_demerits: float = 10_000.0  # a very loose line next to a tight one
    # A paragraph's last line narrower than this (a "runt": one short word alone, often
    # with its closing quote) costs about as much as a line stretched almost to tolerance.
    min_last_line: float = 0.0
    short_last_line_demerits: float = 10_000.0
    max_consecutive_hyphens: int = 2  # three in a row is a "ladder"


@dataclass(frozen=True, slots=True)
class Line:
    """One chosen line: items ``start:end`` (the break item at ``end`` excluded) and its
    adjustment ratio (0 natural, 1 fully stretched, negative shrunk)."""

    start: int
    end: int
    ratio: float
    hyphenated: bool


# A feasible break as the breaker keeps it: (position, the line number after it, the fitness
# class of the line it ends, how many hyphenated lines end in it, total demerits, that line's
# ratio, the break before). A plain tuple: a paragraph makes tens of thousands, and a tuple
# is made without a call to __init__.
_Node = tuple[int, int, int, int, float, float, "_Node | None"]
_POSITION: Final = 0
_LINE: Final = 1
_FITNESS: Final = 2
_HYPHENS: Final = 3
_DEMERITS: Final = 4
_RATIO: Final = 5
_PREVIOUS: Final = 6


def fitness_class(ratio: float) -> int:
    """TeX's four classes: tight, decent, loose, very loose."""
    if ratio < -0.5:
        return 0
    if ratio <= 0.5:
        return 1
    if ratio <= 1.0:
        return 2
    return 3


def is_legal_break(items: Sequence[Item], i: int) -> bool:
    item = items[i]
    if isinstance(item, Penalty):
        return item.cost < INFINITY
    if isinstance(item, Glue):
        return i > 0 and isinstance(items[i - 1], Box)
    return False


def break_lines(
    items: Sequence[Item],
    line_width: Callable[[int], float],
    params: BreakParams = BreakParams(),
    varying_lines: int = 1,
    first_line_items: Sequence[Item] | None = None,
    more: Callable[[], bool] | None = None,
    first_line_over: Callable[[], None] | None = None,
) -> list[Line] | None:
    """The best set of lines for ``items`` (which must end with a forced break), or None when
    no line can be set within ``params.tolerance``.

    ``line_width(n)`` is the measure of line ``n`` (0-based); lines from ``varying_lines`` on
    must all have the same width, so that active breaks need not be told apart by line number.
    ``first_line_items``, the same items measured in the first line's face (CSS
    ``::first-line``, such as a small-capital lead-in), are used for line 0.

    ``more``: the items are made as the breaker reads them. Each call appends some to
    ``items`` (lists, then, and as many to ``first_line_items``) and says whether it did;
    the last it appends end the paragraph. A paragraph that cannot be set within tolerance
    mostly fails a third of the way in, and the rest of its items are never made.
    ``first_line_over`` is called once no line from the paragraph's start can end at a
    later break: ``first_line_items`` are not read past the items there were then (``more``
    may extend them with anything).
    """
    assert varying_lines >= 1
    # The running sums, and the legal breaks (``legal_breaks``) found in the same pass.
    sum_w, sum_y, sum_z = body_sums = ([0.0], [0.0], [0.0])
    breaks: list[int] = []
    _extend_sums(items, 0, body_sums, breaks)
    if first_line_items is not None:
        assert len(first_line_items) == len(items)
        first_sums = _running_sums(first_line_items)
    else:
        first_sums = (sum_w, sum_y, sum_z)

    # Whether a line from the paragraph's start may still end: the first line's items and
    # sums are read while it may (only the first break's node starts there).
    first_line_open = first_line_items is not None

    def grow() -> bool:
        """More items from ``more``, and their running sums."""
        known = len(items)
        if more is None or not more():
            return False
        _extend_sums(items, known, body_sums, breaks)
        if first_line_items is not None:
            assert len(first_line_items) == len(items)
            if first_line_open:
                _extend_sums(first_line_items, known, first_sums)
        return True

    starts: dict[int, int] = {0: 0}
    # line_width by line class: lines from varying_lines on share one width.
    widths = [line_width(line) for line in range(varying_lines + 1)]
    first_w, first_y, first_z = first_sums

    def entry(start: int, gain: float, nodes: list[_Node]) -> _Active:
        """An active break's entry: when its nodes share a line class, what each line from
        it needs read once (its line's measure, and the running sums at its start)."""
        line = nodes[0][_LINE]
        if len(nodes) == 1:  # most breaks have one node
            uniform = line if line < varying_lines else varying_lines
        else:
            uniform = _uniform_class(nodes, varying_lines)
        w, y, z = (sum_w, sum_y, sum_z) if line else first_sums
        target = widths[uniform] if uniform >= 0 else 0.0
        w_start, y_start = w[start], y[start]
        # A break whose width + tolerance * stretch (running sums, ``reach``) is below this
        # ends a line from here too short to be feasible (ratio above tolerance). Not known
        # for several line classes, nor for the first line's own sums.
        floor = (target + w_start + tolerance * y_start - gain - _REACH_MARGIN
                 if uniform >= 0 and (line or first_line_items is None) and tolerance < inf
                 else -inf)
        return (start, gain, uniform, nodes, line, target, w_start, y_start, z[start], floor)

    # Active breaks by position: the line that starts after it, what that line gains from a
    # word broken there, the line class its nodes share (-1: several), and its nodes, which
    # differ only in line number (for the first lines), fitness class and how many
    # hyphenated lines end in them (then, for a shared class, ``entry``'s). A dict, in the
    # order the breaks were found: ties between equal demerits go to the break found first.
    root: _Node = (0, 0, 1, 0, 0.0, 0.0, None)
    tolerance, max_hyphens = params.tolerance, params.max_consecutive_hyphens
    inf = math.inf
    active: dict[int, _Active] = {0: entry(0, 0.0, [root])}
    # The lowest floor of the active breaks: a break below it is too short for every one of
    # them and changes nothing (most legal breaks: lines still filling up), so it is skipped
    # before anything else is read of it.
    floor = active[0][9]
    line_penalty, adjacent = params.line_penalty, params.adjacent_demerits
    final_hyphen, double_hyphen = params.final_hyphen, params.double_hyphen_demerits
    final_hyphen_demerits = params.final_hyphen_demerits
    min_last_line, short_last_line = params.min_last_line, params.short_last_line_demerits

    def ratio_of(line: int, start: int, b: int, extra_width: float, gain: float,
                 forced: bool) -> tuple[float, float]:
        """The adjustment ratio and natural width of line number ``line`` from ``start`` to
        a break at ``b`` that adds ``extra_width`` (a hyphen), ``gain`` what a word broken
        before it adds."""
        sw, sy, sz = (sum_w, sum_y, sum_z) if line else first_sums
        width = sw[b] - sw[start] + extra_width + gain
        target = widths[line if line < varying_lines else varying_lines]
        if width < target:
            stretch = sy[b] - sy[start]
            ratio = (target - width) / stretch if stretch > 0 else inf
        elif width > target:
            shrink = sz[b] - sz[start]
            ratio = (target - width) / shrink if shrink > 0 else -inf
        else:
            ratio = 0.0
        if forced and ratio > 0:
            ratio = 0.0  # the last line is set at its natural width
        return ratio, width

    # The loop below runs for every legal break against every active one: its lookups are
    # local names, and the common case (every node at a break in one line class) computes
    # its line's ratio and demerits inline, once for all its nodes. The legal breaks are
    # read a chunk at a time, the items grown as they are read.
    read = 0  # legal breaks read
    while read < len(breaks) or grow():
        known = len(breaks)
        for b in breaks[read:known]:
            item = items[b]
            # How far a line ending here may reach (``entry``'s floors), a forced break any.
            if type(item) is Penalty:
                penalty, base_extra_width = item.cost, item.width
                forced = penalty <= -INFINITY
                reach = inf if forced else sum_w[b] + base_extra_width + tolerance * sum_y[b]
                if reach < floor:
                    continue
                flagged = item.flagged
                # demerits_of_penalty, inline
                penalty_demerits = penalty * penalty if penalty >= 0 else (
                    -penalty * penalty if not forced else 0.0)
            else:
                reach = sum_w[b] + tolerance * sum_y[b]
                if reach < floor:
                    continue
                penalty, flagged, base_extra_width = 0.0, False, 0.0
                forced, penalty_demerits = False, 0.0
            w_b, y_b, z_b = sum_w[b], sum_y[b], sum_z[b]
            first_extra_width, fw_b, fy_b, fz_b = base_extra_width, w_b, y_b, z_b
            if first_line_open:
                brk = first_line_items[b]  # type: ignore[index]
                first_extra_width = brk.width if type(brk) is Penalty else 0.0
                fw_b, fy_b, fz_b = first_w[b], first_y[b], first_z[b]
            candidates: dict[tuple[int, int, int], _Node] = {}
            changed = False
            ended: list[int] = []  # positions no longer active, dropped after the loop
            for position, (start, gain, uniform, nodes, line, target, w_start, y_start,
                           z_start, reached_from) in active.items():
                if reach < reached_from:
                    # Too short a line from this break (most of them, while the lines from
                    # the latest breaks fill up): what the ratio below would say, unread.
                    continue
                if uniform >= 0:
                    # One class for every node here: a line too short for all of them keeps
                    # them all and makes no break; one too long drops them all.
                    if line:
                        width = w_b - w_start + base_extra_width + gain
                    else:
                        width = fw_b - w_start + first_extra_width + gain
                    if width < target:
                        stretch = (y_b if line else fy_b) - y_start
                        ratio = (target - width) / stretch if stretch > 0 else inf
                    elif width > target:
                        shrink = (z_b if line else fz_b) - z_start
                        ratio = (target - width) / shrink if shrink > 0 else -inf
                    else:
                        ratio = 0.0
                    if forced and ratio > 0:
                        ratio = 0.0  # the last line is set at its natural width
                    if ratio > tolerance and not forced:
                        continue
                    if ratio < -1:
                        ended.append(position)
                        continue
                    if not ratio > tolerance:
                        # The line's badness and fitness, the same for every node here.
                        bad = 100.0 * abs(ratio) ** 3
                        line_demerits = (line_penalty + bad) ** 2 + penalty_demerits
                        # TeX's four classes: tight, decent, loose, very loose.
                        fitness = 0 if ratio < -0.5 else 1 if ratio <= 0.5 else 2 \
                            if ratio <= 1.0 else 3
                        short = forced and width < min_last_line
                        # The line class after a node here: the same for every one.
                        next_class = uniform + 1 if uniform < varying_lines else varying_lines
                        if not flagged and max_hyphens >= 0:
                            # One candidate for them all (no hyphen ends this line): the
                            # first of the least demerits, as the loop below finds it.
                            cand_key = (next_class, fitness, 0)
                            best = kept = candidates.get(cand_key)
                            for node in nodes:
                                node_hyphens = node[_HYPHENS]
                                if forced and node_hyphens and not final_hyphen:
                                    continue
                                demerits = line_demerits
                                if forced and node_hyphens:
                                    demerits += final_hyphen_demerits
                                if short and node[_LINE]:
                                    demerits += short_last_line
                                if abs(fitness - node[_FITNESS]) > 1:
                                    demerits += adjacent
                                total = node[_DEMERITS] + demerits
                                if best is None or total < best[_DEMERITS]:
                                    best = (b, node[_LINE] + 1, fitness, 0, total, ratio, node)
                            if best is not kept:
                                candidates[cand_key] = best  # type: ignore[assignment]
                        else:
                            for node in nodes:
                                node_hyphens = node[_HYPHENS]
                                hyphens = node_hyphens + 1 if flagged else 0
                                if hyphens > max_hyphens or (forced and node_hyphens
                                                             and not final_hyphen):
                                    continue
                                demerits = line_demerits
                                if flagged and node_hyphens:
                                    demerits += double_hyphen
                                if forced and node_hyphens:
                                    demerits += final_hyphen_demerits
                                if short and node[_LINE]:
                                    demerits += short_last_line
                                if abs(fitness - node[_FITNESS]) > 1:
                                    demerits += adjacent
                                total = node[_DEMERITS] + demerits
                                cand_key = (next_class, fitness, hyphens)
                                best = candidates.get(cand_key)
                                if best is None or total < best[_DEMERITS]:
                                    candidates[cand_key] = (b, node[_LINE] + 1, fitness, hyphens,
                                                            total, ratio, node)
                    if forced:
                        ended.append(position)
                    continue  # the one ratio is at least -1: every node is kept
                # The line from ``position`` to ``b``, by line class.
                ratios: dict[int, tuple[float, float]] = {}
                for node in nodes:
                    node_line = node[_LINE]
                    line_class = node_line if node_line < varying_lines else varying_lines
                    found = ratios.get(line_class)
                    if found is None:
                        found = ratios[line_class] = ratio_of(
                            node_line, start, b,
                            base_extra_width if node_line else first_extra_width, gain,
                            forced)
                    ratio, width = found
                    if ratio < -1 or ratio > tolerance:
                        continue
                    node_hyphens = node[_HYPHENS]
                    hyphens = node_hyphens + 1 if flagged else 0
                    if hyphens > max_hyphens or (forced and node_hyphens and not final_hyphen):
                        continue
                    bad = 100.0 * abs(ratio) ** 3
                    demerits = (line_penalty + bad) ** 2 + penalty_demerits
                    if flagged and node_hyphens:
                        demerits += double_hyphen
                    if forced and node_hyphens:
                        demerits += final_hyphen_demerits
                    if forced and node_line and width < min_last_line:
                        demerits += short_last_line
                    # TeX's four classes: tight, decent, loose, very loose (fitness_class).
                    fitness = 0 if ratio < -0.5 else 1 if ratio <= 0.5 else 2 if ratio <= 1.0 \
                        else 3
                    if abs(fitness - node[_FITNESS]) > 1:
                        demerits += adjacent
                    total = node[_DEMERITS] + demerits
                    next_line = node_line + 1
                    cand_key = (next_line if next_line < varying_lines else varying_lines,
                                fitness, hyphens)
                    best = candidates.get(cand_key)
                    if best is None or total < best[_DEMERITS]:
                        candidates[cand_key] = (b, next_line, fitness, hyphens, total, ratio,
                                                node)
                if forced:
                    ended.append(position)
                    continue
                keep = [node for node in nodes if ratios[
                    node[_LINE] if node[_LINE] < varying_lines else varying_lines][0] >= -1]
                if not keep:
                    ended.append(position)
                elif len(keep) < len(nodes):
                    active[position] = entry(start, gain, keep)
                    changed = True
            for position in ended:
                del active[position]
                if not position and first_line_open:
                    first_line_open = False
                    if first_line_over is not None:
                        first_line_over()
            if candidates:
                new = list(candidates.values())
                start_at = b + 1
                if start_at >= len(items) or type(items[start_at]) is not Box:
                    start_at = next_line_start(items, start_at)  # (mostly a word follows)
                while start_at == len(items) and grow():
                    start_at = next_line_start(items, start_at)
                starts[b] = start_at
                active[b] = entry(starts[b], item.after if type(item) is Penalty and b
                                  else 0.0, new)
            if not active and not forced:
                return None
            if changed or ended:
                floor = min(map(_FLOOR, active.values())) if active else -inf
            elif candidates and active[b][9] < floor:
                floor = active[b][9]
        read = known
    n = len(items)
    assert items and isinstance(items[-1], Penalty) and items[-1].cost <= -INFINITY
    finals = active[n - 1][3] if n - 1 in active else []
    if not finals:
        return None
    return traced_lines(items, min(finals, key=operator.itemgetter(_DEMERITS)), starts)


def legal_breaks(items: Sequence[Item], start: int = 0, end: int | None = None) -> list[int]:
    """Where a line may end (among ``items[start:end]``): a penalty below infinity, or glue
    right after a box (TeX's rule: a space between words, never one after another space or a
    penalty)."""
    stop = len(items) if end is None else end
    if start >= stop:
        return []
    # Each item beside the one before it (read in slices, not looked up one at a time).
    chunk = items[start:stop] if isinstance(items, list) else list(
        itertools.islice(items, start, stop))
    before = ([items[start - 1]] if start else [None]) + chunk[:-1]
    return [b for b, item, previous in zip(itertools.count(start), chunk, before)
            if (type(item) is Glue and type(previous) is Box)
            or (type(item) is Penalty and item.cost < INFINITY)]


def demerits_of_penalty(penalty: float) -> float:
    """What a break's penalty adds to its line's demerits: its square, taken off for a
    negative (wanted) break, nothing for a forced one."""
    if penalty >= 0:
        return penalty * penalty
    if penalty > -INFINITY:
        return -penalty * penalty
    return 0.0


def next_line_start(items: Sequence[Item], after: int) -> int:
    """Where the line after a break at ``after - 1`` starts: the first box or forced break
    (glue and penalties at a line's start vanish, as in TeX)."""
    j, n = after, len(items)
    while j < n and not isinstance(items[j], Box):
        item = items[j]
        if isinstance(item, Penalty) and item.cost <= -INFINITY:
            break
        j += 1
    return j


def traced_lines(items: Sequence[Item], best: _Node, starts: dict[int, int]) -> list[Line]:
    """The lines of the chain of breaks that ends in ``best``, first to last."""
    chain: list[_Node] = []
    cursor: _Node | None = best
    while cursor is not None and cursor[_PREVIOUS] is not None:
        chain.append(cursor)
        cursor = cursor[_PREVIOUS]
    chain.reverse()
    lines: list[Line] = []
    start = 0
    for node in chain:
        position = node[_POSITION]
        brk = items[position]
        lines.append(Line(starts.get(start, start) if lines else 0, position, node[_RATIO],
                          isinstance(brk, Penalty) and brk.flagged))
        start = position
    return lines


# An active break as the breaker keeps it (``break_lines``).
_Active = tuple[int, float, int, list[_Node], int, float, float, float, float, float]
_FLOOR: Final = operator.itemgetter(9)
# How far below an active break's floor a break must reach to be skipped unread: the floor
# and the reach are sums in another order than the line's own ratio, and a break near the
# boundary is rather read than risk a rounding (widths are in points or pixels).
_REACH_MARGIN: Final = 1e-4


def _uniform_class(nodes: list[_Node], varying_lines: int) -> int:
    """The line class all ``nodes`` share, or -1."""
    if len(nodes) == 1:  # most breaks have one node
        line = nodes[0][_LINE]
        return line if line < varying_lines else varying_lines
    first = nodes[0][_LINE]
    shared = first if first < varying_lines else varying_lines
    for node in nodes:
        line = node[_LINE]
        if (line if line < varying_lines else varying_lines) != shared:
            return -1
    return shared


def _running_sums(items: Sequence[Item]) -> tuple[list[float], list[float], list[float]]:
    """Running sums of width, stretch and shrink: any line's totals are two lookups."""
    sums: tuple[list[float], list[float], list[float]] = ([0.0], [0.0], [0.0])
    _extend_sums(items, 0, sums)
    return sums


def _extend_sums(items: Sequence[Item], start: int,
                 sums: tuple[list[float], list[float], list[float]],
                 breaks: list[int] | None = None) -> None:
    """The running sums of ``items[start:]`` appended to those of the items before; with
    ``breaks``, the legal breaks among them appended to it (``legal_breaks``, in the same
    pass)."""
    sum_w, sum_y, sum_z = sums
    w, y, z = sum_w[-1], sum_y[-1], sum_z[-1]
    # The new items sliced off (a chunk at a time: not skipped to from the paragraph's start).
    new = items[start:] if isinstance(items, list) else itertools.islice(items, start, None)
    # (``sum_w.append`` written out, not a bound method kept: Python specialises the call.)
    if breaks is None:
        for item in new:
            if type(item) is Penalty:
                # A penalty adds nothing (its width is the hyphen's, only where it is taken).
                sum_w.append(w)
                sum_y.append(y)
                sum_z.append(z)
            else:
                sum_w.append(w := w + item.width)
                sum_y.append(y := y + item.stretch)  # type: ignore[union-attr]
                sum_z.append(z := z + item.shrink)  # type: ignore[union-attr]
        return
    after_box = start > 0 and type(items[start - 1]) is Box
    position = start
    for item in new:
        kind = type(item)
        if kind is Penalty:
            if item.cost < INFINITY:  # type: ignore[union-attr]
                breaks.append(position)
            sum_w.append(w)
            sum_y.append(y)
            sum_z.append(z)
            after_box = False
        else:
            if kind is Box:
                after_box = True
            else:
                if after_box:  # a space right after a word
                    breaks.append(position)
                after_box = False
            sum_w.append(w := w + item.width)
            sum_y.append(y := y + item.stretch)  # type: ignore[union-attr]
            sum_z.append(z := z + item.shrink)  # type: ignore[union-attr]
        position += 1


@dataclass(frozen=True, slots=True)
class Attempt:
    """One way of setting a paragraph: its items (and their first-line variant); with
    ``more``, made as they are read (``break_lines``)."""

    name: str
    items: Sequence[Item]
    first_line_items: Sequence[Item] | None = None
    more: Callable[[], bool] | None = None
    first_line_over: Callable[[], None] | None = None


def best_breaks(
    attempts: Iterable[Attempt],
    line_width: Callable[[int], float],
    params: BreakParams = BreakParams(),
    varying_lines: int = 1,
) -> tuple[str, list[Line]]:
    """TeX's passes generalised: each attempt in turn within ``params.tolerance`` (for example
    without hyphenation, then with it), the first that succeeds wins; failing all, the last
    attempt at any looseness (an over-long word gets a line of its own), named "emergency".

    Cheaper means come first, so hyphens and other adjustments are only used where needed.
    """
    last: Attempt | None = None
    for attempt in attempts:  # may be a generator: later attempts are built only if needed
        last = attempt
        lines = break_lines(attempt.items, line_width, params, varying_lines,
                            attempt.first_line_items, attempt.more, attempt.first_line_over)
        if lines is not None:
            return attempt.name, lines
    assert last is not None, "no attempt given"
    emergency = replace(params, tolerance=math.inf)
    lines = break_lines(last.items, line_width, emergency, varying_lines, last.first_line_items,
                        last.more, last.first_line_over)
    if lines is None:
        while last.more is not None and last.more():
            pass  # the rest of the paragraph's items
        lines = greedy_breaks(last.items, line_width)
    return "emergency", lines


def greedy_breaks(items: Sequence[Item], line_width: Callable[[int], float]) -> list[Line]:
    """First fit, as browsers break lines: each line takes as much as fits at its natural
    width. A box wider than the measure overflows on a line of its own. Also the breaker's
    last resort."""
    n = len(items)
    sum_w, sum_y, sum_z = _running_sums(items)

    def start_after(b: int) -> int:
        j = b + 1
        while j < n and not isinstance(items[j], Box) and not (
                isinstance(items[j], Penalty) and items[j].cost <= -INFINITY):  # type: ignore[union-attr]
            j += 1
        return j

    def line(start: int, b: int, number: int, gain: float) -> Line:
        brk = items[b]
        extra = brk.width if isinstance(brk, Penalty) else 0.0
        width, target = sum_w[b] - sum_w[start] + extra + gain, line_width(number)
        forced = isinstance(brk, Penalty) and brk.cost <= -INFINITY
        if width <= target:
            stretch = sum_y[b] - sum_y[start]
            ratio = 0.0 if forced else ((target - width) / stretch if stretch > 0 else math.inf)
        else:
            shrink = sum_z[b] - sum_z[start]
            ratio = (target - width) / shrink if shrink > 0 else -math.inf
        return Line(start, b, ratio, isinstance(brk, Penalty) and brk.flagged)

    def gain_after(b: int) -> float:
        brk = items[b]
        return brk.after if isinstance(brk, Penalty) else 0.0

    lines: list[Line] = []
    start, last_fit, gain = 0, -1, 0.0
    b = 0
    while b < n:
        if not is_legal_break(items, b) or b < start:
            b += 1
            continue
        brk = items[b]
        extra = brk.width if isinstance(brk, Penalty) else 0.0
        fits = sum_w[b] - sum_w[start] + extra + gain <= line_width(len(lines))
        forced = isinstance(brk, Penalty) and brk.cost <= -INFINITY
        if fits and not forced:
            last_fit = b
            b += 1
            continue
        if fits or last_fit < 0:
            lines.append(line(start, b, len(lines), gain))
            if forced:
                return lines
            start, last_fit, gain = start_after(b), -1, gain_after(b)
            b = start
            continue
        lines.append(line(start, last_fit, len(lines), gain))
        start, last_fit, gain = start_after(last_fit), -1, gain_after(last_fit)
        b = start
    return lines
