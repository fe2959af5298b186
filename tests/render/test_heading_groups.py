"""One heading per heading: a chapter's or a part's label line ("Stave I", "Book the First")
and its title are one heading (an hgroup whose one h element is the title, the label a p
typed ``ordinal``), so a heading list or assistive technology gets both, in the one
serializer both editions use."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from octavo.model import Book, Chapter, Metadata, Paragraph, Part, Text
from octavo.render.html import book_sections, render_chapter, render_part_title

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
NS = {"x": XHTML, "epub": OPS}


def _parse(html: str) -> etree._Element:
    return etree.fromstring(
        f'<div xmlns="{XHTML}" xmlns:epub="{OPS}">{html}</div>'.encode())


def _text(el: etree._Element) -> str:
    return " ".join("".join(el.itertext()).split())


def _book() -> Book:
    body = (Paragraph((Text("It was cold."),)),)
    stave = Chapter((Text("Marley's Ghost"),), 1, body, label="Stave I")
    bare = Chapter((Text("The Period"),), 2, body, label="II")
    plain = Chapter((Text("Untold"),), 3, body)
    return Book(Metadata("Carol"), body=(
        Part((Text("Recalled to Life"),), (stave, bare), 1, label="Book the First"),
        Part((Text("Two"),), (plain,), 2)))


def _section(book: Book, section_id: str) -> etree._Element:
    section = next(s for s in book_sections(book) if s.id == section_id)
    html = (render_part_title(book, section) if section.kind == "part"
            else render_chapter(book, section))
    return _parse(html)


def test_a_labelled_chapter_is_one_heading_group() -> None:
    doc = _section(_book(), "chapter-1")
    group = doc.find(".//x:header/x:hgroup", NS)
    assert group is not None
    assert [el.tag.split("}")[1] for el in group] == ["p", "h2"]
    label, title = group
    assert (label.get(f"{{{OPS}}}type"), _text(label)) == ("ordinal", "Stave I")
    assert (title.get(f"{{{OPS}}}type"), _text(title)) == ("title", "Marley's Ghost")
    # The only heading element of the chapter is the title's, inside the group.
    headings = [h for h in doc.iter() if isinstance(h.tag, str) and h.tag[-2:] in
                {"h1", "h2", "h3", "h4", "h5", "h6"}]
    assert headings == [title]


def test_a_numbered_opener_is_one_heading_group() -> None:
    book = _book()
    section = next(s for s in book_sections(book) if s.id == "chapter-3")
    doc = _parse(render_chapter(book, section, with_number=True))
    group = doc.find(".//x:hgroup", NS)
    assert group is not None
    assert [_text(el) for el in group] == ["Chapter 3", "Untold"]
    assert group[1].tag == f"{{{XHTML}}}h2"


def test_a_bare_numeral_stays_inside_its_titles_heading() -> None:
    doc = _section(_book(), "chapter-2")
    assert doc.find(".//x:hgroup", NS) is None
    heading = doc.find(".//x:h2", NS)
    assert heading is not None and _text(heading) == "II The Period"


def test_a_labelled_part_is_one_heading_group() -> None:
    doc = _section(_book(), "part-1")
    group = doc.find(".//x:hgroup", NS)
    assert group is not None
    label, title = group
    assert (label.tag, label.get(f"{{{OPS}}}type"), _text(label)) == (
        f"{{{XHTML}}}p", "ordinal", "Book the First")
    assert (title.tag, title.get(f"{{{OPS}}}type"), _text(title)) == (
        f"{{{XHTML}}}h1", "title", "Recalled to Life")
    # An untitled part's number is its title: one h1, no group.
    doc = _section(_book(), "part-2")
    assert doc.find(".//x:hgroup", NS) is None and doc.find(".//x:h1", NS) is not None


# --------------------------------------------------------------------------- a built book

PROSE = ("It was cold, bleak, biting weather, and he could hear the people in the court\n"
         "outside go wheezing up and down, beating their hands upon their breasts.\n")
SAMPLE = "\n".join([
    "Title: Heading Sample", "", "Author: Ann Example", "", "Language: English", "",
    "*** START OF THIS PROJECT GUTENBERG EBOOK HEADING SAMPLE ***", "", "", "",
    "BOOK THE FIRST--THE LAMP ROOM", "", "", "",
    "STAVE I.", "", "MARLEY'S GHOST", "", "", PROSE, PROSE, "",
    "STAVE II.", "", "A VISIT BY NIGHT", "", "", PROSE, PROSE, "",
    "BOOK THE SECOND--THE GOLDEN THREAD", "", "", "",
    "STAVE III.", "", "THE LAST OF THE SPIRITS", "", "", PROSE, PROSE, "",
    "*** END OF THIS PROJECT GUTENBERG EBOOK HEADING SAMPLE ***", ""])


def test_a_built_book_sets_each_heading_once_in_both_editions(tmp_path: Path) -> None:
    import pikepdf

    from conftest import build_book, epubcheck_messages
    from epub_reading import open_package

    source = tmp_path / "sample.txt"
    source.write_text(SAMPLE, encoding="utf-8")
    built = build_book(source, tmp_path / "out")
    pkg = open_package(built.epub)
    groups = [[(el.tag.split("}")[1], _text(el)) for el in g]
              for href in pkg.spine_hrefs() for g in pkg.xhtml(href).iter(f"{{{XHTML}}}hgroup")]
    assert groups == [
        [("p", "Book the First"), ("h1", "The Lamp Room")],
        [("p", "Stave I"), ("h2", "Marley’s Ghost")],
        [("p", "Stave II"), ("h2", "A Visit by Night")],
        [("p", "Book the Second"), ("h1", "The Golden Thread")],
        [("p", "Stave III"), ("h2", "The Last of the Spirits")]]
    assert epubcheck_messages(built.epub) == []
    # The printed book's outline still finds every title inside its group.
    assert built.pdf is not None
    with pikepdf.open(built.pdf) as pdf, pdf.open_outline() as outline:
        tree = [(item.title, [c.title for c in item.children]) for item in outline.root]
    assert ("The Lamp Room", ["Marley’s Ghost", "A Visit by Night"]) in tree
    assert ("The Golden Thread", ["The Last of the Spirits"]) in tree
