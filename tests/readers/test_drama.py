"""Plays keep their shape: speakers, stage directions, acts and scenes, the cast list.

The rules of readers/drama.py one by one; small plays read by the Gutenberg, plain-text and
Markdown readers; prose whose paragraphs open with "Yes." or "Well:" left as prose; one play
built once (EPUB and PDF) and read back: ``z3998:persona`` on each speaker,
``z3998:stage-direction`` on each direction, ``z3998:drama`` on the act, EPUBCheck 0/0, the
speaker and the speech in the printed text. A property test reads generated plays and finds
every word in order.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import Built, build_book, epubcheck_messages, pdf_pages_text
from epub_reading import NS, open_package
from gutenberg_texts import FOOTER, HEADER
from octavo.model import (
    CastList,
    Chapter,
    Emphasis,
    Heading,
    InlineDirection,
    Paragraph,
    Part,
    SourceSpan,
    Speech,
    StageDirection,
    Text,
    block_text,
    inline_text,
)
from octavo.readers import read_document
from octavo.readers.document import Document
from octavo.readers.drama import (
    CAST_HEADING,
    cast_lines,
    cast_member,
    dramatize_blocks,
    dramatize_chapters,
    inline_directions,
    is_act_line,
    is_direction_paragraph,
    play_speakers,
    speaker_start,
)
from octavo.readers.structure import match_heading

EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"

GUTENBERG_PLAY = """THE LANTERN QUARREL

A Comedy in Two Acts


DRAMATIS PERSONAE

JOHN MARLOW, keeper of the light
ANNE MARLOW, his wife
PETER, a boy from the village


FIRST ACT

SCENE

A lighthouse kitchen at dusk. [Anne is mending a net by the fire.]

[Enter John, wet through.]

JOHN. The lamp is lit, and the glass is clean.

ANNE. [Without looking up.] And the oil?

JOHN. Half a barrel. [He sits.] Enough for the week.

PETER. [Running in.] A ship! A ship on the rocks!

ANNE (rising). Peace, child. Where?

JOHN. I do not see her yet.

ACT DROP


SECOND ACT

SCENE

The gallery of the light.

JOHN. There she lies.

PETER. She is breaking up.

ANNE. _Quietly._ Then we must go down.

CURTAIN
"""

MARKDOWN_PLAY = """# Dramatis Personae

- **John Marlow**, keeper of the light
- **Anne Marlow**, his wife

# Act I

## Scene 1

_A lighthouse kitchen at dusk._

**JOHN.** The lamp is lit, and the glass is clean.

**ANNE.** _(without looking up)_ And the oil?

**JOHN.** Half a barrel. [He sits.] Enough for the week.

**ANNE.** Peace. I _told_ you so.

# Act II

**JOHN.** There she lies.

**ANNE.** Then we must go down.
"""

TEXT_PLAY = """ACT I

A kitchen at dusk.

JOHN: The lamp is lit.

ANNE: (without looking up) And the oil?

JOHN: Half a barrel.

ANNE: Good.

ACT II

JOHN: There she lies.

