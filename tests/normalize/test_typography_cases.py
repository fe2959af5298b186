"""The hard-case fixture file (tests/fixtures/typography/hard_cases.txt): every case named in
the typography issue, input -> expected from a cited authority; octavo must get all of them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from octavo.model import (
    Book,
    Chapter,
    Emphasis,
    Inline,
    LineBreak,
    Link,
    Metadata,
    NoteRef,
    Paragraph,
    SmallCaps,
    SourceSpan,
    Strong,
    Text,
)
from octavo.normalize import normalize, rules_for, typography_options
from octavo.readers.inline import parse_inlines

CASES_FILE = Path(__file__).parents[1] / "fixtures" / "typography" / "hard_cases.txt"
INVISIBLE = {"{nbsp}": "\u00a0", "{nnbsp}": "\u202f", "{hair}": "\u200a"}


@dataclass(frozen=True)
class Case:
    title: str
    authority: str
    options: dict[str, str]
    diagnostics: tuple[str, ...] | None
    source: tuple[str, ...]
    expected: tuple[str, ...]
    line: int


def unescape(text: str) -> str:
    for token, char in INVISIBLE.items():
        text = text.replace(token, char)
    return text


def load_cases(path: Path = CASES_FILE) -> list[Case]:
    """Parse the fixture file: ``## title``, header lines, then ``.``-delimited blocks."""
    lines = path.read_text(encoding="utf-8").splitlines()
    cases: list[Case] = []
    i = 0
    while i < len(lines):
        if not lines[i].startswith("## "):
            i += 1
            continue
        title, start = lines[i][3:].strip(), i + 1
        headers: dict[str, str] = {}
        i += 1
        while lines[i] != ".":
            key, _, value = lines[i].partition(":")
            headers[key.strip()] = value.strip()
            i += 1
        blocks: list[list[str]] = []
        i += 1  # the "." that opens the case
        for _ in range(2):
            i += 1  # the "." before this block (the first closes the empty opening block)
            block: list[str] = []
            while lines[i] != ".":
                if lines[i].strip():
                    block.append(unescape(lines[i]))
                i += 1
            blocks.append(block)
        options = dict(kv.split("=", 1) for kv in headers.get("options", "").split())
        diag = headers.get("diagnostics")
        cases.append(Case(
            title, headers["authority"], options,
            None if diag is None else tuple(d for d in diag.split() if d != "none"),
            tuple(blocks[0]), tuple(blocks[1]), start))
    return cases


def inline_markup(inlines: tuple[Inline, ...]) -> str:
    """Inlines back to the fixture's plain markup (*em*, **strong**)."""
    out: list[str] = []
    for node in inlines:
        match node:
            case Text(text=t):
                out.append(t)
            case Emphasis(children=ch):
                out.append(f"*{inline_markup(ch)}*")
            case Strong(children=ch):
                out.append(f"**{inline_markup(ch)}**")
            case SmallCaps(children=ch) | Link(children=ch):
                out.append(inline_markup(ch))
            case LineBreak():
                out.append("\n")
            case NoteRef():
                pass
    return "".join(out)


def run_octavo(case: Case) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The case's paragraphs through octavo's normalizer: (paragraphs, diagnostic codes)."""
    language = case.options.get("language", "en")
    table: dict[str, object] = {
        k: (v == "true" if v in ("true", "false") else v)
        for k, v in case.options.items() if k != "language"
    }
    paragraphs = tuple(
        Paragraph(parse_inlines(text), SourceSpan("case.txt", n + 1))
        for n, text in enumerate(case.source)
    )
    book = Book(Metadata("Cases", language=language),
                body=(Chapter((Text("One"),), 1, paragraphs),))
    out, diagnostics = normalize(book, rules_for(typography_options(table, language)))
    chapter = out.body[0]
    assert isinstance(chapter, Chapter)
    texts = tuple(inline_markup(p.inlines) for p in chapter.blocks if isinstance(p, Paragraph))
    return texts, tuple(d.code for d in diagnostics)


CASES = load_cases()


def test_the_fixture_file_covers_at_least_sixty_paragraphs() -> None:
    assert sum(len(c.source) for c in CASES) >= 60
    assert all(c.authority for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.title for c in CASES])
def test_hard_case(case: Case) -> None:
    got, codes = run_octavo(case)
    assert got == case.expected, f"{case.title} (line {case.line}), {case.authority}"
    if case.diagnostics is not None:
        assert codes == case.diagnostics
