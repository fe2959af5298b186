"""A plain text's numbered notes built into both editions, read back: in the EPUB a popup-capable
note (``epub:type="noteref"`` on the call, an ``aside`` typed ``footnote`` holding a back
link) in the calling document, no literal marker left, the contents showing a noted title
without its reference; EPUBCheck and Ace find nothing. In print each note is a footnote on
the page that calls it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_ace import ace_violations

from conftest import Built, build_book, epubcheck_messages, pdf_pages_text
from epub_reading import NS, open_package
from gutenberg_texts import FOOTER, HEADER

EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
FILLER = ("The keeper climbed the stair each evening and trimmed the wick, and the light\n"
          "went out across the water to the ships that passed in the dark.\n\n")
BODY = (
    "CHAPTER I -- HOW THE LAMP WAS LIT\n\n"
    "The keeper Lodovico(*) lit the lamp, and his brother Louis(+) carried the\noil.\n\n"
    "     (*) Lodovico Moro, who kept the light from 1494 to 1500.\n\n"
    "     (+) Louis the younger, who kept the stores.\n\n"
    + FILLER * 3
    + "CHAPTER II(*) -- OF THE NIGHT WATCH\n\n"
    "     (*) This chapter was added in the second edition.\n\n"
    "The watch began at dusk and the tide[1] rose.\n\n"
    + FILLER * 3
    + "CHAPTER III -- OF THE STORM\n\nThe storm came from the north[2] at night.\n\n"
    + FILLER * 2
    + "NOTES\n\n[1] A spring tide, the highest of the month.\n\n"
    "[2] Out of the cold quarter, as the keepers said.\n"
)
NOTES = {
    "Lodovico": "Lodovico Moro, who kept the light from 1494 to 1500.",
    "Louis": "Louis the younger, who kept the stores.",
    "tide": "A spring tide, the highest of the month.",
    "north": "Out of the cold quarter, as the keepers said.",
}
MARKER = re.compile(r"\[\d+\]|\((?:\*+|\++|#+)\)")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("annotated")
    (folder / "book.txt").write_text(HEADER + BODY + FOOTER, encoding="utf-8")
    return build_book(folder, tmp_path_factory.mktemp("annotated-out"))


def _text(el: object) -> str:
    return " ".join("".join(el.itertext()).split())  # type: ignore[attr-defined]


def test_epub_notes_pop_up_and_link_back(built: Built) -> None:
    pkg = open_package(built.epub)
    chapters = [h for h in pkg.spine_hrefs() if "chapter-" in h]
    found: dict[str, str] = {}
    for href in chapters:
        doc = pkg.xhtml(href)
        refs = [a for a in doc.iter(f"{{{NS['x']}}}a") if a.get(EPUB_TYPE) == "noteref"]
        asides = {el.get("id"): el for el in doc.iter(f"{{{NS['x']}}}aside")}
        for ref in refs:
            assert ref.get("role") == "doc-noteref"
            target = asides.get(ref.get("href", "").removeprefix("#"))
            assert target is not None, f"{href}: {ref.get('href')} is not in the same document"
            assert target.get(EPUB_TYPE) == "footnote" and target.get("role") == "doc-footnote"
            backs = [a.get("href") for a in target.iter(f"{{{NS['x']}}}a")]
            assert f"#{ref.get('id')}" in backs
            before = (ref.getprevious().tail if ref.getprevious() is not None else None) or (
                ref.getparent().text or "")
            found[re.findall(r"\w+", before)[-1] if re.findall(r"\w+", before) else ""] = _text(
                target)
        body = doc.find(f"{{{NS['x']}}}body")
        assert not MARKER.search(_text(body)), f"{href}: a literal marker is left"
    for word, note in NOTES.items():
        assert word in found and note in found[word], (word, found)
    assert len(found) == len(NOTES) + 1  # and the chapter title's note


def test_a_noted_title_keeps_its_call_out_of_the_contents(built: Built) -> None:
    pkg = open_package(built.epub)
    doc = pkg.xhtml(next(h for h in pkg.spine_hrefs() if h.endswith("chapter-2.xhtml")))
    heading = next(doc.iter(f"{{{NS['x']}}}header"))
    refs = [a for a in heading.iter(f"{{{NS['x']}}}a") if a.get(EPUB_TYPE) == "noteref"]
    assert len(refs) == 1 and "Of the Night Watch" in _text(heading)
    nav = pkg.nav("toc")
    assert nav is not None
    entries = [_text(a) for a in nav.iter(f"{{{NS['x']}}}a")]
    assert any(e.endswith("Of the Night Watch") for e in entries), entries
    assert not any(MARKER.search(e) or e[-1:].isdigit() for e in entries), entries


def test_epubcheck_finds_nothing(built: Built) -> None:
    assert epubcheck_messages(built.epub) == []


def test_ace_finds_nothing(built: Built, tmp_path: Path) -> None:
    assert ace_violations(built.epub, tmp_path) == []


def test_print_notes_sit_on_the_page_that_calls_them(built: Built) -> None:
    assert built.pdf is not None
    pages = [" ".join(p.split()) for p in pdf_pages_text(built.pdf)]
    for word, note in NOTES.items():
        calls = [k for k, page in enumerate(pages) if re.search(rf"\b{word}\d", page)]
        assert len(calls) == 1, (word, calls)
        assert note in pages[calls[0]], (word, pages[calls[0]])
    assert not any(MARKER.search(page) for page in pages)
