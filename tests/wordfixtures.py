"""Small Word and OpenDocument manuscripts written by the tests themselves: python-docx writes
.docx (with the XML it has no API for: notes, revisions, alt text), odfpy writes .odt.

``Novel`` is one text told once and written three ways (Markdown, DOCX, ODT), each the way an
author's tool would write it, word-processor habits included, for the round trip."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f'xmlns:w="{W_NS}"'


def png_bytes(colour: tuple[int, int, int] = (40, 60, 90), size: tuple[int, int] = (60, 40)
              ) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


# --------------------------------------------------------------------------- DOCX helpers


def add_notes(document: Any, kind: str, texts: Sequence[str]) -> None:
    """A footnotes (or endnotes) part holding ``texts`` as notes 1, 2...: what Word writes,
    separators and the note's own number mark included."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    separators = "".join(
        f'<w:{kind} w:type="{t}" w:id="{i}"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
        for i, t in ((-1, "separator"), (0, "continuationSeparator")))
    notes = "".join(
        f'<w:{kind} w:id="{n}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
        f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:{kind}Ref/></w:r>'
        f'<w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:{kind}>'
        for n, text in enumerate(texts, 1))
    xml = f'<w:{kind}s {W}>{separators}{notes}</w:{kind}s>'
    content_type = CT.WML_FOOTNOTES if kind == "footnote" else CT.WML_ENDNOTES
    part = Part(PackURI(f"/word/{kind}s.xml"), content_type, xml.encode(), document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES if kind == "footnote" else RT.ENDNOTES)


def note_reference(paragraph: Any, n: int, kind: str = "footnote") -> None:
    from docx.oxml import parse_xml

    paragraph._p.append(parse_xml(
        f'<w:r {W}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
        f'<w:{kind}Reference w:id="{n}"/></w:r>'))


def tracked(paragraph: Any, inserted: str, deleted: str) -> None:
    """A revision Word tracked: ``deleted`` struck out, ``inserted`` in its place."""
    from docx.oxml import parse_xml

    paragraph._p.append(parse_xml(
        f'<w:del {W} w:id="91" w:author="Editor" w:date="2026-01-01T00:00:00Z"><w:r>'
        f'<w:delText xml:space="preserve">{deleted}</w:delText></w:r></w:del>'))
    paragraph._p.append(parse_xml(
        f'<w:ins {W} w:id="92" w:author="Editor" w:date="2026-01-01T00:00:00Z"><w:r>'
        f'<w:t xml:space="preserve">{inserted}</w:t></w:r></w:ins>'))


def add_picture(document: Any, data: bytes, alt: str) -> Any:
    """A picture in a paragraph of its own, with its alt text as Word stores it (descr)."""
    from docx.shared import Inches

    shape = document.add_picture(io.BytesIO(data), width=Inches(2))
    shape._inline.docPr.set("descr", alt)
    return shape


def save_docx(document: Any, path: Path) -> Path:
    document.save(str(path))
    return path


# --------------------------------------------------------------------------- the round-trip novel

Run = tuple[str, str]  # text, styling: "" | "i" | "b" | "ib"


@dataclass(frozen=True)
class Para:
    kind: str  # p, h1, h2, quote, break, image
    runs: tuple[Run, ...] = ()
    note: str | None = None


def p(*runs: Run | str, note: str | None = None, kind: str = "p") -> Para:
    return Para(kind, tuple((r, "") if isinstance(r, str) else r for r in runs), note)


TITLE = "The Lighthouse Keeper"
NOVEL: tuple[Para, ...] = (
    p("Chapter One", kind="h1"),
    p("It was a ", ("dark", "i"), " and ", ("stormy", "b"), " night.",
      note="Storms were common then."),
    p("\"Straight quotes,\" she said. 'Tis the season; in the '90s we played rock 'n' roll."),
    Para("break"),
    p("After the break, the keeper climbed the ", ("hundred and one", "i"), " steps."),
    Para("image", (("A lighthouse at dusk", ""),)),
    p("A letter, quoted whole.", kind="quote"),
    p("The Lamp Room", kind="h2"),
    p("The lamp ", ("burned", "ib"), " all night."),
    p("Chapter Two", kind="h1"),
    p("The end of the story.", note="A second note."),
)


