"""An editor's hyphenation exceptions (``[hyphenation] exceptions`` in book.toml), applied to
the print document's text.

``"ta-ble"`` lets *table* break only after *ta*; ``"present"`` (no hyphen) never breaks. Each
occurrence is wrapped in its own span: WeasyPrint ignores automatic hyphenation for a whole run
of text that holds a soft hyphen anywhere, so the run must be the word alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

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
