"""The ebook's package, parsed as a reading system reads it: identifiers and store metadata,
accessibility metadata, cover, semantics, navigation (nested contents, landmarks, page list),
reproducibility and EPUBCheck, on a small hand-built book that has parts, front matter,
notes, verse, a quotation and an image."""

from __future__ import annotations

import datetime as dt
import io
import struct
import zlib
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import epubcheck_messages
from epub_reading import EPUB_TYPE, NS, Package, open_package
from octavo.errors import OctavoError
from octavo.model import (
    BlockQuote,
    Book,
    Chapter,
    Emphasis,
    Image,
    Isbns,
    Metadata,
    Note,
    NoteRef,
    Paragraph,
    Part,
    SceneBreak,
    SourceSpan,
    Text,
    verse_of,
)
from octavo.press.pagemap import PageMap, PageStart
from octavo.render.cover import COVER_SIZE, cover_warnings, load_cover
from octavo.render.epub import EpubOptions, file_as, render_epub
from octavo.themes import available_themes, load_theme

MODIFIED = dt.datetime(2026, 1, 1)
X = "{http://www.w3.org/1999/xhtml}"


def png(width: int, height: int) -> bytes:
    """A valid one-colour PNG, made without an image library."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    rows = b"".join(b"\x00" + b"\x80\x40\x20" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def p(text: str) -> Paragraph:
    return Paragraph((Text(text),))


def parts_book() -> Book:
    dedication = Chapter((), None, (p("For the ones who stayed."),), role="dedication")
    epigraph = Chapter((), None, (BlockQuote((p("All that is gold does not glitter."),)),),
                       role="epigraph")
    ch1 = Chapter((Text("The Road"),), 1, (
        p("They left at dawn."), SceneBreak(),
        Paragraph((Text("Nobody spoke"), NoteRef("n1"), Text(" for an hour."))),
        Note("n1", (p("Not even the dog."),)),
        verse_of([((Text("Over the hills"),), (Text("and far away"),))]),
        Image("map.png", "A hand-drawn map of the valley", (Text("The valley"),)),
    ))
    ch2 = Chapter((Text("The River"),), 2, (p("The water was cold."),))
    ch3 = Chapter((Text("The Town"),), 3, (Paragraph((Emphasis((Text("Home."),)),)),))
    return Book(
        Metadata("The Long Way", ("Ada Lark", "Ben Moss"), subtitle="A Journey", language="en-GB",
                 identifier="urn:isbn:9780000000001", publisher="Small Press",
                 rights="Copyright © 2026 Ada Lark.", date="2026-03-01",
                 isbn=Isbns(print="978-0-00-000000-2", ebook="9780000000001"),
                 description="Two friends walk home.", subjects=("Fiction", "Travel")),
        front_matter=(dedication, epigraph),
        body=(Part((Text("Going"),), (ch1, ch2), 1), Part((Text("Coming Back"),), (ch3,), 2)),
    )


@pytest.fixture(scope="module")
def book_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("parts-book")
    (folder / "map.png").write_bytes(png(40, 30))
    return folder


def options(folder: Path, **kw: object) -> EpubOptions:
    return replace(EpubOptions(modified=MODIFIED, theme=load_theme("classic"), image_root=folder),
                   **kw)  # type: ignore[arg-type]


PAGE_MAP = PageMap((
    PageStart("i", None, lead="The Long Way"),
    PageStart("ii", None),
    PageStart("1", "part-1", (), 0),
    PageStart("2", "chapter-1", (0,), 2),
    PageStart("3", "chapter-1", (2,), 1),
    PageStart("4", "part-2", (), 0),
    PageStart("5", None),
), "urn:isbn:9780000000002")


@pytest.fixture(scope="module")
def parts_epub(book_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("parts-epub") / "long-way.epub"
    path.write_bytes(render_epub(parts_book(), options(book_folder, page_map=PAGE_MAP)))
    return path


@pytest.fixture(scope="module")
def pkg(parts_epub: Path) -> Package:
    return open_package(parts_epub)


def test_parts_book_passes_epubcheck(parts_epub: Path) -> None:
    assert epubcheck_messages(parts_epub) == []


def test_identifier_is_the_ebook_isbn_and_unique(pkg: Package) -> None:
    ids = pkg.dc("identifier")
    assert [i.text for i in ids] == ["urn:isbn:9780000000001"]
    assert pkg.opf.get("unique-identifier") == ids[0].get("id")


def test_store_metadata(pkg: Package) -> None:
    assert pkg.meta("dcterms:modified") == ["2026-01-01T00:00:00Z"]
    assert [e.text for e in pkg.dc("language")] == ["en-GB"]
    assert pkg.opf.get("{http://www.w3.org/XML/1998/namespace}lang") == "en-GB"
    creators = pkg.dc("creator")
    assert [c.text for c in creators] == ["Ada Lark", "Ben Moss"]
    for creator, sort in zip(creators, ["Lark, Ada", "Moss, Ben"], strict=True):
        refines = pkg.opf.findall(f"opf:metadata/opf:meta[@refines='#{creator.get('id')}']", NS)
        assert {(m.get("property"), m.text) for m in refines} == {("file-as", sort),
                                                                  ("role", "aut")}
    assert [e.text for e in pkg.dc("publisher")] == ["Small Press"]
    assert [e.text for e in pkg.dc("description")] == ["Two friends walk home."]
    assert [e.text for e in pkg.dc("subject")] == ["Fiction", "Travel"]


def test_accessibility_metadata(pkg: Package) -> None:
    assert set(pkg.meta("schema:accessMode")) == {"textual", "visual"}
    assert pkg.meta("schema:accessModeSufficient") == ["textual"]
    assert {"structuralNavigation", "readingOrder", "tableOfContents", "printPageNumbers",
            "pageNavigation", "alternativeText"} <= set(pkg.meta("schema:accessibilityFeature"))
    assert pkg.meta("schema:accessibilityHazard") == ["none"]
    assert pkg.meta("schema:accessibilitySummary")[0].startswith("This publication meets")
    assert pkg.meta("dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    assert pkg.meta("a11y:certifiedBy") == ["Small Press"]
    assert pkg.meta("pageBreakSource") == ["urn:isbn:9780000000002"]


def test_cover_image_page_and_kobo_meta(pkg: Package) -> None:
    items = pkg.manifest()
    covers = [i for i in items.values() if "cover-image" in (i.get("properties") or "")]
    assert len(covers) == 1
    cover = covers[0]
    meta = pkg.opf.find("opf:metadata/opf:meta[@name='cover']", NS)
    assert meta is not None and meta.get("content") == cover.get("id")
    data = pkg.read(cover.get("href"))
    loaded, warnings = load_cover_bytes(data)
    assert (loaded.width, loaded.height) == COVER_SIZE and warnings == ()
    first = pkg.spine_hrefs()[0]
    page = pkg.xhtml(first)
    img = page.find(f".//{X}img")
    assert img is not None and img.get("src").endswith(cover.get("href"))
    assert "The Long Way" in img.get("alt")


def load_cover_bytes(data: bytes) -> tuple[object, tuple[str, ...]]:
    from PIL import Image as PILImage

    with PILImage.open(io.BytesIO(data)) as im:
        w, h = im.size
    return type("C", (), {"width": w, "height": h})(), cover_warnings(w, h)


def test_landmarks(pkg: Package) -> None:
    nav = pkg.nav("landmarks")
    assert nav is not None
    kinds = [a.get(EPUB_TYPE) for a in nav.iter(f"{X}a")]
    assert kinds == ["cover", "titlepage", "copyright-page", "toc", "bodymatter"]
    body = next(a for a in nav.iter(f"{X}a") if a.get(EPUB_TYPE) == "bodymatter")
    assert body.get("href") == "text/part-1.xhtml"


def test_contents_nest_chapters_in_their_parts(pkg: Package) -> None:
    nav = pkg.nav("toc")
    assert nav is not None and nav.get("role") == "doc-toc"
    top = nav.find(f"{X}ol")
    entries = [(li.find(f"{X}a").text, [a.text for a in li.iterfind(f"{X}ol/{X}li/{X}a")])
               for li in top.iterfind(f"{X}li")]
    assert entries == [("Dedication", []), ("Epigraph", []),
                       ("Going", ["The Road", "The River"]), ("Coming Back", ["The Town"])]
    ncx = pkg.read("toc.ncx").decode()
    assert ncx.count("<navPoint") == 7


def test_page_list_in_reading_order_with_markers(pkg: Package) -> None:
    nav = pkg.nav("page-list")
    assert nav is not None and nav.get("hidden") is not None
    hrefs = [(a.text, a.get("href")) for a in nav.iter(f"{X}a")]
    assert [label for label, _ in hrefs] == ["i", "ii", "1", "2", "3", "4", "5"]
    # The untexted page ii goes with the next page that has text; i is the title page's.
    assert hrefs[0][1] == "text/titlepage.xhtml#page-i"
    assert hrefs[1][1] == "text/part-1.xhtml#page-ii"
    for label, href in hrefs:
        doc = pkg.xhtml(href)
        span = doc.find(f".//*[@id='page-{label}']")
        assert span is not None
        assert span.get(EPUB_TYPE) == "pagebreak" and span.get("role") == "doc-pagebreak"
        assert span.get("aria-label") == label
    chapter = pkg.read("text/chapter-1.xhtml").decode()
    assert 'id="page-2" aria-label="2"></span>at dawn' in chapter.replace("/>", "></span>")
    assert 'aria-label="3"></span>spoke' in chapter.replace("/>", "></span>")


def test_semantics_of_sections_and_blocks(pkg: Package) -> None:
    ded = pkg.xhtml("text/front-1-dedication.xhtml").find(f".//{X}section")
    assert (ded.get(EPUB_TYPE), ded.get("role")) == ("dedication", "doc-dedication")
    epi = pkg.xhtml("text/front-2-epigraph.xhtml").find(f".//{X}section")
    assert (epi.get(EPUB_TYPE), epi.get("role")) == ("epigraph", "doc-epigraph")
    part = pkg.xhtml("text/part-1.xhtml").find(f".//{X}section")
    assert (part.get(EPUB_TYPE), part.get("role")) == ("part", "doc-part")
    title = pkg.xhtml("text/titlepage.xhtml").find(f".//{X}section")
    assert title.get(EPUB_TYPE) == "titlepage"
    imprint = pkg.xhtml("text/copyright.xhtml").find(f".//{X}section")
    assert imprint.get(EPUB_TYPE) == "copyright-page"
    assert "9780000000001" in "".join(imprint.itertext())
    doc = pkg.xhtml("text/chapter-1.xhtml")
    section = doc.find(f".//{X}section")
    assert (section.get(EPUB_TYPE), section.get("role")) == ("chapter", "doc-chapter")
    assert section.find(f".//{X}h2").text == "The Road"
    assert section.find(f"{X}hr") is not None
    assert doc.find(f".//{X}div[@class='verse']").get(EPUB_TYPE) == "z3998:verse"
    ref = doc.find(f".//{X}a[@class='noteref']")
    assert (ref.get(EPUB_TYPE), ref.get("role")) == ("noteref", "doc-noteref")
    aside = doc.find(f".//{X}aside")
    assert (aside.get(EPUB_TYPE), aside.get("role")) == ("footnote", "doc-footnote")
    quote = pkg.xhtml("text/front-2-epigraph.xhtml").find(f".//{X}blockquote")
    assert quote is not None


def test_every_document_declares_its_language(pkg: Package) -> None:
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    for href in [*pkg.spine_hrefs(), pkg.nav_href()]:
        root = pkg.xhtml(href)
        assert root.get("lang") == "en-GB" and root.get(xml_lang) == "en-GB", href


def test_images_are_packaged_with_their_alt_text(pkg: Package) -> None:
    doc = pkg.xhtml("text/chapter-1.xhtml")
    img = doc.find(f".//{X}figure/{X}img")
    assert img.get("alt") == "A hand-drawn map of the valley"
    assert img.get("src").startswith("../")
    assert pkg.read(img.get("src")[3:]).startswith(b"\x89PNG")


def test_theme_fonts_are_embedded(pkg: Package) -> None:
    fonts = [i.get("href") for i in pkg.manifest().values()
             if i.get("media-type", "").startswith("font/")]
    assert "style/fonts/EBGaramond12-Regular.ttf" in fonts
    css = pkg.read("style/book.css").decode()
    assert "url(fonts/EBGaramond12-Regular.ttf)" in css


def test_without_a_print_edition_there_is_no_page_list(book_folder: Path, tmp_path: Path) -> None:
    path = tmp_path / "plain.epub"
    path.write_bytes(render_epub(parts_book(), options(book_folder, embed_fonts=False)))
    plain = open_package(path)
    assert plain.nav("page-list") is None
    assert "printPageNumbers" not in plain.meta("schema:accessibilityFeature")
    assert plain.meta("pageBreakSource") == []
    assert not any(i.get("media-type", "").startswith("font/") for i in plain.manifest().values())


def test_same_input_same_bytes(book_folder: Path, parts_epub: Path) -> None:
    again = render_epub(parts_book(), options(book_folder, page_map=PAGE_MAP))
    assert again == parts_epub.read_bytes()


def test_an_image_without_alt_text_fails_the_build(book_folder: Path) -> None:
    book = parts_book()
    bad = Chapter((Text("X"),), 9, (Image("map.png", " ", span=SourceSpan("book.md", 12)),))
    book = replace(book, back_matter=(bad,))
    with pytest.raises(OctavoError) as err:
        render_epub(book, options(book_folder))
    assert "no alt text" in err.value.message and err.value.line == 12


def test_an_image_outside_the_book_folder_is_refused(book_folder: Path) -> None:
    book = replace(parts_book(), back_matter=(
        Chapter((Text("X"),), 9, (Image("../secret.png", "a secret"),)),))
    with pytest.raises(OctavoError, match="is outside the book's folder"):
        render_epub(book, options(book_folder))


def test_file_as() -> None:
    assert file_as("Mara Quill") == "Quill, Mara"
    assert file_as("Martin Luther King Jr.") == "King, Martin Luther, Jr."
    assert file_as("Homer") == "Homer"
    assert file_as("Austen, Jane") == "Austen, Jane"


def test_cover_checks(tmp_path: Path) -> None:
    assert cover_warnings(1600, 2560) == ()
    assert len(cover_warnings(800, 1280)) == 1  # too small, right shape
    assert len(cover_warnings(2000, 2000)) == 1  # big enough, square
    small = tmp_path / "small.png"
    small.write_bytes(png(300, 480))
    cover, warnings = load_cover(small)
    assert cover.media_type == "image/png" and (cover.width, cover.height) == (300, 480)
    assert warnings and "1600" in warnings[0]
    text = tmp_path / "cover.png"
    text.write_text("not an image")
    with pytest.raises(OctavoError, match="not an image"):
        load_cover(text)


def test_a_given_cover_is_used_and_checked(tmp_path: Path) -> None:
    folder = tmp_path / "book"
    folder.mkdir()
    (folder / "story.txt").write_text("It was late.\nThe end came soon.\n", encoding="utf-8")
    (folder / "front.png").write_bytes(png(320, 512))
    (folder / "book.toml").write_text('title = "Late"\nauthor = "A. Writer"\ncover = "front.png"\n',
                                      encoding="utf-8")
    from octavo.build import build

    result = build(folder, tmp_path / "out", ("epub",))
    built = open_package(result.outputs["epub"])
    cover = next(i for i in built.manifest().values()
                 if "cover-image" in (i.get("properties") or ""))
    assert built.read(cover.get("href")) == (folder / "front.png").read_bytes()
    assert [d.code for d in result.diagnostics if d.code == "C001"] == ["C001"]
    # The other kind of ebook the suite builds: the author's cover, no print edition.
    assert built.nav("page-list") is None
    assert epubcheck_messages(result.outputs["epub"]) == []


def test_seed_epub_is_a_full_package(seed_build: object) -> None:
    from conftest import Built

    assert isinstance(seed_build, Built)
    seed = open_package(seed_build.epub)
    assert seed.dc("identifier")[0].text.startswith("urn:uuid:")
    assert seed.meta("dcterms:modified") == ["2026-01-01T00:00:00Z"]
    assert seed.nav("page-list") is not None
    assert seed.meta("pageBreakSource")[0].startswith("After the Fall")



def test_an_undated_public_domain_text_gets_no_copyright_page(book_folder: Path,
                                                              tmp_path: Path) -> None:
    book = parts_book()
    book = replace(book, metadata=replace(book.metadata, rights=None, date=None, publisher=None,
                                          isbn=Isbns()))
    path = tmp_path / "pd.epub"
    path.write_bytes(render_epub(book, options(book_folder, embed_fonts=False)))
    pd = open_package(path)
    assert not any(h.endswith("copyright.xhtml") for h in pd.spine_hrefs())
    landmarks = pd.nav("landmarks")
    assert landmarks is not None
    assert "copyright-page" not in [a.get(EPUB_TYPE) for a in landmarks.iter(f"{X}a")]
    # Nobody evaluated it for accessibility but a publisher would: the authors are not named.
    assert pd.meta("a11y:certifiedBy") == []
    assert pd.meta("dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]


# CSS the major reading systems do not all support (Kindle's KF8 renderer is the narrowest):
# selectors past CSS 2.1 plus a few, custom properties, computed values, newer at-rules.
UNSUPPORTED_CSS = (":has(", ":is(", ":where(", ":not(", ":nth-", "var(", "calc(", "@supports",
                   "@container", "@layer", "@page", "position: fixed", " ~ ")


@pytest.mark.parametrize("theme_name", available_themes())
def test_ebook_css_uses_only_widely_supported_rules(theme_name: str) -> None:
    css = load_theme(theme_name).epub_css
    assert [rule for rule in UNSUPPORTED_CSS if rule in css] == []


@pytest.mark.parametrize("theme_name", ["classic", "modern"])
def test_generated_cover_is_deterministic_in_the_theme_face(theme_name: str) -> None:
    from octavo.render.cover import cover_font_path, typographic_cover

    theme = load_theme(theme_name)
    meta = parts_book().metadata
    first, second = typographic_cover(meta, theme), typographic_cover(meta, theme)
    assert first.data == second.data and first.media_type == "image/png"
    assert (first.width, first.height) == COVER_SIZE
    font = cover_font_path(theme)
    assert font is not None and font.parent == theme.path / "fonts"
    other = typographic_cover(replace(meta, title="Another Title"), theme)
    assert other.data != first.data
