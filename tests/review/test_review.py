"""Review copies end to end, on real builds of a small book (tests/fixtures/review/book): the
ARC edition and three personal copies (Latin, Greek and Cyrillic names) are made once per
session, and every test reads those files."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest

from conftest import FIXTURES, epubcheck_messages, page_content, pdf_pages_text
from octavo.errors import OctavoError
from octavo.review.arc import ArcResult, make_arcs
from octavo.review.edition import EDITION_MARK, NOTICE
from octavo.review.trace import trace_copy

BOOK = FIXTURES / "review" / "book"
NAMES = ("Jane Doe", "Zoë Ἀλέξανδρος", "Дмитрий Иванов")
OCTAVO = [sys.executable, "-m", "octavo"]


def flat(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class Arcs:
    result: ArcResult
    outdir: Path

    def pdf(self, name: str) -> Path:
        return next(c.pdf for c in self.result.copies if c.reviewer.name == name)

    def epub(self, name: str) -> Path:
        return next(c.epub for c in self.result.copies if c.reviewer.name == name)


@pytest.fixture(scope="session")
def arcs(tmp_path_factory: pytest.TempPathFactory) -> Arcs:
    outdir = tmp_path_factory.mktemp("arc") / "out"
    # reviewers.csv in the book's folder is picked up without --reviewers; two processes.
    return Arcs(make_arcs(BOOK, outdir, jobs=2), outdir)


@pytest.fixture(scope="session")
def edition_pages(arcs: Arcs) -> list[str]:
    return [flat(t) for t in pdf_pages_text(arcs.result.pdf)]


# --------------------------------------------------------------------------- the edition


def test_outputs_are_named_by_book_and_reviewer(arcs: Arcs) -> None:
    names = sorted(p.name for p in arcs.outdir.iterdir())
    stem = "the-keeper-of-skerry-light-arc"
    assert names == sorted([
        "arc-manifest.csv", f"{stem}.pdf", f"{stem}.epub",
        *(f"{stem}-{slug}.{ext}" for slug in ("jane-doe", "zoe-alexandros", "dmitrii-ivanov")
          for ext in ("pdf", "epub")),
    ])


def test_arc_page_follows_the_title_page_with_the_measured_page_count(
        arcs: Arcs, edition_pages: list[str]) -> None:
    # The title page (title and author), not the half-title before it, whose small
    # capitals now extract as written.
    title = next(i for i, t in enumerate(edition_pages)
                 if "The Keeper of Skerry Light" in t and "Ines Marlow" in t)
    assert title > 0 and "The Keeper of Skerry Light" in edition_pages[0]
    arc_index = next(i for i, t in enumerate(edition_pages) if NOTICE in t)
    assert title < arc_index <= title + 2
    text = edition_pages[arc_index]
    for expected in ("Advance Reader Copy", "Publication date 4 March 2027",
                     "ISBN 978-0-00-000000-2", "Price £16.99", "Format Hardback, 6 × 9 in",
                     f"Pages {len(edition_pages)}", "Ada Quill · ada.quill@example.org"):
        assert expected in text
    assert arcs.result.page_count == len(edition_pages)


def test_edition_mark_on_every_pdf_page_blank_versos_included(edition_pages: list[str]) -> None:
    assert all(EDITION_MARK in t for t in edition_pages)
    blank = [t for t in edition_pages if t == EDITION_MARK]
    assert blank, "the fixture should have blank versos (recto chapter openers)"


# --------------------------------------------------------------------------- whole leaves

LAST_WORDS = "Visitors."


def stated_pages(pages: list[str]) -> int:
    arc_page = next(t for t in pages if NOTICE in t)
    found = re.search(r"\bPages (\d+)\b", arc_page)
    assert found, arc_page
    return int(found.group(1))


def test_text_ending_on_a_recto_gets_a_laid_out_blank_verso(arcs: Arcs,
                                                             edition_pages: list[str]) -> None:
    # Printers bind leaves of two pages; the fixture's text ends on a recto (an odd page).
    assert len(edition_pages) % 2 == 0
    assert LAST_WORDS in edition_pages[-2]
    assert stated_pages(edition_pages) == len(edition_pages) == arcs.result.page_count
    # Laid out like every page: the edition mark, and no running head or folio.
    assert edition_pages[-1] == EDITION_MARK
    for name in NAMES:
        last = flat(pdf_pages_text(arcs.pdf(name))[-1])
        assert last == f"{EDITION_MARK} Prepared for {name} · NOT FOR SALE", name
    with pikepdf.open(arcs.result.pdf) as pdf:
        assert "/Resources" in pdf.pages[-1].obj and page_content(pdf.pages[-1])


def test_text_ending_on_a_verso_gets_no_page_after_it(tmp_path: Path) -> None:
    book = tmp_path / "book"
    shutil.copytree(BOOK, book)
    (book / "reviewers.csv").unlink()
    manuscript = book / "keeper.md"
    text, last = manuscript.read_text(encoding="utf-8").rstrip().rsplit("\n\n", 1)
    assert LAST_WORDS in last
    # The last paragraph moved from the recto the fixture ends on to the verso after it.
    manuscript.write_text(f"{text}\n\n{{pagebreak}}\n\n{last}\n", encoding="utf-8")
    result = make_arcs(book, tmp_path / "out")
    pages = [flat(t) for t in pdf_pages_text(result.pdf)]
    assert LAST_WORDS in pages[-1] and LAST_WORDS not in pages[-2]
    assert len(pages) % 2 == 0
    assert stated_pages(pages) == len(pages) == result.page_count
    assert EDITION_MARK in pages[-1]
    with pikepdf.open(result.pdf) as pdf:
        assert "arc-leaf-end" not in pikepdf.NameTree(pdf.Root.Names.Dests)


def test_a_theme_that_renumbers_pages_still_gets_the_final_count(tmp_path: Path) -> None:
    from octavo.themes import load_theme

    book = tmp_path / "book"
    shutil.copytree(BOOK, book)
    (book / "reviewers.csv").unlink()
    shutil.copytree(load_theme("classic").path, book / "house")
    with (book / "house" / "print.css").open("a", encoding="utf-8") as css:
        css.write("\n@page :first { counter-reset: page 3; }\n")
    config = book / "book.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "files = ", 'theme = "house"\nfiles = ', 1), encoding="utf-8")
    messages: list[str] = []
    result = make_arcs(book, tmp_path / "out", progress=messages.append)
    # The leaf-end page's number is no longer the count, but the front matter, laid out after
    # the chapters, is given the count itself: laid out once.
    assert not any("again" in m for m in messages), messages
    pages = [flat(t) for t in pdf_pages_text(result.pdf)]
    assert len(pages) % 2 == 0 and pages[-1] == EDITION_MARK
    assert stated_pages(pages) == len(pages) == result.page_count


def test_epub_arc_page_and_a_banner_in_every_chapter_file(arcs: Arcs) -> None:
    epub = zipfile.ZipFile(arcs.result.epub)
    chapters = [n for n in epub.namelist() if re.search(r"chapter-\d+\.xhtml$", n)]
    assert len(chapters) == 3
    for name in chapters:
        body = epub.read(name).decode()
        banner = body.index('class="arc-banner"')
        assert banner < body.index("<section") and EDITION_MARK in body
    arc_page = next(n for n in epub.namelist() if n.endswith("arc-info.xhtml"))
    text = flat(re.sub(r"<[^>]+>", " ", epub.read(arc_page).decode()))
    assert NOTICE in text and f"Pages {arcs.result.page_count}" in text
    opf = epub.read(next(n for n in epub.namelist() if n.endswith(".opf"))).decode()
    spine = re.findall(r'<itemref idref="([^"]+)"', opf)
    assert spine.index("arc-info") == spine.index("titlepage") + 1


def test_the_ebook_page_list_follows_the_edition_pdf(arcs: Arcs) -> None:
    """Every page of the review PDF has its marker, labelled with its printed folio, before
    the words the page opens with (its blank pages and the ARC page hold none of the book's
    words)."""
    from epub_reading import page_list_mismatches

    pages = [t.replace(EDITION_MARK, "") for t in pdf_pages_text(arcs.result.pdf)]
    assert page_list_mismatches(arcs.result.epub, pages,
                                skip=lambda text: NOTICE in flat(text)) == []


def test_the_ebook_cover_is_marked(arcs: Arcs, tmp_path: Path) -> None:
    from PIL import Image

    from octavo.build import build
    from octavo.review.cover import BAND, cover_entry
    from octavo.review.epubpatch import EpubFiles

    files = EpubFiles.read(arcs.result.epub.read_bytes())
    found = cover_entry(files)
    if found is None:
        pytest.skip("the ebook backend made no cover for this book")
    image = Image.open(io.BytesIO(files.get(found[0]))).convert("RGB")
    band_row = [image.getpixel((x, round(image.height * 0.04))) for x in range(5)]
    assert all(px == BAND for px in band_row)
    trade = EpubFiles.read(build(BOOK, tmp_path, ("epub",)).outputs["epub"].read_bytes())
    trade_cover = cover_entry(trade)
    assert trade_cover is not None
    assert trade.get(trade_cover[0]) != files.get(found[0])


# --------------------------------------------------------------------------- personal copies


def test_reviewer_name_on_every_page_of_each_copy(arcs: Arcs, edition_pages: list[str]) -> None:
    for name in NAMES:
        pages = [flat(t) for t in pdf_pages_text(arcs.pdf(name))]
        assert len(pages) == len(edition_pages)
        assert all(f"Prepared for {name} · NOT FOR SALE" in t for t in pages), name


def test_personal_copies_keep_the_editions_layout(arcs: Arcs, edition_pages: list[str]) -> None:
    for name in NAMES:
        pages = [flat(t) for t in pdf_pages_text(arcs.pdf(name))]
        without_mark = [flat(t.replace(f"Prepared for {name} · NOT FOR SALE", "")) for t in pages]
        assert without_mark == edition_pages


def _text_box(page: object, text: str) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) of ``text`` on a pypdfium2 page."""
    textpage = page.get_textpage()  # type: ignore[attr-defined]
    found = textpage.search(text, match_case=True).get_next()
    assert found, f"{text!r} not on the page"
    boxes = [textpage.get_charbox(i) for i in range(found[0], found[0] + found[1])]
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
            max(b[3] for b in boxes))


