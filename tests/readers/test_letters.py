"""Letters keep their shape: a letter's dateline, salutation, body, valediction, signature and
postscript are found in a plain or Gutenberg text (and in a Markdown block quotation) by
position and form, kept as a ``Letter`` block, marked in the EPUB (z3998:letter and its parts)
and set in print with the signature to the right of the body."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from conftest import Built, build_book, epubcheck_messages
from epub_reading import NS, open_package
from octavo.model import (
    Book,
    Chapter,
    Letter,
    Metadata,
    Paragraph,
    SourceSpan,
    Text,
    all_chapters,
    block_text,
    inline_text,
    walk_blocks,
)
from octavo.readers.gutenberg import read_gutenberg
from octavo.readers.letters import (
    gather_letters,
    is_dateline,
    is_postscript,
    is_salutation,
    is_valediction,
    letter_title,
    run_in_salutation,
    run_in_valediction,
    signature_form,
    split_inlines,
)
from octavo.readers.markdown import read_markdown
from octavo.readers.source import SourceText
from octavo.readers.text import read_text
from octavo.render.html import render_block

EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"

# --------------------------------------------------------------------------- rules


@pytest.mark.parametrize("line", ["April 8th", "June 12th.", "London, 3 May 1820.",
                                  "Tuesday evening.", "12/4/1851", "Sept. 6."])
def test_a_dateline_is_a_short_line_with_a_date(line: str) -> None:
    assert is_dateline(line)


@pytest.mark.parametrize("line", ["It was in May 1820 that we sailed for the coast of Spain.",
                                  "Monday, he said,", "ONE", "the 3rd of May", "Tuesday."])
def test_a_sentence_or_a_number_is_no_dateline(line: str) -> None:
    assert not is_dateline(line)


@pytest.mark.parametrize("line", ["My dear Sir,", "Dear Madam:", "Sir,", "Honoured Sir,",
                                  "MY DEAREST FRIEND,", "Dear Sir,--"])
def test_a_salutation_is_a_form_of_address_on_its_own_line(line: str) -> None:
    assert is_salutation(line)


@pytest.mark.parametrize("line", ["Sir, you forget yourself.", "My dear, what a day it was!",
                                  "Dear me, the rain!  It came down all afternoon, and the "
                                  "river rose over the road to the mill,"])
def test_speech_is_no_salutation(line: str) -> None:
    assert not is_salutation(line)


def test_a_salutation_run_into_the_first_paragraph_is_cut_at_its_dash() -> None:
    assert run_in_salutation("MY DEAR OLD FRIEND,--How glad I was") == "MY DEAR OLD FRIEND,"
    assert run_in_salutation("MY DEAR OLD FRIEND--How glad I was") == "MY DEAR OLD FRIEND"
    assert run_in_salutation("Dear Tom,\u2014I write in haste") == "Dear Tom,"
    assert run_in_salutation("He went out--and came back") is None
    assert run_in_salutation("Rain, rain, all day!--We stayed in") is None


def test_a_valediction_is_a_short_closing_line() -> None:
    assert is_valediction("Yours ever,")
    assert is_valediction("Believe me, dear Sir, your obedient servant,")
    assert not is_valediction("You will write soon,")


def test_a_valediction_run_into_the_last_paragraph_is_its_tail() -> None:
    assert run_in_valediction("Write soon. Goodbye.--Your faithful friend,") == (
        "Your faithful friend,")
    assert run_in_valediction("I must go now. I kiss your hands, and remain your friend,") == (
        "I kiss your hands, and remain your friend,")
    assert run_in_valediction("The day.--I remain, dear sir, with compliments to your lady and "
                              "daughters, your friend,") == (
        "I remain, dear sir, with compliments to your lady and daughters, your friend,")
    assert run_in_valediction("I must go now. Write soon.") is None


def test_a_signature_is_a_name_in_capitals_or_initials_or_plain_words() -> None:
    assert signature_form("JOHN ASHBY.") == "marked"
    assert signature_form("J. A.") == "marked"
    assert signature_form("John Ashby") == "plain"
    assert signature_form("Yes.") == "plain"  # a name only after a valediction
    assert signature_form("II") is None
    assert signature_form("Where are you?") is None


def test_a_postscript_opens_with_ps() -> None:
    assert is_postscript("P.S.--One more thing")
    assert is_postscript("P.S--One more thing")
    assert is_postscript("P. P. S. And another")
    assert not is_postscript("Perhaps so.")


def test_inlines_split_at_an_offset_keep_their_marks() -> None:
    from octavo.model import Emphasis

    before, after = split_inlines((Text("SIR,--I am "), Emphasis((Text("very"),)),
                                   Text(" glad")), 4)
    assert before == (Text("SIR,"),)
    assert after == (Text("--I am "), Emphasis((Text("very"),)), Text(" glad"))


# --------------------------------------------------------------------------- gathering


def _paras(*texts: str) -> tuple[Paragraph, ...]:
    return tuple(Paragraph((Text(t),), SourceSpan("b.txt", i + 1)) for i, t in enumerate(texts))


def test_letters_are_gathered_with_their_parts_and_no_word_lost() -> None:
    blocks = _paras("It rained all week.", "March 3rd.", "DEAR TOM,--The roof leaks again.",
                    "Mend it soon. Goodbye.--Your loving sister,", "ANN.",
                    "P.S.--Bring nails.", "He read it twice.")
    found = gather_letters(blocks)
    assert [(f.start, f.end) for f in found] == [(1, 6)]
    letter = found[0].letter
    assert inline_text(letter.dateline) == "March 3rd."
    assert inline_text(letter.salutation) == "DEAR TOM,"
    assert inline_text(letter.valediction) == "Your loving sister,"
    assert inline_text(letter.signature) == "ANN."
    assert [block_text(b) for b in letter.postscript] == ["P.S.--Bring nails."]
    assert letter.run_in == frozenset({"salutation", "valediction"})
    assert "".join(block_text(letter).split()) == "".join(
        "".join(b.inlines[0].text for b in blocks[1:6] if isinstance(b.inlines[0], Text)).split())
    assert dict(found[0].lines) == {"dateline": 2, "salutation": 3, "signature": 5,
                                    "valediction": 4, "postscript": 6}


def test_an_unsigned_letter_in_a_narrative_does_not_run_to_the_chapters_end() -> None:
    blocks = _paras("May 1st.", "Dear Sir,", "I write in haste.", "She put the letter down.",
                    "Then she went out into the garden.")
    assert gather_letters(blocks) == []
    assert [(f.start, f.end) for f in gather_letters(blocks[:3], quoted=True)] == [(0, 3)]


def test_dialogue_with_short_lines_holds_no_letter() -> None:
    blocks = _paras('"Sir," said he.', '"Yes."', "Mr. Brown", '"Where were you on Monday?"',
                    "Tuesday.", "She laughed.", "JOHN BROWN")
    assert gather_letters(blocks) == []


# --------------------------------------------------------------------------- readers

HEADER = """The Project Gutenberg EBook of Three Letters, by Ann Example

