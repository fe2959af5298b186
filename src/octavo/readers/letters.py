"""Letters set in a plain text: their parts found by position and form.

A letter opens with a dateline ("April 8th", "London, 3 May 1820") or a salutation
("My dear Sir,", "MADAM,--I write"), runs through body paragraphs, and closes with a
signature (a short name line: "JOHN SMITH.", "B. D."), often after a valediction ("Yours
ever,", or one run into the last paragraph: "...good-bye.--Your friend,") and before a
postscript ("P.S."). Every rule reads one paragraph's text; ``gather_letters`` walks a
chapter's blocks and groups what they find. Every letter found is named in a warning, with
the lines of the parts guessed, so an editor can check them.

A text with no chapter headings that is a run of letters (an epistolary novel) gets one
chapter per letter, titled as editions of such novels title them: dateline and salutation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..model import (
    Block,
    BodyItem,
    Chapter,
    Diagnostic,
    Inline,
    Letter,
    LetterPart,
    Paragraph,
    Part,
    SourceSpan,
    Text,
    inline_text,
)
from .structure import title_case

MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|"
          "december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_DAY = r"\d{1,2}(?:st|nd|rd|th|d)?"
_DATE = re.compile(
    rf"\b(?:(?:{MONTHS})\.?\s+{_DAY}\b|{_DAY}\s+(?:of\s+)?(?:{MONTHS})\b|(?:{WEEKDAYS})\b"
    r"|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b|\b1[5-9]\d\d\b)",
    re.IGNORECASE)
_SALUTATION = re.compile(
    r"^(?:my\s+)?(?:(?:very\s+|most\s+|ever\s+)?(?:dear(?:est)?|honou?red|beloved|darling|"
    r"respected|esteemed|kind)\b|sir\b|madam\b|madame\b|gentlemen\b|ladies\b|friend\b|"
    r"to\s+the\b)",
    re.IGNORECASE)
_VALEDICTION = re.compile(
    r"^(?:(?:and\s+)?(?:yours|your|ever|always|believe\s+me|i\s+remain|i\s+am|remaining|"
    r"faithfully|sincerely|affectionately|truly|respectfully|with\s+(?:love|affection|"
    r"respect)|adieu|farewell|thine|till\s+then|until\s+then|in\s+haste)\b)",
    re.IGNORECASE)
_POSTSCRIPT = re.compile(r"^(?:P\.\s?){1,2}S\b\.?|^PS\b|^Postscript\b", re.IGNORECASE)
_ROMAN = re.compile(r"^[IVXLCDM]+\.?$")
# A run-in part is cut at a dash ("SIR,--I write"; "...good-bye.--Yours,").
_DASH = re.compile(r"--|\u2014|\u2013|(?<=,)-(?=\w)")
MAX_LINE_WORDS = 10
MAX_SIGNATURE_WORDS = 5
# A letter longer than this many blocks without a signature is not taken for one.
MAX_LETTER_BLOCKS = 150


def is_dateline(text: str) -> bool:
    """A short line giving a date (a month and day, a weekday, a year), perhaps a place; a
    weekday alone ("Tuesday.") is as likely an answer in a dialogue, so it needs company."""
    words = text.split()
    if not 0 < len(words) <= 8 or len(text) > 60 or text[:1].islower():
        return False
    if text.rstrip().endswith((",", "?", "!", ":")):
        return False
    date = _DATE.search(text)
    return date is not None and (len(words) > 1 or not re.fullmatch(WEEKDAYS, date.group(),
                                                                     re.IGNORECASE))


def is_salutation(text: str) -> bool:
    """A short line opening a letter: a form of address ending in a comma, colon or stop."""
    text = text.strip()
    return (0 < len(text.split()) <= MAX_LINE_WORDS and text.endswith((",", ":", ",--", ":--"))
            and bool(_SALUTATION.match(text)))


def run_in_salutation(text: str) -> str | None:
    """The salutation a letter's first paragraph opens with, cut at a dash ("MY DEAR
    FRIEND,--I write"): a form of address or a short line in capitals, ending in a comma."""
    m = _DASH.search(text)
    if m is None:
        return None
    head = text[: m.start()].rstrip()
    if not 0 < len(head.split()) <= 8:
        return None
    letters = [c for c in head if c.isalpha()]
    shouted = len(letters) > 1 and all(c.isupper() for c in letters)
    addressed = bool(_SALUTATION.match(head)) and (shouted or head.endswith((",", ":", "!")))
    return head if addressed or (shouted and head.endswith((",", ":", "!"))) else None


