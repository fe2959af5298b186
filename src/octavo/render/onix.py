"""ONIX 3.0: the record distributors ingest, one ``<Product>`` per edition (the print book and
the ebook) in one message. It is metadata, not a backend: it reads the model's metadata and
facts the build hands it (the print page count and trim, the ebook's accessibility as the EPUB
declares it, prices), never the manuscript. Codes are EDItEUR's code lists (issue 75): each
code written here is named where it is used."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from lxml import etree

from ..errors import OctavoError
from ..model import Metadata

NAMESPACE = "http://ns.editeur.org/onix/3.0/reference"

# ISO 639-2/B codes (what ONIX's List 74 holds) of the ISO 639-1 codes a BCP 47 tag may start
# with; a three-letter tag is taken as it is.
ISO_639_2B: dict[str, str] = {
    "ar": "ara", "bg": "bul", "ca": "cat", "cs": "cze", "cy": "wel", "da": "dan", "de": "ger",
    "el": "gre", "en": "eng", "eo": "epo", "es": "spa", "et": "est", "eu": "baq", "fa": "per",
    "fi": "fin", "fr": "fre", "ga": "gle", "gd": "gla", "gl": "glg", "he": "heb", "hi": "hin",
    "hr": "hrv", "hu": "hun", "id": "ind", "is": "ice", "it": "ita", "ja": "jpn", "ko": "kor",
    "la": "lat", "lt": "lit", "lv": "lav", "mt": "mlt", "nb": "nob", "nl": "dut", "nn": "nno",
    "no": "nor", "pl": "pol", "pt": "por", "ro": "rum", "ru": "rus", "sk": "slo", "sl": "slv",
    "sr": "srp", "sv": "swe", "sw": "swa", "tr": "tur", "uk": "ukr", "ur": "urd", "vi": "vie",
    "yi": "yid", "zh": "chi",
}

# schema.org accessibility features (as the EPUB declares them) -> List 196 codes.
FEATURE_CODES: dict[str, str] = {
    "tableOfContents": "11",        # Table of contents navigation
    "readingOrder": "13",           # Single logical reading order
    "alternativeText": "14",        # Short alternative textual descriptions
    "printPageNumbers": "19",       # Print-equivalent page numbering
    "displayTransformability": "36",  # Appearance of all textual content can be modified
    "pageNavigation": "41",         # Page list navigation
}
# The EPUB's conformance claim -> List 196: EPUB Accessibility 1.1, WCAG 2.1, level AA.
CONFORMANCE_CODES: dict[str, tuple[str, ...]] = {
    "EPUB Accessibility 1.1 - WCAG 2.1 Level AA": ("04", "81", "85"),
}
# accessibilityHazard none -> List 143 (ProductFormFeatureType 12): no flashing, sound or
# motion simulation hazard.
NO_HAZARD_CODES = ("14", "16", "18")
CURRENCY_SIGNS = {"$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY"}
# Prices in these currencies are quoted before sales tax (List 58 code 01, RRP excluding
# tax); elsewhere a book's retail price includes VAT (code 02).
TAX_EXCLUSIVE = {"USD", "CAD"}


@dataclass(frozen=True, slots=True)
class Price:
    amount: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class Edition:
    """One product: its 13-digit ISBN (or None) and price (or None)."""

    isbn: str | None = None
    price: Price | None = None


@dataclass(frozen=True, slots=True)
class PrintFacts:
    """What the print layout knows: its page count, trim and spine (inches)."""

    pages: int
    trim: tuple[float, float]
    spine: float


@dataclass(frozen=True, slots=True)
class OnixFacts:
    """What the build hands the record besides the model's metadata."""

    print_edition: Edition
    ebook_edition: Edition
    layout: PrintFacts
    # The EPUB's accessibility metadata as it declares it: (schema.org property, value).
    accessibility: tuple[tuple[str, str], ...]
    sent: dt.datetime
    biography: str | None = None


