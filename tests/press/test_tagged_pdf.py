"""The PDFs read on screens are tagged (PDF/UA-1): ``octavo build --digital`` and the review
copies. Built once per module from a small three-chapter book (a heading, paragraphs, a
footnote, a figure with its alt text, a list), read back as assistive technology reads them:
the structure tree walked in order, each element's text gathered through its marked-content
ids, across the pieces the book was laid out in; checked by the ``pdfua`` package's rules and
by ``tagging_problems`` (what ``pdfua`` does not check: every MCID reachable, unique parent
tree keys, no content outside marked content, headings present). The print interior stays
untagged."""

from __future__ import annotations

import io
import shutil
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner

from conftest import FIXTURES
from octavo.build import BuildResult, build
from octavo.cli import main
from octavo.review.arc import ArcResult, make_arcs
from tagged_reading import (
    HEADINGS,
    Tag,
    artifact_texts,
    letters,
    structure,
    tagging_problems,
)

CHAPTERS = {
    "The Lamp": [
        "Every evening Maren climbed the steps of the light and wound the clockwork that "
        "turned the lens.",
        "She kept a ledger of the weather[^wind] in a hand her grandfather called too small.",
        "![A lighthouse lamp seen from below](lamp.png)",
        "The gulls knew the sound of the door and rose from the rail before she reached it.",
    ],
    "The Storm": [
        "The storm came in from the west, first as a darkening of the water and then as a "
        "noise like a train crossing a bridge.",
        "She checked three things that night:",
        "- the wick\n- the oil\n- the shutters",
        "Towards four she heard a horn, short and then long, somewhere south of the reef.",
        # Pages enough for running heads over the chapter's pages after its first.
        *(f"At {hour} o'clock {part} the {thing} held, and she wrote it down in the ledger "
          f"with the time, the wind and the height of the sea against the rocks below the "
          f"gallery, as her grandfather had taught her to write everything down."
          for part in ("in the night", "in the day")
          for hour, thing in zip(("one", "two", "three", "four", "five", "six", "seven",
                                  "eight", "nine", "ten", "eleven", "twelve"),
                                 ("lamp", "lens", "door", "glass", "rail", "stair", "wick",
                                  "clock", "roof", "shutter", "chain", "bell"),
                                 strict=True)),
    ],
    "Morning": [
        "In the morning the sea lay flat and grey, as if it had never been anything else.",
        "In the ledger, on the line for anything that did not fit, she wrote one word.",
    ],
}
NOTE = "Wind, sea and visibility, written at six."
ALT = "A lighthouse lamp seen from below"
TITLE = "The Tagged Keeper"
# The paragraphs of the book in reading order, a list's items among them (the figure is no
# paragraph); the footnote's call reads as its number.
PARAGRAPHS = [line.removeprefix("- ") for n, ps in enumerate(CHAPTERS.values(), start=1)
              for p in (f"Chapter {n}", *ps) if not p.startswith("!")
              for line in p.replace("[^wind]", "1").split("\n")]


def _book(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURES / "images" / "dot.png", folder / "lamp.png")
    text = "\n\n".join(f"# {title}\n\n" + "\n\n".join(paragraphs)
                       for title, paragraphs in CHAPTERS.items())
    (folder / "keeper.md").write_text(text + f"\n\n[^wind]: {NOTE}\n", encoding="utf-8")
    (folder / "book.toml").write_text(
        f'title = "{TITLE}"\nauthor = "Ines Marlow"\nlanguage = "en-GB"\n'
        'files = ["keeper.md"]\n', encoding="utf-8")
    return folder


@dataclass(frozen=True)
class Builds:
    book: Path
    digital: BuildResult
    print: BuildResult

    @property
    def digital_pdf(self) -> bytes:
        return self.digital.outputs["pdf"].read_bytes()


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    book = _book(tmp_path_factory.mktemp("tagged") / "book")
    out = tmp_path_factory.mktemp("tagged-out")
    return Builds(book, build(book, out, ("pdf",), digital=True), build(book, out, ("pdf",)))


