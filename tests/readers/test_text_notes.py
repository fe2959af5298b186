"""Numbered notes in an author's plain-text manuscript (not a Gutenberg text): markers
``[1]``, ``[12]``, ``*`` and ``†`` after a word, their notes after the paragraph, at the
chapter's end or in a ``# Notes`` chapter at the end of the book. Read as the Gutenberg
reader reads them (readers/notes.py): each note tied to its marker, numbered in the order the
text calls them, and in the EPUB a noteref right after the word with a footnote aside
linking back; no marker is left as text."""

from __future__ import annotations

import collections
import re
import shutil
from pathlib import Path

import pytest

from conftest import Built, build_book, epubcheck_messages, pdf_pages_text
from epub_reading import EPUB_TYPE, NS, open_package
from octavo.build import build
from octavo.model import Chapter, Note, NoteRef, Paragraph, Text, inline_text
from octavo.readers import read_document

FIXTURE = Path(__file__).parents[1] / "fixtures" / "notes" / "harbour-notes.txt"
# The word each note is called after, and the note's text, in the order they are called.
CALLED = [
    ("dusk", "In that month dusk fell a little after five."),
    ("ledger", "The ledger is now in the town museum; its first pages are in another hand, "
               "and the ink has gone brown."),
    ("bollard", "The same gull, the master said, for thirty years."),
    ("water", "A sea fog, which the fishermen called the haar."),
    ("noon.", "The lamp burned paraffin; the daughter trimmed the wick each hour."),
    ("nets", "With tar twine, which he bought by the pound."),
    ("lifted", "Notes may be numbered as the author pleases."),
]


def test_plain_text_notes_are_tied_to_their_markers() -> None:
    document = read_document(FIXTURE, lambda _table: {})
    chapters = [c for c in document.body if isinstance(c, Chapter)]
    # The notes chapter at the end gave its notes to the chapters that call them.
    assert [inline_text(c.title) for c in chapters] == ["Chapter 1", "Chapter 2", "Chapter 3"]
    notes = {b.id: inline_text(b.blocks[0].inlines) for c in chapters for b in c.blocks
             if isinstance(b, Note) and isinstance(b.blocks[0], Paragraph)}
    called: list[tuple[str, str]] = []
    for chapter in chapters:
        for block in chapter.blocks:
            if isinstance(block, Paragraph):
                for k, node in enumerate(block.inlines):
                    if isinstance(node, NoteRef):
                        before = block.inlines[k - 1]
                        assert isinstance(before, Text)
                        called.append((before.text.split()[-1], notes[node.id]))
                assert not re.search(r"\[\d+\]|[*†]", inline_text(block.inlines))
    assert called == CALLED
    assert not [d for d in document.diagnostics if d.code in ("N001", "N002")]


def test_a_star_list_after_emphasis_stays_text() -> None:
    from octavo.readers.source import SourceText
    from octavo.readers.text import read_text

    text = "A *bold* claim.\n\n* first thing\n\n* second thing\n"
    document = read_text(SourceText(Path("list.txt"), text))
    blocks = [b for c in document.body if isinstance(c, Chapter) for b in c.blocks]
    assert not any(isinstance(b, Note) for b in blocks)
    assert [inline_text(b.inlines) for b in blocks if isinstance(b, Paragraph)][1:] == [
        "* first thing", "* second thing"]
    assert not document.diagnostics


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("text-notes")
    shutil.copy(FIXTURE, folder / FIXTURE.name)
    return build_book(folder / FIXTURE.name, tmp_path_factory.mktemp("text-notes-out"),
                      ("epub",))


