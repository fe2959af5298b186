"""Unreadable input is an ``OctavoError`` that names the file and why, never a traceback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from octavo.errors import OctavoError, read_input
from octavo.readers.source import read_manuscript
from octavo.review.reviewers import read_reviewers
from octavo.review.trace import trace_copy


def test_read_input_names_the_file_its_role_and_why(tmp_path: Path) -> None:
    missing = tmp_path / "gone.csv"
    with pytest.raises(OctavoError) as err:
        read_input(missing, "the reviewer list")
    assert str(err.value) == (f"{missing}: cannot read the reviewer list: No such file or "
                              "directory; fix: check the path and that you may read the file")
    (tmp_path / "here.txt").write_bytes(b"text")
    assert read_input(tmp_path / "here.txt") == b"text"


@pytest.mark.parametrize("read", [read_manuscript, read_reviewers, trace_copy])
def test_a_folder_given_as_a_file_is_an_octavo_error(
    tmp_path: Path, read: Callable[[Path], object]
) -> None:
    with pytest.raises(OctavoError, match="cannot read") as err:
        read(tmp_path)
    assert err.value.path == str(tmp_path)
