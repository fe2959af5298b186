"""Markup-like text in a manuscript or in book.toml is text in both editions: nothing but
octavo's own syntax becomes markup."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from conftest import epubcheck_messages, pdf_pages_text
from octavo.build import build

XHTML = "{http://www.w3.org/1999/xhtml}"
# No quote marks: the normalizer would (rightly) curl them.
HOSTILE = ("Tom & Jerry <b>bold</b> 1 < 2 && 3 > 2 ]]> &amp; &eacute; &#x41; "
           "<script>alert(1)</script> <!- note -> <![CDATA[x]]> <?pi x?>")
TITLE = "Tags <i>& ]]> <script>x</script>"
AUTHOR = "Ann & <Bob> &lt;"


@dataclass(frozen=True)
class Hostile:
    epub: Path
    pdf: Path


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    book = tmp_path_factory.mktemp("hostile")
    (book / "book.toml").write_text(
        f"title = {_toml_string(TITLE)}\nauthor = {_toml_string(AUTHOR)}\n"
        f"publisher = {_toml_string(HOSTILE)}\nrights = {_toml_string(HOSTILE)}\n"
        f"description = {_toml_string(HOSTILE)}\nsubjects = [{_toml_string(HOSTILE)}]\n"
        f'files = ["one.txt", "two.md"]\n\n'
        f"[front_matter]\ndedication = {_toml_string(HOSTILE)}\n", encoding="utf-8")
    (book / "one.txt").write_text(f"# One <script>\n\n{HOSTILE}\n\nAfter.\n", encoding="utf-8")
    (book / "two.md").write_text(
        "# Two <em>x</em> &\n\nMarkdown keeps raw HTML as text: <b>bold</b> <script>alert(2)"
        "</script> <img src=x onerror=alert(3)> ]]> 1 < 2 & 3.\n\n<div>block html</div>\n",
        encoding="utf-8")
    result = build(book, tmp_path_factory.mktemp("hostile-out"), ("epub", "pdf"))
    return Hostile(result.outputs["epub"], result.outputs["pdf"])


def _flat(text: str) -> str:
    return re.sub(r"[\s\u00a0\u200a\u2009\u202f]+", " ", text)


def _documents(epub: Path) -> dict[str, etree._Element]:
    with zipfile.ZipFile(epub) as z:
        return {name: etree.fromstring(z.read(name)) for name in z.namelist()
                if name.endswith((".xhtml", ".opf", ".ncx"))}


def test_every_markup_document_of_the_epub_is_well_formed_and_has_no_foreign_element(
        hostile: Hostile) -> None:
    for name, root in _documents(hostile.epub).items():
        tags = {etree.QName(e).localname for e in root.iter() if isinstance(e.tag, str)}
        foreign = {"script", "b", "em", "div", "i"} | ({"img"} if "chapter" in name else set())
        assert not tags & foreign, (name, tags)
        assert not any(isinstance(e, etree._ProcessingInstruction | etree._Comment)
                       for e in root.iter()), name


def test_manuscript_text_comes_out_as_the_characters_typed(hostile: Hostile) -> None:
    texts = {n: _flat("".join(r.itertext())) for n, r in _documents(hostile.epub).items()}
    body = " ".join(t for n, t in texts.items() if "chapter" in n)
    assert HOSTILE in body
    assert "One <script>" in body
    assert ("Markdown keeps raw HTML as text: <b>bold</b> <script>alert(2)</script> "
            "<img src=x onerror=alert(3)> ]]> 1 < 2 & 3." in body)
    assert "<div>block html</div>" in body
    assert "Two <em>x</em> &" in body


def test_metadata_comes_out_as_the_characters_typed(hostile: Hostile) -> None:
    docs = _documents(hostile.epub)
    opf = next(r for n, r in docs.items() if n.endswith(".opf"))
    dc = "{http://purl.org/dc/elements/1.1/}"
    assert opf.findtext(f".//{dc}title") == TITLE
    assert opf.findtext(f".//{dc}creator") == AUTHOR
    assert opf.findtext(f".//{dc}publisher") == HOSTILE
    assert opf.findtext(f".//{dc}rights") == HOSTILE
    assert opf.findtext(f".//{dc}description") == HOSTILE
    assert opf.findtext(f".//{dc}subject") == HOSTILE
    every = _flat(" ".join("".join(r.itertext()) for r in docs.values()))
    assert TITLE in every and AUTHOR in every
    nav = next(r for n, r in docs.items() if n.endswith("nav.xhtml"))
    assert "One <script>" in _flat("".join(nav.itertext()))


def test_the_pdf_prints_the_same_characters(hostile: Hostile) -> None:
    def solid(text: str) -> str:
        # Lines may break anywhere a browser allows; a theme may set a name in small capitals.
        return re.sub(r"[\s\u00a0\u200a\u2009\u202f\u00ad]+", "", text).casefold()

    text = solid(" ".join(pdf_pages_text(hostile.pdf)))
    for typed in (HOSTILE, TITLE, AUTHOR, "<img src=x onerror=alert(3)> ]]> 1 < 2 & 3."):
        assert solid(typed) in text


def test_the_hostile_epub_passes_epubcheck(hostile: Hostile) -> None:
    assert epubcheck_messages(hostile.epub) == []
