"""``octavo new``: a book folder to start from, copied from the templates shipped inside the
package, that builds as it stands."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from string import Template

from .errors import OctavoError

TEMPLATE_ROOT = Path(__file__).parent / "templates" / "new"
# Shipped without its leading dot, so no tool takes it for the package's own ignore file.
RENAMED = {"gitignore": ".gitignore"}
SUBSTITUTED = (".toml", ".md")


def title_from_folder(folder: Path) -> str:
    """``my-first-book`` -> ``My First Book``."""
    words = re.split(r"[-_\s]+", folder.resolve().name.strip())
    return " ".join(w[:1].upper() + w[1:] for w in words if w) or "Untitled"


def scaffold_book(folder: Path, title: str | None = None, author: str | None = None,
                  year: int | None = None) -> list[Path]:
    """Write a new book into ``folder`` (which must be empty or absent); the files written."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise OctavoError("the folder is not empty", folder,
                          hint="give a new folder name, e.g. octavo new my-book")
    values = {
        "title": (title or title_from_folder(folder)).replace('"', "'"),
        "author": (author or "Your Name").replace('"', "'"),
        "year": str(year or dt.date.today().year),
    }
    written = []
    for template in sorted(TEMPLATE_ROOT.rglob("*")):
        if not template.is_file():
            continue
        relative = template.relative_to(TEMPLATE_ROOT)
        target = folder / relative.parent / RENAMED.get(relative.name, relative.name)
        text = template.read_text(encoding="utf-8")
        if template.suffix in SUBSTITUTED:
            text = Template(text).substitute(values)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written
