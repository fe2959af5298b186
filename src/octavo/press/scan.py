"""Paragraph scanning: the print document's paragraphs that octavo can set itself, each with its
CSS context (ancestors and previous sibling: what selectors such as ``header + p`` see) and its
characters by inline path; and the markup words line setting writes back into the HTML."""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass, field

SET_CLASS = "octavo-set"
LAST_CLASS = "octavo-last"
STOP_CLASS = "octavo-stop"
PROBE_ATTR = "data-octavo-probe"
LEAD_ATTR = "data-octavo-lead"
INDEX_ATTR = "data-octavo-p"
PAGE_CLASS = "octavo-page-start"
CONTINUED_CLASS = "octavo-continued"
# The classes a body paragraph may carry and still be split across a chosen page break: its
# continuation is a plain paragraph (no lead-in, no capital, no indent).
SPLITTABLE_CLASSES = frozenset({"first", "has-initial", SET_CLASS})

# A set line's forced break: a newline the paragraph's ``white-space: pre-line`` keeps, not a
# ``<br/>``, which WeasyPrint makes an element of its own (a style, a ::before holding the
# newline, an inline box and a text box to lay out): one per line, it cost as much as the
# line's text. The paragraph's other white space collapses as under ``normal``; a newline in
# its text is written as a space.
LINE_END = "\n"

# Class names of the rules below are ours; !important because a theme's more specific
# paragraph rules (``section > p.first``) must not undo what the chosen breaks rely on.
PREBREAK_CSS = f"""
p.{SET_CLASS} {{
  text-align-last: justify !important; hyphens: manual !important; white-space: pre-line !important;
}}
p.{SET_CLASS} > span.{LAST_CLASS} {{
  display: inline-block; text-indent: 0; text-align: start; text-align-last: auto;
  white-space: nowrap; width: 0;
}}
p.{SET_CLASS} > span.{STOP_CLASS} {{ display: inline-block; }}
p.{PAGE_CLASS} {{ break-before: page !important; }}
p.{CONTINUED_CLASS} {{ break-before: page !important; text-indent: 0 !important; }}
"""

# Inline elements whose only effect on a line is their face; anything else (notes, images,
# forced breaks, floats) leaves the paragraph to WeasyPrint.
INLINE_TAGS = frozenset({"em", "strong", "i", "b", "a", "span", "cite", "abbr", "q", "small",
                         "dfn", "var", "kbd", "code", "samp", "time", "mark", "u", "s"})
VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
                       "meta", "source", "track", "wbr"})
TOKEN = re.compile(r"<!--.*?-->|<![^>]*>|<[^>]+>|[^<]+", re.S)
TAG = re.compile(r"<(/?)([A-Za-z][\w:-]*)([^>]*?)(/?)>", re.S)
CLASS_ATTR = re.compile(r'\bclass\s*=\s*"([^"]*)"')

NBSP = "\u00a0"
SOFT_HYPHEN = "\u00ad"
# Spaces a line may break at but that WeasyPrint never stretches. Thin and hair spaces are
# not among them: typography rules set them inside units (an ellipsis, "5 km") that must not
# be split, although UAX #14 would allow it.
RIGID_SPACES = frozenset("\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u200b")
HARD_HYPHENS = frozenset("-\u2010")
DASHES = frozenset("\u2014\u2013\u2e3a\u2e3b")


@dataclass(slots=True)
class ParagraphSource:
    start: int  # offsets of the whole <p ...>...</p> in the document
    end: int
    start_tag: str
    signature: tuple[str, ...]
    chars: list[tuple[str, int]]  # (character, inline path id)
    # The paragraph just before it, when it is its previous sibling: its index among the
    # scanned paragraphs, or -1 for one that cannot be pre-broken.
    after_paragraph: int | None = None


@dataclass(slots=True)
class Scan:
    paragraphs: list[ParagraphSource] = field(default_factory=list)
    paths: list[tuple[str, ...]] = field(default_factory=lambda: [()])
    html_tag: str = "<html>"
    # Each (character, path) the paragraphs hold, once, by path and character: what their
    # ``chars`` point to.
    pairs: dict[int, dict[str, tuple[str, int]]] = field(default_factory=dict)


def tag_name(tag: str) -> str:
    match = TAG.match(tag)
    return match.group(2).lower() if match else ""


def _without_id(tag: str) -> str:
    found = _WITHOUT_ID.get(tag)
    if found is None:
        if len(_WITHOUT_ID) > 10_000:
            _WITHOUT_ID.clear()
        found = _WITHOUT_ID[tag] = _ID_ATTR.sub("", tag)
    return found


_ID_ATTR = re.compile(r'\s(id|data-title)\s*=\s*"[^"]*"')
# A document's tags come back (each paragraph's start tag, its ancestors'), mostly the same.
_WITHOUT_ID: dict[str, str] = {}


