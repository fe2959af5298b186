"""Hand WeasyPrint the line breaks octavo's optimal-fit breaker chose.

WeasyPrint breaks lines greedily, which leaves loose lines and hyphen ladders. For each justified
paragraph of the print document this module measures the text with the theme's real fonts,
chooses breaks with :mod:`octavo.press.linebreak` and writes them back into the HTML:

- every line but the last ends in a forced break (a newline the paragraph's
  ``white-space: pre-line`` keeps), and the paragraph gets ``text-align-last: justify`` so
  those lines are justified;
- the last line goes in an inline-block, which has no spaces to stretch at the paragraph's
  level, so it stays at its natural width (``nowrap``: WeasyPrint's shrink-to-fit width of
  an inline-block can come out a hair narrower than its text and wrap it; ``width: 0``, its
  text overflowing it, so that WeasyPrint does not measure the line twice more for that
  width, which nothing else reads);
- a hyphenation break writes the style's hyphenation character before the forced break;
- a no-break space inside a line becomes a plain space so that it stretches like the others
  (WeasyPrint counts it when justifying but does not widen it).

Everything that depends on CSS (the measure, the indent, the faces of each inline style, the
language, hyphenation limits) is read from WeasyPrint's own computed styles on a small probe
document laid out with the same stylesheets (``probes``), so no number is duplicated from a
theme or from the page CSS; the paragraphs are found by ``scan``. Paragraphs this cannot model
exactly (notes, images, line breaks, floats such as drop caps, a ``::first-line`` in another
face) are left to WeasyPrint.
"""

from __future__ import annotations

import bisect
import gc
import hashlib
import html as html_lib
import itertools
import operator
import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any, Generic, Protocol, TypeVar

from .hyphenation import dictionary_points
from .linebreak import (
    INFINITY,
    Attempt,
    Box,
    BreakParams,
    Glue,
    Item,
    Line,
    Penalty,
    best_breaks,
)
from .paragraph_context import Context
from .probes import (
    contexts_from_bytes,
    contexts_to_bytes,
    floating_paths,
    floats_from_bytes,
    floats_to_bytes,
    probe_document,
    read_contexts,
)
from .scan import (
    CLASS_ATTR,
    CONTINUED_CLASS,
    DASHES,
    HARD_HYPHENS,
    INDEX_ATTR,
    LAST_CLASS,
    LEAD_ATTR,
    LINE_END,
    NBSP,
    PAGE_CLASS,
    PREBREAK_CSS,
    RIGID_SPACES,
    SET_CLASS,
    SOFT_HYPHEN,
    SPLITTABLE_CLASSES,
    STOP_CLASS,
    ParagraphSource,
    Scan,
    open_elements,
    scan_document,
    tag_name,
    with_attribute,
    with_class,
)
from .shaping import FontFace, TextMeasurer


@dataclass(frozen=True, slots=True)
class Typesetting:
    """How far spaces may stretch and what breaks cost (TeX's plain defaults, scaled)."""

    # Of the natural space: at ratio 1 a line's spaces are 1.46x natural, a little under the
    # 1.5x at which a line reads as loose (kerning against spaces and rounding in Pango).
    stretch: float = 0.46
    # WeasyPrint only widens spaces when justifying; a line set tighter gets a negative
    # word-spacing, down to 80 % of the space (InDesign's default minimum).
    shrink: float = 0.2
    safety: float = 0.75  # px kept free on every line against rounding in Pango
    # Letter-spacing a line may take or give, in em per character, when spaces and
    # hyphenation alone cannot set a paragraph evenly (pdfTeX/microtype's font expansion
    # does the same job by scaling glyphs, by up to 2-4 % of a letter). At most 0.02 em, and
    # mostly far less: a paragraph is only given it when it cannot be set without.
    letter_flex: float = 0.02
    hyphen_penalty: float = 50.0
    explicit_hyphen_penalty: float = 50.0
    dash_penalty: float = 50.0
    params: BreakParams = field(default_factory=BreakParams)
    # A last line narrower than this many ems of the body is a runt (BreakParams).
    min_last_line_em: float = 2.5


# --------------------------------------------------------------------------- paragraphs


def load_hyphenation(lang: str) -> None:
    """``lang``'s hyphenation patterns read (pyphen keeps them for the process) and indexed
    for ``dictionary_points``: a worker does it while the book is measured, not at the first
    hyphenated word of the chapter a rebuild waits for (a sixth of a second for English)."""
    import pyphen

    if lang and pyphen.language_fallback(lang):
        dictionary_points(pyphen.Pyphen(lang=lang), "")


def _hyphenation_points(text: str, start: int, lang: str, limits: tuple[int, int, int],
                        dictionaries: dict[str, Any]) -> list[int]:
    total, left, right = limits
    if not lang or len(text) < total:
        return []
    key = f"{lang}/{left}/{right}"
    dic = dictionaries.get(key)
    if dic is None:
        import pyphen

        language = lang if pyphen.language_fallback(lang) else None
        if language is None:
            dictionaries[key] = False
            return []
        dic = dictionaries[key] = pyphen.Pyphen(lang=language, left=left, right=right)
    if dic is False:
        return []
    # A word's points, kept: a novel's words come back with other punctuation about them.
    positions = _POSITIONS.get((key, text))
    if positions is None:
        if len(_POSITIONS) > MAX_WORDS:
            _POSITIONS.clear()
        positions = _POSITIONS[key, text] = dictionary_points(dic, text)
    return [start + p for p in positions]


# Hyphenation points by dictionary (language and limits) and word.
_POSITIONS: dict[tuple[str, str], list[int]] = {}


# Each word's break opportunities, by its text and what decides them (the paragraph's
# language and hyphenation), found once a process: a novel repeats its words.
_WORD_BREAKS: dict[tuple[str, bool, str, tuple[int, int, int]], dict[int, str]] = {}
MAX_WORDS = 200_000


def word_breaks(chars: list[tuple[str, int]], start: int, end: int, ctx: Context,
                dictionaries: dict[str, Any], points: bool = True) -> dict[int, str]:
    """Break opportunities inside one word (``chars[start:end]``): offset -> kind.

    ``hyphen``: a hyphenation point (dictionary or soft hyphen), ``hard``: after a hyphen
    between letters, ``dash``: after an em or en dash that has text after it. ``points``:
    False leaves out the dictionary's points (a setting without hyphenation needs none).
    """
    found = breaks_of("".join([ch for ch, _ in chars[start:end]]), ctx, dictionaries, points)
    return {start + k: kind for k, kind in found.items()}


def breaks_of(text: str, ctx: Context, dictionaries: dict[str, Any], points: bool = True
              ) -> dict[int, str]:
    """:func:`word_breaks` of a word's ``text``, from its start (kept: do not change)."""
    hyphenate = ctx.hyphenate and points
    key = (text, hyphenate, ctx.lang, ctx.limit_chars)
    found = _WORD_BREAKS.get(key)
    if found is None:
        if len(_WORD_BREAKS) > MAX_WORDS:
            _WORD_BREAKS.clear()
        found = _WORD_BREAKS[key] = _breaks_in(text, hyphenate, ctx, dictionaries)
    return found


# What may end a piece of a word: a break inside one comes right after one of these.
_BREAK_AFTER = re.compile("[" + re.escape("".join(sorted(HARD_HYPHENS | DASHES)))
                          + SOFT_HYPHEN + "]")


_LETTERS = re.compile(r"[^\W\d_]+")


def _breaks_in(text: str, hyphenate: bool, ctx: Context, dictionaries: dict[str, Any]
               ) -> dict[int, str]:
    out: dict[int, str] = {}
    # Most words have no hyphen, dash or soft hyphen before their last letter.
    for k in range(1, len(text)) if _BREAK_AFTER.search(text, 0, len(text) - 1) else ():
        ch, before = text[k], text[k - 1]
        if before in HARD_HYPHENS and k >= 2 and text[k - 2].isalpha() and ch.isalpha():
            out[k] = "hard"
        elif before in DASHES and ch not in DASHES and not unicodedata.category(ch).startswith("P"):
            out[k] = "dash"
        elif before == SOFT_HYPHEN:
            out[k] = "hyphen"
    if hyphenate:
        for match in _LETTERS.finditer(text):
            for k in _hyphenation_points(match.group(0), match.start(), ctx.lang,
                                         ctx.limit_chars, dictionaries):
                out.setdefault(k, "hyphen")
    return out


