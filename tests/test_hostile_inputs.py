"""Broken and hostile manuscripts: each gives a book without a word lost, or one error line
naming the file (and line) and what to do; never a traceback."""

from __future__ import annotations

import codecs
import contextlib
import itertools
import os
import random
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from octavo.errors import OctavoError, read_input
from octavo.model import Emphasis, Inline, SmallCaps, Strong, Text, inline_text
from octavo.readers.characters import REMOVED, holds_removed, line_ends
from octavo.readers.inline import MAX_NESTING, _parse, parse_inlines
from octavo.readers.limits import MAX_PARAGRAPH_CHARACTERS, MAX_WORD_CHARACTERS
from octavo.readers.markdown import read_markdown
from octavo.readers.source import SourceText, decode_manuscript, read_manuscript
from octavo.readers.text import read_text

TEXT = "Chapter 1\n\nThe lamp burned on the sill.\n"


def _decode(data: bytes, name: str = "m.txt") -> SourceText:
    return decode_manuscript(data, Path(name))


# ---------------------------------------------------------------- encodings


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_known_by_its_nul_bytes(encoding: str) -> None:
    source = _decode((TEXT + "Caf\u00e9 \u201cok\u201d.\n").encode(encoding))
    assert source.text == TEXT + "Caf\u00e9 \u201cok\u201d.\n"
    assert source.diagnostics == ()


@pytest.mark.parametrize("bom, encoding", [(codecs.BOM_UTF32_LE, "utf-32-le"),
                                           (codecs.BOM_UTF32_BE, "utf-32-be")])
def test_utf32_with_a_bom(bom: bytes, encoding: str) -> None:
    assert _decode(bom + TEXT.encode(encoding)).text == TEXT


@pytest.mark.parametrize("data, message", [
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "this is a PNG image, not text"),
    (b"\xff\xd8\xff\xe0" + b"JFIF" * 10, "this is a JPEG image, not text"),
    (b"PK\x03\x04" + b"word/document.xml" * 4, "a ZIP archive (a .docx, .odt or .epub is one)"),
    (b"%PDF-1.7\n" + b"x" * 100, "this is a PDF document"),
    (b"{\\rtf1\\ansi Hello}", "this is an RTF document"),
    (b"Hello\x00world, a text with a NUL byte.", "a NUL byte: this is a binary file"),
])
def test_binary_files_are_refused_naming_what_they_are(data: bytes, message: str) -> None:
    with pytest.raises(OctavoError, match="save the manuscript as plain text") as err:
        _decode(data, "chapter.txt")
    assert message in err.value.message
    assert err.value.path == "chapter.txt"


@pytest.mark.parametrize("seed", range(8))
def test_random_bytes_are_refused(seed: int) -> None:
    rng = random.Random(seed)
    data = bytes(rng.randrange(256) for _ in range(4096))
    with pytest.raises(OctavoError, match="binary file, not text"):
        _decode(data)
    without_nul = bytes(b or 1 for b in data)
    with pytest.raises(OctavoError, match="control bytes in 4096: this is a binary file"):
        _decode(without_nul)


def test_invalid_utf8_is_read_as_cp1252_with_a_warning_naming_the_line() -> None:
    source = _decode(b"Fine line.\n\nCaf\xe9 \x93quoted\x94.\n", "old.txt")
    assert source.text == "Fine line.\n\nCaf\u00e9 \u201cquoted\u201d.\n"
    [warning] = source.diagnostics
    assert (warning.code, warning.span.line) == ("E001", 3)
    assert "old.txt is not UTF-8 (first at line 3); read as cp1252" in warning.message


def test_a_utf8_bom_before_invalid_utf8_is_an_error_naming_the_line() -> None:
    with pytest.raises(OctavoError, match="invalid UTF-8 text") as err:
        _decode(codecs.BOM_UTF8 + b"One.\nTwo \xff.\n")
    assert err.value.line == 2


def test_every_kind_of_line_end_becomes_one() -> None:
    data = "a\r\nb\rc\nd\x0be\x0cf\u2028g\u2029h\x85i".encode()
    assert _decode(data).text == "a\nb\nc\nd\ne\nf\ng\nh\ni"


@pytest.mark.parametrize("text", ["", "   \n\t\n  \n", "\ufeff"])
def test_an_empty_or_blank_manuscript_is_an_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "empty.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(OctavoError, match="the manuscript is empty"):
        read_manuscript(path)


# ---------------------------------------------------------------- characters


def test_controls_xml_cannot_hold_are_removed_with_a_warning_naming_file_and_lines() -> None:
    source = _decode("One\x01 line.\n\nTwo\x1b[0m.\n\nThree\x7f\u0090\ufffe\U0001ffff.\n"
                     .encode(), "ms.txt")
    assert source.text == "One line.\n\nTwo[0m.\n\nThree.\n"
    [warning] = source.diagnostics
    assert (warning.code, warning.severity) == ("E002", "warning")
    assert (warning.span.path, warning.span.line) == ("ms.txt", 1)
    assert "removed 6 control character(s)" in warning.message
    assert "U+0001" in warning.message and "U+1FFFF" in warning.message
    assert "on line(s) 1, 3, 5" in warning.message


