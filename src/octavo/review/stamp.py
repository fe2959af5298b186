"""Personal marks on an already laid-out PDF, with pikepdf (qpdf).

The review edition is laid out once. ``stamp_template`` then wraps every page's content and
makes it call one Form XObject per page size; a personal copy only fills that XObject with its
line of text (set in a subset of the theme's face, with a ToUnicode map so it extracts), writes
its metadata and document ID, and saves. No page is laid out again, so every copy has the
unmarked edition's pages, page count and text, plus one line.
"""

from __future__ import annotations

import ctypes
import hashlib
import io
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import OctavoError
from .fonts import Face, Run, ShapedGlyph
from .reviewers import Reviewer

STAMP_NAME = "/OctavoArcStamp"
FONT_NAME = "/OctavoArcF"
TEMPLATE_KEY = "/OctavoArcStamps"
# The XMP namespace of octavo's review-copy properties.
XMP_NS = "https://octavo.invalid/ns/arc/1.0/"

# Where the personal line goes when the edition mark cannot be found: points above the trim's
# foot, and the smallest size and margin a line may shrink to before a name is refused.
DEFAULT_BASELINE = 16.0
DEFAULT_SIZE = 7.0
MIN_SIZE = 4.5
SIDE_MARGIN = 24.0
MIN_BASELINE = 8.0


def personal_mark(name: str) -> str:
    return f"Prepared for {name} · NOT FOR SALE"


@dataclass(frozen=True, slots=True)
class StampGeometry:
    """Where the personal line sits: size in points, baseline above the trim box's foot."""

    size: float = DEFAULT_SIZE
    baseline: float = DEFAULT_BASELINE
    gray: float = 0.25


@dataclass(frozen=True, slots=True)
class PageBox:
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0


def _page_box(page: Any) -> PageBox:
    box = page.obj.get("/TrimBox") or page.obj.get("/MediaBox") or page.mediabox
    x0, y0, x1, y1 = (float(v) for v in box)
    return PageBox(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def measure_edition_mark(pdf_data: bytes, mark: str) -> StampGeometry:
    """The personal line goes one line below the edition mark, at its size: found on the first
    page of the laid-out edition (the mark is fixed, so it sits alike on every page)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    doc = pdfium.PdfDocument(pdf_data)
    try:
        page = doc[0]
        textpage = page.get_textpage()
        found = textpage.search(mark, match_case=False).get_next()
        if not found:
            return StampGeometry()
        index = found[0]
        matrix = pdfium_c.FS_MATRIX()
        pdfium_c.FPDFText_GetMatrix(textpage.raw, index, ctypes.byref(matrix))
        size = pdfium_c.FPDFText_GetFontSize(textpage.raw, index) * abs(matrix.d)
        trim = page.get_trimbox()
        baseline_above_foot = matrix.f - trim[1]
    finally:
        doc.close()
    if not 3 <= size <= 20:
        return StampGeometry()
    below = baseline_above_foot - 1.4 * size
    baseline = below if below >= MIN_BASELINE else baseline_above_foot + 1.4 * size
    return StampGeometry(size=round(size, 2), baseline=round(baseline, 2))


def stamp_template(pdf_data: bytes) -> bytes:
    """The unmarked edition with every page wrapped (``q … Q``) and calling an empty stamp
    XObject, one per page size, listed under the catalog's ``TEMPLATE_KEY``."""
    import pikepdf

    pdf = pikepdf.open(io.BytesIO(pdf_data))
    begin = pdf.make_stream(b"q\n")
    tagged = "/StructTreeRoot" in pdf.Root
    stamps: dict[PageBox, Any] = {}
    calls: dict[PageBox, Any] = {}
    for page in pdf.pages:
        box = _page_box(page)
        if box not in stamps:
            mediabox = [float(v) for v in page.mediabox]
            stamps[box] = pdf.make_indirect(pikepdf.Stream(pdf, b"", {
                "/Type": pikepdf.Name.XObject, "/Subtype": pikepdf.Name.Form,
                "/BBox": pikepdf.Array(mediabox), "/OctavoBox": pikepdf.Array(
                    [box.x0, box.y0, box.x1, box.y1]),
                "/Resources": pikepdf.Dictionary(),
            }))
            name = f"{STAMP_NAME}{len(stamps)}"
            stamps[box].OctavoName = pikepdf.Name(name)
            # In a tagged edition the personal line is an artifact, as the edition's mark is.
            call = f"/Artifact BMC q {name} Do Q EMC" if tagged else f"q {name} Do Q"
            calls[box] = pdf.make_stream(f"Q {call}\n".encode())
        resources = _own_resources(page)
        if "/XObject" not in resources:
            resources.XObject = pikepdf.Dictionary()
        resources.XObject[str(stamps[box].OctavoName)] = stamps[box]
        contents = page.obj.get("/Contents")
        streams = list(contents) if isinstance(contents, pikepdf.Array) else (
            [contents] if contents is not None else [])
        page.obj.Contents = pikepdf.Array([begin, *streams, calls[box]])
    pdf.Root[TEMPLATE_KEY] = pikepdf.Array(list(stamps.values()))
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True)
    return out.getvalue()