def test_epub_has_each_noteref_after_its_word_and_notes_linking_back(built: Built) -> None:
    pkg = open_package(built.epub)
    called: list[tuple[str, str]] = []
    for href in pkg.spine_hrefs():
        root = pkg.xhtml(href)
        body = "".join(root.itertext())
        assert not re.search(r"\[\d+\]|[*†]", body), href
        asides = {a.get("id"): a for a in root.iterfind(".//x:aside", NS)}
        for ref in root.iter(f"{{{NS['x']}}}a"):
            if "noteref" not in (ref.get(EPUB_TYPE) or "").split():
                continue
            aside = asides[ref.get("href", "").removeprefix("#")]
            assert "footnote" in (aside.get(EPUB_TYPE) or "")
            back = aside.find(".//x:a[@class='note-back']", NS)
            assert back is not None and back.get("href") == f"#{ref.get('id')}"
            assert back.text == ref.text
            parent = ref.getparent()
            assert parent is not None
            previous = ref.getprevious()
            before = (previous.tail if previous is not None else parent.text) or ""
            note = " ".join(" ".join("".join(p.itertext()).split())
                            for p in aside.iterfind("x:p", NS) if p.get("class") != "note-label")
            called.append((before.split()[-1], note))
    assert [w for w, _ in called] == [w for w, _ in CALLED]
    assert [n for _, n in called] == [" ".join(n.split()) for _, n in CALLED]


def test_epub_passes_epubcheck(built: Built) -> None:
    assert epubcheck_messages(built.epub) == []


# --------------------------------------------------------------------------- print


LONG_NOTE = Path(__file__).parents[1] / "fixtures" / "notes" / "long-footnote.md"


def _long_note_book(tmp_path: Path, theme: str) -> Path:
    folder = tmp_path / theme
    folder.mkdir()
    shutil.copy(LONG_NOTE, folder / LONG_NOTE.name)
    (folder / "book.toml").write_text(f'title = "The Register"\ntheme = "{theme}"\n',
                                      encoding="utf-8")
    return build(folder, tmp_path / f"{theme}-out", ("pdf",)).outputs["pdf"]  # type: ignore[arg-type]


def _sized_chars(page: object) -> list[tuple[float, float, float, str]]:
    """Each printed character's font size, bottom and top (PDF points), and itself."""
    import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

    text = page.get_textpage()  # type: ignore[attr-defined]
    out = []
    for i in range(text.count_chars()):
        char = text.get_text_range(i, 1)
        if char.strip():
            _, bottom, _, top = text.get_charbox(i)
            out.append((round(pdfium_c.FPDFText_GetFontSize(text.raw, i), 1), bottom, top,
                        char))
    return out


@pytest.mark.parametrize("theme", ["classic", "modern"])
def test_a_footnote_longer_than_the_room_left_runs_on_to_the_next_page(tmp_path: Path,
                                                                        theme: str) -> None:
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    pdf = _long_note_book(tmp_path, theme)
    pages = [" ".join(t.split()) for t in pdf_pages_text(pdf)]
    call = next(i for i, t in enumerate(pages) if "opened the register" in t)
    note = next(i for i, t in enumerate(pages) if "survives in two volumes" in t)
    # The note says its four sentences over again: it ends where the last is.
    note_end = max(i for i, t in enumerate(pages) if "also owns but does not show" in t)
    # The note begins at the foot of its call's page and runs on to the next, unnumbered.
    assert note == call and note_end == call + 1
    # Numbered once (classic "1. ", modern "1" and an en space).
    assert sum(len(re.findall(r"(?<!\d)1\.?\s*The register", t)) for t in pages) == 1
    # The page before the call's is not left short: the call's page is the one after it.
    assert "opened the register" not in pages[call - 1]
    assert len(pages[call]) > 3000 and len(pages[call - 1]) > 1000
    doc = pdfium.PdfDocument(str(pdf))
    try:
        for number in (call, call + 1):
            chars = _sized_chars(doc[number])
            # The text's type: the largest that sets more than a few lines' worth.
            counts = collections.Counter(c[0] for c in chars)
            body_size = max(size for size, count in counts.items() if count > 150)
            body = [c for c in chars if c[0] == body_size]
            # (The call's figure is small type too, in the text.)
            small = [c for c in chars if c[0] < body_size and c[3] not in "0123456789"]
            body_top, body_bottom = max(c[2] for c in body), min(c[1] for c in body)
            # The note's type lies below the text and above the page's foot; above the text
            # only the running head and folio, never a note.
            below = [c for c in small if c[2] <= body_bottom]
            above = [c for c in small if c[1] >= body_top]
            assert len(below) + len(above) == len(small), number
            assert len(below) > 500 and len(above) < 30, number
            assert min(c[1] for c in below) > 36, number
    finally:
        doc.close()