ANNE: Then we go down.
"""


def _read(tmp_path: Path, name: str, text: str) -> Document:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_document(path, lambda _table: {})


def _chapters(document: Document) -> list[Chapter]:
    body = [c for item in document.body
            for c in (item.chapters if isinstance(item, Part) else (item,))]
    return [*document.front_matter, *body, *document.back_matter]


def _blocks(document: Document) -> list[object]:
    return [b for c in _chapters(document) for b in c.blocks]


# --------------------------------------------------------------------------- rules


def test_speaker_start_reads_names_in_capitals_title_case_and_with_a_direction() -> None:
    assert speaker_start("CATHERINE. Such news.").name == "CATHERINE"  # type: ignore[union-attr]
    assert speaker_start("MAJOR PETKOFF: Well?").name == "MAJOR PETKOFF"  # type: ignore[union-attr]
    assert speaker_start("Lady Bracknell. Good afternoon.").name == "Lady Bracknell"  # type: ignore[union-attr]
    found = speaker_start("RAINA (her eyes dilating). Ah!")
    assert found is not None and found.direction == "(her eyes dilating)" and found.rest == "Ah!"
    found = speaker_start("PETKOFF (appeasing her).--but not that.")
    assert found is not None and found.rest == "--but not that."
    assert speaker_start("It was a dark night.") is None
    assert speaker_start("I. The beginning") is None


def test_inline_directions_keep_every_character_and_hold_italic_inside() -> None:
    speech = (Text("Half a barrel. [He sits, "), Emphasis((Text("tired"),)), Text(".] Enough (aside)."))
    out = inline_directions(speech)
    assert inline_text(out) == inline_text(speech)
    directions = [n for n in out if isinstance(n, InlineDirection)]
    assert [inline_text(d.children) for d in directions] == ["[He sits, tired.]", "(aside)"]
    # An unclosed bracket is left as text.
    assert inline_directions((Text("Wait (for me"),)) == (Text("Wait (for me"),)


def test_italic_opening_a_speech_is_a_direction_but_stress_is_not() -> None:
    out = inline_directions((Emphasis((Text("Quietly."),)), Text(" Then go.")))
    assert isinstance(out[0], InlineDirection)
    out = inline_directions((Text("I "), Emphasis((Text("told"),)), Text(" you.")))
    assert not any(isinstance(n, InlineDirection) for n in out)


def test_direction_paragraphs_are_bracketed_or_wholly_italic() -> None:
    assert is_direction_paragraph((Text("(A distant shot.)"),))
    assert is_direction_paragraph((Text("[Exit Lane.]"),))
    assert is_direction_paragraph((Emphasis((Text("The curtain falls."),)),))
    assert not is_direction_paragraph((Text("(One) and two."),))
    assert not is_direction_paragraph((Text("He went home."),))


def test_cast_line_splits_name_from_description() -> None:
    member = cast_member((Text("JOHN MARLOW, keeper of the light"),))
    assert inline_text(member.name) == "JOHN MARLOW"
    assert inline_text(member.description) == "keeper of the light"
    assert inline_text(cast_member((Text("PETER"),)).name) == "PETER"


@pytest.mark.parametrize(("paragraph", "people"), [
    # Title case, its lines joined by the plain-text reader.
    ("John Marlow, keeper of the light Anne Marlow, his wife Peter Quill, a boy",
     [("John Marlow", "keeper of the light"), ("Anne Marlow", "his wife"),
      ("Peter Quill", "a boy")]),
    # Joined by semicolons, in capitals.
    ("JOHN MARLOW, keeper of the light; ANNE MARLOW, his wife; and PETER, a boy.",
     [("JOHN MARLOW", "keeper of the light"), ("ANNE MARLOW", "his wife"),
      ("PETER", "a boy.")]),
    # Sentences, one per person.
    ("Gwendolen Fairfax, her daughter. Cecily Cardew, his ward. Mr. Chasuble, a rector.",
     [("Gwendolen Fairfax", "her daughter."), ("Cecily Cardew", "his ward."),
      ("Mr. Chasuble", "a rector.")]),
    # Names only.
    ("John Marlow, Anne Marlow, Peter and Mrs. Quill",
     [("John Marlow", ""), ("Anne Marlow", ""), ("Peter", ""), ("Mrs. Quill", "")]),
    # A name inside a description stays in it.
    ("Mrs. Marlow, mother of John, a widow", [("Mrs. Marlow", "mother of John, a widow")]),
    ("LADY BRACKNELL, aunt to Algernon", [("LADY BRACKNELL", "aunt to Algernon")]),
])
def test_a_cast_list_joined_into_one_paragraph_is_a_line_per_person(
        paragraph: str, people: list[tuple[str, str]]) -> None:
    members = [cast_member(line) for line in cast_lines(
        Paragraph((Text(paragraph),), SourceSpan("p.txt", 1)))]
    assert [(inline_text(m.name), inline_text(m.description)) for m in members] == people


@pytest.mark.parametrize("cast", [
    "DRAMATIS PERSONAE\n\nJohn Marlow, keeper of the light\nAnne Marlow, his wife\n"
    "Peter Quill, a boy from the village\n",
    "Persons of the Play\n\nJOHN MARLOW, keeper of the light; ANNE MARLOW, his wife; PETER "
    "QUILL, a boy from the village.\n",
    "CHARACTERS\n\nJohn Marlow, Anne Marlow, Peter Quill.\n",
])
def test_a_plain_text_cast_list_in_title_case_or_one_paragraph(tmp_path: Path, cast: str
                                                                ) -> None:
    document = _read(tmp_path, "play.txt", cast + "\n" + TEXT_PLAY)
    [cast_list] = [b for b in _blocks(document) if isinstance(b, CastList)]
    assert [inline_text(m.name).rstrip(".").title() for m in cast_list.members] == [
        "John Marlow", "Anne Marlow", "Peter Quill"]


def test_act_lines_and_a_speaker_saying_i_are_told_apart() -> None:
    assert all(is_act_line(t) for t in ("ACT I", "FIRST ACT", "Act 2: The Storm", "Second Act"))
    assert not any(is_act_line(t) for t in ("ACT DROP", "Act of Parliament", "Act upon it."))
    assert match_heading("BLUNTSCHLI. I do.") is None
    assert match_heading("BLUNTSCHLI. I! No. Was I present?") is None
    heading = match_heading("FIRST ACT")
    assert heading is not None and heading.number == 1 and heading.label == "First Act"


def test_a_lone_act_line_in_a_play_is_a_heading_and_the_setting_a_direction() -> None:
    blocks = dramatize_blocks(
        [Paragraph((Text("FIRST ACT"),)), Paragraph((Text("A room in a flat."),)),
         Paragraph((Text("Algernon. Did you hear?"),)), Paragraph((Text("Lane. No, sir."),))],
        {"algernon", "lane"})
    assert blocks is not None
    assert [type(b).__name__ for b in blocks] == ["Heading", "StageDirection", "Speech", "Speech"]


def test_cast_headings() -> None:
    for title in ("DRAMATIS PERSONAE", "Dramatis Personæ", "THE PERSONS OF THE PLAY",
                  "Persons in the Play:", "CHARACTERS", "Cast of Characters"):
        assert CAST_HEADING.match(title), title
    assert not CAST_HEADING.match("The characters of the town were few.")


def test_prose_dialogue_is_never_a_play() -> None:
    """A novel's paragraphs opening with "Yes." or "Well:" or a name are too few to be a
    play, however often each repeats."""
    paragraphs = ([f"Yes. I think so, said she, for the {k}th time." for k in range(6)]
                  + [f"Well: it was a long road, number {k}." for k in range(6)]
                  + ["Elizabeth. She said it twice."] * 3
                  + [f"The rain fell on the town, day {k}, and nobody went out." for k in range(60)])
    chapter = Chapter((Text("One"),), 1, tuple(Paragraph((Text(p),)) for p in paragraphs))
    assert play_speakers([chapter]) == set()
    assert dramatize_chapters([chapter]) == [chapter]


# --------------------------------------------------------------------------- readers


def test_gutenberg_play_reads_acts_scenes_speeches_directions_and_cast(tmp_path: Path) -> None:
    document = _read(tmp_path, "play.txt", HEADER + GUTENBERG_PLAY + FOOTER)
    chapters = _chapters(document)
    acts = [c for c in chapters if any(isinstance(b, Speech) for b in c.blocks)]
    assert [inline_text(c.title) for c in acts] == ["First Act", "Second Act"]
    assert [c.label for c in acts] == ["First Act", "Second Act"]
    first = acts[0].blocks
    assert isinstance(first[0], Heading) and inline_text(first[0].inlines) == "SCENE"
    assert isinstance(first[1], StageDirection) and isinstance(first[2], StageDirection)
    speeches = [b for b in first if isinstance(b, Speech)]
    assert [inline_text(s.speaker) for s in speeches] == ["JOHN", "ANNE", "JOHN", "PETER", "ANNE",
                                                           "JOHN"]
    assert inline_text(speeches[4].inlines) == "(rising) Peace, child. Where?"
    assert isinstance(speeches[4].inlines[0], InlineDirection)
    assert inline_text(speeches[5].inlines) == "I do not see her yet."
    assert isinstance(first[-1], StageDirection) and block_text(first[-1]) == "ACT DROP"
    assert block_text(acts[1].blocks[-1]) == "CURTAIN"
    cast = [b for b in _blocks(document) if isinstance(b, CastList)]
    assert len(cast) == 1
    assert [(inline_text(m.name), inline_text(m.description)) for m in cast[0].members] == [
        ("JOHN MARLOW", "keeper of the light"), ("ANNE MARLOW", "his wife"),
        ("PETER", "a boy from the village")]


def test_markdown_play_convention(tmp_path: Path) -> None:
    document = _read(tmp_path, "play.md", MARKDOWN_PLAY)
    blocks = _blocks(document)
    cast = [b for b in blocks if isinstance(b, CastList)]
    assert [inline_text(m.name) for m in cast[0].members] == ["John Marlow", "Anne Marlow"]
    # Neither the cast nor an act gets a "Chapter n" over its title.
    assert [c.label for c in _chapters(document)] == ["Dramatis Personae", "Act I", "Act II"]
    speeches = [b for b in blocks if isinstance(b, Speech)]
    assert [inline_text(s.speaker) for s in speeches] == ["JOHN", "ANNE", "JOHN", "ANNE",
                                                           "JOHN", "ANNE"]
    assert isinstance(speeches[1].inlines[0], InlineDirection)
    assert inline_text(speeches[1].inlines) == "(without looking up) And the oil?"
    # Italic for stress stays italic.
    assert any(isinstance(n, Emphasis) for n in speeches[3].inlines)
    assert any(isinstance(b, StageDirection) and block_text(b) == "A lighthouse kitchen at dusk."
               for b in blocks)


def test_markdown_bold_speaker_in_capitals_needs_no_stop(tmp_path: Path) -> None:
    play = """# Act I