def _own_resources(page: Any) -> Any:
    """The page's resources, taking an inherited dictionary onto the page so adding to it
    cannot hide what the parent provides."""
    import pikepdf

    if "/Resources" in page.obj:
        return page.obj.Resources
    node = page.obj
    while "/Parent" in node:
        node = node.Parent
        if "/Resources" in node:
            page.obj.Resources = node.Resources
            return page.obj.Resources
    page.obj.Resources = pikepdf.Dictionary()
    return page.obj.Resources


def line_width(faces: tuple[Face, ...], runs: tuple[Run, ...]) -> float:
    """The line's advance in ems, each run in its own face."""
    return sum(faces[r.face].width(r.text) for r in runs)


def fit_size(width_em: float, geometry: StampGeometry, widest: float) -> float:
    """The size the line is set at: the edition mark's, smaller only if the name is long."""
    available = widest - 2 * SIDE_MARGIN
    if width_em * geometry.size <= available:
        return geometry.size
    return available / width_em


def check_fits(faces: tuple[Face, ...], runs: tuple[Run, ...], reviewer: Reviewer,
               geometry: StampGeometry, page_width: float, csv_path: Path | None) -> None:
    if fit_size(line_width(faces, runs), geometry, page_width) < MIN_SIZE:
        raise OctavoError(f"reviewer name '{reviewer.name}' is too long to fit across a page",
                          csv_path, reviewer.line)


def _subset_tag(gids: list[int]) -> str:
    digest = hashlib.sha256(",".join(map(str, gids)).encode()).digest()
    return "".join(chr(ord("A") + b % 26) for b in digest[:6])


def _to_unicode(glyph_text: dict[int, str]) -> bytes:
    """A ToUnicode CMap: each embedded glyph id to the characters it shows."""
    entries = [
        f"<{gid:04X}> <{text.encode('utf-16-be').hex().upper()}>"
        for gid, text in sorted(glyph_text.items()) if text
    ]
    chunks = [entries[i:i + 100] for i in range(0, len(entries), 100)]
    body = "".join(f"{len(c)} beginbfchar\n" + "\n".join(c) + "\nendbfchar\n" for c in chunks)
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        f"{body}endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    ).encode("ascii")


def cid_to_gid_map(subset_gid: dict[int, int]) -> bytes:
    """A CIDToGIDMap: for each CID (a glyph id of the face) up to the largest, the subset's
    glyph id for it as two bytes, 0 (.notdef) where the subset has none."""
    table = bytearray(2 * (max(subset_gid, default=0) + 1))
    for cid, gid in subset_gid.items():
        table[2 * cid:2 * cid + 2] = gid.to_bytes(2, "big")
    return bytes(table)


