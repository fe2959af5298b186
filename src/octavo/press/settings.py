"""The print tables of book.toml (``[print]``, ``[front_matter]``, ``[hyphenation]``,
``[cover_design]``) -> one frozen ``PrintSettings``, validated with the file named in errors."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast

from ..config import Settings
from ..errors import OctavoError
from ..geometry import PAPER_CALIPER, Paper
from ..render.labels import NUMBER_STYLES, NumberStyle

RunningHead = Literal["theme", "title", "chapter", "none"]
PdfX = Literal["", "x-4", "x-1a"]
# The print-on-demand service the interior goes to: ``octavo build`` preflights it for that
# service's checks (octavo.preflight.profiles). Kept here as names, so the settings need not
# import the preflight.
PRINTERS = ("", "kdp", "ingram", "lulu")
SpineDirection = Literal["top-to-bottom", "bottom-to-top"]
SPINE_DIRECTIONS: tuple[SpineDirection, ...] = ("top-to-bottom", "bottom-to-top")

PRINT_KEYS = {"chapters_open", "chapter_numbers", "running_head", "bleed", "pdf_x", "paper",
              "level_spreads", "printer"}
FRONT_KEYS = {"half_title", "title_page", "copyright", "contents", "dedication", "epigraph",
              "epigraph_source", "edition", "credits"}
HYPHENATION_KEYS = {"exceptions"}
COVER_KEYS = {"blurb", "author_note", "background", "foreground", "paper", "spine_direction"}


@dataclass(frozen=True, slots=True)
class PrintSettings:
    """How the print interior is made. ``None`` for a front-matter page means "the default":
    on for a book of more than one chapter, off for a single piece."""

    recto_openers: bool = True
    chapter_numbers: NumberStyle = "manuscript"
    running_head: RunningHead = "theme"
    bleed: bool = False
    pdf_x: PdfX = ""
    paper: Paper = "white"
    half_title: bool | None = None
    title_page: bool | None = None
    copyright: bool | None = None
    contents: bool | None = None
    edition: str | None = None
    credits: tuple[str, ...] = ()
    hyphenation_exceptions: tuple[str, ...] = ()
    blurb: str | None = None
    author_note: str | None = None
    # How the spine's words run: top to bottom (English-language books), or bottom to top.
    spine_direction: SpineDirection = "top-to-bottom"
    cover_background: str = "#1f2a36"
    cover_foreground: str = "#f4efe6"
    # Facing pages end at the same depth (press/spreads.py): a second layout of the book.
    level_spreads: bool = True
    printer: str = ""  # "" (none), "kdp", "ingram" or "lulu"


def _check_keys(table: Mapping[str, Any], allowed: set[str], name: str, where: Path | None) -> None:
    unknown = set(table) - allowed
    if unknown:
        raise OctavoError(
            f"unknown key(s) in [{name}]: {', '.join(sorted(unknown))} "
            f"(known: {', '.join(sorted(allowed))})", where)


def _choice(table: Mapping[str, Any], key: str, choices: tuple[str, ...], default: str,
            name: str, where: Path | None) -> str:
    value = table.get(key, default)
    if value not in choices:
        raise OctavoError(f"[{name}] {key} must be one of {', '.join(choices)}, not {value!r}",
                          where)
    return cast(str, value)


def _flag(table: Mapping[str, Any], key: str, name: str, where: Path | None) -> bool | None:
    value = table.get(key)
    if value is not None and not isinstance(value, bool):
        raise OctavoError(f"[{name}] {key} must be true or false", where)
    return value


def _text(table: Mapping[str, Any], key: str, name: str, where: Path | None) -> str | None:
    value = table.get(key)
    if value is not None and not isinstance(value, str):
        raise OctavoError(f"[{name}] {key} must be a string", where)
    return value.strip() or None if value else None


def _texts(table: Mapping[str, Any], key: str, name: str, where: Path | None) -> tuple[str, ...]:
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise OctavoError(f"[{name}] {key} must be a list of strings", where)
    return tuple(v.strip() for v in value if v.strip())


def print_settings(settings: Settings) -> PrintSettings:
    where = settings.config_path
    pr = settings.table("print")
    front = settings.table("front_matter")
    hyph = settings.table("hyphenation")
    cover = settings.table("cover_design")
    _check_keys(pr, PRINT_KEYS, "print", where)
    _check_keys(front, FRONT_KEYS, "front_matter", where)
    _check_keys(hyph, HYPHENATION_KEYS, "hyphenation", where)
    _check_keys(cover, COVER_KEYS, "cover_design", where)
    printer = _choice(pr, "printer", PRINTERS, "", "print", where)
    # IngramSpark's files are PDF/X-1a unless the author asks for another standard.
    pdf_x = _choice(pr, "pdf_x", ("", "x-4", "x-1a"), "x-1a" if printer == "ingram" else "",
                    "print", where)
    papers = tuple(PAPER_CALIPER)
    paper = _choice(cover, "paper", papers, _choice(pr, "paper", papers, "white", "print", where),
                    "cover_design", where)
    exceptions = _texts(hyph, "exceptions", "hyphenation", where)
    for word in exceptions:
        if not word.replace("-", "").isalpha():
            raise OctavoError(
                f"[hyphenation] exception {word!r} must be one word with hyphens where it may "
                "break (e.g. \"ta-ble\"), or without any to forbid breaking it", where)
    return PrintSettings(
        recto_openers=_choice(pr, "chapters_open", ("right", "any"), "right", "print",
                              where) == "right",
        chapter_numbers=cast(NumberStyle, _choice(pr, "chapter_numbers", NUMBER_STYLES,
                                                  "manuscript", "print", where)),
        running_head=cast(RunningHead, _choice(pr, "running_head",
                                               ("theme", "title", "chapter", "none"), "theme",
                                               "print", where)),
        bleed=bool(_flag(pr, "bleed", "print", where)),
        level_spreads=_flag(pr, "level_spreads", "print", where) is not False,
        pdf_x=cast(PdfX, pdf_x),
        printer=printer,
        paper=cast(Paper, paper),
        half_title=_flag(front, "half_title", "front_matter", where),
        title_page=_flag(front, "title_page", "front_matter", where),
        copyright=_flag(front, "copyright", "front_matter", where),
        contents=_flag(front, "contents", "front_matter", where),
        edition=_text(front, "edition", "front_matter", where),
        credits=_texts(front, "credits", "front_matter", where),
        hyphenation_exceptions=exceptions,
        blurb=_text(cover, "blurb", "cover_design", where),
        author_note=_text(cover, "author_note", "cover_design", where),
        spine_direction=cast(SpineDirection, _choice(cover, "spine_direction",
                                                     SPINE_DIRECTIONS, "top-to-bottom",
                                                     "cover_design", where)),
        cover_background=_text(cover, "background", "cover_design", where) or "#1f2a36",
        cover_foreground=_text(cover, "foreground", "cover_design", where) or "#f4efe6",
    )
