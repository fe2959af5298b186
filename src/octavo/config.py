"""book.toml (optional) -> one frozen ``Settings`` object passed down through the build."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .confine import file_in, is_inside
from .errors import OctavoError, not_a_file, read_input, special_file_kind
from .geometry import trim_size
from .metadata_limits import refuse_overlong_metadata, refuse_overlong_metadata_list
from .model import Diagnostic, SourceSpan
from .schema import STAGE_TABLES, key_line, validate

MANUSCRIPT_SUFFIXES = (".txt", ".md", ".markdown", ".docx", ".odt")
CONFIG_NAME = "book.toml"

# Tables other stages read and validate themselves (typography, print, ebook, arc...); every
# key of book.toml, with its type, is listed in schema.py.
TABLE_KEYS = frozenset(STAGE_TABLES)


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the build needs to know about one book, from book.toml and the command line."""

    root: Path
    sources: tuple[Path, ...]
    config_path: Path | None = None
    title: str | None = None
    subtitle: str | None = None
    authors: tuple[str, ...] = ()
    language: str | None = None
    identifier: str | None = None
    date: str | None = None
    publisher: str | None = None
    rights: str | None = None
    isbn_print: str | None = None
    isbn_ebook: str | None = None
    description: str | None = None
    subjects: tuple[str, ...] = ()
    cover: Path | None = None
    theme: str = "classic"
    trim: str = "6x9"
    tables: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    # Warnings about book.toml itself (unknown keys), reported with the build's.
    diagnostics: tuple[Diagnostic, ...] = ()

    def table(self, name: str) -> Mapping[str, Any]:
        return self.tables.get(name, {})


def natural_key(path: Path) -> tuple[Any, ...]:
    """Sort key putting ``2-x`` before ``10-y``: digit runs compare as numbers."""
    parts = re.split(r"(\d+)", path.name.lower())
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)


def deterministic_identifier(title: str, authors: tuple[str, ...]) -> str:
    """A urn:uuid from title and authors only, so edits to the text keep the same identity."""
    key = "\x1f".join([title.strip().casefold(), *(a.strip().casefold() for a in authors)])
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'octavo:' + key)}"


def _str(data: Mapping[str, Any], key: str, path: Path) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, dt.date | dt.datetime):  # date = 2026-11-01, unquoted
        return value.isoformat()
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise OctavoError(f"'{key}' must be a string", path)
    return str(value).strip() or None


def _str_list(data: Mapping[str, Any], key: str, path: Path) -> tuple[str, ...]:
    value = data.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        return (value.strip(),) if value.strip() else ()
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(v.strip() for v in value if v.strip())
    raise OctavoError(f"'{key}' must be a string or a list of strings", path)


def _read_toml(path: Path) -> tuple[dict[str, Any], str]:
    """book.toml's data and its text; a syntax error names the line and column."""
    try:
        text = read_input(path).decode("utf-8-sig")
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        reason = re.sub(r"\s*\(at (?:line \d+, column \d+|end of document)\)", "", str(exc))
        if m:
            raise OctavoError(f"invalid TOML: {reason} (line {m.group(1)}, column {m.group(2)})",
                              path, int(m.group(1)), int(m.group(2)),
                              hint="fix that line (strings need quotes on both ends)") from None
        raise OctavoError(f"invalid TOML: {reason} (at the end of the file)", path) from None
    except UnicodeDecodeError:
        raise OctavoError("book.toml is not UTF-8 text", path) from None
    except OSError as exc:
        raise OctavoError(f"cannot read: {exc.strerror}", path) from None


def _checked(data: dict[str, Any], text: str, path: Path) -> tuple[dict[str, Any],
                                                                     tuple[Diagnostic, ...]]:
    """book.toml's data with unknown keys dropped (each a warning with the nearest known name)
    and every value of the type its key wants (else an error naming the key)."""
    kept, unknown, wrong = validate(data, text)
    if wrong:
        message, line = wrong
        raise OctavoError(message, path, line)
    return kept, tuple(Diagnostic("B001", "warning", message, SourceSpan(str(path), line or 0))
                       for message, line in unknown)


def _sources_in(folder: Path, skip: frozenset[str] = frozenset()) -> tuple[Path, ...]:
    """The folder's manuscript files in natural order, less ``skip`` (back matter files)."""
    found = [
        p for p in folder.iterdir()
        # Word's lock file of an open document (~$novel.docx) is no manuscript.
        if p.is_file() and p.suffix.lower() in MANUSCRIPT_SUFFIXES
        and not p.name.startswith((".", "~$"))
        and p.name.lower() not in {"readme.md", "reviewers.csv"} and p.name not in skip
    ]
    for p in found:
        if not is_inside(p, folder):
            raise OctavoError(f"'{p.name}' links outside the book's folder: octavo reads only "
                              "files inside it (copy the file in, or list the others in "
                              "'files')", folder)
    return tuple(sorted(found, key=natural_key))


