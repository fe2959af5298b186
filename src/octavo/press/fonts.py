"""One embedded subset per face in the joined book.

Each piece laid out alone embeds its own subset of every face it uses, so a joined novel
would carry the same face sixty times over. WeasyPrint subsets TrueType faces keeping glyph
ids (``CIDToGIDMap /Identity``), so the subsets of one face differ only in which glyphs are
filled in: merged into one font program, with one width array and one ``ToUnicode`` map, a
single font serves every page. Faces are matched by what a subset keeps of its original (name,
revision, dates, units per em), never by the subset's tagged name alone. CFF faces are left
as they are.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pikepdf

from .lines import Remember

FontKey = tuple[object, ...]


@dataclass(frozen=True, slots=True)
class _Program:
    """What a subset keeps of its original face (name, revision, dates, units per em), and
    how many glyph ids it has."""

    identity: FontKey
    glyphs: int


def _program_facts(program: bytes) -> _Program | None:
    from fontTools.ttLib import TTFont

    try:
        tt = TTFont(io.BytesIO(program), lazy=True)
        head = tt["head"]
        names = tuple(str(tt["name"].getDebugName(n) or "") for n in (1, 2, 6))
        return _Program((names, head.created, head.modified, head.fontRevision,
                         head.unitsPerEm), tt["maxp"].numGlyphs)
    except Exception:  # a face fontTools cannot read stays as it is
        return None


def _remembered_facts(program: bytes, remember: Remember) -> _Program | None:
    """A subset's facts, kept by its bytes: a rebuild whose chapters' subsets are the ones
    it had before reads no font program (nor loads the font library)."""
    def made() -> bytes:
        facts = _program_facts(program)
        return json.dumps(None if facts is None else [list(facts.identity), facts.glyphs]
                          ).encode()

    found = json.loads(remember("face-facts-" + hashlib.sha256(program).hexdigest(), made))
    if found is None:
        return None
    (names, created, modified, revision, upem), glyphs = found
    return _Program((tuple(names), created, modified, revision, upem), glyphs)


def _face_key(font: pikepdf.Object, remember: Remember) -> tuple[FontKey, int] | None:
    """The face a Type 0 font's subset is of, and its glyph count; None for a face left as
    it is (not TrueType, or glyph ids not kept)."""
    descendant = font.DescendantFonts[0]
    descriptor = descendant.FontDescriptor
    if "/FontFile2" not in descriptor or descendant.get("/CIDToGIDMap") != "/Identity":
        return None
    facts = _remembered_facts(descriptor.FontFile2.read_bytes(), remember)
    if facts is None:
        return None
    base = str(font.BaseFont).split("+", 1)[-1]
    return (base, *facts.identity), facts.glyphs


def _fonts_in(resources: pikepdf.Object | None, seen: set[tuple[int, int]]) -> Iterator[
        tuple[pikepdf.Object, str, pikepdf.Object]]:
    """(font dictionary of a resource dictionary, its name, the font) everywhere below
    ``resources``, forms included."""
    if resources is None or (resources.objgen in seen and resources.objgen != (0, 0)):
        return
    if resources.objgen != (0, 0):
        seen.add(resources.objgen)
    fonts = resources.get("/Font")
    if fonts is not None:
        for name in list(fonts.keys()):
            yield fonts, name, fonts[name]
    xobjects = resources.get("/XObject")
    if xobjects is not None:
        for name in list(xobjects.keys()):
            form = xobjects[name]
            if form.get("/Subtype") == "/Form":
                yield from _fonts_in(form.get("/Resources"), seen)


def _widths(descendant: pikepdf.Object) -> dict[int, float]:
    out: dict[int, float] = {}
    array = list(descendant.get("/W", pikepdf.Array()))
    k = 0
    while k < len(array):
        first = int(array[k])
        following = array[k + 1]
        if isinstance(following, pikepdf.Array):
            for n, each in enumerate(following):
                out[first + n] = float(each)
            k += 2
        else:
            last, same = int(following), float(array[k + 2])
            for cid in range(first, last + 1):
                out[cid] = same
            k += 3
    return out


def _width_array(widths: dict[int, float]) -> pikepdf.Array:
    """WeasyPrint's form: runs of consecutive ids, each ``first [w w …]``."""
    out = pikepdf.Array()
    run: list[float] = []
    previous = None
    for cid in sorted(widths):
        if previous is None or cid != previous + 1:
            if run:
                out.append(pikepdf.Array(run))
            out.append(cid)
            run = []
        run.append(_number(widths[cid]))
        previous = cid
    if run:
        out.append(pikepdf.Array(run))
    return out


def _number(value: float) -> float:
    return int(value) if value == int(value) else value


_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_PAIR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")


def _unicode_map(font: pikepdf.Object) -> dict[int, str]:
    stream = font.get("/ToUnicode")
    if stream is None:
        return {}
    out: dict[int, str] = {}
    for block in _BFCHAR.findall(stream.read_bytes()):
        for cid, text in _PAIR.findall(block):
            out[int(cid, 16)] = text.decode()
    return out


