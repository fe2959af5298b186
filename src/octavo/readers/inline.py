"""Plain-text inline markup (``*em*``, ``_em_``, ``**strong**``) -> model inlines.

Delimiters follow the Markdown flanking idea: an opener is followed by a non-space and not
preceded by a letter or digit; a closer is preceded by a non-space and not followed by one. So
``snake_case`` and ``2*3*4`` stay text while ``*Alone.*`` and ``_Punch_,`` become emphasis.
"""

from __future__ import annotations

import re

from ..model import Emphasis, Inline, Strong, Text, inline_text
from .structure import own_number

_WORDCH = r"[^\W_]"
_PATTERNS: tuple[tuple[re.Pattern[str], type[Emphasis] | type[Strong]], ...] = (
    (re.compile(rf"(?<!{_WORDCH})(?<!\\)\*\*(?=\S)(.+?)(?<=\S)\*\*(?!{_WORDCH})", re.S), Strong),
    (re.compile(rf"(?<!{_WORDCH})(?<![\\*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![*]|{_WORDCH})", re.S),
     Emphasis),
    (re.compile(rf"(?<!{_WORDCH})(?<!\\)_(?=[^\s_])(.+?)(?<=[^\s_])_(?!{_WORDCH})", re.S), Emphasis),
)


def _unescape(text: str) -> str:
    return re.sub(r"\\([*_\\])", r"\1", text)


def parse_inlines(text: str) -> tuple[Inline, ...]:
    """Split ``text`` at its first (earliest, strongest) delimited span, recursively."""
    best: tuple[int, re.Match[str], type[Emphasis] | type[Strong]] | None = None
    for pattern, kind in _PATTERNS:
        m = pattern.search(text)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), m, kind)
    if best is None:
        return (Text(_unescape(text)),) if text else ()
    _, m, kind = best
    before, inner, after = text[: m.start()], m.group(1), text[m.end():]
    out: list[Inline] = []
    if before:
        out.append(Text(_unescape(before)))
    out.append(kind(parse_inlines(inner)))
    out.extend(parse_inlines(after))
    return tuple(out)


def split_own_number(title: tuple[Inline, ...]) -> tuple[str | None, tuple[Inline, ...]]:
    """A heading's own number line and the rest as its title: ``I. The Period`` ->
    (``I``, ``The Period``). A title whose number is not plain text before it stays whole."""
    text = inline_text(title)
    found = own_number(text) if text == " ".join(text.split()) else None
    if found is None or not title or not isinstance(title[0], Text):
        return None, title
    label, start = found
    first = title[0].text
    if len(first) <= start:
        return None, title
    rest = first[start:]
    return label, ((Text(rest),) if rest else ()) + title[1:]
