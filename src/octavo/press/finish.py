"""The finishing pass on WeasyPrint's PDF (pikepdf): page boxes for bleed, a deterministic file
identity, and the document language.

WeasyPrint's ``bleed`` adds the bleed on all four sides; a bound page has none at its inside
(bound) edge, and print-on-demand services want the page ``trim + 0.125 in`` wide. So the
MediaBox is cut back to the trim at the inside edge (the left of a recto, the right of a verso)
and BleedBox follows it; TrimBox stays where WeasyPrint put it.
"""

from __future__ import annotations

import io
import re
import uuid
from dataclasses import dataclass

import pikepdf

from .tagged import drop_dangling_annotation_refs, mark_for_screens, untagged_as_artifacts

BLEED_PT = 0.125 * 72


def inside_is_left(page_index: int) -> bool:
    """Page 1 is a recto (a right-hand page), whose bound edge is its left."""
    return page_index % 2 == 0


def cut_inside_bleed(pdf: pikepdf.Pdf) -> None:
    for index, page in enumerate(pdf.pages):
        x0, y0, x1, y1 = (float(v) for v in page.obj.MediaBox)
        if inside_is_left(index):
            x0 += BLEED_PT
        else:
            x1 -= BLEED_PT
        box = pikepdf.Array([x0, y0, x1, y1])
        page.obj.MediaBox = box
        page.obj.BleedBox = box
        if "/CropBox" in page.obj:
            del page.obj["/CropBox"]


def stable_document_id(xmp: bytes, identifier: str) -> bytes:
    """WeasyPrint writes a random ``xmpMM:DocumentID`` for PDF/X; the same book must give the
    same bytes, so the id is derived from the book's identifier."""
    did = f"xmp.did:{uuid.uuid5(uuid.NAMESPACE_URL, 'octavo-pdf:' + identifier)}".encode()
    return re.sub(rb"xmp\.did:[0-9a-fA-F-]{36}", did, xmp)


def stable_identity(pdf: pikepdf.Pdf, identifier: str) -> None:
    """The XMP document id derived from ``identifier`` and no trailer /ID, so that saving with
    ``deterministic_id`` gives the same book the same bytes."""
    if "/Metadata" in pdf.Root:
        stream = pdf.Root.Metadata
        stream.write(stable_document_id(stream.read_bytes(), identifier))
    if "/ID" in pdf.trailer:
        # WeasyPrint's id hashes a random XMP id; qpdf keeps an existing first id.
        del pdf.trailer["/ID"]


def pad_to_even(pdf: pikepdf.Pdf) -> None:
    """Printers bind leaves, two pages each: an odd count gets a blank last verso."""
    if len(pdf.pages) % 2 == 0:
        return
    last = pdf.pages[-1].obj
    blank = pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=last.MediaBox,
                               Resources=pikepdf.Dictionary(), Contents=pdf.make_stream(b""))
    for box in ("/TrimBox", "/BleedBox"):
        if box in last:
            blank[box] = last[box]
    pdf.pages.append(pikepdf.Page(blank))


def drop_annotations(pdf: pikepdf.Pdf) -> None:
    """PDF/X allows no annotations inside the bleed box; the contents' links go (the outline
    still leads to every chapter)."""
    for page in pdf.pages:
        if "/Annots" in page.obj:
            del page.obj["/Annots"]


def colour_space_names(stream: pikepdf.Object) -> set[bytes]:
    """The colour spaces a content stream selects by name (``/CS1 cs``, ``/P0 scn``)."""
    return set(re.findall(rb"/([^\s/\[\]()<>{}%]+)\s+(?:cs|CS|scn|SCN)\b",
                          stream.read_bytes()))


def _used_colour_spaces(page: pikepdf.Page) -> set[bytes]:
    contents = page.obj.get("/Contents")
    streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
    used: set[bytes] = set()
    for stream in streams:
        if stream is not None:
            used |= colour_space_names(stream)
    # A form drawn on the page may select a space from the page's resources when it has
    # none of its own.
    for xobject in (page.obj.get("/Resources") or pikepdf.Dictionary()).get(
            "/XObject", pikepdf.Dictionary()).values():
        if xobject.get("/Subtype") == "/Form" and "/Resources" not in xobject:
            used |= colour_space_names(xobject)
    return used


def drop_unused_colour_spaces(pdf: pikepdf.Pdf) -> None:
    """WeasyPrint lists Lab colour spaces in every page's resources; nothing on a PDF/X page
    uses them (its colours are process CMYK), and PDF/X-1a allows only process colour."""
    for page in pdf.pages:
        spaces = (page.obj.get("/Resources") or pikepdf.Dictionary()).get("/ColorSpace")
        if spaces is None:
            continue
        used = _used_colour_spaces(page)
        for name in list(spaces.keys()):
            if name[1:].encode() not in used:
                del spaces[name]


@dataclass(frozen=True, slots=True)
class Finish:
    """The finishing pass's settings, applied to an open PDF before its one save (the join
    finishes the book it gathers, not a saved copy read back)."""

    bleed: bool
    identifier: str
    language: str
    pdf_x: bool = False
    author: str = ""
    tagged: bool = False

    def __call__(self, pdf: pikepdf.Pdf) -> None:
        pad_to_even(pdf)
        if self.bleed:
            cut_inside_bleed(pdf)
        if self.pdf_x:
            drop_annotations(pdf)
            drop_unused_colour_spaces(pdf)
        if "/Lang" not in pdf.Root:
            pdf.Root.Lang = pikepdf.String(self.language)
        if self.author:
            # WeasyPrint joins the author metas with commas; /Author names them as the title
            # page does. XMP dc:creator is a list by standard and keeps one entry per author.
            pdf.docinfo["/Author"] = pikepdf.String(self.author)
        if self.tagged:
            drop_dangling_annotation_refs(pdf)
            untagged_as_artifacts(pdf)
            mark_for_screens(pdf)
        stable_identity(pdf, self.identifier)


def finish_pdf(data: bytes, bleed: bool, identifier: str, language: str,
               pdf_x: bool = False, author: str = "", tagged: bool = False) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        Finish(bleed, identifier, language, pdf_x, author, tagged)(pdf)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, fix_metadata_version=False)
        return out.getvalue()
