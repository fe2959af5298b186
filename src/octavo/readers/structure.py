"""Recognising the structure of a plain text: chapter and part headings, named front- and
back-matter sections, contents lists, and which heading forms are the book's chapters.

Every rule here is general: it looks at the shape of a line (a label word, a numeral, a title
in capitals) and at how the headings of one form number through the book, never at the words
of any particular book.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

# --------------------------------------------------------------------------- numerals

_ROMAN = re.compile(r"^M{0,4}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ORDINAL_UNITS = ["_", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth"]
_ORDINAL_TENS = "_ _ twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth"


def _number_words() -> dict[str, int]:
    words: dict[str, int] = {}
    for n, w in enumerate(_UNITS):
        words[w] = n
    for n, w in enumerate(_ORDINAL_UNITS):
        if n:
            words[w] = n
    for t, (tens, tenth) in enumerate(zip(_TENS, _ORDINAL_TENS.split(), strict=True)):
        if t < 2:
            continue
        words[tens] = t * 10
        words[tenth] = t * 10
        for u in range(1, 10):
            for sep in ("-", " "):
                words[f"{tens}{sep}{_UNITS[u]}"] = t * 10 + u
                words[f"{tens}{sep}{_ORDINAL_UNITS[u]}"] = t * 10 + u
    words["hundred"] = 100
    words["hundredth"] = 100
    return words


NUMBER_WORDS = _number_words()
_NUMBER_WORD_RE = "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True))


def roman_value(token: str) -> int | None:
    """The value of an upper-case roman numeral, or None."""
    if not token or not _ROMAN.match(token):
        return None
    total = 0
    for i, ch in enumerate(token):
        value = _ROMAN_VALUES[ch]
        nxt = _ROMAN_VALUES[token[i + 1]] if i + 1 < len(token) else 0
        total += -value if value < nxt else value
    return total


def numeral_value(token: str, any_case: bool = False) -> int | None:
    """Arabic digits, a roman numeral (upper case unless ``any_case``) or an English number
    word (``ONE``, ``Twenty-one``, ``FIRST``)."""
    token = token.strip()
    if token.isdigit():
        return int(token) if len(token) <= 4 else None
    roman = roman_value(token.upper() if any_case else token)
    if roman is not None:
        return roman
    return NUMBER_WORDS.get(token.lower())


# --------------------------------------------------------------------------- heading lines

HeadingKind = Literal["chapter", "division", "named"]

# Words that announce a part of the book rather than a chapter (English, then the words
# French, German, Spanish, Italian and Dutch books print).
DIVISION_WORDS = frozenset({"part", "book", "volume", "vol", "partie", "livre", "teil", "buch",
                            "parte", "libro", "deel", "boek"})
# Words that announce a chapter even when the book has only one of them.
CHAPTER_WORDS = frozenset({"chapter", "chap", "stave", "letter", "canto", "chapitre", "kapitel",
                           "capítulo", "capitulo", "capitolo", "hoofdstuk"})


def _listed(words: str) -> list[str]:
    return words.split()


def _ordinal_words() -> dict[str, int]:
    """The ordinals French, German, Spanish, Italian and Dutch books print before (or after)
    a part or chapter word, one to twelve, in each gender and with and without accents:
    "DEUXIÈME PARTIE", "Zweiter Teil", "SEGUNDA PARTE", "CHAPITRE PREMIER" (the first
    chapter is often named where the others are numbered); after a label word only, or
    before one."""
    french = _listed("premier première deuxième troisième quatrième cinquième sixième "
                     "septième huitième neuvième dixième onzième douzième")
    german = _listed("erst zweit dritt viert fünft sechst siebt acht neunt zehnt elft zwölft")
    romance = _listed("primer segund tercer cuart quint sext séptim octav noven décim "
                      "undécim duodécim")
    italian = _listed("prim second terz quart quint sest settim ottav non decim undicesim "
                      "dodicesim")
    dutch = _listed("eerste tweede derde vierde vijfde zesde zevende achtste negende tiende "
                    "elfde twaalfde")
    words: dict[str, int] = {}
    for n, word in enumerate(french, start=1):
        words[word] = max(n - 1, 1)  # premier and première are both the first
    words.update({"second": 2, "seconde": 2})
    for n, stem in enumerate(german, start=1):
        words.update({stem + end: n for end in ("er", "e", "es")})
    words["siebenter"] = words["siebente"] = words["siebentes"] = 7
    for stems in (romance, italian):
        for n, stem in enumerate(stems, start=1):
            words.update({stem + "o": n, stem + "a": n})
    words.update({"primero": 1, "tercero": 3, "tercer": 3, "primer": 1})
    words.update({w: n for n, w in enumerate(dutch, start=1)})
    folded = {unicodedata.normalize("NFKD", w).encode("ascii", "ignore").decode(): n
              for w, n in words.items()}
    # An English word these forms share ("second", "nono") keeps its English reading first.
    return {w: n for w, n in {**folded, **words}.items() if w not in NUMBER_WORDS}


ORDINAL_WORDS = _ordinal_words()
_ORDINAL_WORD_RE = "|".join(sorted((re.escape(w) for w in ORDINAL_WORDS), key=len,
                                   reverse=True))
# Headings named by what they are; the value is the model's chapter role, or what to do.
NAMED_SECTIONS: dict[str, str] = {
    "preface": "preface", "author's preface": "preface", "the preface": "preface",
    "foreword": "foreword", "introduction": "introduction", "prologue": "prologue",
    "prelude": "prologue", "epilogue": "epilogue", "afterword": "afterword",
    "dedication": "dedication", "acknowledgements": "acknowledgements",
    "acknowledgments": "acknowledgements", "appendix": "appendix", "postscript": "afterword",
    "conclusion": "epilogue",
    "contents": "contents", "table of contents": "contents", "list of illustrations": "list",
    "illustrations": "list", "list of plates": "list",
    "the end": "end", "finis": "end", "end": "end",
}

# A note's call printed after a heading's number (``CHAPTER XVIII(*) -- ...``): it moves to
# the end of the title, where the note reads as being about the chapter.
# The signs plain texts print in brackets to call a note: (*), (+), (**), (#), ($) ...
NOTE_SYMBOLS = r"\*{1,3}|\+{1,3}|#{1,3}|†{1,2}|‡{1,2}|[§%&$@¶]"
NOTE_CALL = rf"\[\d{{1,3}}\]|\((?:{NOTE_SYMBOLS})\)"
_NUM = rf"(?:\d{{1,4}}|[IVXLCDM]+|{_NUMBER_WORD_RE}|{_ORDINAL_WORD_RE})"
KEYWORD_HEADING = re.compile(
    rf"^(?P<kw>[^\W\d_]+)\.?\s+(?:the\s+)?(?P<num>{_NUM})(?![^\W\d_])"
    rf"(?P<mark>{NOTE_CALL})?\s*(?P<sep>[.:\-\u2014]*)\s*(?P<title>.*?)\s*$",
    re.IGNORECASE,
)
# "FIRST ACT", "Second Part", "DEUXIÈME PARTIE", "Zweiter Teil": an ordinal before the
# keyword, as plays number their acts and many books their parts.
_ORDINAL_KEYWORDS = "|".join(sorted({"act", *DIVISION_WORDS, *CHAPTER_WORDS} - {"vol", "chap"}))
ORDINAL_HEADING = re.compile(
    rf"^(?P<num>{_NUMBER_WORD_RE}|{_ORDINAL_WORD_RE})\s+(?P<kw>{_ORDINAL_KEYWORDS})\.?$",
    re.IGNORECASE)
BARE_HEADING = re.compile(
    r"^(?P<num>\d{1,3}|[IVXLCDM]+)(?P<sep>\s*[.:\u2014]|\s*-+)?(?:\s+(?P<title>\S.*?))?\s*$"
)
_SMALL_WORDS = frozenset(
    ["a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "nor", "of", "on", "or", "the", "to", "upon", "with"]
)


@dataclass(frozen=True, slots=True)
class HeadingLine:
    """What one line says as a heading."""

    kind: HeadingKind
    keyword: str | None  # the label word, lower case ("chapter", "stave"), None for a bare number
    number: int | None
    title: str | None  # the words after the number, or a named section's name
    label: str  # the line as a short title ("Chapter 1", "Stave I", "Preface")
    role: str | None = None  # for named sections: a chapter role, "contents", "list" or "end"

    @property
    def form(self) -> tuple[str | None, bool]:
        """Headings of one form belong to one level of the book."""
        return self.keyword, self.title is not None


def single_spaced(text: str) -> str:
    """``text`` stripped, each run of white space inside it one space: what
    ``re.sub(r"\\s+", " ", text.strip())`` gives (``\\s`` is ``str.isspace``), five times as
    fast, and the readers do it to every line."""
    return " ".join(text.split())


def is_title_text(text: str, max_len: int = 80) -> bool:
    """True when ``text`` reads like a title: short, mostly capitalised words, not a sentence
    of dialogue."""
    text = text.strip()
    if not text or len(text) > max_len or text[0] in "\"'([*_" or text.endswith((",", ";")):
        return False
    words = re.findall(r"[^\W\d_][\w'’-]*", text)
    if not words:
        return False
    if text.upper() == text:
        return True
    significant = [w for w in words if w.lower() not in _SMALL_WORDS] or words
    capitalised = sum(1 for w in significant if w[0].isupper())
    if capitalised * 3 < len(significant) * 2:
        return False
    return not (text.endswith(("?", "!")) and len(words) > 6)


def _capitalise_word(token: str) -> str:
    """``MARLEY'S`` -> ``Marley's``: only the first letter of a word (not one after an
    apostrophe) stays capital."""

    def piece(m: re.Match[str]) -> str:
        after_apostrophe = m.start() > 0 and token[m.start() - 1] in "'’"
        word = m.group().lower()
        return word if after_apostrophe else word[:1].upper() + word[1:]

    return re.sub(r"[^\W\d_]+", piece, token)


def title_case(text: str) -> str:
    """An all-capitals title in title case (``A SCANDAL IN BOHEMIA`` -> ``A Scandal in
    Bohemia``); a title already in mixed case is kept."""
    if text.upper() != text or not any(ch.isalpha() for ch in text):
        return text
    out: list[str] = []
    for i, token in enumerate(re.split(r"(\s+)", text)):
        bare = token.strip(".,:;")
        if not token.strip():
            out.append(token)
        elif i and token.lower() in _SMALL_WORDS:
            out.append(token.lower())
        elif len(bare) > 1 and roman_value(bare) is not None:
            out.append(token)  # a roman numeral stays in capitals
        else:
            out.append(_capitalise_word(token))
    return "".join(out)


def _clean_title(raw: str | None) -> str | None:
    if raw is None:
        return None
    title = raw.strip().strip(".").strip()
    # "Book the Second--the Golden Thread": a title starts with a capital.
    return title[:1].upper() + title[1:] if title else None


def match_named(line: str) -> HeadingLine | None:
    """``PREFACE``, ``Introduction.``, ``CONTENTS``, ``THE END``: a line that names its
    section."""
    text = line.strip()
    key = single_spaced(text.rstrip(".:")).lower().replace("’", "'")
    role = NAMED_SECTIONS.get(key)
    if role is None or not (text[:1].isupper()):
        return None
    if text.upper() != text and not text.istitle() and key not in ("the end",):
        return None
    label = title_case(text.rstrip(".:").strip())
    return HeadingLine("named", None, None, label, label, role)


# A line is asked again and again (for a heading, for a contents entry, for verse): a
# novel's 12,400 asks are 4,900 lines. What a line says is fixed by the line alone.
@functools.lru_cache(maxsize=1 << 16)
def match_heading(line: str) -> HeadingLine | None:
    """A chapter, part or named heading on one line, or None."""
    text = single_spaced(line)
    if not text or len(text) > 90:
        return None
    named = match_named(text)
    if named:
        return named
    m = KEYWORD_HEADING.match(text)
    if m:
        keyword = m.group("kw")
        kw = keyword.lower()
        labelled = kw in CHAPTER_WORDS | DIVISION_WORDS
        number = numeral_value(m.group("num"), any_case=labelled)
        if number is None and labelled:
            number = ORDINAL_WORDS.get(m.group("num").lower())
        title = _clean_title(m.group("title"))
        keyword_ok = keyword[0].isupper() and (keyword.isupper() or keyword.istitle())
        numeral_ok = number is not None and (
            kw in CHAPTER_WORDS | DIVISION_WORDS or m.group("num").isupper()
            or m.group("num").isdigit()
        )
        if (keyword_ok and numeral_ok and (title is None or is_title_text(title))
                and not speaker_says_i(kw, m.group("num"), m.group("sep"), m.group("title"))):
            kind: HeadingKind = "division" if kw in DIVISION_WORDS else "chapter"
            # The number line as printed, "the" and all ("Book the First").
            own = text[:m.end("num")]
            label = title_case(own) if own.upper() == own else own
            mark = m.group("mark") or ""
            return HeadingLine(kind, kw, number, title_case(title) + mark if title else None,
                               label if title else label + mark)
    m = ORDINAL_HEADING.match(text)
    # In capitals, in title case, or (as Spanish and Italian books print it) only the
    # ordinal capitalised: "Segunda parte".
    if m and (text.isupper() or text.istitle() or (
            text[0].isupper() and text[1:] == text[1:].lower()
            and m.group("num").lower() in ORDINAL_WORDS)):
        kw = m.group("kw").lower()
        kind = "division" if kw in DIVISION_WORDS else "chapter"
        ordinal = m.group("num").lower()
        number = NUMBER_WORDS.get(ordinal) or ORDINAL_WORDS[ordinal]
        return HeadingLine(kind, kw, number, None, title_case(text))
    m = BARE_HEADING.match(text)
    if m:
        number = numeral_value(m.group("num"))
        title = _clean_title(m.group("title"))
        if number is None:
            return None
        if title is not None and (not m.group("sep") or not is_title_text(title)):
            return None
        return HeadingLine("chapter", None, number, title_case(title) if title else None,
                           m.group("num"))
    return None


def speaker_says_i(keyword: str, numeral: str, sep: str, title: str) -> bool:
    """``BLUNTSCHLI. I do.`` or ``RAINA. I! ...``: a play's speaker saying "I", not a
    heading numbered I. Only for a keyword that is not a chapter or part word, with the
    numeral run straight into a lower-case word or an exclamation."""
    return (keyword not in CHAPTER_WORDS | DIVISION_WORDS and numeral == "I" and not sep
            and bool(re.match(r"[a-z!?]", title)))


def own_number(text: str) -> tuple[str, int] | None:
    """The manuscript's own number line of a heading that also has a title (``I. The Period``
    -> ``I``, ``Stave I: Marley's Ghost`` -> ``Stave I``), with the offset in ``text`` where
    the title begins; None for a heading without one, or whose word is not a chapter's or a
    part's (an ``Adventure I`` keeps reading as a title)."""
    h = match_heading(text)
    if h is None or h.kind == "named" or h.number is None or h.title is None:
        return None
    if h.keyword is not None and h.keyword not in CHAPTER_WORDS | DIVISION_WORDS:
        return None
    m = KEYWORD_HEADING.match(text) if h.keyword else BARE_HEADING.match(text)
    if m is None or m.group("title") is None:
        return None
    return h.label, m.start("title")