@pytest.fixture(scope="module")
def tags(builds: Builds) -> list[Tag]:
    return structure(builds.digital_pdf)


@pytest.fixture(scope="module")
def body(tags: list[Tag]) -> list[Tag]:
    """The tags from the first chapter's label on (the front matter's before it)."""
    first = next(n for n, t in enumerate(tags) if t.role == "/P" and t.text == "Chapter 1")
    return tags[first:]


@pytest.fixture(scope="module")
def arc(tmp_path_factory: pytest.TempPathFactory) -> ArcResult:
    out = tmp_path_factory.mktemp("tagged-arc")
    return make_arcs(FIXTURES / "review" / "book", out, jobs=1)


def pdfua_findings(path: Path) -> list[str]:
    from pdfua import validate

    report = validate(str(path))
    return [f"{f.rule_id} {f.severity.name}: {f.message}" for f in report.findings]


def test_digital_pdf_is_named_apart_and_not_preflighted(builds: Builds) -> None:
    assert builds.digital.outputs["pdf"].name == "the-tagged-keeper-digital.pdf"
    assert builds.print.outputs["pdf"].name == "the-tagged-keeper.pdf"
    assert builds.digital.preflight is None


def test_tags_read_the_paragraphs_in_the_books_order(body: list[Tag]) -> None:
    # One P for each paragraph, one running over a page included (WeasyPrint tags page by
    # page; octavo folds a box's parts on later pages into its first).
    paragraphs = [letters(t.text) for t in body if t.role == "/P"]
    assert paragraphs == [letters(p) for p in PARAGRAPHS]


def test_a_chapter_over_several_pages_is_one_section(builds: Builds, tags: list[Tag]) -> None:
    with pikepdf.open(io.BytesIO(builds.digital_pdf)) as pdf:
        pages = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
        spans: list[set[int]] = []
        stack = [(pdf.Root.StructTreeRoot, None)]
        while stack:
            node, section = stack.pop()
            for kid in node.get("/K", []) if isinstance(node.get("/K"), pikepdf.Array) else []:
                if not isinstance(kid, pikepdf.Dictionary) or kid.get("/Type") == "/OBJR":
                    continue
                here = section
                if kid.get("/S") == "/Sect":
                    spans.append(set())
                    here = len(spans) - 1
                if here is not None and "/Pg" in kid:
                    spans[here].add(pages[kid.Pg.objgen])
                stack.append((kid, here))
    # The long chapter's section holds its elements on three pages or more.
    assert max(len(pages_of) for pages_of in spans) >= 3
    chapters = [t for t in tags if t.role == "/Sect" and t.text.startswith("Chapter")]
    assert len(chapters) == len(CHAPTERS)


def test_headings_are_the_chapters(body: list[Tag]) -> None:
    headings = [t.text.strip() for t in body if t.role in HEADINGS]
    assert [letters(h) for h in headings] == [letters(t) for t in CHAPTERS]


def test_figure_list_and_note_are_tagged(body: list[Tag]) -> None:
    figures = [t for t in body if t.role == "/Figure"]
    assert [f.alt for f in figures] == [ALT]
    items = [letters(t.text) for t in body if t.role == "/LI"]
    assert items == ["thewick", "theoil", "theshutters"]
    assert any(t.role == "/L" for t in body)
    notes = [t for t in body if t.role == "/Note"]
    assert len(notes) == 1 and letters(NOTE) in letters(notes[0].text)


def test_running_heads_and_folios_are_artifacts_not_tags(builds: Builds, tags: list[Tag],
                                                         body: list[Tag]) -> None:
    artifacts = [letters(t) for t in artifact_texts(builds.digital_pdf)]
    # The folios and the running heads (the author's name, the title) are drawn...
    assert {"1", "3", "4", "5"} <= set(artifacts)
    assert letters(TITLE) in artifacts and "InesMarlow" in artifacts
    # ...and no element of the tree reads them: in the body the only numbers it reads are
    # the footnote's, at its call and before its text.
    leaves = [letters(t.text) for t in tags if t.role == "/Span"]
    assert leaves.count("InesMarlow") == 1  # the title page's byline
    body_leaves = [letters(t.text) for t in body if t.role == "/Span"]
    assert [text for text in body_leaves if text.isdigit()] == ["1", "1"]
    assert letters(TITLE) not in body_leaves


