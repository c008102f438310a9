"""Remember what ``ukreport validate`` said about the same files, to say it again at once.

Validating the repository's tables takes a fraction of a second; importing pandas and
pandera to do it takes longer. A researcher validates again and again while editing,
mostly files that have not changed since, so the result (what was printed and the exit
status) is kept under a key that hashes everything it can depend on: the command's
arguments, the bytes of every table it reads, every file of the installed package, the
day (a date in the future is refused against today's), the Python version and the
installed distributions. Asked again with the same key, the
command prints the same bytes without importing either library. Anything unusual (a
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
from dataclasses import dataclass
from pathlib import Path

from ukreport import _cache, _meta, paths
from ukreport._files import regular_file

__all__ = ["Said", "cache_dir", "key", "recall", "remember"]

_FORMAT = "3"
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


def key(command: str, arguments: list[str], given: list[Path]) -> str | None:
    """The key for ``command`` run with ``arguments`` on the files in ``given``; ``None``
    when the result is not to be remembered."""
    files = _inputs(given)
    try:
        if files is None or sum(f.stat().st_size for f in files) > _MAX_BYTES:
            return None
    except OSError:
        return None
    digest = _cache.Key(command, _FORMAT)
    digest.add("command", json.dumps([command, *arguments]).encode())
    digest.add("day", today().isoformat().encode())  # the checks compare dates with it
    try:
        for file in files:
            kind = "link" if file.is_symlink() else "file"
            digest.add(f"input {kind} {file}", file.read_bytes())
        for file in _meta.package_files():
            digest.add(f"code {file.relative_to(paths.PACKAGE_DIR).as_posix()}", file.read_bytes())
    except OSError:
        return None
    return digest.hexdigest()


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
