"""The whole print cover's back and spine: the ISBN's EAN-13 barcode (read back from a render
by a barcode reader, at its nominal size, in the barcode area), the back's text fitted to its
box, the author's note, and title, author and publisher along the spine only on a book thick
enough for them, in the direction asked for."""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import zxingcpp
from click.testing import CliRunner

from octavo.cli import main
from octavo.errors import OctavoError
from octavo.isbn import human_readable
from octavo.print_jobs import build_cover

DPI = 600
MM_PER_PX = 25.4 / DPI
BLURB = ("Nine winters after the flood, a lamplighter finds the ferry running again and a "
         "letter addressed to a house that no longer stands.")


def book(root: Path, isbn: str = "0-306-40615-2", cover: str = "", top: str = "") -> Path:
    root.mkdir(parents=True)
    (root / "story.md").write_text("# One\n\nText.\n\n# Two\n\nMore text.\n", encoding="utf-8")
    (root / "book.toml").write_text(
        f'title = "Ferry Light"\nauthor = "Nell Harrow"\npublisher = "Tidewater Books"\n{top}'
        f'[isbn]\nprint = "{isbn}"\n[cover_design]\nblurb = "{BLURB}"\n{cover}',
        encoding="utf-8")
    return root


def words_of(text: str) -> str:
    """The text as words one space apart, the words hyphenated at line ends joined again."""
    return " ".join(re.sub(r"[\u2010\xad-]\s*\n\s*|[\u2010\xad-] (?=[a-z])", "", text).split())


def render(pdf: Path) -> tuple[pdfium.PdfDocument, str]:
    doc = pdfium.PdfDocument(pdf.read_bytes())
    return doc, doc[0].get_textpage().get_text_range()


