"""WeasyPrint's HTML parser (tinyhtml5) with its tokenizer's patterns kept.

The tokenizer reads a run of text up to the next of a few characters with a regular
expression it keeps by those characters, but stores it under the expression itself (the
chained assignment in ``HTMLInputStream.chars_until`` rebinds the key's name first), so it
builds and looks the pattern up again for every run: two thirds of the time a book's print
HTML takes to parse (0.74 of 1.1 CPU s for P&P's, 42,259 runs). The same patterns, kept by
their characters, give the same tree.
"""

from __future__ import annotations

import re
from typing import Any


class _PatternsByCharacters(dict[tuple[Any, bool], re.Pattern[str]]):
    """``chars_until``'s cache: a pattern made at the first look-up of its characters."""

    def __missing__(self, key: tuple[Any, bool]) -> re.Pattern[str]:
        characters, opposite = key
        # tinyhtml5's own pattern: a run of the characters, or (not opposite) of any other.
        escaped = "".join(f"\\x{ord(character):02x}" for character in characters)
        pattern = self[key] = re.compile(f"[{escaped}]+" if opposite else f"[^{escaped}]+")
        return pattern


def keep_tokenizer_patterns() -> None:
    """Have tinyhtml5's tokenizer find each pattern it made before (once a process)."""
    from tinyhtml5 import inputstream  # type: ignore[import-untyped]

    if not isinstance(inputstream.characters_until_regex, _PatternsByCharacters):
        inputstream.characters_until_regex = _PatternsByCharacters()
