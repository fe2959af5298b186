"""Personal EPUBs by patching the review edition's zip: the package metadata and each chapter
file's banner change, every other entry is copied. Nothing is rebuilt from the manuscript."""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from xml.sax.saxutils import escape

from ..errors import OctavoError
from .reviewers import Reviewer
from .stamp import personal_mark

BANNER_CLASS = "arc-banner"
# Metadata names octavo writes into a personal copy's package and chapter heads.
META_PREPARED_FOR = "octavo:arc-prepared-for"
META_OUTLET = "octavo:arc-outlet"
META_COPY = "octavo:arc-copy-id"
HEAD_META_COPY = "octavo-arc-copy"

_BANNER = re.compile(rf'(<div\b[^>]*\bclass="{BANNER_CLASS}"[^>]*>.*?)(</div>)', re.DOTALL)
_HEAD_END = re.compile(r"</head>")
_METADATA_END = re.compile(r"</(?:\w+:)?metadata>")


@dataclass(frozen=True, slots=True)
class Entry:
    info: zipfile.ZipInfo
    data: bytes
    # As stored in the archive (deflated or not), so an unchanged entry is copied, not redone.
    stored: bytes


@dataclass(frozen=True, slots=True)
class EpubFiles:
    """An EPUB's entries in order, and which is the package document."""

    entries: tuple[Entry, ...]
    opf: str

    @classmethod
    def read(cls, data: bytes) -> EpubFiles:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = []
        for info in archive.infolist():
            name_len, extra_len = struct.unpack_from("<2H", data, info.header_offset + 26)
            start = info.header_offset + 30 + name_len + extra_len
            entries.append(Entry(info, archive.read(info), data[start:start + info.compress_size]))
        container = archive.read("META-INF/container.xml").decode("utf-8")
        m = re.search(r'full-path="([^"]+)"', container)
        if not m:
            raise OctavoError("the review EPUB has no package document")
        return cls(tuple(entries), m.group(1))

    def get(self, name: str) -> bytes:
        for e in self.entries:
            if e.info.filename == name:
                return e.data
        raise KeyError(name)

    def write(self, changed: dict[str, bytes]) -> bytes:
        """The zip again, with ``changed`` entries' new contents; order, dates, attributes and
        compression kept (``mimetype`` stays first and stored). Unchanged entries (fonts,
        images) are copied as stored, which keeps a personal copy's cost to its few changes."""
        out = io.BytesIO()
        central: list[bytes] = []
        for e in self.entries:
            info = e.info
            name = info.filename.encode("utf-8")
            flags = 0x800 if not info.filename.isascii() else 0
            if info.filename in changed:
                data = changed[info.filename]
                crc, size = zlib.crc32(data), len(data)
                if info.compress_type == zipfile.ZIP_DEFLATED:
                    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
                    stored = packer.compress(data) + packer.flush()
                else:
                    stored = data
            else:
                stored, crc, size = e.stored, info.CRC, info.file_size
            year, month, day, hour, minute, second = info.date_time
            dos_time = hour << 11 | minute << 5 | second // 2
            dos_date = (year - 1980) << 9 | month << 4 | day
            offset = out.tell()
            out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, flags, info.compress_type,
                                  dos_time, dos_date, crc, len(stored), size, len(name), 0))
            out.write(name)
            out.write(stored)
            central.append(struct.pack(
                "<4s6H3L5H2L", b"PK\x01\x02", info.create_system << 8 | 20, 20, flags,
                info.compress_type, dos_time, dos_date, crc, len(stored), size, len(name), 0, 0,
                0, 0, info.external_attr, offset) + name)
        directory_offset = out.tell()
        directory = b"".join(central)
        out.write(directory)
        out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central),
                              len(directory), directory_offset, 0))
        return out.getvalue()

    def chapter_files(self) -> tuple[str, ...]:
        """XHTML entries carrying the review banner."""
        marker = f'class="{BANNER_CLASS}"'.encode()
        return tuple(e.info.filename for e in self.entries
                     if e.info.filename.endswith((".xhtml", ".html")) and marker in e.data)

    def href_path(self, href: str) -> str:
        return posixpath.normpath(posixpath.join(posixpath.dirname(self.opf), href))


def attribute(text: str) -> str:
    """Text for a double-quoted XML attribute (tracing reads them back the same way)."""
    return escape(text, {'"': "&quot;"})


def personal_banner(xhtml: str, reviewer: Reviewer, copy: str) -> str:
    """A chapter file with the personal line inside its banner and the copy id in its head."""
    line = f'<p class="arc-prepared-for">{escape(personal_mark(reviewer.name))}</p>'
    xhtml, found = _BANNER.subn(lambda m: m.group(1) + line + m.group(2), xhtml, count=1)
    if not found:
        raise OctavoError("a chapter of the review EPUB lost its banner")
    meta = f'<meta name="{HEAD_META_COPY}" content="{copy}"/>\n'
    return _HEAD_END.sub(lambda m: meta + m.group(0), xhtml, count=1)


def personal_package(opf: str, reviewer: Reviewer, copy: str) -> str:
    """The package document with who the copy is for and its copy id (OPF 2 ``meta`` elements,
    which EPUB 3 reading systems keep and ignore)."""
    metas = [f'<meta name="{META_PREPARED_FOR}" content="{attribute(reviewer.name)}"/>']
    if reviewer.outlet:
        metas.append(f'<meta name="{META_OUTLET}" content="{attribute(reviewer.outlet)}"/>')
    metas.append(f'<meta name="{META_COPY}" content="{copy}"/>')
    block = "\n    ".join(metas) + "\n  "
    opf, found = _METADATA_END.subn(lambda m: block + m.group(0), opf, count=1)
    if not found:
        raise OctavoError("the review EPUB's package document has no metadata")
    return opf


def personalise_epub(base: EpubFiles, chapters: tuple[str, ...], reviewer: Reviewer,
                     copy: str) -> bytes:
    changed = {base.opf: personal_package(base.get(base.opf).decode("utf-8"), reviewer, copy)
               .encode("utf-8")}
    for name in chapters:
        changed[name] = personal_banner(base.get(name).decode("utf-8"), reviewer, copy).encode(
            "utf-8")
    return base.write(changed)