Title: Three Letters

Author: Ann Example

Language: English

*** START OF THIS PROJECT GUTENBERG EBOOK THREE LETTERS ***




THREE LETTERS

by Ann Example



"""
FOOTER = """

*** END OF THIS PROJECT GUTENBERG EBOOK THREE LETTERS ***
"""

LETTERS = """March 3rd.

MY DEAR BROTHER,--The roof of the old house leaks again, and the rain
came through into the kitchen last night while we slept. Mother says
it is nothing, but she sat up till dawn with a bucket.

The harvest is in. Write soon, and tell us when you mean to come
home. Goodbye.--Your loving sister,

ANN.

P.S.--Bring nails from the town.



March 9th.

Dear Ann,

I send the nails with the carrier, and a little money besides. Do not
let Mother sit up again; tell her I said so.

Your affectionate brother,

                                        THOMAS.



March 20th.

MY DEAR BROTHER,--The roof is mended and Mother sleeps. We thank you
for the money, which came in good time. I must close now. I kiss you,
and remain your grateful sister,

ANN.
"""


def _gutenberg() -> list[Chapter]:
    doc = read_gutenberg(SourceText(Path("letters.txt"), HEADER + LETTERS + FOOTER), {})
    return list(all_chapters(Book(Metadata("t"), doc.front_matter, doc.body, doc.back_matter)))


def _letters(chapters: list[Chapter]) -> list[Letter]:
    return [b for c in chapters for b in walk_blocks(c.blocks) if isinstance(b, Letter)]


@pytest.mark.parametrize("reader", ["gutenberg", "text"])
def test_a_run_of_letters_becomes_a_chapter_per_letter(reader: str) -> None:
    if reader == "gutenberg":
        chapters = _gutenberg()
    else:
        doc = read_text(SourceText(Path("letters.txt"), LETTERS))
        chapters = list(doc.body)  # type: ignore[arg-type]
    assert [inline_text(c.title) for c in chapters] == [
        "March 3rd: My Dear Brother", "March 9th: Dear Ann", "March 20th: My Dear Brother"]
    letters = _letters(chapters)
    assert [inline_text(x.signature) for x in letters] == ["ANN.", "THOMAS.", "ANN."]
    assert [inline_text(x.valediction) for x in letters] == [
        "Your loving sister,", "Your affectionate brother,",
        "I kiss you, and remain your grateful sister,"]
    assert [inline_text(x.salutation) for x in letters] == [
        "MY DEAR BROTHER,", "Dear Ann,", "MY DEAR BROTHER,"]
    assert len(letters[0].postscript) == 1 and not letters[1].postscript


def test_a_salutation_in_capitals_is_title_cased_in_the_title_only() -> None:
    letter = Letter(body=(Paragraph((Text("I write in haste."),)),),
                    dateline=(Text("June 1st."),),
                    salutation=(Text("MY BELOVED MAKAR ALEXIEVITCH,"),))
    assert inline_text(letter_title(letter)) == "June 1st: My Beloved Makar Alexievitch"
    assert inline_text(letter.salutation) == "MY BELOVED MAKAR ALEXIEVITCH,"
    # Opening words standing in for a salutation keep their case.
    unsaluted = Letter(body=(Paragraph((Text("NOTHING came today."),)),),
                       dateline=(Text("June 2nd."),))
    assert inline_text(letter_title(unsaluted)) == "June 2nd: NOTHING came today."


def test_every_letter_found_is_named_in_a_warning_with_its_lines() -> None:
    doc = read_gutenberg(SourceText(Path("letters.txt"), HEADER + LETTERS + FOOTER), {})
    warnings = [d for d in doc.diagnostics if d.code == "G020"]
    assert len(warnings) == 3
    assert all(d.severity == "warning" for d in warnings)
    first = str(warnings[0])
    assert re.search(r"dateline at line \d+, salutation at line \d+, signature at line \d+",
                     first)
    assert "postscript at line" in first


def test_a_markdown_block_quotation_that_reads_as_a_letter_is_one() -> None:
    source = """# The Post

