"""A PDF read on screens is tagged (PDF/UA-1): a structure tree in reading order, running
heads, folios and marks as artifacts, the language, the title shown by viewers.

WeasyPrint tags each piece; the join gathers the pieces' trees into one (:func:`join_structure`)
and the finish makes every piece of content that no element of the tree reaches an artifact
(:func:`untagged_as_artifacts`): the front matter's own running heads and folios, which
WeasyPrint marks but leaves out of its tree, and what octavo hides from assistive technology.
The margin layer is drawn as an artifact where the join draws it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pikepdf

from .leaders import leaders_drawn_once

# The variant a piece is written as, with this suffix when it is tagged (so the chapter cache
# keeps tagged and untagged pieces apart).
TAGGED = "+tagged"

ARTIFACT_BEGIN = b"/Artifact BMC\n"
ARTIFACT_END = b"\nEMC\n"

_TEXT_OBJECT_BEGIN = "BT"
_TEXT_OBJECT_END = "ET"
_MARKED_BEGIN = ("BDC", "BMC")
_MARKED_END = "EMC"
_PAINTS_FORM = "Do"
# Text shown outside a text object is not valid PDF; only these show text inside one.
_SHOWS_TEXT = ("Tj", "TJ", "'", '"')


def tagged_variant(variant: str | None) -> str:
    return (variant or "") + TAGGED


def untagged_variant(variant: str | None) -> str | None:
    """The variant without the tagging suffix (the margin layer is never tagged)."""
    if variant is None or not variant.endswith(TAGGED):
        return variant
    return variant[:-len(TAGGED)] or None


def pdf_writing(variant: str | None) -> dict[str, Any]:
    """WeasyPrint's ``write_pdf`` options for a variant: PDF/X, tagged or both."""
    if variant is not None and variant.endswith(TAGGED):
        return {"pdf_variant": untagged_variant(variant), "pdf_tags": True}
    return {"pdf_variant": variant}


def _hidden(box: Any) -> bool:
    element = getattr(getattr(box, "_box", box), "element", None)
    return element is not None and element.get("aria-hidden") == "true"


def _is_note(box: Any) -> bool:
    """A footnote's own box: not its call or marker (pseudo-elements of the same element)."""
    element = getattr(box, "element", None)
    return (element is not None and "::" not in (getattr(box, "element_tag", "") or "")
            and "footnote" in (element.get("class") or "").split())


def _identity(box: Any) -> tuple[int, str, int] | None:
    """What a box's fragments on several pages share: its element, its tag (a pseudo-element
    has its element's) and its style (an anonymous box has its parent's element and tag but
    a style of its own)."""
    element = getattr(box, "element", None)
    if element is None or getattr(box, "style", None) is None:
        return None
    return id(element), str(box.element_tag), id(box.style)


def _reference_number(reference: Any) -> int | None:
    text = reference.decode() if isinstance(reference, bytes) else str(reference)
    parts = text.split()
    return int(parts[0]) if len(parts) == 3 and parts[2] == "R" else None


def _continue(earlier: Any, element: Any, pdf: Any, page_number: int, nums: dict[int, Any],
              annotations: list[Any]) -> None:
    """``element``, the part of a box on a later page, folded into ``earlier``, its part on
    an earlier one: its kids become ``earlier``'s (a marked-content id as a reference naming
    its page), and whatever pointed at it points at ``earlier``."""
    dictionary = type(earlier)  # pydyf's, which has no type information
    for kid in element["K"]:
        if isinstance(kid, int):
            earlier["K"].append(dictionary({
                "Type": "/MCR", "Pg": pdf.page_references[page_number], "MCID": kid}))
            nums[kid] = earlier.reference
            continue
        number = _reference_number(kid)
        if number is not None:
            target = pdf.objects[number]
            if isinstance(target, dictionary) and target.get("Type") == "/StructElem":
                target["P"] = earlier.reference
        earlier["K"].append(kid)
    for index, (reference, annotation) in enumerate(annotations):
        if reference == element.reference:
            annotations[index] = (earlier.reference, annotation)


# A run of leader dots (the contents' entries) says nothing read aloud.
_LEADERS = re.compile(r"(?:\s*[.·…]){3,}\s*")


def _link_description(box: Any) -> str:
    """What a link's box says (its text, leader dots left out), for its annotation's
    description: WeasyPrint gives the target's name (``chapter-3``), no words for a listener.
    Empty for a box with no words (a fragment of leader dots), which keeps WeasyPrint's."""
    text = " ".join(getattr(child, "text", "") for child in box.descendants()
                    if type(child).__name__ == "TextBox")
    return " ".join(_LEADERS.sub(" ", text).split())