Spans = list[tuple[int, int, str]]  # per item: its characters' start and end, break kind


def glue_allowance(body: FontFace, measurer: TextMeasurer, setting: Typesetting,
                   letter_flex: float, reference_space: float | None) -> tuple[float, float]:
    """How far a space may stretch and shrink, in px.

    What a reader sees between two words is the space plus the letter-spacing of the letters
    beside it (half of each), compared with the body's plain space: a letter-spaced line (a
    small-capital lead-in, or flex) has less room to stretch and more to shrink before it
    looks loose or tight beside the body. Word-spacing shrinks only the space's advance.
    """
    space = measurer.width(body, " ")
    seen = space + body.letter_spacing
    reference = seen if reference_space is None else reference_space
    advance = space - body.letter_spacing - body.word_spacing
    stretch = max(0.0, (1 + setting.stretch) * reference - seen - letter_flex)
    shrink = max(0.0, min(advance, seen - (1 - setting.shrink) * reference) - letter_flex)
    return stretch, shrink


def _space_width(chars: list[tuple[str, int]], k: int, face: FontFace,
                 measurer: TextMeasurer) -> float:
    """A space's width. Some faces kern the space against the letters beside it, but only
    while Pango shapes it in one run with them: a line with word-spacing has its spaces
    shaped apart. The wider of the two is safe either way (justification takes up the
    rest)."""
    pid = chars[k][1]
    before = chars[k - 1][0] if k and chars[k - 1][1] == pid else ""
    after = chars[k + 1][0] if k + 1 < len(chars) and chars[k + 1][1] == pid else ""
    kerned = (measurer.width(face, before + " " + after) - measurer.width(face, before)
              - measurer.width(face, after))
    return max(kerned, measurer.width(face, " "))


def break_penalty(kind: str, hyphen: float, after: float, setting: Typesetting) -> Penalty:
    """The break inside a word: a hyphenation point (``hyphen``: the hyphen's width, added
    when taken), after a hard hyphen, or after a dash; ``after`` is what the line it starts
    gains."""
    if kind == "hyphen":
        return Penalty(hyphen, setting.hyphen_penalty, True, after)
    if kind == "hard":
        return Penalty(0.0, setting.explicit_hyphen_penalty, True, after)
    return Penalty(0.0, setting.dash_penalty, False, after)


def _stretch_items(chars: list[tuple[str, int]], first: int, last: int,
                   faces: dict[int, FontFace], body: FontFace, ctx: Context,
                   measurer: TextMeasurer, setting: Typesetting, dictionaries: dict[str, Any],
                   hyphenate: bool, letter_flex: float, stretch: float, shrink: float,
                   ) -> tuple[list[Item], Spans]:
    """Boxes, glue and penalties for ``chars[first:last]``, text between two plain spaces
    (or a paragraph's ends): its words, broken where they may be, and the no-break and fixed
    spaces between them. Nothing in it depends on the text beyond, but for a no-break space
    at either end, which kerns against the plain space beside it."""
    char_faces = {k: faces.get(chars[k][1], body) for k in range(first, last)}

    # Runs of one inline element are shaped as a whole and cut by prefix widths, so that a
    # word unbroken is exactly as wide as Pango makes it (ligatures, kerning inside it);
    # WeasyPrint shapes each element's text apart, so nothing kerns across an element's
    # edge. Per character: its run and how many shaped letters precede it.
    run_of: dict[int, int] = {}
    runs: list[tuple[int, str, bool]] = []  # (end, text without soft hyphens, floats)
    before_in_run: dict[int, int] = {}
    k = first
    while k < last:
        pid, floats = chars[k][1], chars[k][1] in ctx.float_paths
        start = k
        letters = 0
        while k < last and chars[k][1] == pid:
            run_of[k] = len(runs)
            before_in_run[k] = letters
            letters += chars[k][0] != SOFT_HYPHEN
            k += 1
        before_in_run[k] = letters
        runs.append((k, "".join(ch for ch, _ in chars[start:k] if ch != SOFT_HYPHEN), floats))

    def span_width(a: int, b: int) -> float:
        total, k = 0.0, a
        while k < b:
            end, text, floats = runs[run_of[k]]
            stop = min(b, end)
            if not floats:
                head = before_in_run[k]
                upto = before_in_run[stop] if stop < end else len(text)
                before = measurer.width(char_faces[k], text[:head]) if head else 0.0
                total += measurer.width(char_faces[k], text[:upto]) - before
            k = stop
        return total

    def gain_after(cut: int) -> float:
        """How much wider the rest of a word broken at ``cut`` is set, shaped alone at the
        next line's start, than the word's prefix widths say (a ligature or a kerning pair
        across the break is lost)."""
        _, text, floats = runs[run_of[cut]]
        if floats or run_of[cut - 1] != run_of[cut]:
            return 0.0  # cut at an element's edge: shaped apart anyway
        f, head = char_faces[cut], before_in_run[cut]
        return measurer.width(f, text[head:]) - (measurer.width(f, text)
                                                 - measurer.width(f, text[:head]))

    def hyphen_width(cut: int) -> float:
        """The hyphen at the end of a line broken at ``cut``, shaped with the letters before
        it (it kerns against them)."""
        run = run_of[cut - 1]
        text = runs[run][1]
        head = text[:before_in_run[cut] if run_of.get(cut) == run else len(text)]
        f = char_faces[cut - 1]
        return measurer.width(f, head + ctx.hyphen) - measurer.width(f, head)

    items: list[Item] = []
    spans: Spans = []
    k = first
    while k < last:
        ch = chars[k][0]
        if ch == NBSP:
            items.append(Penalty(0.0, INFINITY))
            spans.append((k, k, "none"))
            items.append(Glue(_space_width(chars, k, char_faces[k], measurer), stretch, shrink))
            spans.append((k, k + 1, "nbsp"))
            k += 1
            continue
        if ch in RIGID_SPACES:
            items.append(Glue(measurer.width(char_faces[k], ch), 0.0, 0.0, ch))
            spans.append((k, k + 1, "space"))
            k += 1
            continue
        end = k
        while end < last and chars[end][0] not in RIGID_SPACES and chars[end][0] != NBSP:
            end += 1
        breaks = word_breaks(chars, k, end, ctx, dictionaries, hyphenate)
        cuts = sorted(p for p, kind in breaks.items() if hyphenate or kind != "hyphen")
        piece_start = k
        for cut in [*cuts, end]:
            letters = sum(1 for ch, _ in chars[piece_start:cut] if ch != SOFT_HYPHEN)
            items.append(Box(span_width(piece_start, cut), letters * letter_flex,
                             letters * letter_flex))
            spans.append((piece_start, cut, "box"))
            if cut == end:
                break
            kind = breaks[cut]
            items.append(break_penalty(kind, hyphen_width(cut) if kind == "hyphen" else 0.0,
                                       gain_after(cut), setting))
            spans.append((cut, cut, kind))
            piece_start = cut
        k = end
    return items, spans


