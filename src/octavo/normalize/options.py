"""The typography options of one book: ``language`` and the ``[typography]`` table of book.toml.

One frozen object, validated once; rules are built from it (``rules_for``), so no rule reads
configuration or keeps state of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

from ..errors import OctavoError

QuoteStyle = Literal["en-US", "en-GB", "fr", "de", "es"]
DashStyle = Literal["em", "spaced-en", "spaced-em"]

QUOTE_STYLES: tuple[str, ...] = get_args(QuoteStyle)
DASH_STYLES: tuple[str, ...] = get_args(DashStyle)
TABLE_KEYS = ("quotes", "dashes", "nbsp", "runts")


@dataclass(frozen=True, slots=True)
class TypographyOptions:
    """How a book's punctuation is set.

    ``quotes``: en-US “ ‘ ’ ”; en-GB single primary quotes ‘ “ ” ’; fr « » with narrow no-break
    spaces; de „ “ ‚ ‘; es « » “ ” with no spaces inside. ``dashes``: closed em dashes or spaced en dashes. ``nbsp``: no-break
    spaces after honorifics and initials and between a number and its unit. ``runts``: a
    no-break space before the last word of each paragraph.
    """

    language: str = "en"
    quotes: QuoteStyle = "en-US"
    dashes: DashStyle = "em"
    nbsp: bool = True
    runts: bool = False

    @property
    def english(self) -> bool:
        return self.quotes in ("en-US", "en-GB")


def default_quotes(language: str) -> QuoteStyle:
    """The quote style a language implies; English (British too) defaults to double quotes."""
    primary = language.lower().split("-")[0].split("_")[0]
    if primary == "fr":
        return "fr"
    if primary == "de":
        return "de"
    if primary == "es":
        return "es"
    return "en-US"


def default_dashes(language: str) -> DashStyle:
    """German sets its Gedankenstrich as a spaced en dash (Duden), French its tiret as a spaced
    em dash (Imprimerie nationale); English closes em dashes."""
    primary = language.lower().split("-")[0].split("_")[0]
    return {"de": "spaced-en", "fr": "spaced-em"}.get(primary, "em")  # type: ignore[return-value]


def typography_options(
    table: Mapping[str, Any], language: str = "en", where: str | Path | None = None
) -> TypographyOptions:
    """Options from the ``[typography]`` table; a bad key or value is an ``OctavoError``
    naming book.toml (``where``)."""
    where = where or "book.toml"
    unknown = sorted(set(table) - set(TABLE_KEYS))
    if unknown:
        raise OctavoError(
            f"unknown key(s) in [typography]: {', '.join(unknown)} "
            f"(known: {', '.join(TABLE_KEYS)})", where)
    quotes = table.get("quotes", default_quotes(language))
    if quotes not in QUOTE_STYLES:
        raise OctavoError(
            f"[typography] quotes must be one of {', '.join(QUOTE_STYLES)}, not {quotes!r}", where)
    dashes = table.get("dashes", default_dashes(language))
    if dashes not in DASH_STYLES:
        raise OctavoError(
            f"[typography] dashes must be one of {', '.join(DASH_STYLES)}, not {dashes!r}", where)
    flags: dict[str, bool] = {}
    for key, default in (("nbsp", True), ("runts", False)):
        value = table.get(key, default)
        if not isinstance(value, bool):
            raise OctavoError(f"[typography] {key} must be true or false, not {value!r}", where)
        flags[key] = value
    return TypographyOptions(
        language=language, quotes=quotes, dashes=dashes, nbsp=flags["nbsp"],
        runts=flags["runts"])
