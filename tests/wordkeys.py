"""Word keys for comparing texts across formats: letters and digits only, case-folded."""

from __future__ import annotations

import re
import unicodedata

# Line-end hyphens as PDF text extraction reports them (hyphen, Unicode hyphen, soft hyphen).
_LINE_END_HYPHEN = re.compile(r"[-\u2010\u00ad]\r?\n")
# Inline markup and elision marks that are not part of a word's letters.
_NON_WORD = re.compile(r"[^\w]+|_")


def word_keys(text: str) -> list[str]:
    """The words of ``text`` as keys; apostrophes and dashes split nothing inside a word."""
    text = unicodedata.normalize("NFKD", text)
    out = []
    for token in re.split(r"[\s\u2014\u2013\u2026/]+", text):
        key = _NON_WORD.sub("", token).casefold()
        if key:
            out.append(key)
    return out


def pdf_word_keys(page_texts: list[str]) -> list[str]:
    """Word keys of extracted PDF text with hyphenated line ends rejoined."""
    text = "\n".join(page_texts)
    text = _LINE_END_HYPHEN.sub("", text)
    return word_keys(text)


def is_subsequence(needles: list[str], haystack: list[str]) -> tuple[bool, int]:
    """Whether ``needles`` occur in order within ``haystack``; also how many matched."""
    it = iter(haystack)
    for count, word in enumerate(needles):
        if not any(word == candidate for candidate in it):
            return False, count
    return True, len(needles)