def test_the_personal_line_sits_centred_under_the_edition_mark(arcs: Arcs) -> None:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(arcs.pdf("Jane Doe"))
    try:
        for index in (0, len(doc) - 1):
            page = doc[index]
            width = page.get_width()
            mark = _text_box(page, EDITION_MARK)
            line = _text_box(page, "Prepared for Jane Doe · NOT FOR SALE")
            assert line[1] > 0 and line[3] < mark[1], "the line must sit below the mark"
            assert abs((line[0] + line[2]) / 2 - width / 2) < 1.5
            assert line[3] - line[1] < 12
    finally:
        doc.close()


def test_reviewer_name_in_pdf_metadata_and_copy_id_in_document_id(arcs: Arcs) -> None:
    for copy in arcs.result.copies:
        with pikepdf.open(copy.pdf) as pdf:
            assert str(pdf.docinfo["/ArcPreparedFor"]) == copy.reviewer.name
            xmp = pdf.Root.Metadata.read_bytes().decode()
            assert f"<octavo:preparedFor>{copy.reviewer.name}</octavo:preparedFor>" in xmp
            assert f"<octavo:copyId>{copy.copy_id}</octavo:copyId>" in xmp
            assert bytes(pdf.trailer.ID[0]).hex() == copy.copy_id
            with pdf.open_metadata() as meta:  # well-formed XMP that pikepdf can read
                assert copy.reviewer.name in str(meta.get("dc:rights", ""))