def test_every_kind_of_line_end_becomes_one_line_feed() -> None:
    # Every text of up to six characters from a letter and line ends, against the one
    # pattern that takes \r\n before a lone \r.
    kinds = "a\r\n\x0b\u2028"
    for n in range(7):
        for chars in itertools.product(kinds, repeat=n):
            text = "".join(chars)
            assert line_ends(text) == re.sub("\r\n|[\r\x0b\x0c\x85\u2028\u2029]", "\n", text)


def test_the_fast_look_for_removed_characters_finds_exactly_them() -> None:
    # Every character of the Basic Multilingual Plane; of the others, each plane's ends.
    beyond = (plane * 0x10000 + k for plane in range(1, 17) for k in (0, 1, 0xFFFD, 0xFFFE, 0xFFFF))
    for code in (*range(0x10000), *beyond):
        char = chr(code)
        assert holds_removed(char) is (REMOVED.fullmatch(char) is not None), hex(code)
    for text in ("plain", "caf\u00e9 \u201cquoted\u201d", "emoji \U0001f600 only",
                 "emoji \U0001f600 and \U0010ffff", "\x7f", "\ufdd0 in the plane"):
        assert holds_removed(text) is (REMOVED.search(text) is not None), text


@pytest.mark.parametrize("text", [
    "\u05e9\u05dc\u05d5\u05dd \u2067abc\u2069 \u05e9\u05dc\u05d5\u05dd.",  # isolate in Hebrew
    "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian: ZWNJ inside a word
    "A family: \U0001f468\u200d\U0001f469\u200d\U0001f467.",  # emoji joined by ZWJ
    "\u0e20\u0e32\u0e29\u0e32\u200b\u0e44\u0e17\u0e22",  # Thai: ZWSP between words
    "Ordinary text with a \u200e mark.",
])
def test_meaningful_invisible_characters_are_kept_without_a_warning(text: str) -> None:
    source = _decode(text.encode())
    assert source.text == text
    assert source.diagnostics == ()


@pytest.mark.parametrize("text, line", [
    ("Fine.\n\naccess = \u202euser\u2066 level", 3),  # Trojan Source: bidi in Latin text
    ("\u05e9\u05dc\u05d5\u05dd \u202b\u05e9\u05dc\u05d5\u05dd and more", 1),  # left open
    ("One.\npass\u200bword", 2),  # zero-width space inside a Latin word
    ("One.\n\nTwo \ufeffthree", 3),  # a stray byte-order mark
])
def test_suspicious_invisible_characters_are_kept_and_flagged(text: str, line: int) -> None:
    source = _decode(text.encode(), "s.txt")
    assert source.text == text
    [warning] = source.diagnostics
    assert (warning.code, warning.span.line) == ("E003", line)
    assert "look accidental" in warning.message and f"line(s) {line}" in warning.message


# ---------------------------------------------------------------- inline markers


def _depth(inlines: tuple[Inline, ...]) -> int:
    return max((1 + _depth(i.children) for i in inlines
                if isinstance(i, Emphasis | Strong | SmallCaps)), default=0)


def test_ten_thousand_nested_markers_keep_their_word_and_nest_boundedly() -> None:
    text = "Start " + "*_" * 5000 + "word" + "_*" * 5000 + " end."
    inlines = parse_inlines(text)
    assert "word" in inline_text(inlines)
    assert _depth(inlines) <= MAX_NESTING
    assert inline_text(inlines).replace("*", "").replace("_", "") == "Start word end."


def test_thousands_of_spans_in_one_paragraph() -> None:
    inlines = parse_inlines(" ".join(f"*w{n}*" for n in range(5000)))
    assert sum(isinstance(i, Emphasis) for i in inlines) == 5000


@pytest.mark.parametrize("text", [
    "An *unclosed emphasis and a stray _ and **half strong.",
    "*", "**", "***", "_*_*", "* * *x", "a**b", "**a*b**c*",
])
def test_unbalanced_markers_stay_as_typed(text: str) -> None:
    assert "".join(ch for ch in inline_text(parse_inlines(text)) if ch not in "*_") == "".join(
        ch for ch in text if ch not in "*_")


_MARKUP = st.sampled_from(["*", "_", "**", "\\", " ", "a", "b", "Z", "1", ".", ",", "\u00e9",
                           "\U0001d400", "\n"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_MARKUP, max_size=60).map("".join))
def test_markers_are_the_only_characters_the_inline_parser_consumes(text: str) -> None:
    def strip(s: str) -> str:
        return "".join(ch for ch in s if ch not in "*_\\")

    inlines = parse_inlines(text)
    assert strip(inline_text(inlines)) == strip(text)
    assert all(not isinstance(i, Text) or i.text for i in inlines)


@given(st.lists(st.sampled_from(["\\", "\\\\", " ", "a", "Z", ".", "\u00e9", "\n", ""]),
                max_size=20).map("".join))
def test_text_without_markers_is_one_text_node_as_the_parser_reads_it(text: str) -> None:
    # The parser's short way for text with no * or _ gives what its scan gives.
    assert parse_inlines(text) == tuple(_parse(text, 0, len(text), 0))


@pytest.mark.parametrize("reader", [read_text, read_markdown])
def test_ten_thousand_nested_spans_with_words_keep_every_word(reader: object) -> None:
    opening = "".join("*w " if n % 2 == 0 else "_w " for n in range(10_000))
    closing = "".join(" w_" if n % 2 == 0 else " w*" for n in range(10_000))
    doc = reader(SourceText(Path("m.md"), f"Start. {opening}core{closing} end.\n"))  # type: ignore[operator]
    [paragraph] = doc.body[0].blocks
    assert _depth(paragraph.inlines) <= MAX_NESTING
    text = inline_text(paragraph.inlines)
    assert text.count("w") == 20_000 and "core" in text