def _md_runs(runs: tuple[Run, ...]) -> str:
    marks = {"": "", "i": "*", "b": "**", "ib": "***"}
    return "".join(f"{marks[s]}{t}{marks[s]}" for t, s in runs)


def novel_markdown(image_name: str) -> str:
    out = [f"# {TITLE}", ""]
    notes: list[str] = []
    for para in NOVEL:
        text = _md_runs(para.runs)
        if para.note:
            notes.append(para.note)
            text += f"[^{len(notes)}]"
        out.append({
            "h1": f"## {text}", "h2": f"### {text}", "quote": f"> {text}", "break": "***",
            "image": f"![{text}]({image_name})",
        }.get(para.kind, text))
        out.append("")
    out.extend(f"[^{n}]: {note}\n" for n, note in enumerate(notes, 1))
    return "\n".join(out)


def word_typed(text: str) -> str:
    """Text as Word's AutoFormat sets it while the author types: every quote curled, a ' after
    a space or at the start as an opening mark (‘tis, ‘90s)."""
    out = []
    for i, ch in enumerate(text):
        before = text[i - 1] if i else " "
        if ch == '"':
            out.append("“" if before in " (" else "”")
        elif ch == "'":
            out.append("‘" if before in " (" else "’")
        else:
            out.append(ch)
    return "".join(out)