She opened it by the window.

> Bath, 4 June.
>
> My dear Kate,
>
> We arrived safely, and the rooms are very fine.
>
> Ever yours,
>
> Lucy

She folded it away.

> A quotation from a book, not a letter.
"""
    doc = read_markdown(SourceText(Path("post.md"), source), {})
    chapter = doc.body[0]
    assert isinstance(chapter, Chapter)
    letters = [b for b in chapter.blocks if isinstance(b, Letter)]
    assert len(letters) == 1
    assert inline_text(letters[0].dateline) == "Bath, 4 June."
    assert inline_text(letters[0].signature) == "Lucy"
    assert inline_text(letters[0].valediction) == "Ever yours,"
    assert sum(d.code == "G020" for d in doc.diagnostics) == 1


def test_a_markdown_letter_fence_is_one_letter_with_its_parts_found_by_form() -> None:
    source = """# The Post

She opened it by the window.

::: letter The First Letter
London, 3 May 1820.

Dear Kate,

The rooms are *very* fine.

We go to Bath on Tuesday.

Yours ever,
Lucy

P.S. Bring the book.

And the shawl.
:::

::: letter
Nothing here reads as a letter's part.

Still, the author says it is one.
:::
"""
    doc = read_markdown(SourceText(Path("post.md"), source), {})
    chapter = doc.body[0]
    assert isinstance(chapter, Chapter)
    assert isinstance(chapter.blocks[0], Paragraph)
    letters = [b for b in chapter.blocks if isinstance(b, Letter)]
    assert len(letters) == 2 and len(chapter.blocks) == 3
    first = letters[0]
    assert inline_text(first.heading) == "The First Letter"
    assert inline_text(first.dateline) == "London, 3 May 1820."
    assert inline_text(first.salutation) == "Dear Kate,"
    assert [block_text(b) for b in first.body] == ["The rooms are very fine.",
                                                    "We go to Bath on Tuesday."]
    assert inline_text(first.valediction) == "Yours ever,"
    assert inline_text(first.signature) == "Lucy"
    assert [block_text(b) for b in first.postscript] == ["P.S. Bring the book.",
                                                         "And the shawl."]
    assert first.span.line == 5
    second = letters[1]
    assert not (second.dateline or second.salutation or second.signature)
    assert len(second.body) == 2
    # The author marked them: no warning that a letter was guessed.
    assert not any(d.code == "G020" for d in doc.diagnostics)


def test_a_markdown_letter_fence_with_a_run_in_salutation_and_initials() -> None:
    source = """::: letter
