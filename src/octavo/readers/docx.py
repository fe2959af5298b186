"""Word manuscripts (.docx) -> Document, read for what the author meant.

python-docx opens the package (parts, relationships, styles); the paragraphs, runs, notes and
revisions are read from its XML here, because the meaning lives in details no converter keeps
apart: which style a paragraph has (and what that style is based on), which runs are italic by
the author's hand rather than by their paragraph's style, which text a revision deleted.
``wordproc`` turns the paragraphs into the book; see it for the rules they share with ODT.

Kept: the Title (and Subtitle) style as the book's title; Heading 1-9 (or any style or paragraph
with an outline level) as headings, which make chapters and sections as Markdown's do
(``[docx] part_level / chapter_level``); italic, bold and small-capital runs (direct or by a
character style; underlining, the typescript sign for italics, as italics); Quote, Intense
Quote and Block Text as block quotes; footnotes and endnotes; pictures with their alt text
and a Caption paragraph after them; hyperlinks; line breaks (as verse); numbered and bulleted
lists; tables as one line of text per row (with a warning); the styles that mark verse, a
play's speakers, speeches and directions and a letter's parts (``wordstyles``), and a verse
line's tab and paragraph indents.

Dropped: fonts, sizes, colours, alignment and spacing; empty paragraphs used for spacing (two or
more in a row are a scene break); tab and space indents outside verse; page, column and section
breaks; hidden text; headers, footers and a generated table of contents; comments (with a
warning); deleted text of tracked changes, whose inserted text is kept as if accepted (with a
warning); text boxes, charts and shapes (with a warning).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from ..errors import OctavoError
from ..linktargets import safe_link_target, unlinked_message
from ..model import LineBreak, Link, NoteRef, SourceSpan, Text
from .archive import open_package, parse_xml
from .document import Document
from .outline import heading_levels
from .wordproc import (
    Gathered,
    ParagraphKind,
    Piece,
    Styling,
    WordParagraph,
    WordReading,
    element_text,
    picture,
    small_number,
    styled_inlines,
    word_document,
)
from .wordstyles import style_role

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {
    "w": W_NS,
    "r": R_NS,
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "v": "urn:schemas-microsoft-com:vml",
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
}
RT_FOOTNOTES = f"{R_NS}/footnotes"
RT_ENDNOTES = f"{R_NS}/endnotes"
RT_COMMENTS = f"{R_NS}/comments"


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def attr(el: etree._Element | None, name: str, ns: str = W_NS) -> str | None:
    if el is None:
        return None
    value = el.get(f"{{{ns}}}{name}")
    return str(value) if value is not None else None


def is_on(el: etree._Element | None) -> bool | None:
    """A Word on/off property: absent is None, ``<w:i/>`` or ``w:val="true"`` on, ``"0"`` off."""
    if el is None:
        return None
    return attr(el, "val") not in ("0", "false", "off", "none")


# Style names as Word writes them in styles.xml (lower case for its built-in styles).
QUOTE_STYLES = frozenset({"quote", "intense quote", "block text", "quotations", "block quote",
                          "block quotation"})
HEADING_STYLE = re.compile(r"heading ([1-9])")
# Inside these lives only what the word processor generated or the author hid from the text.
SKIPPED_STYLES = re.compile(r"toc( \d|\s*heading)?|table of (contents|figures)|index \d")
# Changes tracked in the text; formatting changes (rPrChange, pPrChange) keep their new state.
REVISIONS = ("ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange")


@dataclass(frozen=True, slots=True)
class _Indent:
    """A paragraph's ``w:ind`` in points: its left indent and its first line's from there
    (negative when it hangs); None where it sets neither."""

    left: float | None = None
    first_line: float | None = None


def _twips(value: str | None) -> float | None:
    return int(value) / 20 if value and re.fullmatch(r"-?\d{1,7}", value) else None


def _indent(ppr: etree._Element | None) -> _Indent:
    ind = ppr.find(w("ind")) if ppr is not None else None
    if ind is None:
        return _Indent()
    left = _twips(attr(ind, "left") or attr(ind, "start"))
    first = _twips(attr(ind, "firstLine"))
    hanging = _twips(attr(ind, "hanging"))
    return _Indent(left, -hanging if hanging is not None else first)


@dataclass(frozen=True, slots=True)
class _Style:
    name: str
    based_on: str | None
    outline: int | None
    styling: Mapping[Styling, bool]
    numbered: bool
    indent: _Indent


def _run_styling(rpr: etree._Element | None) -> dict[Styling, bool]:
    """The emphasis a run's properties set, on or off: italic, bold, small capitals, and
    underlining, which a typescript uses for italics."""
    if rpr is None:
        return {}
    found: dict[Styling, bool] = {}
    for styling, tag in (("em", "i"), ("strong", "b"), ("smallcaps", "smallCaps")):
        value = is_on(rpr.find(w(tag)))
        if value is not None:
            found[styling] = value  # type: ignore[index]
    underline = rpr.find(w("u"))
    if underline is not None and attr(underline, "val") not in (None, "none", "0") and (
        "em" not in found
    ):
        found["em"] = True
    return found


def _styles(root: etree._Element | None) -> dict[str, _Style]:
    styles: dict[str, _Style] = {}
    if root is None:
        return styles
    for el in root.iterfind(w("style")):
        style_id = attr(el, "styleId")
        if style_id is None:
            continue
        outline = attr(el.find(f"{w('pPr')}/{w('outlineLvl')}"), "val")
        rpr = el.find(w("rPr"))
        styles[style_id] = _Style(
            name=(attr(el.find(w("name")), "val") or style_id).strip().lower(),
            based_on=attr(el.find(w("basedOn")), "val"),
            outline=small_number(outline),
            # Underlining in a character style is how a Hyperlink looks, not the author's mark.
            styling={k: v for k, v in _run_styling(rpr).items()
                     if k != "em" or is_on(rpr.find(w("i"))) is not None} if rpr is not None
            else {},
            numbered=el.find(f"{w('pPr')}/{w('numPr')}") is not None,
            indent=_indent(el.find(w("pPr"))),
        )
    return styles


class _DocxReader:
    def __init__(self, document: Any, reading: WordReading, path: Path) -> None:
        self.reading = reading
        self.path = path
        self.part = document.part
        styles_part = self._related(self.part, f"{R_NS}/styles")
        self.styles = _styles(parse_xml(styles_part.blob, path, "styles.xml")
                              if styles_part is not None else None)
        self.numbering = self._xml(self.part, f"{R_NS}/numbering")
        self.note_parts: dict[str, tuple[Any, dict[str, etree._Element]]] = {}
        for kind, reltype in (("footnote", RT_FOOTNOTES), ("endnote", RT_ENDNOTES)):
            part = self._related(self.part, reltype)
            root = parse_xml(part.blob, path, f"{kind}s.xml") if part is not None else None
            bodies = {attr(el, "id") or "": el for el in root.iterfind(w(kind))
                      } if root is not None else {}
            self.note_parts[kind] = (part, bodies)
        comments = self._xml(self.part, RT_COMMENTS)
        self.comments = len(comments.findall(w("comment"))) if comments is not None else 0
        self.revisions = False
        self.line = 0
        self.carried: Gathered | None = None
        self.warned: set[str] = set()

    # ----------------------------------------------------------------- package

    @staticmethod
    def _related(part: Any, reltype: str) -> Any:
        for rel in part.rels.values():
            if rel.reltype == reltype and not rel.is_external:
                return rel.target_part
        return None

    def _xml(self, part: Any, reltype: str) -> etree._Element | None:
        related = self._related(part, reltype)
        return parse_xml(related.blob, self.path, str(related.partname)) if related else None

    def warn_once(self, code: str, message: str) -> None:
        if code not in self.warned:
            self.warned.add(code)
            self.reading.warn(code, message, max(1, self.line))

    # ----------------------------------------------------------------- styles

    def _chain(self, style_id: str | None) -> Iterator[_Style]:
        seen: set[str] = set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            style = self.styles[style_id]
            yield style
            style_id = style.based_on

    def _kind(self, ppr: etree._Element | None) -> tuple[ParagraphKind | None, int, bool]:
        """What a paragraph is by its style (through the styles it is based on): its kind
        (None: skip it), heading level, and for a list item whether it is numbered."""
        style_id = attr(ppr.find(w("pStyle")), "val") if ppr is not None else None
        for style in self._chain(style_id):
            if style.name == "title":
                return "title", 0, False
            if style.name == "subtitle":
                return "subtitle", 0, False
            if heading := HEADING_STYLE.fullmatch(style.name):
                return "heading", int(heading.group(1)), False
            if style.name in QUOTE_STYLES:
                return "quote", 0, False
            if style.name == "caption":
                return "caption", 0, False
            if SKIPPED_STYLES.fullmatch(style.name):
                return None, 0, False
            if (role := style_role(style.name)) is not None:
                return role, 0, False
            if style.outline is not None and style.outline < 9:
                return "heading", style.outline + 1, False
        direct = small_number(attr(ppr.find(w("outlineLvl")), "val") if ppr is not None
                              else None)
        if direct is not None and direct < 9:
            return "heading", direct + 1, False
        numbering = ppr.find(w("numPr")) if ppr is not None else None
        if numbering is not None and attr(numbering.find(w("numId")), "val") not in (None, "0"):
            return "list-item", 0, self._numbered(numbering)
        if numbering is None and any(s.numbered for s in self._chain(style_id)):
            return "list-item", 0, False
        return "body", 0, False

    def _indent(self, ppr: etree._Element | None) -> tuple[float, float]:
        """A paragraph's left and first-line indents: its own, else its styles'."""
        style_id = attr(ppr.find(w("pStyle")), "val") if ppr is not None else None
        found = [_indent(ppr), *(s.indent for s in self._chain(style_id))]
        left = next((i.left for i in found if i.left is not None), 0.0)
        first = next((i.first_line for i in found if i.first_line is not None), 0.0)
        return left, first

    def _numbered(self, numbering: etree._Element) -> bool:
        """Whether a list's level counts (1, a, i) rather than bullets."""
        if self.numbering is None:
            return False
        num_id = attr(numbering.find(w("numId")), "val")
        level = attr(numbering.find(w("ilvl")), "val") or "0"
        for num in self.numbering.iterfind(w("num")):
            if attr(num, "numId") != num_id:
                continue
            abstract = attr(num.find(w("abstractNumId")), "val")
            for definition in self.numbering.iterfind(w("abstractNum")):
                if attr(definition, "abstractNumId") != abstract:
                    continue
                for lvl in definition.iterfind(w("lvl")):
                    if attr(lvl, "ilvl") == level:
                        return attr(lvl.find(w("numFmt")), "val") not in (None, "bullet", "none")
        return False

    def _character_styling(self, rpr: etree._Element | None) -> frozenset[Styling]:
        """A run's emphasis: its own properties first, then its character style's chain.
        A paragraph style's look (an italic Quote, a bold Heading) is not the author's mark."""
        found: dict[Styling, bool] = {}
        style_id = attr(rpr.find(w("rStyle")), "val") if rpr is not None else None
        for style in reversed(list(self._chain(style_id))):
            found.update(style.styling)
        found.update(_run_styling(rpr))
        return frozenset(k for k, v in found.items() if v)

    # ----------------------------------------------------------------- blocks

    def blocks(self, container: etree._Element, part: Any) -> Iterator[WordParagraph]:
        for el in container:
            tag = el.tag
            if tag == w("p"):
                para = self.paragraph(el, part)
                if para is not None:
                    yield para
            elif tag == w("tbl"):
                yield from self.table(el, part)
            elif tag == w("sdt"):
                gallery = el.find(f"{w('sdtPr')}/{w('docPartObj')}/{w('docPartGallery')}")
                content = el.find(w("sdtContent"))
                if content is not None and "table of" not in (attr(gallery, "val") or "").lower():
                    yield from self.blocks(content, part)
            elif tag in (w("ins"), w("moveTo"), w("customXml")):
                self.revisions |= tag != w("customXml")
                yield from self.blocks(el, part)
            elif tag in (w("del"), w("moveFrom")):
                self.revisions = True

    def paragraph(self, p: etree._Element, part: Any) -> WordParagraph | None:
        self.line += 1
        ppr = p.find(w("pPr"))
        kind, level, ordered = self._kind(ppr)
        content = self.carried or Gathered()
        self.carried = None
        self.inline_content(p, part, content)
        if ppr is not None and ppr.find(f"{w('rPr')}/{w('del')}") is not None:
            # The paragraph mark itself was deleted: accepted, this text runs on into the next.
            self.revisions = True
            self.carried = content
            return None
        if kind is None:
            return None
        left, first_line = self._indent(ppr)
        return WordParagraph(kind, tuple(content.pieces), SourceSpan(str(self.path), self.line),
                             level, tuple(content.images), ordered, left, first_line)

    def table(self, tbl: etree._Element, part: Any) -> Iterator[WordParagraph]:
        self.warn_once("W004", "table kept as plain text, one row per line")
        for row in tbl.iterfind(w("tr")):
            self.line += 1
            content = Gathered()
            for k, cell in enumerate(row.iterfind(w("tc"))):
                if k:
                    content.pieces.append(Piece(Text(" | ")))
                for n, p in enumerate(cell.iterfind(f".//{w('p')}")):
                    if n:
                        content.pieces.append(Piece(Text(" ")))
                    self.inline_content(p, part, content)
            yield WordParagraph("body", tuple(content.pieces),
                                SourceSpan(str(self.path), self.line), 0, tuple(content.images))

    # ----------------------------------------------------------------- inlines

    def inline_content(self, parent: etree._Element, part: Any, para: Gathered) -> None:
        for el in parent:
            tag = el.tag
            if tag == w("r"):
                self.run(el, part, para)
            elif tag in (w("ins"), w("moveTo")):
                self.revisions = True
                self.inline_content(el, part, para)
            elif tag in (w("del"), w("moveFrom")):
                self.revisions = True
            elif tag in (w("smartTag"), w("customXml"), w("fldSimple"), w("bdo"), w("dir")):
                self.inline_content(el, part, para)
            elif tag == w("sdt"):
                content = el.find(w("sdtContent"))
                if content is not None:
                    self.inline_content(content, part, para)
            elif tag == w("hyperlink"):
                self.hyperlink(el, part, para)
            elif tag in (f"{{{NS['m']}}}oMath", f"{{{NS['m']}}}oMathPara"):
                text = "".join(element_text(t, self.reading, self.line)
                               for t in el.iter(f"{{{NS['m']}}}t"))
                para.pieces.append(Piece(Text(text)))

    def hyperlink(self, el: etree._Element, part: Any, para: Gathered) -> None:
        inner = Gathered()
        self.inline_content(el, part, inner)
        para.images.extend(inner.images)
        rel_id = attr(el, "id", R_NS)
        rel = part.rels.get(rel_id) if rel_id else None
        target = str(rel.target_ref) if rel is not None and rel.is_external else None
        if target is not None and inner.pieces and safe_link_target(target) is None:
            self.reading.warn("L002", unlinked_message(target), max(1, self.line))
            para.pieces.extend(inner.pieces)
        elif target is not None and inner.pieces:
            para.pieces.append(Piece(Link(target, styled_inlines(inner.pieces))))
        else:  # a link inside the document (a bookmark) means nothing in the book
            para.pieces.extend(inner.pieces)

    def run(self, r: etree._Element, part: Any, para: Gathered) -> None:
        rpr = r.find(w("rPr"))
        if rpr is not None and is_on(rpr.find(w("vanish"))):
            return
        if rpr is not None and rpr.find(w("rPrChange")) is not None:
            self.revisions = True
        self.run_content(r, part, para, self._character_styling(rpr))

    def run_content(self, container: etree._Element, part: Any, para: Gathered,
                    styling: frozenset[Styling]) -> None:
        for el in container:
            tag = el.tag
            if tag == w("t"):
                para.pieces.append(Piece(Text(element_text(el, self.reading, self.line)),
                                         styling))
            elif tag in (w("tab"), w("ptab")):
                para.pieces.append(Piece(Text("\t")))
            elif tag == w("br"):
                if attr(el, "type") in (None, "textWrapping"):
                    para.pieces.append(Piece(LineBreak()))
            elif tag == w("cr"):
                para.pieces.append(Piece(LineBreak()))
            elif tag == w("noBreakHyphen"):
                para.pieces.append(Piece(Text("\u2011"), styling))
            elif tag in (w("footnoteReference"), w("endnoteReference")):
                self.note(el, "footnote" if tag == w("footnoteReference") else "endnote", para)
            elif tag == w("drawing"):
                self.drawing(el, part, para)
            elif tag == w("pict"):
                self.vml_picture(el, part, para)
            elif tag == f"{{{NS['mc']}}}AlternateContent":
                choice = el.find(f"{{{NS['mc']}}}Choice")
                if choice is not None:
                    self.run_content(choice, part, para, styling)
            elif tag == w("commentReference"):
                self.comments = max(self.comments, 1)

    def note(self, ref: etree._Element, kind: str, para: Gathered) -> None:
        part, bodies = self.note_parts[kind]
        body = bodies.get(attr(ref, "id") or "")
        if body is None:
            return
        note_id = self.reading.new_note_id()
        self.reading.notes[note_id] = []  # numbered now, in reading order
        para.pieces.append(Piece(NoteRef(note_id)))
        line = self.line
        self.reading.notes[note_id] = list(self.blocks(body, part))
        self.line = line

    # ----------------------------------------------------------------- pictures

    def drawing(self, el: etree._Element, part: Any, para: Gathered) -> None:
        doc_pr = el.find(".//wp:docPr", NS)
        alt = (doc_pr.get("descr") or doc_pr.get("title") or "") if doc_pr is not None else ""
        blip = el.find(".//a:blip", NS)
        if blip is None:
            what = "text box" if el.find(f".//{w('txbxContent')}") is not None else "drawing"
            self.warn_once("W005", f"a {what} that is not a picture was dropped (keep the "
                           "book's text in its paragraphs)")
            return
        self.embedded(attr(blip, "embed", R_NS), attr(blip, "link", R_NS), alt, part, para)

    def vml_picture(self, el: etree._Element, part: Any, para: Gathered) -> None:
        """A picture in the older VML markup, as files converted from .doc carry them."""
        data = el.find(".//v:imagedata", NS)
        if data is None:
            self.warn_once("W005", "a drawing that is not a picture was dropped")
            return
        shape = el.find(".//v:shape", NS)
        alt = (shape.get("alt") or "") if shape is not None else ""
        self.embedded(attr(data, "id", R_NS), None, alt or data.get("title") or "", part, para)

    def embedded(self, rel_id: str | None, link: str | None, alt: str, part: Any,
                 para: Gathered) -> None:
        span = SourceSpan(str(self.path), max(1, self.line))
        target = part.related_parts.get(rel_id) if rel_id else None
        if target is None:
            self.reading.warn("W003", "a linked picture was dropped: octavo reads only what the "
                              "file carries (insert the picture, not a link to it)"
                              if link else "a picture missing from the file was dropped",
                              span.line)
            return
        image = picture(self.reading, str(target.partname), target.blob, alt, span)
        if image is not None:
            para.images.append(image)


