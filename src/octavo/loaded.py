"""A book read: its settings (book.toml), the normalized model and the theme, with what reading
them found. Every command starts from one; the editions are made from its book."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .config import Settings, load_settings
from .confine import check_images
from .images import check_book_images
from .matter import with_supplied_matter
from .model import Book, Diagnostic
from .normalize import normalize, rules_for, typography_options
from .normalize.memo import Keeper
from .readers import read_book
from .themes import Theme, load_theme


@dataclass(frozen=True, slots=True)
class LoadedBook:
    settings: Settings
    book: Book
    theme: Theme
    diagnostics: tuple[Diagnostic, ...]


def load(target: Path, keeper_for: Callable[[Path], Keeper | None] = lambda _root: None
         ) -> LoadedBook:
    """The book at ``target`` (a manuscript, or a folder holding one or book.toml) read.
    ``keeper_for``: where, for a book in that folder, the normalizer keeps what it made of
    each run (an edited book is normalized again only where the edit changed it)."""
    settings = load_settings(target)
    raw, read_diagnostics = read_book(settings)
    raw = with_supplied_matter(raw, settings)
    typography = typography_options(settings.table("typography"), raw.metadata.language,
                                    settings.config_path or target)
    book, rule_diagnostics = normalize(raw, rules_for(typography),
                                       keeper_for(settings.root), repr(typography))
    check_images(book, settings.root)
    image_diagnostics = check_book_images(book, settings.root)
    theme = load_theme(settings.theme, settings.root)
    return LoadedBook(settings, book, theme, settings.diagnostics + read_diagnostics
                      + rule_diagnostics + image_diagnostics)