def _word_items(chars: list[tuple[str, int]], first: int, last: int, face: FontFace,
                floats: bool, ctx: Context, measurer: TextMeasurer, setting: Typesetting,
                dictionaries: dict[str, Any], hyphenate: bool, letter_flex: float,
                ) -> tuple[list[Item], Spans]:
    """What :func:`_stretch_items` makes of a stretch that is one word in one inline
    element (most of a novel's): the same items, without following runs of elements."""
    word = "".join(map(_CHARACTER, chars[first:last]))
    text = word.replace(SOFT_HYPHEN, "") if SOFT_HYPHEN in word else word
    found = breaks_of(word, ctx, dictionaries, hyphenate)
    breaks = {first + k: kind for k, kind in found.items()} if found else found
    cuts = sorted(p for p, kind in breaks.items() if hyphenate or kind != "hyphen")
    if not face.ligatures:
        # Measured as the face with ligatures does when none can form in it: shaped once.
        hyphens = any(breaks[cut] == "hyphen" for cut in cuts)
        face = measurer.with_ligatures(face, text + ctx.hyphen if hyphens else text)
    known_widths = measurer.widths_in(face)
    if not cuts:  # one box (most words): what the loop below makes of it
        total = 0.0
        if not floats:
            upto = known_widths.get(text)
            total += (measurer.width(face, text) if upto is None else upto) - 0.0
        return ([Box(total, len(text) * letter_flex, len(text) * letter_flex)],
                [(first, last, "box")])
    # How many shaped letters precede each character (soft hyphens are not shaped).
    before = list(range(len(word) + 1))
    if len(text) < len(word):
        before = [0, *itertools.accumulate(ch != SOFT_HYPHEN for ch in word)]

    def width_of(part: str) -> float:
        found = known_widths.get(part)
        return found if found is not None else measurer.width(face, part)

    def width(cut: int) -> float:
        return width_of(text[:before[cut - first]])

    items: list[Item] = []
    spans: Spans = []
    piece_start = first
    for cut in [*cuts, last]:
        letters = before[cut - first] - before[piece_start - first]
        total = 0.0
        if not floats:
            upto = width_of(text) if cut == last else width(cut)
            total += upto - (width(piece_start) if before[piece_start - first] else 0.0)
        items.append(Box(total, letters * letter_flex, letters * letter_flex))
        spans.append((piece_start, cut, "box"))
        if cut == last:
            break
        kind = breaks[cut]
        head = before[cut - first]
        after = 0.0 if floats else width_of(text[head:]) - (
            width_of(text) - width_of(text[:head]))
        hyphen = (width_of(text[:head] + ctx.hyphen) - width_of(text[:head])
                  if kind == "hyphen" else 0.0)
        items.append(break_penalty(kind, hyphen, after, setting))
        spans.append((cut, cut, kind))
        piece_start = cut
    return items, spans


# What each kind of setting (language, hyphenation, flex) makes of a stretch of text between
# two spaces in given faces, and (with the spaces' allowance, by paragraph kind) of a space
# between two letters, kept for the life of the process: a novel repeats its words, so a
# worker turns each into boxes and penalties once, not once per paragraph and attempt. A
# stretch is known by its inline paths and the faces they are set in, not by its paragraph's
# kind: a word in the body's face is the same in a paragraph with italics or a drop capital
# and in one without. Items are frozen, so paragraphs share them. A kind forgets its
# stretches past this many (a catalogue's worker).
MAX_STRETCHES_PER_KIND = 200_000
# A stretch that is one word: no no-break or fixed space inside.
_ONE_WORD = re.compile("[^" + NBSP + "".join(sorted(RIGID_SPACES)) + "]+")
_Neighbour = tuple[str, int] | None
# An inline path as a stretch is set in it: (path, its face's number, whether it floats).
_Element = tuple[int, int, bool]
# (text, its one element; or its paths and every element of its paragraph, the characters
# beside a no-break space at either end, the stretch and shrink of a no-break space inside)
_StretchKey = (tuple[str, _Element, _Neighbour, _Neighbour, tuple[float, float] | None]
               | tuple[str, tuple[int, ...], tuple[_Element, ...], _Neighbour, _Neighbour,
                       tuple[float, float] | None])
# Items (most stretches make one) and, apart, their spans from the stretch's start: tuples of
# numbers and text, which the garbage collector stops following, so the words kept cost
# little at each of its full passes over a worker's heap.
_Stretches = dict[_StretchKey, Item | tuple[Item, ...]]
_StretchSpans = dict[_StretchKey, tuple[tuple[int, int, str], ...]]
# A stretch in one element with no no-break space (nearly every one) is known by its text
# alone among its element's: a string's hash is kept, a key's tuple is hashed at each look.
_Words = tuple[dict[str, Item | tuple[Item, ...]], dict[str, tuple[tuple[int, int, str], ...]]]
_KINDS: dict[tuple[object, ...], tuple[_Stretches, _StretchSpans, dict[_Element, _Words]]] = {}
_SPACES: dict[tuple[object, ...], dict[tuple[int, str, str], Glue]] = {}

K = TypeVar("K")
V = TypeVar("V")


class _MadeOnce(Generic[K, V]):
    """A value made once for each key (equal keys share it), found again by the key's
    identity first: a paragraph's attempts look their faces and setting up again and again,
    and hashing and comparing a face's or a setting's fields cost more than the lookup. Each
    key is kept beside its value, so that its id is never another object's."""

    def __init__(self, make: Callable[[K, int], V]) -> None:
        self._make = make  # the key and how many keys were met before it -> its value
        self._by_value: dict[K, V] = {}
        self._by_identity: dict[int, tuple[K, V]] = {}

    def __call__(self, key: K) -> V:
        seen = self._by_identity.get(id(key))
        if seen is not None and seen[0] is key:
            return seen[1]
        value = self._by_value.get(key)
        if value is None:
            value = self._by_value[key] = self._make(key, len(self._by_value))
        self._by_identity[id(key)] = (key, value)
        return value


# Each face met, numbered: a stretch's key holds its number, which hashes at no cost.
_face_number = _MadeOnce[FontFace, int](lambda _face, met: met)
# Each face met, as set with flex (without optional ligatures): one object for all its
# paragraphs, which measurers know by its identity.
_without_ligatures = _MadeOnce[FontFace, FontFace](
    lambda face, _met: replace(face, ligatures=False))
# Each setting met, numbered (equal ones share a number).
_setting_number = _MadeOnce[Typesetting, int](lambda _setting, met: met)


def paragraph_items(chars: list[tuple[str, int]], faces: dict[int, FontFace], ctx: Context,
                    measurer: TextMeasurer, setting: Typesetting, dictionaries: dict[str, Any],
                    hyphenate: bool, flex: bool, reference_space: float | None = None,
                    ) -> tuple[list[Item], Spans]:
    """Boxes, glue and penalties for a paragraph set in ``faces``; with hyphenation points
    when ``hyphenate``; with letters that stretch and shrink (and so lose their optional
    ligatures, as Pango sets letter-spaced text) when ``flex``. ``reference_space``: the
    gap between words the stretch is measured against (the body's, for a ``::first-line``
    in other faces), by default this face's."""
    items, spans = _paragraph_items(chars, "".join([ch for ch, _ in chars]),
                                    [pid for _, pid in chars], faces, ctx, measurer, setting,
                                    dictionaries, hyphenate, flex, reference_space)
    return items, spans_of(spans)


# How many stretches (words, mostly) the breaker is handed at a time: a few lines' worth
# (a step of a paragraph's stream, :func:`_read_as_needed`).
STRETCHES_READ = 16
_DONE = object()  # a stream's end

# A paragraph's spans as its stretches left them: (the stretch's first character, its spans
# from there), made into one list (``spans_of``) only for the attempt whose lines are taken.
_SpanRuns = list[tuple[int, tuple[tuple[int, int, str], ...]]]
_SPACE_SPAN = ((0, 1, "space"),)
# A paragraph's stretches as one attempt found them, for the next in the same faces: (the
# space before it, that space's place, the stretch's key (None: no text), its start, end).
_Plan = list[tuple[Glue | None, int, _StretchKey | str | None, int, int]]
_END_SPANS = ((0, 0, "none"), (0, 0, "none"), (0, 0, "end"))


def spans_of(runs: _SpanRuns) -> Spans:
    return [(a + offset, b + offset, what) for offset, spans in runs for a, b, what in spans]


