"""What HarfBuzz is asked to shape while a test runs, from stores of widths, kinds, spaces
and word breaks that start empty: the word caches' and the ligature rule's tests count it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pytest

from octavo.press import lines, shaping

Call = TypeVar("Call")


def shaping_calls(monkeypatch: pytest.MonkeyPatch,
                  record: Callable[[Any, Any, dict[str, int]], Call]) -> list[Call]:
    """A list that gets ``record(font, buffer, features)`` for each text shaped from now on."""
    calls: list[Call] = []
    real = shaping.hb.shape

    def counting(font: Any, buf: Any, features: dict[str, int]) -> None:
        calls.append(record(font, buf, features))
        real(font, buf, features)

    monkeypatch.setattr(shaping.hb, "shape", counting)
    monkeypatch.setattr(shaping, "_WIDTHS", {})
    monkeypatch.setattr(lines, "_KINDS", {})
    monkeypatch.setattr(lines, "_SPACES", {})
    monkeypatch.setattr(lines, "_WORD_BREAKS", {})
    return calls


def shaped_text(buf: Any) -> str:
    return "".join(chr(info.codepoint) for info in buf.glyph_infos)