def parse_price(text: str, where: str) -> Price:
    """``$18.00``, ``18.00 USD``, ``EUR 9.99``, ``£7.99`` -> amount and ISO 4217 currency; an
    error naming ``where`` (``[price] print``) otherwise."""
    compact = text.strip()
    sign = compact[:1]
    currency, amount = None, None
    if sign in CURRENCY_SIGNS:
        currency, amount = CURRENCY_SIGNS[sign], compact[1:].strip()
    else:
        match = (re.fullmatch(r"([A-Za-z]{3})\s*([\d.,]+)", compact)
                 or re.fullmatch(r"([\d.,]+)\s*([A-Za-z]{3})", compact))
        if match:
            first, second = match.groups()
            currency, amount = ((first, second) if first[0].isalpha() else (second, first))
    try:
        value = Decimal(amount.replace(",", "")) if amount else None
    except InvalidOperation:
        value = None
    if currency is None or value is None or value < 0:
        raise OctavoError(f"{where} '{text}' is not a price (write e.g. \"$18.00\" or "
                          "\"18.00 USD\")")
    return Price(value.quantize(Decimal("0.01")), currency.upper())


def language_code(tag: str) -> str:
    """A BCP 47 tag's language as ONIX writes it (ISO 639-2/B): ``en-GB`` -> ``eng``."""
    primary = tag.split("-")[0].lower()
    if len(primary) == 3 and primary.isalpha():
        return primary
    if primary in ISO_639_2B:
        return ISO_639_2B[primary]
    raise OctavoError(f"language '{tag}' has no ISO 639-2 code octavo knows, as ONIX needs",
                      hint="set language to the three-letter code (e.g. language = \"nav\")")


def onix_date(date: str | None) -> tuple[str, str] | None:
    """A book.toml date as ONIX's (text, dateformat): ``2026-11-01`` -> (``20261101``, 00);
    a year alone -> (``2026``, 05); anything else is left out."""
    if not date:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", date):
        return date[:10].replace("-", ""), "00"
    if re.fullmatch(r"\d{4}", date):
        return date, "05"
    return None


def inverted(name: str) -> str:
    """``Mara Quill`` -> ``Quill, Mara`` (as the EPUB's file-as)."""
    from .epub import file_as

    return file_as(name)


def accessibility_features(pairs: Sequence[tuple[str, str]], certifier: str | None
                           ) -> list[tuple[str, str, str | None]]:
    """The EPUB's accessibility metadata as ONIX ProductFormFeatures: (type, value,
    description), type 09 from List 196 and type 12 (hazards) from List 143."""
    out: list[tuple[str, str, str | None]] = []
    summary = next((v for p, v in pairs if p == "schema:accessibilitySummary"), None)
    if summary:
        out.append(("09", "00", summary))
    conformance = next((v for p, v in pairs if p == "dcterms:conformsTo"), None)
    codes = CONFORMANCE_CODES.get(conformance or "", ())
    out += [("09", code, None) for code in codes]
    # No DRM: octavo's EPUB leaves every reading system option on.
    out.append(("09", "10", None))
    features = [v for p, v in pairs if p == "schema:accessibilityFeature"]
    out += [("09", FEATURE_CODES[f], None) for f in features if f in FEATURE_CODES]
    # Every non-decorative content readable without sight: text is sufficient alone.
    if ("schema:accessModeSufficient", "textual") in pairs:
        out.append(("09", "52", None))
    if codes and certifier:
        out.append(("09", "90", certifier))
    if ("schema:accessibilityHazard", "none") in pairs:
        out += [("12", code, None) for code in NO_HAZARD_CODES]
    return sorted(out, key=lambda f: (f[0], f[1]))