def _spans_at(runs: _SpanRuns, positions: set[int]) -> dict[int, tuple[int, int, str]]:
    """The spans of the items at ``positions`` alone, read off the runs (a paragraph's lines
    need a few of its thousands)."""
    ends = list(itertools.accumulate(map(len, map(operator.itemgetter(1), runs))))
    found = {}
    for position in positions:
        run = bisect.bisect_right(ends, position)
        offset, spans = runs[run]
        a, b, what = spans[position - (ends[run - 1] if run else 0)]
        found[position] = (a + offset, b + offset, what)
    return found


def _paragraph_items(chars: list[tuple[str, int]], text: str, pids: list[int],
                     faces: dict[int, FontFace], ctx: Context, measurer: TextMeasurer,
                     setting: Typesetting, dictionaries: dict[str, Any], hyphenate: bool,
                     flex: bool, reference_space: float | None = None,
                     ) -> tuple[list[Item], _SpanRuns]:
    """:func:`paragraph_items` of ``chars`` (whose ``text`` and inline ``pids`` the caller
    joined once), its spans by stretch."""
    items: list[Item] = []
    runs: _SpanRuns = []
    for _ in _paragraph_stream(chars, text, pids, faces, ctx, measurer, setting, dictionaries,
                               hyphenate, flex, reference_space, None, items, runs):
        pass
    return items, runs


def _paragraph_stream(chars: list[tuple[str, int]], text: str, pids: list[int],
                      faces: dict[int, FontFace], ctx: Context, measurer: TextMeasurer,
                      setting: Typesetting, dictionaries: dict[str, Any], hyphenate: bool,
                      flex: bool, reference_space: float | None,
                      plans: dict[tuple[object, ...], _Plan] | None,
                      items: list[Item], runs: _SpanRuns, extend_plan: bool = True,
                      stretch_texts: list[str] | None = None,
                      in_paragraph: dict[int, None] | None = None) -> Iterator[None]:
    """:func:`_paragraph_items` made ``STRETCHES_READ`` stretches at a time: each step
    appends their items (and the spaces before them) to ``items`` and their spans to
    ``runs``; the last, the rest and the paragraph's end. ``plans``: where the attempts at
    one paragraph keep its stretches' keys for the next, as far as they read it
    (``extend_plan``: False for an attempt no later one reads the plan of). ``stretch_texts``:
    ``text`` split at its spaces, when the attempts share them (each text's hash is kept);
    ``in_paragraph``: its elements (``_elements_in``), likewise."""
    body = faces.get(0) or next(iter(faces.values()))
    letter_flex = body.size * setting.letter_flex if flex else 0.0
    stretch, shrink = glue_allowance(body, measurer, setting, letter_flex, reference_space)
    if in_paragraph is None:
        in_paragraph = _elements_in(pids)
    unflexed_elements: dict[int, _Element] = {}
    if flex:
        unflexed_elements = {pid: (pid, _face_number(faces.get(pid, body)),
                                   pid in ctx.float_paths) for pid in in_paragraph}
        faces = {pid: _without_ligatures(f) for pid, f in faces.items()}
        body = _without_ligatures(body)
    kind = (ctx.lang, ctx.limit_chars, ctx.hyphenate, ctx.hyphen, _setting_number(setting),
            letter_flex)
    known = _KINDS.get((*kind, hyphenate))
    if known is None or len(known[0]) + len(known[2]) > MAX_STRETCHES_PER_KIND:
        known = _KINDS[*kind, hyphenate] = ({}, {}, {})
    stretches, stretch_spans, words = known
    # A word with no hyphenation point is set hyphenated as it is set without.
    unhyphenated = _KINDS.get((*kind, False)) if hyphenate else None
    # A word set with flex is set as without, its letters given their stretch and shrink,
    # when no ligature can form in it (the face measures it alike with ligatures or not).
    unflexed = _KINDS.get((*kind[:-1], 0.0, hyphenate)) if flex else None
    faces_kind = (tuple(sorted((pid, _face_number(face)) for pid, face in faces.items())),
                  _face_number(body), ctx.float_paths, *kind, stretch, shrink)
    spaces = _SPACES.get(faces_kind)
    if spaces is None or len(spaces) > MAX_STRETCHES_PER_KIND:
        spaces = _SPACES[faces_kind] = {}
    n = len(chars)
    elements = {pid: (pid, _face_number(faces.get(pid, body)), pid in ctx.float_paths)
                for pid in in_paragraph}
    # Each element's words kept in this kind.
    words_in: dict[int, _Words] = {}
    for pid, element_key in elements.items():
        found_words = words.get(element_key)
        if found_words is None or len(found_words[0]) > MAX_STRETCHES_PER_KIND:
            found_words = words[element_key] = ({}, {})
        words_in[pid] = found_words
    # Most paragraphs are in one element: their stretches are known by their text alone.
    one_element = len(elements) <= 1
    first_pid = pids[0] if n else 0
    paragraph_elements = tuple(elements.values())
    float_paths = ctx.float_paths

    def made(start: int, end: int, key: _StretchKey | None
             ) -> tuple[Item | tuple[Item, ...], tuple[tuple[int, int, str], ...]]:
        """The items of a stretch not yet kept in this kind and their spans from its start
        (``key``: None for one in one element with no no-break space, known by its text)."""
        pid = pids[start]
        stretch_text = text[start:end]
        if (key is None and SOFT_HYPHEN not in stretch_text and pid not in float_paths
                and _ONE_WORD.fullmatch(text, start, end)
                and not breaks_of(stretch_text, ctx, dictionaries, hyphenate)):
            # A word with nowhere to break (most words): one box, as wide as the word, what
            # ``_word_items`` makes of it (and another kind's box, reused below, is); the
            # box set without hyphenation, when there is one, is this very box.
            if unhyphenated is not None:
                plain = unhyphenated[2].get(elements[pid])
                if plain is not None and stretch_text in plain[0]:
                    return plain[0][stretch_text], plain[1][stretch_text]
            face = faces.get(pid, body)
            if not face.ligatures:
                face = measurer.with_ligatures(face, stretch_text)
            known_width = measurer.widths_in(face).get(stretch_text)
            width = 0.0 + ((measurer.width(face, stretch_text) if known_width is None
                            else known_width) - 0.0)
            letters = len(stretch_text) * letter_flex
            return Box(width, letters, letters), ((0, end - start, "box"),)
        if key is None and unflexed is not None:
            reused = _flexed(stretch_text, unflexed[2].get(unflexed_elements[pid]),
                             faces.get(pid, body), ctx.hyphen, letter_flex, measurer)
            if reused is not None:
                return reused
        if unhyphenated is not None and "hyphen" not in breaks_of(
                stretch_text, ctx, dictionaries).values():
            if key is None:
                plain = unhyphenated[2].get(elements[pid])
                if plain is not None and stretch_text in plain[0]:
                    return plain[0][stretch_text], plain[1][stretch_text]
            elif key in unhyphenated[0]:
                return unhyphenated[0][key], unhyphenated[1][key]
        if _ONE_WORD.fullmatch(text, start, end) and (
                key is None or pids[start:end].count(pid) == end - start):
            new, new_spans = _word_items(chars, start, end, faces.get(pid, body),
                                         pid in ctx.float_paths, ctx, measurer, setting,
                                         dictionaries, hyphenate, letter_flex)
        else:
            new, new_spans = _stretch_items(chars, start, end, faces, body, ctx, measurer,
                                            setting, dictionaries, hyphenate, letter_flex,
                                            stretch, shrink)
        return (new[0] if len(new) == 1 else tuple(new),
                tuple([(a - start, b - start, what) for a, b, what in new_spans]))

    def place(kept: dict[Any, Any], kept_spans: dict[Any, Any], looked: Any, start: int,
              end: int, key: _StretchKey | None) -> None:
        """A stretch's items (``looked`` up in ``kept``, made and kept there when new) and
        their spans placed after the paragraph's so far."""
        found = kept.get(looked)
        if found is None:
            found, spans = made(start, end, key)
            kept[looked], kept_spans[looked] = found, spans
        if type(found) is tuple:
            items.extend(found)
        else:
            items.append(found)  # type: ignore[arg-type]
        runs.append((start, kept_spans[looked]))

    # Another attempt at a paragraph in the same faces (hyphenated after plain) finds its
    # spaces and its stretches' keys as far as the first read them.
    planned: _Plan = [] if plans is None else plans.setdefault(faces_kind, [])
    # The breaker is handed a few stretches at a time (``more``): one step makes that many.
    steps = 0
    for space, k, known_key, start, end in planned[:]:
        if space is not None:
            items.append(space)
            runs.append((k, _SPACE_SPAN))
        if type(known_key) is str:
            texts, spans_of_texts = words_in[pids[start]]
            found = texts.get(known_key)
            if found is None:
                place(texts, spans_of_texts, known_key, start, end, None)
            else:  # ``place``, inline
                if type(found) is tuple:
                    items.extend(found)
                else:
                    items.append(found)  # type: ignore[arg-type]
                runs.append((start, spans_of_texts[known_key]))
        elif known_key is not None:
            place(stretches, stretch_spans, known_key, start, end,
                  known_key)  # type: ignore[arg-type]
        steps += 1
        if steps == STRETCHES_READ:
            steps = 0
            yield
    start = planned[-1][4] + 1 if planned else 0
    texts, spans_of_texts = words_in.get(first_pid, ({}, {}))
    if stretch_texts is None:
        stretch_texts = text.split(" ")
    for number, stretch_text in enumerate(itertools.islice(stretch_texts, len(planned), None),
                                          len(planned)):
        glue = None
        k = start - 1  # the space before this stretch
        if number:
            if one_element:  # (the characters beside the space are in its element)
                pid = first_pid
                before = text[k - 1] if k else ""
                after = text[k + 1] if k + 1 < n else ""
            else:
                pid = pids[k]
                before = text[k - 1] if k and pids[k - 1] == pid else ""
                after = text[k + 1] if k + 1 < n and pids[k + 1] == pid else ""
            glue = spaces.get((pid, before, after))
            if glue is None:
                glue = spaces[pid, before, after] = Glue(
                    _space_width(chars, k, faces.get(pid, body), measurer), stretch, shrink)
            items.append(glue)
            runs.append((k, _SPACE_SPAN))
        if not stretch_text:
            if extend_plan:
                planned.append((glue, k, None, start, start))
            start += 1
        else:
            end = start + len(stretch_text)
            key: _StretchKey | None = None
            if NBSP in stretch_text:
                # A no-break space at either end kerns against the plain space beside it.
                left = chars[start - 1] if start and stretch_text[0] == NBSP else None
                right = chars[end] if end < n and stretch_text[-1] == NBSP else None
                in_stretch = pids[start:end]
                if in_stretch.count(in_stretch[0]) == len(in_stretch):
                    key = (stretch_text, elements[in_stretch[0]], left, right,
                           (stretch, shrink))
                else:
                    key = (stretch_text, tuple(in_stretch), paragraph_elements, left, right,
                           (stretch, shrink))
            elif not one_element:
                in_stretch = pids[start:end]
                if in_stretch.count(in_stretch[0]) != len(in_stretch):
                    key = (stretch_text, tuple(in_stretch), paragraph_elements, None, None,
                           None)
                else:
                    texts, spans_of_texts = words_in[in_stretch[0]]
            if key is None:
                # A stretch in one element (most: a word) is kept by its text among its
                # element's words (``place``, inline: this runs for every word of every
                # attempt); any other by its full key among the paragraph's stretches.
                if extend_plan:
                    planned.append((glue, k, stretch_text, start, end))
                found = texts.get(stretch_text)
                if found is None:
                    found, found_spans = made(start, end, None)
                    texts[stretch_text], spans_of_texts[stretch_text] = found, found_spans
                else:
                    found_spans = spans_of_texts[stretch_text]
                if type(found) is tuple:
                    items.extend(found)
                else:
                    items.append(found)  # type: ignore[arg-type]
                runs.append((start, found_spans))
            else:
                if extend_plan:
                    planned.append((glue, k, key, start, end))
                place(stretches, stretch_spans, key, start, end, key)
            start = end + 1
        steps += 1
        if steps == STRETCHES_READ:
            steps = 0
            yield
    _paragraph_end(items, runs, n)