def is_valediction(text: str) -> bool:
    """A short closing line ("Yours faithfully,", "Ever your friend,")."""
    text = text.strip()
    return (0 < len(text.split()) <= MAX_LINE_WORDS and text.endswith((",", ".", "!"))
            and bool(_VALEDICTION.match(text)))


def run_in_valediction(text: str) -> str | None:
    """The valediction a letter's last paragraph ends with, just before the signature: the
    words after its last dash, or its last sentence, when the paragraph ends in a comma (a
    sentence left open for the name) or they read as a closing."""
    text = text.rstrip()
    dash = None
    for found in _DASH.finditer(text):
        dash = found
    tail = text[dash.end():].strip() if dash else ""
    words = len(tail.split())
    closing = words <= 12 and bool(_VALEDICTION.match(tail))
    left_open = words <= 25 and text.endswith(",")
    if tail and (closing or left_open):
        return tail
    if not text.endswith(","):
        return None
    ends = [m.end() for m in re.finditer(r"[.!?][\"'’”)]*\s+(?=[A-Z\"'“‘])", text)]
    tail = text[ends[-1]:] if ends else ""
    return tail if tail and len(tail.split()) <= 25 else None


def is_signature(text: str) -> bool:
    """A short name line in capitals or initials ("JOHN SMITH.", "B. D."), or of two to
    five capitalised words ("Jane Fairfax") when ``signed_off``: after a valediction."""
    return signature_form(text) == "marked"


