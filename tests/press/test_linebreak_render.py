"""Chosen line breaks survive WeasyPrint: a small book laid out in each theme, read back with
pypdfium2. Every line octavo chose is a line of the PDF (none wrapped again), justified lines
reach the full measure, and no character of the manuscript is lost or repeated."""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest

from octavo.model import Book, Chapter, Emphasis, Inline, Metadata, Paragraph, SmallCaps, Text
from octavo.press.document import PdfOptions
from octavo.press.export import export_print_html
from octavo.press.pieces import render_pdf
from octavo.themes import available_themes, load_theme

# Invented prose with what novels have: dialogue, em dashes, compounds, italics, small
# capitals, long words the dictionary hyphenates, and a no-break space after a title.
PROSE = [
    "The correspondence which had passed between the two houses that winter was, by the "
    "admission of everybody concerned, extraordinarily voluminous; and the housekeeper, "
    "who understood perfectly well what was expected of her, carried the letters to the "
    "post herself every morning before breakfast, whatever the weather.",
    "“You cannot possibly mean to walk to the village in this rain,” said her sister, "
    "looking up from the window-seat with undisguised astonishment. “The lane is a river "
    "already—and the bridge, they say, is hardly to be trusted.”",
    "“I mean exactly that,” she replied, “and I shall be back before the candles are lit, "
    "whatever Mr.\u00a0Ashworth may have told you about the bridge.”",
    "Nothing could have been more characteristic of her than this determination; nothing, "
    "at the same time, could have been more unreasonable. The good-humoured indulgence with "
    "which the family generally received her schemes was not, on this occasion, extended to "
    "the plan itself, though everybody admired the spirit of it.",
    "She went, notwithstanding. The walk was longer and wetter than she had imagined, the "
    "wind more unaccommodating, the mud more tenacious; but the satisfaction of arriving at "
    "the post office door, dripping and triumphant, was considerable.",
]


def inlines(text: str, n: int) -> tuple[Inline, ...]:
    """The paragraph's text, with an italic phrase or small capitals in some paragraphs."""
    if n % 3 == 1 and " the " in text:
        head, tail = text.split(" the ", 1)
        return (Text(head + " "), Emphasis((Text("the " + tail.split(" ", 2)[0]),)),
                Text(" " + tail.split(" ", 2)[1] + " " + tail.split(" ", 2)[2]))
    if n % 3 == 2:
        return (SmallCaps((Text("Note"),)), Text(" " + text))
    return (Text(text),)


OPENINGS = ("Afterwards", "Besides", "Certainly", "Doubtless", "Eventually", "Finally",
            "Generally", "However", "Indeed", "Judging", "Kindly", "Lately", "Meanwhile",
            "Naturally")


def fixture_book() -> Book:
    # Each paragraph opens differently, so that every line of the book is told apart.
    paragraphs = [Paragraph(inlines(f"{OPENINGS[i]}, {PROSE[i % len(PROSE)]}", i))
                  for i in range(14)]
    # The first chapter opens on a long paragraph: beside a drop capital, WeasyPrint reads a
    # line's narrowest content on through the later lines, so a long one is the hard case.
    paragraphs[0] = Paragraph((Text(f"{OPENINGS[0]}, " + " ".join(PROSE)),))
    chapters = (
        Chapter((Text("The Letters"),), 1, tuple(paragraphs[:8])),
        Chapter((Text("The Walk"),), 2, tuple(paragraphs[8:])),
    )
    return Book(metadata=Metadata(title="The Letters", authors=("A. Writer",), language="en",
                                  identifier="urn:uuid:00000000-0000-4000-8000-00000000abcd"),
                body=chapters)


@dataclass(frozen=True)
class Rendered:
    book: Book
    pdf: bytes
    chosen: list[list[str]]  # per pre-broken paragraph, the text of each chosen line
    theme: str = ""


@pytest.fixture(scope="module", params=available_themes())
def rendered(request: pytest.FixtureRequest) -> Iterator[Rendered]:
    book = fixture_book()
    options = PdfOptions(theme=load_theme(request.param))
    result = render_pdf(book, options)
    # The HTML the pieces were laid out from, joined: every chosen line of the book.
    chosen = chosen_lines(export_print_html(book, options, "book.css").html)
    assert chosen, "the optimal breaker did not run"
    yield Rendered(book, result.data, chosen, request.param)


def chosen_lines(document: str) -> list[list[str]]:
    out = []
    for match in re.finditer(r'<p[^>]*class="[^"]*octavo-set[^"]*"[^>]*>(.*?)</p>', document,
                             re.S):
        out.append([html.unescape(re.sub(r"<[^>]+>", "", part)).strip()
                    for part in re.split(r"<br/>|\n", match.group(1))])
    return out


@dataclass(frozen=True)
class PdfLine:
    text: str
    left: float
    right: float
    bottom: float