def test_catalogue_declares_a_tagged_pdf(builds: Builds) -> None:
    with pikepdf.open(io.BytesIO(builds.digital_pdf)) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert str(pdf.Root.Lang) == "en-GB"
        assert str(pdf.docinfo.Title) == TITLE
        with pdf.open_metadata() as meta:
            assert meta["dc:title"] == TITLE
            assert meta["pdfuaid:part"] == "1"
        labels = [item.title for item in pdf.open_outline().root]
        assert labels == list(CHAPTERS)
        # No bleed, no PDF/X: the page is the trim.
        for page in pdf.pages:
            assert [float(v) for v in page.mediabox] == [float(v) for v in page.trimbox]
        assert "/OutputIntents" not in pdf.Root
        keys = [int(p.obj.StructParents) for p in pdf.pages if "/StructParents" in p.obj]
        assert len(keys) == len(set(keys)) > 3  # pieces joined with their keys renumbered


def test_digital_pdf_passes_the_machine_checkable_rules(builds: Builds) -> None:
    assert tagging_problems(builds.digital_pdf) == []
    assert pdfua_findings(builds.digital.outputs["pdf"]) == []


def test_print_interior_stays_untagged(builds: Builds) -> None:
    assert builds.print.outputs["pdf"] is not None
    with pikepdf.open(builds.print.outputs["pdf"]) as pdf:
        assert "/StructTreeRoot" not in pdf.Root
        assert "/MarkInfo" not in pdf.Root
    assert tagging_problems(builds.print.outputs["pdf"].read_bytes()) == [
        "MarkInfo /Marked is not true", "no StructTreeRoot"]


def test_review_copies_are_tagged(arc: ArcResult) -> None:
    copies = [arc.pdf, *(c.pdf for c in arc.copies)]
    assert len(copies) == 4
    for path in copies:
        data = path.read_bytes()
        assert tagging_problems(data) == [], path.name
        assert pdfua_findings(path) == [], path.name
        texts = [letters(t.text) for t in structure(data) if t.role == "/P"]
        # The book's paragraphs across its three chapters, in order, the edition's marks not.
        assert any(text.startswith("Everyeveningataquarterpastsix") for text in texts)
        assert texts.index(next(t for t in texts if t.startswith("Inthemorning"))) > \
            texts.index(next(t for t in texts if t.startswith("Thestormcame")))
        assert not any("UncorrectedProof" in t or "Preparedfor" in t for t in texts)
        marks = [letters(t) for t in artifact_texts(data)]
        assert any("UncorrectedProof" in m for m in marks)


def test_cli_digital_flag(tmp_path: Path, builds: Builds) -> None:
    result = CliRunner().invoke(main, ["build", str(builds.book), "-o", str(tmp_path / "out"),
                                       "--format", "pdf", "--digital", "-q"])
    assert result.exit_code == 0, result.output
    written = tmp_path / "out" / "the-tagged-keeper-digital.pdf"
    assert written.read_bytes() == builds.digital_pdf  # deterministic, and the same build


def test_digital_with_a_catalogue_is_one_line_error(builds: Builds, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(builds.book),
                                       str(FIXTURES / "tale" / "markdown"), "-o",
                                       str(tmp_path / "out"), "--digital", "-q"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1].startswith(
        "octavo: error: --digital builds one book at a time")
    assert not (tmp_path / "out").exists()


def test_links_are_described_by_their_words(builds: Builds) -> None:
    with pikepdf.open(io.BytesIO(builds.digital_pdf)) as pdf:
        described = [str(a.Contents) for page in pdf.pages
                     for a in page.obj.get("/Annots", []) if "/Contents" in a]
    # The contents' entries: each chapter's number, title and page, no leader dots.
    for number, title in enumerate(CHAPTERS, start=1):
        assert any(d.startswith(f"{number} {title} ") for d in described), described
    assert not any("..." in d for d in described)
