"""The printed interior, read back from the PDF: front matter, contents page numbers, openers,
running heads, blank pages, outline, fonts, generated words."""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest

from conftest import page_content, pdf_pages_text
from octavo.normalize import normalize
from octavo.press.cache import ChapterCache
from octavo.press.document import PdfOptions, PdfResult
from octavo.press.pieces import render_pdf
from octavo.press.settings import PrintSettings
from octavo.themes import load_theme
from printbooks import sample_book, squash, zone_texts


def shared_cache() -> ChapterCache:
    """One chapter cache for this module's books (in the session's cache folder): a setting
    that leaves a chapter's pages as they were takes them from there, as a build does; the
    pages are the ones laid out from scratch (tests/press/test_cache.py)."""
    return ChapterCache(Path(os.environ["OCTAVO_CACHE_DIR"]) / "pdf-interior")


def render(tmp: Path, name: str, language: str = "en", **press: object) -> tuple[Path, PdfResult]:
    book, _ = normalize(sample_book(language))
    settings = replace(PrintSettings(), **press)  # type: ignore[arg-type]
    result = render_pdf(book, PdfOptions(theme=load_theme("classic"), press=settings),
                        shared_cache())
    path = tmp / f"{name}.pdf"
    path.write_bytes(result.data)
    return path, result


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, PdfResult]:
    return render(tmp_path_factory.mktemp("interior"), "sample")


CHAPTERS = ("chapter-1", "chapter-2", "chapter-3", "chapter-4", "back-1-acknowledgements")


def test_front_matter_in_order(sample: tuple[Path, PdfResult]) -> None:
    path, result = sample
    texts = [squash(t) for t in pdf_pages_text(path)]
    assert texts[0] == squash("The Lantern House")  # half-title: the title alone
    assert texts[1] == ""  # its back is blank
    assert texts[2].startswith(squash("The Lantern House A Novel"))
    assert squash("Ada Ferrer") in texts[2] and squash("Quayside Press") in texts[2]
    assert "isbn978-1-23456-789-7" in texts[3] and "©2026adaferrer" in texts[3]
    assert texts[result.section_pages["front-1-dedication"]].startswith("forthe")
    contents = next(i for i, t in enumerate(texts) if t.startswith("contents"))
    assert contents % 2 == 0 and contents < result.section_pages["part-1"]


def contents_numbers(text: str) -> list[str]:
    return [m.group(1) for line in text.splitlines()
            if (m := re.search(r"[ .]{3,}(\d+)\s*$", line.strip()))]


def test_contents_page_numbers_are_the_folios_where_chapters_start(
    sample: tuple[Path, PdfResult],
) -> None:
    path, result = sample
    texts = pdf_pages_text(path)
    contents = next(t for t in texts if squash(t).startswith("contents"))
    listed = contents_numbers(contents)
    feet = zone_texts(path, "foot", 0.8)
    printed = [feet[result.section_pages[s]] for s in CHAPTERS]
    assert listed == printed
    assert listed[0] != "1"  # the part-title page before it is page 1


def test_body_folios_start_at_one_and_front_matter_is_roman(
    sample: tuple[Path, PdfResult],
) -> None:
    path, result = sample
    feet = zone_texts(path, "foot", 0.8)
    heads = zone_texts(path, "head", 0.74)
    first_body = result.section_pages["part-1"]
    contents = next(i for i, t in enumerate(pdf_pages_text(path)) if squash(t).startswith("contents"))
    assert feet[contents] == "vii"
    assert all(re.fullmatch(r"[ivx]*", f) for f in feet[:first_body])
    # Page 2 of the first chapter carries folio 4 at its head (part page = 1).
    second = result.section_pages["chapter-1"] + 1
    assert heads[second].split()[0] == str(second - first_body + 1)


def test_chapters_open_on_recto(sample: tuple[Path, PdfResult]) -> None:
    _, result = sample
    for section in (*CHAPTERS, "part-1", "part-2"):
        assert result.section_pages[section] % 2 == 0, section  # index 0 is page 1, a recto


def test_chapters_may_open_on_any_page(tmp_path: Path) -> None:
    _, result = render(tmp_path, "any", recto_openers=False)
    starts = [result.section_pages[s] for s in CHAPTERS]
    assert any(p % 2 == 1 for p in starts)
    assert starts == sorted(set(starts))


