"""A leader's dots drawn from one shaping.

WeasyPrint lays a leader (the contents page's ``leader(".")`` between a title and its folio)
out as one text box per dot, each a copy of the first, sharing its Pango layout. It then draws
each as any text box: the layout made again, the dot shaped again, its glyphs read one by one.
On a novel's contents pages that is thousands of boxes (6,769 for Pride and Prejudice), most of
the front matter's PDF writing, which comes after every chapter, when one core waits for it.

A copy of the text box drawn just before it (the same layout, style and text) draws the same
glyphs with the text matrix at its own place. Its drawing is the recorded drawing of the first
copy, with that one operator changed: the same calls on the PDF stream, in the same order, so
the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

# The stream's operators ``draw_first_line`` writes a text box's glyphs with.
_RECORDED = ("set_text_matrix", "set_font_size", "show_text")


class _Recorder:
    """The PDF stream as ``draw_first_line`` sees it, its glyph operators written down."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.calls: list[tuple[str, tuple[Any, ...]]] = []

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._stream, name)
        if name not in _RECORDED:
            return method

        def recorded(*args: Any) -> Any:
            self.calls.append((name, args))
            return method(*args)

        return recorded


class _Copies:
    """What the last text box drawn was, and how its copies are drawn."""

    def __init__(self) -> None:
        self.previous: Any = None
        self.calls: list[tuple[str, tuple[Any, ...]]] | None = None  # the previous copy's


def _plain(textbox: Any, text_overflow: str, block_ellipsis: str) -> bool:
    """Whether drawing the box writes its glyphs alone: no ellipsis, no decoration line
    (drawn at the box's own place), visible."""
    style = textbox.style
    decoration = style["text_decoration_line"]
    return (text_overflow != "ellipsis" and block_ellipsis == "none"
            and style["visibility"] == "visible"
            and (decoration == "none" or not decoration))


def _drawing(stock: Callable[..., Any], text_module: Any) -> Callable[..., Any]:
    copies = _Copies()

    def draw_text(stream: Any, textbox: Any, offset_x: float, text_overflow: str,
                  block_ellipsis: str = "none") -> Any:
        previous, copies.previous = copies.previous, textbox
        copy = (previous is not None and textbox.pango_layout is previous.pango_layout
                and textbox.style is previous.style and textbox.text == previous.text
                and _plain(textbox, text_overflow, block_ellipsis))
        if not copy:
            copies.calls = None
            return stock(stream, textbox, offset_x, text_overflow, block_ellipsis)
        if copies.calls is None:
            # The first copy drawn as any box, its glyph operators written down.
            return _recorded(stock, text_module, copies, stream, textbox, offset_x,
                             text_overflow, block_ellipsis)
        from weasyprint.matrix import Matrix

        x, y = textbox.position_x, textbox.position_y + textbox.baseline
        stream.set_color(textbox.style["color"])
        stream.begin_text()
        for name, args in copies.calls:
            if name == "set_text_matrix":
                args = Matrix(d=-1, e=x, f=y).values
            getattr(stream, name)(*args)
        stream.end_text()
        return None

    return draw_text


def _recorded(stock: Callable[..., Any], text_module: Any, copies: _Copies, stream: Any,
              textbox: Any, offset_x: float, text_overflow: str, block_ellipsis: str) -> Any:
    first_line = text_module.draw_first_line
    recorder = _Recorder(stream)
    emojis: list[Any] = []

    def draw_first_line(_stream: Any, *args: Any) -> Any:
        emojis.extend(first_line(recorder, *args))
        return emojis

    text_module.draw_first_line = draw_first_line
    try:
        drawn = stock(stream, textbox, offset_x, text_overflow, block_ellipsis)
    finally:
        text_module.draw_first_line = first_line
    matrices = sum(1 for name, _ in recorder.calls if name == "set_text_matrix")
    # A glyph drawn as an image (an emoji) is placed apart from the text: not replayed.
    copies.calls = recorder.calls if not emojis and matrices == 1 else None
    if copies.calls is None:
        copies.previous = None
    return drawn


@contextmanager
def leaders_drawn_once() -> Iterator[None]:
    """While a document is written: each copy of a text box (a leader's dots) drawn from the
    first copy's glyphs."""
    import weasyprint.draw as draw
    import weasyprint.draw.text as text

    stock = draw.draw_text
    draw.draw_text = _drawing(stock, text)
    try:
        yield
    finally:
        draw.draw_text = stock
