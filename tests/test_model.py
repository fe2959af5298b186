"""Traversal helpers beside the model."""

from __future__ import annotations

from dataclasses import replace

from octavo.model import (
    Book,
    Chapter,
    Metadata,
    Part,
    Text,
    all_chapters,
    inline_text,
    map_body_chapters,
    map_chapters,
)


def _chapter(title: str) -> Chapter:
    return Chapter((Text(title),), None, ())


def test_map_body_chapters_goes_through_parts_in_reading_order() -> None:
    body = (_chapter("a"), Part((Text("P"),), (_chapter("b"), _chapter("c")), 1), _chapter("d"))
    seen: list[str] = []

    def numbered(c: Chapter) -> Chapter:
        seen.append(inline_text(c.title))
        return replace(c, number=len(seen))

    out = map_body_chapters(body, numbered)
    assert seen == ["a", "b", "c", "d"]
    assert isinstance(out[1], Part) and out[1].title == (Text("P"),) and out[1].number == 1
    assert [c.number for c in all_chapters(Book(Metadata("t"), body=out))] == [1, 2, 3, 4]


def test_map_chapters_covers_front_body_and_back() -> None:
    book = Book(Metadata("t"), front_matter=(_chapter("f"),),
                body=(Part((), (_chapter("b"),)),), back_matter=(_chapter("z"),))
    out = map_chapters(book, lambda c: replace(c, label="seen"))
    assert [c.label for c in all_chapters(out)] == ["seen"] * 3
