"""Reading a tagged PDF back as assistive technology does: its structure tree walked in order,
each element's text gathered through its marked-content ids (pikepdf for the tree, pdfium for
the text), and the PDF/UA-1 rules a machine can decide checked, beside the ``pdfua``
package's (which misses some: see ``tagging_problems``)."""

from __future__ import annotations

import ctypes
import io
from collections.abc import Iterator
from dataclasses import dataclass

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

HEADINGS = ("/H", "/H1", "/H2", "/H3", "/H4", "/H5", "/H6")
TEXT_OPERATORS = {"Tj", "TJ", "'", '"'}


@dataclass(frozen=True)
class Tag:
    role: str
    text: str
    depth: int
    alt: str | None = None


def _text_of(obj: pdfium.PdfObject, textpage: pdfium.PdfTextPage) -> str:
    size = pdfium_c.FPDFTextObj_GetText(obj.raw, textpage.raw, None, 0)
    buffer = ctypes.create_string_buffer(size)
    pdfium_c.FPDFTextObj_GetText(obj.raw, textpage.raw,
                                 ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR)), size)
    return buffer.raw[:size].decode("utf-16-le", "replace").rstrip("\x00")


def _mark_names(obj: pdfium.PdfObject) -> list[str]:
    names = []
    for n in range(pdfium_c.FPDFPageObj_CountMarks(obj.raw)):
        mark = pdfium_c.FPDFPageObj_GetMark(obj.raw, n)
        length = ctypes.c_ulong()
        pdfium_c.FPDFPageObjMark_GetName(mark, None, 0, ctypes.byref(length))
        buffer = ctypes.create_string_buffer(length.value)
        pdfium_c.FPDFPageObjMark_GetName(mark, ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR)),
                                         length.value, ctypes.byref(length))
        names.append(buffer.raw.decode("utf-16-le").rstrip("\x00"))
    return names


@dataclass(frozen=True)
class PageText:
    by_mcid: dict[int, str]  # tagged text, by marked-content id
    artifacts: list[str]  # text inside an artifact (directly, or in a form drawn as one)


def _visit(obj: pdfium.PdfObject, in_artifact: bool, page: pdfium.PdfPage,
           doc: pdfium.PdfDocument, textpage: pdfium.PdfTextPage, found: PageText) -> None:
    artifact = in_artifact or "Artifact" in _mark_names(obj)
    if obj.type == pdfium_c.FPDF_PAGEOBJ_FORM:
        for n in range(pdfium_c.FPDFFormObj_CountObjects(obj.raw)):
            child = pdfium.PdfObject(pdfium_c.FPDFFormObj_GetObject(obj.raw, n), page=page,
                                     pdf=doc)
            _visit(child, artifact, page, doc, textpage, found)
    elif obj.type == pdfium_c.FPDF_PAGEOBJ_TEXT:
        text = _text_of(obj, textpage)
        mcid = pdfium_c.FPDFPageObj_GetMarkedContentID(obj.raw)
        if artifact:
            found.artifacts.append(text)
        elif mcid >= 0:
            found.by_mcid[mcid] = found.by_mcid.get(mcid, "") + text


def page_texts(data: bytes) -> list[PageText]:
    doc = pdfium.PdfDocument(data)
    out = []
    try:
        for index in range(len(doc)):
            page = doc[index]
            textpage = page.get_textpage()
            found = PageText({}, [])
            for obj in page.get_objects(max_depth=1):
                _visit(obj, False, page, doc, textpage, found)
            out.append(found)
    finally:
        doc.close()
    return out


def _kids(node: pikepdf.Object) -> list[pikepdf.Object]:
    kids = node.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def structure(data: bytes) -> list[Tag]:
    """Every element of the structure tree in reading order, with the text its marked content
    holds (its descendants' included)."""
    texts = page_texts(data)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        page_of = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
        tags: list[Tag] = []

        def walk(node: pikepdf.Object, page: int | None, depth: int) -> str:
            if "/Pg" in node:
                page = page_of[node.Pg.objgen]
            slot = len(tags)
            tags.append(Tag(str(node.get("/S")), "", depth))
            parts: list[str] = []
            for kid in _kids(node):
                if isinstance(kid, int):
                    assert page is not None
                    parts.append(texts[page].by_mcid.get(kid, ""))
                elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                    parts.append(texts[page_of[kid.Pg.objgen]].by_mcid.get(int(kid.MCID), ""))
                elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") != "/OBJR":
                    parts.append(walk(kid, page, depth + 1))
            text = "".join(parts)
            alt = str(node.Alt) if "/Alt" in node else None
            tags[slot] = Tag(tags[slot].role, text, depth, alt)
            return text

        for top in _kids(pdf.Root.StructTreeRoot):
            walk(top, None, 0)
        return tags


def artifact_texts(data: bytes) -> list[str]:
    return [text for page in page_texts(data) for text in page.artifacts]


def letters(text: str) -> str:
    """Only the letters and digits: line breaks, hyphens and spacing set aside."""
    return "".join(ch for ch in text if ch.isalnum())