def test_markdown_nested_past_the_parser_limit_is_refused_not_dropped() -> None:
    deep = SourceText(Path("deep.md"), "Intro.\n\n" + "> " * 25 + "deep words\n")
    with pytest.raises(OctavoError, match="nest more than 19 levels") as err:
        read_markdown(deep)
    assert err.value.line == 3
    kept = read_markdown(SourceText(Path("ok.md"), "> " * 19 + "deep words\n"))
    assert "deep words" in repr(kept.body)


# ---------------------------------------------------------------- sizes


def test_a_paragraph_over_the_limit_is_refused_before_any_work(tmp_path: Path) -> None:
    words = "word " * (MAX_PARAGRAPH_CHARACTERS // 5 + 1)
    for name, text in (("paste.txt", words), ("paste.md", f"# T\n\n{words}\n"),
                       ("wrapped.txt", "Intro.\n\n" + words.replace(" ", "\n", 1000))):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        with pytest.raises(OctavoError) as err:
            source = read_manuscript(path)
            (read_markdown if name.endswith(".md") else read_text)(source)  # type: ignore[operator]
        assert f"octavo sets paragraphs of up to {MAX_PARAGRAPH_CHARACTERS:,} characters" in (
            err.value.message)
        assert "split it into paragraphs with blank lines" in err.value.message
        assert err.value.path == str(path)
        assert err.value.line in (1, 3)


def test_a_book_of_long_but_allowed_paragraphs_is_read(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    paragraph = "word " * 20_000
    path.write_text(f"{paragraph}\n\n{paragraph}\n", encoding="utf-8")
    doc = read_text(read_manuscript(path))
    assert inline_text(doc.body[0].blocks[1].inlines).count("word") == 20_000  # type: ignore[union-attr]


def test_a_word_longer_than_any_line_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "w.txt"
    path.write_text("Fine.\n\nBegin " + "a" * 100_000 + " end.\n", encoding="utf-8")
    with pytest.raises(OctavoError, match=f"refuses any over {MAX_WORD_CHARACTERS:,}") as err:
        read_manuscript(path)
    assert err.value.line == 3
    path.write_text("Fine " + "a" * MAX_WORD_CHARACTERS + " end.\n", encoding="utf-8")
    assert read_manuscript(path).text


# ---------------------------------------------------------------- the command line


def _octavo(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "octavo", *args], capture_output=True,
                          text=True)


def test_a_binary_manuscript_is_one_error_line_and_debug_shows_the_traceback(
        tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"
    rng = random.Random(1)
    path.write_bytes(bytes(rng.randrange(256) for _ in range(4096)))
    plain = _octavo("build", str(path), "-o", str(tmp_path / "out"), "--format", "epub", "-q")
    assert plain.returncode == 1
    assert plain.stderr.count("\n") == 1 and "Traceback" not in plain.stderr
    assert plain.stderr.startswith(f"octavo: error: {path}:")
    debug = _octavo("build", str(path), "-o", str(tmp_path / "out"), "--format", "epub",
                    "--debug")
    assert debug.returncode == 1 and "Traceback" in debug.stderr
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------- any bytes at all

_XML_CHAR = re.compile("[^\t\n\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.binary(max_size=3000),
                 st.text(max_size=500).map(lambda t: t.encode("utf-8", "surrogatepass")),
                 st.text(max_size=500).map(lambda t: t.encode("utf-16-le", "surrogatepass"))))
def test_any_bytes_decode_to_text_a_book_can_hold_or_are_refused(data: bytes) -> None:
    try:
        source = _decode(data)
    except OctavoError as err:
        assert err.path == "m.txt"
        return
    assert not _XML_CHAR.search(source.text)
    assert "\r" not in source.text


@pytest.mark.slow
def test_ten_thousand_chapters_build(tmp_path: Path) -> None:
    """Measured: 6 to 18 s (machine load) and 92 MB for the EPUB, which EPUBCheck passes."""
    from octavo.build import build

    path = tmp_path / "many.txt"
    path.write_text("".join(f"Chapter {n}\n\nThe text of chapter {n}.\n\n"
                            for n in range(1, 10_001)), encoding="utf-8")
    epub = build(path, tmp_path / "out", ("epub",)).outputs["epub"]
    with zipfile.ZipFile(epub) as z:
        chapters = [n for n in z.namelist() if re.search(r"chapter-\d+\.xhtml$", n)]
        nav = z.read(next(n for n in z.namelist() if n.endswith("nav.xhtml"))).decode()
    assert len(chapters) == 10_000
    assert "chapter-10000.xhtml" in nav


# ---------------------------------------------------------------- files that are not files


def test_a_fifo_named_as_the_manuscript_is_one_error_line_at_once(tmp_path: Path) -> None:
    (tmp_path / "other.md").write_text(TEXT, encoding="utf-8")
    fifo = tmp_path / "novel.md"
    os.mkfifo(fifo)
    run = subprocess.run([sys.executable, "-m", "octavo", "build", str(fifo), "-o",
                          str(tmp_path / "out"), "--format", "epub", "-q"],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    assert run.stderr == (f"octavo: error: {fifo}: cannot read: it is a FIFO (named pipe), not "
                          "a file; fix: name a regular file (or a book's folder)\n")


def _release_reader_later(fifo: Path, seconds: float = 5.0) -> None:
    """Opens ``fifo`` for writing after a while, so a reader blocked on it (the code before
    the fix) gets an empty read and the test fails rather than hangs."""
    import threading

    def release() -> None:
        with contextlib.suppress(OSError):  # no reader waiting: nothing to release
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))

    timer = threading.Timer(seconds, release)
    timer.daemon = True
    timer.start()


