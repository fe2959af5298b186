"""One error type for everything a user can get wrong; the CLI prints it as one line."""

from __future__ import annotations

from pathlib import Path


class OctavoError(Exception):
    """A problem with the user's input: printed as ``path:line: message; fix: hint``, exit
    code 1. The same shape as a check's finding, so every problem reads alike: where, what,
    and what to do next."""

    exit_code = 1

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None,
                 column: int | None = None, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.column = column
        self.hint = hint

    def __str__(self) -> str:
        where = self.path or ""
        if where and self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        text = f"{where}: {self.message}" if where else self.message
        return f"{text}; fix: {self.hint}" if self.hint else text


def read_input(path: Path, what: str = "") -> bytes:
    """A file the user named, or an ``OctavoError`` saying why it cannot be read (``what``
    names the file's role in the message: "cannot read the reviewer list: ...")."""
    try:
        return path.read_bytes()
    except OSError as exc:
        role = f" {what}" if what else ""
        raise OctavoError(f"cannot read{role}: {exc.strerror}", path,
                          hint="check the path and that you may read the file") from None
