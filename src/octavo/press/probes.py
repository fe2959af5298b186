"""The probe: a small document holding one paragraph of each CSS context, laid out with the
book's stylesheets, whose boxes say how each kind of paragraph is set (its ``Context``: measure,
indent, faces, hyphenation, floats); and what a probe read, as bytes the chapter cache can keep.
JSON, never pickle: a cache in a book's folder may come from anyone."""

from __future__ import annotations

import base64
import hashlib
import html as html_lib
import json
from collections.abc import Iterator
from typing import Any

from .paragraph_context import Context
from .scan import PROBE_ATTR, VOID_TAGS, Scan, tag_name, with_attribute
from .shaping import FontFace, face_for_style


def _probe_word(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return "Q" + letters


FLOAT_PROBE_LINES = 8


def probe_document(scan: Scan, signatures: list[tuple[str, ...]],
                   paths_of: dict[tuple[str, ...], set[int]],
                   floats: dict[int, frozenset[int]] | None = None,
                   float_texts: dict[int, str] | None = None) -> str:
    """One paragraph per signature, in its ancestors after its previous sibling, holding a word
    in each inline path it uses, on two lines (the first may have ``::first-line`` styles)."""
    parts = [f"<!DOCTYPE html>\n{scan.html_tag}<head><meta charset=\"utf-8\"/></head><body>"]
    for n, signature in enumerate(signatures):
        *ancestors, sibling, p_tag = signature
        ancestors = [a for a in ancestors if tag_name(a) not in ("html", "body")]
        words = []
        for pid in sorted(paths_of[signature] | {0}):
            path = scan.paths[pid]
            closes = "".join(f"</{tag_name(t)}>" for t in reversed(path))
            word = _probe_word(pid)
            if floats and n in floats and pid in floats[n] and (float_texts or {}).get(n):
                # A float is as wide as its own letters: a drop capital W is wider than an I.
                word = html_lib.escape((float_texts or {})[n])
            words.append("".join(path) + word + closes)
        line = " ".join(words)
        parts.extend(ancestors)
        if sibling:
            name = tag_name(sibling)
            parts.append(sibling if name in VOID_TAGS or sibling.endswith("/>")
                         else f"{sibling}</{name}>")
        body = f"{line}<br/>{line}"
        if floats and n in floats:
            # The floating paths once, at the start, then lines of the others: how far the
            # float reaches down and how much room it leaves each line.
            rest = " ".join(w for pid, w in zip(sorted(paths_of[signature] | {0}), words,
                                               strict=True) if pid not in floats[n])
            body = "<br/>".join([line, *([rest] * (FLOAT_PROBE_LINES - 1))])
        parts.append(f"{with_attribute(p_tag, PROBE_ATTR, n)}{body}</p>")
        parts.extend(f"</{tag_name(a)}>" for a in reversed(ancestors))
    parts.append("</body></html>")
    return "\n".join(parts)


def _walk(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", None) or ():
        yield from _walk(child)


def read_contexts(document: Any, count: int, floats: dict[int, frozenset[int]] | None = None,
                  ) -> dict[int, Context | None]:
    """The context of each probe paragraph in a laid-out probe document (None: leave such
    paragraphs to WeasyPrint). ``floats``: the probe was laid out again for these, to measure
    the lines beside their floating paths."""
    from weasyprint.formatting_structure import boxes

    found: dict[int, list[Any]] = {}
    for page in document.pages:
        for box in _walk(page._page_box):
            element = getattr(box, "element", None)
            if (isinstance(box, boxes.BlockBox) and element is not None
                    and element.get(PROBE_ATTR) is not None
                    and getattr(box, "element_tag", "") == "p"):
                found.setdefault(int(element.get(PROBE_ATTR)), []).append(box)
    contexts: dict[int, Context | None] = {}
    for n in range(count):
        contexts[n] = _context(found.get(n, []), (floats or {}).get(n))
    return contexts


def floating_paths(document: Any, count: int) -> dict[int, frozenset[int]]:
    """The inline paths that float (drop capitals) in each probe paragraph."""
    from weasyprint.formatting_structure import boxes

    out: dict[int, set[int]] = {}
    for page in document.pages:
        for box in _walk(page._page_box):
            element = getattr(box, "element", None)
            if not (isinstance(box, boxes.BlockBox) and element is not None
                    and element.get(PROBE_ATTR) is not None):
                continue
            n = int(element.get(PROBE_ATTR))
            for inner in _walk(box):
                if inner is not box and inner.is_floated():
                    out.setdefault(n, set()).update(
                        _probe_pid(b.text) for b in _walk(inner)
                        if isinstance(b, boxes.TextBox) and b.text.strip().startswith("Q"))
    return {n: frozenset(p) for n, p in out.items() if n < count}


def _probe_pid(text: str) -> int:
    pid = 0
    for ch in text.strip()[1:]:
        pid = pid * 26 + (ord(ch) - ord("a") + 1)
    return pid - 1


def _context(fragments: list[Any], floats: frozenset[int] | None = None) -> Context | None:
    from weasyprint.formatting_structure import boxes

    if not fragments:
        return None
    block = fragments[0]
    style = block.style
    if (style["text_align_all"] != "justify" or style["white_space"] != "normal"
            or style["direction"] != "ltr"):
        return None
    lines = [child for frag in fragments for child in frag.children
             if isinstance(child, boxes.LineBox)]
    if len(fragments) > 1 or any("first-letter" in str(getattr(b, "element_tag", ""))
                                 for b in _walk(block)):
        return None
    floating = [b for b in _walk(block) if b is not block and b.is_floated()]
    line_widths: tuple[float, ...] = ()
    if floating:
        if (floats is None or len(lines) != FLOAT_PROBE_LINES
                or any(b.style["float"] != "left" for b in floating)):
            return None
        left = block.content_box_x()
        offsets = [line.position_x - left for line in lines]
        # The float stands at the top of the first line, which WeasyPrint lays out again
        # beside it; in the probe that line is short enough not to need it.
        offsets[0] = max(offsets[0], offsets[1])
        beside = [i for i, offset in enumerate(offsets) if offset > 0.01]
        if not beside or beside[-1] >= FLOAT_PROBE_LINES - 2:
            return None  # a float taller than the probe: not measured
        line_widths = tuple(float(block.width) - offsets[i] for i in range(beside[-1] + 1))
    elif len(lines) != 2:
        return None
    faces: list[dict[int, FontFace]] = [{}, {}]
    for index, line in enumerate(lines[:2]):
        for box in _walk(line):
            if isinstance(box, boxes.TextBox) and box.text.strip().startswith("Q"):
                face = face_for_style(box.style)
                if face is not None:  # else paragraphs in this inline style are not set here
                    faces[index][_probe_pid(box.text)] = face
    for pid in floats or ():
        # A floating path takes no room in its line: any face will do to stand for it.
        for index in (0, 1):
            if faces[index]:
                faces[index].setdefault(pid, next(iter(faces[index].values())))
    limits = style["hyphenate_limit_chars"]
    return Context(
        measure=float(block.width),
        indent=float(lines[0].text_indent),
        faces=faces[1],
        first_line_faces=faces[0],
        hyphenate=style["hyphens"] == "auto",
        limit_chars=tuple(int(v) if isinstance(v, int | float) else 5 for v in limits),  # type: ignore[arg-type]
        hyphen=str(style["hyphenate_character"]),
        lang=str(style["lang"] or ""),
        line_widths=line_widths,
        float_paths=floats or frozenset(),
    )


# --------------------------------------------------------------------------- as bytes


def floats_to_bytes(floats: dict[int, frozenset[int]]) -> bytes:
    return json.dumps({str(n): sorted(pids) for n, pids in floats.items()}).encode()


def floats_from_bytes(data: bytes) -> dict[int, frozenset[int]]:
    return {int(n): frozenset(int(p) for p in pids) for n, pids in json.loads(data).items()}


def _face(face: FontFace, fonts: dict[str, str]) -> dict[str, Any]:
    if face.digest not in fonts:  # encoded once, not for each paragraph kind it sets
        fonts[face.digest] = base64.b64encode(face.data).decode()
    return {"digest": face.digest, "size": face.size, "features": list(face.features),
            "letter_spacing": face.letter_spacing, "word_spacing": face.word_spacing,
            "ligatures": face.ligatures}


def _unface(entry: dict[str, Any], fonts: dict[str, bytes]) -> FontFace:
    return FontFace(fonts[entry["digest"]], entry["digest"], float(entry["size"]),
                    tuple((str(k), int(v)) for k, v in entry["features"]),
                    float(entry["letter_spacing"]), float(entry["word_spacing"]),
                    bool(entry["ligatures"]))


def contexts_to_bytes(contexts: dict[int, Context | None]) -> bytes:
    fonts: dict[str, str] = {}
    out: dict[str, Any] = {}
    for n, ctx in contexts.items():
        out[str(n)] = None if ctx is None else {
            "measure": ctx.measure, "indent": ctx.indent,
            "faces": {str(k): _face(f, fonts) for k, f in ctx.faces.items()},
            "first_line_faces": {str(k): _face(f, fonts) for k, f in ctx.first_line_faces.items()},
            "hyphenate": ctx.hyphenate, "limit_chars": list(ctx.limit_chars),
            "hyphen": ctx.hyphen, "lang": ctx.lang, "line_widths": list(ctx.line_widths),
            "float_paths": sorted(ctx.float_paths)}
    return json.dumps({"fonts": fonts, "contexts": out}).encode()


def contexts_from_bytes(data: bytes) -> dict[int, Context | None]:
    parsed = json.loads(data)
    fonts = {digest: base64.b64decode(text) for digest, text in parsed["fonts"].items()}
    for digest, font in fonts.items():
        if hashlib.sha1(font).hexdigest() != digest:
            raise ValueError("a face's bytes do not match their digest")
    out: dict[int, Context | None] = {}
    for n, c in parsed["contexts"].items():
        out[int(n)] = None if c is None else Context(
            float(c["measure"]), float(c["indent"]),
            {int(k): _unface(f, fonts) for k, f in c["faces"].items()},
            {int(k): _unface(f, fonts) for k, f in c["first_line_faces"].items()},
            bool(c["hyphenate"]), (int(c["limit_chars"][0]), int(c["limit_chars"][1]),
                                   int(c["limit_chars"][2])),
            str(c["hyphen"]), str(c["lang"]), tuple(float(w) for w in c["line_widths"]),
            frozenset(int(p) for p in c["float_paths"]))
    return out
