"""What kind of file a path is: the package's one regular-file guard.

Only regular files are read or written: a FIFO would block a read, a device never end
it, and a folder where a file is due is a mistake to name, not to follow. The test of
what a path is, and the words for what it is instead, are written here once.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

__all__ = ["file_kind", "read_open", "regular_file"]


def regular_file(path: Path) -> bool | None:
    """Whether ``path`` is a regular file (or a link to one), the only kind the package
    reads or writes: a FIFO would block a read and a device never end it. ``None`` when
    nothing is there; ``False`` for anything else, or what cannot be looked at."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError:
        return False


def file_kind(mode: int) -> str:
    """What a file of ``mode`` is, as a message says it: "a folder", "a FIFO (named pipe)"…"""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_open(path: Path, limit: int, check: Callable[[os.stat_result], None]) -> bytes:
    """At most ``limit`` + 1 bytes of ``path`` (one more, so a caller sees a file grown
    past its limit), opened without blocking and looked at once open (``check`` raises
    to refuse it): a FIFO or a device swapped in after a ``stat`` is never read. The
    bytes are copied, not mapped, so a file saved in place cannot change under a reader.
    Raises :class:`OSError` when it cannot be opened or read."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    try:
        check(os.fstat(descriptor))
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            return handle.read(limit + 1)
    finally:
        os.close(descriptor)
