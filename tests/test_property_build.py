"""Property tests over generated manuscripts: paragraphs, hard wraps, scene breaks, emphasis
(balanced or not), quotes and dashes, text from every Unicode plane and markup-like text.

Whatever the manuscript, a build gives an EPUB or an ``OctavoError``, never another exception;
the EPUB is well-formed XML holding every word of the body in order; two of the generated
books pass EPUBCheck; a few go through the PDF too. Example counts are kept small (stated on
each test) so the suite stays quick.
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from lxml import etree

from conftest import epubcheck_messages, pdf_pages_text
from octavo.build import build
from octavo.errors import OctavoError

EPUB_EXAMPLES = 50
MARKDOWN_EXAMPLES = 20
PDF_EXAMPLES = 5

XHTML_P = "{http://www.w3.org/1999/xhtml}p"
# Characters of every plane and script (letters, marks, numbers, punctuation, symbols); the
# readers' own line syntax (# headings, {hints}) is left out so a line stays a paragraph.
_ANY_CHAR = st.characters(codec="utf-8", categories=("L", "M", "N", "P", "S"),
                          exclude_characters="#{}")
_PRINTABLE = st.sampled_from(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789éèçñßøåÆŒ"
    "αβγδεζηθλμπσωΩЖжщЯ.,;:!?'\"()&<>")
_MARKUP = st.sampled_from([
    "<b>", "</b>", "<script>alert(1)</script>", "&amp;", "&eacute;", "&#x41;", "&", "<", ">",
    "]]>", "<![CDATA[", "<!--", "-->", "\\*", "\\_", '"', "'", "--", "---x", "...", "\u2014",
    "\u201c", "\u201d", "\u2019", "\u00a0", "\u200b", "\u200d", "\u202e", "\u2069",
])


def _wrapped(word: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A word, sometimes in emphasis markers, balanced or not."""
    return st.one_of(
        word,
        word.map(lambda w: f"*{w}*"), word.map(lambda w: f"_{w}_"),
        word.map(lambda w: f"**{w}**"), word.map(lambda w: f"*{w}"),
        word.map(lambda w: f"{w}_"), word.map(lambda w: f"*_{w}_*"),
    )


def _manuscripts(chars: st.SearchStrategy[str], markup: bool = True, max_paragraphs: int = 8,
                 max_words: int = 30) -> st.SearchStrategy[str]:
    word = st.text(chars, min_size=1, max_size=10)
    token = st.one_of(_wrapped(word), _MARKUP) if markup else _wrapped(word)
    paragraph = st.lists(token, min_size=1, max_size=max_words).flatmap(
        lambda tokens: st.lists(st.booleans(), min_size=len(tokens), max_size=len(tokens)).map(
            lambda wraps: "".join(t + ("\n" if w else " ") for t, w in zip(tokens, wraps,
                                                                         strict=True)).strip()))
    block = st.one_of(paragraph, paragraph, paragraph, st.sampled_from(["* * *", "---", "***"]))
    return st.tuples(st.lists(block, min_size=1, max_size=max_paragraphs),
                     st.sampled_from(["\n\n", "\n"])).map(lambda pair: pair[1].join(pair[0]))


def _words(text: str) -> list[str]:
    """Letters and digits in runs, decomposed: marks, punctuation, markers and spaces (which
    typography rewrites) separate words and are not compared."""
    return re.findall(r"[^\W_]+", unicodedata.normalize("NFD", text))


def _plausible(manuscript: str) -> bool:
    """Lines the reader would take as a chapter heading (``Chapter 4``) are not body text."""
    return not any(line.strip().lower().startswith(("chap", "*** start"))
                   for line in manuscript.split("\n"))


_HEADINGS = tuple(f"{{http://www.w3.org/1999/xhtml}}h{n}" for n in range(1, 7))
_FILE_TITLE = "Ms"  # ms.txt's and ms.md's


def _epub_body_words(epub: Path, headings: bool = False) -> list[str]:
    """The words of the chapters' paragraphs in order (and of their headings, in place, when
    ``headings``: a line a reader took for a poem's title is kept there)."""
    tags = (XHTML_P, *_HEADINGS) if headings else (XHTML_P,)
    words: list[str] = []
    with zipfile.ZipFile(epub) as z:
        names = sorted((n for n in z.namelist() if re.search(r"chapter-\d+\.xhtml$", n)),
                       key=lambda n: int(re.findall(r"\d+", n)[-1]))
        for name in names:
            root = etree.fromstring(z.read(name))
            for br in root.iter("{http://www.w3.org/1999/xhtml}br"):
                br.tail = " " + (br.tail or "")  # a line break ends a word, as a reader shows
            for p in root.iter(*tags):
                text = "".join(p.itertext())
                if p.tag != XHTML_P and (text.strip() == _FILE_TITLE
                                         or re.fullmatch(r"Chapter \d+", text.strip())):
                    continue  # titles octavo gives: the file's name, an untitled chapter's
                words += _words(text)
    return words


