"""Where each printed page begins, in model terms: the bridge that lets the ebook carry the
print edition's page numbers without either backend knowing the other.

Each page's text is read back from a laid-out PDF (pypdfium2) and aligned against the model's
word stream. Only extracted text is used, never the print HTML, so whatever the print backend
does to lines (hyphenation, pre-broken lines, running heads, folios, footnotes) the map stays
right. A book laid out chapter by chapter aligns each chapter's pages when it is laid out,
against that chapter's words alone, and keeps them with it in the chapter cache; the join then
only numbers the pages (``joined_page_map``). A book laid out as one document is read back
whole (``derive_page_map``).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from ..model import Book
from ..render.html import Section, book_sections, marker_words, text_units
from ..render.labels import roman
from ..render.pagemap import PageMap, PageStart, letters


@dataclass(frozen=True, slots=True)
class _Word:
    section: str
    path: tuple[int, ...]
    index: int


@dataclass(frozen=True, slots=True)
class WordStream:
    """The model's letters and digits run together, with where each word starts in them."""

    chars: str
    starts: tuple[int, ...]
    words: tuple[_Word, ...]


# A needle shorter than this could match by chance (a running head, a lone common word).
MIN_NEEDLE = 12
NEEDLE = 40
# Running heads, folios and chapter numbers can precede a page's first word.
MAX_SKIPPED_WORDS = 30


def model_stream(book: Book, sections: Iterable[Section] | None = None) -> WordStream:
    """The words of ``sections`` (all the book's by default), in reading order."""
    chars: list[str] = []
    starts: list[int] = []
    words: list[_Word] = []
    offset = 0
    for section in book_sections(book) if sections is None else sections:
        for path, text in text_units(book, section):
            for index, raw in enumerate(marker_words(text)):
                norm = letters(raw)
                if not norm:
                    continue
                starts.append(offset)
                words.append(_Word(section.id, path, index))
                chars.append(norm)
                offset += len(norm)
    return WordStream("".join(chars), tuple(starts), tuple(words))


def page_words(text: str) -> list[str]:
    """A page's words, normalised; a word hyphenated across lines comes back whole."""
    return [w for w in (letters(raw) for raw in text.split()) if w]


_ARABIC = re.compile(r"^\d{1,4}$")
_ROMAN = re.compile(r"^[ivxlcdm]{1,8}$")


def roman_value(token: str) -> int | None:
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
    total = 0
    for a, b in zip(token, [*token[1:], ""], strict=True):
        v = values[a]
        total += -v if b and values[b] > v else v
    return total if total and roman(total).lower() == token else None


def folio_candidates(text: str) -> tuple[list[int], list[int]]:
    """Arabic and roman numbers at either end of a page's first or last line: a folio stands
    alone, or shares its line with the running head (``a christmas carol 9``)."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    arabic: list[int] = []
    romans: list[int] = []
    for line in sorted({*lines[:1], *lines[-1:]}):
        words = line.split()
        for token in sorted(set(words[:1] + words[-1:])):
            if _ARABIC.match(token):
                arabic.append(int(token))
            # Roman folios only alone: letter-spaced small caps ("c o n t e n t s") would
            # otherwise read as numerals.
            elif len(words) == 1 and _ROMAN.match(token) and (value := roman_value(token)):
                romans.append(value)
    return arabic, romans


def _mode_offset(pairs: Iterable[tuple[int, int]]) -> int | None:
    counts = Counter(number - index for index, number in pairs)
    return counts.most_common(1)[0][0] if counts else None


def page_labels(texts: Sequence[str], embedded: Sequence[str] = ()) -> tuple[str, ...]:
    """Each page's printed number: the PDF's own page labels when it has them, else read from
    the folios. Pages printed without a folio (openers, blanks) take their number from their
    neighbours; pages before arabic 1 are front matter, numbered in lower-case roman."""
    if embedded and all(embedded) and len(set(embedded)) == len(embedded):
        return tuple(embedded)
    arabic_pairs: list[tuple[int, int]] = []
    roman_pairs: list[tuple[int, int]] = []
    for i, text in enumerate(texts):
        arabic, romans = folio_candidates(text)
        arabic_pairs.extend((i, n) for n in arabic)
        roman_pairs.extend((i, n) for n in romans)
    arabic_offset = _mode_offset(arabic_pairs)
    if arabic_offset is None:
        return tuple(str(i + 1) for i in range(len(texts)))
    roman_offset = _mode_offset((i, n) for i, n in roman_pairs if i + arabic_offset < 1)
    labels: list[str] = []
    for i in range(len(texts)):
        if i + arabic_offset >= 1:
            labels.append(str(i + arabic_offset))
        elif roman_offset is not None and i + roman_offset >= 1:
            labels.append(roman(i + roman_offset).lower())
        else:
            labels.append(roman(i + 1).lower())
    return tuple(_unique(labels))


def _unique(labels: list[str]) -> list[str]:
    seen: Counter[str] = Counter()
    out = []
    for label in labels:
        seen[label] += 1
        out.append(label if seen[label] == 1 else f"{label}-{seen[label]}")
    return out


def locate_page(stream: WordStream, text: str, cursor: int) -> int | None:
    """Where in the model's letters a page's text begins, searching from ``cursor`` (just
    after where the previous page began). The page's first place that starts a run of text
    found there wins: what precedes it is furniture (running head, folio, a printed number
    line). Furniture is skipped a whole line at a time, or a word at a time only for a full
    needle of 40 letters, which does not match by chance; letter-spaced display type
    ("t h e  a d v e n t u r e s") must not be taken apart into words that match the text.
    A page is read as extracted and with a drop capital put back into its word
    (``page_readings``); the reading that begins earliest in the model is the page's."""
    readings = [_joined_words(lines) for lines in page_readings(text)]
    window_end = cursor + 4 * len(readings[0][0]) + 5000
    for end, min_needle in ((window_end, MIN_NEEDLE), (len(stream.chars), NEEDLE)):
        # Lost for a while (pages the model does not have, such as an index): a full needle
        # anywhere further on is still unambiguous.
        found = [at for joined, word_starts, line_starts in readings
                 if (at := _search(stream, joined, word_starts, line_starts, cursor, end,
                                   min_needle)) is not None]
        if found:
            return min(found)
    return None


