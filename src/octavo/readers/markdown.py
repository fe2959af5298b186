"""Markdown manuscripts (placeholder until the markdown-it-py reader lands)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .document import Document
from .source import SourceText
from .text import read_text


def read_markdown(source: SourceText, options: Mapping[str, Any] | None = None) -> Document:
    return read_text(source)