def test_the_mark_is_set_in_an_embedded_subset_of_the_theme_face(arcs: Arcs) -> None:
    with pikepdf.open(arcs.pdf("Zoë Ἀλέξανδρος")) as pdf:
        stamp = next(x for x in pdf.pages[0].Resources.XObject.values()
                     if "/OctavoArcF" in x.get("/Resources", {}).get("/Font", {}))
        font = stamp.Resources.Font.OctavoArcF
        assert str(font.BaseFont).endswith("+EBGaramond12-Regular")
        assert "/ToUnicode" in font
        descriptor = font.DescendantFonts[0].FontDescriptor
        embedded = descriptor.FontFile2.read_bytes()
        assert 1000 < len(embedded) < 60_000


def test_reviewer_name_in_each_epub_chapter_and_in_its_metadata(arcs: Arcs) -> None:
    for copy in arcs.result.copies:
        epub = zipfile.ZipFile(copy.epub)
        opf = epub.read(next(n for n in epub.namelist() if n.endswith(".opf"))).decode()
        assert f'<meta name="octavo:arc-prepared-for" content="{copy.reviewer.name}"/>' in opf
        assert f'content="{copy.copy_id}"' in opf
        chapters = [n for n in epub.namelist() if b'class="arc-banner"' in epub.read(n)]
        assert len(chapters) == 3
        for name in chapters:
            assert f"Prepared for {copy.reviewer.name} · NOT FOR SALE" in epub.read(name).decode()


