"""book.toml: every key documented once (schema.py), typed, and checked with line numbers."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from octavo.config import load_settings
from octavo.errors import OctavoError
from octavo.geometry import PAPER_CALIPER
from octavo.matter import BACK_MATTER_KEYS
from octavo.normalize.options import DASH_STYLES, QUOTE_STYLES
from octavo.normalize.options import TABLE_KEYS as TYPOGRAPHY_KEYS
from octavo.press.settings import COVER_KEYS, FRONT_KEYS, HYPHENATION_KEYS, PRINT_KEYS
from octavo.review.edition import ARC_KEYS
from octavo.schema import TABLES, json_schema, keys_of, validate

ROOT = Path(__file__).resolve().parents[1]


def _names(table: str) -> set[str]:
    return {k.name for k in TABLES[table]}


def _choices(table: str, key: str) -> set[str]:
    return {c for k in TABLES[table] if k.name == key for c in k.choices}


def test_the_schema_names_exactly_the_keys_each_stage_reads() -> None:
    assert _names("print") == PRINT_KEYS
    assert _names("front_matter") == FRONT_KEYS
    assert _names("hyphenation") == HYPHENATION_KEYS
    assert _names("cover_design") == COVER_KEYS
    assert _names("typography") == set(TYPOGRAPHY_KEYS)
    assert _names("arc") == ARC_KEYS
    assert _names("back_matter") == set(BACK_MATTER_KEYS)
    assert _choices("typography", "quotes") == set(QUOTE_STYLES)
    assert _choices("typography", "dashes") == set(DASH_STYLES)
    assert _choices("print", "paper") == _choices("cover_design", "paper") == set(PAPER_CALIPER)


def test_every_key_in_the_readme_is_in_the_schema() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", readme, re.S)
    assert len(blocks) >= 2
    for block in blocks:
        kept, unknown, wrong = validate(tomllib.loads(block), block)
        assert unknown == [] and wrong is None, (unknown, wrong)
        assert kept


def _accepts_anything_and_says_it_warns(subschema: object) -> bool:
    """A JSON Schema that every value satisfies (only annotations, no assertion), whose
    description says the key is ignored with a warning: what the build does with it."""
    return (isinstance(subschema, dict) and set(subschema) == {"description"}
            and "ignores it with a warning (B001)" in subschema["description"])


def test_the_json_schema_describes_every_key_and_warns_of_others() -> None:
    schema = json_schema()
    assert _accepts_anything_and_says_it_warns(schema["additionalProperties"])
    top = schema["properties"]
    assert set(top) == {k.name for k in keys_of(None)}
    for name in TABLES:
        props = top[name]["properties"]
        assert set(props) == _names(name)
        assert _accepts_anything_and_says_it_warns(top[name]["additionalProperties"])
        assert all(p["description"] for p in props.values())
    assert top["typography"]["properties"]["quotes"]["enum"] == list(QUOTE_STYLES)
    out = subprocess.run([sys.executable, "-m", "octavo", "schema"], capture_output=True,
                         text=True, check=True)
    assert json.loads(out.stdout) == schema


def _book(tmp_path: Path, toml: str) -> Path:
    (tmp_path / "a.txt").write_text("Text.\n")
    (tmp_path / "book.toml").write_text(toml, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(("toml", "message", "line"), [
    ('title = "T"\n\n[print]\nbleed = "yes"\n', "[print] bleed must be true or false, not 'yes'",
     4),
    ('title = ["a", "b"]\n', "title must be a string, not list", 1),
    ('typography = "fr"\n', "typography must be a table, not 'fr'", 1),
    ('[markdown]\n"chapter_level" = "2"\n', "[markdown] chapter_level must be a whole number",
     2),
    ('files = [1, 2]\n', "files must be a string or a list of strings, not list", 1),
    # A trim the print book could not be set in: refused when book.toml is read, at its line.
    ('title = "T"\n\ntrim = 5\n', "unknown trim '5'", 3),
    ('trim = "20x30"  # inches\n', "trim '20x30' is outside 3-12 x 4-15 inches", 1),
])
def test_a_value_of_the_wrong_type_is_an_error_naming_the_key_and_its_line(
        tmp_path: Path, toml: str, message: str, line: int) -> None:
    with pytest.raises(OctavoError) as err:
        load_settings(_book(tmp_path, toml))
    assert message in err.value.message
    assert err.value.line == line
    assert err.value.path == str(tmp_path / "book.toml")


def test_unknown_keys_are_dropped_with_a_warning_naming_the_nearest(tmp_path: Path) -> None:
    settings = load_settings(_book(tmp_path, 'autor = "A"\n[print]\nblead = true\n[fonts]\n'))
    messages = [(d.code, d.span.line, d.message) for d in settings.diagnostics]
    assert messages == [
        ("B001", 1, "unknown key 'autor', ignored (did you mean 'author' or 'authors'?)"),
        ("B001", 3, "unknown key 'blead' in [print], ignored (did you mean 'bleed'?)"),
        ("B001", 4, "unknown key 'fonts', ignored (known: " + ", ".join(
            k.name for k in keys_of(None)) + ")"),
    ]
    assert "blead" not in settings.table("print")
    assert not settings.authors


def test_a_toml_date_is_read_as_its_iso_text(tmp_path: Path) -> None:
    settings = load_settings(_book(tmp_path, "date = 2026-11-01\n"))
    assert settings.date == "2026-11-01"


@pytest.mark.parametrize(("toml", "line", "column"), [
    ('title = "x\nauthor = 3\n', 1, 11),
    ('title = "ok"\n[print\n', 2, 7),
    ('a = 1\na = 2\n', 2, 6),
])
def test_malformed_toml_names_line_and_column(tmp_path: Path, toml: str, line: int,
                                              column: int) -> None:
    with pytest.raises(OctavoError) as err:
        load_settings(_book(tmp_path, toml))
    assert (err.value.line, err.value.column) == (line, column)
    assert str(err.value).startswith(f"{tmp_path / 'book.toml'}:{line}:{column}: invalid TOML: ")
    assert f"(line {line}, column {column})" in str(err.value)
