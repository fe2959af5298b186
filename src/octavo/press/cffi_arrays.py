"""WeasyPrint's C arrays of a given length typed without parsing C.

cffi keeps each C type it parsed by its text, so a type named with its length
(``ffi.new(f"hb_codepoint_t[{n}]")``, as WeasyPrint subsets each font of each piece) is a new
text, parsed again (pycparser, over a source declaring every type of WeasyPrint's cdef)
whenever the length is new: 49 of the 58 types parsed in P&P's one-process build, 0.17 of
their 0.20 CPU s (the whole build: 122.83 -> 121.87 G instructions, -0.8 %). The item type is
parsed once here and the array built from it as cffi's parser would (the same model, so
cffi's own cache gives the same C type object).
"""

from __future__ import annotations

import re
from typing import Any

_FIXED_LENGTH = re.compile(r"([A-Za-z_][A-Za-z_0-9]*(?: [A-Za-z_][A-Za-z_0-9]*)*) *\[([0-9]+)\]")


class _TypesByText(dict[Any, Any]):
    """``ffi._parsed_types``: a fixed-length array of a plain item type made at its first
    look-up from the item's parsed type."""

    def __init__(self, ffi: Any, parsed: dict[Any, Any]) -> None:
        super().__init__(parsed)
        self._ffi = ffi
        self._items: dict[str, Any] = {}

    def __missing__(self, key: Any) -> Any:
        match = _FIXED_LENGTH.fullmatch(key) if isinstance(key, str) else None
        if match is None:
            raise KeyError(key)
        from cffi import model  # type: ignore[import-untyped]

        item_text, length = match.group(1), int(match.group(2))
        ffi = self._ffi
        with ffi._lock:
            item = self._items.get(item_text)
            if item is None:
                item = self._items[item_text] = ffi._parser.parse_type(item_text)
            if item.is_raw_function:
                raise KeyError(key)
            # What cffi's parser makes of "item[length]" (cparser: an ArrayDecl).
            result = self[key] = (ffi._get_cached_btype(model.ArrayType(item, length)), False)
        return result


def type_arrays_without_parsing() -> None:
    """Have WeasyPrint's cffi instance type fixed-length arrays from their items (once a
    process)."""
    from weasyprint.text.ffi import ffi

    if not isinstance(ffi._parsed_types, _TypesByText):
        ffi._parsed_types = _TypesByText(ffi, ffi._parsed_types)
