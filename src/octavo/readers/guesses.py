"""The one warning a reader gives for what it read by shape alone: every line range it guessed
about, on one line ("verse guessed at lines 12-20, 31 (2 run(s), 10 lines)")."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..model import Diagnostic, SourceSpan


def line_runs(lines: Iterable[int]) -> list[tuple[int, int]]:
    """Line numbers as runs of consecutive lines: 3, 4, 5, 9 -> (3, 5), (9, 9)."""
    runs: list[tuple[int, int]] = []
    for line in sorted(set(lines)):
        if runs and line == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], line)
        else:
            runs.append((line, line))
    return runs


def guess_warning(code: str, what: str, path: str, ranges: Sequence[tuple[int, int]],
                  tally: str, fix: str) -> Diagnostic | None:
    """``what`` guessed at every range of ``ranges`` (first and last line), with ``tally``
    saying how many; None when nothing was guessed."""
    if not ranges:
        return None
    where = ", ".join(f"{a}-{b}" if b > a else str(a) for a, b in ranges)
    return Diagnostic(code, "warning", f"{what} guessed at lines {where} ({tally})",
                      SourceSpan(path, ranges[0][0]), fix)