def _font_object(pdf: Any, face: Face, glyphs: list[ShapedGlyph]) -> Any:
    """A Type0 font (Identity-H, CIDs = the face's glyph ids) for ``glyphs``, embedding a
    subset of the face and, for TrueType, a CIDToGIDMap from the face's ids to the subset's."""
    import pikepdf

    gids = sorted({g.gid for g in glyphs})
    font_data, subset_gid = face.subset(gids)
    widths = face.advance_widths(gids)
    tag = _subset_tag(gids)
    base_font = pikepdf.Name(f"/{tag}+{face.postscript_name}")
    m = face.metrics
    file_key = "/FontFile3" if face.is_cff else "/FontFile2"
    file_extra = {"/Subtype": pikepdf.Name.OpenType} if face.is_cff else {"/Length1": len(font_data)}
    font_file = pikepdf.Stream(pdf, font_data, file_extra)
    descriptor = pikepdf.Dictionary({
        "/Type": pikepdf.Name.FontDescriptor, "/FontName": base_font, "/Flags": 4,
        "/FontBBox": pikepdf.Array([round(v) for v in m.bbox]),
        "/ItalicAngle": m.italic_angle, "/Ascent": round(m.ascent),
        "/Descent": round(m.descent), "/CapHeight": round(m.cap_height), "/StemV": 80,
        file_key: pdf.make_indirect(font_file),
    })
    w_array: list[Any] = []
    for gid in gids:
        w_array += [gid, pikepdf.Array([round(widths[gid], 2)])]
    glyph_text: dict[int, str] = {}
    for g in glyphs:
        glyph_text.setdefault(g.gid, g.text)
    cid_font = pikepdf.Dictionary({
        "/Type": pikepdf.Name.Font,
        "/Subtype": pikepdf.Name.CIDFontType0 if face.is_cff else pikepdf.Name.CIDFontType2,
        "/BaseFont": base_font,
        "/CIDSystemInfo": pikepdf.Dictionary(
            {"/Registry": "Adobe", "/Ordering": "Identity", "/Supplement": 0}),
        "/FontDescriptor": pdf.make_indirect(descriptor),
        "/W": pikepdf.Array(w_array), "/DW": 0,
    })
    if not face.is_cff:
        # Mostly zeros below a CJK glyph's id: a few hundred bytes compressed.
        cid_font.CIDToGIDMap = pdf.make_indirect(pikepdf.Stream(
            pdf, zlib.compress(cid_to_gid_map(subset_gid), 9),
            {"/Filter": pikepdf.Name.FlateDecode}))
    font = pikepdf.Dictionary({
        "/Type": pikepdf.Name.Font, "/Subtype": pikepdf.Name.Type0, "/BaseFont": base_font,
        "/Encoding": pikepdf.Name("/Identity-H"),
        "/DescendantFonts": pikepdf.Array([pdf.make_indirect(cid_font)]),
        "/ToUnicode": pdf.make_indirect(pikepdf.Stream(pdf, _to_unicode(glyph_text))),
    })
    return pdf.make_indirect(font)


def _show_text(glyphs: list[ShapedGlyph], widths: dict[int, float], units_per_em: int) -> str:
    """A TJ array: the face's glyph ids (the CIDs) in hex, with HarfBuzz's kerning as
    adjustments."""
    parts: list[str] = []
    run: list[str] = []
    for g in glyphs:
        run.append(f"{g.gid:04X}")
        adjust = widths[g.gid] - g.advance * 1000 / units_per_em
        if abs(adjust) > 0.01:
            parts.append(f"<{''.join(run)}> {adjust:.2f}")
            run = []
    if run:
        parts.append(f"<{''.join(run)}>")
    return "[" + " ".join(parts) + "] TJ"


