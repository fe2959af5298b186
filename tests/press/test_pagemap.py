"""The page map: printed page labels and where each page begins in the model, from extracted
PDF text (written here by hand, with the furniture real pages carry)."""

from __future__ import annotations

from octavo.model import (
    BlockQuote,
    Book,
    Chapter,
    Emphasis,
    Metadata,
    Paragraph,
    Part,
    Text,
    verse_of,
)
from octavo.press.pagemap import (
    PageStart,
    folio_candidates,
    letters,
    page_labels,
    page_map_from_text,
    roman_value,
)
from octavo.render.html import (
    HtmlOptions,
    book_sections,
    render_chapter,
    render_part_title,
    text_units,
)

LOREM = (
    "Marley was dead to begin with there is no doubt whatever about that the register of his "
    "burial was signed by the clergyman the clerk the undertaker and the chief mourner"
)


def para(text: str) -> Paragraph:
    return Paragraph((Text(text),))


def small_book() -> Book:
    one = Chapter((Text("The Ghost"),), 1, (para(LOREM), para("Scrooge signed it. " + LOREM)))
    two = Chapter((Text("The Visit"),), 2, (
        para("Oh! But he was a tight-fisted hand at the grindstone, Scrooge!"),
        BlockQuote((para("External heat and cold had little influence on Scrooge."),)),
    ))
    return Book(Metadata("A Carol", ("Charles Dickens",)), body=(one, two))


def test_letters_ignore_case_punctuation_and_hyphenation() -> None:
    assert letters("“Tight-\nfisted,”") == "tightfisted"
    assert letters("c o n t e n t s") == "contents"


def test_roman_values_are_checked_both_ways() -> None:
    assert roman_value("xiv") == 14
    assert roman_value("iiii") is None
    assert roman_value("vx") is None


def test_folio_candidates_come_from_first_and_last_lines_only() -> None:
    assert folio_candidates("Chapter\ntext 12 text\n12") == ([12], [])
    assert folio_candidates("vii\nPreface text") == ([], [7])
    assert folio_candidates("a line\nthe year 1914 was\nend.") == ([], [])
    assert folio_candidates("text\na christmas carol 9") == ([9], [])


def test_labels_roman_front_matter_then_arabic_with_unnumbered_openers() -> None:
    texts = ["A Carol", "", "A Carol\nCharles Dickens", "Copyright", "Contents\nv",
             "", "Preface\nvii", "", "Stave I\nMarley", "text\n2", "text\n3", "", "Stave II\n5"]
    labels = page_labels(texts)
    assert labels == ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "1", "2", "3", "4", "5")


def test_labels_prefer_the_pdfs_own_page_labels() -> None:
    assert page_labels(["a\n7", "b\n8"], ["A-1", "A-2"]) == ("A-1", "A-2")


def test_labels_without_folios_count_pages() -> None:
    assert page_labels(["a", "b", ""]) == ("1", "2", "3")


def test_page_starts_skip_running_heads_and_rejoin_hyphenation() -> None:
    book = small_book()
    words = LOREM.split()
    # Page 1 opens on chapter 1's heading; page 2 has a running head and a folio, and opens
    # mid-paragraph with a word hyphenated across lines; page 3 is a blank verso; page 4
    # opens chapter 2 with a printed number line the ebook's heading does not have.
    page1 = "The Ghost\n" + " ".join(words[:10]) + "\n1"
    assert words[14] == "register"
    page2 = ("A Carol\n" + " ".join(words[10:14]) + " regis-\nter "
             + " ".join(words[15:]) + "\nScrooge signed it. " + LOREM + "\n2")
    page4 = ("Chapter Two\nThe Visit\nOh! But he was a tight-\nfisted hand at the grindstone,"
             " Scrooge!\nExternal heat and cold had little influence on Scrooge.\n5")
    pmap = page_map_from_text(book, ["A Carol\nCharles Dickens", page1, page2, "", page4], "x")
    sections = [s.id for s in book_sections(book)]
    assert pmap.pages[1] == PageStart("1", sections[0], (), 0)
    assert pmap.pages[2] == PageStart("2", sections[0], (0,), 10)
    assert pmap.pages[3].section is None and pmap.pages[3].label == "3"
    assert pmap.pages[4] == PageStart("4", sections[1], (), 0)
    assert pmap.pages[0].section is None
    assert pmap.pages[0].lead == "A Carol\nCharles Dickens"


