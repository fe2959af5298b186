"""Verse keeps its shape: found in plain and Gutenberg texts by its lines, read from Markdown
line blocks and fences, marked in the EPUB as Standard Ebooks marks it, and printed ragged with
each line starting a printed line."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import epubcheck_messages, pdf_pages_text
from octavo.build import build
from octavo.model import Book as ModelBook
from octavo.model import Chapter, Paragraph, Verse, all_chapters, inline_text
from octavo.model import Metadata as ModelMetadata
from octavo.readers.document import Document
from octavo.readers.gutenberg import read_gutenberg
from octavo.readers.markdown import read_markdown
from octavo.readers.source import SourceText
from octavo.readers.text import read_text
from octavo.readers.verse import (
    SourceLine,
    carry_emphasis,
    indent_levels,
    is_turnover,
    join_turnovers,
    looks_like_verse,
)

HEADER = """The Project Gutenberg EBook of Lamps and Rivers, by Ann Example

Title: Lamps and Rivers

Author: Ann Example

Language: English

*** START OF THIS PROJECT GUTENBERG EBOOK LAMPS AND RIVERS ***

"""
FOOTER = """

*** END OF THIS PROJECT GUTENBERG EBOOK LAMPS AND RIVERS ***
"""

# A small book of poems as Gutenberg sets one: titles in capitals, verse set in four columns,
# alternate lines two further, a line too long for the measure turned over ten columns in,
# an illustration inside a stanza, a refrain set far right.
POEMS = """THE LAMP ON THE HILL


    The lamp is lit upon the hill,
      The river runs below;
    And all the night is long and still,
      And soft the waters flow.

    We carried it up in the dark of the year when the frost was on the
          heather,
    [Illustration: The lamp]
    And set it high where the wind goes by,
      And left it to the weather.


THE RIVER SONG


    Come down, come down, the bells are rung,
      The boats are on the tide;
    The songs of all the town are sung,
      The doors are open wide.

    Come down, come down, the night is young,
                                                      Come down.
    The fires are lit, the tables hung,
                                                      Come down.