def scan_document(document: str, paths: tuple[tuple[str, ...], ...] = ((),),
                  runs: bool = False) -> Scan:
    """Find the paragraphs that can be pre-broken, each with its CSS context (ancestors and
    previous sibling: what selectors such as ``header + p`` see) and its characters.
    ``paths``: inline paths already numbered (a chapter scanned alone keeps the numbers its
    whole book's scan gave them). ``runs``: each paragraph's ``chars`` holds its text a run
    of one inline path at a time, not a character at a time (what the probe needs of a whole
    book: which paths each kind of paragraph uses, and their text)."""
    scan = Scan(paths=list(paths))
    path_ids: dict[tuple[str, ...], int] = {path: n for n, path in enumerate(paths)}
    stack: list[str] = []  # open start tags
    previous: list[str | None] = [None]  # previous sibling element per depth
    last_p: tuple[str, int] | None = None
    tokens = list(TOKEN.finditer(document))
    i = 0
    while i < len(tokens):
        token = tokens[i].group(0)
        match = TAG.match(token) if token.startswith("<") else None
        if match is None:
            i += 1
            continue
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(4)
        if name == "html" and not closing:
            scan.html_tag = token
        if closing:
            while stack and tag_name(stack[-1]) != name:
                stack.pop()
                previous.pop()
            if stack:
                closed = stack.pop()
                previous.pop()
                previous[-1] = closed
            i += 1
            continue
        if name == "p" and not self_closing:
            j, paragraph = _read_paragraph(tokens, i, path_ids, scan, runs)
            if paragraph is not None:
                paragraph.signature = (
                    *(_without_id(t) for t in stack), _without_id(previous[-1] or ""),
                    _without_id(token))
                if last_p is not None and previous[-1] is last_p[0]:
                    paragraph.after_paragraph = last_p[1]
                scan.paragraphs.append(paragraph)
            last_p = (token, len(scan.paragraphs) - 1 if paragraph is not None else -1)
            previous[-1] = token
            i = j + 1
            continue
        if self_closing or name in VOID_TAGS:
            previous[-1] = token
        else:
            stack.append(token)
            previous.append(None)
        i += 1
    return scan


def _read_paragraph(
    tokens: list[re.Match[str]], i: int, path_ids: dict[tuple[str, ...], int], scan: Scan,
    runs: bool = False,
) -> tuple[int, ParagraphSource | None]:
    """The paragraph starting at token ``i``: (index of its end tag, its source or None when
    it holds something other than text in inline faces)."""
    path: list[str] = []
    chars: list[tuple[str, int]] = []
    eligible = True
    j = i + 1
    while j < len(tokens):
        token = tokens[j].group(0)
        if not token.startswith("<"):
            pid = path_ids.setdefault(tuple(path), len(path_ids))
            if pid == len(scan.paths):
                scan.paths.append(tuple(path))
            text = html_lib.unescape(token)
            if not runs:
                # One tuple per distinct (character, path) of the scan, not one per
                # character: a chapter of a million characters held 64 MB of tuples.
                pairs = scan.pairs.get(pid)
                if pairs is None:
                    pairs = scan.pairs[pid] = {}
                for ch in set(text).difference(pairs):
                    pairs[ch] = (ch, pid)
                # Looked up a text at a time, not a character at a time in Python.
                chars.extend(map(pairs.__getitem__, text))
            elif text:
                chars.append((text, pid))
            j += 1
            continue
        match = TAG.match(token)
        if match is None:  # a comment
            j += 1
            continue
        closing, name = match.group(1), match.group(2).lower()
        if name == "p" and closing and not path:
            break
        classes = (CLASS_ATTR.search(token) or [None, ""])[1] or ""
        if (name not in INLINE_TAGS or match.group(4) or "note" in classes
                or "footnote" in token):
            eligible = False
        if closing:
            if path:
                path.pop()
        elif not match.group(4) and name not in VOID_TAGS:
            path.append(token)
        j += 1
    if not eligible or not chars:
        return j, None
    return j, ParagraphSource(tokens[i].start(), tokens[j].end() if j < len(tokens) else
                              len(tokens[-1].string), tokens[i].group(0), (), chars)


def open_elements(html: str) -> list[str]:
    """Names of the elements open at the end of ``html`` (from ``<body>`` on)."""
    stack: list[str] = []
    for match in TAG.finditer(html, max(html.find("<body"), 0)):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(4)
        if closing:
            while stack and stack.pop() != name:
                pass
        elif not self_closing and name not in VOID_TAGS:
            stack.append(name)
    return stack


def with_attribute(tag: str, name: str, value: object) -> str:
    """A start tag with one more attribute (the tag has no such attribute yet)."""
    return tag[:-1].rstrip("/") + f' {name}="{value}">'


def with_class(tag: str, name: str) -> str:
    found = CLASS_ATTR.search(tag)
    if found:
        return tag[:found.start(1)] + found.group(1) + f" {name}" + tag[found.end(1):]
    return with_attribute(tag, "class", name)