def special_files_skipped(folder: Path) -> tuple[Diagnostic, ...]:
    """A warning for each manuscript-named entry of the folder that is a FIFO, a socket or a
    device: skipped, since opening one waits forever (the file type is read from ``stat``,
    which never opens it)."""
    out = []
    for p in sorted(folder.iterdir(), key=natural_key):
        if p.suffix.lower() not in MANUSCRIPT_SUFFIXES or p.name.startswith("."):
            continue
        try:
            kind = special_file_kind(p.stat().st_mode)
        except OSError:
            continue
        if kind is not None and kind != "a folder":
            out.append(Diagnostic("B002", "warning", f"{p} skipped: it is {kind}, not a "
                                  "file", SourceSpan(str(p), 0)))
    return tuple(out)


def holds_a_book(folder: Path) -> bool:
    """A folder is a book when it holds a book.toml or manuscript files of its own (the files
    ``load_settings`` would read when book.toml lists none)."""
    return (folder / CONFIG_NAME).is_file() or bool(_sources_in(folder))


def _trim(data: Mapping[str, Any], where: Path, toml_text: str) -> str:
    """The trim size, refused here with book.toml's line (``trim = 5``) rather than when the
    print book is laid out, where nothing says which file asked for it."""
    trim = _str(data, "trim", where) or "6x9"
    try:
        trim_size(trim)
    except OctavoError as exc:
        raise OctavoError(exc.message, where, key_line(toml_text, None, "trim"),
                          hint='a preset or a size in inches, in quotes: trim = "6x9"'
                          ) from None
    return trim


def _listed_sources(data: Mapping[str, Any], root: Path, path: Path) -> tuple[Path, ...]:
    files = data["files"]
    if not isinstance(files, list) or not files or not all(isinstance(f, str) for f in files):
        raise OctavoError("'files' must be a non-empty list of file names", path)
    for name in files:
        file_in(root, name, "'files' entry", path)
    return tuple(root / name for name in files)


def matter_files(tables: Mapping[str, Mapping[str, Any]]) -> frozenset[str]:
    """File names [back_matter] points at: they are not part of the manuscript's text."""
    back = tables.get("back_matter", {})
    return frozenset(v for v in back.values() if isinstance(v, str))


def load_settings(target: Path, overrides: Mapping[str, Any] | None = None) -> Settings:
    """Settings for a manuscript file or a book folder (with an optional book.toml)."""
    if not target.exists():
        raise OctavoError("no such file or folder", target,
                          hint="check the path, or start a book with octavo new FOLDER")
    kind = special_file_kind(target.stat().st_mode)
    if kind is not None and kind != "a folder":
        raise not_a_file(target, kind)
    data: dict[str, Any] = {}
    diagnostics: tuple[Diagnostic, ...] = ()
    config_path: Path | None = None
    if target.is_dir():
        root = target
        config_path = target / CONFIG_NAME
        if not config_path.is_file():
            config_path = None
    else:
        root = target.parent
        if target.suffix.lower() == ".toml":
            config_path, root = target, target.parent
    toml_text = ""
    if config_path is not None:
        raw, toml_text = _read_toml(config_path)
        data, diagnostics = _checked(raw, toml_text, config_path)
    data.update(overrides or {})
    where = config_path or target

    if target.is_file() and target.suffix.lower() != ".toml":
        sources: tuple[Path, ...] = (target,)
    elif "files" in data:
        sources = _listed_sources(data, root, where)
    else:
        matter = matter_files({k: v for k, v in data.items() if isinstance(v, dict)})
        sources = _sources_in(root, matter)
        diagnostics += special_files_skipped(root)
        if not sources:
            raise OctavoError("no manuscript files (.txt, .md, .docx, .odt) in this folder", root,
                              hint="add chapter files, or list them in files = [...] in book.toml")

    isbn = data.get("isbn", {})
    if not isinstance(isbn, dict):
        raise OctavoError("'isbn' must be a table with 'print' and/or 'ebook'", where)
    authors = _str_list(data, "authors", where) or _str_list(data, "author", where)
    tables = {k: v for k, v in data.items() if k in TABLE_KEYS}
    for name, table in tables.items():
        if not isinstance(table, dict):
            raise OctavoError(f"'{name}' must be a table ([{name}])", where)
    cover = _str(data, "cover", where)
    cover_path = file_in(root, cover, "cover", where) if cover else None

    def text(key: str, table: Mapping[str, Any] = data, limit: str = "") -> str | None:
        value = _str(table, key, where)
        line = key_line(toml_text, "isbn" if table is isbn else None, key) if toml_text else None
        refuse_overlong_metadata(limit or key, value, where, line)
        return value

    for key in ("author", "authors"):
        refuse_overlong_metadata_list("author", _str_list(data, key, where), where,
                                      key_line(toml_text, None, key) if toml_text else None)
    subjects = _str_list(data, "subjects", where)
    refuse_overlong_metadata_list("subject", subjects, where,
                                  key_line(toml_text, None, "subjects") if toml_text else None)
    return Settings(
        root=root,
        sources=sources,
        config_path=config_path,
        title=text("title"),
        subtitle=text("subtitle"),
        authors=authors,
        language=text("language"),
        identifier=text("identifier"),
        date=text("date"),
        publisher=text("publisher"),
        rights=text("rights"),
        isbn_print=text("print", isbn, "isbn"),
        isbn_ebook=text("ebook", isbn, "isbn"),
        description=text("description"),
        subjects=subjects,
        cover=cover_path,
        theme=_str(data, "theme", where) or "classic",
        trim=_trim(data, where, toml_text),
        tables=tables,
        diagnostics=diagnostics,
    )