def signature_form(text: str) -> str | None:
    """"marked" for a name line in capitals or initials, "plain" for capitalised words,
    None for anything else."""
    text = text.strip()
    words = text.split()
    if not 0 < len(words) <= MAX_SIGNATURE_WORDS or len(text) > 40:
        return None
    if text.endswith((",", ":", ";", "?", "!")) or _ROMAN.match(text) or is_dateline(text):
        return None
    if _DASH.search(text) or not all(w[0].isupper() or not w[0].isalpha() for w in words):
        return None
    letters = [c for c in text if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        return "marked"
    return "plain"


def is_postscript(text: str) -> bool:
    return bool(_POSTSCRIPT.match(text.strip()))


# --------------------------------------------------------------------------- gathering


def bare(text: str) -> str:
    """A line without the quotation marks that open (and may close) a letter quoted in a
    narrative, so its parts read as they would unquoted."""
    return text.strip().lstrip("\"'\u201c\u2018").rstrip().removesuffix("\"").removesuffix(
        "\u201d").strip()


def _text(block: Block) -> str | None:
    return bare(inline_text(block.inlines)) if isinstance(block, Paragraph) else None


def _inlines(block: Block) -> tuple[Inline, ...]:
    return block.inlines if isinstance(block, Paragraph) else ()


def split_inlines(inlines: tuple[Inline, ...], offset: int
                  ) -> tuple[tuple[Inline, ...], tuple[Inline, ...]]:
    """Inlines cut where their text reaches ``offset``, marks kept on both sides; a mark
    (italics) the cut falls inside goes whole to the side where it starts."""
    before: list[Inline] = []
    after: list[Inline] = []
    at = 0
    for node in inlines:
        size = len(inline_text((node,)))
        if at >= offset:
            after.append(node)
        elif isinstance(node, Text) and at + size > offset:
            before.append(Text(node.text[: offset - at]))
            after.append(Text(node.text[offset - at:]))
        else:
            before.append(node)
        at += size
    return tuple(before), tuple(after)


@dataclass(frozen=True, slots=True)
class Found:
    """A letter found in a run of blocks: ``blocks[start:end]`` becomes ``letter``."""

    start: int
    end: int
    letter: Letter
    lines: tuple[tuple[str, int], ...]  # (part, source line) of every part guessed


def _opening(blocks: Sequence[Block], i: int, after_letter: bool
             ) -> tuple[int, int, int, bool] | None:
    """(dateline index or -1, salutation index or -1, body start, whether it may close
    unsigned) of a letter opening at i: one with a dateline and a salutation, or with a
    salutation right after another letter, may end where the next opens."""
    text = _text(blocks[i])
    if text is None:
        return None
    dateline = -1
    k = i
    if is_dateline(text):
        dateline, k = i, i + 1
        if k >= len(blocks) or (text := _text(blocks[k]) or "") == "":
            return None
    strong = dateline >= 0 or after_letter
    if is_salutation(text):
        return dateline, k, k + 1, strong
    if run_in_salutation(text) and (strong or i == 0):
        return dateline, k, k, strong
    return (dateline, -1, k, False) if dateline >= 0 else None


def _closing(blocks: Sequence[Block], body: int, limit: int) -> int | None:
    """Index of the signature that closes a letter whose body starts at ``body``."""
    for j in range(body + 1, min(limit, body + MAX_LETTER_BLOCKS)):
        text = _text(blocks[j])
        form = signature_form(text) if text is not None else None
        before = _text(blocks[j - 1]) or ""
        if form == "marked" or (form == "plain" and (before.endswith(",") or is_valediction(before))):
            return j
    return None


def gather_letters(blocks: Sequence[Block], quoted: bool = False) -> list[Found]:
    """Letters in a chapter's blocks, in order. A letter needs an opening (a dateline or a
    salutation) and a close (a signature); one opened by both a dateline and a salutation,
    or by a salutation right after another letter or at the start of a ``quoted`` run (a
    block quotation the author set), may end where the next one opens, unsigned."""
    found: list[Found] = []
    openings: list[tuple[int, tuple[int, int, int, bool], bool]] = []
    after = quoted
    for i in range(len(blocks)):
        opening = _opening(blocks, i, after)
        if opening is not None and (not openings or i >= openings[-1][1][2]):
            openings.append((i, opening, after))
        text = _text(blocks[i])
        after = text is not None and (is_signature(text) or is_postscript(text))
    for n, (start, (dateline, salutation, body, strong), chained) in enumerate(openings):
        if found and start < found[-1].end:
            continue
        next_start = openings[n + 1][0] if n + 1 < len(openings) else len(blocks)
        signature = _closing(blocks, body, next_start)
        if signature is None:
            # Unsigned, it runs to the next letter; to the end of the text only in a run of
            # letters or a quotation, never over a novel's chapter, and never too far.
            last = n + 1 == len(openings)
            if not strong or (last and not chained) or next_start - body > MAX_LETTER_BLOCKS:
                continue
            end = next_start
            while end > body + 1 and _text(blocks[end - 1]) is None:
                end -= 1
        else:
            end = signature + 1
            while end < next_start and is_postscript(_text(blocks[end]) or ""):
                end += 1
        found.append(_letter(blocks, dateline, salutation, body, signature, end, start))
    return found


def _line(block: Block) -> int:
    return block.span.line if isinstance(block, Paragraph) else 0


def unsigned_end(blocks: Sequence[Block], body: int, end: int) -> int:
    """Where the body of an unsigned letter ends: at its postscript, if its last few blocks
    hold one, else at its end."""
    for j in range(end - 1, max(body, end - 3), -1):
        if is_postscript(_text(blocks[j]) or ""):
            return j
    return end


def _letter(blocks: Sequence[Block], dateline: int, salutation: int, body: int,
            signature: int | None, end: int, start: int) -> Found:
    lines: list[tuple[str, int]] = []
    parts: dict[str, tuple[Inline, ...]] = {}
    run_in: set[LetterPart] = set()
    body_end = signature if signature is not None else unsigned_end(blocks, body, end)
    inner = list(blocks[body:body_end])
    if dateline >= 0:
        parts["dateline"] = _inlines(blocks[dateline])
        lines.append(("dateline", _line(blocks[dateline])))
    if salutation >= 0:
        lines.append(("salutation", _line(blocks[salutation])))
        first = blocks[salutation]
        if salutation == body and isinstance(first, Paragraph):
            full = inline_text(first.inlines)
            head = run_in_salutation(bare(full)) or ""
            cut = full.index(head) + len(head)
            parts["salutation"], rest = split_inlines(first.inlines, cut)
            inner[0] = replace(first, inlines=rest)
            run_in.add("salutation")
        else:
            parts["salutation"] = _inlines(first)
    if signature is not None:
        parts["signature"] = _inlines(blocks[signature])
        lines.append(("signature", _line(blocks[signature])))
        last = _text(inner[-1]) if inner else None
        if last is not None and is_valediction(last) and len(inner) > 1:
            parts["valediction"] = _inlines(inner[-1])
            lines.append(("valediction", _line(inner[-1])))
            inner.pop()
        elif (last is not None and isinstance(para := inner[-1], Paragraph)
              and (tail := run_in_valediction(inline_text(para.inlines).rstrip()))):
            full = inline_text(para.inlines).rstrip()
            kept, valediction = split_inlines(para.inlines, len(full) - len(tail))
            if inline_text(kept).strip():
                parts["valediction"] = valediction
                lines.append(("valediction", _line(para)))
                inner[-1] = replace(para, inlines=kept)
                run_in.add("valediction")
    postscript = tuple(blocks[body_end + (signature is not None):end])
    if postscript:
        lines.append(("postscript", _line(postscript[0])))
    span = blocks[start].span if isinstance(blocks[start], Paragraph) else SourceSpan("", 0)
    letter = Letter(body=tuple(inner), dateline=parts.get("dateline", ()),
                    salutation=parts.get("salutation", ()),
                    valediction=parts.get("valediction", ()),
                    signature=parts.get("signature", ()), postscript=postscript,
                    run_in=frozenset(run_in), span=span)
    return Found(start, end, letter, tuple(lines))


def letter_warning(found: Found) -> Diagnostic:
    parts = ", ".join(f"{name} at line {line}" for name, line in found.lines)
    return Diagnostic("G020", "warning", f"letter guessed: {parts}", found.letter.span,
                      fix="check the letter's parts, or set the text as plain paragraphs")


def _with_letters(blocks: Sequence[Block], found: Sequence[Found]) -> tuple[Block, ...]:
    out: list[Block] = []
    at = 0
    for f in found:
        out.extend(blocks[at:f.start])
        out.append(f.letter)
        at = f.end
    out.extend(blocks[at:])
    return tuple(out)


def opening_words(inlines: tuple[Inline, ...], most: int = 10) -> str:
    """A paragraph's first sentence, cut after ``most`` words (with an ellipsis)."""
    text = inline_text(inlines).strip()
    sentence = re.split(r"(?<=[.!?])\s|--|\u2014", text, maxsplit=1)[0].strip()
    words = sentence.split()
    return " ".join(words[:most]) + ("\u2026" if len(words) > most else "")


def letter_title(letter: Letter) -> tuple[Inline, ...]:
    """A contents entry for a letter that is a chapter, as editions of letters title them:
    its dateline and salutation, or, wanting a salutation, its opening words. A salutation
    printed in capitals is set in title case in the title (the letter keeps it as printed)."""
    first = letter.body[0] if letter.body else None
    opening = letter.salutation or (first.inlines if isinstance(first, Paragraph) else ())
    words = [inline_text(letter.dateline).strip().rstrip(",:;.-\u2014 "),
             opening_words(opening).rstrip(",:;-\u2014 ")]
    if letter.salutation:
        words[1] = title_case(words[1])
    return (Text(": ".join(w for w in words if w)),) if any(words) else ()


# A text without chapter headings is a run of letters when this many are found in it.
MIN_LETTERS_FOR_CHAPTERS = 3


def letter_chapters(chapter: Chapter, found: Sequence[Found]) -> tuple[Chapter, ...]:
    """An untitled chapter that is a run of letters as one chapter per letter; text between
    letters stays with the letter before it (an enclosure), text before the first opens."""
    blocks = chapter.blocks
    out: list[Chapter] = []
    if found[0].start:
        out.append(replace(chapter, blocks=tuple(blocks[:found[0].start])))
    for n, f in enumerate(found):
        until = found[n + 1].start if n + 1 < len(found) else len(blocks)
        out.append(replace(chapter, title=letter_title(f.letter), number=None,
                           blocks=(f.letter, *blocks[f.end:until]), span=f.letter.span))
    return tuple(out)


def letters_in_chapters(chapters: Sequence[tuple[Chapter, list[Found]]], split: bool,
                        within: bool = True) -> tuple[tuple[Chapter, ...], list[Diagnostic]]:
    """Chapters, each with the letters found in it, as chapters with their letters gathered;
    with ``split``, a lone untitled chapter that is a run of letters becomes one chapter per
    letter; without ``within``, letters inside chapters of a narrative stay its paragraphs."""
    out: list[Chapter] = []
    notes: list[Diagnostic] = []
    for chapter, found in chapters:
        if split and not chapter.title and len(found) >= MIN_LETTERS_FOR_CHAPTERS:
            notes.extend(letter_warning(f) for f in found)
            out.extend(letter_chapters(chapter, found))
        elif found and within:
            notes.extend(letter_warning(f) for f in found)
            out.append(replace(chapter, blocks=_with_letters(chapter.blocks, found)))
        else:
            out.append(chapter)
    return tuple(out), notes


def is_epistolary(found_per_chapter: Sequence[list[Found]]) -> bool:
    """A book told in letters: at least half its chapters hold one. A novel that quotes a
    few letters keeps them as its paragraphs: their print lines are set like any other now,
    but a novel's share of loose full-measure lines still measured a hair higher with them
    gathered (their indented lines count as short ones)."""
    holding = sum(1 for found in found_per_chapter if found)
    return bool(found_per_chapter) and 2 * holding >= len(found_per_chapter)


def letters_in_body(body: Sequence[BodyItem]) -> tuple[tuple[BodyItem, ...], list[Diagnostic]]:
    """A book's body with the letters of its chapters gathered; a body that is one untitled
    chapter (no chapter headings found) and a run of letters gets a chapter per letter."""
    notes: list[Diagnostic] = []
    out: list[BodyItem] = []
    lone = len(body) == 1 and isinstance(body[0], Chapter)
    # Each chapter's letters are found once, then used both to tell whether the book is told
    # in letters and to gather them.
    found_in = [[(c, gather_letters(c.blocks)) for c in
                 (item.chapters if isinstance(item, Part) else (item,))] for item in body]
    within = is_epistolary([found for chapters in found_in for _, found in chapters])
    for item, chapters_found in zip(body, found_in, strict=True):
        if isinstance(item, Part):
            chapters, warned = letters_in_chapters(chapters_found, split=False, within=within)
            out.append(replace(item, chapters=chapters))
        else:
            chapters, warned = letters_in_chapters(chapters_found, split=lone, within=within)
            out.extend(chapters)
        notes.extend(warned)
    return tuple(out), notes


def letter_in_quote(blocks: Sequence[Block]) -> Found | None:
    """The letter a block quotation holds from its first block to its last, if it is one."""
    found = gather_letters(blocks, quoted=True)
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(blocks):
        return found[0]
    return None


def declared_letter(blocks: Sequence[Block]) -> Found:
    """A run of blocks the author marked as one letter, its parts found by position and form
    by the same rules: a dateline and/or salutation at its head, a signature as its last
    block before any postscript (any short name line will do, the author having said it is a
    letter), a valediction just before the signature; what is not a part is the body."""
    quoted = letter_in_quote(blocks)
    if quoted is not None:
        return quoted
    texts = [_text(b) for b in blocks]
    end = len(blocks)
    # A postscript runs on from its "P.S." over the paragraphs after it to the letter's end.
    closing = next((j for j in range(1, end) if is_postscript(texts[j] or "")), end)
    dateline = 0 if blocks and is_dateline(texts[0] or "") else -1
    salutation = -1
    body = dateline + 1
    head = texts[body] if body < closing else None
    if head is not None and is_salutation(head):
        salutation, body = body, body + 1
    elif head is not None and run_in_salutation(head):
        salutation = body
    last = closing - 1
    signed = last > body and signature_form(texts[last] or "") is not None
    return _letter(blocks, dateline, salutation, body, last if signed else None, end, 0)