def _xml(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(text, {'"': "&quot;"})


def rights_line(reviewer: Reviewer) -> str:
    return f"Advance reader copy prepared for {reviewer.name}. Not for sale."


def xmp_packet(title: str, authors: tuple[str, ...], reviewer: Reviewer, copy: str) -> bytes:
    """XMP for a personal copy: who it was prepared for and its copy id (also the document's
    xmpMM:DocumentID), so the name and id survive a visible mark being cut off the pages."""
    doc_uuid = f"{copy[:8]}-{copy[8:12]}-{copy[12:16]}-{copy[16:20]}-{copy[20:32]}"
    creators = "".join(f"<rdf:li>{_xml(a)}</rdf:li>" for a in authors)
    rights = rights_line(reviewer)
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '<rdf:Description rdf:about=""'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"'
        ' xmlns:pdf="http://ns.adobe.com/pdf/1.3/"'
        f' xmlns:octavo="{XMP_NS}">\n'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{_xml(title)}</rdf:li></rdf:Alt></dc:title>\n'
        + (f"<dc:creator><rdf:Seq>{creators}</rdf:Seq></dc:creator>\n" if authors else "")
        + f'<dc:rights><rdf:Alt><rdf:li xml:lang="x-default">{_xml(rights)}</rdf:li></rdf:Alt></dc:rights>\n'
        f"<xmpMM:DocumentID>uuid:{doc_uuid}</xmpMM:DocumentID>\n"
        f"<xmpMM:InstanceID>uuid:{doc_uuid}</xmpMM:InstanceID>\n"
        + octavo_properties(reviewer, copy)
        + "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    ).encode("utf-8")


def octavo_properties(reviewer: Reviewer, copy: str) -> str:
    outlet = f"<octavo:outlet>{_xml(reviewer.outlet)}</octavo:outlet>\n" if reviewer.outlet else ""
    return (f"<octavo:preparedFor>{_xml(reviewer.name)}</octavo:preparedFor>\n{outlet}"
            f"<octavo:copyId>{copy}</octavo:copyId>\n")


def merged_xmp(existing: bytes, reviewer: Reviewer, copy: str) -> bytes | None:
    """The edition's own XMP (a PDF/X or PDF/UA file must keep its identification) with
    octavo's properties and the copy's rights in a description of their own; ``None`` if the
    packet has no RDF to add to."""
    text = existing.decode("utf-8", "replace")
    if "</rdf:RDF>" not in text:
        return None
    rights = "" if "dc:rights" in text else (
        f'<dc:rights><rdf:Alt><rdf:li xml:lang="x-default">{_xml(rights_line(reviewer))}'
        "</rdf:li></rdf:Alt></dc:rights>\n")
    block = (f'<rdf:Description rdf:about="" xmlns:octavo="{XMP_NS}"'
             f' xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
             f"{rights}{octavo_properties(reviewer, copy)}</rdf:Description>\n")
    return text.replace("</rdf:RDF>", block + "</rdf:RDF>", 1).encode("utf-8")


def _actual_text(text: str) -> str:
    """A marked-content span whose ``ActualText`` is ``text``: extractors (pdfium, poppler)
    read it in place of the glyphs."""
    return f"/Span <</ActualText <FEFF{text.encode('utf-16-be').hex().upper()}>>> BDC "


def stamp_copy(template: bytes, faces: tuple[Face, ...], runs: tuple[Run, ...],
               geometry: StampGeometry, reviewer: Reviewer, copy: str, title: str,
               authors: tuple[str, ...]) -> bytes:
    """One reviewer's PDF: the template with its stamp XObjects filled in, plus metadata. Each
    run of the line is shaped by HarfBuzz in its own face, subset for this copy alone."""
    import pikepdf

    text = personal_mark(reviewer.name)
    assert "".join(r.text for r in runs) == text
    pdf = pikepdf.open(io.BytesIO(template))
    shaped = [(r, faces[r.face].shape(r.text)) for r in runs]
    fonts = pikepdf.Dictionary()
    names: dict[int, str] = {}
    for face_index in dict.fromkeys(r.face for r in runs):
        glyphs = [g for r, gs in shaped if r.face == face_index for g in gs]
        font = _font_object(pdf, faces[face_index], glyphs)
        names[face_index] = FONT_NAME if not names else f"{FONT_NAME}{len(names)}"
        fonts[names[face_index]] = font
    # Runs in reading order, each after the one before (TJ moves the pen by its width); the
    # size is filled in per page.
    content: list[str] = []
    for r, gs in shaped:
        face = faces[r.face]
        widths = face.advance_widths(sorted({g.gid for g in gs}))
        shown = _show_text(gs, widths, face.units_per_em)
        select = names[r.face] + " {size:.2f} Tf "
        if not face.is_rtl(r.text) and any(not g.text for g in gs):
            # Glyphs that carry no characters of their own (a conjunct's second part, a
            # Thai mark) would extract as nothing or as raw glyph ids: the span's text is the
            # run's. A right-to-left run is left to the extractors' own bidi, which expects
            # its glyphs in visual order and reads them back in logical order.
            content.append(select + _actual_text(r.text) + shown + " EMC ")
        else:
            content.append(select + shown + " ")
    width_em = line_width(faces, runs)
    for stamp in pdf.Root[TEMPLATE_KEY]:
        x0, y0, x1, _ = (float(v) for v in stamp.OctavoBox)
        size = fit_size(width_em, geometry, x1 - x0)
        x = x0 + (x1 - x0 - width_em * size) / 2
        body = "".join(piece.replace("{size:.2f}", f"{size:.2f}") for piece in content)
        stamp.write(
            f"q {geometry.gray:.3f} g BT 1 0 0 1 {x:.2f} {y0 + geometry.baseline:.2f} Tm "
            f"{body}ET Q\n".encode("ascii")
        )
        stamp.Resources = pikepdf.Dictionary({"/Font": fonts})
        del stamp["/OctavoBox"]
        del stamp["/OctavoName"]
    del pdf.Root[TEMPLATE_KEY]

    pdf.docinfo[pikepdf.Name("/ArcPreparedFor")] = reviewer.name
    pdf.docinfo[pikepdf.Name("/ArcCopyId")] = copy
    if "/Subject" not in pdf.docinfo:
        pdf.docinfo[pikepdf.Name.Subject] = f"Advance reader copy prepared for {reviewer.name}"
    existing = pdf.Root.Metadata.read_bytes() if "/Metadata" in pdf.Root else None
    packet = merged_xmp(existing, reviewer, copy) if existing else None
    metadata = pdf.make_stream(packet or xmp_packet(title, authors, reviewer, copy))
    metadata.Type = pikepdf.Name.Metadata
    metadata.Subtype = pikepdf.Name.XML
    pdf.Root.Metadata = metadata
    # qpdf keeps a document's first ID and derives the second from the content, so the first
    # carries the copy id through any later re-save.
    copy_bytes = bytes.fromhex(copy)[:16]
    pdf.trailer.ID = pikepdf.Array([pikepdf.String(copy_bytes), pikepdf.String(copy_bytes)])
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True)
    return out.getvalue()
