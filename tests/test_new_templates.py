"""``octavo new --template``: each sample book builds as it stands, without a warning, and its
Markdown shows the shape it is named for, marked in the EPUB as that shape is marked."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from lxml import etree

from conftest import build_book, epubcheck_messages
from epub_reading import EPUB_TYPE, open_package
from octavo.scaffold import SHAPES, scaffold_book


def _typed(path: Path) -> dict[str, list[etree._Element]]:
    """Every element of the EPUB's spine documents by each epub:type it carries."""
    pkg = open_package(path)
    found: dict[str, list[etree._Element]] = {}
    for href in pkg.spine_hrefs():
        for element in pkg.xhtml(href).iter():
            if isinstance(element.tag, str):
                for kind in (element.get(EPUB_TYPE) or "").split():
                    found.setdefault(kind, []).append(element)
    return found


def _text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


@pytest.fixture(scope="module", params=SHAPES)
def sample(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
           ) -> tuple[str, Path, dict[str, list[etree._Element]]]:
    shape = str(request.param)
    folder = tmp_path_factory.mktemp(shape) / "book"
    scaffold_book(folder, "Sample", "A. Writer", 2026, shape=shape)
    built = build_book(folder, tmp_path_factory.mktemp(f"{shape}-out"), ("epub",))
    return shape, built.epub, _typed(built.epub)


def test_every_template_lists_its_chapters_and_builds_without_a_warning(tmp_path: Path) -> None:
    for shape in SHAPES:
        folder = tmp_path / shape
        created = subprocess.run([sys.executable, "-m", "octavo", "new", str(folder),
                                  "--template", shape], capture_output=True, text=True,
                                 timeout=300)
        assert created.returncode == 0, created.stderr
        files = tomllib.loads((folder / "book.toml").read_text(encoding="utf-8"))["files"]
        assert files[0] == "front/preface.md" and len(files) >= 3
        assert sorted(files[1:]) == sorted(p.relative_to(folder).as_posix()
                                           for p in (folder / "chapters").iterdir())
        built = subprocess.run([sys.executable, "-m", "octavo", "build", str(folder), "-o",
                                str(tmp_path / f"{shape}-out"), "--format", "epub"],
                               capture_output=True, text=True, timeout=300)
        assert built.returncode == 0, built.stderr
        assert "warning" not in built.stderr, (shape, built.stderr)


def test_an_unknown_template_is_refused(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "octavo", "new", str(tmp_path / "b"),
                             "--template", "sonnet"], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode != 0 and not (tmp_path / "b").exists()
    assert "sonnet" in result.stderr


def test_each_sample_book_is_marked_as_its_shape(
        sample: tuple[str, Path, dict[str, list[etree._Element]]]) -> None:
    shape, epub, typed = sample
    shapes = {"z3998:poem", "z3998:verse", "z3998:persona", "z3998:stage-direction",
              "z3998:letter"}
    present = shapes & set(typed)
    if shape == "novel":
        # The second chapter's two lines ending in a backslash are verse among prose.
        assert present == {"z3998:verse"}
    elif shape == "verse":
        assert present == {"z3998:poem", "z3998:verse"}
        [poem] = typed["z3998:poem"]
        lines = [_text(s) for s in poem.iter("{http://www.w3.org/1999/xhtml}span")]
        assert lines[:2] == ["The tide comes in across the sand,",
                             "and fills the rills the children made;"]
        assert len(lines) == 8 and len(poem.findall("{http://www.w3.org/1999/xhtml}p")) == 2
        indented = [s.get("class") for s in poem.iter("{http://www.w3.org/1999/xhtml}span")]
        assert indented[:2] == [None, "i1"]
        # The line block keeps its indent and its two stanzas.
        block = typed["z3998:verse"][0]
        assert len(block.findall("{http://www.w3.org/1999/xhtml}p")) == 2
        assert any(s.get("class") == "i1" for s in
                   block.iter("{http://www.w3.org/1999/xhtml}span"))
    elif shape == "play":
        assert present == {"z3998:persona", "z3998:stage-direction"}
        assert [_text(e) for e in typed["z3998:persona"]] == [
            "JOHN", "ANNE", "JOHN", "ANNE", "PETER", "JOHN", "ANNE", "PETER", "JOHN"]
        directions = [_text(e) for e in typed["z3998:stage-direction"]]
        assert "[PETER runs in, out of breath.]" in directions
        assert "(without looking up)" in directions and "[He sits.]" in directions
        assert [_text(e) for e in typed["z3998:dramatis-personae"][0].iter(
            "{http://www.w3.org/1999/xhtml}li")] == [
            "John Marlow, keeper of the light", "Anne Marlow, his wife",
            "Peter, a boy from the village"]
        assert len(typed["z3998:drama"]) == 2
    else:
        assert present == {"z3998:letter"}
        assert len(typed["z3998:letter"]) == 2
        assert [_text(e) for e in typed["z3998:salutation"]] == ["Dear Kate,", "My dear Lucy,"]
        assert [_text(e) for e in typed["z3998:valediction"]] == ["Yours ever,", "With love,"]
        assert [_text(e) for e in typed["z3998:signature"]] == ["Lucy", "Kate"]
        assert [_text(e) for e in typed["z3998:postscript"]] == [
            "P.S. A postscript opens with P.S. and runs to the end of the letter."]
    assert epubcheck_messages(epub) == []