@contextmanager
def octavo_tags() -> Iterator[None]:
    """WeasyPrint's tagging, told what the HTML says and its tree builder does not keep:
    an element hidden from assistive technology (``aria-hidden``, as a review edition's mark
    on every page) stays out of the tree, as WeasyPrint's margin boxes do, so the finish makes
    it an artifact; a footnote is a ``Note``; a table's header cell heads its row or its
    column; a link's description is its text; and an element running over several pages is one element, not one a page (a
    paragraph is read as one, a chapter is one section). WeasyPrint has no hook for any of
    these, so its tree builder is wrapped while a piece is written."""
    from weasyprint.pdf import tags

    original = tags._build_box_tree
    seen: dict[tuple[int, str, int], Any] = {}

    def build(box: Any, parent: Any, pdf: Any, page_number: int, nums: dict[int, Any],
              annotations: list[Any], marked: Any) -> Iterator[Any]:
        args = (pdf, page_number, nums, annotations, marked)
        if _hidden(box):
            tuple(original(box, parent, *args))  # its content mapped, then left out
            return
        identity = _identity(getattr(box, "_box", box))
        described = _link_description(box) if getattr(box, "link_annotation", None) else ""
        if described:
            box.link_annotation["Contents"] = type(box.link_annotation["Contents"])(described)
        for element in original(box, parent, *args):
            if _is_note(box) and parent["S"] != "/Note":
                element["S"] = "/Note"
            elif element["S"] == "/TH" and "A" in element:
                # Whether a header heads its row or its column, as the HTML's scope says.
                scope = box.element.get("scope") if box.element is not None else None
                element["A"]["Scope"] = "/Row" if scope == "row" else "/Column"
            earlier = seen.get(identity) if identity is not None else None
            if earlier is not None and earlier["S"] == element["S"]:
                _continue(earlier, element, pdf, page_number, nums, annotations)
                continue
            if identity is not None:
                seen[identity] = element
            yield element

    tags._build_box_tree = build
    try:
        yield
    finally:
        tags._build_box_tree = original


def write_piece(document: Any, variant: str | None) -> bytes:
    """A laid-out WeasyPrint document written as PDF, tagged when the variant says so."""
    options = pdf_writing(variant)
    if not options.get("pdf_tags"):
        with leaders_drawn_once():
            data: bytes = document.write_pdf(uncompressed_pdf=False, **options)
        return data
    with octavo_tags(), leaders_drawn_once():
        tagged: bytes = document.write_pdf(uncompressed_pdf=False, **options)
    return tagged


def draw_as_artifact(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
    """A page of the margin layer's own (a blank page, an edition's last page): all of it an
    artifact."""
    page.contents_add(pdf.make_stream(ARTIFACT_BEGIN), prepend=True)
    page.contents_add(pdf.make_stream(ARTIFACT_END))


def _kids(node: pikepdf.Object) -> list[pikepdf.Object]:
    kids = node.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def join_structure(pdf: pikepdf.Pdf,
                   sources: Sequence[tuple[pikepdf.Pdf, Sequence[int]]]) -> None:
    """One structure tree of the sources' own, in order, each source's pages at the given
    positions of ``pdf`` (copied there before). The parent tree's keys (each page's
    ``StructParents``, each annotation's ``StructParent``) are renumbered to follow on from the
    source before; the marked-content ids stay as they are, each page keeping its own."""
    document = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document, K=pikepdf.Array()))
    root = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot,
                                                K=pikepdf.Array([document])))
    document.P = root
    nums = pikepdf.Array()
    offset = 0
    for source, positions in sources:
        if "/StructTreeRoot" not in source.Root:
            continue
        # Copied after the pages: qpdf maps the tree's page and annotation references onto
        # the copies already made.
        tree = pdf.copy_foreign(source.Root.StructTreeRoot)
        for top in _kids(tree):
            for kid in _kids(top):
                if isinstance(kid, pikepdf.Dictionary):
                    kid.P = document
                document.K.append(kid)
        pairs = list(tree.ParentTree.get("/Nums", pikepdf.Array()))
        if "/Kids" in tree.ParentTree:
            raise ValueError("a piece's parent tree has kids: only a flat one is joined")
        keys = [int(pairs[k]) for k in range(0, len(pairs), 2)]
        for k in range(0, len(pairs), 2):
            nums.append(int(pairs[k]) + offset)
            nums.append(pairs[k + 1])
        for position in positions:
            page = pdf.pages[position].obj
            if "/StructParents" in page:
                page.StructParents = int(page.StructParents) + offset
            for annotation in page.get("/Annots", pikepdf.Array()):
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + offset
        offset += max(keys, default=-1) + 1
    root.ParentTree = pdf.make_indirect(pikepdf.Dictionary(Nums=nums))
    root.ParentTreeNextKey = offset
    pdf.Root.StructTreeRoot = root


