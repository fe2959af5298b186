"""The reviewer list: a UTF-8 CSV with a ``name`` column (``email`` and ``outlet`` optional).

Every problem is an ``OctavoError`` naming the CSV line, raised before anything is laid out or
written, so a bad list never leaves half a mailing behind.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..errors import OctavoError, read_input

# Column names a publicist's spreadsheet may use for each field (compared case-insensitively).
NAME_COLUMNS = ("name", "reviewer", "full name")
EMAIL_COLUMNS = ("email", "e-mail", "mail")
OUTLET_COLUMNS = ("outlet", "publication", "organisation", "organization")


@dataclass(frozen=True, slots=True)
class Reviewer:
    """One row of the reviewer list; ``line`` is its line in the CSV (1 is the header)."""

    name: str
    email: str = ""
    outlet: str = ""
    line: int = 0

    @property
    def slug(self) -> str:
        return reviewer_slug(self.name)


# A spreadsheet reads a cell that starts with one of these as a formula (OWASP: CSV
# injection): ``=HYPERLINK(...)`` in a reviewer's name would run when the manifest is opened.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: str) -> str:
    """``value`` as a CSV cell no spreadsheet runs: one that would start a formula is prefixed
    with a single quote, which spreadsheets show as text and do not display."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def from_spreadsheet_cell(value: str) -> str:
    """The value ``spreadsheet_cell`` was given."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_STARTS) else value


def copy_id(book_identifier: str, reviewer: Reviewer) -> str:
    """A 32-hex-digit id for one reviewer's copy of one book: stable across runs (outputs are
    deterministic) and distinct per reviewer, so a copy stripped of its name can still be traced
    through the manifest. Its last 8 digits check the first 24, so tracing can tell an octavo
    copy id from any other 16-byte document ID."""
    key = "\x1f".join(
        ["octavo-arc", book_identifier, reviewer.name.casefold(), reviewer.email.casefold()]
    )
    body = hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]
    return body + _copy_check(body)


def _copy_check(body: str) -> str:
    return hashlib.sha256(f"octavo-arc-copy:{body}".encode()).hexdigest()[:8]


def is_copy_id(value: str) -> bool:
    """Whether ``value`` is a copy id octavo made (the check digits match)."""
    value = value.lower()
    return bool(re.fullmatch(r"[0-9a-f]{32}", value)) and _copy_check(value[:24]) == value[24:]


# Greek and Cyrillic letters spelled in Latin for file names (a simplified ISO 843 / ISO 9);
# anything else without an ASCII decomposition is dropped from the slug.
_GREEK = ("αβγδεζηθικλμνξοπρσςτυφχψω",
          ("a", "v", "g", "d", "e", "z", "i", "th", "i", "k", "l", "m", "n", "x", "o", "p", "r",
           "s", "s", "t", "y", "f", "ch", "ps", "o"))
_CYRILLIC = ("абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґђјљњћџ",
             ("a", "b", "v", "g", "d", "e", "yo", "zh", "z", "i", "y", "k", "l", "m", "n", "o",
              "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e",
              "yu", "ya", "i", "yi", "ye", "g", "dj", "j", "lj", "nj", "c", "dz"))
TRANSLITERATION = {
    ord(letter): latin
    for letters, latins in (_GREEK, _CYRILLIC)
    for letter, latin in zip(letters, latins, strict=True)
}


def reviewer_slug(name: str) -> str:
    """ASCII file-name part for a reviewer (``Zoë Ἀλέξανδρος`` -> ``zoe-alexandros``)."""
    base = "".join(
        ch for ch in unicodedata.normalize("NFD", name.casefold())
        if not unicodedata.combining(ch)
    )
    ascii_text = (
        unicodedata.normalize("NFKD", base.translate(TRANSLITERATION))
        .encode("ascii", "ignore")
        .decode()
    )
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    # A name in a script octavo cannot spell in Latin still gets a stable, distinct file name.
    return slug or "reviewer-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:10]


def clean_name(raw: str) -> str:
    """NFC, inner whitespace collapsed: the form drawn on the page and stored in metadata."""
    return " ".join(unicodedata.normalize("NFC", raw).split())


def _decode(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise OctavoError(
            "the reviewer list is not UTF-8 text (save it as 'CSV UTF-8')", path, line
        ) from None


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    folded = [h.strip().casefold() for h in header]
    for name in names:
        if name in folded:
            return folded.index(name)
    return None


def _dialect(first_line: str) -> str:
    """The delimiter of the header line: spreadsheets in many locales write ';' or tabs."""
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _check_name(name: str, path: Path, line: int) -> None:
    if not name:
        raise OctavoError("empty reviewer name", path, line)
    bad = [ch for ch in name if unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs", "Cn")]
    if bad:
        raise OctavoError(
            f"reviewer name '{name}' contains an invisible or unassigned character "
            f"U+{ord(bad[0]):04X}", path, line,
        )


def parse_reviewers(data: bytes, path: Path) -> tuple[Reviewer, ...]:
    """Every reviewer in a CSV file's bytes, validated; ``path`` is only for messages."""
    text = _decode(data, path)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise OctavoError("the reviewer list is empty (it needs a header line with 'name')", path, 1)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_dialect(lines[0]))
    try:
        header = next(reader)
    except csv.Error as exc:
        raise OctavoError(f"unreadable CSV: {exc}", path, 1) from None
    name_col = _column(header, NAME_COLUMNS)
    if name_col is None:
        raise OctavoError(
            f"no 'name' column in the reviewer list's header ({', '.join(header) or 'empty'})",
            path, 1,
        )
    email_col = _column(header, EMAIL_COLUMNS)
    outlet_col = _column(header, OUTLET_COLUMNS)

    reviewers: list[Reviewer] = []
    seen_slugs: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue

            def cell(col: int | None, row: list[str] = row) -> str:
                return row[col].strip() if col is not None and col < len(row) else ""

            name = clean_name(cell(name_col))
            _check_name(name, path, line)
            email = cell(email_col)
            if email and not re.fullmatch(r"[^@\s]+@[^@\s]+", email):
                raise OctavoError(f"'{email}' is not an email address", path, line)
            slug = reviewer_slug(name)
            if slug in seen_slugs:
                raise OctavoError(
                    f"duplicate reviewer '{name}' (same file name as line {seen_slugs[slug]}; "
                    "add an initial or the outlet to the name to tell them apart)", path, line,
                )
            if email and email.casefold() in seen_emails:
                raise OctavoError(
                    f"duplicate reviewer email '{email}' (also on line "
                    f"{seen_emails[email.casefold()]})", path, line,
                )
            seen_slugs[slug] = line
            if email:
                seen_emails[email.casefold()] = line
            reviewers.append(Reviewer(name, email, clean_name(cell(outlet_col)), line))
    except csv.Error as exc:
        raise OctavoError(f"unreadable CSV: {exc}", path, reader.line_num) from None
    if not reviewers:
        raise OctavoError("the reviewer list has a header but no reviewers", path, 2)
    return tuple(reviewers)


def read_reviewers(path: Path) -> tuple[Reviewer, ...]:
    return parse_reviewers(read_input(path, "the reviewer list"), path)
