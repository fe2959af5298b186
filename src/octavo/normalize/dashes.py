"""Dashes: em dashes for breaks, en dashes for ranges, two- and three-em dashes for elisions."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..model import Inline
from .options import DashStyle
from .rewrite import led_by, sub_run, sub_run_settled
from .rule import RunRule, run_rule

EM, EN, TWO_EM, THREE_EM = "\u2014", "\u2013", "\u2e3a", "\u2e3b"

# ---------------------------------------------------------------- two- and three-em dashes

# Four or more hyphens, or em dashes typed side by side (with stray hyphens among them).
_LONG_DASH = led_by(" \t\\-\u2014",
                    r"(?P<pre>[ \t]*)(?P<dash>[-\u2014]*\u2014[-\u2014]+|-+\u2014|-{4,})(?P<post>[ \t]*)")
# Every long dash holds an em dash or four hyphens; the sieves of this module let a run
# without the marks a pattern needs skip it (``sub_run``).
_LONG_DASH_SIEVE = ("\u2014", "----")
_WORD_BEFORE = re.compile(r"[^\W\d_]+$")


def _long_dash(m: re.Match[str], style: DashStyle) -> str:
    text, start, end = m.string, m.start("dash"), m.end("dash")
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    if before.isalpha():
        word = _WORD_BEFORE.search(text, 0, start)
        # After a word of two or more letters with a lower-case one it is an interruption
        # ("going to----Never mind"); after an initial it elides the rest of a name (D⸺).
        if word and len(word.group()) >= 2 and any(c.islower() for c in word.group()):
            # A break, set like every other break (closed em dash or spaced en dash).
            return _break_glyph(m, style)
        return m["pre"] + TWO_EM + m["post"]
    return m["pre"] + (TWO_EM if after.isalpha() else THREE_EM) + m["post"]


# Letters elided inside a word: a first letter, two or three hyphens, the last few letters
# (``D--n``, ``d---d``). Not after a letter or an apostrophe (``don't--it``), and not after
# "a", "A" or "I", English words of one letter that a stammer repeats (``I--it``).
_ELIDED_LETTERS = re.compile(
    r"(?<![\w'\u2019])(?![aAI]-)([^\W\d_])-{2,3}(?=[a-z]{1,4}(?![\w'\u2019]))")
_ELIDED_LETTERS_SIEVE = ("--",)


@run_rule
def elided_letters(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Letters elided inside a word: ``D--n`` -> D⸺n, ``d---d`` -> d⸺d (CMOS 6.97; SEMoS 8);
    the missing letters take a two-em dash joined to the letters kept (Standard Ebooks ⸺
    for partially elided words); before the breaks, which would read the hyphens as an em
    dash."""
    return sub_run(inlines, _ELIDED_LETTERS, lambda m: m.group(1) + TWO_EM, _ELIDED_LETTERS_SIEVE)


