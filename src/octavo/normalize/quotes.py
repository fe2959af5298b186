"""Straight quotes to the marks of the book's style, decided on a run's whole text.

Each straight ``"`` or ``'`` gets a role: primary or nested quotation open/close, apostrophe
or prime; the style (``languages.QUOTE_MARKS``) gives the glyph. Decisions use the text on both
sides across emphasis and links (``"*Alone.*"``), the marks already decided to the left, and
the pairing of single quotes in the paragraph:

- a mark after a space, the paragraph start, an opening bracket, a dash, an ellipsis or an
  opening quote opens; before a space, punctuation or the end it closes; where both or neither
  hold, it closes only a quotation that is open (``"Yes,"she said``, ``"But—"``);
- an apostrophe between letters (don't, o'clock, ma'am) or after a word before a letter is ’;
- a leading apostrophe of a common elision (’tis, ’twas, ’em, rock ’n’ roll) or before two
  digits (’90s) is ’; any other leading ' that no later mark closes is an elision too (’bus):
  single quotes never nest directly in single quotes, so a second opener inside an open single
  quotation is an elision (‘the old ’un’);
- a single mark where a quotation opens, directly before a double mark, opens too ('"…);
- a paragraph's first mark opens even when unclosed: a quotation running over paragraphs
  reopens each one (CMOS 13.30);
- a quote after a digit is a prime (5′ 10″) unless it closes an open quotation ("1914").

Marks the manuscript already curled keep their meaning, except the one word processors get
wrong: an opening ‘ where an elision's apostrophe belongs (``turned_apostrophes``, English only).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from ..model import Inline
from .inlines import map_joined
from .languages import APOSTROPHE, DOUBLE_PRIME, PRIME, QUOTE_MARKS, QuoteMarks
from .options import QuoteStyle
from .rule import RunRule, run_rule
from .safety import protected_mask

OPENS_AFTER = frozenset(
    " \t\n\u00a0\u202f\u2009\u200a([{<\u2014\u2013\u2e3a\u2e3b\u2026/"
    "\u201c\u2018\u201e\u201a\u00ab\u2039"
)
CLOSES_BEFORE = frozenset(
    " \t\n\u00a0\u202f\u2009\u200a.,;:!?)]}>\u2014\u2013\u2026\"'\u201d\u2019\u00bb\u203a"
)
# Standard Ebooks' list of common English words that begin with an apostrophe for dropped
# letters (typogrify); general English, not any one book's vocabulary.
_ELISION = re.compile(
    r"(?:tis|twas|twere|twill|twould|twixt|tween|em|n|cause|cos|til|bout|neath|gainst|mongst"
    r"|midst|pon|un|uns|ud|ave|ome|im|ow|appen|cept|e|er|ere|round|nuff|fraid|specially)"
    r"(?![^\W_])|\d\d(?!\d)",
    re.IGNORECASE,
)

Role = Literal[
    "open-double", "close-double", "open-single", "close-single", "apostrophe", "prime",
    "double-prime",
]
OPEN_D: Role = "open-double"
CLOSE_D: Role = "close-double"
OPEN_S: Role = "open-single"
CLOSE_S: Role = "close-single"
APOS: Role = "apostrophe"
PRIME_1: Role = "prime"
PRIME_2: Role = "double-prime"


def _is_word(ch: str) -> bool:
    return ch.isalnum()


@dataclass
class _Level:
    """One double-quotation level: the single-quote opener waiting for its closer, and
    whether it stands where quotations begin (after a sentence, a colon, at the start)."""

    pending_single: int | None = None
    strong: bool = False


def _starts_quotation(text: str, i: int) -> bool:
    """Whether a mark at ``i`` stands where a quotation, not an elided word, begins: at the
    paragraph start or after a sentence's end or a colon (opening quotes in between allowed)."""
    j = i - 1
    while j >= 0 and (text[j].isspace() or text[j] in "\"\u201c\u201e\u00ab"):
        j -= 1
    return j < 0 or text[j] in ".!?:\u2026"


# The marks ``quote_roles`` looks at; the characters between them only as their context.
_MARKS = re.compile("[\"'\u201c\u201d\u201e\u00ab\u00bb\u2018\u201a]")


