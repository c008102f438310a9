"""Exceptions that carry enough context to say what went wrong, where, and how to fix it."""

from __future__ import annotations

import errno
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol


class UkreportError(Exception):
    """Base class: every error the command line reports without a traceback."""

    exit_code = 2


class InputError(UkreportError, OSError):
    """An input file or folder cannot be read or is not a CSV table."""

    def __init__(self, path: Path | str, message: str) -> None:
        self.path = Path(path)
        self.message = message
        super().__init__(f"{path}: {message}")


class OutputError(UkreportError, OSError):
    """An output cannot be written where it was asked for: a raw folder, a device or
    FIFO, a folder where a file is due (or the reverse), no permission, a full disk."""

    def __init__(self, path: Path | str, message: str) -> None:
        self.path = Path(path)
        self.message = message
        super().__init__(f"{path}: {message}")

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
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {message}")


def located(file: str, line: int, column: int, message: str, value: str | None, fix: str) -> str:
    """``file:line:column: message (value) — fix``: how every problem in a file is
    reported, as compilers do, so editors and CI logs link to the place."""
    shown = f" ({value})" if value is not None else ""
    return f"{file}:{line}:{column}: {message}{shown} — {fix}"
