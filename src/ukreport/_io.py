"""Writing files, JSON and digests the same way everywhere: the package's one writer.

A crash, a full disk, Ctrl-C or ``kill`` must never leave a half-written output, nor a
new file beside an old one that it was meant to replace together with, nor lose what
was there: :func:`write_files` writes every file in full beside its target before it
renames any into place, and :func:`write_package` replaces a whole folder in one step.

Every destination is checked first (:func:`output_file`, :func:`output_folder`):
nothing is written into a folder that holds raw tables, and only regular files are
written — a device, FIFO, socket or folder where a file is due is refused, and a
symbolic link is written through (its target is replaced, the link kept). Every
``OSError`` of a write becomes an :class:`~ukreport.errors.OutputError` naming the path
and what to do. Temporary files and folders carry the writing process's id, so the
next run removes those whose process is gone (killed by SIGKILL, say) and no other.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import json
import os
import re
import shutil
import signal
import stat
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ukreport._files import file_kind, regular_file
from ukreport.errors import OutputError
from ukreport.paths import TABLES

__all__ = [
    "dumps",
    "output_file",
    "output_folder",
    "sha256",
    "sweep_stale",
    "temporary_folder",
    "write_atomically",
    "write_files",
    "write_package",
]

_PROCESSED_COLUMN = b"date_precision"
"""A column every processed table has and no raw table has: what tells them apart."""
_STALE = re.compile(r"^(\d+)-[A-Za-z0-9_]+(?:\.tmp)?$")
"""What follows the prefix in a temporary name: ``<pid>-<random>``, maybe ``.tmp``."""


# --- where outputs may go ------------------------------------------------------------------


def _raw_tables_in(folder: Path) -> list[str]:
    """The raw tables ``folder`` holds: each ``<table>.csv`` whose header is not that of
    a processed table (anything not written by ``ukreport process`` counts as raw)."""
    found = []
    for table in TABLES:
        name = f"{table}.csv"
        path = folder / name
        kind = regular_file(path)
        if kind is None:
            continue
        if not kind:
            found.append(name)  # a FIFO would block the read, unreadable: do not risk it
            continue
        try:
            with path.open("rb") as handle:
                header = handle.readline(1 << 16)
        except (FileNotFoundError, NotADirectoryError):
            continue
        except OSError:
            found.append(name)  # unreadable: do not risk it
            continue
        if _PROCESSED_COLUMN not in header.split(b"\n")[0].split(b","):
            found.append(name)
    return found


def output_folder(folder: Path, *, raw: Path | None = None) -> Path:
    """``folder`` resolved (symbolic links, ``..``), once checked as a place to write.

    Refused (:class:`OutputError`): an existing path that is not a folder; a folder
    that holds raw tables; with ``raw``, the raw folder itself or one inside it, however
    spelled (links, ``..``, the same inode).
    """
    real = Path(os.path.realpath(folder))
    if real.exists() and not real.is_dir():
        raise OutputError(folder, "is not a folder; give a folder (new or existing) to write to")
    if raw is not None and _within(real, Path(os.path.realpath(raw))):
        raise OutputError(
            folder,
            f"is the raw data folder {raw} (or inside it): ukreport never writes there; "
            "choose another output folder",
        )
    for candidate in _with_ancestors_here(real):
        held = _raw_tables_in(candidate) if candidate.is_dir() else []
        if held:
            where = "holds" if candidate == real else f"is inside {candidate}, which holds"
            raise OutputError(
                folder,
                f"{where} raw tables ({', '.join(held)}): ukreport never writes into a "
                "folder of raw tables; choose another output folder",
            )
    return real


def _within(real: Path, raw: Path) -> bool:
    """Whether ``real`` is ``raw`` or inside it: by path, and by device and inode for
    every folder on the way up (a bind mount of ``raw`` has another path)."""
    if real == raw or raw in real.parents:
        return True
    try:
        wanted = raw.stat()
    except OSError:
        return False
    for candidate in (real, *real.parents):
        with contextlib.suppress(OSError):
            found = candidate.stat()
            if (found.st_dev, found.st_ino) == (wanted.st_dev, wanted.st_ino):
                return True
    return False


def _with_ancestors_here(real: Path) -> list[Path]:
    """``real`` and, when it is inside the working directory (the checkout), each of its
    folders up to that one: ``data/raw/sub`` is inside the raw folder too."""
    try:
        here = Path(os.path.realpath(Path.cwd()))
    except OSError:
        return [real]
    inside = [parent for parent in real.parents if parent == here or here in parent.parents]
    return [real, *inside]


def output_file(path: Path) -> Path:
    """Where writing ``path`` really goes, once checked: the path itself, or the file a
    symbolic link at it points to (written through, the link kept).

    Refused (:class:`OutputError`): a folder, a device, a FIFO or a socket (only
    regular files are written), and a file in a folder that holds raw tables.
    """
    real = Path(os.path.realpath(path))
    try:
        mode = real.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise OutputError.from_os_error(path, error) from None
    if mode is not None and not stat.S_ISREG(mode):
        kind = file_kind(mode)
        hint = (
            "give a file path inside it"
            if kind == "a folder"
            else "ukreport writes regular files only (leave out --output to write to "
            "standard output)"
        )
        raise OutputError(path, f"is {kind}, not a regular file: {hint}")
    try:
        output_folder(real.parent)
    except OutputError as error:
        raise OutputError(path, f"is in {error.path}, which {error.message}") from None
    return real


# --- temporary files that outlive their process --------------------------------------------


def _alive(pid: int) -> bool:
    """Whether process ``pid`` exists (possibly another user's)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _tag(prefix: str) -> str:
    """``prefix`` with this process's id: ``.events.csv.4242-`` (see :func:`sweep_stale`)."""
    return f"{prefix}{os.getpid()}-"


def sweep_stale(folder: Path, prefix: str) -> list[Path]:
    """Remove this user's entries of ``folder`` named ``<prefix><pid>-<random>[.tmp]``
    whose process ``pid`` is gone: what a killed run left. Returns what was removed.

    A live process's entries (another build at work) are never touched.
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(prefix):
            continue
        match = _STALE.match(entry.name[len(prefix) :])
        if match is None or _alive(int(match.group(1))):
            continue
        try:
            if entry.stat(follow_symlinks=False).st_uid != os.getuid():
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                Path(entry.path).unlink()
        except OSError:
            continue
        removed.append(Path(entry.path))
    return removed


def _sweep_temp_files(folder: Path) -> None:
    """Remove the stale ``.<name>.<pid>-<random>.tmp`` files and folders of ``folder``."""
    try:
        names = {e.name for e in os.scandir(folder) if e.name.endswith(".tmp")}
    except OSError:
        return
    prefixes = {m.group(1) for n in names if (m := re.match(r"^(\.[^/]*?\.)\d+-", n))}
    for prefix in prefixes:
        sweep_stale(folder, prefix)


@contextlib.contextmanager
def temporary_folder(prefix: str, folder: str | None = None) -> Iterator[Path]:
    """A private temporary folder ``<prefix><pid>-<random>``, removed on leaving.

    Those of the same prefix whose process is gone (killed before it could remove
    them) are removed first.
    """
    base = folder if folder is not None else tempfile.gettempdir()
    sweep_stale(Path(base), prefix)
    with tempfile.TemporaryDirectory(prefix=_tag(prefix), dir=base) as tmp:
        yield Path(tmp)


# --- writing ---------------------------------------------------------------------------------


def _write_new(path: Path, payload: bytes, fd: int | None = None) -> None:
    """Write ``payload`` to the new file ``path`` (or its open ``fd``) and flush it to
    the disk: some file systems report a full disk only at ``fsync``."""
    if fd is None:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(payload)
        handle.flush()
        os.fsync(handle.fileno())
    path.chmod(0o644)


def write_files(files: Mapping[Path, bytes]) -> list[Path]:
    """Write every file, then rename them into place in the order given.

    Nothing is replaced until every file is written in full, and no temporary file
    is left behind whatever happens (one a SIGKILL leaves is removed by the next
    write to that folder); put an index (``datapackage.json``) last so a reader who
    sees it sees the files it describes. Each target is checked by :func:`output_file`.
    Returns the paths as given.
    """
    targets = {path: output_file(path) for path in files}
    for folder in {real.parent for real in targets.values()}:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise OutputError.from_os_error(folder, error) from None
        _sweep_temp_files(folder)
    staged: list[tuple[Path, Path]] = []
    current = next(iter(files), Path())
    try:
        for path, payload in files.items():
            current, real = path, targets[path]
            fd, name = tempfile.mkstemp(
                prefix=_tag(f".{real.name}."), suffix=".tmp", dir=real.parent
            )
            staged.append((Path(name), real))
            _write_new(Path(name), payload, fd)
        for part, real in staged:
            current = real
            part.replace(real)
    except OSError as error:
        raise OutputError.from_os_error(current, error) from None
    finally:
        for part, _ in staged:
            with contextlib.suppress(OSError):
                part.unlink(missing_ok=True)
    return list(files)


def write_atomically(path: Path, data: bytes) -> None:
    """Write one file: readers see the old one or the new one, never a mix."""
    write_files({path: data})


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); ``False``
    where the system or file system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError, TypeError):  # no such call, or no C library to ask
        return False
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def write_package(folder: Path, files: Mapping[str, bytes], *, raw: Path | None = None) -> Path:
    """Replace ``folder`` with one holding ``files`` (names to bytes), all in one step.

    The new package is written in full into a sibling folder, then swapped with the
    old one by a single ``renameat2(RENAME_EXCHANGE)``: a reader, a crash or a kill
    sees the old package whole or the new one whole, never a mix. Anything else the
    old folder held is carried over. Where the exchange is not supported, the old
    folder is renamed aside and the new one into place: a reader may briefly find no
    folder, never a mixed one. ``raw`` is refused as a destination (see
    :func:`output_folder`). Returns the folder's resolved path.
    """
    real = output_folder(folder, raw=raw)
    parent = real.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError.from_os_error(parent, error) from None
    prefix = f".{real.name}."
    sweep_stale(parent, prefix)
    stage: Path | None = None
    current = parent
    try:
        stage = Path(tempfile.mkdtemp(prefix=_tag(prefix), suffix=".tmp", dir=parent))
        current = stage
        stage.chmod(stat.S_IMODE(real.stat().st_mode) if real.is_dir() else 0o755)
        for name, payload in files.items():
            current = real / name
            _write_new(stage / name, payload)
        if real.is_dir():
            _sweep_temp_files(real)
            for entry in os.scandir(real):
                if entry.name in files:
                    continue
                current = Path(entry.path)
                if entry.is_dir(follow_symlinks=False):
                    shutil.copytree(entry.path, stage / entry.name, symlinks=True)
                else:
                    shutil.copy2(entry.path, stage / entry.name, follow_symlinks=False)
            current = real
            if not _exchange(stage, real):
                aside = Path(tempfile.mkdtemp(prefix=_tag(prefix), suffix=".tmp", dir=parent))
                real.replace(aside / real.name)
                stage.replace(real)
                stage = aside
        else:
            current = real
            stage.replace(real)
            stage = None
    except OSError as error:
        raise OutputError.from_os_error(current, error) from None
    finally:
        if stage is not None:
            _remove(stage)
    return real


def _remove(folder: Path) -> None:
    """Remove ``folder`` with Ctrl-C and SIGTERM held: cut short, it would stay half-made."""
    held = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    before = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        shutil.rmtree(folder, ignore_errors=True)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)  # a held signal is raised now


def dumps(document: Any, *, sort_keys: bool = False) -> str:
    """JSON as every output of the package writes it: indented, UTF-8, final newline."""
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=sort_keys) + "\n"


def sha256(data: bytes) -> str:
    """The hex SHA-256 of ``data``: the digest datapackage.json and the manifest record."""
    return hashlib.sha256(data).hexdigest()
