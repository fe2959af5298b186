"""What the computed styles of one kind of paragraph say about setting it: the ``Context`` a
probe reads from WeasyPrint's boxes (``probes``) and line setting uses (``lines``)."""

from __future__ import annotations

from dataclasses import dataclass

from .shaping import FontFace


@dataclass(frozen=True, slots=True)
class Context:
    """What the computed styles of one kind of paragraph say about setting it."""

    measure: float
    indent: float
    faces: dict[int, FontFace]  # inline path id -> face, for lines after the first
    first_line_faces: dict[int, FontFace]
    hyphenate: bool
    limit_chars: tuple[int, int, int]
    hyphen: str
    lang: str
    # Widths of the first lines beside a float (a drop capital), and the inline paths that
    # float (their characters take no room in the line).
    line_widths: tuple[float, ...] = ()
    float_paths: frozenset[int] = frozenset()