def test_a_note_after_a_run_on_note_keeps_its_number(tmp_path: Path) -> None:
    text = LONG_NOTE.read_text(encoding="utf-8")
    body, notes = text.split("[^register]:", 1)
    manuscript = tmp_path / "after.md"
    manuscript.write_text(body + "At dawn the keeper put out the lamp.[^after]\n\n"
                          "[^register]:" + notes.rstrip() + "\n\n"
                          "[^after]: The second note of the chapter.\n", encoding="utf-8")
    result = build(manuscript, tmp_path / "out", ("pdf",))  # type: ignore[arg-type]
    pages = [" ".join(t.split()) for t in pdf_pages_text(result.outputs["pdf"])]
    call = next(i for i, t in enumerate(pages) if "opened the register" in t)
    assert "survives in two volumes" in pages[call]
    after = next(i for i, t in enumerate(pages) if "second note of the chapter" in t)
    assert after > call
    # The run-on note's continuation took no number: the next note is the second.
    assert "2. The second note of the chapter." in pages[after]
    assert "the lamp.2" in pages[after]


def test_a_markdown_footnote_of_two_paragraphs_prints(tmp_path: Path) -> None:
    manuscript = tmp_path / "two.md"
    manuscript.write_text("# One\n\nThe keeper opened the register[^r] and wrote.\n\n"
                          "[^r]: First paragraph of the note.\n\n"
                          "    Second paragraph of the note.\n", encoding="utf-8")
    result = build(manuscript, tmp_path / "out", ("pdf",))  # type: ignore[arg-type]
    pages = [" ".join(t.split()) for t in pdf_pages_text(result.outputs["pdf"])]
    call = next(i for i, t in enumerate(pages) if "opened the register" in t)
    # Both paragraphs at the foot of the call's page, the second on a line of its own.
    assert "1. First paragraph of the note." in pages[call]
    assert "Second paragraph of the note." in pages[call]
    lines = [line.strip() for line in pdf_pages_text(result.outputs["pdf"])[call].splitlines()]
    assert "Second paragraph of the note." in lines


def test_a_note_cut_between_lines_keeps_its_markup_and_words() -> None:
    from octavo.press.notes import NoteBox, Split, split_notes

    inner = ('<span>Alpha beta <em>gamma delta</em> epsi&amp;lon.</span><br/>'
             '<span>Zeta eta.</span>')
    html = f'<p>x<span class="footnote" id="note-a">{inner}</span> y</p>'

    def cut(*lines: str) -> str:
        note = NoteBox(0, 0.0, (1.0, 2.0, 3.0), lines, 3.0, True)
        return split_notes(html, {"note-a": Split((2,), 0)}, {"note-a": note})

    # Inside a word: the head ends with the hyphen the line was set with, justified.
    assert cut("Alpha beta gamma", "delta epsi&lon. Ze\u2010", "ta eta.") == (
        '<p>x<span class="footnote octavo-note-head" id="note-a"><span>Alpha beta '
        "<em>gamma delta</em> epsi&amp;lon.</span><span style=\"display: block; "
        'text-align-last: justify"><span>Ze\u2010</span></span></span>'
        '<span class="footnote octavo-note-rest" data-octavo-rest="note-a"><span>ta eta.</span>'
        "</span> y</p>")
    # At a paragraph's end: no break left at the continuation's start, nothing justified.
    assert cut("Alpha beta gamma", "delta epsi&lon.", "Zeta eta.") == (
        '<p>x<span class="footnote octavo-note-head" id="note-a"><span>Alpha beta '
        "<em>gamma delta</em> epsi&amp;lon.</span></span>"
        '<span class="footnote octavo-note-rest" data-octavo-rest="note-a"><span>Zeta eta.'
        "</span></span> y</p>")
    # Inside an emphasis: closed at the cut, opened again after it.
    assert '<em>gamma</em></span></span><span class="footnote octavo-note-rest" ' \
        'data-octavo-rest="note-a"><span><em>delta</em>' in split_notes(html, {"note-a": Split((1,), 0)}, {"note-a": NoteBox(
            0, 0.0, (1.0, 2.0), ("Alpha beta gamma", "delta epsi&lon. Zeta eta."), 2.0,
            False)})
    # Lines that do not read as the note does: left whole.
    assert cut("Alpha beta gamma", "delta omega", "Zeta eta.") == html