def double_mark_role(before: str, opens: bool, closes: bool, double_open: bool) -> Role:
    """A straight ``"``: a double prime after a digit outside a quotation (5′ 10″); open or
    close by the space and punctuation around it; where both or neither side decides, it
    closes a quotation that is open and opens one otherwise (``"Yes,"she said``)."""
    if before.isdigit() and not double_open:
        return PRIME_2
    if opens and not closes:
        return OPEN_D
    if closes and not opens:
        return CLOSE_D
    return CLOSE_D if double_open else OPEN_D


def single_mark_by_neighbours(before: str, after: str, single_open: bool) -> Role | None:
    """A straight ``'`` that its two neighbours decide alone: a prime between digits (5'10"),
    an apostrophe inside a word (don't, o'clock, 1920's), after a digit a closer when a single
    quotation is open and a prime otherwise; None when the quotations around must decide."""
    if before.isdigit() and after.isdigit():
        return PRIME_1
    if _is_word(before) and _is_word(after):
        return APOS
    if before.isdigit():
        return CLOSE_S if single_open else PRIME_1
    return None


def starts_with_elision(text: str, i: int) -> bool:
    """Whether the word after the mark at ``i`` is a common elided form (’tis, ’em, ’90s)."""
    return _ELISION.match(text, i + 1) is not None


