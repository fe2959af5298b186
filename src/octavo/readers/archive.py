"""Word-processor files are zip packages of XML: opened here with limits, so a hostile or broken
file is an ``OctavoError`` naming it, never a traceback, a zip bomb or an XML entity expansion."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

from lxml import etree

from ..errors import OctavoError

# Far above any novel with its pictures, far below what would hurt the machine.
MAX_UNPACKED_BYTES = 512 * 2**20
MAX_MEMBERS = 20_000
# A parsed XML element or attribute costs lxml about 130 bytes however little it holds, so a
# package's markup is capped by count as well as by size: a .docx of under a megabyte whose
# 80 million empty runs unpack to 480 MB, under the size cap, would take over 8 GB (10 million
# took 1.3 GB). Word writes about 25 elements and attributes for a paragraph and 12 for each
# run: a 620,000-word novel so written, a run every five words, holds 1.45 million (read in
# 377 MB); even with a run every two words, under 4 million.
MAX_MARKUP_NODES = 4_000_000
# No single XML part of a manuscript comes near this (War and Peace's document.xml, run-heavy
# as Word writes it, is about 25 MB); a part of mostly text holds a book of that much text.
MAX_XML_PART_BYTES = 128 * 2**20
_CHUNK = 2**20


def open_package(data: bytes, path: Path, kind: str) -> zipfile.ZipFile:
    """The zip package of a ``kind`` file (".docx"), checked for size before anything is read:
    a member never yields more than the size its entry declares."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        members = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise OctavoError(f"not a readable {kind} file (a {kind} file is a zip package; a "
                          "password-protected or older-format file must be saved again as "
                          f"{kind})", path) from None
    if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
        raise OctavoError(f"this {kind} file unpacks to more than "
                          f"{MAX_UNPACKED_BYTES // 2**20} MiB", path)
    nodes = 0
    for member in members:
        try:
            nodes += _unpacked_markup(package, member, path, kind, MAX_MARKUP_NODES - nodes)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError,
                RuntimeError, ValueError):
            raise OctavoError(f"this {kind} file is damaged (a part of it cannot be unpacked)",
                              path) from None
    return package


def is_xml_part(name: str, head: bytes = b"") -> bool:
    """Whether a member is XML: by its name, or by its first bytes, since python-docx parses
    a part by the content type the package gives it, whatever its name."""
    start = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    return name.lower().endswith((".xml", ".rels")) or start.startswith(
        (b"<", b"\xff\xfe", b"\xfe\xff"))


def _unpacked_markup(package: zipfile.ZipFile, member: zipfile.ZipInfo, path: Path, kind: str,
                     allowed: int) -> int:
    """How many elements and attributes a member's XML holds (0 for a picture), read as a
    stream, a megabyte at a time, and refused as soon as it passes ``allowed`` or its part
    passes ``MAX_XML_PART_BYTES``: nothing is held whole or parsed. Reading it to its end
    also compares its checksum, so a damaged member is found here."""
    if is_xml_part(member.filename) and member.file_size > MAX_XML_PART_BYTES:
        raise _too_much_markup(path, kind, member.filename, f"{member.file_size:,} bytes")
    nodes = 0
    size = 0
    last = b""
    xml: bool | None = None
    with package.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            if xml is None:
                xml = is_xml_part(member.filename, chunk[:64])
            if not xml:
                continue
            size += len(chunk)
            if size > MAX_XML_PART_BYTES:
                raise _too_much_markup(path, kind, member.filename,
                                       f"over {MAX_XML_PART_BYTES:,} bytes of XML")
            # Elements are opening tags (every "<" that is not "</"); attributes are '="'
            # or "='". Patterns of two bytes are counted with the previous chunk's last byte.
            joined = last + chunk
            nodes += (chunk.count(b"<") - joined.count(b"</") + joined.count(b'="')
                      + joined.count(b"='"))
            last = chunk[-1:]
            if nodes > allowed:
                raise _too_much_markup(path, kind, member.filename, "over "
                                       f"{MAX_MARKUP_NODES:,} XML elements and attributes")
    return nodes


def _too_much_markup(path: Path, kind: str, name: str, what: str) -> OctavoError:
    return OctavoError(f"'{name}' inside this {kind} file holds {what}: far more than any "
                       "book's text needs (octavo refuses it rather than use gigabytes of "
                       "memory)", path, hint=f"open the file in a word processor and save it "
                       f"again as {kind}")


def read_member(package: zipfile.ZipFile, name: str, path: Path) -> bytes | None:
    """One member's bytes, or None when the package has no such member."""
    try:
        return package.read(name)
    except KeyError:
        return None
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError):
        raise OctavoError(f"'{name}' inside the file is damaged or encrypted", path) from None


def xml_parser() -> etree.XMLParser:
    """A parser that reads no DTD, expands no entity and never touches the network."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False, remove_comments=True, remove_pis=True)


def parse_xml(data: bytes, path: Path, name: str) -> etree._Element:
    try:
        return etree.fromstring(data, xml_parser())
    except etree.XMLSyntaxError as exc:
        raise OctavoError(f"'{name}' inside the file is not well-formed XML: {exc}",
                          path) from None
