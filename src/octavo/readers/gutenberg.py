"""Project Gutenberg plain texts (placeholder until the dedicated reader lands)."""

from __future__ import annotations

from .document import Document
from .source import SourceText
from .text import read_text


def is_gutenberg(text: str) -> bool:
    return "*** START OF" in text


def read_gutenberg(source: SourceText) -> Document:
    return read_text(source)
