"""Checks of the running text: a word typed twice, emphasis left open, a quotation closed
that was never opened."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import Diagnostic
from ..normalize.languages import QUOTE_MARKS
from .context import Manuscript, text_units

# The same word twice with only spaces between: "the the". A comma or dash between them ("Ha,
# ha", "No—no") is the author's rhythm and is not matched, nor is a line end inside verse.
_DOUBLED = re.compile(r"(?<![\w'’-])([^\W\d_]+)([ \t\u00a0]+)(\1)(?![\w'’-])", re.IGNORECASE)
_TRIPLED = re.compile(r"[ \t\u00a0]+([^\W\d_]+)(?![\w'’-])", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?:^|[.!?…][’”'\"]?\s+)$")

# English doubles these words on purpose, in any book: a past perfect ("she had had enough"),
# a conjunction before a demonstrative ("that that was all"), "her" as object then possessive
# ("give her her head"), a particle before its preposition ("took the letters in in the
# morning"), "what it is is", "they do do"; and idioms that are a word said twice ("so so",
# "there there", "now now", "well well", "ha ha", "very very").
GRAMMATICAL_DOUBLES = frozenset({
    "had", "that", "her", "in", "on", "is", "do",
    "so", "there", "now", "well", "ha", "ho", "no", "tut", "bye", "very",
})


def doubled_words(ms: Manuscript) -> Iterator[Diagnostic]:
    """W001: the same word twice in a row ("the the"), the commonest slip of the keyboard.
    Three times in a row ("ha ha ha") is never a slip; a name said twice mid-sentence
    ("called Scrooge Scrooge") is a name."""
    for unit in text_units(ms.book):
        for m in _DOUBLED.finditer(unit.text):
            first, second = m.group(1), m.group(3)
            if first.lower() in GRAMMATICAL_DOUBLES:
                continue
            if first != second and not (first.istitle() and second.islower()):
                continue  # "The the" is the slip; other mixed cases are deliberate
            if first.istitle() and second.istitle() and not _SENTENCE_END.search(
                    unit.text[: m.start()]):
                continue
            third = _TRIPLED.match(unit.text, m.end())
            if third and third.group(1).lower() == first.lower():
                continue
            pattern = re.compile(rf"(?<![\w'’-]){re.escape(first)}\s+{re.escape(second)}"
                                 r"(?![\w'’-])", re.IGNORECASE)
            yield Diagnostic(
                "W001", "warning", f"doubled word “{first} {second}”",
                ms.locate(unit.span, pattern), fix=f"delete one “{second}”")


# Emphasis markers Markdown or the plain-text reader left as text because nothing closed
# them: a * or _ that opens before a word or closes after one.
_OPEN_MARK = re.compile(r"(?:(?<=\s)|^)(\*{1,2}|_{1,2})(?=[^\W\d_])")
_CLOSE_MARK = re.compile(r"(?:(?<=[^\W\d_][.,;:!?’”])|(?<=[^\W\d_]))(\*{1,2}|_{1,2})(?=\s|$|[.,;:!?’”])")


def emphasis_left_open(ms: Manuscript) -> Iterator[Diagnostic]:
    """M001: a ``*`` or ``_`` emphasis marker with no partner, printed as a literal star."""
    for unit in text_units(ms.book):
        for regex in (_OPEN_MARK, _CLOSE_MARK):
            m = regex.search(unit.text)
            if m is None:
                continue
            mark = m.group(1)
            after = unit.text[m.end(): m.end() + 12].split(" ")[0]
            before = unit.text[max(0, m.start() - 12): m.start()].split(" ")[-1]
            context = f"{mark}{after}" if regex is _OPEN_MARK else f"{before}{mark}"
            pattern = re.compile(re.escape(mark) + re.escape(after) if regex is _OPEN_MARK
                                 else re.escape(before) + re.escape(mark))
            yield Diagnostic(
                "M001", "warning", f"emphasis marker {mark} left open near “{context}”",
                ms.locate(unit.span, pattern),
                fix=f"close it with a matching {mark}, or write \\{mark[0]} for a literal "
                    f"{mark[0]}")
            break


def quotes_closed_twice(ms: Manuscript) -> Iterator[Diagnostic]:
    """Q002: a closing quotation mark where no quotation is open (closed twice, or never
    opened). Q001, a quotation never closed, comes from the build's own balance check."""
    marks = QUOTE_MARKS[ms.quotes]
    if marks.close_primary == "’":
        return  # en-GB: the closing mark is also the apostrophe, so a stray one proves nothing
    for unit in text_units(ms.book):
        open_ = False
        for i, ch in enumerate(unit.text):
            if ch == marks.open_primary:
                open_ = True
            elif ch == marks.close_primary:
                if not open_:
                    pattern = re.compile(_source_quote_near(unit.text, i))
                    yield Diagnostic(
                        "Q002", "warning",
                        f"a quotation closes here that was never opened: "
                        f"“…{unit.text[max(0, i - 24): i + 1].lstrip()}”",
                        ms.locate(unit.span, pattern),
                        fix="delete the extra closing mark, or add the opening one")
                    break
                open_ = False


def _source_quote_near(text: str, index: int) -> str:
    """A pattern for the words before a quotation mark at ``index``, with the mark written
    straight or curly, as the manuscript may have it."""
    lead = re.findall(r"[^\W\d_]+", text[max(0, index - 30): index])
    words = r"\W+".join(re.escape(w) for w in lead[-2:])
    return rf"{words}\W*[\"”»“]" if words else r"[\"”»“]"