def _reachable(root: pikepdf.Object) -> set[tuple[int, int]]:
    """The structure elements the tree reaches from its root."""
    seen: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        for kid in _kids(node):
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") not in (
                    pikepdf.Name.MCR, pikepdf.Name.OBJR) and kid.objgen not in seen:
                if kid.is_indirect:
                    seen.add(kid.objgen)
                stack.append(kid)
    return seen


def _parent_tree(root: pikepdf.Object) -> dict[int, pikepdf.Object]:
    pairs = list(root.get("/ParentTree", pikepdf.Dictionary()).get("/Nums", pikepdf.Array()))
    return {int(pairs[k]): pairs[k + 1] for k in range(0, len(pairs), 2)}


def _mcid(operands: Sequence[pikepdf.Object]) -> int | None:
    if len(operands) == 2 and isinstance(operands[1], pikepdf.Dictionary) \
            and "/MCID" in operands[1]:
        return int(operands[1].MCID)
    return None


def _as_artifacts(instructions: Sequence[Any], orphans: set[int]) -> list[Any] | None:
    """The page's instructions with each orphan marked-content sequence an artifact and each
    text object or form drawn outside any marked content wrapped in one; None when nothing
    had to change."""
    out: list[Any] = []
    depth = 0
    in_loose_text = False
    changed = False
    begin = pikepdf.ContentStreamInstruction([pikepdf.Name.Artifact], pikepdf.Operator("BMC"))
    end = pikepdf.ContentStreamInstruction([], pikepdf.Operator(_MARKED_END))
    for instruction in instructions:
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            out.append(instruction)
            continue
        op = str(instruction.operator)
        if op in _MARKED_BEGIN:
            depth += 1
            if op == "BDC" and _mcid(list(instruction.operands)) in orphans:
                out.append(begin)
                changed = True
                continue
        elif op == _MARKED_END:
            depth = max(0, depth - 1)
        elif depth == 0 and op == _TEXT_OBJECT_BEGIN:
            out.append(begin)
            in_loose_text = changed = True
        elif depth == 0 and op == _PAINTS_FORM:
            out.extend((begin, instruction, end))
            changed = True
            continue
        out.append(instruction)
        if op == _TEXT_OBJECT_END and in_loose_text:
            out.append(end)
            in_loose_text = False
    return out if changed else None


def untagged_as_artifacts(pdf: pikepdf.Pdf) -> None:
    """Every piece of content that no element of the structure tree reaches becomes an
    artifact: marked content whose element is left out of the tree (its parent-tree entry
    emptied), and text or forms drawn outside any marked content."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return
    reachable = _reachable(root)
    parents = _parent_tree(root)
    for page in pdf.pages:
        key = page.obj.get("/StructParents")
        orphans: set[int] = set()
        owners = parents.get(int(key)) if key is not None else None
        if isinstance(owners, pikepdf.Array):
            for mcid, owner in enumerate(owners):
                if isinstance(owner, pikepdf.Dictionary) and owner.objgen not in reachable:
                    orphans.add(mcid)
                    owners[mcid] = None
        rewritten = _as_artifacts(pikepdf.parse_content_stream(page), orphans)
        if rewritten is not None:
            page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(rewritten))


def mark_for_screens(pdf: pikepdf.Pdf) -> None:
    """What a tagged PDF declares: that it is tagged, that viewers show its title, and its
    title and PDF/UA-1 conformance in its XMP."""
    pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
    pdf.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
    title = pdf.docinfo.get("/Title")
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        if title is not None:
            meta["dc:title"] = str(title)
        meta["pdfuaid:part"] = "1"


def drop_dangling_annotation_refs(pdf: pikepdf.Pdf) -> None:
    """The tree's references to annotations no page holds any more (PDF/X drops the links)
    taken out of it."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return
    held = {annotation.objgen for page in pdf.pages
            for annotation in page.obj.get("/Annots", pikepdf.Array())}
    stack = [root]
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        if not isinstance(kids, pikepdf.Array):
            kids = pikepdf.Array([kids]) if kids is not None else pikepdf.Array()
        kept = pikepdf.Array()
        for kid in kids:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == pikepdf.Name.OBJR:
                if kid.Obj.objgen in held:
                    kept.append(kid)
                continue
            kept.append(kid)
            if isinstance(kid, pikepdf.Dictionary):
                stack.append(kid)
        if len(kept) != len(kids):
            node.K = kept
