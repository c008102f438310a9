"""Remember what ``ukreport validate`` said about the same files, to say it again at once.

Validating the repository's tables takes a fraction of a second; importing pandas and
pandera to do it takes longer. A researcher validates again and again while editing,
mostly files that have not changed since, so the result (what was printed and the exit
status) is kept under a key that hashes everything it can depend on: the command's
arguments, the bytes of every table it reads, every file of the installed package, the
day (a date in the future is refused against today's), the Python version and the
installed distributions. Asked again with the same key, the command prints the same
bytes without importing either library. The tables are read once, for the key, and
validated from those bytes; the answer is kept only when the package's files are still
those hashed, so a file saved while the command runs never has its answer kept under
another file's key. Anything unusual (a
file that is not a regular file, a very large input, an unreadable cache) and it simply
validates.

The results live in the user's cache folder (:func:`ukreport._cache.user_folder`:
``$UKREPORT_CACHE_DIR``, else ``$XDG_CACHE_HOME/ukreport``, else ``~/.cache/ukreport``);
``UKREPORT_CACHE_DIR=off`` (or ``--no-cache``) turns them off.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ukreport import _cache, _meta, paths
from ukreport._files import read_open, regular_file

if TYPE_CHECKING:
    from ukreport.validation.table import Data

__all__ = ["Keyed", "Said", "cache_dir", "key", "recall", "remember"]

_FORMAT = "4"
_MAX_BYTES = 64 * 2**20
"""Inputs larger than this in total are validated every time: hashing them would cost
a good part of what validating does."""


@dataclass(frozen=True)
class Said:
    """What a command printed and how it ended."""

    output: str
    summary: str
    exit_code: int


def cache_dir() -> Path | None:
    """Where results are kept, or ``None`` when that is turned off."""
    folder = _cache.user_folder("validate")
    return None if folder is None else folder.parent


def _inputs(given: list[Path]) -> list[Path] | None:
    """Every file the command may read, or ``None`` when one is not a plain file.

    A single table is checked against the tables beside it (its initiatives, a claim's
    evidence), so those are read too: every CSV file in its folder is part of the key.
    """
    files: list[Path] = []
    for path in given or [paths.RAW_DIR]:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv")
        else:
            files.append(path)
            folder = path.parent
            with contextlib.suppress(OSError):
                files += sorted(
                    p for p in folder.iterdir() if p.suffix.lower() == ".csv" and p != path
                )
    return files if all(regular_file(f) for f in files) else None


def today() -> dt.date:
    """The day in UTC, as the checks that refuse a date in the future take it."""
    return dt.datetime.now(dt.UTC).date()


@dataclass
class Keyed:
    """A command's key, and the bytes of the tables it hashed: what is validated.

    The key is taken before the command runs, to look the answer up; the tables are read
    for it, once, and validated from those very bytes (:meth:`read`), so a file saved in
    between cannot have its answer kept under the key of the one before.
    """

    digest: str
    tables: dict[str, bytes]
    """Absolute path (links not followed) → the bytes hashed."""
    code: str
    """The hash of the package's files when the key was taken."""
    strays: list[Path] = field(default_factory=list)
    """Tables the command read that the key did not hash."""

    def read(self, path: Path) -> Data:
        """The bytes of ``path`` as the key hashed them; from disk (and noted, so that
        nothing is remembered) for a file the key does not hold."""
        found = self.tables.get(str(path.absolute()))
        if found is not None:
            return found
        from ukreport.validation.reading import read_regular

        self.strays.append(path)
        return read_regular(path)

    def holds(self) -> bool:
        """Whether the answer may be kept under :attr:`digest`: every table the command
        read is one the key hashed, and the package's files are those it hashed."""
        return not self.strays and _code() == self.code


def _read(file: Path) -> bytes | None:
    """The bytes of a regular file (never blocking on a FIFO swapped in), or ``None``."""

    def plain(info: os.stat_result) -> None:
        if not stat.S_ISREG(info.st_mode):
            raise IsADirectoryError  # any OSError: not a file to remember by

    try:
        return read_open(file, _MAX_BYTES, plain)
    except OSError:
        return None


def _code() -> str | None:
    """The hash of every file of the installed package (and the environment's)."""
    digest = _cache.Key("validate-code", _FORMAT)
    try:
        for file in _meta.package_files():
            inside = file.is_relative_to(paths.PACKAGE_DIR)
            name = file.relative_to(paths.PACKAGE_DIR) if inside else file
            digest.add(f"code {name.as_posix()}", file.read_bytes())
    except OSError:
        return None
    return digest.hexdigest()


def key(command: str, arguments: list[str], given: list[Path]) -> Keyed | None:
    """The key for ``command`` run with ``arguments`` on the files in ``given``, with the
    tables' bytes it hashed; ``None`` when the result is not to be remembered."""
    files = _inputs(given)
    try:
        if files is None or sum(f.stat().st_size for f in files) > _MAX_BYTES:
            return None
    except OSError:
        return None
    digest = _cache.Key(command, _FORMAT)
    digest.add("command", json.dumps([command, *arguments]).encode())
    digest.add("day", today().isoformat().encode())  # the checks compare dates with it
    tables: dict[str, bytes] = {}
    for file in files:
        data = _read(file)
        if data is None or sum(map(len, tables.values())) + len(data) > _MAX_BYTES:
            return None
        kind = "link" if file.is_symlink() else "file"
        digest.add(f"input {kind} {file}", data)
        tables[str(file.absolute())] = data
    code = _code()
    if code is None:
        return None
    digest.add("code", code.encode())
    return Keyed(digest.hexdigest(), tables, code)


def _store(command: str) -> _cache.Store:
    return _cache.Store(_cache.user_folder(command), warn=False)


def recall(command: str, digest: str) -> Said | None:
    """The result kept under ``digest``, if any."""
    stored = _store(command).load_json(f"{digest}.json")
    if not isinstance(stored, dict):
        return None
    try:
        return Said(str(stored["output"]), str(stored["summary"]), int(stored["exit_code"]))
    except (ValueError, KeyError, TypeError):
        return None


def remember(command: str, digest: str, said: Said) -> None:
    """Keep ``said`` under ``digest`` (quietly nothing when the folder is not writable)."""
    stored = {"output": said.output, "summary": said.summary, "exit_code": said.exit_code}
    _store(command).store_json(f"{digest}.json", stored)
