"""Exceptions that carry enough context to say what went wrong, where, and how to fix it."""

from __future__ import annotations

import errno
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from ukreport.characters import INVISIBLE_CLASS


class UkreportError(Exception):
    """Base class: every error the command line reports without a traceback."""

    exit_code = 2


class InputError(UkreportError, OSError):
    """An input file or folder cannot be read or is not a CSV table."""

    def __init__(self, path: Path | str, message: str) -> None:
        self.path = Path(path)
        self.message = message
        super().__init__(f"{shown_path(path)}: {message}")


class OutputError(UkreportError, OSError):
    """An output cannot be written where it was asked for: a raw folder, a device or
    FIFO, a folder where a file is due (or the reverse), no permission, a full disk."""

    def __init__(self, path: Path | str, message: str) -> None:
        self.path = Path(path)
        self.message = message
        super().__init__(f"{shown_path(path)}: {message}")

    @classmethod
    def from_os_error(cls, path: Path, error: OSError) -> OutputError:
        """An ``OSError`` met while writing ``path``, as one line saying what to do."""
        code = error.errno
        if code in (errno.ENOSPC, errno.EDQUOT):
            what = "no space left on the device (disk full or quota reached); free some space"
        elif code == errno.EFBIG:
            what = "file too large for this file system or the process's size limit (ulimit -f)"
        elif code == errno.EROFS:
            what = "the file system is read-only; write somewhere else"
        elif code in (errno.EACCES, errno.EPERM):
            what = "permission denied; make the folder writable or write somewhere else"
        elif code in (errno.ENOTDIR, errno.EEXIST):
            what = "a file is in the way where a folder is due; give another path"
        elif code in (errno.EXDEV, errno.EBUSY):
            what = (
                "a mount point, or on another file system than its folder; give a folder inside it"
            )
        elif code == errno.EISDIR:
            what = "is a folder where a file is due; give a file path"
        else:
            what = f"{error.strerror or error}; check the path and run again"
        return cls(path, f"cannot write: {what}")


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised where the signal lands so that cleanup runs as it does
    for Ctrl-C (temporary files removed, the kernel stopped)."""


class FailedReport(Protocol):
    """What :class:`ValidationFailed` carries: a validation report
    (:class:`ukreport.validation.report.Report`), seen from here, below it."""

    @property
    def failure_count(self) -> int: ...

    @property
    def failures(self) -> Sequence[object]: ...

    @property
    def exit_code(self) -> int: ...

    def first(self, limit: int | None = None) -> Sequence[object]: ...


class ValidationFailed(UkreportError, ValueError):
    """Data were read but break a schema rule; ``report`` says which, and ``failures``
    words every one (``report.first(n)`` only the first ``n``)."""

    exit_code = 1

    def __init__(self, report: FailedReport) -> None:
        self.report = report
        super().__init__(f"{report.failure_count} validation failure(s)")

    @property
    def failures(self) -> Sequence[object]:
        return self.report.failures


class TamperedData(UkreportError, ValueError):
    """A published file no longer matches the hash its data package records."""

    exit_code = 1


class ExternalCommandError(UkreportError, RuntimeError):
    """An external program (pandoc, typst, quarto) failed."""

    def __init__(self, command: list[str], returncode: int, stderr: str) -> None:
        self.command = command
        self.returncode = returncode
        self.stderr = stderr
        tail = "\n".join(stderr.strip().splitlines()[-10:])
        super().__init__(f"{command[0]} exited with status {returncode}: {tail}")


class RenderError(UkreportError, RuntimeError):
    """Rendering the report failed; ``path`` and ``line`` point into the source document."""

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.path = Path(path)
        self.line = line
        self.message = message
        where = f"{shown_path(path)}:{line}" if line is not None else shown_path(path)
        super().__init__(f"{where}: {message}")


class EngineMissing(RenderError):
    """The rendering engine asked for is not installed here. How to do without it
    depends on how it was asked for (``engine="embedded"`` to the library, an option or
    a Make variable on the command line), so the caller words that part: :meth:`worded`.
    """

    def __init__(self, path: Path | str, engine: str, what: str, install: str) -> None:
        self.engine = engine
        self.what = what
        self.install = install
        super().__init__(path, None, f'{what}: {install}, or render with engine="embedded"')

    def worded(self, instead: str) -> str:
        """The message with ``instead`` as the way to do without the engine."""
        return f"{shown_path(self.path)}: {self.what}: {self.install}, or {instead}"


def located(file: str, line: int, column: int, message: str, value: str | None, fix: str) -> str:
    """``file:line:column: message (value) — fix``: how every problem in a file is
    reported, as compilers do, so editors and CI logs link to the place."""
    shown = f" ({value})" if value is not None else ""
    return f"{shown_path(file)}:{line}:{column}: {message}{shown} — {fix}"


_HIDDEN_IN_PATH = re.compile(f"[{INVISIBLE_CLASS}]")


def shown_path(path: Path | str) -> str:
    """``path`` as a message shows it: a line break, a control or an invisible character
    in a file's name written as its escape (``\\n``), so a name cannot start a line of
    its own that reads like another message (``ok.csv\\nevents.csv:2:3: …``)."""
    return _HIDDEN_IN_PATH.sub(
        lambda found: found.group().encode("unicode_escape").decode(), str(path)
    )
