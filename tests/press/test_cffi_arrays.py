"""Fixed-length C arrays typed from their item (``press.cffi_arrays``): the C type cffi's parser
gives, no C parsed for a new length, and a subset font's bytes unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    from weasyprint.text.ffi import ffi

    texts: list[str] = []
    parser = ffi._parser
    original = type(parser).parse_type

    def counted(self: Any, text: str) -> Any:
        texts.append(text)
        return original(self, text)

    monkeypatch.setattr(type(parser), "parse_type", counted)
    yield texts


def test_stock_cffi_parses_every_new_length(monkeypatch: pytest.MonkeyPatch,
                                            parsed: list[str]) -> None:
    from weasyprint.text.ffi import ffi

    monkeypatch.setattr(ffi, "_parsed_types", dict(ffi._parsed_types))
    for length in range(9001, 9011):
        assert len(ffi.new(f"hb_codepoint_t[{length}]")) == length
    assert len(parsed) == 10


def test_arrays_typed_as_cffi_would(monkeypatch: pytest.MonkeyPatch,
                                    parsed: list[str]) -> None:
    from weasyprint.text.ffi import ffi

    from octavo.press.cffi_arrays import _TypesByText, type_arrays_without_parsing

    stock = dict(ffi._parsed_types)
    monkeypatch.setattr(ffi, "_parsed_types", stock)
    texts = ("hb_codepoint_t[7011]", "unsigned int[7012]", "char[7013]", "hb_tag_t[7014]")
    expected = [ffi.typeof(text) for text in texts]
    parsed.clear()
    monkeypatch.setattr(ffi, "_parsed_types", _TypesByText(ffi, {}))
    type_arrays_without_parsing()  # already one: left as it is
    assert [ffi.typeof(text) for text in texts] == expected  # the same C type objects
    for length in range(8001, 8041):
        array = ffi.new(f"hb_codepoint_t[{length}]", list(range(length)))
        assert len(array) == length and array[length - 1] == length - 1
    assert len(parsed) <= len(texts)  # each item type once, no length
    assert ffi.typeof("PangoRectangle *") is not None
    from cffi import CDefError

    with pytest.raises(CDefError):
        ffi.typeof("no_such_type[3]")


def test_a_piece_writes_the_same_fonts(monkeypatch: pytest.MonkeyPatch,
                                       parsed: list[str]) -> None:
    import weasyprint
    from weasyprint.text.ffi import ffi

    from octavo.press.cffi_arrays import _TypesByText

    html = "<p>" + " ".join(f"word{n} \u00e6\u0153 fi fl {n * 7}" for n in range(200)) + "</p>"
    document = weasyprint.HTML(string=html).render()
    # Without the arrays earlier writes typed (stock, or kept by the shim).
    unparsed = {text: kept for text, kept in ffi._parsed_types.items()
                if not str(text).startswith("hb_codepoint_t[")}
    monkeypatch.setattr(ffi, "_parsed_types", dict(unparsed))
    stock = document.write_pdf()
    assert any(text.startswith("hb_codepoint_t[") for text in parsed)
    parsed.clear()
    monkeypatch.setattr(ffi, "_parsed_types", _TypesByText(ffi, unparsed))
    assert document.write_pdf() == stock
    assert not any(text.startswith("hb_codepoint_t[") for text in parsed)


def test_laying_out_with_octavo_types_them() -> None:
    from weasyprint.text.ffi import ffi

    from octavo.press import user_agent
    from octavo.press.cffi_arrays import _TypesByText

    assert user_agent.BookHTML
    assert isinstance(ffi._parsed_types, _TypesByText)