@pytest.fixture(scope="module")
def thick(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = book(tmp_path_factory.mktemp("thick") / "book",
                cover='author_note = "Nell Harrow keeps a boat on the estuary."\n')
    return build_cover(root, root.parent / "out", pages=300)[0]


def test_the_barcode_reads_as_the_isbn_at_its_nominal_size_in_the_barcode_area(
        thick: Path) -> None:
    doc, text = render(thick)
    page = doc[0]
    width_in = page.get_width() / 72
    image = page.render(scale=DPI / 72).to_pil().convert("L")
    (found,) = zxingcpp.read_barcodes(image)
    # An ISBN-10 in book.toml is drawn as its ISBN-13 (978 and a new check digit).
    assert found.text == "9780306406157" and found.format == zxingcpp.BarcodeFormat.EAN13
    left, right = found.position.top_left.x, found.position.top_right.x
    # 95 modules of 0.33 mm: the symbol at 100 %.
    assert (right - left) * MM_PER_PX == pytest.approx(95 * 0.33, abs=0.4)
    # On the back (the left panel), in its lower right corner, clear of the spine and trim.
    back_right = (0.125 + 6) * DPI
    assert back_right - 0.25 * DPI - 11 * 0.33 / MM_PER_PX < right < back_right - 0.25 * DPI
    bottom = found.position.bottom_left.y
    assert (9.125 - 1.2) * DPI < bottom < (9.125 - 0.25) * DPI
    assert right < (width_in / 2) * DPI
    assert "ISBN 978-0-306-40615-7" in text


def test_the_back_carries_the_blurb_and_the_authors_note_as_words(thick: Path) -> None:
    _doc, text = render(thick)
    words = words_of(text)
    assert BLURB in words
    assert "Nell Harrow keeps a boat on the estuary." in words


def spine_words(text: str, doc: pdfium.PdfDocument, words: str) -> list[float]:
    """The vertical centres (PDF points, upwards) of the characters of ``words``."""
    textpage = doc[0].get_textpage()
    start = text.index(words)
    boxes = [textpage.get_charbox(i) for i in range(start, start + len(words))
             if not text[i].isspace()]
    return [(bottom + top) / 2 for _left, bottom, _right, top in boxes]


def test_the_spine_names_title_author_and_publisher_top_to_bottom(thick: Path) -> None:
    doc, text = render(thick)
    assert text.count("Ferry Light") == 2  # front and spine
    assert "Tidewater Books" in text
    heights = spine_words(text, doc, "Tidewater Books")
    assert heights == sorted(heights, reverse=True) and heights[0] - heights[-1] > 20


def test_bottom_to_top_spine(tmp_path: Path) -> None:
    root = book(tmp_path / "book", cover='spine_direction = "bottom-to-top"\n')
    doc, text = render(build_cover(root, tmp_path / "out", pages=300)[0])
    heights = spine_words(text, doc, "Tidewater Books")
    assert heights == sorted(heights) and heights[-1] - heights[0] > 20


@pytest.mark.parametrize(("pages", "spine"), [(60, False), (79, False), (90, True)])
def test_spine_text_only_over_79_pages(tmp_path: Path, pages: int, spine: bool) -> None:
    root = book(tmp_path / "book")
    _doc, text = render(build_cover(root, tmp_path / "out", pages=pages)[0])
    assert text.count("Ferry Light") == (2 if spine else 1)
    assert ("Tidewater Books" in text) is spine


def test_a_long_blurb_is_set_smaller_to_fit_and_one_too_long_is_an_error(
        tmp_path: Path) -> None:
    long = " ".join([BLURB] * 14)
    root = book(tmp_path / "long", cover=f'author_note = "{long}"\n')
    out = build_cover(root, tmp_path / "out", pages=300)[0]
    _doc, text = render(out)
    assert words_of(text).count(BLURB) == 15  # every word of it on the back
    doc = pdfium.PdfDocument(out.read_bytes())
    textpage = doc[0].get_textpage()
    sizes = {round(textpage.get_charbox(i)[3] - textpage.get_charbox(i)[1])
             for i in range(text.index("Nine"), text.index("Nine") + 4)}
    assert max(sizes) < 11  # smaller than the 11 pt a short blurb is set in
    root = book(tmp_path / "too-long", cover=f'author_note = "{long * 4}"\n')
    with pytest.raises(OctavoError, match="does not fit the back even at 7 pt"):
        build_cover(root, tmp_path / "out2", pages=300)


def test_a_bad_isbn_is_one_line_naming_book_toml_and_the_key(tmp_path: Path) -> None:
    root = book(tmp_path / "book", isbn="978-0-306-40615-8")
    result = CliRunner().invoke(main, ["cover", str(root), "-o", str(tmp_path / "out"),
                                       "--pages", "120"])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert f"{root / 'book.toml'}:5: [isbn] print '978-0-306-40615-8' is not a valid ISBN" in (
        lines[0])
    assert not (tmp_path / "out").exists()


# Too long for the 8 pt a 90-page spine takes (it ran into the publisher), fits at 6 pt.
LONG_TITLE = ("The Lamplighter of the Northern Estuary and the Ferry That Ran Again After "
              "Nine Winters and the Letter to the House by the River That Rose in the Night "
              "Long Ago When the Lamps")


def spine_boxes(pdf: Path, words: str) -> list[tuple[float, float]]:
    """The vertical extent (PDF points) of each character of ``words`` on one line: the
    spine's (the front sets a long title on several lines)."""
    doc, text = render(pdf)
    textpage = doc[0].get_textpage()
    start = text.index(words)
    return [(b, t) for b, t in (textpage.get_charbox(i)[1::2] for i in
                                range(start, start + len(words)))]


def test_a_long_title_is_set_smaller_to_stay_on_the_spine(tmp_path: Path) -> None:
    root = book(tmp_path / "book", top="")
    toml = (root / "book.toml").read_text(encoding="utf-8")
    (root / "book.toml").write_text(toml.replace('"Ferry Light"', f'"{LONG_TITLE}"'),
                                    encoding="utf-8")
    out = build_cover(root, tmp_path / "out", pages=90)[0]
    boxes = spine_boxes(out, LONG_TITLE)
    # Every character between the trim's head and foot, a quarter inch in.
    assert min(b for b, _t in boxes) > (0.125 + 0.25) * 72
    assert max(t for _b, t in boxes) < (0.125 + 9 - 0.25) * 72
    # The publisher at the foot, clear of the title (top to bottom: below it).
    publisher = spine_boxes(out, "Tidewater Books")
    assert max(t for _b, t in publisher) < min(b for b, _t in boxes)
    longer = f"{LONG_TITLE} Lit and Nobody Slept"
    (root / "book.toml").write_text(toml.replace('"Ferry Light"', f'"{longer}"'),
                                    encoding="utf-8")
    with pytest.raises(OctavoError, match="do not fit on the spine of 90 pages even at 6 pt"):
        build_cover(root, tmp_path / "out2", pages=90)


@pytest.mark.parametrize(("digits", "printed"), [
    ("9780306406157", "ISBN 978-0-306-40615-7"),  # group 0, a seven-digit registrant range
    ("9791032305560", "ISBN 979-10-323-0556-0"),  # France under the 979 prefix
    ("9783161484100", "ISBN 978-3-16-148410-0"),  # German group, a two-digit registrant
    ("9799999999990", "ISBN 9799999999990"),  # a range not yet allotted: never split at a guess
])
def test_the_isbn_over_the_barcode_is_hyphenated_by_the_agency_ranges(
        digits: str, printed: str) -> None:
    assert human_readable(digits) == printed
