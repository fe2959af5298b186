"""The files a print document reaches by URL (fonts, colour profiles, pictures), as a digest
of their bytes: the chapter cache keys an entry on them, so a font or picture replaced under
the same name lays the chapter out again instead of handing back pages drawn with the old one.
"""

from __future__ import annotations

import functools
import hashlib
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

# url(...) in CSS (quoted or not) and src="..." / href="..." in HTML.
_REFERENCE = re.compile(
    r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)|\b(?:src|href)\s*=\s*(?:"([^"]*)"|'([^']*)')""",
    re.I)


@functools.lru_cache(maxsize=256)
def references(text: str) -> tuple[str, ...]:
    """Every URL a stylesheet or document names, in order, each once (kept per text: every
    piece's key reads the same stylesheets, and a piece's key is made at lookup and store)."""
    found: dict[str, None] = {}
    for match in _REFERENCE.finditer(text):
        url = next((g for g in match.groups() if g), "")
        if url and not url.startswith(("#", "data:")):
            found.setdefault(url, None)
    return tuple(found)


def local_file(url: str, base: str) -> Path | None:
    """The file a URL names against ``base`` (a file:// URL or a folder path), or None for
    anything that is not a local file."""
    if base and "://" not in base:
        # A folder's path ends in "/", as a base URL must for relative URLs to resolve inside.
        base = Path(base).resolve().as_uri() + ("/" if base.endswith("/") else "")
    absolute = urljoin(base, url) if base else url
    parsed = urlparse(absolute)
    if parsed.scheme != "file":
        return None
    return Path(unquote(parsed.path))


@functools.cache
def _file_digest(path: Path, size: int, modified: int) -> str:
    # size and modification time are part of the memo key only: a file changed during a
    # long-lived process (the preview) is read again.
    return hashlib.sha256(path.read_bytes()).hexdigest()


def file_digest(path: Path) -> str:
    """A hash of a file's bytes ("absent" for a file that cannot be read), read once per
    process while the file stays the same."""
    try:
        stat = path.stat()
        if not path.is_file():
            return "absent"
        return _file_digest(path, stat.st_size, stat.st_mtime_ns)
    except OSError:
        return "absent"


def reached_digest(texts: tuple[tuple[str, str], ...]) -> str:
    """One digest of every local file the (text, base URL) pairs reach."""
    digest = hashlib.sha256()
    for text, base in texts:
        for url in references(text):
            path = local_file(url, base)
            if path is not None:
                digest.update(url.encode("utf-8", "surrogateescape") + b"\0")
                digest.update(file_digest(path).encode() + b"\1")
    return digest.hexdigest()