# --------------------------------------------------------------------------- chapter forms

Form = tuple[str | None, bool]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A heading-like line found in the body, at position ``index`` among the text's blocks."""

    index: int
    heading: HeadingLine


def chapter_forms(candidates: Sequence[Candidate]) -> frozenset[Form]:
    """The heading forms that are the book's chapters.

    The chapters are the longest run of headings numbered one after another (1, 2, 3...);
    among runs as long, the one that switches least between forms wins, so a story's own
    ``I.``/``II.`` sections don't pass for the book's chapters. A form with a chapter word
    (``CHAPTER``, ``STAVE``...) counts even when it occurs once (one file of a multi-file book).
    """
    numbered = [c for c in candidates if c.heading.kind == "chapter" and c.heading.number]
    if not numbered:
        return frozenset()
    best: list[tuple[int, int, int]] = []  # (length, -switch cost, predecessor) per candidate
    for i, cand in enumerate(numbered):
        entry = (1, 0, -1)
        for j in range(i):
            prev = numbered[j]
            if prev.heading.number != (cand.heading.number or 0) - 1:
                continue
            length, cost, _ = best[j]
            step = (2 if prev.heading.form[1] != cand.heading.form[1] else 0) + (
                1 if prev.heading.keyword != cand.heading.keyword else 0)
            option = (length + 1, cost - step, j)
            if option[:2] > entry[:2]:
                entry = option
        best.append(entry)
    end = max(range(len(numbered)), key=lambda k: (best[k][0], best[k][1], -k))
    forms: set[Form] = set()
    k = end
    while k >= 0:
        forms.add(numbered[k].heading.form)
        k = best[k][2]
    if best[end][0] < 2:
        forms = {c.heading.form for c in numbered if c.heading.keyword in CHAPTER_WORDS}
        if not forms:
            return frozenset()
    # A heading that names itself a chapter (or a letter, a stave...) is one, whatever the
    # longest run: letters before the chapters, ``CHAPTER II`` with its title on the next line.
    forms |= {c.heading.form for c in numbered if c.heading.keyword in CHAPTER_WORDS}
    return frozenset(forms)
