"""The README's book.toml examples are real: a book using every table builds."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from conftest import ROOT


def readme_toml() -> dict[str, object]:
    blocks = re.findall(r"```toml\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"),
                        re.S)
    merged: dict[str, object] = {}
    for block in blocks:
        merged.update(tomllib.loads(block))
    return merged


def test_readme_documents_both_set_up_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make book" in text and "make test" in text


def test_a_book_using_every_documented_table_builds(tmp_path: Path) -> None:
    from PIL import Image

    from octavo.build import build

    config = readme_toml()
    assert {"typography", "print", "front_matter", "back_matter", "arc", "isbn"} <= set(config)
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    toml_text = "\n".join(re.findall(r"```toml\n(.*?)```", text, re.S))
    # The examples elide ISBNs and file lists; give them real values of the same shape.
    toml_text = toml_text.replace('"978-…"', '"978-0-00-000000-2"').replace(
        '"urn:isbn:…"', '"urn:isbn:9780000000002"')
    for name in ("01-opening.md", "02-middle.txt"):
        (tmp_path / name).write_text("# One\n\nIt began -- quietly...\n\n# Two\n\nIt ended.\n"
                                     if name.endswith(".md") else "Chapter 3\n\nAfterwards.\n",
                                     encoding="utf-8")
    (tmp_path / "thanks.md").write_text("Thanks to everyone.\n", encoding="utf-8")
    (tmp_path / "about.md").write_text("The author writes.\n", encoding="utf-8")
    (tmp_path / "reviewers.csv").write_text("name,email,outlet\nA. Reader,,\n", encoding="utf-8")
    Image.new("RGB", (1600, 2560), (40, 60, 80)).save(tmp_path / "cover.jpg")
    (tmp_path / "book.toml").write_text(toml_text, encoding="utf-8")
    result = build(tmp_path, tmp_path / "out")
    assert result.outputs["epub"].is_file() and result.outputs["pdf"].is_file()
    assert result.page_count and result.page_count > 4
