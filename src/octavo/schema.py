"""Every key book.toml may hold: its table, its type, what it does. One list, used three ways:
load_settings checks types (an error naming the key) and unknown keys (a warning with the
nearest known name); ``json_schema()`` writes it as a JSON Schema for editors
(``octavo schema``); a test pins it to the keys each stage reads."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

KeyType = Literal["string", "boolean", "integer", "strings", "date", "table"]


@dataclass(frozen=True, slots=True)
class Key:
    name: str
    type: KeyType
    doc: str
    choices: tuple[str, ...] = ()


_FILE = "a file in the book's folder"

TOP: tuple[Key, ...] = (
    Key("title", "string", "The book's title (default: the manuscript's own, or its file name)."),
    Key("subtitle", "string", "A subtitle."),
    Key("author", "strings", "The author, or a list of authors."),
    Key("authors", "strings", "The authors (same as author)."),
    Key("language", "string", "BCP 47 language tag, e.g. en-US (default: en)."),
    Key("identifier", "string", "The ebook's identifier (default: a urn:uuid from title and "
        "authors)."),
    Key("date", "date", "Publication date, YYYY-MM-DD."),
    Key("publisher", "string", "The publisher's name."),
    Key("rights", "string", "The copyright line."),
    Key("description", "string", "A short description for the ebook's metadata."),
    Key("subjects", "strings", "Subjects for the ebook's metadata; BISAC codes (FIC000000) "
        "are the ONIX record's subject codes, the first its main subject."),
    Key("files", "strings", "Manuscript files in reading order (default: the folder's .md/.txt "
        "in natural order); each " + _FILE + "."),
    Key("theme", "string", "A bundled theme (classic, modern) or a theme folder inside the "
        "book's folder."),
    Key("trim", "string", "Page size: 5x8, 5.25x8, 5.5x8.5, 6x9, a5, b-format or WxH in inches."),
    Key("cover", "string", "Cover image (JPEG/PNG), " + _FILE + "."),
    Key("isbn", "table", "ISBNs: print and ebook."),
)

def _heading_levels(deepest: int) -> tuple[Key, ...]:
    """The two keys of a reader that makes parts and chapters from heading levels."""
    return (Key("part_level", "integer", f"Heading level (1-{deepest}) that starts a part."),
            Key("chapter_level", "integer",
                f"Heading level (1-{deepest}) that starts a chapter."))


TABLES: dict[str, tuple[Key, ...]] = {
    "isbn": (
        Key("print", "string", "ISBN of the print edition."),
        Key("ebook", "string", "ISBN of the ebook."),
    ),
    "typography": (
        Key("quotes", "string", "Quotation mark style.", ("en-US", "en-GB", "fr", "de", "es")),
        Key("dashes", "string", "Closed em dashes, spaced en dashes or spaced em dashes.",
            ("em", "spaced-en", "spaced-em")),
        Key("nbsp", "boolean", "No-break spaces after Mr., initials, between 5 km."),
        Key("runts", "boolean", "A no-break space before each paragraph's last word."),
    ),
    "print": (
        Key("chapters_open", "string", "Chapters open on a right-hand page, or any.",
            ("right", "any")),
        Key("chapter_numbers", "string", "How chapter numbers are set (manuscript: as the "
            "manuscript numbers them).", ("manuscript", "arabic", "words", "roman")),
        Key("running_head", "string", "What the running heads show.",
            ("theme", "title", "chapter", "none")),
        Key("bleed", "boolean", "0.125 in bleed on the outside, top and bottom."),
        Key("pdf_x", "string", "PDF/X conformance (bundled FOGRA39 CMYK profile).",
            ("", "x-4", "x-1a")),
        Key("paper", "string", "Interior paper (spine width of the print cover).",
            ("white", "cream")),
        Key("level_spreads", "boolean", "Facing pages end level (a second layout)."),
        Key("printer", "string", "The print-on-demand service the book goes to: build checks "
            "the PDF as its preflight does (octavo preflight).", ("", "kdp", "ingram", "lulu")),
    ),
    "front_matter": (
        Key("half_title", "boolean", "A half-title page."),
        Key("title_page", "boolean", "A title page."),
        Key("copyright", "boolean", "A copyright page."),
        Key("contents", "boolean", "A table of contents."),
        Key("dedication", "string", "The dedication's text."),
        Key("epigraph", "string", "An epigraph's text."),
        Key("epigraph_source", "string", "Who the epigraph is by."),
        Key("edition", "string", "An edition line for the copyright page."),
        Key("credits", "strings", "Credit lines for the copyright page."),
    ),
    "back_matter": (
        Key("acknowledgements", "string", "Acknowledgements, " + _FILE + "."),
        Key("about_the_author", "string", "About the author, " + _FILE + "."),
        Key("also_by", "strings", "Other books by the author (titles), or " + _FILE + "."),
    ),
    "hyphenation": (
        Key("exceptions", "strings", "Words with their hyphen points (ta-ble), or none to "
            "forbid breaking them."),
    ),
    "epub": (
        Key("embed_fonts", "boolean", "Embed the theme's fonts in the ebook."),
        Key("chapter_numbers", "string", "How chapter numbers are set (manuscript: as the "
            "manuscript numbers them).", ("manuscript", "arabic", "words", "roman")),
    ),
    "markdown": _heading_levels(6),
    "docx": _heading_levels(9),
    "odt": _heading_levels(9),
    "gutenberg": (
        Key("illustrations", "string", "What becomes of [Illustration] notes.",
            ("drop", "caption")),
        Key("transcriber_notes", "string", "What becomes of transcriber's notes.",
            ("drop", "keep")),
    ),
    "arc": (
        Key("publication_date", "date", "Publication date on the review copies."),
        Key("isbn", "string", "ISBN on the review copies (default: the print ISBN)."),
        Key("price", "string", "Price, e.g. $18.00."),
        Key("format", "string", "Format, e.g. Trade paperback."),
        Key("publicist", "string", "The publicist's name."),
        Key("contact", "string", "Where reviewers write."),
        Key("reviewers", "string", "CSV of reviewers (name, email, outlet), " + _FILE + "."),
    ),
    "price": (
        Key("print", "string", "The print edition's retail price for the ONIX record, e.g. "
            "\"$18.00\" or \"18.00 USD\" (default: [arc] price)."),
        Key("ebook", "string", "The ebook's retail price for the ONIX record."),
    ),
    "cover_design": (
        Key("blurb", "string", "Text on the back cover (default: description); set as large "
            "as it fits, 11 pt down to 7 pt."),
        Key("author_note", "string", "A note about the author under the back cover's text."),
        Key("spine_direction", "string", "How the spine's words run (bottom-to-top: as many "
            "European books).", ("top-to-bottom", "bottom-to-top")),
        Key("background", "string", "Cover background colour (CSS)."),
        Key("foreground", "string", "Cover text colour (CSS)."),
        Key("paper", "string", "Interior paper for the spine width.", ("white", "cream")),
    ),
}

# Table names a book.toml may hold at its top level besides ``isbn`` (read by stages).
STAGE_TABLES = tuple(name for name in TABLES if name != "isbn")

_TYPE_NAMES: dict[KeyType, str] = {
    "string": "a string",
    "boolean": "true or false",
    "integer": "a whole number",
    "strings": "a string or a list of strings",
    "date": "a date (YYYY-MM-DD)",
    "table": "a table",
}


def keys_of(table: str | None) -> tuple[Key, ...]:
    """The keys of one table (``None``: the top level, which also holds the tables)."""
    if table is None:
        return TOP + tuple(Key(name, "table", f"The [{name}] table.") for name in STAGE_TABLES)
    return TABLES[table]


def type_matches(value: Any, kind: KeyType) -> bool:
    """Whether a TOML value has the type a key wants (numbers pass where text is wanted: a
    title may be 1984)."""
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "table":
        return isinstance(value, dict)
    if isinstance(value, bool):
        return False
    scalar = isinstance(value, str | int | float)
    if kind == "string":
        return scalar
    if kind == "date":
        return scalar or isinstance(value, dt.date | dt.datetime)
    return scalar or (isinstance(value, list) and all(isinstance(v, str) for v in value))


def type_error(table: str | None, key: Key, value: Any) -> str:
    where = f"[{table}] " if table else ""
    shown = repr(value) if not isinstance(value, dict | list) else type(value).__name__
    return f"{where}{key.name} must be {_TYPE_NAMES[key.type]}, not {shown}"


def unknown_key_message(table: str | None, name: str) -> str:
    """``unknown key 'titel' (did you mean 'title'?)`` with the nearest known names."""
    known = [k.name for k in keys_of(table)]
    near = difflib.get_close_matches(name, known, n=2, cutoff=0.6)
    where = f" in [{table}]" if table else ""
    hint = (f" (did you mean {' or '.join(repr(n) for n in near)}?)" if near
            else f" (known: {', '.join(known)})")
    return f"unknown key '{name}'{where}, ignored{hint}"


def key_line(toml_text: str, table: str | None, name: str) -> int | None:
    """The line of ``name = ...`` in ``[table]`` (or before any table) of a book.toml, for
    messages; tomllib does not say where a key was."""
    current: str | None = None
    key = re.compile(rf"""^\s*(?:{re.escape(name)}|"{re.escape(name)}"|'{re.escape(name)}')\s*=""")
    for number, line in enumerate(toml_text.splitlines(), start=1):
        header = re.match(r"^\s*\[\s*([^\]\s]+)\s*\]", line)
        if header:
            current = header.group(1)
            if table is None and current == name:
                return number
            continue
        if current == table and key.match(line):
            return number
    return None


# What the build does with a key it does not know: reads the book anyway, without it, and
# warns (B001). The schema says the same: any other key is valid, and described as ignored, not
# refused (``additionalProperties: false`` would have an editor mark as an error what the build
# accepts; ``build --strict``, which fails on any warning, is the author's choice).
UNKNOWN_KEY = {"description": "Not a key octavo knows: the build ignores it with a warning "
                              "(B001) naming the nearest known key; build --strict fails on it."}


def json_schema() -> dict[str, Any]:
    """The keys as a JSON Schema (draft 2020-12), for editors that complete book.toml."""

    def prop(key: Key) -> dict[str, Any]:
        out: dict[str, Any]
        match key.type:
            case "strings":
                out = {"anyOf": [{"type": "string"},
                                 {"type": "array", "items": {"type": "string"}}]}
            case "date":
                out = {"type": "string", "format": "date"}
            case "table":
                out = table_schema(key.name)
            case _:
                out = {"type": key.type}
        if key.choices:
            out["enum"] = list(key.choices)
        out["description"] = key.doc
        return out

    def table_schema(name: str) -> dict[str, Any]:
        return {"type": "object", "additionalProperties": dict(UNKNOWN_KEY),
                "properties": {k.name: prop(k) for k in TABLES[name]}}

    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "octavo book.toml",
        "type": "object",
        "additionalProperties": dict(UNKNOWN_KEY),
        "properties": {k.name: prop(k) for k in keys_of(None)},
    }


def validate(data: Mapping[str, Any], toml_text: str) -> tuple[
        dict[str, Any], list[tuple[str, int | None]], tuple[str, int | None] | None]:
    """``data`` without its unknown keys, a warning (message, line) for each one dropped, and
    the first type error (message, line) if any."""
    warnings: list[tuple[str, int | None]] = []
    known_top = {k.name: k for k in keys_of(None)}
    out: dict[str, Any] = {}
    for name, value in data.items():
        key = known_top.get(name)
        if key is None:
            warnings.append((unknown_key_message(None, name), key_line(toml_text, None, name)))
            continue
        if not type_matches(value, key.type):
            return out, warnings, (type_error(None, key, value),
                                   key_line(toml_text, None, name))
        if key.type != "table":
            out[name] = value
            continue
        known = {k.name: k for k in TABLES[name]}
        table: dict[str, Any] = {}
        for sub, sub_value in value.items():
            sub_key = known.get(sub)
            if sub_key is None:
                warnings.append((unknown_key_message(name, sub), key_line(toml_text, name, sub)))
            elif not type_matches(sub_value, sub_key.type):
                return out, warnings, (type_error(name, sub_key, sub_value),
                                       key_line(toml_text, name, sub))
            else:
                table[sub] = sub_value
        out[name] = table
    return out, warnings, None