def page_readings(text: str) -> list[list[str]]:
    """A page's lines of text as extracted and, when one of its first two lines is a single
    letter, with that letter put back at the start of each of the next few lines: a drop
    capital is a float, extracted before the chapter's heading ("“M / Chapter 3 / A Case of
    Identity / y dear fellow"), apart from the word it begins."""
    lines = [ln for ln in text.splitlines() if letters(ln)]
    readings = [lines]
    drop = next((i for i, line in enumerate(lines[:2]) if len(letters(line)) == 1), None)
    if drop is not None:
        rest = lines[:drop] + lines[drop + 1:]
        capital = lines[drop].strip()
        for at in range(drop, min(drop + 4, len(rest))):
            readings.append([*rest[:at], capital + rest[at].lstrip(), *rest[at + 1:]])
    return readings


def _joined_words(lines: Sequence[str]) -> tuple[str, list[int], set[int]]:
    """A page's letters run together, where each word starts in them, and which words
    start a line."""
    words: list[str] = []
    line_starts: set[int] = set()
    for line in lines:
        line_starts.add(len(words))
        words.extend(w for w in (letters(raw) for raw in line.split()) if w)
    word_starts = []
    offset = 0
    for w in words:
        word_starts.append(offset)
        offset += len(w)
    return "".join(words), word_starts, line_starts


def _search(stream: WordStream, joined: str, word_starts: Sequence[int], line_starts: set[int],
            cursor: int, window_end: int, min_needle: int) -> int | None:
    words = len(word_starts)
    for j, start in enumerate(word_starts[:MAX_SKIPPED_WORDS]):
        rest = joined[start:]
        at_line = j in line_starts
        if not at_line and len(rest) < NEEDLE:
            continue
        # A short page (the last lines of a chapter) is tried without its final word too,
        # which is usually the folio.
        tail_free = joined[start:word_starts[-1]] if words - j > 1 else rest
        for needle in (rest[:NEEDLE], tail_free[:NEEDLE]):
            # Short needles only nearby and as a whole page's text: a lone word matches
            # anywhere.
            whole_page = min_needle < NEEDLE and j == 0 and len(needle) >= 4
            if len(needle) < min_needle and not whole_page:
                continue
            found = stream.chars.find(needle, cursor, window_end + len(needle))
            if found >= 0:
                return found
    return None


def page_texts(pdf: bytes) -> tuple[str, ...]:
    """Each page's text as pypdfium2 extracts it."""
    return _read_back(pdf, labels=False)[0]


def _read_back(pdf: bytes, labels: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Each page's text and, with ``labels``, the page labels the PDF gives its pages."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        pages = range(len(doc))
        return (tuple(doc[i].get_textpage().get_text_range() for i in pages),
                tuple(doc.get_page_label(i) for i in pages) if labels else ())
    finally:
        doc.close()


def derive_page_map(book: Book, pdf: bytes, source: str) -> PageMap:
    """The page map of a print edition of ``book`` laid out as one document."""
    texts, embedded = _read_back(pdf, labels=True)
    return page_map_from_text(book, texts, source, embedded)


def page_map_from_text(
    book: Book, texts: Sequence[str], source: str, embedded_labels: Sequence[str] = ()
) -> PageMap:
    labels = page_labels(texts, embedded_labels)
    starts = aligned_pages(model_stream(book), texts)
    return PageMap(tuple(replace(start, label=label)
                         for label, start in zip(labels, starts, strict=True)), source)


def joined_page_map(label_texts: Sequence[str], starts: Sequence[PageStart],
                    source: str) -> PageMap:
    """The page map of a book joined from pieces: each page's start as its piece aligned it
    (``aligned_pages``; a blank page has none), labelled from the folios of ``label_texts``
    (each page's furniture, or its whole text)."""
    labels = page_labels(label_texts)
    return PageMap(tuple(replace(start, label=label)
                         for label, start in zip(labels, starts, strict=True)), source)


def blank_page() -> PageStart:
    return PageStart("", None)


def aligned_pages(stream: WordStream, texts: Sequence[str]) -> tuple[PageStart, ...]:
    """Where each page (by its text, in order) begins in ``stream``, its label left empty: a
    page with no text of the stream on it keeps its first lines as its lead instead."""
    pages: list[PageStart] = []
    cursor = 0
    for text in texts:
        found = locate_page(stream, text, cursor) if letters(text) else None
        if found is None:
            lead = "\n".join(ln.strip() for ln in text.splitlines()[:3] if ln.strip())
            pages.append(PageStart("", None, lead=lead))
            continue
        k = bisect.bisect_right(stream.starts, found) - 1
        if found > stream.starts[k] and k + 1 < len(stream.words):
            # The page opens on the second half of a word hyphenated across the turn: the
            # word belongs to the page it starts on, and the marker follows it.
            k += 1
        word = stream.words[k]
        pages.append(PageStart("", word.section, word.path, word.index))
        cursor = found + 1
    return tuple(pages)
