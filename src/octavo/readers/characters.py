"""Characters a manuscript may hold but a book may not, and invisible ones worth a look.

* Line ends: ``\\r\\n``, ``\\r``, NEL, the Unicode line and paragraph separators, and the vertical
  tab and form feed (a word processor's manual line break and page break) all become ``\\n``.
* Characters XML 1.0 cannot hold (C0 controls but tab and line feed), and the C1 controls, DEL
  and noncharacters (meaningless in interchange) are removed, with one warning per file naming
  the first lines they were on. An EPUB that kept them would not be well-formed XML.
* Invisible format characters are kept: joiners and non-joiners shape Arabic, Persian and
  Indic words and emoji sequences; bidi controls set direction in mixed Hebrew or Arabic and
  Latin text; a zero-width space marks word breaks in Thai. A warning points at the ones that
  look accidental: a bidi control in a line with no right-to-left letter or left unclosed (the
  "Trojan Source" trick), a zero-width character inside a Latin, Greek or Cyrillic word, a
  byte-order mark in mid-text.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ..model import Diagnostic, SourceSpan

# Line ends other than \n, each but \r\n (taken first) one character.
_OTHER_LINE_ENDS = re.compile("[\r\x0b\x0c\x85\u2028\u2029]")


def _noncharacters() -> str:
    """The 66 noncharacters: U+FDD0..U+FDEF and the last two code points of every plane."""
    ends = "".join(chr(plane * 0x10000 + 0xFFFE) + chr(plane * 0x10000 + 0xFFFF)
                   for plane in range(17))
    return "\ufdd0-\ufdef" + ends


# Tab and line feed are the only controls XML and the readers keep.
REMOVED = re.compile(f"[\x00-\x08\x0e-\x1f\x7f-\x9f{_noncharacters()}]")
# The same characters looked for the fast way (``holds_removed``): those of the Basic
# Multilingual Plane in a class the regex engine tests as a bitmap, and whether any character
# lies beyond that plane. ``REMOVED`` itself, holding characters of other planes, is tried
# range by range at every character, ten times as slow over a whole manuscript.
_REMOVED_IN_BMP = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")
_BEYOND_BMP = re.compile("[\U00010000-\U0010ffff]")
_BIDI_OPEN = "\u202a\u202b\u202d\u202e\u2066\u2067\u2068"
_BIDI_CLOSE = "\u202c\u2069"
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060"
_BOM = "\ufeff"
_INVISIBLE = re.compile(f"[{_BIDI_OPEN}{_BIDI_CLOSE}{_ZERO_WIDTH}{_BOM}]")
_SPACED_SCRIPTS = ("LATIN", "GREEK", "CYRILLIC")
MAX_LINES_NAMED = 5


def line_ends(text: str) -> str:
    """Every kind of line end as ``\\n``: each ``\\r\\n`` (a plain replace, the fastest
    scan), then each other end left, looked for before anything is rebuilt."""
    text = text.replace("\r\n", "\n")
    return _OTHER_LINE_ENDS.sub("\n", text) if _OTHER_LINE_ENDS.search(text) else text


def _line_of(text: str, pos: int, cache: list[int]) -> int:
    """1-based line of ``pos``; ``cache`` is ``[last_pos, last_line]`` so a forward walk over
    many positions counts each line end once."""
    last_pos, last_line = cache
    line = last_line + text.count("\n", last_pos, pos)
    cache[:] = [pos, line]
    return line


def _named(chars: set[str]) -> str:
    return ", ".join(f"U+{ord(c):04X}" for c in sorted(chars))


def _lines(lines: list[int]) -> str:
    shown = ", ".join(str(n) for n in lines[:MAX_LINES_NAMED])
    return shown + (", …" if len(lines) > MAX_LINES_NAMED else "")


def holds_removed(text: str) -> bool:
    """Whether ``text`` holds a character of ``REMOVED``: one of the plane's own, or (only
    when a character lies beyond the plane) one of the others."""
    return _REMOVED_IN_BMP.search(text) is not None or (
        _BEYOND_BMP.search(text) is not None and REMOVED.search(text) is not None)


def removed_controls(text: str, path: Path) -> tuple[str, tuple[Diagnostic, ...]]:
    """``text`` without the characters XML cannot hold, and a warning when there were any."""
    if not holds_removed(text):
        return text, ()
    cache = [0, 1]
    lines: list[int] = []
    found: set[str] = set()
    count = 0
    for m in REMOVED.finditer(text):
        count += 1
        found.add(m.group())
        line = _line_of(text, m.start(), cache)
        if not lines or lines[-1] != line:
            lines.append(line)
    message = (f"removed {count} control character(s) ({_named(found)}) that a book cannot "
               f"hold, on line(s) {_lines(lines)}")
    return REMOVED.sub("", text), (Diagnostic("E002", "warning", message,
                                              SourceSpan(str(path), lines[0])),)


def _script(char: str) -> str:
    return unicodedata.name(char, "").split(" ", 1)[0]


def _right_to_left(line: str) -> bool:
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in line)


def suspicious_invisible(text: str, start: int) -> bool:
    """Whether the zero-width character or byte-order mark at ``text[start]`` looks
    accidental: a stray mark, or a zero-width character between two letters of a script that
    spaces its words (where no shaping needs it)."""
    char = text[start]
    if char == _BOM:
        return True
    if char in _ZERO_WIDTH:
        before = text[start - 1] if start > 0 else ""
        after = text[start + 1] if start + 1 < len(text) else ""
        return (before.isalpha() and after.isalpha() and _script(before) in _SPACED_SCRIPTS
                and _script(after) in _SPACED_SCRIPTS)
    return False


def suspicious_bidi(line: str) -> bool:
    """A line whose bidi controls do nothing a reader wants: no right-to-left letter to set,
    or an embedding, override or isolate left open."""
    opened = sum(line.count(c) for c in _BIDI_OPEN)
    closed = sum(line.count(c) for c in _BIDI_CLOSE)
    if not opened and not closed:
        return False
    return opened != closed or not _right_to_left(line)


def invisible_warnings(text: str, path: Path) -> tuple[Diagnostic, ...]:
    """One warning naming the lines whose invisible characters look accidental."""
    if not _INVISIBLE.search(text):
        return ()
    cache = [0, 1]
    lines: list[int] = []
    found: set[str] = set()
    checked_lines: set[int] = set()
    for m in _INVISIBLE.finditer(text):
        line = _line_of(text, m.start(), cache)
        char = m.group()
        if char in _BIDI_OPEN or char in _BIDI_CLOSE:
            if line in checked_lines:
                continue
            checked_lines.add(line)
            begin = text.rfind("\n", 0, m.start()) + 1
            end = text.find("\n", m.start())
            line_text = text[begin:end if end != -1 else len(text)]
            bad = suspicious_bidi(line_text)
            if bad:
                found.update(c for c in line_text if c in _BIDI_OPEN + _BIDI_CLOSE)
        else:
            bad = suspicious_invisible(text, m.start())
            if bad:
                found.add(char)
        if bad and (not lines or lines[-1] != line):
            lines.append(line)
    if not lines:
        return ()
    message = (f"invisible character(s) ({_named(found)}) that look accidental (a bidi control "
               "with no right-to-left text or left open, a zero-width character inside a word, "
               f"a stray byte-order mark) on line(s) {_lines(lines)}: kept; delete them unless "
               "they are meant")
    return (Diagnostic("E003", "warning", message, SourceSpan(str(path), lines[0])),)


def clean_characters(text: str, path: Path) -> tuple[str, tuple[Diagnostic, ...]]:
    """Controls removed and invisible characters checked, each kind reported once."""
    text, removed = removed_controls(text, path)
    return text, removed + invisible_warnings(text, path)
