"""``octavo arc-trace``: who a review copy was made for, from every mark octavo leaves in it.

Visible marks (the line on each page, each chapter's banner) are easy to cut; metadata and the
copy id (the PDF's document ID and XMP, the EPUB's package and each chapter's head) survive
that, and the manifest maps a copy id or a file's SHA-256 back to its reviewer.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..errors import OctavoError, read_input
from .edition import EDITION_MARK
from .epubpatch import BANNER_CLASS, HEAD_META_COPY, META_COPY, META_PREPARED_FOR, EpubFiles
from .reviewers import from_spreadsheet_cell, is_copy_id
from .stamp import XMP_NS

MANIFEST_NAME = "arc-manifest.csv"
_VISIBLE = re.compile(r"Prepared for (.+?) · NOT FOR SALE")


@dataclass(frozen=True, slots=True)
class Mark:
    """One mark found: what it is, and the reviewer name or copy id it carries."""

    kind: str
    detail: str
    name: str | None = None
    copy_id: str | None = None


@dataclass(frozen=True, slots=True)
class ManifestRow:
    reviewer: str
    email: str
    outlet: str
    copy_id: str
    files: dict[str, str]  # file name -> SHA-256


@dataclass(frozen=True, slots=True)
class TraceReport:
    path: Path
    marks: tuple[Mark, ...]
    reviewer: str | None
    manifest_row: ManifestRow | None
    conflicts: tuple[str, ...]


def read_manifest(path: Path) -> tuple[ManifestRow, ...]:
    try:
        text = path.read_bytes().decode("utf-8")  # as written: a \r in a cell stays one
    except (OSError, UnicodeDecodeError) as exc:
        raise OctavoError(f"cannot read the manifest: {exc}", path) from None
    rows = []
    for cells in csv.DictReader(io.StringIO(text)):
        row = {k: from_spreadsheet_cell(v or "") for k, v in cells.items() if k is not None}
        files = {row.get(k, ""): row.get(f"{k}_sha256", "") for k in ("pdf", "epub")}
        rows.append(ManifestRow(row.get("reviewer", ""), row.get("email", ""),
                                row.get("outlet", ""), row.get("copy_id", ""), files))
    return tuple(rows)


# --------------------------------------------------------------------------- PDF


def pdf_marks(data: bytes) -> tuple[Mark, ...]:
    import pikepdf
    import pypdfium2 as pdfium

    marks: list[Mark] = []
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise OctavoError(f"not a readable PDF ({exc})") from None
    try:
        seen: Counter[str] = Counter()
        edition_pages = 0
        pages = len(doc)
        for i in range(pages):
            text = " ".join(doc[i].get_textpage().get_text_range().split())
            for name in dict.fromkeys(_VISIBLE.findall(text)):
                seen[name] += 1
            edition_pages += EDITION_MARK.casefold() in text.casefold()
    finally:
        doc.close()
    if edition_pages:
        marks.append(Mark("edition", f"review edition mark on {edition_pages} of {pages} pages"))
    for name, count in seen.most_common():
        marks.append(Mark("visible", f"'Prepared for {name}' on {count} of {pages} pages", name))

    with pikepdf.open(io.BytesIO(data)) as pdf:
        info = pdf.docinfo
        name = str(info.get("/ArcPreparedFor", "")) or None
        copy = str(info.get("/ArcCopyId", "")).lower() or None
        if name or copy:
            marks.append(Mark("PDF document info", "/ArcPreparedFor, /ArcCopyId", name, copy))
        xmp = pdf.Root.get("/Metadata")
        if xmp is not None:
            packet = xmp.read_bytes().decode("utf-8", "replace")
            xname = _xmp_value(packet, "preparedFor")
            xcopy = _xmp_value(packet, "copyId")
            if xname or xcopy:
                marks.append(Mark("XMP metadata", f"octavo:preparedFor, octavo:copyId ({XMP_NS})",
                                  xname, xcopy))
        ids = pdf.trailer.get("/ID")
        if ids is not None and len(ids) >= 1:
            first = bytes(ids[0]).hex()
            if is_copy_id(first):
                marks.append(Mark("PDF document ID", "first element of the trailer's /ID",
                                  None, first))
    return tuple(marks)


def _xmp_value(packet: str, prop: str) -> str | None:
    from html import unescape

    m = re.search(rf"<octavo:{prop}>(.*?)</octavo:{prop}>", packet, re.DOTALL)
    return unescape(m.group(1)).strip() if m else None


# --------------------------------------------------------------------------- EPUB


def epub_marks(data: bytes) -> tuple[Mark, ...]:
    from html import unescape

    try:
        epub = EpubFiles.read(data)
    except (zipfile.BadZipFile, KeyError):
        raise OctavoError("not a readable EPUB") from None
    marks: list[Mark] = []
    opf = epub.get(epub.opf).decode("utf-8", "replace")
    name = _meta(opf, META_PREPARED_FOR)
    copy = _meta(opf, META_COPY)
    if name or copy:
        marks.append(Mark("EPUB package metadata", f"{META_PREPARED_FOR}, {META_COPY}", name,
                          copy))
    visible: Counter[str] = Counter()
    heads: Counter[str] = Counter()
    banners = 0
    for entry in epub.entries:
        if not entry.info.filename.endswith((".xhtml", ".html")):
            continue
        text = entry.data.decode("utf-8", "replace")
        banners += f'class="{BANNER_CLASS}"' in text
        for found in dict.fromkeys(_VISIBLE.findall(unescape(re.sub(r"<[^>]+>", "", text)))):
            visible[found] += 1
        head_copy = _meta(text, HEAD_META_COPY)
        if head_copy and is_copy_id(head_copy):
            heads[head_copy] += 1
    for found, count in visible.most_common():
        marks.append(Mark("visible", f"'Prepared for {found}' in {count} content documents",
                          found))
    if banners:
        marks.insert(0, Mark("edition", f"review edition banner in {banners} content documents"))
    for found, count in heads.most_common():
        marks.append(Mark("EPUB markup", f"<meta name=\"{HEAD_META_COPY}\"> in {count} content "
                          "documents", None, found))
    return tuple(marks)


def _meta(markup: str, name: str) -> str | None:
    from html import unescape

    m = re.search(rf'<meta\s+name="{re.escape(name)}"\s+content="([^"]*)"', markup)
    return unescape(m.group(1)) if m else None


# --------------------------------------------------------------------------- report


def trace_copy(path: Path, manifest: Path | None = None) -> TraceReport:
    """Every mark in a review copy and the reviewer they point to (through the manifest,
    by default ``arc-manifest.csv`` beside the file, when one is there)."""
    data = read_input(path)
    try:
        if data.startswith(b"%PDF"):
            marks = list(pdf_marks(data))
        elif data.startswith(b"PK"):
            marks = list(epub_marks(data))
        else:
            raise OctavoError("neither a PDF nor an EPUB")
    except OctavoError as exc:
        raise OctavoError(exc.message, path) from None

    manifest_path = manifest or path.parent / MANIFEST_NAME
    rows = read_manifest(manifest_path) if manifest_path.is_file() else ()
    digest = hashlib.sha256(data).hexdigest()
    by_copy = {r.copy_id: r for r in rows}
    for row in rows:
        if digest in row.files.values():
            marks.append(Mark("file checksum", f"SHA-256 matches {manifest_path.name}",
                              row.reviewer, row.copy_id))
    names: Counter[str] = Counter()
    for mark in marks:
        if mark.name:
            names[mark.name] += 1
        if mark.copy_id and mark.copy_id in by_copy:
            names[by_copy[mark.copy_id].reviewer] += 1
    if not any(m.name or m.copy_id for m in marks):
        if marks:
            return TraceReport(path, tuple(marks), None, None, ())
        raise OctavoError("no review-copy marks found (not a copy made by octavo arc, or every "
                          "mark was removed)", path)
    reviewer = names.most_common(1)[0][0] if names else None
    conflicts = tuple(n for n in names if n != reviewer)
    named = next((r for r in rows if r.reviewer == reviewer), None)
    return TraceReport(path, tuple(marks), reviewer, named, conflicts)


def format_report(report: TraceReport) -> str:
    lines = []
    if report.reviewer:
        who = report.reviewer
        if report.manifest_row:
            extra = ", ".join(v for v in (report.manifest_row.email, report.manifest_row.outlet)
                              if v)
            who += f" ({extra})" if extra else ""
        lines.append(f"reviewer: {who}")
    elif any(m.copy_id for m in report.marks):
        lines.append("reviewer: unknown (copy ids found, but no manifest names them; pass "
                     "--manifest)")
    else:
        lines.append("reviewer: none (the unpersonalised review edition: no personal marks)")
    if report.conflicts:
        lines.append(f"warning: marks also name {', '.join(report.conflicts)}")
    lines.append("marks found:")
    for mark in report.marks:
        carried = ", ".join(v for v in (mark.name, f"copy id {mark.copy_id}" if mark.copy_id
                                        else None) if v)
        lines.append(f"  {mark.kind}: {mark.detail}" + (f" -> {carried}" if carried else ""))
    return "\n".join(lines)
