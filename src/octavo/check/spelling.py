"""W002: one word spelled two ways in the same book (to-day and today, colour and color).

The pairs come from the book's own words: every word is turned into the spellings a few
generic patterns of English make of it (a hyphen closed up, -our/-or, -ise/-ize, -re/-er,
-ey/-ay), and a pair is reported when both spellings occur. No list of words is consulted. A
hyphenated form counts as a compound only when its parts (but the last, which may be
inflected) are words of the book: "won-der-ful" spells a word out, it is not a compound.

Patterns that only swap a letter also join different words (prey/pray, timbre/timber), so
their pairs must show that they are one word in use: both spellings keep the same company,
a neighbouring word that is not among the book's commonest words.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from ..model import Diagnostic, SourceSpan
from .context import Manuscript, text_units, word_pattern, words

# How many of the book's most frequent words count as grammar, not company: enough to cover
# articles, pronouns and prepositions in any English book; a short text (a few thousand
# distinct words or fewer) has proportionally fewer.
COMMON_WORDS = 100
COMMON_SHARE = 1 / 40


@dataclass(frozen=True, slots=True)
class Variant:
    """A spelling ``other`` of a word, made by ``pattern``; ``weak`` patterns can also join
    two different words and need the company test."""

    other: str
    pattern: str
    weak: bool


# (name, regex on the word, replacement, weak). A stem of three letters or more keeps
# four/for and prise/prize apart.
_PATTERNS: tuple[tuple[str, re.Pattern[str], str, bool], ...] = (
    ("-our/-or", re.compile(r"^([^\W\d_]{3,})our((?:s|ed|ing|ite|ites|able|ably|less)?)$"),
     r"\1or\2", False),
    ("-ise/-ize", re.compile(r"^([^\W\d_]{3,})([iy])s(e|es|ed|ing|ation|ations|er|ers)$"),
     r"\1\2z\3", False),
    ("-re/-er", re.compile(r"^([^\W\d_]{3,}[^\Waeiouy\d_])re(s?)$"), r"\1er\2", True),
    ("-ey/-ay", re.compile(r"^([^\W\d_]{2,})ey((?:s|er|est|ish|ness|ly)?)$"), r"\1ay\2", True),
)


def variants(word: str) -> Iterator[Variant]:
    """The other spellings the generic patterns make of ``word`` (lower case)."""
    if "-" in word:
        yield Variant(word.replace("-", ""), "hyphenated/closed", False)
    for name, regex, replacement, weak in _PATTERNS:
        if regex.match(word):
            yield Variant(regex.sub(replacement, word), name, weak)


@dataclass
class _Usage:
    count: int
    first: SourceSpan
    form: str  # as first written, with its capitals
    neighbours: set[str]


def spelled_two_ways(ms: Manuscript) -> Iterator[Diagnostic]:
    """W002: the same word spelled two ways in one book."""
    usage: dict[str, _Usage] = {}
    frequency: Counter[str] = Counter()
    for unit in text_units(ms.book):
        found = words(unit.text)
        lowered = [w.lower() for w in found]
        frequency.update(lowered)
        for i, (form, key) in enumerate(zip(found, lowered, strict=True)):
            u = usage.get(key)
            if u is None:
                u = usage[key] = _Usage(0, unit.span, form, set())
            u.count += 1
            u.neighbours.update(lowered[max(0, i - 1): i] + lowered[i + 1: i + 2])
    grammar = min(COMMON_WORDS, int(len(frequency) * COMMON_SHARE))
    common = {w for w, _ in frequency.most_common(grammar)}
    for key in sorted(usage):
        for variant in variants(key):
            other = usage.get(variant.other)
            if other is None or variant.other == key:
                continue
            if "-" in key and not all(part in usage for part in key.split("-")[:-1]):
                continue  # spelled out in syllables for effect ("won-der-ful"), not a compound
            mine = usage[key]
            if variant.weak and not (mine.neighbours & other.neighbours) - common:
                continue
            # Point at the rarer spelling, where the author is likelier to change it.
            rare, usual = (mine, other) if mine.count <= other.count else (other, mine)
            yield Diagnostic(
                "W002", "warning",
                f"“{rare.form}” ({rare.count}×) and “{usual.form}” ({usual.count}×) are the "
                f"same word spelled two ways ({variant.pattern})",
                ms.locate(rare.first, word_pattern(rare.form)),
                fix=f"use one spelling throughout (“{usual.form.lower()}” is the more frequent)"
                if usual.count > rare.count else "use one spelling throughout")
