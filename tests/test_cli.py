"""The command line: outputs, exit codes and one-line errors for bad input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

OCTAVO = [sys.executable, "-m", "octavo"]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*OCTAVO, *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300)


def test_version() -> None:
    from octavo import __version__

    result = run("--version")
    assert result.returncode == 0
    assert __version__ in result.stdout


def test_build_a_single_text_file_with_no_config(tmp_path: Path) -> None:
    manuscript = tmp_path / "the-quiet-field.txt"
    manuscript.write_text('She said, "Go."\n\nHe went -- slowly...\n', encoding="utf-8")
    result = run("build", str(manuscript), "-o", str(tmp_path / "out"), "--quiet")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert (tmp_path / "out" / "the-quiet-field.epub").is_file()
    assert (tmp_path / "out" / "the-quiet-field.pdf").is_file()
    pdf_line = [ln for ln in result.stdout.splitlines() if ln.endswith("pages)")]
    assert pdf_line and "the-quiet-field.pdf (" in pdf_line[0]


def test_outdir_defaults_to_build_in_the_current_folder(tmp_path: Path) -> None:
    manuscript = tmp_path / "tale.txt"
    manuscript.write_text("Once upon a time.\n", encoding="utf-8")
    result = run("build", "tale.txt", "--format", "epub", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "build" / "tale.epub").is_file()
    assert not (tmp_path / "build" / "tale.pdf").exists()


def test_progress_goes_to_stderr_unless_quiet(tmp_path: Path) -> None:
    manuscript = tmp_path / "tale.txt"
    manuscript.write_text("Once upon a time.\n", encoding="utf-8")
    result = run("build", str(manuscript), "-o", str(tmp_path / "o"), "--format", "epub")
    assert result.returncode == 0
    assert "reading" in result.stderr


def test_seed_folder_is_named_by_its_title(tmp_path: Path) -> None:
    result = run("build", str(ROOT / "seeds"), "-o", str(tmp_path), "-q", "--format", "epub")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "after-the-fall.epub").is_file()


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("missing", "no such file or folder"),
        ("empty", "the manuscript is empty"),
        ("blank", "the manuscript is empty"),
        ("bad-toml", "invalid TOML"),
        ("wrong-type", "[print] bleed must be true or false, not 'yes'"),
        ("no-files", "no manuscript files"),
        ("listed-missing", "does not exist"),
        ("bad-theme", "unknown theme"),
        ("bad-trim", "unknown trim"),
    ],
)
def test_bad_input_is_one_line_exit_1_and_writes_nothing(
    tmp_path: Path, setup: str, message: str
) -> None:
    book = tmp_path / "book"
    book.mkdir()
    target = book
    if setup == "missing":
        target = book / "nope.txt"
    elif setup == "empty":
        target = book / "empty.txt"
        target.write_text("")
    elif setup == "blank":
        target = book / "blank.txt"
        target.write_text("\n   \n\t\n")
    elif setup == "bad-toml":
        (book / "a.txt").write_text("Text.\n")
        (book / "book.toml").write_text('title = "x\nauthor = 3\n')
    elif setup == "wrong-type":
        (book / "a.txt").write_text("Text.\n")
        (book / "book.toml").write_text('title = "T"\n\n[print]\nbleed = "yes"\n')
    elif setup == "no-files":
        (book / "book.toml").write_text('title = "Nothing"\n')
    elif setup == "listed-missing":
        (book / "book.toml").write_text('files = ["one.txt"]\n')
    elif setup == "bad-theme":
        (book / "a.txt").write_text("Text.\n")
        (book / "book.toml").write_text('theme = "no-such-theme"\n')
    elif setup == "bad-trim":
        (book / "a.txt").write_text("Text.\n")
        (book / "book.toml").write_text('trim = "huge"\n')
    out = tmp_path / "out"
    result = run("build", str(target), "-o", str(out))
    assert result.returncode == 1, (result.stdout, result.stderr)
    errors = [ln for ln in result.stderr.splitlines() if "error" in ln]
    assert len(errors) == 1, result.stderr
    assert message in errors[0]
    assert "Traceback" not in result.stderr
    if setup not in ("missing",):
        assert str(target.name) in errors[0] or "book.toml" in errors[0] or setup in (
            "bad-theme",)
    if setup == "bad-trim":  # refused as book.toml is read, at its line
        assert "book.toml:1: unknown trim 'huge'" in errors[0]
    assert not out.exists() or not any(out.iterdir())


def test_bad_toml_error_names_the_line_and_column(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Text.\n")
    (tmp_path / "book.toml").write_text('title = "ok"\nauthor = \n')
    result = run("build", str(tmp_path), "-o", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "book.toml:2:10: invalid TOML: Invalid value (line 2, column 10)" in result.stderr


def test_unknown_keys_warn_with_the_nearest_name_and_the_build_goes_on(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Text.\n")
    (tmp_path / "book.toml").write_text('titel = "Typo"\n\n[typography]\nqoutes = "fr"\n')
    result = run("build", str(tmp_path), "-o", str(tmp_path / "out"), "--format", "epub")
    assert result.returncode == 0, result.stderr
    assert ("book.toml:1: warning B001: unknown key 'titel', ignored (did you mean 'title'"
            in result.stderr)
    assert ("book.toml:4: warning B001: unknown key 'qoutes' in [typography], ignored "
            "(did you mean 'quotes'?)" in result.stderr)
    assert (tmp_path / "out" / "a.epub").is_file()


def test_quiet_drops_notes_but_keeps_warnings(tmp_path: Path) -> None:
    manuscript = tmp_path / "tale.txt"
    # An unclosed quotation is a warning (Q001); an illustration note dropped is only a note.
    manuscript.write_text('*** START OF THE PROJECT GUTENBERG EBOOK TALE ***\n\nCHAPTER I.\n\n'
                          '[Illustration: A house]\n\n"Once upon a time.\n\nThe end.\n\n'
                          '*** END OF THE PROJECT GUTENBERG EBOOK TALE ***\n', encoding="utf-8")
    loud = run("build", str(manuscript), "-o", str(tmp_path / "a"), "--format", "epub")
    quiet = run("build", str(manuscript), "-o", str(tmp_path / "b"), "--format", "epub", "-q")
    assert loud.returncode == quiet.returncode == 0, loud.stderr
    assert " info " in loud.stderr and "warning Q001" in loud.stderr
    assert " info " not in quiet.stderr and "warning Q001" in quiet.stderr


def test_the_early_layout_worker_is_forked_before_the_reader_is_imported(
        tmp_path: Path) -> None:
    """A rebuild's edited chapter waits for the worker forked at the start of the build to
    import WeasyPrint: it is forked before this process imports what only it needs (the
    reader, the normalizer), not after."""
    manuscript = tmp_path / "the-quiet-field.txt"
    manuscript.write_text("# One\n\nShe went.\n", encoding="utf-8")
    script = (
        "import sys\n"
        "from octavo.press import chapters\n"
        "real = chapters.LayoutPool.__init__\n"
        "def init(self, *args, **kwargs):\n"
        "    print(sorted(m for m in ('octavo.loaded', 'octavo.readers', 'octavo.normalize',"
        " 'octavo.render.epub', 'octavo.press.join') if m in sys.modules))\n"
        "    real(self, *args, **kwargs)\n"
        "chapters.LayoutPool.__init__ = init\n"
        "from octavo.cli import main\n"
        f"main(['build', {str(manuscript)!r}, '-o', {str(tmp_path / 'out')!r}, '-q',"
        " '--format', 'epub'])\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "[]"
    assert (tmp_path / "out" / "the-quiet-field.epub").is_file()


def test_the_command_leaves_without_freeing_its_heap_object_by_object(tmp_path: Path) -> None:
    """``octavo`` (``cli.run``) runs the exit handlers and flushes its output, then leaves
    without the interpreter's teardown, which frees a build's heap one object at a time."""
    manuscript = tmp_path / "the-quiet-field.txt"
    manuscript.write_text("# One\n\nShe went.\n", encoding="utf-8")
    script = (
        "import atexit, sys\n"
        "class Freed:\n"
        "    def __del__(self):\n"
        "        print('freed', flush=True)\n"
        "kept = Freed()\n"
        "atexit.register(lambda: print('exit handlers ran'))\n"
        f"sys.argv = ['octavo', 'build', {str(manuscript)!r}, '-o', {str(tmp_path / 'out')!r},"
        " '--format', 'epub', '-q']\n"
        "from octavo.cli import run\n"
        "run()\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    assert "exit handlers ran" in result.stdout
    assert "freed" not in result.stdout
    assert (tmp_path / "out" / "the-quiet-field.epub").is_file()


def test_exit_codes_are_the_interpreters() -> None:
    from octavo.cli import exit_code

    assert [exit_code(s) for s in (None, 0, 1, 2, 130, 256 + 3, "a message")] == [
        0, 0, 1, 2, 130, 3, 1]