def novel_docx(path: Path, image: bytes) -> Path:
    """The novel as an author's Word file: Title and Heading styles, a tab indent, runs split
    by revisions, spacing paragraphs, two empty paragraphs for the scene break, a page break
    before a chapter, direct fonts and colours, curled quotes."""
    import docx
    from docx.shared import Pt, RGBColor

    document = docx.Document()
    document.add_paragraph(TITLE, style="Title")
    notes: list[str] = []
    for para in NOVEL:
        if para.kind == "h1":
            if notes:
                document.add_page_break()
            document.add_heading(para.runs[0][0], 1)
        elif para.kind == "h2":
            document.add_paragraph("")
            document.add_heading(para.runs[0][0], 2)
        elif para.kind == "break":
            document.add_paragraph("")
            document.add_paragraph("  ")
        elif para.kind == "image":
            add_picture(document, image, para.runs[0][0])
        else:
            paragraph = document.add_paragraph(style="Quote" if para.kind == "quote" else None)
            paragraph.add_run("\t")
            for text, styling in para.runs:
                # Word splits a run wherever an edit touched it: "dark" as "da" + "rk".
                pieces = [text[: len(text) // 2], text[len(text) // 2:]] if styling else [text]
                for piece in pieces:
                    run = paragraph.add_run(word_typed(piece))
                    run.italic = "i" in styling or None
                    run.bold = "b" in styling or None
                    run.font.name = "Garamond"
                    run.font.size = Pt(12)
                    run.font.color.rgb = RGBColor(0x10, 0x10, 0x10)
            if para.note:
                notes.append(para.note)
                note_reference(paragraph, len(notes))
            document.add_paragraph("")  # the author's spacing between paragraphs
    add_notes(document, "footnote", notes)
    return save_docx(document, path)


def novel_odt(path: Path, image: bytes) -> Path:
    """The novel as a LibreOffice file: Title, Heading and Quotations styles, italics as
    automatic text styles, notes inline, the picture in a frame with its description."""
    from odf.draw import Frame
    from odf.draw import Image as DrawImage
    from odf.opendocument import OpenDocumentText
    from odf.style import Style, TextProperties
    from odf.svg import Desc
    from odf.text import H, Note, NoteBody, NoteCitation, P, Span, Tab

    doc = OpenDocumentText()
    named = {name: Style(name=name.replace(" ", "_20_"), displayname=name, family="paragraph")
             for name in ("Title", "Heading 1", "Heading 2", "Quotations", "Text body")}
    for style in named.values():
        doc.styles.addElement(style)
    spans = {}
    for key, props in (("i", {"fontstyle": "italic"}), ("b", {"fontweight": "bold"}),
                       ("ib", {"fontstyle": "italic", "fontweight": "bold"})):
        style = Style(name=f"T{key}", family="text")
        style.addElement(TextProperties(**props))
        doc.automaticstyles.addElement(style)
        spans[key] = style
    doc.text.addElement(P(stylename=named["Title"], text=TITLE))
    notes = 0
    for para in NOVEL:
        if para.kind in ("h1", "h2"):
            level = int(para.kind[1])
            doc.text.addElement(H(outlinelevel=level, stylename=named[f"Heading {level}"],
                                  text=para.runs[0][0]))
        elif para.kind == "break":
            doc.text.addElement(P(stylename=named["Text body"]))
            doc.text.addElement(P(stylename=named["Text body"]))
        elif para.kind == "image":
            href = doc.addPicture("Pictures/lighthouse.png", "image/png", image)
            frame = Frame(width="2in", height="1.3in", anchortype="as-char", name="Image1")
            frame.addElement(DrawImage(href=href))
            frame.addElement(Desc(text=para.runs[0][0]))
            holder = P(stylename=named["Text body"])
            holder.addElement(frame)
            doc.text.addElement(holder)
        else:
            style = named["Quotations" if para.kind == "quote" else "Text body"]
            paragraph = P(stylename=style)
            paragraph.addElement(Tab())
            for text, styling in para.runs:
                if styling:
                    paragraph.addElement(Span(stylename=spans[styling], text=word_typed(text)))
                else:
                    paragraph.addText(word_typed(text))
            if para.note:
                notes += 1
                note = Note(id=f"ftn{notes}", noteclass="footnote")
                note.addElement(NoteCitation(text=str(notes)))
                body = NoteBody()
                body.addElement(P(text=para.note))
                note.addElement(body)
                paragraph.addElement(note)
            doc.text.addElement(paragraph)
    doc.save(str(path))
    return path


# --------------------------------------------------------------------------- shapes by style

@dataclass(frozen=True)
class Styled:
    """A paragraph as an author styles it: its style's name (None: the default body style),
    its text ("\\t" a tab, "\\n" a Shift+Enter line break, ("x", "i") an italic run) and
    its direct left and first-line indents in inches."""

    style: str | None
    runs: tuple[Run | str, ...] = ()
    left: float = 0.0
    first_line: float = 0.0


def styled(style: str | None, *runs: Run | str, left: float = 0.0, first_line: float = 0.0
           ) -> Styled:
    return Styled(style, runs, left, first_line)


# A poem, a play and a letter, each marked the way word-processor templates mark them.
SHAPES: tuple[Styled, ...] = (
    styled("Heading 1", "The Poem"),
    styled(None, "The keeper wrote it on the wall."),
    styled("Verse", "Whose woods these are I think I know."),
    styled("Verse", "\tHis house is in the village though;"),
    styled("Verse", "He will not see me stopping here"),
    styled("Verse"),
    styled("Verse", "To watch his woods fill up with snow.", left=0.5),
    styled("Verse", "The darkest evening of the year."),
    styled(None, "And under it, in pencil:"),
    styled(None, "Roses are red,\n\tviolets blue,"),
    styled(None, "sugar is sweet\n\tand so are you."),
    styled("Heading 1", "Act One"),
    styled("Stage Direction", "A lighthouse kitchen at dusk."),
    styled("Character", "JOHN"),
    styled("Dialogue", "The lamp is lit."),
    styled("Character", "ANNE."),
    styled("Parenthetical", "(rising)"),
    styled("Dialogue", "Peace, child. Where is ", ("the boat", "i"), "?"),
    styled("Character", "JOHN"),
    styled("Dialogue", "Gone."),
    styled("Dialogue", "Gone to the rocks."),
    styled("Stage Direction", "He goes out."),
    styled("Heading 1", "The Letter"),
    styled(None, "The letter lay on the table."),
    styled("Date", "London, 3 May 1820."),
    styled("Salutation", "Dear Kate,"),
    styled(None, "I write in haste."),
    styled(None, "The ship sails tomorrow."),
    styled("Closing", "Ever yours,"),
    styled("Signature", "Lucy"),
    styled("Postscript", "P.S. Burn this."),
    styled(None, "Kate kept it all the same."),
)

# A play as an author types it with no styles: names opening the paragraphs, directions in
# brackets or italic.
PLAIN_PLAY: tuple[Styled, ...] = (
    styled("Heading 1", "Act One"),
    styled(None, ("A lighthouse kitchen at dusk.", "i")),
    styled(None, "JOHN. The lamp is lit, and the glass is clean."),
    styled(None, "ANNE. (without looking up) And the oil?"),
    styled(None, "JOHN. Enough for the week."),
    styled(None, "ANNE. Then we wait."),
    styled(None, "[JOHN sits.]"),
    styled(None, "JOHN. We wait."),
    styled(None, "ANNE. For the boat."),
)


def _split_marks(text: str) -> list[str]:
    """Text cut before and after each tab and line break."""
    out: list[str] = []
    for ch in text:
        if ch in "\t\n" or not out or out[-1] in ("\t", "\n"):
            out.append(ch)
        else:
            out[-1] += ch
    return out


def shapes_docx(path: Path, paragraphs: Sequence[Styled] = SHAPES) -> Path:
    """Styled paragraphs as a Word file: the styles the author named, made as Word makes a
    custom paragraph style (based on Normal)."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Inches

    document = docx.Document()
    names = {s.name for s in document.styles}
    for para in paragraphs:
        if para.style is not None and para.style not in names:
            style = document.styles.add_style(para.style, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = document.styles["Normal"]
            names.add(para.style)
        paragraph = document.add_paragraph(style=para.style)
        if para.left:
            paragraph.paragraph_format.left_indent = Inches(para.left)
        if para.first_line:
            paragraph.paragraph_format.first_line_indent = Inches(para.first_line)
        for item in para.runs:
            text, styling = (item, "") if isinstance(item, str) else item
            for piece in _split_marks(text):
                run = paragraph.add_run()
                if piece == "\n":
                    run.add_break()
                else:
                    run.text = piece
                    run.italic = "i" in styling or None
    return save_docx(document, path)


def shapes_odt(path: Path, paragraphs: Sequence[Styled] = SHAPES) -> Path:
    """Styled paragraphs as a LibreOffice file: named paragraph styles, a direct indent as the
    automatic style LibreOffice writes for it."""
    from odf.opendocument import OpenDocumentText
    from odf.style import ParagraphProperties, Style, TextProperties
    from odf.text import H, P, Span, Tab
    from odf.text import LineBreak as Break

    doc = OpenDocumentText()
    named: dict[str, Any] = {}
    italic = Style(name="T1", family="text")
    italic.addElement(TextProperties(fontstyle="italic"))
    doc.automaticstyles.addElement(italic)
    for para in paragraphs:
        name = para.style or "Text body"
        if name not in named:
            named[name] = Style(name=name.replace(" ", "_20_"), displayname=name,
                                family="paragraph")
            doc.styles.addElement(named[name])
        style = named[name]
        if para.left or para.first_line:
            style = Style(name=f"P{len(doc.automaticstyles.childNodes)}", family="paragraph",
                          parentstylename=named[name])
            style.addElement(ParagraphProperties(marginleft=f"{para.left}in",
                                                 textindent=f"{para.first_line}in"))
            doc.automaticstyles.addElement(style)
        level = name.removeprefix("Heading ")
        element = (H(outlinelevel=int(level), stylename=style) if level.isdigit()
                   else P(stylename=style))
        for item in para.runs:
            text, styling = (item, "") if isinstance(item, str) else item
            holder = Span(stylename=italic) if styling else element
            for piece in _split_marks(text):
                if piece == "\t":
                    holder.addElement(Tab())
                elif piece == "\n":
                    holder.addElement(Break())
                else:
                    holder.addText(piece)
            if styling:
                element.addElement(holder)
        doc.text.addElement(element)
    doc.save(str(path))
    return path
