"""Review copies, the small parts: the reviewer list, file names, copy ids, the theme's face,
the [arc] table and the EPUB patches, each on hand-made input."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from conftest import pdf_pages_text
from octavo.errors import OctavoError
from octavo.model import Metadata
from octavo.review.edition import ArcSettings, arc_details, arc_settings
from octavo.review.epubpatch import EpubFiles, personal_banner, personal_package
from octavo.review.fonts import Face, Run, require_face, theme_text_faces
from octavo.review.reviewers import (
    Reviewer,
    copy_id,
    is_copy_id,
    parse_reviewers,
    reviewer_slug,
)
from octavo.review.stamp import personal_mark
from octavo.themes import load_theme

CSV = Path("reviewers.csv")


def parse(text: str | bytes) -> tuple[Reviewer, ...]:
    return parse_reviewers(text.encode("utf-8") if isinstance(text, str) else text, CSV)


def error_of(text: str | bytes) -> OctavoError:
    with pytest.raises(OctavoError) as caught:
        parse(text)
    return caught.value


# --------------------------------------------------------------------------- the CSV


def test_reviewers_are_read_with_optional_columns_in_any_order() -> None:
    rows = parse("Outlet,Name,E-mail\nThe Times,Jane Doe,jane@example.org\n,Ivo Ban,\n")
    assert rows == (Reviewer("Jane Doe", "jane@example.org", "The Times", 2),
                    Reviewer("Ivo Ban", "", "", 3))


def test_a_name_only_list_with_a_byte_order_mark_and_blank_lines() -> None:
    rows = parse("\ufeffname\nZoë Ἀλέξανδρος\n\nДмитрий  Иванов\n")
    assert [r.name for r in rows] == ["Zoë Ἀλέξανδρος", "Дмитрий Иванов"]
    assert [r.line for r in rows] == [2, 4]


def test_semicolon_separated_lists_from_european_spreadsheets() -> None:
    assert parse("name;email\nAnna Berg;anna@example.se\n")[0].email == "anna@example.se"


def test_names_are_stored_composed() -> None:
    decomposed = "Zoe\u0308 Doe"
    assert parse(f"name\n{decomposed}\n")[0].name == "Zoë Doe"


def test_missing_name_column_names_the_header_line() -> None:
    err = error_of("email,outlet\njane@example.org,The Times\n")
    assert err.line == 1 and "no 'name' column" in err.message
    assert str(err).startswith("reviewers.csv:1: ")


def test_empty_name_names_its_line() -> None:
    err = error_of("name,email\nJane Doe,jane@example.org\n  ,ivo@example.org\n")
    assert err.line == 3 and "empty reviewer name" in err.message


def test_duplicate_reviewer_names_both_lines() -> None:
    err = error_of("name\nJane Doe\nIvo Ban\njane  doe\n")
    assert err.line == 4 and "duplicate reviewer" in err.message and "line 2" in err.message


def test_duplicate_email_is_a_duplicate_reviewer() -> None:
    err = error_of("name,email\nJane Doe,j@example.org\nJ. Doe,J@example.org\n")
    assert err.line == 3 and "duplicate" in err.message


def test_bad_encoding_names_the_line_of_the_first_bad_byte() -> None:
    err = error_of(b"name\nJane Doe\n" + "Zoë Doe\n".encode("latin-1"))
    assert err.line == 3 and "UTF-8" in err.message


def test_invisible_characters_in_a_name_are_refused() -> None:
    err = error_of("name\nJane\u200bDoe\n")
    assert err.line == 2 and "U+200B" in err.message


def test_a_header_without_reviewers_is_an_error() -> None:
    assert "no reviewers" in error_of("name,email\n").message


def test_an_email_without_an_at_sign_is_refused() -> None:
    assert error_of("name,email\nJane,jane.example.org\n").line == 2


# --------------------------------------------------------------------------- names and ids


@pytest.mark.parametrize(("name", "slug"), [
    ("Jane Doe", "jane-doe"),
    ("Zoë Ἀλέξανδρος", "zoe-alexandros"),
    ("Дмитрий Иванов", "dmitrii-ivanov"),
    ("Jürgen Groß", "jurgen-gross"),
    ("O'Brien, Siobhán", "o-brien-siobhan"),
])
def test_reviewer_file_names_are_ascii(name: str, slug: str) -> None:
    assert reviewer_slug(name) == slug


def test_a_name_octavo_cannot_spell_in_latin_still_gets_a_distinct_file_name() -> None:
    assert reviewer_slug("王小明").startswith("reviewer-")
    assert reviewer_slug("王小明") != reviewer_slug("李小明")


def test_copy_ids_are_stable_distinct_and_self_checking() -> None:
    jane, ivo = Reviewer("Jane Doe"), Reviewer("Ivo Ban")
    first = copy_id("urn:uuid:1", jane)
    assert first == copy_id("urn:uuid:1", jane)
    assert len({first, copy_id("urn:uuid:1", ivo), copy_id("urn:uuid:2", jane)}) == 3
    assert is_copy_id(first) and is_copy_id(first.upper())
    assert not is_copy_id("0" * 32)
    assert not is_copy_id(first[:-1] + ("0" if first[-1] != "0" else "1"))


# --------------------------------------------------------------------------- the theme's face


def test_the_body_face_comes_first_and_covers_latin_greek_and_cyrillic() -> None:
    faces = tuple(Face(p) for p in theme_text_faces(load_theme("classic")))
    assert faces, "the classic theme bundles no regular upright face"
    assert "Italic" not in faces[0].path.name and "Bold" not in faces[0].path.name
    for name in ("Jane Doe", "Zoë Ἀλέξανδρος", "Дмитрий Иванов"):
        assert require_face(personal_mark(name), faces, "name", CSV, 2) is not None


def test_a_script_no_bundled_face_covers_is_refused_naming_the_line() -> None:
    faces = tuple(Face(p) for p in theme_text_faces(load_theme("classic")))
    with pytest.raises(OctavoError) as caught:
        require_face(personal_mark("王小明"), faces, "reviewer name '王小明'", CSV, 7)
    assert caught.value.line == 7
    assert "U+738B" in caught.value.message and "never prints missing-glyph" in caught.value.message


def test_shaping_maps_every_glyph_back_to_its_characters() -> None:
    face = Face(theme_text_faces(load_theme("classic"))[0])
    text = personal_mark("Zoë Ἀλέξανδρος")
    glyphs = face.shape(text)
    assert "".join(g.text for g in glyphs) == text
    data, mapping = face.subset(sorted({g.gid for g in glyphs}))
    assert len(data) < len(face.data) / 10
    assert len(set(mapping.values())) == len(mapping)


# --------------------------------------------------------------------------- [arc]


def test_arc_table_defaults_from_the_book_and_refuses_typos(tmp_path: Path) -> None:
    from octavo.model import Isbns

    meta = Metadata("T", date="2027-01-02", isbn=Isbns(print="978-1"))
    arc = arc_settings({"price": "$20"}, meta, tmp_path, tmp_path / "book.toml")
    assert arc == ArcSettings(publication_date="2027-01-02", isbn="978-1", price="$20")
    with pytest.raises(OctavoError, match=r"unknown key.*pirce"):
        arc_settings({"pirce": "$20"}, meta, tmp_path, tmp_path / "book.toml")
    with pytest.raises(OctavoError, match="outside the book's folder"):
        arc_settings({"reviewers": "../list.csv"}, meta, tmp_path, None)


def test_the_page_count_row_is_always_there() -> None:
    rows = dict(arc_details(ArcSettings(), "312"))
    assert rows == {"Pages": "312"}


# --------------------------------------------------------------------------- EPUB patches


def test_personal_banner_goes_inside_the_review_banner_and_escapes_the_name() -> None:
    page = ('<html><head><title>1</title></head><body><div class="arc-banner" role="note">'
            '<p class="arc-edition">ARC</p></div><section>text</section></body></html>')
    out = personal_banner(page, Reviewer("Ann <&> Lee"), "ab" * 16)
    assert ('<p class="arc-edition">ARC</p><p class="arc-prepared-for">Prepared for '
            "Ann &lt;&amp;&gt; Lee · NOT FOR SALE</p></div>") in out
    assert f'<meta name="octavo-arc-copy" content="{"ab" * 16}"/>\n</head>' in out


def test_a_chapter_without_its_banner_is_an_error_not_a_silent_copy() -> None:
    with pytest.raises(OctavoError):
        personal_banner("<html><head></head><body></body></html>", Reviewer("A"), "0" * 32)


def test_personal_package_metadata() -> None:
    opf = '<package><metadata xmlns:dc="x"><dc:title>T</dc:title></metadata></package>'
    out = personal_package(opf, Reviewer('Ann "Q" Lee', outlet="Post"), "cd" * 16)
    assert '<meta name="octavo:arc-prepared-for" content="Ann &quot;Q&quot; Lee"/>' in out
    assert '<meta name="octavo:arc-outlet" content="Post"/>' in out
    assert out.index('octavo:arc-copy-id') < out.index("</metadata>")


def test_rewritten_zip_keeps_order_stored_mimetype_and_unchanged_bytes() -> None:
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype", (1980, 1, 1, 0, 0, 0)), "application/epub+zip")
        z.writestr("META-INF/container.xml",
                   '<container><rootfiles><rootfile full-path="OEBPS/p.opf"/></rootfiles>'
                   "</container>", zipfile.ZIP_DEFLATED)
        z.writestr("OEBPS/p.opf", "<package/>", zipfile.ZIP_DEFLATED)
        z.writestr("OEBPS/font.ttf", bytes(range(256)) * 40, zipfile.ZIP_DEFLATED)
    files = EpubFiles.read(raw.getvalue())
    out = zipfile.ZipFile(io.BytesIO(files.write({"OEBPS/p.opf": b"<package>new</package>"})))
    assert out.testzip() is None
    assert out.namelist() == ["mimetype", "META-INF/container.xml", "OEBPS/p.opf",
                              "OEBPS/font.ttf"]
    assert out.infolist()[0].compress_type == zipfile.ZIP_STORED
    assert out.read("OEBPS/p.opf") == b"<package>new</package>"
    assert out.read("OEBPS/font.ttf") == bytes(range(256)) * 40
    assert out.infolist()[0].header_offset == 0 and out.read("mimetype") == b"application/epub+zip"


# --------------------------------------------------------------------------- stamping


def _one_page_pdf(with_xmp: bool) -> bytes:
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(432, 648))
    if with_xmp:
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["pdfx:GTS_PDFXVersion"] = "PDF/X-4"
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


@pytest.mark.parametrize("with_xmp", [False, True])
def test_stamped_text_extracts_and_existing_xmp_is_kept(with_xmp: bool) -> None:
    import pikepdf

    from octavo.review.stamp import StampGeometry, stamp_copy, stamp_template

    face = Face(theme_text_faces(load_theme("classic"))[0])
    reviewer = Reviewer("Дмитрий Иванов", outlet="Новая газета")
    copy = copy_id("urn:x", reviewer)
    runs = (Run(0, personal_mark(reviewer.name)),)
    data = stamp_copy(stamp_template(_one_page_pdf(with_xmp)), (face,), runs, StampGeometry(),
                      reviewer, copy, "T", ("A",))
    text = pdf_pages_text(data)[0]
    assert text.strip() == "Prepared for Дмитрий Иванов · NOT FOR SALE"
    with pikepdf.open(io.BytesIO(data)) as pdf:
        with pdf.open_metadata() as meta:
            assert meta.get("pdfx:GTS_PDFXVersion") == ("PDF/X-4" if with_xmp else None)
        packet = pdf.Root.Metadata.read_bytes().decode()
        assert f"<octavo:copyId>{copy}</octavo:copyId>" in packet
        assert "<octavo:outlet>Новая газета</octavo:outlet>" in packet
        assert bytes(pdf.trailer.ID[0]).hex() == copy
        assert "/OctavoArcStamps" not in pdf.Root


def test_the_modern_theme_falls_back_to_its_second_face_for_polytonic_greek() -> None:
    faces = tuple(Face(p) for p in theme_text_faces(load_theme("modern")))
    assert faces[0].path.name.startswith("Vollkorn")
    chosen = require_face(personal_mark("Ἀλέξανδρος"), faces, "name", CSV, 2)
    assert chosen.path.name.startswith("Gentium")
