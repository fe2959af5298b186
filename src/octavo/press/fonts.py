"""Every embedded face a subset of its own font file, one per face in the joined book.

Each piece laid out alone embeds its own subset of every face it uses. WeasyPrint keeps the
glyph ids of the glyphs a piece draws (``CIDToGIDMap /Identity``) but not of the glyphs those
draw through: it subsets a second time without keeping ids, to drop the empty tail, so the
components of a composite past the piece's last drawn glyph are renumbered. The subsets of one
face therefore cannot be merged glyph by glyph (a merged italic "i" pointed at other letters'
outlines), and a subset is not even its own face at those ids.

So the join gives every face one program made from the face's file: a subset keeping every
glyph id, holding the union of the glyphs every piece draws, with one width array and one
``ToUnicode`` map. Each outline is the face's by construction. Subsets are matched to a file by
what they keep of it (names, revision, units per em, outline format), never by a date nor by
the subset's tagged name. A face whose file is not known (a system face), a variable face, or
a font whose ids are not glyph ids stays as it is.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from .lines import Remember, made_now

# A face as a subset keeps it: family, subfamily, PostScript name, revision, units per em,
# outline table.
FaceIdentity = tuple[str, str, str, float, int, str]

# Kept facts' form: the key changes with it, so an entry in an older form is never read.
_FACTS_KEY = "face-facts-2-"

_TRUETYPE = (b"\x00\x01\x00\x00", b"true")

# Tables no PDF viewer reads from an embedded CID font (WeasyPrint drops the same).
_DROPPED_TABLES = (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF",
                   b"LTSH", b"PCLT", b"SVG ")


@dataclass(frozen=True, slots=True)
class FaceFacts:
    identity: FaceIdentity
    glyphs: int  # glyph ids in the program
    variable: bool


def _program_facts(program: bytes) -> FaceFacts | None:
    """What a font program says of its face; None for one fontTools cannot read."""
    from fontTools.ttLib import TTFont

    try:
        tt = TTFont(io.BytesIO(program), lazy=True)
        head, name = tt["head"], tt["name"]
        names = [str(name.getDebugName(n) or "") for n in (1, 2, 6)]
        outlines = "glyf" if "glyf" in tt else "CFF " if "CFF " in tt else ""
        return FaceFacts((names[0], names[1], names[2], float(head.fontRevision),
                          int(head.unitsPerEm), outlines), int(tt["maxp"].numGlyphs),
                         "fvar" in tt)
    except Exception:  # a face fontTools cannot read stays as it is
        return None


def _remembered_facts(program: bytes, remember: Remember) -> FaceFacts | None:
    """A program's facts, kept by its bytes: a rebuild whose pieces' subsets are the ones it
    had before reads no font program (nor loads the font library)."""
    def made() -> bytes:
        facts = _program_facts(program)
        return json.dumps(None if facts is None else [list(facts.identity), facts.glyphs,
                                                      facts.variable]).encode()

    found = json.loads(remember(_FACTS_KEY + hashlib.sha256(program).hexdigest(), made))
    if found is None:
        return None
    (family, style, postscript, revision, upem, outlines), glyphs, variable = found
    return FaceFacts((family, style, postscript, float(revision), int(upem), outlines),
                     int(glyphs), bool(variable))


@dataclass(frozen=True, slots=True)
class FaceFile:
    data: bytes
    glyphs: int


def face_files(files: Sequence[Path], remember: Remember = made_now
               ) -> dict[FaceIdentity, FaceFile]:
    """The TrueType faces among ``files`` by identity. Two files with one identity name no
    face: a subset of either could not be told apart, so neither is used."""
    found: dict[FaceIdentity, FaceFile | None] = {}
    for path in files:
        data = path.read_bytes()
        if data[:4] not in _TRUETYPE:  # a WOFF, a collection, a CFF face: HarfBuzz's subset
            continue                   # of it would not be the program WeasyPrint embeds
        facts = _remembered_facts(data, remember)
        if facts is None or facts.variable or facts.identity[5] != "glyf":
            continue
        known = found.get(facts.identity)
        if facts.identity in found and (known is None or known.data != data):
            found[facts.identity] = None
        else:
            found[facts.identity] = FaceFile(data, facts.glyphs)
    return {identity: face for identity, face in found.items() if face is not None}


def _subsetter() -> str:
    """What makes a subset besides its face and glyphs: HarfBuzz and the request's form."""
    import uharfbuzz as hb

    return f"harfbuzz {hb.__version__}, retain-gids 1"


