"""octavo new (a book that builds as it stands), stats, and build --json / --strict with its
summary line."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

OCTAVO = [sys.executable, "-m", "octavo"]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*OCTAVO, *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300)


def test_new_then_build_with_no_edits(tmp_path: Path) -> None:
    created = run("new", "mybook", cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    book = tmp_path / "mybook"
    assert (book / ".gitignore").read_text().split() == ["build/", ".octavo-cache/"]
    assert sorted(p.name for p in (book / "chapters").iterdir()) == [
        "01-the-first-chapter.md", "02-the-second-chapter.md"]
    config = tomllib.loads((book / "book.toml").read_text(encoding="utf-8"))
    assert config["title"] == "Mybook" and config["author"] == "Your Name"
    built = run("build", "mybook", "--format", "epub", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert "warning" not in built.stderr
    with zipfile.ZipFile(tmp_path / "build" / "mybook.epub") as epub:
        text = " ".join(epub.read(n).decode() for n in epub.namelist() if n.endswith(".xhtml"))
    for words in ("The First Chapter", "The Second Chapter", "Preface", "Acknowledgements",
                  "About the Author", "For the first reader."):
        assert words in text
    # Every key of the README's book.toml tables is in the scaffold, commented or set.
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    scaffold = (book / "book.toml").read_text(encoding="utf-8")
    import re

    section = readme[readme.index("### book.toml"): readme.index("### Manuscript conventions")]
    keys = set(re.findall(r"^([a-z_]+) = ", section, re.M))
    assert keys and all(re.search(rf"^#? ?{k} = ", scaffold, re.M) for k in keys), keys


def test_new_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "notes.txt").write_text("mine")
    result = run("new", str(tmp_path / "book"))
    assert result.returncode == 1
    assert "not empty; fix: give a new folder name" in result.stderr
    assert (tmp_path / "book" / "notes.txt").read_text() == "mine"


def test_stats_text_and_json(tmp_path: Path) -> None:
    manuscript = tmp_path / "tale.txt"
    manuscript.write_text("# One\n\n" + " ".join(["word"] * 500) + "\n\n# Two\n\n"
                          + " ".join(["word"] * 500) + "\n", encoding="utf-8")
    figures = json.loads(run("stats", str(manuscript), "--json").stdout)
    assert figures["words"] == 1000 and figures["chapters"] == 2
    assert figures["reading_minutes"] == 4
    assert set(figures["estimated_pages"]) >= {"5x8", "6x9", "a5"}
    assert figures["estimated_pages"]["5x8"] >= figures["estimated_pages"]["6x9"] > 0
    text = run("stats", str(manuscript)).stdout
    assert "1,000" in text and "4 min" in text and "6x9" in text


def test_build_json_and_summary_line(tmp_path: Path) -> None:
    manuscript = tmp_path / "tale.txt"
    manuscript.write_text("Once upon a time.\n", encoding="utf-8")
    result = run("build", str(manuscript), "-o", str(tmp_path / "o"), "--format", "epub",
                 "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["outputs"] == {"epub": str(tmp_path / "o" / "tale.epub")}
    assert report["words"] == 4 and report["pages"] is None and report["diagnostics"] == []
    loud = run("build", str(manuscript), "-o", str(tmp_path / "p"), "--format", "epub")
    last = loud.stderr.strip().splitlines()[-1]
    assert last.startswith("octavo: built 4 words in ") and last.endswith("tale.epub")


def test_strict_fails_on_a_warning_and_writes_nothing(tmp_path: Path) -> None:
    manuscript = tmp_path / "tale.txt"
    manuscript.write_text('"Once upon a time.\n\nThe end.\n', encoding="utf-8")
    out = tmp_path / "o"
    result = run("build", str(manuscript), "-o", str(out), "--strict")
    assert result.returncode == 1
    assert "warning Q001" in result.stderr
    assert "--strict: nothing written; fix:" in result.stderr.splitlines()[-1]
    assert not out.exists()
    assert run("build", str(manuscript), "-o", str(out), "--format", "epub").returncode == 0


def uncommented_settings(toml: str) -> str:
    """book.toml with every commented-out setting and table header switched on (the prose
    comments stay comments)."""
    setting = re.compile(r"^# ?(\[[a-z_]+\]|[a-z_]+ = )")
    return "\n".join(line.split("# ", 1)[1] if setting.match(line) else line
                     for line in toml.splitlines())


def test_new_book_toml_lists_every_key_the_schema_has(tmp_path: Path) -> None:
    """`octavo new` and `octavo schema` name the same keys, each with a value of its type
    (one of its choices where it has some): switched on, the scaffold is a book.toml the build
    reads without a warning."""
    from octavo.scaffold import scaffold_book
    from octavo.schema import TABLES, keys_of, validate

    scaffold_book(tmp_path / "book", "T", "A", 2026)
    text = uncommented_settings((tmp_path / "book" / "book.toml").read_text(encoding="utf-8"))
    data = tomllib.loads(text)
    _kept, unknown, wrong = validate(data, text)
    assert unknown == [] and wrong is None, (unknown, wrong)
    listed = {(None, k) for k in data if not isinstance(data[k], dict)} | {
        (table, k) for table, values in data.items() if isinstance(values, dict)
        for k in values}
    schema = {(None, k.name) for k in keys_of(None) if k.type != "table"} | {
        (table, k.name) for table, keys in TABLES.items() for k in keys}
    assert listed == schema, (schema - listed, listed - schema)
    for table, keys in TABLES.items():
        for key in keys:
            if key.choices:
                assert data[table][key.name] in key.choices, (table, key.name)