def multi_em_dashes_rule(style: DashStyle) -> RunRule:
    @run_rule
    def multi_em_dashes(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
        """Elided names: ``D----`` -> D⸺ (two-em, CMOS 6.96), ``Lord ----,`` -> Lord ⸻,
        (three-em, CMOS 6.97), ``——`` -> ⸺; a long run after a word is a break (to—You)."""
        # Long dashes and breaks settle together: a long dash that becomes a break may leave
        # a break pattern beside it ("- - ----a"), which the next pass sets.
        for _ in range(4):
            long_set = sub_run(inlines, _LONG_DASH, lambda m: _long_dash(m, style),
                               _LONG_DASH_SIEVE)
            new = sub_run(long_set, _BREAK, _break_dash(style), _BREAK_SIEVE)
            if new == inlines:
                break
            inlines = new
        return inlines

    return multi_em_dashes


# ---------------------------------------------------------------- en dashes in ranges

# Not inside a longer number, date, time, decimal or chain of hyphenated numbers. A colon
# after the range continues it only when a digit follows (10:30, 3:16); before a word or a
# space it is the sentence's colon ("pages 3--7: see"), and French spacing, which puts a
# space before it, then decides nothing about the range.
_RANGE = re.compile(
    r"(?<![\d\-\u2013/:])(?<!\d[.,])(\d+)(--?)(\d+)(?![\d\-\u2013/]|[.,:]\d)")
_RANGE_SIEVE = re.compile(r"\d--?\d")


def _range(m: re.Match[str]) -> str:
    first, second = m.group(1), m.group(3)
    # 555-1234 is a telephone number, not a range: ranges never lengthen a long first number.
    if len(first) >= 3 and len(second) > len(first):
        return m.group()
    return f"{first}{EN}{second}"


@run_rule
def en_dash_ranges(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Number ranges take an en dash: 1914-1918 -> 1914–1918, pp. 12-14 -> 12–14 (CMOS 6.78);
    dates (2024-01-05) and telephone numbers keep their hyphens."""
    return sub_run(inlines, _RANGE, _range, _RANGE_SIEVE)


# ---------------------------------------------------------------- em dashes for breaks

_BREAK = led_by(
    " \t\\-\u2014",
    r"[ \t]*(?<!-)-{2,3}(?!-)[ \t]*"  # -- or --- with any spaces
    r"|(?<=[^\s\d]) - (?=\S)|(?<=\S) - (?=[^\s\d])"  # a spaced hyphen between words
    r"|(?<=[^\s.\u2014\u2026])[ \t]*\u2014(?!\u2014)[ \t]*(?=[^\s\u2026])"  # between words
)
_BREAK_SIEVE = ("--", " - ", "\u2014")
_OPENING = set("\"'\u201c\u2018\u201e\u201a\u00ab\u00bb([{\n")
# Marks that open or close by where they stand: straight quotes, and guillemets, which point
# outward in French (« »), inward in German (» «).
_EITHER_WAY = "\"'\u00ab\u00bb"


def _spaced(m: re.Match[str], glyph: str) -> str:
    text, start, end = m.string, m.start(), m.end()
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    after2 = text[end + 1] if end + 1 < len(text) else ""
    # Such a mark opens only after a space or at the start ("--" after ?" follows a close).
    opening_before = before in _OPENING and not (
        before in _EITHER_WAY and start >= 2 and not text[start - 2].isspace())
    left = " " if before and not opening_before else ""
    right = " " if after.isalnum() or (
        after in "\"'\u201c\u2018\u201e\u00ab\u00bb" and after2.isalnum()) else ""
    return f"{left}{glyph}{right}"


def _break_glyph(m: re.Match[str], style: DashStyle) -> str:
    """A break as the style sets it: closed em dash, spaced en dash (German Gedankenstrich),
    or spaced em dash (French tiret: a dialogue reply opens ``— Jean``, an incise reads
    ``Gardens — maison … 1814 —, était``)."""
    if style == "em":
        return EM
    return _spaced(m, EN if style == "spaced-en" else EM)


def _break_dash(style: DashStyle) -> Callable[[re.Match[str]], str]:
    def dash(m: re.Match[str]) -> str:
        text, start, end = m.string, m.start(), m.end()
        if m.group() == "--" and text[start - 1:start].isdigit() and text[end:end + 1].isdigit():
            return m.group()  # 3--7 is a range: en_dash_ranges sets it
        return _break_glyph(m, style)

    return dash


def em_dashes_rule(style: DashStyle) -> RunRule:
    @run_rule
    def em_dashes(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
        """Breaks: ``--``, ``---`` and a spaced `` - `` between words to a closed em dash
        (CMOS 6.85), or with ``dashes = "spaced-en"`` to a spaced en dash (Bringhurst 5.2.2),
        with ``"spaced-em"`` to a spaced em dash (French: Imprimerie nationale);
        a dash ending an interrupted quotation stays inside it (“But—”)."""
        return sub_run_settled(inlines, _BREAK, _break_dash(style), sieve=_BREAK_SIEVE)

    return em_dashes