_A kitchen at dusk._

**JOHN**
The lamp is lit.

**ANNE** And the oil?

**JOHN** Enough for the week.

[Exit JOHN.]

**ANNE** So it is.

**ANNE**
Goodnight, then.

**JOHN** Goodnight.
"""
    speeches = [b for b in _blocks(_read(tmp_path, "play.md", play)) if isinstance(b, Speech)]
    assert [(inline_text(s.speaker), inline_text(s.inlines)) for s in speeches] == [
        ("JOHN", "The lamp is lit."), ("ANNE", "And the oil?"),
        ("JOHN", "Enough for the week."), ("ANNE", "So it is."), ("ANNE", "Goodnight, then."),
        ("JOHN", "Goodnight.")]


def test_plain_text_play_with_colons(tmp_path: Path) -> None:
    document = _read(tmp_path, "play.txt", TEXT_PLAY)
    chapters = _chapters(document)
    assert [inline_text(c.title) for c in chapters] == ["ACT I", "ACT II"]
    speeches = [b for c in chapters for b in c.blocks if isinstance(b, Speech)]
    assert len(speeches) == 6
    assert isinstance(speeches[1].inlines[0], InlineDirection)
    assert isinstance(chapters[0].blocks[0], StageDirection)


# --------------------------------------------------------------------------- built


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("play")
    (folder / "play.txt").write_text(HEADER + GUTENBERG_PLAY + FOOTER, encoding="utf-8")
    return build_book(folder, tmp_path_factory.mktemp("play-out"))


def test_epub_marks_speakers_directions_and_the_drama(built: Built) -> None:
    pkg = open_package(built.epub)
    personas: list[str] = []
    directions: list[str] = []
    dramas = 0
    cast_lines: list[str] = []
    for href in pkg.spine_hrefs():
        root = pkg.xhtml(href)
        for el in root.iter():
            types = (el.get(EPUB_TYPE) or "").split()
            text = " ".join("".join(el.itertext()).split())
            if "z3998:persona" in types:
                personas.append(text)
            if "z3998:stage-direction" in types:
                directions.append(text)
            if el.tag == f"{{{NS['x']}}}section" and "z3998:drama" in types:
                dramas += 1
            if "z3998:dramatis-personae" in types:
                cast_lines = [" ".join("".join(li.itertext()).split())
                              for li in el.iterfind("x:li", NS)]
    assert personas[:3] == ["JOHN", "ANNE", "JOHN"] and len(personas) == 9
    assert "[Without looking up.]" in directions and "(rising)" in directions
    assert "CURTAIN" in directions and "ACT DROP" in directions
    assert dramas == 2
    assert cast_lines == ["JOHN MARLOW, keeper of the light", "ANNE MARLOW, his wife",
                          "PETER, a boy from the village"]


def test_epub_passes_epubcheck(built: Built) -> None:
    assert epubcheck_messages(built.epub) == []


def test_pdf_sets_speaker_and_speech(built: Built) -> None:
    assert built.pdf is not None
    text = " ".join(" ".join(pdf_pages_text(built.pdf)).split())
    assert "JOHN. The lamp is lit, and the glass is clean." in text
    assert "ANNE. (rising) Peace, child. Where?" in text
    assert "Chapter 1" not in text  # an act is its own number line


# --------------------------------------------------------------------------- property

_NAMES = st.sampled_from(["JOHN", "ANNE MARLOW", "PETER", "LADY ROSE"])
_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)
_SENTENCE = st.lists(_WORD, min_size=1, max_size=8).map(lambda ws: " ".join(ws).capitalize() + ".")
_LINE = st.one_of(
    st.tuples(_NAMES, _SENTENCE).map(lambda t: f"{t[0]}. {t[1]}"),
    st.tuples(_NAMES, _SENTENCE, _SENTENCE).map(lambda t: f"{t[0]}. {t[1]} ({t[2]}) {t[1]}"),
    st.tuples(_NAMES, _SENTENCE, _SENTENCE).map(lambda t: f"{t[0]} ({t[1]}). {t[2]}"),
    _SENTENCE.map(lambda s: f"[{s}]"),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(_LINE, min_size=8, max_size=30))
def test_generated_plays_keep_every_word_in_order(lines: list[str]) -> None:
    import tempfile

    text = "ACT I\n\n" + "\n\n".join(lines) + "\n"
    with tempfile.TemporaryDirectory() as tmp:
        document = _read(Path(tmp), "play.txt", text)
    words = re.findall(r"[A-Za-z]+", text)
    out = re.findall(r"[A-Za-z]+", " ".join(
        inline_text(c.title) + " " + " ".join(block_text(b) for b in c.blocks)  # type: ignore[arg-type]
        for c in _chapters(document)))
    assert out == words


def test_an_overlong_speech_is_a_long_paragraph(tmp_path: Path) -> None:
    from octavo.check import check_manuscript

    long = " ".join(["word"] * 800)
    speeches = [f"**JOHN.** {long}", "**ANNE.** Yes.", "**JOHN.** No.", "**ANNE.** Yes.",
                "**JOHN.** No.", "**ANNE.** Go."]
    (tmp_path / "book.toml").write_text('title = "Play"\nauthor = "A. Writer"\n',
                                        encoding="utf-8")
    (tmp_path / "play.md").write_text("# Act I\n\n" + "\n\n".join(speeches) + "\n",
                                      encoding="utf-8")
    found = [f for f in check_manuscript(tmp_path).findings if f.code == "S003"]
    assert [f.span.line for f in found] == [3]