def test_a_page_opening_on_a_hyphenated_word_is_marked_after_it() -> None:
    book = small_book()
    words = LOREM.split()
    page1 = "The Ghost\n" + " ".join(words[:5]) + " be-\n1"
    page2 = "gin " + " ".join(words[6:]) + "\n2"
    pmap = page_map_from_text(book, [page1, page2], "x")
    assert pmap.pages[1].path == (0,)
    assert pmap.pages[1].word == 6


def test_text_units_follow_blocks_into_quotes_and_skip_nothing_visible() -> None:
    book = small_book()
    chapter2 = book_sections(book)[1]
    units = list(text_units(book, chapter2))
    assert [path for path, _ in units] == [(), (0,), (1, 0)]
    assert units[0][1] == "The Visit"


def test_markers_render_before_the_right_word_across_inline_markup() -> None:
    chapter = Chapter((Text("Title"),), 1, (
        Paragraph((Text("one two"), Emphasis((Text(" three"),)), Text("four five"))),
        verse_of([((Text("a b"),), (Text("c d"),))]),
    ))
    book = Book(Metadata("T"), body=(chapter, chapter))
    section = book_sections(book)[0]
    opts = HtmlOptions(page_markers={section.id: {
        (): ((0, "9"),), (0,): ((2, "10"), (3, "11")), (1,): ((2, "12"),)}})
    html = render_chapter(book, section, opts)
    marker = '<span epub:type="pagebreak" role="doc-pagebreak" id="page-{0}" aria-label="{0}"></span>'
    assert html.index(marker.format("9")) < html.index("<header>")
    # Words count as ``str.split`` counts the plain text "one two threefour five": the
    # emphasis closes inside the word "threefour", so word 3 is "five".
    assert f"<em> {marker.format('10')}three</em>four {marker.format('11')}five" in html
    assert f'<span>{marker.format("12")}c d</span>' in html
    # A page that starts past the unit's last word closes the unit.
    other = book_sections(book)[1]
    assert marker.format("9") not in render_chapter(book, other, opts)


def test_part_title_markers_precede_the_heading() -> None:
    part = Part((Text("Book One"),), (Chapter((Text("A"),), 1, (para("x"),)),), 1)
    book = Book(Metadata("T"), body=(part,))
    section = book_sections(book)[0]
    html = render_part_title(book, section, HtmlOptions(page_markers={section.id: {(): ((0, "3"),)}}))
    assert html.index('id="page-3"') < html.index("<h1")


def test_a_page_far_past_the_last_one_found_is_still_found() -> None:
    # Distinct words, so any 40 letters occur once: pages the map could not follow (a
    # stretch of text print dropped) must not lose the rest of the book.
    words = [f"w{n:05d}" for n in range(6000)]
    book = Book(Metadata("T"), body=(Chapter((Text("Start"),), 1, (para(" ".join(words)),)),))
    pages = ["Start\n" + " ".join(words[:100]) + "\n1", " ".join(words[5000:5100]) + "\n2"]
    pmap = page_map_from_text(book, pages, "x")
    assert pmap.pages[1].word == 5000


def test_a_page_may_turn_at_a_dash_between_words() -> None:
    text = "It would not be safe for her—that she was not enough recovered; but Jane was firm"
    chapter = Chapter((Text("Going"),), 1, (para(text),))
    book = Book(Metadata("T"), body=(chapter,))
    page1 = "Going\nIt would not be safe for her—\n1"
    page2 = "that she was not enough recovered; but Jane was firm\n2"
    pmap = page_map_from_text(book, [page1, page2], "x")
    assert (pmap.pages[1].path, pmap.pages[1].word) == ((0,), 7)
    section = book_sections(book)[0]
    html = render_chapter(book, section, HtmlOptions(page_markers={section.id: {(0,): ((7, "2"),)}}))
    assert 'her—<span epub:type="pagebreak" role="doc-pagebreak" id="page-2" aria-label="2"></span>that' in html


def test_a_drop_capital_extracted_before_the_heading_is_put_back_into_its_word() -> None:
    """A drop capital is a float: pdfium extracts it before the chapter's heading, apart
    from the rest of its word. The page still begins at the heading, not after the word."""
    book = small_book()
    words = LOREM.split()
    page1 = "The Ghost\n" + " ".join(words) + "\nScrooge signed it. " + LOREM + "\n1"
    page2 = ("\u201cO\nChapter Two\nThe Visit\nh! But he was a tight-\nfisted hand at the "
             "grindstone, Scrooge!\nExternal heat and cold had little influence on Scrooge.")
    pmap = page_map_from_text(book, [page1, page2], "x")
    assert pmap.pages[1] == PageStart("2", book_sections(book)[1].id, (), 0)
