"""``octavo new``: a book folder to start from, copied from the templates shipped inside the
package, that builds as it stands: the files every book has (``templates/new``) and the sample
chapters of one shape of book (``templates/shapes/<name>``), each showing in Markdown how that
shape is written."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from string import Template

from .errors import OctavoError

TEMPLATE_ROOT = Path(__file__).parent / "templates" / "new"
SHAPES_ROOT = Path(__file__).parent / "templates" / "shapes"
# The sample books, the default first.
SHAPES = ("novel", "verse", "play", "letters")
# Shipped without its leading dot, so no tool takes it for the package's own ignore file.
RENAMED = {"gitignore": ".gitignore"}
SUBSTITUTED = (".toml", ".md")


def title_from_folder(folder: Path) -> str:
    """``my-first-book`` -> ``My First Book``."""
    words = re.split(r"[-_\s]+", folder.resolve().name.strip())
    return " ".join(w[:1].upper() + w[1:] for w in words if w) or "Untitled"


def scaffold_book(folder: Path, title: str | None = None, author: str | None = None,
                  year: int | None = None, shape: str = SHAPES[0]) -> list[Path]:
    """Write a new book of ``shape`` (one of ``SHAPES``) into ``folder`` (which must be empty
    or absent); the files written."""
    if shape not in SHAPES:
        raise OctavoError(f"no template named {shape!r}", hint=f"use one of {', '.join(SHAPES)}")
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise OctavoError("the folder is not empty", folder,
                          hint="give a new folder name, e.g. octavo new my-book")
    chapters = [(template, template.relative_to(SHAPES_ROOT / shape))
                for template in sorted((SHAPES_ROOT / shape).rglob("*")) if template.is_file()]
    values = {
        "title": (title or title_from_folder(folder)).replace('"', "'"),
        "author": (author or "Your Name").replace('"', "'"),
        "year": str(year or dt.date.today().year),
        "files": "\n".join(f'  "{relative.as_posix()}",' for _, relative in chapters),
    }
    common = [(template, template.relative_to(TEMPLATE_ROOT))
              for template in sorted(TEMPLATE_ROOT.rglob("*")) if template.is_file()]
    written = []
    for template, relative in [*common, *chapters]:
        target = folder / relative.parent / RENAMED.get(relative.name, relative.name)
        text = template.read_text(encoding="utf-8")
        if template.suffix in SUBSTITUTED:
            text = Template(text).substitute(values)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written
