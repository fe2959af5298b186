"""``--format onix``: an ONIX 3.0 record of the print and ebook editions that EDItEUR's schema
accepts (onixcheck), with what distributors read: ISBNs, title, authors and their role,
language, BISAC subjects, description, the print book's page count (the one its PDF has) and
trim, prices, and the ebook's accessibility as its EPUB declares it (List 196 codes)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from onixcheck import validate

from epub_reading import open_package
from octavo.cli import main
from octavo.render.onix import FEATURE_CODES, language_code, parse_price

NS = {"o": "http://ns.editeur.org/onix/3.0/reference"}
TOML = """title = "Ferry Light"
subtitle = "A Novel"
author = "Nell Harrow"
publisher = "Tidewater Books"
date = "2026-11-01"
language = "en-GB"
description = "A lamplighter follows a letter upriver."
subjects = ["FIC019000", "FIC045000", "Rivers"]
trim = "5x8"
[isbn]
print = "0-306-40615-2"
ebook = "978-1-23456-789-7"
[price]
print = "£9.99"
ebook = "4.99 GBP"
"""


def book(root: Path, toml: str = TOML, image: bool = False) -> Path:
    root.mkdir(parents=True)
    picture = ""
    if image:
        from PIL import Image

        Image.new("RGB", (40, 30), (90, 120, 150)).save(root / "map.png")
        picture = "![A map of the estuary](map.png)\n\n"
    (root / "story.md").write_text(f"# One\n\n{picture}The ferry ran at dawn.\n\n# Two\n\n"
                                   "The lamps were lit.\n", encoding="utf-8")
    (root / "book.toml").write_text(toml, encoding="utf-8")
    return root


def build(root: Path, out: Path, formats: str) -> dict[str, object]:
    result = CliRunner().invoke(main, ["build", str(root), "-o", str(out), "--format", formats,
                                       "--json", "--no-cache"])
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.output))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, object], Path]:
    root = book(tmp_path_factory.mktemp("onix") / "book", image=True)
    return build(root, root.parent / "out", "epub,pdf,onix"), root.parent / "out"


def products(path: Path) -> dict[str, etree._Element]:
    tree = etree.parse(str(path))
    return {p.findtext("o:DescriptiveDetail/o:ProductForm", namespaces=NS): p
            for p in tree.getroot().iterfind("o:Product", NS)}


def texts(element: etree._Element, path: str) -> list[str]:
    return [e.text or "" for e in element.iterfind(path, NS)]


def features(product: etree._Element, kind: str) -> set[str]:
    return {f.findtext("o:ProductFormFeatureValue", namespaces=NS) or ""
            for f in product.iterfind("o:DescriptiveDetail/o:ProductFormFeature", NS)
            if f.findtext("o:ProductFormFeatureType", namespaces=NS) == kind}


def test_the_record_is_valid_onix_3(built: tuple[dict[str, object], Path]) -> None:
    report, out = built
    assert report["outputs"] == {kind: str(out / f"ferry-light.{ext}") for kind, ext in
                                 (("pdf", "pdf"), ("epub", "epub"), ("onix", "onix.xml"))}
    assert [str(m) for m in validate(str(out / "ferry-light.onix.xml"))] == []


def test_both_editions_with_what_distributors_read(
        built: tuple[dict[str, object], Path]) -> None:
    report, out = built
    found = products(out / "ferry-light.onix.xml")
    assert set(found) == {"BC", "ED"}  # paperback, digital download
    paper, ebook = found["BC"], found["ED"]
    ids = "o:ProductIdentifier[o:ProductIDType='15']/o:IDValue"  # ISBN-13
    assert texts(paper, ids) == ["9780306406157"]  # the ISBN-10 as ISBN-13
    assert texts(ebook, ids) == ["9781234567897"]
    assert texts(ebook, "o:RelatedMaterial/o:RelatedProduct/" + ids) == ["9780306406157"]
    for product in (paper, ebook):
        detail = "o:DescriptiveDetail/"
        assert texts(product, detail + "o:TitleDetail/o:TitleElement/o:TitleText") == [
            "Ferry Light"]
        assert texts(product, detail + "o:Contributor/o:ContributorRole") == ["A01"]
        assert texts(product, detail + "o:Contributor/o:PersonNameInverted") == [
            "Harrow, Nell"]
        assert texts(product, detail + "o:Language/o:LanguageCode") == ["eng"]
        assert texts(product, detail + "o:Subject[o:MainSubject]/o:SubjectCode") == [
            "FIC019000"]
        assert texts(product, detail + "o:Subject/o:SubjectCode") == ["FIC019000",
                                                                       "FIC045000"]
        assert texts(product, "o:CollateralDetail/o:TextContent[o:TextType='03']/o:Text") == [
            "A lamplighter follows a letter upriver."]
        assert texts(product, "o:PublishingDetail/o:Publisher/o:PublisherName") == [
            "Tidewater Books"]
        assert texts(product, "o:PublishingDetail/o:PublishingDate/o:Date") == ["20261101"]
    # The print book's pages: as many as its PDF has.
    assert texts(paper, "o:DescriptiveDetail/o:Extent/o:ExtentValue") == [str(report["pages"])]
    assert texts(ebook, "o:DescriptiveDetail/o:Extent[o:ExtentType='08']/o:ExtentValue") == [
        str(report["pages"])]
    measures = {m.findtext("o:MeasureType", namespaces=NS): m.findtext("o:Measurement",
                                                                       namespaces=NS)
                for m in paper.iterfind("o:DescriptiveDetail/o:Measure", NS)}
    assert measures["01"] == "8" and measures["02"] == "5"
    price = "o:ProductSupply/o:SupplyDetail/o:Price/"
    assert texts(paper, price + "o:PriceAmount") == ["9.99"]
    assert texts(ebook, price + "o:PriceAmount") == ["4.99"]
    assert texts(ebook, price + "o:CurrencyCode") == ["GBP"]


def test_the_ebooks_accessibility_is_what_its_epub_declares(
        built: tuple[dict[str, object], Path]) -> None:
    _report, out = built
    ebook = products(out / "ferry-light.onix.xml")["ED"]
    package = open_package(out / "ferry-light.epub")
    declared = set(package.meta("schema:accessibilityFeature"))
    assert {"alternativeText", "printPageNumbers"} <= declared
    codes = features(ebook, "09")
    assert {FEATURE_CODES[f] for f in declared if f in FEATURE_CODES} <= codes
    # EPUB Accessibility 1.1, WCAG 2.1, level AA; summary; readable without sight; no DRM;
    # the publisher certifies.
    assert {"04", "81", "85", "00", "52", "10", "90"} <= codes
    assert codes <= {"00", "04", "10", "11", "13", "14", "19", "36", "41", "52", "81", "85",
                     "90"}
    assert features(ebook, "12") == {"14", "16", "18"}  # no flashing, sound, motion hazard
    certifier = [f.findtext("o:ProductFormFeatureDescription", namespaces=NS)
                 for f in ebook.iterfind("o:DescriptiveDetail/o:ProductFormFeature", NS)
                 if f.findtext("o:ProductFormFeatureValue", namespaces=NS) == "90"]
    assert certifier == ["Tidewater Books"] == package.meta("a11y:certifiedBy")
    assert features(products(out / "ferry-light.onix.xml")["BC"], "09") == set()


def test_onix_alone_lays_out_the_print_book_without_writing_it(tmp_path: Path) -> None:
    toml = TOML.replace('publisher = "Tidewater Books"\n', "").replace("[price]", "[arc]\n"
                                                                       "price = \"$18.00\"\n"
                                                                       "[price]")
    toml = toml.replace('print = "£9.99"\n', "")
    root = book(tmp_path / "book", toml)
    report = build(root, tmp_path / "out", "onix")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["ferry-light.onix.xml"]
    onix = tmp_path / "out" / "ferry-light.onix.xml"
    assert [str(m) for m in validate(str(onix))] == []
    found = products(onix)
    paper, ebook = found["BC"], found["ED"]
    pages = texts(paper, "o:DescriptiveDetail/o:Extent/o:ExtentValue")
    assert pages == [str(report["pages"])] and int(pages[0]) > 0
    # The print price from [arc] price, before sales tax in dollars.
    assert texts(paper, "o:ProductSupply/o:SupplyDetail/o:Price/o:PriceType") == ["01"]
    assert texts(paper, "o:ProductSupply/o:SupplyDetail/o:Price/o:PriceAmount") == ["18.00"]
    # No image: no alternative text claimed; no publisher: nobody named as certifier.
    assert not {"14", "90"} & features(ebook, "09")


@pytest.mark.parametrize(("old", "new", "line", "key"), [
    ('ebook = "978-1-23456-789-7"', 'ebook = "978-1-23456-789-0"', 12, "[isbn] ebook"),
    ('print = "£9.99"', 'print = "nine pounds"', 14, "[price] print"),
])
def test_a_bad_isbn_or_price_is_one_line_naming_book_toml(tmp_path: Path, old: str, new: str,
                                                          line: int, key: str) -> None:
    root = book(tmp_path / "book", TOML.replace(old, new))
    result = CliRunner().invoke(main, ["build", str(root), "-o", str(tmp_path / "out"),
                                       "--format", "onix"])
    assert result.exit_code == 1
    lines = [x for x in result.output.strip().splitlines() if not x.startswith("octavo: ")
             or "error" in x]
    assert len(lines) == 1, result.output
    assert f"{root / 'book.toml'}:{line}: {key} " in lines[0]
    assert not (tmp_path / "out").exists()


def test_an_unknown_format_is_refused() -> None:
    result = CliRunner().invoke(main, ["build", "nowhere", "--format", "epub,mobi"])
    assert result.exit_code == 1
    assert "unknown format 'mobi'" in result.output


def test_rules() -> None:
    assert language_code("en-GB") == "eng" and language_code("de") == "ger"
    assert language_code("nav") == "nav"
    assert parse_price("$18.00", "x").currency == "USD"
    assert str(parse_price("18 EUR", "x").amount) == "18.00"
    assert parse_price("EUR 7,50".replace(",", "."), "x").currency == "EUR"


def test_a_bare_book_still_makes_a_valid_record(tmp_path: Path) -> None:
    """No ISBN, author, publisher, date, price or description: the editions are named by the
    record's own identifiers, and the record stays valid."""
    import datetime as dt

    from octavo.model import Metadata
    from octavo.render.onix import Edition, OnixFacts, PrintFacts, onix_message

    facts = OnixFacts(Edition(), Edition(), PrintFacts(24, (6.0, 9.0), 0.054), (),
                      dt.datetime(2026, 1, 1))
    path = tmp_path / "bare.onix.xml"
    path.write_bytes(onix_message(Metadata(title="Untitled", identifier="urn:uuid:1"), facts))
    assert [str(m) for m in validate(str(path))] == []
    ids = texts(etree.parse(str(path)).getroot(), "o:Product/o:ProductIdentifier/o:IDValue")
    assert ids == ["urn:uuid:1#print", "urn:uuid:1#ebook"]


def test_a_catalogue_names_each_books_record(tmp_path: Path) -> None:
    book(tmp_path / "shelf" / "one")
    book(tmp_path / "shelf" / "two", TOML.replace("Ferry Light", "Ebb Tide"))
    result = CliRunner().invoke(main, ["build", str(tmp_path / "shelf"), "-o",
                                       str(tmp_path / "out"), "--format", "onix", "-q"])
    assert result.exit_code == 0, result.output
    written = [line for line in result.output.splitlines() if line.endswith(".onix.xml")]
    assert sorted(Path(line).name for line in written) == ["ebb-tide.onix.xml",
                                                          "ferry-light.onix.xml"]
