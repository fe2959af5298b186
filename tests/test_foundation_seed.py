"""Issue 2 on the sample manuscript: what a reader of the EPUB and the PDF actually gets."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import ROOT, SEED_TEXT, SHARED, Built, pdf_pages_text
from wordkeys import is_subsequence, pdf_word_keys, word_keys

XHTML = "{http://www.w3.org/1999/xhtml}"
OPF = "{http://www.idpf.org/2007/opf}"


def _zip_xml(epub: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(epub) as z:
        return etree.fromstring(z.read(name))


def _opf_path(epub: Path) -> str:
    container = _zip_xml(epub, "META-INF/container.xml")
    rootfile = container.find(".//{urn:oasis:names:tc:opendocument:xmlns:container}rootfile")
    assert rootfile is not None
    return str(rootfile.get("full-path"))


def _spine_documents(epub: Path) -> list[tuple[str, etree._Element]]:
    opf_name = _opf_path(epub)
    opf = _zip_xml(epub, opf_name)
    base = opf_name.rsplit("/", 1)[0] + "/" if "/" in opf_name else ""
    manifest = {i.get("id"): i.get("href") for i in opf.iter(f"{OPF}item")}
    docs = []
    for ref in opf.iter(f"{OPF}itemref"):
        href = manifest[ref.get("idref")]
        docs.append((href, _zip_xml(epub, base + href)))
    return docs


def _chapter_documents(epub: Path) -> list[etree._Element]:
    return [doc for _, doc in _spine_documents(epub)
            if doc.find(f".//{XHTML}section[@class='chapter']") is not None]


def _paragraphs(epub: Path) -> list[etree._Element]:
    return [p for doc in _chapter_documents(epub)
            for p in doc.iter(f"{XHTML}p") if p.getparent().tag == f"{XHTML}section"]


def test_spine_puts_the_title_page_before_the_chapter(seed_build: Built) -> None:
    hrefs = [href for href, _ in _spine_documents(seed_build.epub)]
    titles = [i for i, h in enumerate(hrefs) if "title" in h]
    chapters = [i for i, h in enumerate(hrefs) if "chapter" in h]
    assert titles and chapters and max(titles) < min(chapters)


def test_nav_lists_the_chapter(seed_build: Built) -> None:
    opf_name = _opf_path(seed_build.epub)
    opf = _zip_xml(seed_build.epub, opf_name)
    nav_item = next(i for i in opf.iter(f"{OPF}item") if "nav" in (i.get("properties") or ""))
    base = opf_name.rsplit("/", 1)[0] + "/"
    nav = _zip_xml(seed_build.epub, base + str(nav_item.get("href")))
    toc = next(n for n in nav.iter(f"{XHTML}nav")
               if n.get("{http://www.idpf.org/2007/ops}type") == "toc")
    entries = [("".join(a.itertext()), a.get("href")) for a in toc.iter(f"{XHTML}a")]
    chapter_entries = [e for e in entries if "chapter" in str(e[1])]
    assert len(chapter_entries) == 1
    assert chapter_entries[0][0] == "After the Fall"


def test_seed_has_47_paragraphs_and_2_scene_breaks(seed_build: Built) -> None:
    docs = _chapter_documents(seed_build.epub)
    assert len(_paragraphs(seed_build.epub)) == 47
    assert sum(1 for d in docs for _ in d.iter(f"{XHTML}hr")) == 2


def test_seed_emphasis_is_exactly_alone(seed_build: Built) -> None:
    ems = ["".join(e.itertext()) for d in _chapter_documents(seed_build.epub)
           for e in d.iter(f"{XHTML}em")]
    assert ems == ["Alone."]


def test_the_two_line_paragraph_is_joined(seed_build: Built) -> None:
    texts = ["".join(p.itertext()) for p in _paragraphs(seed_build.epub)]
    joined = [t for t in texts if "she wondered if they had truly seen Kai" in t]
    assert len(joined) == 1


def test_no_straight_quotes_left(seed_build: Built) -> None:
    for p in _paragraphs(seed_build.epub):
        text = "".join(p.itertext())
        assert '"' not in text and "'" not in text, text


def test_first_paragraphs_after_a_start_or_break_are_flush(seed_build: Built) -> None:
    paragraphs = _paragraphs(seed_build.epub)
    flush = [p for p in paragraphs if "first" in (p.get("class") or "")]
    assert len(flush) == 3  # chapter start and after each of the two breaks
    for p in flush:
        previous = p.getprevious()
        assert previous is None or previous.tag in (f"{XHTML}hr", f"{XHTML}header")


def test_pdf_holds_every_manuscript_word_in_order(seed_build: Built) -> None:
    assert seed_build.pdf is not None
    manuscript = word_keys(SEED_TEXT.read_text(encoding="utf-8"))
    found, matched = is_subsequence(manuscript, pdf_word_keys(pdf_pages_text(seed_build.pdf)))
    assert found, f"word {matched} ({manuscript[matched]!r}) missing or out of order"


def test_pdf_page_is_six_by_nine_inches(seed_build: Built) -> None:
    import pikepdf

    assert seed_build.pdf is not None
    with pikepdf.open(seed_build.pdf) as pdf:
        for page in pdf.pages:
            box = page.trimbox if "/TrimBox" in page.obj else page.mediabox
            width, height = float(box[2]) - float(box[0]), float(box[3]) - float(box[1])
            assert (round(width), round(height)) == (432, 648)


def test_pdf_embeds_only_the_bundled_face(seed_build: Built) -> None:
    import pikepdf

    assert seed_build.pdf is not None
    names = set()
    with pikepdf.open(seed_build.pdf) as pdf:
        for page in pdf.pages:
            for font in page.obj.Resources.get("/Font", {}).values():
                names.add(str(font.BaseFont).split("+", 1)[-1])
                descendant = font.get("/DescendantFonts")
                if descendant is not None:
                    descriptor = descendant[0].FontDescriptor
                    assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert names, "no fonts in the PDF"
    assert not any("DejaVu" in n for n in names), names
    assert any("Garamond" in n for n in names), names


@pytest.mark.skipif(not (SHARED / "tools" / "tofu.py").is_file(), reason="no ../shared/tools")
def test_pdf_draws_no_missing_glyph_boxes(seed_build: Built) -> None:
    result = subprocess.run([sys.executable, str(SHARED / "tools" / "tofu.py"),
                             str(seed_build.pdf)], capture_output=True, text=True)
    assert result.stdout.strip().endswith("missing glyphs: 0"), result.stdout


def test_seed_folder_is_the_unchanged_shared_seed() -> None:
    shared = SHARED / "seeds" / SEED_TEXT.name
    if not shared.is_file():
        pytest.skip("no ../shared/seeds")
    assert SEED_TEXT.read_bytes() == shared.read_bytes()


def test_epub_is_reproducible(seed_build: Built, tmp_path: Path) -> None:
    from conftest import build_book

    # Both formats: with the PDF laid out, the EPUB carries the print page list.
    again = build_book(ROOT / "seeds", tmp_path, ("epub", "pdf"))
    assert again.epub.read_bytes() == seed_build.epub.read_bytes()
    with zipfile.ZipFile(again.epub) as z:
        first = z.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED


def test_pdf_is_reproducible(seed_build: Built, tmp_path: Path) -> None:
    from octavo.build import build

    assert seed_build.pdf is not None
    again = build(ROOT / "seeds", tmp_path, ("pdf",)).outputs["pdf"]
    assert again.read_bytes() == seed_build.pdf.read_bytes()


def test_modified_date_comes_from_source_date_epoch(seed_build: Built) -> None:
    opf = _zip_xml(seed_build.epub, _opf_path(seed_build.epub))
    modified = [m.text for m in opf.iter(f"{OPF}meta") if m.get("property") == "dcterms:modified"]
    assert modified == ["2026-01-01T00:00:00Z"]
    assert re.match(r"urn:uuid:[0-9a-f-]{36}$", "".join(
        i.text or "" for i in opf.iter("{http://purl.org/dc/elements/1.1/}identifier")))