def _document_body(document: Any, path: Path) -> Any:
    """The main part's ``w:body``, or an error naming the file: python-docx opens a main part
    whose root is not ``w:document`` (its namespace damaged, say) as a plain element with no
    body, and one with no ``w:body`` as a body of None."""
    body = getattr(document.element, "body", None)
    if body is None:
        raise OctavoError("not a readable .docx file (its main part holds no Word document "
                          "body)", path)
    return body


def read_docx(data: bytes, path: Path, options: Mapping[str, Any] | None = None) -> Document:
    """A .docx file's bytes -> Document (``[docx]`` options: ``part_level``, ``chapter_level``)."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    levels = heading_levels(options or {}, "docx", path)
    open_package(data, path, ".docx").close()  # sizes checked before python-docx unpacks it
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, etree.XMLSyntaxError) as exc:
        raise OctavoError(f"not a readable .docx file ({exc})", path) from None
    except Exception:  # python-docx meets a broken package with whatever error it hits first
        raise OctavoError("not a readable .docx file (its parts or their links are broken)",
                          path) from None
    body = _document_body(document, path)
    stem = re.sub(r"[^A-Za-z0-9]+", "-", path.stem).strip("-") or "note"
    reading = WordReading(str(path), stem)
    reader = _DocxReader(document, reading, path)
    reading.paragraphs.extend(reader.blocks(body, document.part))
    if reader.revisions:
        reading.warn("W001", f"{path.name} has tracked changes: read as if all were accepted "
                     "(deleted text dropped, inserted text kept)")
    if reader.comments:
        reading.warn("W002", f"{path.name} has comments: dropped (they are not the book's text)")
    return word_document(reading, levels)
