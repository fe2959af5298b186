"""One error type for everything a user can get wrong; the CLI prints it as one line."""

from __future__ import annotations

from pathlib import Path


class OctavoError(Exception):
    """A problem with the user's input: printed as ``path:line: message``, exit code 1."""

    exit_code = 1

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        where = self.path or ""
        if where and self.line:
            where += f":{self.line}"
        return f"{where}: {self.message}" if where else self.message