def test_read_input_never_opens_a_fifo_or_device_as_a_file(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    _release_reader_later(fifo)
    for path, kind in ((fifo, "a FIFO (named pipe)"), (Path("/dev/zero"), "a character device"),
                       (tmp_path, "a folder")):
        with pytest.raises(OctavoError, match=r"cannot read: it is .*, not a file") as err:
            read_input(path)
        assert kind in err.value.message and err.value.path == str(path)


def test_a_fifo_in_a_book_folder_is_skipped_with_a_warning(tmp_path: Path) -> None:
    from octavo.build import load

    (tmp_path / "01.md").write_text("# One\n\nThe lamp burned.\n", encoding="utf-8")
    os.mkfifo(tmp_path / "02.md")
    loaded = load(tmp_path)
    [warning] = [d for d in loaded.diagnostics if d.code == "B002"]
    assert "02.md skipped: it is a FIFO (named pipe), not a file" in warning.message
    assert [s.name for s in loaded.settings.sources] == ["01.md"]


def test_a_book_sent_to_a_cluster_leaves_out_a_fifo_in_its_folder(tmp_path: Path) -> None:
    from octavo.catalogue import bundle_book

    (tmp_path / "01.md").write_text(TEXT, encoding="utf-8")
    os.mkfifo(tmp_path / "log.pipe")
    _release_reader_later(tmp_path / "log.pipe")
    assert sorted(bundle_book(tmp_path).files) == ["01.md"]


def test_a_folder_or_fifo_listed_in_files_is_named_for_what_it_is(tmp_path: Path) -> None:
    from octavo.config import load_settings

    (tmp_path / "01.md").write_text(TEXT, encoding="utf-8")
    (tmp_path / "chapter.md").mkdir()
    os.mkfifo(tmp_path / "pipe.md")
    for name, kind in (("chapter.md", "a folder"), ("pipe.md", "a FIFO (named pipe)")):
        (tmp_path / "book.toml").write_text(f'files = ["01.md", "{name}"]\n', encoding="utf-8")
        with pytest.raises(OctavoError, match=re.escape(f"'{name}' is {kind}, not a file")):
            load_settings(tmp_path)


# ---------------------------------------------------------------- the review manifest


@pytest.mark.parametrize("name", ["=HYPERLINK(\"http://x.example\",\"Open\")", "+1+1",
                                  "-2+3", "@SUM(A1)", "\tTabbed", "\rReturn"])
def test_a_reviewer_name_that_is_a_formula_is_text_in_the_manifest(tmp_path: Path,
                                                                    name: str) -> None:
    import csv
    import io

    from octavo.review.arc import ArcCopy, manifest_csv
    from octavo.review.reviewers import Reviewer
    from octavo.review.trace import read_manifest

    copy = ArcCopy(Reviewer(name, "=cmd|'/c calc'!A1", "Outlet"), "0" * 32, Path("a.pdf"),
                   Path("a.epub"), "1" * 64, "2" * 64)
    data = manifest_csv((copy,))
    [_header, row] = list(csv.reader(io.StringIO(data.decode(), newline="")))
    assert row[0] == "'" + name and row[1] == "'=cmd|'/c calc'!A1" and row[2] == "Outlet"
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)
    (tmp_path / "m.csv").write_bytes(data)
    [read] = read_manifest(tmp_path / "m.csv")
    assert (read.reviewer, read.email) == (name, "=cmd|'/c calc'!A1")


# ---------------------------------------------------------------- metadata


def test_a_ten_megabyte_title_in_book_toml_is_one_error_at_once(tmp_path: Path) -> None:
    import time

    from octavo.build import load

    (tmp_path / "01.md").write_text(TEXT, encoding="utf-8")
    (tmp_path / "book.toml").write_text('author = "A. Writer"\ntitle = "'
                                        + "word " * 2_000_000 + '"\n', encoding="utf-8")
    start = time.monotonic()
    with pytest.raises(OctavoError, match="the title is 9,999,999 characters long: octavo "
                                          "takes up to 1,000") as err:
        load(tmp_path)
    assert time.monotonic() - start < 20
    assert (err.value.path, err.value.line) == (str(tmp_path / "book.toml"), 2)


@pytest.mark.parametrize("toml, message", [
    ('subtitle = "{}"', "the subtitle is 1,001 characters"),
    ('author = "{}"', "the author is 1,001 characters"),
    ('authors = ["Fine", "{}"]', "the author is 1,001 characters"),
    ('description = "{}{}"', "the description is 21,001 characters"),
    ('publisher = "{}"', "the publisher is 1,001 characters"),
    ('subjects = ["{}"]', "the subject is 1,001 characters"),
    ('[isbn]\nprint = "{}"', "the isbn is 1,001 characters"),
])
def test_every_metadata_key_of_book_toml_has_a_cap(tmp_path: Path, toml: str,
                                                   message: str) -> None:
    from octavo.config import load_settings

    (tmp_path / "01.md").write_text(TEXT, encoding="utf-8")
    (tmp_path / "book.toml").write_text(toml.format("x " * 500 + "y", "z" * 20_000),
                                        encoding="utf-8")
    with pytest.raises(OctavoError, match=message):
        load_settings(tmp_path)