class _QuoteState:
    """The quotations open at a point of a paragraph: the double-quotation levels (each with
    its single-quote opener waiting for a closer), the roles decided so far and the text with
    the marks decided so far curled (a mark's left neighbour is read as decided)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.roles: dict[int, Role] = {}
        self.decided = list(text)
        self.levels: list[_Level] = [_Level()]
        self.double_open = False

    def settle_unpaired(self, level: _Level, paragraph_end: bool = False) -> None:
        if level.pending_single is not None:
            # Only at the paragraph's end can a quotation stay open (it runs on into the next
            # paragraph); one left open when its enclosing quotation closes was an elided
            # word (“’Course I will,”), as is a mid-sentence one (to ’Frisco).
            strong = level.strong and paragraph_end
            self.roles[level.pending_single] = OPEN_S if strong else APOS
            level.pending_single = None

    def open_double(self) -> None:
        self.double_open = True
        self.levels.append(_Level())

    def close_double(self) -> None:
        self.double_open = False
        if len(self.levels) > 1:
            self.settle_unpaired(self.levels.pop())

    def take_curled(self, ch: str, before: str) -> None:
        """A mark the manuscript already curled keeps its meaning."""
        if ch in "\u201c\u201e\u00ab":
            if ch == "\u201c" and before not in OPENS_AFTER:
                self.close_double()  # German closing mark
            else:
                self.open_double()
        elif ch in "\u201d\u00bb":
            self.close_double()
        else:  # ‘ or ‚: single quotes never nest in single quotes
            level = self.levels[-1]
            if level.pending_single is not None:
                self.roles[level.pending_single] = APOS
            level.pending_single = None

    def take_double(self, i: int, role: Role) -> None:
        if role == OPEN_D:
            if (self.double_open and len(self.levels) > 1
                    and self.levels[-1].pending_single is None):
                # Not nested in a single quotation: the last double quotation never closed.
                self.settle_unpaired(self.levels.pop())
            self.open_double()
        elif role == CLOSE_D:
            self.close_double()
        self.roles[i] = role
        self.decided[i] = "\u201c" if role == OPEN_D else "\u201d"

    def single_role(self, i: int, before: str, after: str, opens: bool, closes: bool) -> Role:
        """The role of a straight ``'`` at ``i``; an opener is held as the level's pending
        single until its closer (or the paragraph's end) settles it."""
        level = self.levels[-1]
        local = single_mark_by_neighbours(before, after, level.pending_single is not None)
        if local is not None:
            return local
        if opens and not closes:
            if starts_with_elision(self.text, i):
                return APOS
            strong = _starts_quotation(self.text, i)
            if level.pending_single is not None and (level.strong or not strong):
                return APOS  # single quotes never nest in single quotes: an elision
            # A quotation beginning after a sentence displaces a mid-sentence opener that
            # nothing closed yet: that one was an elided word (to ’Frisco. ‘Why).
            if level.pending_single is not None:
                self.roles[level.pending_single] = APOS
                self.decided[level.pending_single] = "\u2019"
            level.pending_single, level.strong = i, strong
            return OPEN_S
        if level.pending_single is not None and not _is_word(after):
            self.roles[level.pending_single] = OPEN_S
            level.pending_single = None
            return CLOSE_S
        return APOS  # the Joneses', dancin', or a closer with nothing open

    def take_single(self, i: int, role: Role) -> None:
        if role != OPEN_S:
            self.roles[i] = role
        self.decided[i] = "\u2018" if role == OPEN_S else "\u2019"

    def finish(self, mask: list[bool] | None) -> dict[int, Role]:
        for level in self.levels:
            self.settle_unpaired(level, paragraph_end=True)
        for i in _positions(self.text, "'"):  # every straight mark ends with a role
            if i not in self.roles and not (mask is not None and mask[i]):
                self.roles[i] = APOS
        return self.roles


def quote_roles(text: str, mask: list[bool] | None = None) -> dict[int, Role]:
    """The role of every straight quote in ``text`` not protected by ``mask``: the marks are
    read left to right, each decided by its neighbours and the quotations open at it."""
    state = _QuoteState(text)
    for mark in _MARKS.finditer(text):
        i, ch = mark.start(), mark.group()
        before = state.decided[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if ch not in "\"'":
            state.take_curled(ch, before)
            continue
        if mask is not None and mask[i]:
            continue
        opens = before in OPENS_AFTER
        # A single mark where quotations open, directly before a double one ('"Never," he
        # said'): both open, the double inside the single (CMOS 13.30).
        closes = after in CLOSES_BEFORE and not (ch == "'" and opens and after in '"\u201c')
        if ch == '"':
            state.take_double(i, double_mark_role(before, opens, closes, state.double_open))
        else:
            state.take_single(i, state.single_role(i, before, after, opens, closes))
    return state.finish(mask)


def _positions(text: str, ch: str) -> Iterator[int]:
    """Where ``ch`` stands in ``text``, in order."""
    i = text.find(ch)
    while i >= 0:
        yield i
        i = text.find(ch, i + 1)


def glyph(role: Role, marks: QuoteMarks) -> str:
    return {
        OPEN_D: marks.open_primary, CLOSE_D: marks.close_primary,
        OPEN_S: marks.open_nested, CLOSE_S: marks.close_nested,
        APOS: APOSTROPHE, PRIME_1: PRIME, PRIME_2: DOUBLE_PRIME,
    }[role]


def curl_quotes_text(text: str, style: QuoteStyle = "en-US") -> str:
    """Every straight quote of ``text`` (outside code, URLs, addresses) to its glyph."""
    if "'" not in text and '"' not in text:
        return text
    marks = QUOTE_MARKS[style]
    out = list(text)
    for i, role in quote_roles(text, protected_mask(text)).items():
        out[i] = glyph(role, marks)
    return "".join(out)


def turned_apostrophes_text(text: str) -> str:
    """‘tis, ‘90s, rock ‘n’ roll -> ’tis, ’90s, rock ’n’ roll: a word processor curls an
    apostrophe typed before a word as an opening quote. Where a straight mark would be read as
    an elision (the same words, the same places), the curled one becomes the apostrophe too, so
    a manuscript gets the same marks whether its quotes were typed straight or curled."""
    if "\u2018" not in text:
        return text
    mask = protected_mask(text)
    out = list(text)
    for i, ch in enumerate(text):
        if ch != "\u2018" or mask[i]:
            continue
        before = out[i - 1] if i else " "
        if before in OPENS_AFTER and _ELISION.match(text, i + 1):
            out[i] = APOSTROPHE
    return "".join(out)


@run_rule
def turned_apostrophes(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Curled opening quotes before an elided word (‘tis, ‘90s) become apostrophes (’tis)."""
    return map_joined(inlines, turned_apostrophes_text)


def curl_quotes_rule(style: QuoteStyle) -> RunRule:
    @run_rule
    def curl_quotes(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
        """Quotes by context: “double”, ‘nested’, apostrophes ’tis, primes 5′ 10″."""
        return map_joined(inlines, lambda text: curl_quotes_text(text, style))

    return curl_quotes