def test_the_exported_print_html_runs_the_long_note_on_too(tmp_path: Path) -> None:
    import weasyprint

    result = build(LONG_NOTE, tmp_path, ("pdf", "html"))  # type: ignore[arg-type]
    exported = Path(result.outputs["html"])
    html = exported.read_text(encoding="utf-8")
    # WeasyPrint alone lays the exported HTML out as the book's PDF: the note runs on there too.
    alone = pdf_pages_text(weasyprint.HTML(filename=str(exported)).write_pdf())
    assert pdf_pages_text(Path(result.outputs["pdf"]))[:len(alone)] == alone
    # Its continuation is a footnote of its own, and the stylesheet keeps it unnumbered.
    assert html.count('class="footnote octavo-note-rest"') == 1
    # The pieces' own rules close the exported stylesheet (one sheet: WeasyPrint reads every
    # @page rule once a sheet at each page).
    css = exported.with_suffix(".css").read_text(encoding="utf-8")
    assert "<style" not in html
    assert "@footnote { max-height:" in css
    assert "octavo-note-rest::footnote-marker" in css


def test_a_note_of_several_pages_runs_on_page_after_page(tmp_path: Path) -> None:
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    text = LONG_NOTE.read_text(encoding="utf-8")
    body = text.split("[^register]:", 1)[0]
    words = ["ledger", "lamp", "wick", "oil", "storm", "signal", "brass", "rail", "harbour",
             "shingle", "clock", "keeper", "daughter", "cousin", "pedlar", "museum"]
    # Sentences numbered as they go, so each page's share of the note is known.
    sentences = [f"Entry {n} names the {words[n % len(words)]} and the "
                 f"{words[(3 * n) % len(words)]} of that night." for n in range(1, 181)]
    manuscript = tmp_path / "several.md"
    more = body.split("\n", 1)[1].replace("[^register]", "")  # no title, no call
    manuscript.write_text(body + more + more + "[^register]: " + " ".join(sentences) + "\n",
                          encoding="utf-8")
    pdf = build(manuscript, tmp_path / "out", ("pdf",)).outputs["pdf"]  # type: ignore[arg-type]
    pages = [" ".join(t.split()) for t in pdf_pages_text(pdf)]
    call = next(i for i, t in enumerate(pages) if "opened the register" in t)
    holding = [i for i, t in enumerate(pages) if re.search(r"Entry \d+ names", t)]
    # From its call's page on, page after page, with text above it on each.
    assert holding[0] == call and len(holding) >= 3
    assert holding == list(range(call, call + len(holding)))
    assert "Entry 180 names" in pages[holding[-1]]
    entries = [int(n) for i in holding for n in re.findall(r"Entry (\d+) names", pages[i])]
    assert entries == sorted(entries) and entries[0] == 1
    doc = pdfium.PdfDocument(str(pdf))
    try:
        for number in holding:
            chars = _sized_chars(doc[number])
            body_size = max(c[0] for c in chars)
            body_chars = [c for c in chars if c[0] == body_size]
            small = [c for c in chars if c[0] < body_size * 0.85 and c[3].isalpha()]
            top, bottom = max(c[2] for c in body_chars), min(c[1] for c in body_chars)
            # The note under the text; above it only the running head.
            below = [c for c in small if c[2] <= bottom]
            assert len(body_chars) > 150 and len(below) > 300, number
            assert all(c[2] <= bottom or c[1] >= top for c in small), number
            assert len(small) - len(below) < 30, number
    finally:
        doc.close()
