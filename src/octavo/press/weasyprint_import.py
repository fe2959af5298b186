"""WeasyPrint imported without its search for the libraries it binds (Pango, HarfBuzz,
fontconfig) running programs.

WeasyPrint tries several names for each library, for every platform: those that do not load
as they are go to ``ctypes.util.find_library``, which on Linux runs ``ldconfig``, ``gcc``
and ``ld`` for each (some fifty programs, a fifth of a second of a process's import of
WeasyPrint). Each library also goes by a name the system's loader finds as it is (its
``.so`` or ``.dylib`` name), which is tried first here, the names searched for left out.
Where that finds not every library WeasyPrint needs, it is imported as it imports itself.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import io
import sys
from collections.abc import Iterator

_FFI = "weasyprint.text.ffi"


def load_weasyprint() -> None:
    """Import WeasyPrint's bindings (once a process; a process that imports WeasyPrint
    without this has them searched for as WeasyPrint does)."""
    if _FFI in sys.modules:
        return
    before = set(sys.modules)
    try:
        with _libraries_not_searched(), contextlib.redirect_stdout(io.StringIO()):
            # WeasyPrint prints where to read about installing the libraries it lacks:
            # not for the names it lacks here alone.
            __import__(_FFI)
    except OSError:
        for name in set(sys.modules) - before:
            if name.startswith("weasyprint"):
                del sys.modules[name]
        __import__(_FFI)


@contextlib.contextmanager
def _libraries_not_searched() -> Iterator[None]:
    search = ctypes.util.find_library
    ctypes.util.find_library = _not_searched
    try:
        yield
    finally:
        ctypes.util.find_library = search


def _not_searched(name: str) -> str | None:
    return None