My dear Sir,--I write in haste.

Your servant,

J. A.
:::
"""
    doc = read_markdown(SourceText(Path("post.md"), source), {})
    letter = next(b for c in doc.body if isinstance(c, Chapter) for b in c.blocks
                  if isinstance(b, Letter))
    assert inline_text(letter.salutation) == "My dear Sir,"
    assert letter.run_in == {"salutation"}
    assert inline_text(letter.valediction) == "Your servant,"
    assert inline_text(letter.signature) == "J. A."


def test_a_run_in_salutation_renders_inside_the_first_paragraph() -> None:
    letter = gather_letters(_paras("May 1st.", "DEAR SIR,--I write.", "JOHN SMITH."))[0].letter
    html = render_block(letter)
    assert html.startswith('<div class="letter" epub:type="z3998:letter">')
    assert ('<p class="first"><span class="salutation" epub:type="z3998:salutation">'
            "DEAR SIR,</span>--I write.</p>") in html
    assert '<p class="signature" epub:type="z3998:signature">JOHN SMITH.</p>' in html
    assert '<p class="dateline">May 1st.</p>' in html


# --------------------------------------------------------------------------- outputs


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("letters-book")
    (folder / "letters.txt").write_text(HEADER + LETTERS + FOOTER, encoding="utf-8")
    return build_book(folder / "letters.txt", tmp_path_factory.mktemp("letters-out"))


def _typed(root: etree._Element, word: str) -> list[str]:
    return [" ".join("".join(e.itertext()).split()) for e in root.iter()
            if isinstance(e.tag, str) and word in (e.get(EPUB_TYPE) or "").split()]


def test_epub_marks_every_letter_and_its_parts(built: Built) -> None:
    pkg = open_package(built.epub)
    roots = [pkg.xhtml(h) for h in pkg.spine_hrefs()]
    letters = [t for r in roots for t in _typed(r, "z3998:letter")]
    assert len(letters) == 3
    assert [t for r in roots for t in _typed(r, "z3998:signature")] == ["ANN.", "THOMAS.", "ANN."]
    assert [t for r in roots for t in _typed(r, "z3998:salutation")] == [
        "MY DEAR BROTHER,", "Dear Ann,", "MY DEAR BROTHER,"]
    assert len([t for r in roots for t in _typed(r, "z3998:valediction")]) == 3
    assert [t for r in roots for t in _typed(r, "z3998:postscript")] == [
        "P.S.\u2014Bring nails from the town."]
    datelines = [" ".join("".join(e.itertext()).split()) for r in roots
                 for e in r.iterfind(".//x:p[@class='dateline']", NS)]
    assert datelines == ["March 3rd.", "March 9th.", "March 20th."]


def test_letters_epub_passes_epubcheck(built: Built) -> None:
    assert epubcheck_messages(built.epub) == []


def test_print_sets_the_signature_right_of_the_body(built: Built) -> None:
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    assert built.pdf is not None
    doc = pdfium.PdfDocument(str(built.pdf))
    try:
        for i in range(len(doc)):
            page = doc[i].get_textpage()
            text = page.get_text_range()
            if "THOMAS." not in text and "Thomas." not in text.title():
                continue
            at = text.upper().index("THOMAS.")
            sig_left = page.get_charbox(at)[0]
            body_at = text.index("I send the nails")
            body_left = page.get_charbox(body_at)[0]
            width = doc[i].get_width()
            assert sig_left > body_left + width * 0.3, (sig_left, body_left)
            return
    finally:
        doc.close()
    pytest.fail("signature not found in the PDF")


NARRATIVE = ("The rain kept on all week, and the road to the town was deep in mud, so that "
             "nobody came to the farm and nobody left it.")


def _chaptered(with_letter: list[bool]) -> list[Letter]:
    parts = []
    for n, holds in enumerate(with_letter, 1):
        parts.append(f"Chapter {n}\n\n{NARRATIVE}\n\n{NARRATIVE}\n")
        if holds:
            parts.append(LETTERS.split("\n\n\n\n")[1] + "\n")
        parts.append(f"{NARRATIVE}\n")
    doc = read_text(SourceText(Path("novel.txt"), "\n".join(parts)))
    return [b for c in doc.body for b in walk_blocks(c.blocks)  # type: ignore[union-attr]
            if isinstance(b, Letter)]


def test_a_novel_quoting_a_letter_keeps_it_as_paragraphs_and_a_book_of_letters_marks_them(
        ) -> None:
    assert _chaptered([False, True, False, False]) == []
    assert len(_chaptered([True, True, False, True])) == 3


LONG_PARAGRAPH = ("The disagreement between our families has always given me much uneasiness, "
                  "and since the loss of my father I have often wished to heal the breach; "
                  "but for some time I was kept back by my own doubts, fearing lest it might "
                  "seem disrespectful to his memory to be on good terms with anyone with whom "
                  "he had always been at variance. My mind, however, is now made up.")


def test_print_sets_the_lines_of_every_paragraph_of_a_letter(tmp_path: Path) -> None:
    """A letter's body paragraphs are broken into lines by octavo like any other, the last
    one too when its valediction was run into it (a block inside it would keep it unset)."""
    from lxml import html as lxml_html

    from octavo.build import build

    chapters = [f"Chapter {n}\n\n{NARRATIVE}\n\nMarch {n + 2}th.\n\nMY DEAR SIR,--"
                f"{LONG_PARAGRAPH}\n\n{LONG_PARAGRAPH}\n\n{LONG_PARAGRAPH}--Yours, &c.,\n\n"
                f"JOHN SMITH.\n\n{NARRATIVE}\n" for n in (1, 2)]
    (tmp_path / "letters.txt").write_text("\n\n".join(chapters), encoding="utf-8")
    out = build(tmp_path / "letters.txt", tmp_path / "out", ("html",))
    root = lxml_html.fromstring(out.outputs["html"].read_bytes())
    letters = root.xpath("//div[contains(@class, 'letter')]")
    assert len(letters) == 2
    for letter in letters:
        body = [p for p in letter.iter("p") if not {"dateline", "salutation", "valediction",
                                                     "signature"} & set(p.classes)]
        assert len(body) == 3
        assert all("octavo-set" in p.classes for p in body), [p.get("class") for p in body]
        assert "Yours" in " ".join(letter.xpath(".//*[@class[contains(., 'valediction')]]"
                                                "//text()"))


# --------------------------------------------------------------------------- property

_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=9)
_SENTENCE = st.lists(_WORD, min_size=3, max_size=14).map(
    lambda ws: " ".join(ws).capitalize() + ".")
_BODY = st.lists(st.lists(_SENTENCE, min_size=1, max_size=4).map(" ".join), min_size=1,
                 max_size=4)
_DATE = st.tuples(st.sampled_from(["March", "June", "October"]), st.integers(1, 28)).map(
    lambda t: f"{t[0]} {t[1]}th.")
_LETTER = st.tuples(
    _DATE, st.sampled_from(["Dear Ann,", "MY DEAR BROTHER,", "Dear Sir,"]), _BODY,
    st.sampled_from(["Your loving sister,", "Yours faithfully,", "Your affectionate brother,"]),
    st.sampled_from(["ANN.", "THOMAS.", "J. B."]), st.booleans(), _SENTENCE)


def _letter_text(parts: tuple[str, str, list[str], str, str, bool, str]) -> str:
    date, salutation, body, valediction, signature, postscript, ps = parts
    lines = [date, salutation, *body, valediction, signature]
    if postscript:
        lines.append(f"P.S.--{ps}")
    return "\n\n".join(lines)


@settings(max_examples=30, deadline=None)
@given(st.lists(_LETTER, min_size=2, max_size=6), st.booleans())
def test_generated_books_of_letters_keep_every_word_in_order(
        letters: list[tuple[str, str, list[str], str, str, bool, str]], gutenberg: bool) -> None:
    """Books of letters from the plain-text and the Gutenberg reader: every word of the
    manuscript in the book, in order, and each letter found as a Letter with its signature."""
    text = "\n\n\n\n".join(_letter_text(parts) for parts in letters) + "\n"
    if gutenberg:
        doc = read_gutenberg(SourceText(Path("letters.txt"), HEADER + text + FOOTER), {})
        chapters = list(all_chapters(Book(Metadata("t"), doc.front_matter, doc.body,
                                          doc.back_matter)))
    else:
        chapters = list(read_text(SourceText(Path("letters.txt"), text)).body)  # type: ignore[arg-type]
    out = " ".join(block_text(b) for c in chapters for b in c.blocks)
    words = re.findall(r"[A-Za-z]+", text)
    found = re.findall(r"[A-Za-z]+", out)
    if gutenberg:  # the title page's words come before the letters
        found = found[len(found) - len(words):]
    assert found == words
    made = _letters(chapters)
    assert [inline_text(x.signature) for x in made] == [parts[4] for parts in letters]