def _title_docx(path: Path, title: str) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph(title, style="Title")
    document.add_heading("Chapter One", 1)
    document.add_paragraph("The lamp burned on the sill.")
    document.save(str(path))
    return path


def test_a_title_from_a_manuscript_has_the_same_cap(tmp_path: Path) -> None:
    from octavo.config import load_settings
    from octavo.readers import read_book

    long_title = "word " * 100_000  # one paragraph a reader takes, far too long a title
    cases = {
        "heading.md": f"# {long_title}\n\n## One\n\nThe lamp burned.\n",
        "pg.txt": (f"Title: {long_title}\nAuthor: A. Writer\n\n*** START OF THE PROJECT "
                   "GUTENBERG EBOOK X ***\n\nCHAPTER I\n\nThe lamp burned.\n\n*** END OF THE "
                   "PROJECT GUTENBERG EBOOK X ***\n"),
    }
    paths = []
    for name, text in cases.items():
        folder = tmp_path / name.split(".")[0]
        folder.mkdir()
        (folder / name).write_text(text, encoding="utf-8")
        paths.append(folder / name)
    (tmp_path / "word").mkdir()
    paths.append(_title_docx(tmp_path / "word" / "styled.docx", long_title))
    for path in paths:
        with pytest.raises(OctavoError, match="the title is 499,999 characters long") as err:
            read_book(load_settings(path))
        assert err.value.path == str(path)
    author = tmp_path / "author" / "pg.txt"
    author.parent.mkdir()
    author.write_text(cases["pg.txt"].replace(long_title, "Short").replace(
        "A. Writer", "A " * 300 + "Writer"), encoding="utf-8")
    with pytest.raises(OctavoError, match="the author is 606 characters long"):
        read_book(load_settings(author))


# ---------------------------------------------------------------- links that would run code

HOSTILE_TARGETS = ["JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "&#106;avascript:alert(1)",
                   " javascript:alert(1)", "\x01javascript:alert(1)", "vbscript:msgbox(1)",
                   "data:text/html,<script>alert(1)</script>", "java%0ascript:alert(1)",
                   "%6Aavascript:alert(1)", "javascript://%0aalert(1)",
                   "java\u200bscript:alert(1)", "file:///etc/passwd"]


@pytest.mark.parametrize("href", HOSTILE_TARGETS)
def test_no_spelling_of_a_script_target_is_linked_in_either_edition(href: str) -> None:
    from octavo.model import Book, Chapter, Link, Metadata, Paragraph, SourceSpan
    from octavo.press.document import print_document
    from octavo.render.html import render_inlines

    link = Link(href, (Text("tap here"),))
    assert render_inlines((Text("Do "), link, Text(".")))  == "Do tap here."
    book = Book(Metadata("T"), body=(Chapter((Text("One"),), 1, (
        Paragraph((Text("Do "), link, Text(".")), SourceSpan("m.md", 1)),)),))
    printed = print_document(book)
    assert "tap here" in printed and "alert" not in printed and "passwd" not in printed


def test_only_web_mail_and_in_book_targets_are_linkable() -> None:
    from octavo.linktargets import safe_link_target
    from octavo.model import Link
    from octavo.render.html import escape, render_inlines

    for href in ("https://example.org/a?b=c:d", "HTTP://x.example", "mailto:a@example.org",
                 "#note-1", "chapter-2.xhtml"):
        assert safe_link_target(href) == href
        assert render_inlines((Link(href, (Text("x"),)),)) == f'<a href="{escape(href)}">x</a>'
    assert [safe_link_target(href) for href in HOSTILE_TARGETS] == [None] * len(HOSTILE_TARGETS)


@pytest.mark.parametrize("written", ["[tap here](<java\tscript:alert(1)>)",
                                     "[tap here](%20javascript:alert(1))",
                                     "[tap here](java%0ascript:alert(1))",
                                     "[tap here](java%09script:alert(1))"])
def test_markdown_links_that_would_run_code_keep_their_words_with_a_warning(
        written: str) -> None:
    from octavo.model import Link

    doc = read_markdown(SourceText(Path("m.md"), f"# One\n\nFine.\n\nSee {written} now.\n"))
    paragraph = doc.body[0].blocks[1]
    assert inline_text(paragraph.inlines) == "See tap here now."  # type: ignore[union-attr]
    assert not any(isinstance(i, Link) for i in paragraph.inlines)  # type: ignore[union-attr]
    [warning] = [d for d in doc.diagnostics if d.code == "L002"]
    assert "kept as plain text" in warning.message and warning.span.line == 5