def _elements_in(pids: list[int]) -> dict[int, None]:
    """A paragraph's elements in order (most paragraphs are in one)."""
    return {pids[0]: None} if pids and pids.count(pids[0]) == len(pids) \
        else dict.fromkeys(pids)


def _flexed(text: str, words: _Words | None, face: FontFace, hyphen: str, letter_flex: float, measurer: TextMeasurer,
            ) -> tuple[Item | tuple[Item, ...], tuple[tuple[int, int, str], ...]] | None:
    """A stretch of ``text`` in one element set with flex (``face``: its face without
    ligatures; ``words``: its element's words set without), from its items set without
    when those are kept and no ligature can form in it (nor with the hyphen after a piece):
    the same widths, boxes that stretch and shrink by their letters."""
    found = None if words is None else words[0].get(text)
    if words is None or found is None:
        return None
    spans = words[1][text]
    shaped = text.replace(SOFT_HYPHEN, "")
    if any(what == "hyphen" for _, _, what in spans):
        shaped += hyphen
    if not face.letter_spacing and measurer.with_ligatures(face, shaped) is face:
        return None
    items = found if isinstance(found, tuple) else (found,)
    flexed: list[Item] = []
    for item, (a, b, _) in zip(items, spans, strict=True):
        if type(item) is Box:
            letters = (b - a - text.count(SOFT_HYPHEN, a, b)) * letter_flex
            item = Box(item.width, letters, letters)
        flexed.append(item)
    return (flexed[0] if len(flexed) == 1 else tuple(flexed)), spans


def _paragraph_end(items: list[Item], runs: _SpanRuns, n: int) -> tuple[list[Item], _SpanRuns]:
    # The last line: free to fall short (TeX's \parfillskip), then a forced break.
    while items and isinstance(items[-1], Glue):
        items.pop()
        offset, last_spans = runs.pop()
        if len(last_spans) > 1:
            runs.append((offset, last_spans[:-1]))
    items.extend(_END_ITEMS)
    runs.append((n, _END_SPANS))
    return items, runs


# What ends every paragraph (frozen: each shares them).
_END_ITEMS = (Penalty(0.0, INFINITY), Glue(0.0, 1e9), Penalty(0.0, -INFINITY))


# (name, hyphenate, letters flex): cheapest first, as TeX tries without hyphens first.
ATTEMPTS = (("plain", False, False), ("hyphenated", True, False), ("flexed", True, True))


@dataclass(frozen=True, slots=True)
class Setting:
    """A paragraph's chosen lines and what they need to be rendered."""

    attempt: str
    lines: list[Line]
    # The spans of the items where the lines begin and end, by item: all rendering reads.
    spans: dict[int, tuple[int, int, str]]
    flex: bool




def _read_as_needed(streams: list[tuple[Iterator[None], list[Item]]],
                    ) -> tuple[list[list[Item]], Callable[[], bool], Callable[[], None]]:
    """The items of a paragraph's streams (its body's, and its first line's made alongside)
    as the breaker reads them: lists that ``more`` extends by a few stretches each, which
    ``break_lines`` reads as they grow. A glue at the end of what is made is held back: the
    paragraph's end may take it back. Once the breaker says no first line can end any
    further (``first_line_over``), the first line's stream is made no further: its list is
    extended with the body's items, which the breaker does not read."""
    read: list[list[Item]] = [[] for _ in streams]
    body = streams[0][1]
    live = list(streams)

    def more_of_one() -> bool:
        """``more`` for a paragraph with one stream (most: no first line of its own)."""
        out, stream = read[0], live[0][0]
        shown = len(out)
        while True:
            going = next(stream, _DONE) is not _DONE
            safe = len(body)
            if going:
                while safe > shown and type(body[safe - 1]) is Glue:
                    safe -= 1
            out.extend(body[shown:safe])
            if safe > shown or not going:
                return safe > shown

    def more() -> bool:
        shown = len(read[0])
        while True:
            steps = [next(stream, _DONE) for stream, _ in live]  # every stream's
            going = steps[0] is not _DONE
            assert all(len(made) == len(body) for _, made in live)
            safe = len(body)
            if going:
                while safe > shown and type(body[safe - 1]) is Glue:
                    safe -= 1
            for n, out in enumerate(read):
                out.extend((live[n][1] if n < len(live) else body)[shown:safe])
            if safe > shown or not going:
                return safe > shown

    def first_line_over() -> None:
        del live[1:]

    return read, more_of_one if len(streams) == 1 else more, first_line_over


