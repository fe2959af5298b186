"""What made a laid-out page, besides the book: octavo's own code and the libraries that set
and draw it.

The chapter cache keys every entry on this digest, so pages laid out by other code (an edit to
line breaking, spreads or the join; another WeasyPrint, Pango or HarfBuzz) are never taken
from the cache. It is worked out once per process, without importing the libraries: a build
that takes every chapter from the cache never loads WeasyPrint.
"""

from __future__ import annotations

import ctypes
import functools
import hashlib
import importlib.util
import os
import re
from pathlib import Path

# The Python packages whose versions shape a page: layout, PDF writing, fonts, hyphenation,
# the join (module, distribution).
PACKAGES = (("weasyprint", "weasyprint"), ("pydyf", "pydyf"), ("fontTools", "fonttools"),
            ("pikepdf", "pikepdf"), ("pyphen", "pyphen"))

# The shared libraries WeasyPrint sets text with, by the names it loads them under, and the
# function that reports each one's version.
LIBRARIES = (
    (("libpango-1.0.so.0", "libpango-1.0.dylib", "libpango-1.0-0.dll", "libpango-1.0-0"),
     "pango_version_string"),
    (("libharfbuzz.so.0", "libharfbuzz.0.dylib", "libharfbuzz-0.dll", "libharfbuzz-0"),
     "hb_version_string"),
)


def source_digest(package: Path) -> str:
    """A hash of every Python source under ``package``, by path relative to it, in order."""
    digest = hashlib.sha256()
    sources = sorted((path.relative_to(package).as_posix(), path)
                     for path in package.rglob("*.py"))
    for relative, path in sources:
        digest.update(relative.encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
        data = path.read_bytes()
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def package_version(module: str, distribution: str) -> str:
    """The installed version of a package, read off its ``.dist-info`` folder without
    importing it (importing WeasyPrint costs a warm build a second); for a package installed
    otherwise, a hash of its ``__init__.py``; "absent" when it is not installed."""
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        return "absent"
    init = Path(spec.origin)
    folder = init.parent.parent
    for entry in _listing(folder):
        name, _, version = entry.removesuffix(".dist-info").partition("-")
        if entry.endswith(".dist-info") and _normalized(name) == _normalized(distribution):
            return version
    try:
        return "init-" + hashlib.sha256(init.read_bytes()).hexdigest()
    except OSError:
        return "unknown"


@functools.cache
def _listing(folder: Path) -> tuple[str, ...]:
    try:
        return tuple(sorted(os.listdir(folder)))
    except OSError:
        return ()


def library_version(names: tuple[str, ...], function: str) -> str:
    """What a shared library says its version is, loaded by the first of ``names`` that
    loads; "absent" when none does."""
    for name in names:
        try:
            library = ctypes.CDLL(name)
        except OSError:
            continue
        try:
            report = getattr(library, function)
        except AttributeError:
            return "unknown"
        report.restype = ctypes.c_char_p
        version = report()
        return version.decode("ascii", "replace") if isinstance(version, bytes) else "unknown"
    return "absent"


@functools.cache
def code_digest() -> str:
    """octavo's sources and the versions of what lays its pages out, as one hash."""
    digest = hashlib.sha256(source_digest(Path(__file__).resolve().parents[1]).encode())
    for module, distribution in PACKAGES:
        digest.update(f"\0{distribution}={package_version(module, distribution)}".encode())
    for names, function in LIBRARIES:
        digest.update(f"\0{names[0]}={library_version(names, function)}".encode())
    return digest.hexdigest()
