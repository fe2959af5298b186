"""The rule contract: a pure, named function from a book to a new book and its findings."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeAlias

from ..model import Book, Diagnostic

Rule: TypeAlias = Callable[[Book], tuple[Book, tuple[Diagnostic, ...]]]