def body_space(ctx: Context, measurer: TextMeasurer) -> float:
    """The gap a reader sees between words in the body (after the first line)."""
    body = ctx.faces.get(0) or next(iter(ctx.faces.values()))
    return measurer.width(body, " ") + body.letter_spacing


def choose_lines(chars: list[tuple[str, int]], ctx: Context, measurer: TextMeasurer,
                 setting: Typesetting, dictionaries: dict[str, Any], text: str | None = None,
                 pids: list[int] | None = None) -> Setting:
    """The lines for a paragraph: the first attempt whose lines are all within tolerance.
    ``text`` and ``pids``: its characters' text and paths, when the caller has them."""
    built: dict[str, tuple[_SpanRuns, bool]] = {}

    # WeasyPrint counts a letter-spaced text box's letter-spacing once more than Pango sets
    # it: a letter-spaced lead-in (a text box or two, more with its flex) keeps that free.
    lead_spacing = max((f.letter_spacing for f in ctx.first_line_faces.values()), default=0.0)
    lead_extra = 2 * (lead_spacing + ctx.faces[0].size * setting.letter_flex
                      if 0 in ctx.faces else lead_spacing) if lead_spacing else 0.0

    def width(line: int) -> float:
        room = ctx.line_widths[line] if line < len(ctx.line_widths) else ctx.measure
        if line:
            return room - setting.safety
        return room - setting.safety - ctx.indent - lead_extra

    # Whether the first line is set in faces of its own (compared once, face by face).
    own_first_line = ctx.first_line_faces != ctx.faces

    def attempts() -> Iterator[Attempt]:
        nonlocal text, pids
        if text is None or pids is None:
            text, pids = "".join(map(_CHARACTER, chars)), list(map(_PATH, chars))
        plans: dict[tuple[object, ...], _Plan] = {}
        stretch_texts, in_paragraph = text.split(" "), _elements_in(pids)
        for name, hyphenate, flex in ATTEMPTS:
            if flex and not setting.letter_flex:
                continue
            made: list[Item] = []
            spans: _SpanRuns = []
            # Only the first attempt's plan is read again (the second is in the same faces).
            first = name == ATTEMPTS[0][0]
            streams = [(_paragraph_stream(chars, text, pids, ctx.faces, ctx, measurer, setting,
                                          dictionaries, hyphenate, flex, None, plans, made,
                                          spans, first, stretch_texts, in_paragraph), made)]
            if own_first_line:
                first_made: list[Item] = []
                streams.append((_paragraph_stream(
                    chars, text, pids, ctx.first_line_faces, ctx, measurer, setting,
                    dictionaries, hyphenate, flex, body_space(ctx, measurer), plans,
                    first_made, [], first, stretch_texts, in_paragraph), first_made))
            read, more, first_line_over = _read_as_needed(streams)
            built[name] = (spans, flex)
            built["emergency"] = (spans, flex)
            yield Attempt(name, read[0], read[1] if len(read) > 1 else None, more,
                          first_line_over)

    body = ctx.faces.get(0) or next(iter(ctx.faces.values()))
    params = _with_min_last_line(setting.params, setting.min_last_line_em * body.size)
    name, lines = best_breaks(attempts(), width, params, max(1, len(ctx.line_widths)))
    runs, flex = built[name]
    return Setting(name, lines, _spans_at(runs, {line.start for line in lines[1:]}
                                          | {line.end for line in lines[:-1]}), flex)


def _with_min_last_line(params: BreakParams, min_last_line: float) -> BreakParams:
    """``params`` with ``min_last_line``, made once for all the paragraphs that ask."""
    found = _MIN_LAST_LINE.get((id(params), min_last_line))
    if found is None or found[0] is not params:
        found = _MIN_LAST_LINE[id(params), min_last_line] = (
            params, replace(params, min_last_line=min_last_line))
    return found[1]


# ``_with_min_last_line``'s, by the parameters' identity (kept beside them) and the width.
_MIN_LAST_LINE: dict[tuple[int, float], tuple[BreakParams, BreakParams]] = {}


def _close(tag: str) -> str:
    return f"</{tag_name(tag)}>"


def render_lines(paragraph: ParagraphSource, scan: Scan, chosen: Setting, ctx: Context,
                 setting: Typesetting, measurer: TextMeasurer,
                 first_line_rules: list[str] | None = None, split_at: int = 0) -> str:
    """The paragraph's HTML with its chosen breaks. ``split_at``: the line that begins a new
    page, where the paragraph goes on in a continuation paragraph (0: none).

    A line whose ratio is not 0 says how it is set in a span's letter-spacing (the letters'
    share of the adjustment) and, when it is tight, word-spacing (the spaces' shrink):
    WeasyPrint applies both before it justifies, and justification adds the spaces' stretch.
    """
    chars = paragraph.chars
    lines, spans, hyphen = chosen.lines, chosen.spans, ctx.hyphen
    out: list[str] = []
    open_path: tuple[str, ...] = ()

    def move_to(path: tuple[str, ...]) -> None:
        nonlocal open_path
        common = 0
        while common < min(len(path), len(open_path)) and path[common] == open_path[common]:
            common += 1
        out.extend(_close(t) for t in reversed(open_path[common:]))
        out.extend(path[common:])
        open_path = path

    last = len(lines) - 1
    tag = paragraph.start_tag
    for index, line in enumerate(lines):
        start = 0 if index == 0 else spans[line.start][0]
        end = len(chars) if index == last else spans[line.end][0]
        wrapper = ""
        lead_in = index == 0 and ctx.first_line_faces != ctx.faces
        faces = ctx.first_line_faces if lead_in else ctx.faces
        flex = chosen.flex
        reference = body_space(ctx, measurer) if lead_in else None
        if lead_in and index < last and line.ratio != 0 and first_line_rules is not None:
            # WeasyPrint lets a ::first-line's spacing win over any span inside the line, so
            # a lead-in is set by a ::first-line rule of its own.
            number = len(first_line_rules)
            style = line_style(line.ratio, faces, setting, measurer, flex, reference)
            declarations = style.split('"')[1]
            if declarations:
                declarations = declarations.replace(";", " !important;") + " !important"
                first_line_rules.append(
                    f'p[{LEAD_ATTR}="{number}"]::first-line {{ {declarations} }}')
                tag = with_attribute(tag, LEAD_ATTR, number)
        elif lead_in and index < last:
            pass
        elif index == last:
            # The last line may have had to shrink a little (TeX lets it); it never stretches.
            style = (line_style(line.ratio, faces, setting, measurer, flex, reference)
                     if line.ratio < 0 else "")
            wrapper = f'<span class="{LAST_CLASS}"{style}>'
        elif line.ratio < 0 or (flex and line.ratio > 0):
            style = line_style(line.ratio, faces, setting, measurer, flex, reference)
            wrapper = f"<span{style}>"
        if wrapper:
            # A float (a drop capital) is set before the line's span: inside it, the line's
            # letter-spacing would widen the capital and narrow the lines beside it.
            # (Wrapped in a plain span of its own: a float that is the paragraph's child
            # would be laid out as a block, not beside the line it opens.)
            if start < end and chars[start][1] in ctx.float_paths:
                out.append("<span>")
                while start < end and chars[start][1] in ctx.float_paths:
                    move_to(scan.paths[chars[start][1]])
                    out.append(html_lib.escape(chars[start][0], quote=False))
                    start += 1
                move_to(())
                out.append("</span>")
            move_to(())
            out.append(wrapper)
        # A run of characters in one element at a time (soft hyphens are not written).
        for pid, run in itertools.groupby(chars[start:end], key=operator.itemgetter(1)):
            text = "".join([ch for ch, _ in run]).replace(SOFT_HYPHEN, "")
            if text:
                move_to(scan.paths[pid])
                out.append(html_lib.escape(text.replace(NBSP, " ").replace(LINE_END, " "),
                                           quote=False))
        if index < last and spans[line.end][2] == "hyphen":
            move_to(scan.paths[chars[end - 1][1]])
            out.append(html_lib.escape(hyphen, quote=False))
        broken = index < last and index + 1 != split_at
        if broken:
            # In the text the line ends with, inside its span: WeasyPrint lays each text box
            # out with Pango on its own, and a newline between two spans is a text box of
            # its own (a fifth of the Pango layouts of a book's pages); the same lines.
            out.append(LINE_END)
        if wrapper:
            move_to(())
            out.append("</span>")
        if index + 1 == split_at:
            move_to(())
            same = re.search(f'{INDEX_ATTR}="[^"]*"', tag)
            out.append(f'</p><p class="{SET_CLASS} {CONTINUED_CLASS}"'
                       f'{" " + same.group(0) if same else ""}>')
        elif broken and 0 < index + 1 < len(ctx.line_widths):
            # Beside a float WeasyPrint first asks whether a line's narrowest content
            # fits, reading it across the forced breaks to the next atomic inline (the
            # first words of every later line's span): an empty one ends that reading.
            move_to(())
            out.append(f'<span class="{STOP_CLASS}"></span>')
    move_to(())
    return with_class(tag, SET_CLASS) + "".join(out) + "</p>"


