"""Which link targets a book may hold: a web or mail address, or a place in the book. Anything
else (``javascript:``, ``vbscript:``, ``data:``, ``file:``) would run or open something when a
reader taps the link, so it never becomes a link, in any reader and in both editions; the
link's words stay, as plain text.

The scheme is read the way the most lenient browser reads it, and more: character references
and percent-escapes decoded (``&#106;avascript:``, ``java%09script:``), and every space,
control and invisible format character dropped (`` javascript:``, ``java\\tscript:``,
``java\\u200bscript:``), before the scheme is compared, case-insensitively, with the few a
book may link to. A target with a colon before its first ``/``, ``?`` or ``#`` whose scheme
cannot be read that way is refused too.
"""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import unquote

LINKABLE_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_HEAD = re.compile(r"[^/?#]*")
# Decoding is repeated until nothing changes (``&amp;#106;``, ``%2561``), a few rounds at most.
_DECODING_ROUNDS = 5


def _as_a_browser_might_read(href: str) -> str:
    text = href
    for _ in range(_DECODING_ROUNDS):
        decoded = unquote(html.unescape(text))
        if decoded == text:
            break
        text = decoded
    return "".join(ch for ch in text
                   if not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf", "Zs"))


def safe_link_target(href: str) -> str | None:
    """``href`` when a book may link to it (http, https, mailto, or a target without a scheme:
    a place in the book), else None."""
    read = _as_a_browser_might_read(href)
    scheme = _SCHEME.match(read)
    if scheme is not None:
        return href if scheme.group(1).lower() in LINKABLE_SCHEMES else None
    head = _HEAD.match(read)
    return None if head is not None and ":" in head.group() else href


def unlinked_message(href: str) -> str:
    """The warning for a link ``safe_link_target`` refused."""
    shown = href if len(href) <= 60 else href[:57] + "..."
    return (f"link to {shown!r} kept as plain text: a book links only to http, https and "
            "mailto addresses (a javascript:, vbscript: or data: link could run code)")