def _add(parent: etree._Element, tag: str, text: str | None = None,
         **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = text
    return element


def _identifiers(product: etree._Element, edition: Edition, record: str) -> None:
    identifier = _add(product, "ProductIdentifier")
    if edition.isbn:
        _add(identifier, "ProductIDType", "15")  # ISBN-13
        _add(identifier, "IDValue", edition.isbn)
    else:
        _add(identifier, "ProductIDType", "01")  # proprietary: the record's own name
        _add(identifier, "IDTypeName", "octavo record")
        _add(identifier, "IDValue", record)


def _descriptive(product: etree._Element, meta: Metadata, facts: OnixFacts,
                 ebook: bool) -> None:
    detail = _add(product, "DescriptiveDetail")
    _add(detail, "ProductComposition", "00")  # a single-item product
    if ebook:
        _add(detail, "ProductForm", "ED")  # digital download
        _add(detail, "ProductFormDetail", "E101")  # EPUB
        _add(detail, "ProductFormDetail", "E200")  # reflowable
        certifier = meta.publisher
        for kind, value, description in accessibility_features(facts.accessibility, certifier):
            feature = _add(detail, "ProductFormFeature")
            _add(feature, "ProductFormFeatureType", kind)
            _add(feature, "ProductFormFeatureValue", value)
            if description:
                _add(feature, "ProductFormFeatureDescription", description)
    else:
        _add(detail, "ProductForm", "BC")  # paperback
    _add(detail, "PrimaryContentType", "10")  # text (eye-readable)
    if not ebook:
        width, height = facts.layout.trim
        for kind, inches in (("01", height), ("02", width), ("03", facts.layout.spine)):
            measure = _add(detail, "Measure")
            _add(measure, "MeasureType", kind)  # height, width, thickness
            _add(measure, "Measurement", f"{inches:.3f}".rstrip("0").rstrip("."))
            _add(measure, "MeasureUnitCode", "in")
    else:
        _add(detail, "EpubTechnicalProtection", "00")  # none
    title = _add(detail, "TitleDetail")
    _add(title, "TitleType", "01")  # distinctive title
    element = _add(title, "TitleElement")
    _add(element, "TitleElementLevel", "01")  # the product itself
    _add(element, "TitleText", meta.title)
    if meta.subtitle:
        _add(element, "Subtitle", meta.subtitle)
    for number, author in enumerate(meta.authors, start=1):
        contributor = _add(detail, "Contributor")
        _add(contributor, "SequenceNumber", str(number))
        _add(contributor, "ContributorRole", "A01")  # by (author)
        _add(contributor, "PersonName", author)
        _add(contributor, "PersonNameInverted", inverted(author))
    if not meta.authors:
        _add(detail, "NoContributor")
    language = _add(detail, "Language")
    _add(language, "LanguageRole", "01")  # language of the text
    _add(language, "LanguageCode", language_code(meta.language))
    extent = _add(detail, "Extent")
    # The print book: every page of the PDF (List 23 code 07, absolute page count); the
    # ebook: the page count of its print counterpart (code 08).
    _add(extent, "ExtentType", "08" if ebook else "07")
    _add(extent, "ExtentValue", str(facts.layout.pages))
    _add(extent, "ExtentUnit", "03")  # pages
    _subjects(detail, meta.subjects)


BISAC = re.compile(r"[A-Z]{3}\d{6}")


def _subjects(detail: etree._Element, subjects: Sequence[str]) -> None:
    """BISAC codes (``FIC000000``) as BISAC subjects, the first the main one; any other
    subject as keywords."""
    codes = [s.strip().upper() for s in subjects if BISAC.fullmatch(s.strip().upper())]
    words = [s for s in subjects if not BISAC.fullmatch(s.strip().upper())]
    for number, code in enumerate(codes):
        subject = _add(detail, "Subject")
        if number == 0:
            _add(subject, "MainSubject")
        _add(subject, "SubjectSchemeIdentifier", "10")  # BISAC subject heading
        _add(subject, "SubjectCode", code)
    if words:
        subject = _add(detail, "Subject")
        _add(subject, "SubjectSchemeIdentifier", "20")  # keywords
        _add(subject, "SubjectHeadingText", "; ".join(words))


def _collateral(product: etree._Element, meta: Metadata, biography: str | None) -> None:
    texts = [(kind, text) for kind, text in (("03", meta.description), ("12", biography))
             if text]
    if not texts:
        return
    detail = _add(product, "CollateralDetail")
    for kind, text in texts:  # 03: description; 12: biographical note
        content = _add(detail, "TextContent")
        _add(content, "TextType", kind)
        _add(content, "ContentAudience", "00")  # unrestricted
        _add(content, "Text", text, textformat="06")  # plain text


def forthcoming(meta: Metadata, sent: dt.datetime) -> bool:
    date = onix_date(meta.date)
    return bool(date and date[1] == "00" and date[0] > sent.strftime("%Y%m%d"))


def publisher_name(meta: Metadata) -> str | None:
    """Who publishes the book: book.toml's publisher, else its authors (publishing it
    themselves), as ONIX needs a name there."""
    from .labels import authors_line

    return meta.publisher or authors_line(meta.authors, meta.language) or None


def _publishing(product: etree._Element, meta: Metadata, sent: dt.datetime) -> None:
    name = publisher_name(meta)
    if name is None:  # a book without publisher and author: no publishing detail to give
        return
    detail = _add(product, "PublishingDetail")
    publisher = _add(detail, "Publisher")
    _add(publisher, "PublishingRole", "01")  # publisher
    _add(publisher, "PublisherName", name)
    date = onix_date(meta.date)
    if date:
        _add(detail, "PublishingStatus", "02" if forthcoming(meta, sent) else "04")
        published = _add(detail, "PublishingDate")
        _add(published, "PublishingDateRole", "01")  # publication date
        _add(published, "Date", date[0], dateformat=date[1])


def _related(product: etree._Element, other: Edition, other_record: str, ebook: bool) -> None:
    related = _add(_add(product, "RelatedMaterial"), "RelatedProduct")
    # The ebook is based on the print book (13); the print book's ebook version (27).
    _add(related, "ProductRelationCode", "13" if ebook else "27")
    _identifiers(related, other, other_record)


def _supply(product: etree._Element, meta: Metadata, edition: Edition,
            sent: dt.datetime) -> None:
    if edition.price is None:
        return
    supply = _add(_add(product, "ProductSupply"), "SupplyDetail")
    supplier = _add(supply, "Supplier")
    _add(supplier, "SupplierRole", "01")  # publisher to retailers
    _add(supplier, "SupplierName", publisher_name(meta) or meta.title)
    # Not yet available (10) before the publication date, else available (20).
    _add(supply, "ProductAvailability", "10" if forthcoming(meta, sent) else "20")
    price = _add(supply, "Price")
    currency = edition.price.currency
    _add(price, "PriceType", "01" if currency in TAX_EXCLUSIVE else "02")
    _add(price, "PriceAmount", str(edition.price.amount))
    _add(price, "CurrencyCode", currency)


def record_reference(meta: Metadata, ebook: bool) -> str:
    return f"{meta.identifier}#{'ebook' if ebook else 'print'}"


def _product(message: etree._Element, meta: Metadata, facts: OnixFacts, ebook: bool) -> None:
    edition = facts.ebook_edition if ebook else facts.print_edition
    other = facts.print_edition if ebook else facts.ebook_edition
    product = _add(message, "Product")
    _add(product, "RecordReference", record_reference(meta, ebook))
    # Confirmed (03) once published, advance notice (02) before.
    _add(product, "NotificationType", "02" if forthcoming(meta, facts.sent) else "03")
    _identifiers(product, edition, record_reference(meta, ebook))
    _descriptive(product, meta, facts, ebook)
    _collateral(product, meta, facts.biography)
    _publishing(product, meta, facts.sent)
    _related(product, other, record_reference(meta, not ebook), ebook)
    _supply(product, meta, edition, facts.sent)


def onix_message(meta: Metadata, facts: OnixFacts) -> bytes:
    """The ONIX 3.0 message (reference tags) for the book's print and ebook editions."""
    message = etree.Element("ONIXMessage", {"release": "3.0"}, nsmap={None: NAMESPACE})
    header = _add(message, "Header")
    sender = _add(header, "Sender")
    _add(sender, "SenderName", publisher_name(meta) or meta.title)
    _add(header, "SentDateTime", facts.sent.strftime("%Y%m%dT%H%M%SZ"))
    _product(message, meta, facts, ebook=False)
    _product(message, meta, facts, ebook=True)
    # Tags were made without the namespace: put every element in ONIX's.
    for element in message.iter():
        if isinstance(element.tag, str) and not element.tag.startswith("{"):
            element.tag = f"{{{NAMESPACE}}}{element.tag}"
    return bytes(etree.tostring(message, xml_declaration=True, encoding="UTF-8",
                                pretty_print=True))