# --------------------------------------------------------------------------- the document


@dataclass(slots=True)
class PrebreakReport:
    paragraphs: int = 0
    set_by_octavo: int = 0
    passes: dict[str, int] = field(default_factory=dict)
    lines: list[tuple[int, float]] = field(default_factory=list)  # (paragraph index, ratio)


@dataclass(frozen=True, slots=True)
class SetParagraph:
    """A paragraph octavo breaks: where it is, what it holds, how it is set."""

    source: ParagraphSource
    ctx: Context
    chosen: Setting


@dataclass(slots=True)
class Prebroken:
    """The print document's justified paragraphs with their chosen lines, to be written out
    as HTML, where wanted with chosen page breaks."""

    document: str
    scan: Scan
    paragraphs: dict[int, SetParagraph]  # by index among the scanned paragraphs
    setting: Typesetting
    measurer: TextMeasurer
    # How many lines each paragraph whose lines octavo knows will take (those it sets, and
    # those of one line it leaves to WeasyPrint at their natural width).
    line_counts: dict[int, int] = field(default_factory=dict)
    # Each set paragraph's HTML by (index, the line that begins a page): a chapter is
    # written out again for each page plan tried. (One that adds a ::first-line rule is
    # written each time: the rule's number depends on the paragraphs before it.)
    rendered: dict[tuple[int, int], str] = field(default_factory=dict)

    def html(self, page_starts: dict[int, int] | None = None, until: int | None = None) -> str:
        """The document with each set paragraph's lines. ``page_starts``: paragraph index ->
        the line that must begin a page (0: the paragraph's first; a later one splits it).
        ``until``: the document ends after that paragraph, the elements open there closed."""
        document, out, cursor = self.document, [], 0
        starts = page_starts or {}
        first_line_rules: list[str] = []
        paragraphs = self.scan.paragraphs if until is None else self.scan.paragraphs[:until + 1]
        for index, paragraph in enumerate(paragraphs):
            start_line = starts.get(index, -1)
            tag = with_attribute(paragraph.start_tag, INDEX_ATTR, index)
            if start_line == 0:
                tag = with_class(tag, PAGE_CLASS)
            out.append(document[cursor:paragraph.start])
            found = self.paragraphs.get(index)
            if found is None:
                out.append(tag + document[paragraph.start + len(paragraph.start_tag):
                                          paragraph.end])
            else:
                html = self.rendered.get((index, start_line))
                if html is None:
                    rules = len(first_line_rules)
                    html = render_lines(replace(found.source, start_tag=tag), self.scan,
                                        found.chosen, found.ctx, self.setting, self.measurer,
                                        first_line_rules, max(start_line, 0))
                    if len(first_line_rules) == rules:
                        self.rendered[index, start_line] = html
                out.append(html)
            cursor = paragraph.end
        if until is None:
            out.append(document[cursor:])
        else:
            out.extend(f"</{name}>" for name in reversed(open_elements(document[:cursor])))
        result = "".join(out)
        style = f"<style>{PREBREAK_CSS}{chr(10).join(first_line_rules)}</style>"
        head_end = result.find("</head>")
        return (result[:head_end] + style + result[head_end:]) if head_end >= 0 \
            else style + result

    def split_from(self, index: int) -> int | None:
        """The first line at which paragraph ``index`` may be split across a chosen page
        break (its lines beside a float stay with it), or None when it may not be."""
        found = self.paragraphs.get(index)
        if found is None:
            return None
        classes = (CLASS_ATTR.search(found.source.start_tag) or [None, ""])[1] or ""
        if not set(classes.split()) <= SPLITTABLE_CLASSES:
            return None
        return len(found.ctx.line_widths)


@dataclass(frozen=True, slots=True)
class Measured:
    """What the probe read off the theme for one print document: the context of each kind of
    paragraph, by its signature and the text of its floating paths (a drop capital). Plain
    data, so a chapter laid out in another process is set with the book's measurements."""

    paths: tuple[tuple[str, ...], ...]
    contexts: dict[tuple[tuple[str, ...], str], Context | None]
    floating: dict[tuple[str, ...], frozenset[int]]

    def key(self, paragraph: ParagraphSource) -> tuple[tuple[str, ...], str]:
        floats = self.floating.get(paragraph.signature, frozenset())
        return (paragraph.signature,
                "".join(ch for ch, pid in paragraph.chars if pid in floats) if floats else "")


# The bytes kept under a key, made by the function when none are (the chapter cache's).
Remember = Callable[[str, Callable[[], bytes]], bytes]


def made_now(_key: str, make: Callable[[], bytes]) -> bytes:
    """A ``Remember`` that keeps nothing: made every time."""
    return make()


class ProbeReader(Protocol):
    """``reader(document, *args)`` of the probe ``html`` laid out (each probe laid out once,
    however often it is read), where the probes are laid out: what ``measure`` keeps of a
    probe is what a reader returns, as bytes, so a probe may be laid out in another process."""

    def __call__(self, html: str, reader: Callable[..., bytes], *args: Any) -> bytes: ...


def probe_floats(document: Any, count: int) -> bytes:
    """What floats in each of a laid-out probe's ``count`` paragraphs (``floating_paths``)."""
    return floats_to_bytes(floating_paths(document, count))


def probe_contexts(document: Any, count: int, floats: dict[int, frozenset[int]]) -> bytes:
    """The context of each of a laid-out probe's ``count`` paragraphs (``read_contexts``)."""
    return contexts_to_bytes(read_contexts(document, count, floats))