def _cmap(mapping: dict[int, str]) -> bytes:
    lines = [b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap",
             b"/CIDSystemInfo", b"<< /Registry (Adobe)", b"/Ordering (UCS)", b"/Supplement 0",
             b">> def", b"/CMapName /Adobe-Identity-UCS def", b"/CMapType 2 def",
             b"1 begincodespacerange", b"<0000> <ffff>", b"endcodespacerange"]
    items = sorted(mapping.items())
    for start in range(0, len(items), 100):  # at most 100 entries a block (PDF 32000 9.10.3)
        chunk = items[start:start + 100]
        lines.append(f"{len(chunk)} beginbfchar".encode())
        lines.extend(f"<{cid:04x}> <{text}>".encode() for cid, text in chunk)
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)


def _merged_program(programs: list[bytes], used: list[set[int]], base_index: int) -> bytes:
    """One TrueType program holding every subset's glyphs at their ids, on the tables of
    subset ``base_index`` (the largest)."""
    from fontTools.ttLib import TTFont

    # recalcTimestamp off: the merged face keeps its own date, so the book keeps its bytes.
    fonts = [TTFont(io.BytesIO(p), recalcTimestamp=False) for p in programs]
    base = fonts[base_index]
    base_order = base.getGlyphOrder()
    base_glyf, base_hmtx = base["glyf"], base["hmtx"]

    def empty(gid: int) -> bool:
        glyph = base_glyf[base_order[gid]]
        return not glyph.isComposite() and getattr(glyph, "numberOfContours", 0) == 0

    for n, font in enumerate(fonts):
        if n == base_index:
            continue
        order = font.getGlyphOrder()
        glyf, hmtx = font["glyf"], font["hmtx"]
        pending = [gid for gid in used[n] if gid < len(order)]
        while pending:
            gid = pending.pop()
            if gid >= len(base_order) or not empty(gid):
                continue
            glyph = glyf[order[gid]]
            if glyph.isComposite():
                glyph.expand(glyf)
                for component in glyph.components:
                    pending.append(font.getGlyphID(component.glyphName))
                    component.glyphName = base_order[font.getGlyphID(component.glyphName)]
            base_glyf[base_order[gid]] = glyph
            base_hmtx[base_order[gid]] = hmtx[order[gid]]
    out = io.BytesIO()
    base.save(out)
    return out.getvalue()


def merge_subsets(pdf: pikepdf.Pdf, remember: Remember) -> None:
    """Every face's subsets in ``pdf`` made one font, which every page then uses."""
    seen: set[tuple[int, int]] = set()
    places: list[tuple[pikepdf.Object, str, pikepdf.Object]] = []
    for page in pdf.pages:
        places.extend(_fonts_in(page.obj.get("/Resources"), seen))
    groups: dict[FontKey, list[pikepdf.Object]] = {}
    glyph_counts: dict[tuple[int, int], int] = {}
    seen_fonts: set[tuple[int, int]] = set()
    for _, _, font in places:
        if font.objgen in seen_fonts or font.get("/Subtype") != "/Type0":
            continue
        seen_fonts.add(font.objgen)
        found = _face_key(font, remember)
        if found is not None:
            groups.setdefault(found[0], []).append(font)
            glyph_counts[font.objgen] = found[1]
    merged_of: dict[tuple[int, int], pikepdf.Object] = {}
    for face, members in groups.items():
        if len(members) < 2:
            continue
        descendants = [m.DescendantFonts[0] for m in members]
        widths: list[dict[int, float]] = [_widths(d) for d in descendants]
        programs = [d.FontDescriptor.FontFile2.read_bytes() for d in descendants]
        # The merged program is the largest subset's tables with the union of the glyphs
        # filled in: an edit elsewhere that uses no new glyph takes it from the cache.
        glyphs = sorted(set().union(*(set(w) for w in widths)))
        # The subset with the most glyph ids (the first of equals) is the merge's base.
        counts = [glyph_counts[m.objgen] for m in members]
        largest = max(range(len(members)), key=lambda n: counts[n])
        digest = hashlib.sha256(repr((face, glyphs)).encode())
        digest.update(hashlib.sha256(programs[largest]).digest())
        program = remember("merged-face-" + digest.hexdigest(), functools.partial(
            _merged_program, programs, [set(w) for w in widths], largest))
        canonical = members[0]
        descendant = descendants[0]
        all_widths: dict[int, float] = {}
        mapping: dict[int, str] = {}
        for member, w in zip(members, widths, strict=True):
            all_widths.update(w)
            mapping.update(_unicode_map(member))
        descendant.W = _width_array(all_widths)
        descriptor = descendant.FontDescriptor
        box = list(descriptor.FontBBox)
        descriptor.FontBBox = pikepdf.Array([box[0], box[1], _number(max(all_widths.values())),
                                             box[3]])
        stream = pdf.make_stream(program)
        stream.Length1 = len(program)
        descriptor.FontFile2 = stream
        if "/CIDSet" in descriptor:
            del descriptor["/CIDSet"]  # lists the first subset's glyphs only
        canonical.ToUnicode = pdf.make_stream(_cmap(mapping))
        for member in members[1:]:
            merged_of[member.objgen] = canonical
    for fonts, name, font in places:
        replacement = merged_of.get(font.objgen)
        if replacement is not None:
            fonts[name] = replacement