def test_no_running_head_on_openers_and_blank_pages_are_empty(
    sample: tuple[Path, PdfResult],
) -> None:
    path, result = sample
    texts = pdf_pages_text(path)
    heads = zone_texts(path, "head", 0.74)
    for section in CHAPTERS:
        page = result.section_pages[section]
        assert heads[page] == "", section
        assert zone_texts(path, "foot", 0.8)[page].isdigit()  # the drop folio
    blanks = [i for i, t in enumerate(texts) if not t.strip()]
    assert len(blanks) >= 3
    for i in blanks:
        assert i % 2 == 1  # only versos are left blank
    with pikepdf.open(path) as pdf:
        for i in blanks:  # nothing drawn at all: no text object in the page's content
            assert b"BT" not in page_content(pdf.pages[i])


def test_running_heads_author_verso_title_recto(sample: tuple[Path, PdfResult]) -> None:
    path, result = sample
    heads = [squash(h) for h in zone_texts(path, "head", 0.74)]
    opener = result.section_pages["chapter-3"]
    verso, recto = opener + 1, opener + 2
    assert verso % 2 == 1 and heads[verso].endswith("adaferrer")
    assert recto % 2 == 0 and heads[recto].startswith("thelanternhouse")


def chapter_settings(tmp: Path) -> tuple[Path, PdfResult]:
    """The sample with chapter titles in the running heads and chapter numbers in words: two
    settings of the chapters' pages, each test reading its own (laid out once a process)."""
    if "chapter" not in _rendered:
        _rendered["chapter"] = render(tmp, "chapter", running_head="chapter",
                                      chapter_numbers="words")[1]
    result = _rendered["chapter"]
    path = tmp / "chapter.pdf"
    path.write_bytes(result.data)
    return path, result


_rendered: dict[str, PdfResult] = {}


def test_running_head_can_be_the_chapter_title(tmp_path: Path) -> None:
    path, result = chapter_settings(tmp_path)
    heads = [squash(h) for h in zone_texts(path, "head", 0.74)]
    recto = result.section_pages["chapter-3"] + 2
    assert heads[recto].startswith(squash("Rain on the Orchard"))


def test_outline_lists_parts_and_chapters(sample: tuple[Path, PdfResult]) -> None:
    path, _ = sample
    with pikepdf.open(path) as pdf, pdf.open_outline() as outline:
        tree = [(item.title, [c.title for c in item.children]) for item in outline.root]
    assert tree == [
        ("Departures", ["The Cellar", "Chapter 2"]),
        ("Returns", ["Rain on the Orchard", "The Carriage"]),
        ("Acknowledgements", []),
    ]


def test_fonts_embedded_and_subset(sample: tuple[Path, PdfResult]) -> None:
    path, _ = sample
    with pikepdf.open(path) as pdf:
        fonts = {}
        for page in pdf.pages:
            for font in (page.Resources.get("/Font") or {}).values():
                fonts[str(font.BaseFont)] = font
        assert fonts
        for name, font in fonts.items():
            assert re.match(r"/[A-Z]{6}\+", name), name
            descriptor = font.DescendantFonts[0].FontDescriptor if "/DescendantFonts" in font \
                else font.FontDescriptor
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), name


def test_metadata_and_language(sample: tuple[Path, PdfResult]) -> None:
    path, _ = sample
    with pikepdf.open(path) as pdf:
        assert str(pdf.docinfo.Title) == "The Lantern House"
        assert str(pdf.docinfo.Author) == "Ada Ferrer"
        assert str(pdf.Root.Lang) == "en"


@pytest.mark.parametrize(("language", "words"), [
    ("fr", ("tabledesmatières", "chapitre2", "©2026adaferrer", "tousdroitsréservés")),
    ("de", ("inhalt", "kapitel2", "allerechtevorbehalten")),
])
def test_generated_words_in_the_books_language(
    tmp_path: Path, language: str, words: tuple[str, ...]
) -> None:
    path, _ = render(tmp_path, language, language)
    text = squash(" ".join(pdf_pages_text(path)))
    for word in words:
        assert word in text, word
    assert "contents" not in text and "allrightsreserved" not in text


def test_chapter_numbers_in_words(tmp_path: Path) -> None:
    path, result = chapter_settings(tmp_path)
    opener = squash(pdf_pages_text(path)[result.section_pages["chapter-2"]])
    assert opener.startswith("chaptertwo")


