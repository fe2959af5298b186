"""Zip entries deflated once: an ebook's embedded faces (about 2 MB, 0.2 s to deflate at
level 9) are the same bytes in every build of a book, and of every book with its theme, so a
process that builds again (a preview, a catalogue, the tests) packs them from what it
deflated before, and a build handed a ``Keep`` (the chapter cache's) from what an earlier
build kept. The entry's bytes are exactly what ``zipfile`` would write."""

from __future__ import annotations

import hashlib
import zlib
from collections import OrderedDict
from collections.abc import Callable
from typing import Any
from zipfile import ZipFile, ZipInfo

# Smaller entries deflate in well under a millisecond: not worth a digest and a place.
REMEMBERED_FROM = 64 * 1024
REMEMBERED_ENTRIES = 32

_deflated: OrderedDict[tuple[bytes, int], bytes] = OrderedDict()

# The bytes kept under a key, made by the function when none are (the chapter cache's).
Keep = Callable[[str, Callable[[], bytes]], bytes]


def deflated(data: bytes, level: int) -> bytes:
    """``data`` as a raw deflate stream, as ``zipfile`` makes an entry's at ``level``
    (one ``compress`` of it all, then ``flush``)."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def remembered_deflate(data: bytes, level: int, keep: Keep | None = None) -> bytes:
    digest = hashlib.sha256(data).digest()
    key = (digest, level)
    found = _deflated.get(key)
    if found is None:
        if keep is None:
            found = deflated(data, level)
        else:
            # Another zlib may deflate otherwise (as validly): its version is in the key.
            found = keep(f"deflated-{zlib.ZLIB_RUNTIME_VERSION}-{level}-{digest.hex()}",
                         lambda: deflated(data, level))
        _deflated[key] = found
        if len(_deflated) > REMEMBERED_ENTRIES:
            _deflated.popitem(last=False)
    else:
        _deflated.move_to_end(key)
    return found


class _Deflated:
    """Stands in for the compressor ``zipfile`` makes for an entry: hands over the stream
    deflated before."""

    def __init__(self, stream: bytes) -> None:
        self._stream = stream

    def compress(self, _data: bytes) -> bytes:
        stream, self._stream = self._stream, b""
        return stream

    def flush(self) -> bytes:
        return b""


def write_deflated(archive: ZipFile, info: ZipInfo, data: bytes, level: int,
                   keep: Keep | None = None) -> None:
    """``archive.writestr(info, data, compresslevel=level)`` for an entry ``info`` deflates,
    a large one's stream taken from those deflated before in this process (or kept by
    ``keep``)."""
    if len(data) < REMEMBERED_FROM:
        archive.writestr(info, data, compresslevel=level)
        return
    stream = remembered_deflate(data, level, keep)
    info.file_size = len(data)
    info._compresslevel = level  # type: ignore[attr-defined]  # as writestr sets it
    entry: Any = archive.open(info, mode="w")
    with entry:
        # zipfile writes what its compressor hands it and counts the CRC and sizes itself.
        entry._compressor = _Deflated(stream)
        entry.write(data)