def pdf_lines(data: bytes) -> list[list[PdfLine]]:
    """Each page's lines of text with their horizontal extent, from the glyph boxes."""
    doc = pdfium.PdfDocument(data)
    pages = []
    try:
        for index in range(len(doc)):
            textpage = doc[index].get_textpage()
            rows: dict[int, list[tuple[float, float, str]]] = {}
            for i in range(textpage.count_chars()):
                ch = textpage.get_text_range(i, 1)
                if not ch or ch in "\r\n":
                    continue
                left, bottom, right, _ = textpage.get_charbox(i, loose=True)
                rows.setdefault(round(bottom), []).append((left, right, ch))
            lines = []
            for key in sorted(rows, reverse=True):
                chars = sorted(rows[key])
                text = "".join(c for _, _, c in chars).replace("\ufffe", "-")
                inked = [c for c in chars if not c[2].isspace()]
                lines.append(PdfLine(re.sub(r"\s+", " ", text).strip(),
                                     inked[0][0] if inked else 0.0,
                                     inked[-1][1] if inked else 0.0, float(key)))
            pages.append(lines)
    finally:
        doc.close()
    return pages


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_breaker_sets_the_body_paragraphs(rendered: Rendered) -> None:
    multi_line = [p for p in rendered.chosen if len(p) > 1]
    assert len(multi_line) >= 10


def test_every_chosen_line_is_a_line_of_the_pdf(rendered: Rendered) -> None:
    """No line wrapped again: the PDF has exactly the lines the breaker chose, in order."""
    # Compared without spaces: pdfium infers them from the gaps, and misses some in a
    # letter-spaced small-capital lead-in.
    lines = [squash(line.text) for page in pdf_lines(rendered.pdf) for line in page]
    cursor = 0
    for paragraph in rendered.chosen:
        for number, chosen in enumerate(paragraph):
            want = squash(chosen)
            if number == 0 and want not in lines[cursor:]:
                want = want[1:]  # a drop capital floats out of its line
            assert want in lines[cursor:], f"line not set as chosen: {want!r}"
            cursor = lines.index(want, cursor) + 1


def test_chapter_openings_keep_their_leading(rendered: Rendered) -> None:
    """Each chapter's first paragraph, drop capital or not, is set on an even leading: no
    chosen line beside the capital is pushed down below it (it would stand loose there)."""
    openings = [squash(chapter.blocks[0].inlines[-1].text)[:30]  # type: ignore[attr-defined]
                for chapter in rendered.book.body if isinstance(chapter, Chapter)]
    checked = 0
    lines = [line for page in pdf_lines(rendered.pdf) for line in page]
    texts = [squash(line.text) for line in lines]
    cursor = 0
    for paragraph in rendered.chosen:
        found = []  # where each chosen line is among the PDF's lines
        for number, chosen in enumerate(paragraph):
            want = squash(chosen)
            if number == 0 and want not in texts[cursor:]:
                want = want[1:]  # a drop capital floats out of its line
            if want in texts[cursor:]:
                cursor = texts.index(want, cursor) + 1
                found.append(cursor - 1)
        if not any(o in squash("".join(paragraph[:2])) for o in openings):
            continue
        # Up to six lines: all on the opening page.
        assert len(found) == len(paragraph) >= 3
        bottoms = [lines[k].bottom for k in found[:6]]
        gaps = [a - b for a, b in itertools.pairwise(bottoms)]
        assert max(gaps) - min(gaps) <= 1.5, (paragraph[:6], gaps)
        checked += 1
    assert checked == len(openings)


def test_justified_lines_fill_the_measure(rendered: Rendered) -> None:
    chosen_full = {squash(line) for paragraph in rendered.chosen for line in paragraph[:-1]}
    checked = 0
    for page in pdf_lines(rendered.pdf):
        body = [line for line in page if squash(line.text) in chosen_full]
        if len(body) < 2:
            continue
        left = min(line.left for line in body)
        right = max(line.right for line in body)
        for line in body:
            # Against a first-line indent the left edge is further in; the right edge of a
            # justified line is the measure's, within 1.5 %: a letter-spaced line ends in
            # half a letter-space of air, and WeasyPrint justifies a letter-spaced text box
            # a little short (it counts its letter-spacing once too often).
            assert line.right >= right - 0.015 * (right - left), line.text
            assert line.left >= left - 0.5
            checked += 1
    assert checked >= 20


def drop_capital_forms(word: str) -> tuple[str, ...]:
    """A chapter's first word as it may extract: whole, or without the letter (and the
    opening quote before it) that a drop capital floats out of it."""
    if word[:1].isalnum():
        return (word, word[1:])
    return (word, word[1:], word[2:])


def words_of(book: Book) -> list[tuple[str, ...]]:
    """The manuscript's words in order, each with the forms it may extract as."""
    from octavo.model import inline_text

    words: list[tuple[str, ...]] = []
    for chapter in book.body:
        assert isinstance(chapter, Chapter)
        for number, block in enumerate(chapter.blocks):
            assert isinstance(block, Paragraph)
            text = inline_text(block.inlines).replace("\u00a0", " ").split()
            words.extend((w.lower(),) for w in text)
            if number == 0:
                # A drop capital (a float) extracts apart from its word, before the
                # chapter's heading: "A ... CHAPTER 1 ... fterwards".
                words[-len(text)] = drop_capital_forms(text[0].lower())
    return words


