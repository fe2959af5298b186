"""Text no typography rule may change: code spans, URLs and e-mail addresses.

The model has no code inline, so a manuscript's code stays as backtick-delimited text; URLs and
addresses are recognised by shape. Link targets (``Link.href``) are never text, so no rule sees
them at all.
"""

from __future__ import annotations

import re

_CODE = r"`[^`\n]+`"
# Curly quotes and guillemets never belong to an address: they are the sentence's marks.
_URL = r"(?:(?:https?|ftp)://|www\.)[^\s<>\"`\u201c\u201d\u2018\u2019\u201e\u201a\u00ab\u00bb]+"
_EMAIL = r"\w[\w.+'-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
_GUARDED = re.compile(f"{_CODE}|{_URL}|{_EMAIL}")
# Sentence punctuation after a URL belongs to the sentence, not to the address.
_TRAILING = ".,;:!?"


def _url_end(text: str, start: int, end: int) -> int:
    while end > start:
        last = text[end - 1]
        inner = text[start:end]
        if last in _TRAILING or (last == ")" and inner.count("(") < inner.count(")")) or (
            last == "'" and inner.count("'") % 2
        ):
            end -= 1
        else:
            break
    return end


def protected_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Sorted ``(start, end)`` spans of ``text`` that rules must leave exactly as they are."""
    if "`" not in text and "@" not in text and "://" not in text and "www." not in text:
        return ()  # the common case, without running the pattern over every word
    spans: list[tuple[int, int]] = []
    for m in _GUARDED.finditer(text):
        end = m.end() if m.group().startswith("`") else _url_end(text, m.start(), m.end())
        if end > m.start():
            spans.append((m.start(), end))
    return tuple(spans)


def overlaps(spans: tuple[tuple[int, int], ...], start: int, end: int) -> bool:
    """Whether ``[start, end)`` touches any protected span (a paragraph holds few)."""
    return any(s < end and start < e for s, e in spans)


def protected_mask(text: str) -> list[bool]:
    """One flag per character of ``text``: True where no rule may change it."""
    mask = [False] * len(text)
    for s, e in protected_spans(text):
        mask[s:e] = [True] * (e - s)
    return mask