def subset_keeping_ids(face: bytes, glyphs: Sequence[int]) -> bytes:
    """A subset of ``face`` with ``glyphs`` (and the glyphs they draw through, and .notdef's
    outline), every glyph at its id in the face; b"" for a file HarfBuzz cannot subset."""
    import uharfbuzz as hb

    request = hb.SubsetInput()
    request.glyph_set.update({0, *glyphs})
    for tag in _DROPPED_TABLES:
        request.drop_table_tag_set.add(int.from_bytes(tag, "big"))
    request.flags = (hb.SubsetFlags.RETAIN_GIDS | hb.SubsetFlags.NO_HINTING
                     | hb.SubsetFlags.NOTDEF_OUTLINE | hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED)
    try:
        return bytes(hb.subset(hb.Face(hb.Blob(face)), request).blob.data)
    except RuntimeError:  # HarfBuzz refuses the file: b"", and the caller keeps what it had
        return b""


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


def _cid_set(cids: Sequence[int]) -> bytes:
    """A ``CIDSet``: one bit a CID, high bit first (PDF 32000 9.8.3, as WeasyPrint writes)."""
    bits = bytearray((max(cids) // 8) + 1)
    for cid in cids:
        bits[cid // 8] |= 0x80 >> (cid % 8)
    return bytes(bits)


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


def _face_of(font: pikepdf.Object, faces: dict[FaceIdentity, FaceFile],
             remember: Remember) -> FaceIdentity | None:
    """The known face a Type 0 font's program is a subset of; None for a font left as it is
    (no known face, or its codes are not the face's glyph ids)."""
    descendant = font.DescendantFonts[0]
    descriptor = descendant.FontDescriptor
    if "/FontFile2" not in descriptor or descendant.get("/CIDToGIDMap") != "/Identity":
        return None
    facts = _remembered_facts(descriptor.FontFile2.read_bytes(), remember)
    # A subset has no more glyph ids than its face: one with more is of another file.
    if (facts is None or facts.identity not in faces
            or facts.glyphs > faces[facts.identity].glyphs):
        return None
    return facts.identity


def embed_from_files(pdf: pikepdf.Pdf, files: Sequence[Path], remember: Remember) -> None:
    """Each font in ``pdf`` that is a subset of one of ``files`` made one font per face (and
    name) whose program is a subset of that file keeping glyph ids; every page then uses it."""
    faces = face_files(files, remember)
    seen: set[tuple[int, int]] = set()
    places: list[tuple[pikepdf.Object, str, pikepdf.Object]] = []
    for page in pdf.pages:
        places.extend(_fonts_in(page.obj.get("/Resources"), seen))
    groups: dict[tuple[FaceIdentity, str], list[pikepdf.Object]] = {}
    seen_fonts: set[tuple[int, int]] = set()
    for _, _, font in places:
        if font.objgen in seen_fonts or font.get("/Subtype") != "/Type0":
            continue
        seen_fonts.add(font.objgen)
        identity = _face_of(font, faces, remember)
        if identity is not None:
            # The name too: one file drawn under two names (a fallback) keeps both.
            name = str(font.BaseFont).split("+", 1)[-1]
            groups.setdefault((identity, name), []).append(font)
    replaced_by: dict[tuple[int, int], pikepdf.Object] = {}
    for (identity, _), members in groups.items():
        face = faces[identity]
        widths: dict[int, float] = {}
        mapping: dict[int, str] = {}
        for member in members:
            widths.update(_widths(member.DescendantFonts[0]))
            mapping.update(_unicode_map(member))
        # Codes past the face's last glyph are WeasyPrint's stand-ins for missing characters.
        glyphs = sorted(cid for cid in widths if cid < face.glyphs)
        digest = hashlib.sha256(face.data)
        digest.update(repr((_subsetter(), glyphs)).encode())
        program = remember("face-subset-" + digest.hexdigest(),
                           functools.partial(subset_keeping_ids, face.data, glyphs))
        if not program:  # HarfBuzz could not subset the file: the pieces' own subsets stay
            continue
        canonical = members[0]
        descendant = canonical.DescendantFonts[0]
        descendant.W = _width_array(widths)
        descriptor = descendant.FontDescriptor
        box = list(descriptor.FontBBox)
        descriptor.FontBBox = pikepdf.Array([box[0], box[1], _number(max(widths.values())),
                                             box[3]])
        stream = pdf.make_stream(program)
        stream.Length1 = len(program)
        descriptor.FontFile2 = stream
        if "/CIDSet" in descriptor:
            descriptor.CIDSet = pdf.make_stream(_cid_set(sorted(widths)))
        canonical.ToUnicode = pdf.make_stream(_cmap(mapping))
        for member in members[1:]:
            replaced_by[member.objgen] = canonical
    for fonts, name, font in places:
        replacement = replaced_by.get(font.objgen)
        if replacement is not None:
            fonts[name] = replacement