def test_front_matter_switches(tmp_path: Path) -> None:
    path, _ = render(tmp_path, "bare", half_title=False, contents=False, copyright=False)
    texts = [squash(t) for t in pdf_pages_text(path)]
    assert texts[0].startswith("thelanternhouseanovel")  # the title page comes first
    assert not any(t.startswith("contents") for t in texts)
    assert not any("isbn" in t for t in texts)


def test_extra_front_pages_follow_the_title_page(tmp_path: Path) -> None:
    book, _ = normalize(sample_book())
    extra = '<section class="arc-info"><p>Advance reading copy: not for sale.</p></section>'
    result = render_pdf(book, PdfOptions(theme=load_theme("classic"), extra_front_html=(extra,)),
                        shared_cache())
    path = tmp_path / "arc.pdf"
    path.write_bytes(result.data)
    texts = [squash(t) for t in pdf_pages_text(path)]
    title = next(i for i, t in enumerate(texts) if t.startswith("thelanternhouseanovel"))
    extra_page = next(i for i, t in enumerate(texts) if "advancereadingcopy" in t)
    copyright = next(i for i, t in enumerate(texts) if "isbn" in t)
    contents = next(i for i, t in enumerate(texts) if t.startswith("contents"))
    assert title < extra_page < copyright < contents


def test_scene_break_ornament_never_at_a_page_foot_or_head(tmp_path: Path) -> None:
    import random

    import pypdfium2 as pdfium

    from octavo.model import Book, Chapter, SceneBreak, Text
    from printbooks import metadata, para, paragraph_text

    rng = random.Random(7)
    blocks: list = []
    for i in range(70):
        blocks.append(para(paragraph_text(rng, rng.randint(1, 5))))
        if i % 3 == 2 and i < 68:
            blocks.append(SceneBreak())
    book = Book(metadata=metadata(), body=(Chapter((Text("A"),), 1, tuple(blocks)),))
    doc = pdfium.PdfDocument(render_pdf(book, PdfOptions(theme=load_theme("classic"))).data)
    ornaments = 0
    for i in range(len(doc)):
        page = doc[i]
        textpage = page.get_textpage()
        _, y0, _, y1 = page.get_bbox()
        body = [(textpage.get_text_range(j, 1), box) for j in range(textpage.count_chars())
                if (box := textpage.get_charbox(j))[1] > y0 + 65 and box[3] < y1 - 60]
        body = [(c, box) for c, box in body if c.strip()]
        marks = [box for c, box in body if c == "❦"]
        ornaments += len(marks)
        if marks:
            lowest = min(box[1] for _, box in body)
            highest = max(box[3] for _, box in body)
            assert min(box[1] for box in marks) > lowest + 1, f"page {i + 1}: ornament at foot"
            assert max(box[3] for box in marks) < highest - 1, f"page {i + 1}: ornament at head"
    assert ornaments >= 20


def test_contents_lists_a_front_chapter_at_its_roman_folio(tmp_path: Path) -> None:
    """A preface is set after the contents, in the front matter's roman folios, and the
    contents gives it the folio it is printed with (its link counts pages, not the body's)."""
    from dataclasses import replace as with_

    from octavo.model import Chapter, Text
    from printbooks import chapter

    book = sample_book()
    preface = with_(chapter(0, "Preface", 9, 7), role="preface", number=None,
                    title=(Text("A Word Before"),))
    assert isinstance(preface, Chapter)
    book, _ = normalize(with_(book, front_matter=(*book.front_matter, preface)))
    result = render_pdf(book, PdfOptions(theme=load_theme("classic")), shared_cache())
    path = tmp_path / "preface.pdf"
    path.write_bytes(result.data)
    start = next(i for s, i in result.section_pages.items() if s.endswith("preface"))
    feet = zone_texts(path, "foot", 0.8)
    texts = pdf_pages_text(path)
    contents = next(t for t in texts if squash(t).startswith("contents"))
    line = next(x for x in contents.splitlines() if "Word Before" in x)
    listed = re.search(r"([ivxlc]+)\s*$", line.strip())
    assert listed, line
    assert re.fullmatch(r"[ivxlc]+", feet[start + 1])  # its second page: roman at the foot
    assert listed.group(1) == feet[start]
    assert start < result.section_pages["part-1"]
    # The body's entries still count from the first body page.
    assert contents_numbers(contents)[0] == feet[result.section_pages["chapter-1"]]
