"""An editor's hyphenation exceptions (``[hyphenation] exceptions`` in book.toml), applied to
the print document's text.

``"ta-ble"`` lets *table* break only after *ta*; ``"present"`` (no hyphen) never breaks. Each
occurrence is wrapped in its own span: WeasyPrint ignores automatic hyphenation for a whole run
of text that holds a soft hyphen anywhere, so the run must be the word alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

SOFT_HYPHEN = "\u00ad"
_TEXT_RUN = re.compile(r">([^<]+)<")


def exception_pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    bare = sorted({w.replace("-", "") for w in words if w.replace("-", "")}, key=len,
                  reverse=True)
    if not bare:
        return None
    return re.compile(r"(?<![\w\u00ad])(" + "|".join(map(re.escape, bare)) + r")(?![\w\u00ad])",
                      re.IGNORECASE)


def hyphenated_form(found: str, exception: str) -> str:
    """``found`` (as written, any case) with soft hyphens where ``exception`` has hyphens."""
    out, i = [], 0
    for piece in exception.split("-"):
        out.append(found[i:i + len(piece)])
        i += len(piece)
    return SOFT_HYPHEN.join(out)


def apply_hyphenation_exceptions(html: str, exceptions: Iterable[str]) -> str:
    """The HTML with every listed word's breaks fixed (text between tags only)."""
    words = tuple(exceptions)
    pattern = exception_pattern(words)
    if pattern is None:
        return html
    by_bare = {w.replace("-", "").lower(): w for w in words}

    def word(m: re.Match[str]) -> str:
        exception = by_bare[m.group(1).lower()]
        if "-" not in exception:
            return f'<span class="no-hyphens">{m.group(1)}</span>'
        return f'<span class="hyphen-exception">{hyphenated_form(m.group(1), exception)}</span>'

    return _TEXT_RUN.sub(lambda run: ">" + pattern.sub(word, run.group(1)) + "<", html)


# Per hyphenation dictionary (pyphen's patterns): its patterns as a trie, by character.
_Trie = dict[str, tuple["_Trie", "tuple[int, Any] | None"]]
_TRIES: dict[int, tuple[Any, _Trie]] = {}


def _trie(patterns: Any) -> _Trie:
    """Each prefix of a pattern, a character at a time: (the prefixes one character longer,
    the pattern it is (its offset and values) or None)."""
    kept = _TRIES.get(id(patterns))
    if kept is None or kept[0] is not patterns:
        root: _Trie = {}
        for key, value in patterns.items():
            node = root
            for ch in key[:-1]:
                entry = node.get(ch)
                if entry is None:
                    entry = node[ch] = ({}, None)
                node = entry[0]
            entry = node.get(key[-1])
            node[key[-1]] = ({} if entry is None else entry[0], value)
        kept = _TRIES[id(patterns)] = (patterns, root)
    return kept[1]


def dictionary_points(dic: Any, word: str) -> list[int]:
    """Where ``dic`` (a ``pyphen.Pyphen``) may hyphenate ``word``: what its ``positions``
    returns, as plain numbers, found with fewer lookups. Liang's patterns are looked up for
    every substring of the word up to the longest pattern; none can match past a substring
    that begins no pattern, so the lookups from a position stop there (walking the patterns'
    trie a character at a time, not slicing and hashing each substring)."""
    hd: Any = getattr(dic, "hd", None)
    if not hasattr(hd, "patterns") or not hasattr(hd, "maxlen"):
        # Pyphen's patterns are read where its 0.x releases keep them; a release that keeps
        # them elsewhere still gives the same points, by its own slower lookups.
        return [int(point) for point in dic.positions(word)]
    trie = _trie(hd.patterns)
    pointed = f".{word.lower()}."
    references = [0] * (len(pointed) + 1)
    maxlen = hd.maxlen
    for i in range(len(pointed) - 1):
        node = trie
        for ch in pointed[i:i + maxlen]:
            entry = node.get(ch)
            if entry is None:
                break  # no pattern begins with the substring
            node, found = entry
            if found is not None:
                # Each point's value raised to the pattern's (the highest one counts).
                at, values = found
                at += i
                for value in values:
                    if value > references[at]:
                        references[at] = value
                    at += 1
    right = len(word) - dic.right
    return [i - 1 for i, reference in enumerate(references)
            if reference % 2 and dic.left <= i - 1 <= right]


