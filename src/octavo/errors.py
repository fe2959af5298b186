"""One error type for everything a user can get wrong; the CLI prints it as one line."""

from __future__ import annotations

import os
import stat
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


def special_file_kind(mode: int) -> str | None:
    """What a file of this ``st_mode`` is when it is not a regular file: reading a FIFO or a
    terminal waits for a writer forever, a device never ends, so none is ever opened as text."""
    for test, kind in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device")):
        if test(mode):
            return kind
    return None if stat.S_ISREG(mode) else "not a regular file"


def not_a_file(path: Path, kind: str, what: str = "") -> OctavoError:
    role = f" {what}" if what else ""
    return OctavoError(f"cannot read{role}: it is {kind}, not a file", path,
                       hint="name a regular file (or a book's folder)")


def read_input(path: Path, what: str = "") -> bytes:
    """A file the user named, or an ``OctavoError`` saying why it cannot be read (``what``
    names the file's role in the message: "cannot read the reviewer list: ..."). It is opened
    without waiting and checked to be a regular file before a byte is read, so a FIFO or a
    device named as a manuscript is one error line, never a build that hangs."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except IsADirectoryError:
        raise not_a_file(path, "a folder", what) from None
    except OSError as exc:
        role = f" {what}" if what else ""
        raise OctavoError(f"cannot read{role}: {exc.strerror}", path,
                          hint="check the path and that you may read the file") from None
    kind = special_file_kind(os.fstat(fd).st_mode)
    if kind is not None:
        os.close(fd)
        raise not_a_file(path, kind, what)
    with os.fdopen(fd, "rb") as file:
        try:
            return file.read()
        except OSError as exc:
            role = f" {what}" if what else ""
            raise OctavoError(f"cannot read{role}: {exc.strerror}", path,
                              hint="check the path and that you may read the file") from None
