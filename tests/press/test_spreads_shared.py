"""Chapters whose openings are of one shape planned from the one opening laid out alone: the
same pages as each chapter planned from its own, with fewer WeasyPrint layouts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from test_spreads import SENTENCES, novel_book

from octavo.model import Book, Paragraph, Text
from octavo.press import spreads
from octavo.press.document import PdfOptions
from octavo.press.pieces import LayoutCount, render_pdf_in_pieces
from octavo.press.settings import PrintSettings
from octavo.themes import load_theme


def same_openings(chapters: int) -> Book:
    """Chapters that open alike: a heading as long, and a paragraph of several lines."""
    book = novel_book(chapters)
    opening = Paragraph((Text(" ".join(SENTENCES)),))
    return replace(book, body=tuple(replace(chapter, blocks=(opening, *chapter.blocks[1:]))
                                    for chapter in book.body))


def laid_out(monkeypatch: pytest.MonkeyPatch, theme: str,
             remembered: Callable[..., None] | None = None) -> tuple[bytes, int, int]:
    """The book of four chapters (their headings as long) laid out in this process with
    nothing remembered: its PDF, the openings laid out alone, and the chapters' layouts."""
    monkeypatch.setattr(spreads, "_SHARED", {}, raising=False)
    if remembered is not None:
        monkeypatch.setattr(spreads, "_remember", remembered)
    read = spreads.read_pages
    openings: list[int] = []

    def counted(document: Any) -> spreads.Pages:
        openings.append(1)
        return read(document)

    monkeypatch.setattr(spreads, "read_pages", counted)
    count = LayoutCount()
    options = PdfOptions(theme=load_theme(theme),
                         press=replace(PrintSettings(), level_spreads=True))
    data = render_pdf_in_pieces(same_openings(4), options, None, count, workers=1).data
    monkeypatch.undo()
    return data, len(openings), count.pages_layouts


@pytest.mark.parametrize("theme", ["classic", "modern"])
def test_chapters_of_one_shape_lay_one_opening_out_and_the_same_pages(
        theme: str, monkeypatch: pytest.MonkeyPatch) -> None:
    data, openings, layouts = laid_out(monkeypatch, theme)
    with monkeypatch.context() as alone:
        from octavo.press import chapters

        alone.setattr(chapters, "shared_plan", lambda *_args: None, raising=False)
        own_data, own_openings, own_layouts = laid_out(alone, theme)
    assert own_openings == 4  # each chapter's opening laid out alone: the book tests sharing
    assert openings == 1
    assert layouts == own_layouts
    assert data == own_data


def test_an_opening_remembered_wrong_is_found_out_and_the_pages_are_the_same(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The chapters' layouts show their openings otherwise than remembered (a line less on
    the opening page): each is planned from its own opening, as it would have been."""
    remember = spreads._remember

    def wrong(laid_out_by: Any, prebroken: Any, body: list[int],
              opening: spreads.Opening) -> None:
        remember(laid_out_by, prebroken, body,
                 replace(opening, opener_cap=opening.opener_cap - 1))

    data, openings, layouts = laid_out(monkeypatch, "classic", wrong)
    with monkeypatch.context() as alone:
        from octavo.press import chapters

        alone.setattr(chapters, "shared_plan", lambda *_args: None, raising=False)
        own_data, own_openings, own_layouts = laid_out(alone, "classic")
    assert openings == own_openings == 4
    assert layouts == own_layouts + 3  # the layouts planned from the wrong opening, dropped
    assert data == own_data