def _content_marks(page: pikepdf.Page) -> Iterator[tuple[str, int | None, int]]:
    """Each operator of the page's content: (operator, MCID it opens or None, depth)."""
    depth = 0
    for instruction in pikepdf.parse_content_stream(page):
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            yield "BI", None, depth
            continue
        op = str(instruction.operator)
        mcid = None
        if op in ("BDC", "BMC"):
            operands = list(instruction.operands)
            if len(operands) == 2 and isinstance(operands[1], pikepdf.Dictionary):
                mcid = int(operands[1].get("/MCID", -1))
                mcid = None if mcid < 0 else mcid
            depth += 1
        elif op == "EMC":
            depth -= 1
        yield op, mcid, depth


def tagging_problems(data: bytes) -> list[str]:
    """The machine-checkable PDF/UA-1 rules, as problems found (none: all hold): marked, a
    structure tree, the language, the title shown and in the XMP, every marked-content id on
    every page reachable from the tree's root through an element on that page, unique parent
    tree keys, no content outside marked content, figures with alt text, headings present and
    none empty."""
    problems: list[str] = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root
        if not (root.get("/MarkInfo") and root.MarkInfo.get("/Marked") is True):
            problems.append("MarkInfo /Marked is not true")
        if "/StructTreeRoot" not in root:
            return [*problems, "no StructTreeRoot"]
    tags = structure(data)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root
        if not str(root.get("/Lang", "")).strip():
            problems.append("no /Lang")
        prefs = root.get("/ViewerPreferences")
        if not (prefs and prefs.get("/DisplayDocTitle") is True):
            problems.append("DisplayDocTitle is not true")
        title = str(pdf.docinfo.get("/Title", ""))
        if not title:
            problems.append("no /Title in the document information")
        with pdf.open_metadata() as meta:
            if meta.get("dc:title") != title:
                problems.append(f"XMP dc:title {meta.get('dc:title')!r} is not {title!r}")
            if meta.get("pdfuaid:part") != "1":
                problems.append("XMP does not declare PDF/UA-1 (pdfuaid:part)")
        tree = root.StructTreeRoot
        pairs = list(tree.ParentTree.Nums)
        parents = {int(pairs[k]): pairs[k + 1] for k in range(0, len(pairs), 2)}
        # The elements reachable from the root, with the (page, MCID)s each holds.
        reached: dict[tuple[int, int], set[int]] = {}
        held: set[tuple[tuple[int, int], int]] = set()
        objects: set[tuple[int, int]] = set()
        stack: list[tuple[pikepdf.Object, tuple[int, int] | None]] = [(tree, None)]
        while stack:
            node, page = stack.pop()
            if "/Pg" in node:
                page = node.Pg.objgen
            for kid in _kids(node):
                if isinstance(kid, int) and page is not None:
                    held.add((page, kid))
                    reached.setdefault(node.objgen, set()).add(kid)
                elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                    held.add((kid.Pg.objgen, int(kid.MCID)))
                elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                    objects.add(kid.Obj.objgen)
                elif isinstance(kid, pikepdf.Dictionary):
                    stack.append((kid, page))
        on_pages = {annotation.objgen for page in pdf.pages
                    for annotation in page.obj.get("/Annots", pikepdf.Array())}
        if objects - on_pages:
            problems.append(f"{len(objects - on_pages)} annotation(s) in the tree on no page")
        keys: dict[int, int] = {}
        annotation_keys: set[int] = set()
        for number, page in enumerate(pdf.pages, start=1):
            key = page.obj.get("/StructParents")
            if key is not None:
                if int(key) in keys:
                    problems.append(f"page {number}: StructParents {key} is page "
                                    f"{keys[int(key)]}'s too")
                keys[int(key)] = number
            owners = parents.get(int(key)) if key is not None else None
            for op, mcid, depth in _content_marks(page):
                if mcid is not None:
                    owner = owners[mcid] if owners is not None and mcid < len(owners) else None
                    if (page.obj.objgen, mcid) not in held or not isinstance(
                            owner, pikepdf.Dictionary) or mcid not in reached.get(
                            owner.objgen, set()):
                        problems.append(f"page {number}: MCID {mcid} is not reached from the "
                                        "structure tree through its parent tree entry")
                if depth == 0 and (op in TEXT_OPERATORS or op in ("Do", "BI")):
                    problems.append(f"page {number}: {op} outside any marked content")
            for annotation in page.obj.get("/Annots", pikepdf.Array()):
                key = annotation.get("/StructParent")
                if key is None or not isinstance(parents.get(int(key)), pikepdf.Dictionary):
                    problems.append(f"page {number}: an annotation without its element")
                elif int(key) in annotation_keys:
                    problems.append(f"page {number}: StructParent {key} is used twice")
                else:
                    annotation_keys.add(int(key))
        if annotation_keys & set(keys):
            problems.append("an annotation's StructParent is a page's StructParents")
        for tag in tags:
            if tag.role == "/Figure" and not (tag.alt or "").strip():
                problems.append("a Figure without Alt")
            if tag.role in HEADINGS and not tag.text.strip():
                problems.append(f"an empty {tag.role}")
        if not any(tag.role in HEADINGS for tag in tags):
            problems.append("no headings")
    return problems
