"""What a reader returns for one manuscript file, before the files of a book are joined."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import BodyItem, Chapter, Diagnostic


@dataclass(frozen=True, slots=True)
class Document:
    body: tuple[BodyItem, ...]
    front_matter: tuple[Chapter, ...] = ()
    back_matter: tuple[Chapter, ...] = ()
    title: str | None = None
    subtitle: str | None = None
    authors: tuple[str, ...] = ()
    language: str | None = None
    diagnostics: tuple[Diagnostic, ...] = ()