def _docx_with_link(path: Path, target: str) -> Path:
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import parse_xml

    document = docx.Document()
    document.add_heading("Chapter One", 1)
    paragraph = document.add_paragraph("See ")
    rel = paragraph.part.relate_to(target, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    paragraph._p.append(parse_xml(
        f'<w:hyperlink xmlns:w="{W_NS}" xmlns:r="{R_NS}" r:id="{rel}"><w:r><w:t>tap here'
        "</w:t></w:r></w:hyperlink>"))
    document.save(str(path))
    return path


def _odt(path: Path, body: str) -> Path:
    """A minimal .odt: the mimetype and a content.xml holding ``body`` in office:text."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.2"><office:body>'
        f"<office:text>{body}</office:text></office:body></office:document-content>")
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", content)
    return path


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@pytest.mark.parametrize("target", ["JaVaScRiPt:alert(1)", "vbscript:msgbox(1)",
                                    "javascript://%0aalert(1)", "data:text/html;base64,PHA+"])
def test_word_and_opendocument_links_that_would_run_code_keep_their_words(
        tmp_path: Path, target: str) -> None:
    from xml.sax.saxutils import quoteattr

    from octavo.model import Link
    from octavo.readers.docx import read_docx
    from octavo.readers.odt import read_odt

    word = _docx_with_link(tmp_path / "w.docx", target)
    odt = _odt(tmp_path / "o.odt", '<text:h text:outline-level="1">Chapter One</text:h>'
               f'<text:p>See <text:a xlink:href={quoteattr(target)}>tap here</text:a></text:p>')
    for doc in (read_docx(word.read_bytes(), word), read_odt(odt.read_bytes(), odt)):
        [paragraph] = doc.body[0].blocks
        assert inline_text(paragraph.inlines) == "See tap here"  # type: ignore[union-attr]
        assert not any(isinstance(i, Link) for i in paragraph.inlines)  # type: ignore[union-attr]
        assert [d.code for d in doc.diagnostics] == ["L002"]


# ---------------------------------------------------------------- packages that unpack to too much


def _package_bomb(path: Path, runs: int) -> Path:
    """A word-processor file whose one text part holds ``runs`` empty runs (spans): a few
    hundred kilobytes that unpack to 6 bytes a run, under the package size cap."""
    if path.suffix == ".docx":
        import docx

        document = docx.Document()
        document.add_paragraph("Text.")
        template = path.with_suffix(".template.docx")
        document.save(str(template))
        source = zipfile.ZipFile(template)
        part, empty, close = "word/document.xml", b"<w:r/>", b"</w:p>"
        start = source.read(part).index(b"Text.</w:t></w:r>") + len(b"Text.</w:t></w:r>")
    else:
        _odt(path.with_suffix(".template.odt"), "<text:p>Text.X</text:p>")
        source = zipfile.ZipFile(path.with_suffix(".template.odt"))
        part, empty, close = "content.xml", b"<text:span/>", b""
        start = source.read(part).index(b"Text.") + len(b"Text.")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            data = source.read(info)
            if info.filename != part:
                z.writestr(info, data)
                continue
            with z.open(part, "w", force_zip64=True) as out:
                out.write(data[:start])
                block = empty * 100_000
                for _ in range(runs // 100_000):
                    out.write(block)
                out.write(close + data[start:].replace(b"X", b"", 1) if not close
                          else data[start:])
    return path


# The peak is this process's own high-water mark (VmHWM), not getrusage's ru_maxrss: Linux
# carries the parent's peak across fork and exec into the child's ru_maxrss, so under a
# pytest process that had grown to 600 MB the build seemed to use 600 MB.
_LIMITED_BUILD = """
import re, resource, sys, time
limit = 1536 * 2**20
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from octavo.cli import main
start = time.monotonic()
try:
    code = main(["build", sys.argv[1], "-o", sys.argv[2], "--format", "epub", "-q"])
finally:
    with open("/proc/self/status") as status:
        peak = re.search(r"VmHWM:\\s*(\\d+) kB", status.read())
    print(f"{time.monotonic() - start:.1f}", peak.group(1))
sys.exit(code)
"""


@pytest.mark.parametrize("suffix, runs", [(".docx", 20_000_000), (".odt", 10_000_000)])
def test_a_package_of_millions_of_empty_runs_is_refused_quickly_in_little_memory(
        tmp_path: Path, suffix: str, runs: int) -> None:
    """Measured before the cap: a build of a .docx whose document.xml holds 10 million empty
    runs (60 MB) took 61 s and 1.3 GB; 80 million (480 MB) ran out of 1.5 GB of address space
    (unlimited, it was reported to reach 8 GB). Now each is refused in about a second, in
    under 50 MB."""
    bomb = _package_bomb(tmp_path / f"bomb{suffix}", runs)  # 120 MB of XML
    assert bomb.stat().st_size < 1_000_000
    with zipfile.ZipFile(bomb) as z:
        assert sum(i.file_size for i in z.infolist()) < 512 * 2**20  # under the size cap
    run = subprocess.run([sys.executable, "-c", _LIMITED_BUILD, str(bomb),
                          str(tmp_path / "out")], capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stderr[-500:]
    [line] = run.stderr.splitlines()
    assert line.startswith(f"octavo: error: {bomb}: ")
    assert "XML elements and attributes: far more than any book's text needs" in line
    seconds, peak_kb = run.stdout.split()
    assert float(seconds) < 10 and int(peak_kb) < 300 * 1024


def test_a_part_larger_than_any_manuscript_is_refused_before_it_is_unpacked(
        tmp_path: Path) -> None:
    import docx

    from octavo.readers.archive import MAX_XML_PART_BYTES
    from octavo.readers.docx import read_docx

    path = tmp_path / "attribute.docx"
    docx.Document().save(str(path))
    source = zipfile.ZipFile(path)
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                head, tail = data.split(b"<w:body>", 1)
                with z.open(info.filename, "w", force_zip64=True) as out:
                    out.write(head + b'<w:body><w:p w:rsidR="')
                    for _ in range(MAX_XML_PART_BYTES // 2**20 + 1):
                        out.write(b"A" * 2**20)
                    out.write(b'"/>' + tail)
            else:
                z.writestr(info, data)
    with pytest.raises(OctavoError, match=r"'word/document.xml' inside this .docx file holds "
                                          r"13\d,\d{3},\d{3} bytes"):
        read_docx(bomb.read_bytes(), bomb)


# ---------------------------------------------------------------- pictures


def _png(size: tuple[int, int], mode: str = "L") -> bytes:
    import io

    from PIL import Image as Pillow

    out = io.BytesIO()
    Pillow.new(mode, size, 200).save(out, "PNG")
    return out.getvalue()


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims a size in its header and holds one row: what a hostile file sends
    to make a reader allocate width x height pixels."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00" * (width + 1))) + chunk(b"IEND", b""))


def _picture_book(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "01.md").write_text(f"# One\n\nThe lamp.\n\n![a picture]({name})\n\n# Two\n\n"
                                  "More.\n", encoding="utf-8")
    (folder / name).write_bytes(data)
    return folder


@pytest.mark.parametrize("data, size", [
    (_png_header_only(10_000, 6_000), "10000 x 6000 px, 60.0 megapixels"),
    (_png_header_only(20_000, 20_000), "400.0 megapixels"),  # past Pillow's own guard
], ids=["60-megapixels", "400-megapixels"])
def test_a_picture_over_fifty_megapixels_is_one_error_naming_it(tmp_path: Path, data: bytes,
                                                                 size: str) -> None:
    from octavo.build import load

    book = _picture_book(tmp_path / "book", "huge.png", data)
    with pytest.raises(OctavoError, match=f"image 'huge.png' is {size}: octavo takes "
                                          "pictures of up to 50 megapixels") as err:
        load(book)
    assert (err.value.path, err.value.line) == (str(book / "01.md"), 5)


def test_a_cover_past_pillows_guard_is_one_error_not_a_traceback(tmp_path: Path) -> None:
    from octavo.render.cover import load_cover

    cover = tmp_path / "cover.png"
    cover.write_bytes(_png_header_only(20_000, 20_000))
    with pytest.raises(OctavoError, match=re.escape("image 'cover.png' is 400.0 megapixels")):
        load_cover(cover)


@pytest.mark.parametrize("kind", ["PNG", "JPEG"])
def test_a_truncated_picture_is_kept_with_a_warning(tmp_path: Path, kind: str) -> None:
    import io

    from PIL import Image as Pillow

    from octavo.build import load

    out = io.BytesIO()
    Pillow.effect_noise((600, 400), 50).convert("RGB").save(out, kind)
    name = f"cut.{kind.lower()}"
    book = _picture_book(tmp_path / "book", name, out.getvalue()[: len(out.getvalue()) // 2])
    [warning] = [d for d in load(book).diagnostics if d.code == "I001"]
    assert f"image '{name}' is truncated" in warning.message
    assert (warning.span.path, warning.span.line) == (str(book / "01.md"), 5)


@pytest.mark.parametrize("kind", ["PNG", "JPEG"])
def test_a_truncated_picture_is_found_after_weasyprint_told_pillow_to_load_it_anyway(
        monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    """WeasyPrint sets ``LOAD_TRUNCATED_IMAGES`` when imported; a build in the same process
    (or a test suite) must still find the cut."""
    import io

    from PIL import Image as Pillow
    from PIL import ImageFile

    from octavo.images import raster_facts

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    out = io.BytesIO()
    Pillow.effect_noise((600, 400), 50).convert("RGB").save(out, kind)
    assert raster_facts(out.getvalue()[: len(out.getvalue()) // 2], "cut").truncated
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # left as WeasyPrint wants it


@pytest.mark.parametrize("size, scaled", [((3400, 1000), (3200, 941)),
                                          ((2500, 2500), (2000, 2000))])
def test_a_picture_larger_than_an_ebook_needs_is_scaled_down_in_the_epub(
        tmp_path: Path, size: tuple[int, int], scaled: tuple[int, int]) -> None:
    import io

    from PIL import Image as Pillow

    from octavo.build import build

    book = _picture_book(tmp_path / "book", "wide.png", _png(size, "RGB"))
    epubs = [build(book, tmp_path / f"out{n}", ("epub",)).outputs["epub"] for n in (1, 2)]
    pictures = []
    for epub in epubs:
        with zipfile.ZipFile(epub) as z:
            pictures.append(z.read(next(n for n in z.namelist() if n.endswith("wide.png"))))
    with Pillow.open(io.BytesIO(pictures[0])) as packaged:
        assert packaged.size == scaled
    assert pictures[0] == pictures[1]  # the same picture, the same bytes


HOSTILE_SVG = b"""<?xml version="1.0"?>
<?xml-stylesheet href="http://evil.example/s.css"?>
<!DOCTYPE svg SYSTEM "http://evil.example/svg.dtd">
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     width="100" height="100" onload="alert(1)">
<script>alert(2)</script>
<style>@import url(http://evil.example/x.css); rect { fill: url(http://evil.example/p#g) }
circle { fill: url(#grad) }</style>
<defs><linearGradient id="grad"><stop offset="0"/></linearGradient></defs>
<a xlink:href="javascript:alert(3)"><rect width="50" height="50" onClick="alert(4)"/></a>
<image href="http://evil.example/i.png" width="10" height="10"/>
<image href="data:image/png;base64,iVBORw0KGgo=" width="10" height="10"/>
<image href="data:image/svg+xml;base64,PHN2Zz4=" width="10" height="10"/>
<foreignObject width="10" height="10"><div xmlns="http://www.w3.org/1999/xhtml">x</div>
</foreignObject>
<set attributeName="href" to="javascript:alert(5)"/>
<use xlink:href="#r"/><rect id="r" width="5" height="5" fill="red" style="fill:url(http://x/)"/>
<circle r="4" fill="url(#grad)"/>
</svg>"""


def test_an_svg_picture_keeps_its_drawing_and_loses_what_could_run_or_fetch() -> None:
    from octavo.images import sanitise_svg

    clean, removed = sanitise_svg(HOSTILE_SVG, "pic.svg")
    text = clean.decode()
    for gone in ("alert", "script", "evil.example", "foreignObject", "onload", "onClick",
                 "<set", "svg+xml", "xml-stylesheet", "http://x/", "DOCTYPE"):
        assert gone not in text, gone
    for kept in ('xlink:href="#r"', 'fill="url(#grad)"', "fill: url(#grad)",
                 "data:image/png;base64", '<rect id="r"', "<linearGradient"):
        assert kept in text, kept
    assert "<script>" in removed and "onload handler" in removed
    assert sanitise_svg(clean, "pic.svg") == (clean, ())  # nothing left to remove


@pytest.mark.parametrize("data, message", [
    (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
     b'<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>', "declares XML entities"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><rect>', "is not a well-formed SVG file"),
])
def test_an_svg_with_entities_or_broken_xml_is_refused_naming_it(
        tmp_path: Path, data: bytes, message: str) -> None:
    from octavo.build import load

    book = _picture_book(tmp_path / "book", "e.svg", data)
    with pytest.raises(OctavoError, match=f"image 'e.svg' {message}") as err:
        load(book)
    assert (err.value.path, err.value.line) == (str(book / "01.md"), 5)


def test_a_book_with_a_hostile_svg_passes_epubcheck(tmp_path: Path) -> None:
    from conftest import epubcheck_messages
    from octavo.build import build

    book = _picture_book(tmp_path / "book", "pic.svg", HOSTILE_SVG)
    result = build(book, tmp_path / "out", ("epub",))
    assert [d.code for d in result.diagnostics if d.code.startswith("I")] == ["I002"]
    assert epubcheck_messages(result.outputs["epub"]) == []


def test_the_preview_serves_an_svg_picture_without_its_script(tmp_path: Path) -> None:
    import urllib.request

    from octavo.scaffold import scaffold_book

    book = tmp_path / "mybook"
    scaffold_book(book, "The Quiet Harbour", "Ada Writer", 2026)
    (book / "pic.svg").write_bytes(HOSTILE_SVG)
    chapter = book / "chapters" / "01-the-first-chapter.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n![A drawing](pic.svg)\n",
                       encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "octavo", "preview", str(book),
                                "--port", "0"], stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None
        address = re.search(r"http://127\.0\.0\.1:\d+", process.stderr.readline())
        assert address
        with urllib.request.urlopen(address.group(0) + "/", timeout=60) as response:
            page = response.read().decode()
        # The page shows the picture by the route the preview gives it (/images/NNN-name).
        [src] = re.findall(r'<img src="([^"]+)" alt="A drawing"', page)
        assert src.startswith("/images/") and src.endswith("pic.svg")
        with urllib.request.urlopen(address.group(0) + src, timeout=60) as response:
            served = response.read()
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert b"<rect" in served and b"alert" not in served and b"evil.example" not in served


def test_a_bomb_in_a_part_not_named_xml_is_refused_too(tmp_path: Path) -> None:
    """python-docx parses a part by the content type the package gives it: the main
    document may be called anything."""
    bomb = _package_bomb(tmp_path / "bomb.docx", 20_000_000)
    renamed = tmp_path / "renamed.docx"
    with zipfile.ZipFile(bomb) as source, zipfile.ZipFile(renamed, "w",
                                                          zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            if info.filename == "word/document.xml":
                with source.open(info) as part, z.open("word/body.dat", "w",
                                                       force_zip64=True) as out:
                    while chunk := part.read(2**20):
                        out.write(chunk)
                continue
            data = source.read(info)
            if info.filename in ("[Content_Types].xml", "_rels/.rels"):
                data = data.replace(b"/word/document.xml", b"/word/body.dat").replace(
                    b"word/document.xml", b"word/body.dat")
            if info.filename == "word/_rels/document.xml.rels":
                info.filename = "word/_rels/body.dat.rels"
            z.writestr(info, data)
    run = subprocess.run([sys.executable, "-c", _LIMITED_BUILD, str(renamed),
                          str(tmp_path / "out")], capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert "'word/body.dat' inside this .docx file holds over 4,000,000 XML elements" in (
        run.stderr)
