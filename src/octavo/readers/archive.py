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
    try:
        damaged = package.testzip()  # every member read once, its checksum compared
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError,
            ValueError):
        damaged = "?"
    if damaged is not None:
        raise OctavoError(f"this {kind} file is damaged (a part of it cannot be unpacked)", path)
    return package


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
