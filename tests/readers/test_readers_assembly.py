"""Where a finished chapter goes (readers/assembly.py): the one placement both the Gutenberg
reader and ``outline`` use."""

from __future__ import annotations

from octavo.model import Chapter, Paragraph, Part, SceneBreak, SourceSpan, Text
from octavo.readers.assembly import Shelves, without_edge_breaks

SPAN = SourceSpan("b.txt", 1)


def chapter(title: str, role: str = "chapter") -> Chapter:
    return Chapter((Text(title),), None, (Paragraph((Text("words"),), SPAN),), SPAN,
                   role)  # type: ignore[arg-type]


def titles(chapters: list[Chapter] | tuple[Chapter, ...]) -> list[str]:
    return [c.title[0].text for c in chapters]  # type: ignore[union-attr]


def test_front_roles_before_the_body_go_to_the_front_and_back_roles_to_the_back() -> None:
    shelves = Shelves()
    assert not shelves.started
    for c in (chapter("Preface", "preface"), chapter("One"), chapter("Foreword", "foreword"),
              chapter("Appendix", "appendix"), chapter("Two")):
        shelves.add(c)
    assert shelves.started
    assert titles(shelves.front) == ["Preface"]
    # A front-matter role after the body has begun stays where the author put it.
    assert titles(shelves.body) == ["One", "Foreword", "Two"]  # type: ignore[arg-type]
    assert titles(shelves.back) == ["Appendix"]


def test_chapters_go_into_the_open_part_until_the_next_one_opens() -> None:
    shelves = Shelves()
    shelves.add(chapter("Prologue"))
    shelves.open_part(Part((Text("Book One"),), (), 1, SPAN))
    shelves.add(chapter("One"))
    shelves.add(chapter("Preface", "preface"))  # inside a part: not front matter
    shelves.open_part(Part((Text("Book Two"),), (), 2, SPAN))
    shelves.add(chapter("Two"))
    shelves.close_part()
    prologue, one, two = shelves.body
    assert isinstance(one, Part) and titles(one.chapters) == ["One", "Preface"]
    assert isinstance(two, Part) and titles(two.chapters) == ["Two"]
    assert shelves.part is None and isinstance(prologue, Chapter)


def test_scene_breaks_at_a_chapters_edges_are_dropped_and_inner_ones_kept() -> None:
    text = Paragraph((Text("words"),), SPAN)
    brk = SceneBreak(SPAN)
    assert without_edge_breaks([brk, brk, text, brk, text, brk]) == (text, brk, text)
    assert without_edge_breaks([brk]) == ()
