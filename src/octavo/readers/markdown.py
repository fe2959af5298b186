"""Markdown manuscripts (placeholder until the markdown-it-py reader lands)."""

from __future__ import annotations

from .document import Document
from .source import SourceText
from .text import read_text


def read_markdown(source: SourceText) -> Document:
    return read_text(source)