def test_three_personal_epubs_pass_epubcheck(arcs: Arcs) -> None:
    for copy in arcs.result.copies:
        assert epubcheck_messages(copy.epub) == [], copy.reviewer.name


def test_manifest_lists_every_copy_with_checksums(arcs: Arcs) -> None:
    import csv
    import hashlib

    assert arcs.result.manifest is not None
    with arcs.result.manifest.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["reviewer"] for r in rows] == list(NAMES)
    for row in rows:
        for kind in ("pdf", "epub"):
            data = (arcs.outdir / row[kind]).read_bytes()
            assert hashlib.sha256(data).hexdigest() == row[f"{kind}_sha256"]
    assert len({r["copy_id"] for r in rows}) == 3


def test_arc_command_makes_the_same_copies_again_in_one_process(arcs: Arcs,
                                                                 tmp_path: Path) -> None:
    import os

    done = subprocess.run([*OCTAVO, "arc", str(BOOK), "-o", str(tmp_path / "again"), "--jobs",
                           "1", "-q"], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "SOURCE_DATE_EPOCH": "1767225600"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1].endswith("arc-manifest.csv (3 personal copies)")
    again = (tmp_path / "again" / "arc-manifest.csv").read_text(encoding="utf-8")
    assert arcs.result.manifest is not None
    assert again == arcs.result.manifest.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- tracing


def test_trace_names_the_reviewer_from_every_mark(arcs: Arcs) -> None:
    for copy in arcs.result.copies:
        for path in (copy.pdf, copy.epub):
            report = trace_copy(path)
            assert report.reviewer == copy.reviewer.name and not report.conflicts
            kinds = {m.kind for m in report.marks}
            assert {"visible", "file checksum"} <= kinds


def _strip_pdf_marks(source: Path, target: Path, metadata_too: bool) -> None:
    """What a leaker might do: blank the stamped line (and the metadata) and save again."""
    with pikepdf.open(source) as pdf:
        for page in pdf.pages:
            for xobject in page.Resources.XObject.values():
                if "/Resources" in xobject and "/OctavoArcF" in xobject.Resources.get("/Font", {}):
                    xobject.write(b"")
        if metadata_too:
            del pdf.docinfo["/ArcPreparedFor"]
            del pdf.docinfo["/ArcCopyId"]
            del pdf.docinfo["/Subject"]
            del pdf.Root["/Metadata"]
        pdf.save(target)


def test_trace_pdf_after_the_visible_mark_is_removed(arcs: Arcs, tmp_path: Path) -> None:
    copy = arcs.result.copies[1]
    leaked = tmp_path / "leak.pdf"
    _strip_pdf_marks(copy.pdf, leaked, metadata_too=False)
    assert not any("Prepared for" in t for t in pdf_pages_text(leaked))
    report = trace_copy(leaked, arcs.result.manifest)
    assert report.reviewer == copy.reviewer.name
    assert {"PDF document info", "XMP metadata", "PDF document ID"} <= {m.kind for m in report.marks}
    assert "visible" not in {m.kind for m in report.marks}


def test_trace_pdf_from_its_document_id_alone(arcs: Arcs, tmp_path: Path) -> None:
    copy = arcs.result.copies[2]
    leaked = tmp_path / "leak.pdf"
    _strip_pdf_marks(copy.pdf, leaked, metadata_too=True)
    report = trace_copy(leaked, arcs.result.manifest)
    assert report.reviewer == copy.reviewer.name
    assert [m.kind for m in report.marks if m.kind != "edition"] == ["PDF document ID"]


