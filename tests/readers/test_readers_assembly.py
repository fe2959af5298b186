"""Where a finished chapter goes, and how a chapter is built as a reader reads
(readers/assembly.py): the one placement and the one chapter builder the Gutenberg reader,
``outline`` and the plain-text reader use."""

from __future__ import annotations

from dataclasses import replace

from octavo.model import Chapter, Paragraph, Part, SceneBreak, SourceSpan, Text
from octavo.readers.assembly import Chapters, Shelves, without_edge_breaks

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


def text_at(line: int, words: str = "words") -> Paragraph:
    return Paragraph((Text(words),), SourceSpan("b.txt", line))


def part(title: str) -> Part:
    return Part((Text(title),), (), None, SPAN)


def test_the_builder_sends_front_matter_before_the_body_to_the_front() -> None:
    chapters = Chapters()
    chapters.open((Text("Preface"),), SPAN, role="preface")
    chapters.add(text_at(2))
    chapters.open((Text("One"),), SPAN)
    chapters.add(text_at(4))
    chapters.open((Text("Foreword"),), SPAN, role="foreword")
    chapters.add(text_at(6))
    shelves = chapters.finish()
    assert titles(shelves.front) == ["Preface"]
    assert titles(shelves.body) == ["One", "Foreword"]  # type: ignore[arg-type]
    assert shelves.back == []


def test_the_builder_puts_chapters_into_the_open_part_and_an_appendix_at_the_back() -> None:
    chapters = Chapters()
    chapters.open_part(part("Book One"))
    chapters.open((Text("One"),), SPAN)
    chapters.add(text_at(2))
    chapters.open((Text("Appendix"),), SPAN, role="appendix")
    chapters.add(text_at(4))
    chapters.open_part(part("Book Two"))
    chapters.open((Text("Two"),), SPAN)
    chapters.add(text_at(6))
    shelves = chapters.finish()
    one, two = shelves.body
    assert isinstance(one, Part) and titles(one.chapters) == ["One"]
    assert isinstance(two, Part) and titles(two.chapters) == ["Two"]
    assert titles(shelves.back) == ["Appendix"]
    assert shelves.part is None and not chapters.is_open


def test_text_after_a_closed_part_stands_outside_it() -> None:
    chapters = Chapters()
    chapters.open_part(part("Book One"))
    chapters.open((Text("One"),), SPAN)
    chapters.add(text_at(2))
    chapters.close_part()
    chapters.add(text_at(9, "after"))
    book_one, after = chapters.finish().body
    assert isinstance(book_one, Part) and titles(book_one.chapters) == ["One"]
    assert isinstance(after, Chapter) and after.title == () and after.blocks == (text_at(9, "after"),)


def test_the_builder_drops_the_scene_breaks_at_a_chapters_edges() -> None:
    brk = SceneBreak(SPAN)
    chapters = Chapters()
    chapters.open((Text("One"),), SPAN)
    chapters.add(brk, text_at(2), brk, text_at(4), brk, brk)
    assert chapters.last_block == brk
    (one,) = chapters.finish().body
    assert isinstance(one, Chapter) and one.blocks == (text_at(2), brk, text_at(4))


def test_an_empty_untitled_chapter_is_not_placed_but_an_empty_heading_is() -> None:
    chapters = Chapters()
    chapters.add(SceneBreak(SPAN))  # text before any heading: only a separator
    chapters.close()
    assert not chapters.shelves.started  # nothing placed
    chapters.open((Text("Empty"),), SPAN)  # a heading the author wrote, nothing under it
    chapters.open((Text("One"),), SPAN, number=1, kept_empty=False)  # asked not to stand empty
    chapters.add(SceneBreak(SPAN))
    shelves = chapters.finish()
    assert titles(shelves.body) == ["Empty"]  # type: ignore[arg-type]
    (empty,) = shelves.body
    assert isinstance(empty, Chapter) and empty.blocks == ()


def test_an_untitled_chapter_starts_at_its_first_kept_block() -> None:
    chapters = Chapters()
    chapters.add(SceneBreak(SourceSpan("b.txt", 1)), text_at(3), text_at(5))
    (opening,) = chapters.finish().body
    assert isinstance(opening, Chapter) and opening.span == SourceSpan("b.txt", 3)
    assert opening.title == () and opening.role == "chapter"


def test_the_readers_step_is_applied_to_each_chapter_placed_and_only_those() -> None:
    placed: list[str] = []

    def numbered(chapter: Chapter) -> Chapter:
        placed.append(chapter.title[0].text if chapter.title else "")  # type: ignore[union-attr]
        return replace(chapter, number=len(placed))

    chapters = Chapters(placing=numbered)
    chapters.add(SceneBreak(SPAN))  # dropped: not placed, not numbered
    chapters.open((Text("One"),), SPAN)
    chapters.add(text_at(2))
    chapters.open((Text("Two"),), SPAN)
    chapters.add(text_at(4))
    shelves = chapters.finish()
    assert placed == ["One", "Two"]
    assert [c.number for c in shelves.body] == [1, 2]  # type: ignore[union-attr]