"""

# Lines of verse and their gold: (text, indent level), stanza by stanza.
GOLD = [
    [("The lamp is lit upon the hill,", 0), ("The river runs below;", 1),
     ("And all the night is long and still,", 0), ("And soft the waters flow.", 1)],
    [("We carried it up in the dark of the year when the frost was on the heather,", 0),
     ("And set it high where the wind goes by,", 0), ("And left it to the weather.", 1)],
    [("Come down, come down, the bells are rung,", 0), ("The boats are on the tide;", 1),
     ("The songs of all the town are sung,", 0), ("The doors are open wide.", 1)],
    [("Come down, come down, the night is young,", 0), ("Come down.", 2),
     ("The fires are lit, the tables hung,", 0), ("Come down.", 2)],
]


def chapters(doc: Document) -> list[Chapter]:
    book = ModelBook(ModelMetadata("t"), doc.front_matter, doc.body, doc.back_matter)
    return list(all_chapters(book))


def shape(verse: Verse) -> list[list[tuple[str, int]]]:
    return [[(inline_text(ln.inlines), ln.indent) for ln in st.lines] for st in verse.stanzas]


def gutenberg(body: str) -> Document:
    return read_gutenberg(SourceText(Path("poems.txt"), HEADER + body + FOOTER), {})


# --------------------------------------------------------------------------- the rules


def line(indent: int, text: str, number: int = 1) -> SourceLine:
    return SourceLine(indent, text, number)


def test_a_full_line_carried_on_further_in_is_a_turnover() -> None:
    full = line(0, "We carried it up in the dark of the year when the frost was on the")
    assert is_turnover(full, line(6, "heather,"), 70)
    # a short line, or a capitalised line one step in, or a refrain far right: lines of their own
    assert not is_turnover(line(0, "The lamp is lit upon the hill,"), line(2, "the river"), 70)
    assert not is_turnover(full, line(2, "And set it high"), 70)
    assert not is_turnover(full, line(50, "heather,"), 70)
    joined = join_turnovers([full, line(6, "heather,")], 70)
    assert [ln.text for ln in joined] == [full.text + " heather,"]


def test_indent_levels_rank_the_poems_indents() -> None:
    assert indent_levels([4, 6, 4, 6, 10, 12]) == [0, 1, 0, 1, 2, 3]
    assert indent_levels([0, 8, 0]) == [0, 1, 0]


def test_emphasis_across_lines_is_closed_and_reopened_on_each() -> None:
    assert carry_emphasis(["_The lamp is lit", "the river runs,", "and all is still._", "no"]) \
        == ["_The lamp is lit_", "_the river runs,_", "_and all is still._", "no"]
    assert carry_emphasis(["snake_case and _one_ word"]) == ["snake_case and _one_ word"]


def test_verse_lines_and_wrapped_prose_are_told_apart() -> None:
    verse = [line(0, "The lamp is lit upon the hill,"), line(2, "The river runs below;"),
             line(0, "And all the night is long and still,")]
    prose = [line(0, "It was a dark night, and the lamp burned low in the window of the"),
             line(0, "house where she sat and waited for the boats to come in from"),
             line(0, "the sea.")]
    assert looks_like_verse(verse, 70)
    assert not looks_like_verse(prose, 70)


# --------------------------------------------------------------------------- Gutenberg


def test_gutenberg_poems_keep_lines_stanzas_indents_and_titles() -> None:
    doc = gutenberg(POEMS)
    poems = chapters(doc)
    assert [inline_text(c.title) for c in poems] == ["The Lamp on the Hill", "The River Song"]
    verses = [b for c in poems for b in c.blocks]
    assert all(isinstance(v, Verse) for v in verses) and len(verses) == 2
    got = [st for v in verses if isinstance(v, Verse) for st in shape(v)]
    assert got == GOLD
    warning = next(d for d in doc.diagnostics if d.code == "V001")
    assert warning.severity == "warning"
    assert re.search(r"lines \d+-\d+, \d+-\d+ \(2 run\(s\)", warning.message)


def test_verse_among_prose_is_kept_only_where_set_in() -> None:
    dialogue = ('"They are. Still," returned the gentleman, "I wish\n'
                'I could say they were not."\n\n'
                '"Very well, then!" cried the woman. "That\'s enough.\n'
                "Who's the worse for the loss of a few things like these?\n"
                'Not a dead man, I suppose."\n\n')
    prose = ("It was a dark night, and the lamp burned low in the window of the\n"
             "house where she sat and waited for the boats to come in from the\n"
             "sea, and the wind rose over the harbour wall and the quay.\n\n")
    song = "    The lamp is lit upon the hill,\n      The river runs below;\n\n"
    doc = gutenberg("CHAPTER I.\n\n" + prose * 3 + dialogue + song + prose)
    blocks = chapters(doc)[0].blocks
    verses = [b for b in blocks if isinstance(b, Verse)]
    assert [shape(v) for v in verses] == [[[("The lamp is lit upon the hill,", 0),
                                            ("The river runs below;", 1)]]]
    assert sum(isinstance(b, Paragraph) for b in blocks) == 6


# --------------------------------------------------------------------------- plain text


def test_plain_text_poems_keep_their_lines_and_titles() -> None:
    text = POEMS.replace("    [Illustration: The lamp]\n", "")
    doc = read_text(SourceText(Path("poems.txt"), text))
    poems = chapters(doc)
    assert [inline_text(c.title) for c in poems] == ["The Lamp on the Hill", "The River Song"]
    got = [st for c in poems for v in c.blocks if isinstance(v, Verse) for st in shape(v)]
    assert got == GOLD
    assert any(d.code == "V001" for d in doc.diagnostics)


# --------------------------------------------------------------------------- Markdown


def md(text: str) -> Document:
    return read_markdown(SourceText(Path("poems.md"), text), {})


def test_markdown_line_blocks_give_stanzas_and_indents() -> None:
    doc = md("# Song\n\n| The lamp is lit upon the hill,\n|   The river runs *below*;\n"
             "|\n| And all the night is long\n  and still,\n")
    verse = chapters(doc)[0].blocks[0]
    assert isinstance(verse, Verse)
    assert shape(verse) == [[("The lamp is lit upon the hill,", 0), ("The river runs below;", 1)],
                            [("And all the night is long and still,", 0)]]


def test_markdown_verse_fence_gives_stanzas_and_indents() -> None:
    doc = md("# Song\n\n```verse\nThe lamp is lit,\n    the river runs;\n\nAnd all is still.\n```\n")
    verse = chapters(doc)[0].blocks[0]
    assert isinstance(verse, Verse)
    assert shape(verse) == [[("The lamp is lit,", 0), ("the river runs;", 1)],
                            [("And all is still.", 0)]]


# --------------------------------------------------------------------------- the editions


@pytest.fixture(scope="module")
def poems_built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The Gutenberg book of poems, built once as EPUB and PDF."""
    folder = tmp_path_factory.mktemp("poems")
    source = folder / "poems.txt"
    source.write_text(HEADER + POEMS + FOOTER, encoding="utf-8")
    return dict(build(source, folder / "out", ("epub", "pdf")).outputs)


XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


def test_epub_marks_poems_as_standard_ebooks_does(poems_built: dict[str, Path]) -> None:
    with zipfile.ZipFile(poems_built["epub"]) as z:
        roots = [etree.fromstring(z.read(n)) for n in sorted(z.namelist())
                 if re.search(r"chapter-\d+\.xhtml$", n)]
    poems = [div for r in roots for div in r.iter(f"{XHTML}div")
             if div.get(EPUB_TYPE) == "z3998:poem"]
    assert len(poems) == 2
    got = []
    for poem in poems:
        for p in poem.iter(f"{XHTML}p"):
            # page-list markers are spans too, of their own kind
            spans = [s for s in p.findall(f"{XHTML}span") if not s.get(EPUB_TYPE)]
            assert len(p.findall(f"{XHTML}br")) == len(spans) - 1
            got.append([("".join(s.itertext()).replace("\u2019", "'"),
                         int((s.get("class") or "i0")[1:])) for s in spans])
    assert got == GOLD
    assert epubcheck_messages(poems_built["epub"]) == []


def _fold(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).lower()


def test_pdf_sets_each_verse_line_at_the_start_of_a_printed_line(
        poems_built: dict[str, Path]) -> None:
    printed = [_fold(ln) for page in pdf_pages_text(poems_built["pdf"])
               for ln in page.splitlines() if _fold(ln)]
    for stanza in GOLD:
        for text, _level in stanza:
            assert any(p.startswith(_fold(text)[:30]) for p in printed), text
    # the turned-over line prints whole on one line at this measure, its turnover joined
    assert any(p == _fold(GOLD[1][0][0]) for p in printed)


def test_print_leaves_verse_ragged_and_to_the_browser(tmp_path: Path) -> None:
    source = tmp_path / "poems.txt"
    source.write_text(HEADER + POEMS + FOOTER, encoding="utf-8")
    out = build(source, tmp_path / "out", ("html",)).outputs["html"]
    html = out.read_text(encoding="utf-8")
    stanzas = re.findall(r'<div class="verse"[^>]*>(.*?)</div>', html, re.S)
    assert stanzas and not any("octavo-set" in s for s in stanzas)
    assert all('<p class="short">' in s for s in stanzas)


def test_markdown_stanzas_one_after_another_are_one_poem() -> None:
    doc = md("# Song\n\n| The lamp is lit,\n| the river runs;\n\n"
             "And all is still,\\\nand all is well.\n\nThen prose.\n")
    verse, prose = chapters(doc)[0].blocks
    assert isinstance(verse, Verse) and isinstance(prose, Paragraph)
    assert shape(verse) == [[("The lamp is lit,", 0), ("the river runs;", 0)],
                            [("And all is still,", 0), ("and all is well.", 0)]]