def measure(document: str, layout: Callable[[str], Any], remember: Remember = made_now,
            read: ProbeReader | None = None) -> Measured:
    """Lay out a small probe document holding one paragraph of each kind the print document
    has, and read what setting each kind takes (measure, indent, faces, floats).

    ``layout`` lays out an HTML string with the stylesheets the document will be laid out with
    and returns WeasyPrint's document. ``remember`` keeps what a probe read, by the probe's
    HTML (its caller's keys add the stylesheets): an edit that makes no new kind of paragraph
    lays no probe out. ``read``: where the probes are laid out and read instead (another
    process, ``LayoutPool.probes``), ``layout`` then unused.
    """
    # Runs, not characters: the probe needs the paths each kind of paragraph uses and the
    # text of its floating ones, and a whole book's characters one by one cost a rebuild
    # a third of its scan.
    scan = scan_document(document, runs=True)
    if not scan.paragraphs:
        return Measured(tuple(scan.paths), {}, {})
    signatures: list[tuple[str, ...]] = []
    paths_of: dict[tuple[str, ...], set[int]] = {}
    for paragraph in scan.paragraphs:
        if paragraph.signature not in paths_of:
            signatures.append(paragraph.signature)
            paths_of[paragraph.signature] = set()
        paths_of[paragraph.signature].update(map(operator.itemgetter(1), paragraph.chars))
    probe_html = probe_document(scan, signatures, paths_of)
    if read is None:
        laid: dict[str, Any] = {}

        def read_here(html: str, reader: Callable[..., bytes], *args: Any) -> bytes:
            if html not in laid:
                laid[html] = layout(html)
            return reader(laid[html], *args)

        read = read_here

    def digest(html: str) -> str:
        return hashlib.sha256(html.encode("utf-8", "surrogatepass")).hexdigest()

    floats = floats_from_bytes(remember("probe-floats-" + digest(probe_html), partial(
        read, probe_html, probe_floats, len(signatures))))
    # Paragraphs are measured once per CSS context and, where a path floats, per floating
    # text: the lines beside a drop capital are as wide as that letter leaves them.
    floating = {signatures[n]: pids for n, pids in floats.items()}
    keys = [(sig, "") for sig in signatures]
    if floats:
        unmeasured = Measured((), {}, floating)
        keys = list(dict.fromkeys(unmeasured.key(p) for p in scan.paragraphs))
        floats = {n: floating[sig] for n, (sig, _) in enumerate(keys) if sig in floating}
        probe_html = probe_document(scan, [sig for sig, _ in keys], paths_of, floats,
                                    {n: text for n, (_, text) in enumerate(keys)})
    final_html, final_floats = probe_html, floats
    contexts = contexts_from_bytes(remember(
        "probe-contexts-" + digest(final_html) + floats_to_bytes(final_floats).decode(),
        partial(read, final_html, probe_contexts, len(keys), final_floats)))
    return Measured(tuple(scan.paths), {key: contexts[n] for n, key in enumerate(keys)},
                    floating)


# Kept for the life of the process: a worker that sets chapter after chapter loads each
# hyphenation dictionary once, not once a chapter.
_DICTIONARIES: dict[str, Any] = {}


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for a while. Setting lines makes no reference
    cycles, but its many small objects (and the words kept for the book) set the collector
    off, and each full pass walks the whole heap of a worker that has laid chapters out: a
    fifth of the time a book's lines took."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def set_lines(
    document: str,
    measured: Measured,
    setting: Typesetting = Typesetting(),
    report: PrebreakReport | None = None,
) -> Prebroken:
    """The document's justified paragraphs broken into lines by octavo, with the contexts
    ``measured`` on this document or on a whole book it is a part of (a paragraph of a kind
    the measurement did not meet is left to WeasyPrint)."""
    with _collector_paused():
        return _set_lines(document, measured, setting, report)


def _set_lines(document: str, measured: Measured, setting: Typesetting,
               report: PrebreakReport | None) -> Prebroken:
    scan = scan_document(document, measured.paths)
    measurer = TextMeasurer()
    prebroken = Prebroken(document, scan, {}, setting, measurer)
    dictionaries = _DICTIONARIES
    left_to_weasyprint: set[int] = set()
    for index, paragraph in enumerate(scan.paragraphs):
        ctx = measured.contexts.get(measured.key(paragraph))
        if report is not None:
            report.paragraphs += 1
        pids = list(map(_PATH, paragraph.chars))
        if ctx is None or not set(pids) <= ctx.faces.keys() & ctx.first_line_faces.keys():
            if may_float(paragraph, measured):
                left_to_weasyprint.add(index)
            continue
        if paragraph.after_paragraph is not None and (
                paragraph.after_paragraph < 0 or paragraph.after_paragraph in left_to_weasyprint):
            # A paragraph WeasyPrint sets may reach into this one (a drop capital taller
            # than a short paragraph): its lines' widths are not known here. One with no
            # float (a right-aligned dateline before a letter's body) reaches no further
            # than its own lines.
            continue
        # The characters, their text and their paths read once for all that follows.
        text = "".join(map(_CHARACTER, paragraph.chars))
        if _UNCOLLAPSED.search(text):
            chars = _collapse_spaces(paragraph.chars)
            text, pids = "".join(map(_CHARACTER, chars)), list(map(_PATH, chars))
        else:
            chars = list(paragraph.chars)
        if not chars:
            continue
        chosen = choose_lines(chars, ctx, measurer, setting, dictionaries, text, pids)
        lines = chosen.lines
        if report is not None:
            report.set_by_octavo += 1
            report.passes[chosen.attempt] = report.passes.get(chosen.attempt, 0) + 1
            report.lines.extend((index, line.ratio) for line in lines[:-1])
        if len(lines) < len(ctx.line_widths):
            left_to_weasyprint.add(index)  # its float reaches into the next paragraph
        else:
            prebroken.line_counts[index] = len(lines)
        if len(lines) < 2 and lines[0].ratio >= 0:
            continue  # one line at its natural width: WeasyPrint sets it the same
        source = ParagraphSource(paragraph.start, paragraph.end, paragraph.start_tag,
                                 paragraph.signature, chars)
        prebroken.paragraphs[index] = SetParagraph(source, ctx, chosen)
    return prebroken


def may_float(paragraph: ParagraphSource, measured: Measured) -> bool:
    """Whether something floats in a paragraph of this kind (a drop capital, a first
    letter): it may reach into the paragraphs after it."""
    return bool(measured.floating.get(paragraph.signature))


def prebreak(
    document: str,
    layout: Callable[[str], Any],
    setting: Typesetting = Typesetting(),
    report: PrebreakReport | None = None,
) -> Prebroken:
    """The print document's justified paragraphs broken into lines by octavo: measured on a
    probe laid out by ``layout``, then set."""
    return set_lines(document, measure(document, layout), setting, report)


def line_style(ratio: float, faces: dict[int, FontFace], setting: Typesetting,
               measurer: TextMeasurer, flex: bool, reference_space: float | None) -> str:
    """The style attribute that sets one line at ``ratio``: its letters' share of the
    adjustment in letter-spacing (``flex`` only; it applies to the spaces too) and, on a
    tight line, the rest of the spaces' shrink in word-spacing. Justification adds the
    spaces' stretch."""
    body = faces.get(0) or next(iter(faces.values()))
    adjust = max(-1.0, min(1.0, ratio))
    letter_flex = body.size * setting.letter_flex if flex else 0.0
    letter = adjust * letter_flex
    styles = []
    if flex:
        styles.append(f"letter-spacing: {body.letter_spacing + letter:.4f}px")
    if ratio < 0:
        # The space itself is letter-spaced too: word-spacing gives the rest of its shrink.
        _, shrink = glue_allowance(body, measurer, setting, letter_flex, reference_space)
        styles.append(f"word-spacing: {body.word_spacing + adjust * shrink - letter:.4f}px")
    return f' style="{"; ".join(styles)}"'


# A paragraph's character and its inline path, read off its (character, path) pairs.
_CHARACTER, _PATH = operator.itemgetter(0), operator.itemgetter(1)

# What white-space: normal changes: other white space, a run of spaces, a space at an end.
_UNCOLLAPSED = re.compile(r"[\t\n\r\f]|  |^ | $")


def _collapse_spaces(chars: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """CSS ``white-space: normal``: runs of spaces, tabs and newlines are one space, and none
    at the paragraph's ends."""
    if not _UNCOLLAPSED.search("".join(map(_CHARACTER, chars))):
        return list(chars)
    out: list[tuple[str, int]] = []
    for ch, pid in chars:
        if ch in " \t\n\r\f":
            if not out or out[-1][0] == " ":
                continue
            ch = " "
        out.append((ch, pid))
    while out and out[-1][0] == " ":
        out.pop()
    return out
