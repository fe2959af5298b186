"""WeasyPrint's bindings loaded without the programs its library search runs, and as
WeasyPrint loads them where that finds not every library. Each in a fresh interpreter: a
process imports WeasyPrint once."""

from __future__ import annotations

import subprocess
import sys

COUNT_PROGRAMS = (
    "import subprocess\n"
    "run = []\n"
    "start = subprocess.Popen.__init__\n"
    "def counted(self, args, *rest, **named):\n"
    "    run.append(args)\n"
    "    start(self, args, *rest, **named)\n"
    "subprocess.Popen.__init__ = counted\n")
LAY_OUT = (
    "from weasyprint import HTML\n"
    "print(len(HTML(string='<p>One page.</p>').render().pages), len(run))\n")


def in_fresh_interpreter(script: str) -> str:
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_weasyprint_loads_without_running_a_program() -> None:
    loaded = ("from octavo.press.weasyprint_import import load_weasyprint\n"
              "load_weasyprint()\n")
    assert in_fresh_interpreter(COUNT_PROGRAMS + loaded + LAY_OUT) == "1 0\n"
    # WeasyPrint's own import runs ldconfig, gcc and ld for the names it tries.
    [pages, programs] = in_fresh_interpreter(COUNT_PROGRAMS + LAY_OUT).split()
    assert pages == "1" and int(programs) > 0


def test_weasyprint_loads_as_it_loads_itself_where_not_every_library_is_found_as_named(
        ) -> None:
    loaded = (
        "import ctypes.util\n"
        "import cffi.api\n"
        "from octavo.press import weasyprint_import\n"
        "dlopen = cffi.api.FFI.dlopen\n"
        "def not_found_as_named(self, name, *args):\n"
        "    if ctypes.util.find_library is weasyprint_import._not_searched:\n"
        "        raise OSError(name)\n"
        "    return dlopen(self, name, *args)\n"
        "cffi.api.FFI.dlopen = not_found_as_named\n"
        "weasyprint_import.load_weasyprint()\n")
    # Laid out all the same, nothing printed of WeasyPrint's installation advice.
    [pages, programs] = in_fresh_interpreter(COUNT_PROGRAMS + loaded + LAY_OUT).split()
    assert pages == "1" and int(programs) > 0