def pdf_words_of(data: bytes | str) -> list[str]:
    """The PDF's words, lower-cased (small capitals extract as their letters)."""
    doc = pdfium.PdfDocument(data)
    try:
        text = "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()
    # A hard hyphen that happens to end a line, pdfium reports as U+FFFE.
    return text.replace("\ufffe", "-").replace("\u00a0", " ").lower().split()


def first_missing_word(pdf_words: list[str], book_words: list[tuple[str, ...]]) -> str | None:
    """The first manuscript word (given as the forms it may extract as) not found in order
    in the PDF's words, or None when all are."""

    def match(forms: tuple[str, ...], i: int) -> int | None:
        # Where the word at ``i`` ends (index of its last token), or None. A word the
        # breaker hyphenated (U+2010) or broke after a dash continues on the next line, or
        # past a page's folio and running head.
        token = pdf_words[i]
        if token in forms:
            return i
        if i + 1 < len(pdf_words) and token + pdf_words[i + 1] in forms:
            return i + 1  # split where a fallback face takes over (⸺ in another font)
        if token.endswith("\u2010"):
            head = token[:-1]
        elif token[-1:] in "\u2014\u2013":
            head = token
        elif "-" in token:  # pdfium glues a hard hyphen ending a page to the folio: good-142
            head = token[:token.index("-") + 1]
        else:
            return None
        if forms[0].startswith(head) and len(forms[0]) > len(head):
            rest = forms[0][len(head):]
            # Past a page's folio and running head: a story's title may have six words.
            return next((j for j in range(i + 1, min(i + 16, len(pdf_words)))
                         if pdf_words[j] == rest), None)
        return None

    position = 0
    for forms in book_words:
        found = next((end for i in range(position, len(pdf_words))
                      if (end := match(forms, i)) is not None), None)
        if found is None:
            return f"{forms[0]!r} after word {position} of the PDF"
        position = found + 1
    return None


def test_no_character_is_lost_or_repeated(rendered: Rendered) -> None:
    pdf_words = pdf_words_of(rendered.pdf)
    book_words = words_of(rendered.book)
    assert first_missing_word(pdf_words, book_words) is None
    body = [w.lower() for w in pdf_words]
    manuscript = [forms[0] for forms in book_words]
    for word in set(manuscript):
        # Nothing doubled: the PDF has no more copies of a word than running heads and
        # titles can explain.
        assert body.count(word) <= manuscript.count(word) + 6, word


def glyph_origins(data: bytes, page: int) -> list[tuple[str, float, float, float]]:
    """(character, x, baseline y, font size) of each inked character on a page."""
    import ctypes

    import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

    doc = pdfium.PdfDocument(data)
    try:
        textpage = doc[page].get_textpage()
        out = []
        for i in range(textpage.count_chars()):
            ch = textpage.get_text_range(i, 1)
            if not ch.strip():
                continue
            x, y = ctypes.c_double(), ctypes.c_double()
            pdfium_c.FPDFText_GetCharOrigin(textpage.raw, i, x, y)
            out.append((ch, x.value, y.value, pdfium_c.FPDFText_GetFontSize(textpage.raw, i)))
        return out
    finally:
        doc.close()


def test_a_drop_capital_sits_in_two_lines(rendered: Rendered) -> None:
    """Where a theme opens chapters with a drop capital: its baseline is the second line's,
    and the third line, clear of it, starts at the full measure's left edge."""
    opening = OPENINGS[0]
    doc = pdfium.PdfDocument(rendered.pdf)
    try:
        page = next(i for i in range(len(doc))
                    if opening[1:] in doc[i].get_textpage().get_text_range())
    finally:
        doc.close()
    glyphs = glyph_origins(rendered.pdf, page)
    body_size = sorted(size for *_, size in glyphs)[len(glyphs) // 2]
    capitals = [g for g in glyphs if g[3] > 2.5 * body_size and g[0] == opening[0]]
    if "span.initial" not in load_theme(rendered.theme).print_css:
        assert not capitals
        return
    assert capitals, "no drop capital on the opening page"
    _, _, cap_baseline, _ = capitals[0]
    body = [g for g in glyphs if abs(g[3] - body_size) < 0.01]
    rows = sorted({round(y, 1) for _, _, y, _ in body if y < cap_baseline + body_size * 3},
                  reverse=True)
    left = min(g[1] for g in body)
    first, second, third = rows[:3]
    assert cap_baseline == pytest.approx(second, abs=0.5)
    starts = [min(g[1] for g in body if round(g[2], 1) == row) for row in (first, second, third)]
    assert starts[0] > left + body_size and starts[1] > left + body_size  # beside the capital
    assert starts[2] == pytest.approx(left, abs=0.5)