def _well_formed(epub: Path) -> None:
    with zipfile.ZipFile(epub) as z:
        for name in z.namelist():
            if name.endswith((".xhtml", ".opf", ".ncx", ".xml")):
                etree.fromstring(z.read(name))  # raises on anything not well-formed


def _build_epub(manuscript: str, folder: Path, name: str = "ms.txt") -> Path | None:
    source = folder / name
    source.write_text(manuscript, encoding="utf-8")
    try:
        result = build(source, folder / "out", ("epub",))
    except OctavoError:
        return None
    return result.outputs["epub"]


def test_generated_manuscripts_keep_every_word_in_order_and_pass_epubcheck(
        tmp_path: Path) -> None:
    samples: dict[str, tuple[int, bytes]] = {}

    @settings(max_examples=EPUB_EXAMPLES, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(_manuscripts(_ANY_CHAR))
    def check(manuscript: str) -> None:
        assume(_plausible(manuscript))
        with tempfile.TemporaryDirectory() as folder:
            epub = _build_epub(manuscript, Path(folder))
            expected = _words(manuscript)
            if epub is None:
                assert expected == [], "an OctavoError for a manuscript with words"
                return
            _well_formed(epub)
            assert _epub_body_words(epub) == expected
            data = epub.read_bytes()
            # Keep two books for EPUBCheck: the longest, and the one of most scripts.
            scripts = len({unicodedata.name(c, "?").split(" ")[0] for c in manuscript})
            for key, score in (("longest", len(manuscript)), ("scripts", scripts)):
                if score > samples.get(key, (-1, b""))[0]:
                    samples[key] = (score, data)

    check()
    assert samples
    for key, (_score, data) in samples.items():
        path = tmp_path / f"{key}.epub"
        path.write_bytes(data)
        assert epubcheck_messages(path) == [], key


@settings(max_examples=MARKDOWN_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(_manuscripts(_ANY_CHAR))
def test_generated_markdown_builds_or_fails_cleanly(manuscript: str) -> None:
    """Markdown has syntax of its own (entities, lists, links), so only: a well-formed EPUB
    or an OctavoError."""
    with tempfile.TemporaryDirectory() as folder:
        epub = _build_epub(manuscript, Path(folder), "ms.md")
        if epub is not None:
            _well_formed(epub)


@settings(max_examples=PDF_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(_manuscripts(_PRINTABLE, markup=False, max_paragraphs=4, max_words=25))
def test_generated_manuscripts_print_every_word(manuscript: str) -> None:
    assume(_plausible(manuscript))
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "ms.txt"
        source.write_text(manuscript, encoding="utf-8")
        try:
            result = build(source, Path(folder) / "out", ("pdf",))
        except OctavoError:
            assert _words(manuscript) == []
            return
        # Hyphenation splits words at line ends; the page's other text (title, folios) may
        # come between the body's words.
        text = re.sub(r"[-\u2010\u00ad]\r?\n", "", "\n".join(pdf_pages_text(result.outputs["pdf"])))
        # Each word in order, whole or run into its neighbour: pypdfium2 reads a word space
        # that a shrunk line narrows between two faces (bold, then italic) as none.
        printed = " ".join(_words(text))
        missing: list[str] = []
        cursor = 0
        for word in _words(manuscript):
            found = printed.find(word, cursor)
            if found < 0:
                missing.append(word)
            else:
                cursor = found + len(word)
        assert missing == []


# --------------------------------------------------------------------------- verse among prose

VERSE_EXAMPLES = 25
_LOWER = st.text(st.sampled_from("abcdefghijklmnorstuvwyz"), min_size=1, max_size=9)
_ANY_CASE = st.text(st.sampled_from("abcdefgilmnorstuwyABCDEGILMNORSTUWY"), min_size=1,
                    max_size=9)
_VERSE_LINE = st.lists(_ANY_CASE, min_size=1, max_size=7).map(" ".join)
_STANZA = st.lists(st.tuples(st.integers(0, 3), _VERSE_LINE), min_size=1, max_size=6)
# Prose in lower case, hard-wrapped: no line of it reads as a title or a heading.
_PROSE = st.lists(_LOWER, min_size=1, max_size=40).map(
    lambda ws: "\n".join(" ".join(ws[k:k + 9]) for k in range(0, len(ws), 9)))


def _text_book(blocks: list[tuple[str, object]]) -> str:
    """Stanzas set in four columns and more (two a level), prose at the margin."""
    out = []
    for kind, block in blocks:
        if kind == "verse":
            assert isinstance(block, list)
            out.append("\n".join(" " * (4 + 2 * level) + text for level, text in block))
        else:
            out.append(str(block))
    return "\n\n".join(out) + "\n"


def _markdown_book(blocks: list[tuple[str, object]]) -> str:
    """Stanzas as pandoc line blocks (spaces after the bar indent), prose as paragraphs."""
    out = []
    for kind, block in blocks:
        if kind == "verse":
            assert isinstance(block, list)
            out.append("\n".join(f"| {'  ' * level}{text}" for level, text in block))
        else:
            out.append(str(block))
    return "\n\n".join(out) + "\n"


_VERSE_BOOKS = st.lists(st.one_of(_STANZA.map(lambda s: ("verse", s)),
                                  _PROSE.map(lambda p: ("prose", p))), min_size=1, max_size=8)


def _verse_lines(epub: Path) -> list[str]:
    """The text of every verse line (a span of a verse container's paragraph) in order."""
    lines: list[str] = []
    with zipfile.ZipFile(epub) as z:
        names = sorted((n for n in z.namelist() if re.search(r"chapter-\d+\.xhtml$", n)),
                       key=lambda n: int(re.findall(r"\d+", n)[-1]))
        for name in names:
            root = etree.fromstring(z.read(name))
            for div in root.iter("{http://www.w3.org/1999/xhtml}div"):
                if "verse" in (div.get("class") or "").split():
                    lines += [" ".join("".join(s.itertext()).split())
                              for p in div.iter(XHTML_P) for s in p
                              if s.tag.endswith("span") and not s.get(
                                  "{http://www.idpf.org/2007/ops}type")]
    return lines


@settings(max_examples=VERSE_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(_VERSE_BOOKS)
def test_verse_among_prose_keeps_every_word_in_order(blocks: list[tuple[str, object]]) -> None:
    """Plain text with stanzas set in among prose: every word in order, found verse or not;
    Markdown line blocks: every word in order, and each line a verse line of its own."""
    for name, manuscript in (("ms.txt", _text_book(blocks)), ("ms.md", _markdown_book(blocks))):
        with tempfile.TemporaryDirectory() as folder:
            epub = _build_epub(manuscript, Path(folder), name)
            assert epub is not None
            _well_formed(epub)
            expected = _words(manuscript)
            # A lone line above a stanza may be read as the poem's title (warned as V002), a
            # title in capitals set in title case: the words, in order, whatever their case.
            found = _epub_body_words(epub, headings=True)
            assert [w.lower() for w in found] == [w.lower() for w in expected], name
            if name == "ms.md":
                lines = [text for kind, block in blocks if kind == "verse"
                         for _level, text in block]  # type: ignore[union-attr]
                assert _verse_lines(epub) == lines


# --------------------------------------------------------------------------- word-processor shapes

SHAPE_EXAMPLES = 12
_SHAPE_STYLES = st.sampled_from([None, None, "Verse", "Character", "Dialogue", "Parenthetical",
                                 "Stage Direction", "Date", "Salutation", "Closing",
                                 "Signature", "Postscript", "Quote"])
_SPEAKERS = st.sampled_from(["JOHN", "ANNE MARLOW", "Lady Rose."])
# Lower-case words, some lines set in by a tab, some broken by Shift+Enter.
_SHAPE_LINE = st.tuples(st.booleans(), st.lists(_LOWER, min_size=1, max_size=6)).map(
    lambda t: ("\t" if t[0] else "") + " ".join(t[1]))
_SHAPE_TEXT = st.lists(_SHAPE_LINE, min_size=0, max_size=3).map("\n".join)


def _styled_paragraph(style: str | None, text: str, name: str) -> object:
    from wordfixtures import Styled

    return Styled(style, (name if style == "Character" else text,) if text else ())


_STYLED_BOOKS = st.lists(st.builds(_styled_paragraph, _SHAPE_STYLES, _SHAPE_TEXT, _SPEAKERS),
                         min_size=1, max_size=14)


@settings(max_examples=SHAPE_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(_STYLED_BOOKS)
def test_styled_word_processor_shapes_keep_every_word_in_order(paragraphs: list[object]) -> None:
    """Word and OpenDocument files of paragraphs in verse, play and letter styles, empty ones
    and line breaks among them: whatever shapes they make, the EPUB holds every word in order."""
    from wordfixtures import Styled, shapes_docx, shapes_odt

    typed = [p for p in paragraphs if isinstance(p, Styled)]
    expected = _words(" ".join(r for p in typed for r in p.runs if isinstance(r, str)))
    assume(expected)
    for writer, suffix in ((shapes_docx, "docx"), (shapes_odt, "odt")):
        with tempfile.TemporaryDirectory() as folder:
            source = writer(Path(folder) / f"ms.{suffix}", typed)
            epub = build(source, Path(folder) / "out", ("epub",)).outputs["epub"]
            _well_formed(epub)
            assert _epub_body_words(epub) == expected, suffix
