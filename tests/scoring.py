"""The shared gold scorer (``/work/shared/tools/score_gold.py``) loaded as a module, once."""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

from conftest import SHARED

SCORER = SHARED / "tools" / "score_gold.py"


def load_module(name: str, path: Path) -> ModuleType:
    """A script that is not a package (a shared tool, a benchmark) imported by its path."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@cache
def scorer() -> ModuleType:
    return load_module("score_gold", SCORER)
