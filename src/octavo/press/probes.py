"""What a probe layout read, as bytes the chapter cache can keep: the floating paths of each
probe paragraph and each one's context (faces with their font's bytes). JSON, never pickle: a
cache in a book's folder may come from anyone."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from .paragraph_context import Context
from .shaping import FontFace


def floats_to_bytes(floats: dict[int, frozenset[int]]) -> bytes:
    return json.dumps({str(n): sorted(pids) for n, pids in floats.items()}).encode()


def floats_from_bytes(data: bytes) -> dict[int, frozenset[int]]:
    return {int(n): frozenset(int(p) for p in pids) for n, pids in json.loads(data).items()}


def _face(face: FontFace, fonts: dict[str, str]) -> dict[str, Any]:
    fonts.setdefault(face.digest, base64.b64encode(face.data).decode())
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
