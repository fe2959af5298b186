"""How long a book's metadata may be: a title is a line on a cover and in a store's list, not a
chapter, so a 10 MB title (a paste gone wrong, or a hostile file) is refused at once, naming
where it came from, instead of being set on every page, hashed into the identifier and drawn
on the cover for minutes.

The caps are far above anything a store takes (Amazon: a title and subtitle of up to 200
characters together, a description of up to 4,000) and far below what costs a build time.
"""

from __future__ import annotations

from pathlib import Path

from .errors import OctavoError

# Characters per value; a list (authors, subjects) is capped per item and in number of items.
METADATA_LIMITS: dict[str, int] = {
    "title": 1_000,
    "subtitle": 1_000,
    "author": 500,
    "publisher": 500,
    "rights": 5_000,
    "description": 20_000,
    "subject": 200,
    "identifier": 500,
    "date": 100,
    "language": 100,
    "isbn": 100,
}
MAX_METADATA_ITEMS = 100


def refuse_overlong_metadata(key: str, value: str | None, where: Path | str | None,
                             line: int | None = None) -> None:
    """An error naming ``key`` and where it came from (book.toml or a manuscript) when
    ``value`` is longer than ``METADATA_LIMITS[key]``."""
    limit = METADATA_LIMITS[key]
    if value is not None and len(value) > limit:
        raise OctavoError(f"the {key} is {len(value):,} characters long: octavo takes up to "
                          f"{limit:,}", where, line,
                          hint=f"shorten the {key}" + (" (is the text of a chapter in it?)"
                                                      if key in ("title", "subtitle") else ""))


def refuse_overlong_metadata_list(key: str, values: tuple[str, ...], where: Path | str | None,
                                  line: int | None = None) -> None:
    """``refuse_overlong_metadata`` for each of a list's values, and for their number."""
    if len(values) > MAX_METADATA_ITEMS:
        raise OctavoError(f"{len(values):,} {key}s: octavo takes up to {MAX_METADATA_ITEMS}",
                          where, line)
    for value in values:
        refuse_overlong_metadata(key, value, where, line)