def test_trace_epub_after_the_visible_mark_is_removed(arcs: Arcs, tmp_path: Path) -> None:
    copy = arcs.result.copies[0]
    leaked = tmp_path / "leak.epub"
    source = zipfile.ZipFile(copy.epub)
    with zipfile.ZipFile(leaked, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith(".xhtml"):
                data = re.sub(rb'<p class="arc-prepared-for">.*?</p>', b"", data)
            if info.filename.endswith(".opf"):
                data = re.sub(rb'<meta name="octavo:arc-[^>]*>', b"", data)
            out.writestr(info, data)
    report = trace_copy(leaked, arcs.result.manifest)
    assert report.reviewer == copy.reviewer.name
    assert [m.kind for m in report.marks if m.kind != "edition"] == ["EPUB markup"]


def test_arc_trace_command_reports_the_reviewer_and_its_marks(arcs: Arcs) -> None:
    from click.testing import CliRunner

    from octavo.cli import main

    done = CliRunner().invoke(main, ["arc-trace", str(arcs.pdf("Дмитрий Иванов"))])
    assert done.exit_code == 0, (done.stderr, done.exception)
    assert done.stdout.startswith("reviewer: Дмитрий Иванов (Новая газета)")
    for kind in ("visible:", "PDF document info:", "XMP metadata:", "PDF document ID:"):
        assert kind in done.stdout


def test_arc_trace_on_the_unpersonalised_edition(arcs: Arcs) -> None:
    report = trace_copy(arcs.result.pdf)
    assert report.reviewer is None and [m.kind for m in report.marks] == ["edition"]


def test_arc_trace_on_a_file_with_no_marks(tmp_path: Path) -> None:
    plain = tmp_path / "plain.pdf"
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(plain)
    with pytest.raises(OctavoError, match="no review-copy marks"):
        trace_copy(plain)


# --------------------------------------------------------------------------- bad lists


@pytest.mark.parametrize(("csv_text", "line", "words"), [
    ("email\nann@example.org\n", 1, "no 'name' column"),
    ("name,email\nAnn Lee,\n,bo@example.org\n", 3, "empty reviewer name"),
    ("name\nAnn Lee\nBo Chen\nann lee\n", 4, "duplicate reviewer"),
    # Ethiopic: a script neither the theme nor the bundled fallback faces draw.
    ("name\nAnn Lee\nኃይሌ ገብረሥላሴ\n", 3, "no face bundled with the theme"),
])
def test_a_bad_reviewer_list_writes_nothing(tmp_path: Path, csv_text: str, line: int,
                                            words: str) -> None:
    from click.testing import CliRunner

    from octavo.cli import main

    listing = tmp_path / "list.csv"
    listing.write_text(csv_text, encoding="utf-8")
    # The command run in this process (a Python started for each list was most of the time):
    # any exception but the command's own exit is one it let through.
    done = CliRunner().invoke(main, ["arc", str(BOOK), "--reviewers", str(listing), "-o",
                                     str(tmp_path / "out"), "-q"])
    assert isinstance(done.exception, SystemExit), done.exception
    assert done.exit_code == 1
    assert done.stderr.startswith(f"octavo: error: {listing}:{line}: ") and words in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


def test_a_list_in_another_encoding_writes_nothing(tmp_path: Path) -> None:
    listing = tmp_path / "list.csv"
    listing.write_bytes("name\nAnn Lee\nZoë Doe\n".encode("cp1252"))
    with pytest.raises(OctavoError) as caught:
        make_arcs(BOOK, tmp_path / "out", listing)
    assert caught.value.line == 3 and "UTF-8" in caught.value.message
    assert not (tmp_path / "out").exists()


def test_a_failure_while_making_copies_leaves_the_outdir_as_it_was(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from octavo.review import arc as arc_module

    def broken(*_args: object) -> bytes:
        raise OctavoError("disk full")

    outdir = tmp_path / "out"
    outdir.mkdir()
    (outdir / "keep.txt").write_text("x")
    monkeypatch.setattr(arc_module, "personalise_epub", broken)
    with pytest.raises(OctavoError, match="disk full"):
        make_arcs(BOOK, outdir, jobs=1)
    assert sorted(p.name for p in outdir.iterdir()) == ["keep.txt"]


def test_the_list_named_in_book_toml_is_used_and_checked(tmp_path: Path) -> None:
    book = tmp_path / "book"
    shutil.copytree(BOOK, book)
    (book / "reviewers.csv").unlink()
    config = book / "book.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "[arc]\n", '[arc]\nreviewers = "press/list.csv"\n'), encoding="utf-8")
    with pytest.raises(OctavoError, match="does not exist"):
        make_arcs(book, tmp_path / "out")
    (book / "press").mkdir()
    (book / "press" / "list.csv").write_text("name\nAnn Lee\nAnn  Lee\n", encoding="utf-8")
    with pytest.raises(OctavoError) as caught:
        make_arcs(book, tmp_path / "out")
    assert caught.value.path is not None and caught.value.path.endswith("list.csv")
    assert caught.value.line == 3
    assert not (tmp_path / "out").exists()
