"""ISBNs as book.toml gives them (with or without hyphens, ISBN-10 or ISBN-13) -> the 13 digits
a barcode and a distributor's record carry, the check digit verified."""

from __future__ import annotations

import re
from pathlib import Path

from stdnum import isbn as stdnum_isbn

from .errors import OctavoError
from .schema import key_line


def isbn10_check(nine: str) -> str:
    """The ISBN-10 check character of nine digits (``X`` stands for 10)."""
    total = sum((10 - i) * int(d) for i, d in enumerate(nine))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def ean13_check(twelve: str) -> str:
    """The EAN-13 check digit of twelve digits (weights 1, 3, 1, 3, ... from the left)."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(twelve))
    return str((10 - total % 10) % 10)


def isbn13(text: str) -> str | None:
    """The ISBN-13 digits of ``text`` (an ISBN-10 becomes 978-...), or None when ``text`` is
    not an ISBN: wrong length, stray characters or a wrong check digit."""
    compact = re.sub(r"^(?:urn:)?isbn[:\s]*", "", text.strip(), flags=re.IGNORECASE)
    compact = re.sub(r"[\s-]", "", compact).upper()
    if re.fullmatch(r"\d{9}[\dX]", compact):
        if isbn10_check(compact[:9]) != compact[9]:
            return None
        twelve = "978" + compact[:9]
        return twelve + ean13_check(twelve)
    if re.fullmatch(r"97[89]\d{10}", compact) and ean13_check(compact[:12]) == compact[12]:
        return compact
    return None


def checked_isbn(text: str, table: str, key: str, config: Path | None) -> str:
    """``isbn13(text)``, or an error naming book.toml, the key (``[isbn] print``) and its
    line."""
    found = isbn13(text)
    if found is None:
        line = None
        if config is not None:
            line = key_line(config.read_text(encoding="utf-8-sig"), table, key)
        raise OctavoError(f"[{table}] {key} '{text}' is not a valid ISBN (13 digits starting "
                          "978 or 979, or 10 digits, with the right check digit)", config, line,
                          hint="copy the ISBN exactly as the ISBN agency issued it")
    return found


def hyphenated(digits: str) -> str:
    """The ISBN-13 with its hyphens between prefix, group, registrant, publication and check
    digit (``978-0-14-143951-8``), from the ISBN agency's range tables that python-stdnum
    ships. A number in a range the tables do not yet list stays unhyphenated rather than being
    split at a guess."""
    hyphens = stdnum_isbn.format(digits)
    return hyphens if hyphens.count("-") == 4 else digits


def human_readable(digits: str) -> str:
    """How the ISBN is printed above its barcode: ``ISBN 978-0-14-143951-8``."""
    return f"ISBN {hyphenated(digits)}"
