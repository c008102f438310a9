"""The package's caches, each made the same way: one key discipline, one store, one root.

Five things are kept between runs: what ``ukreport validate`` said, the essay's frozen
cell outputs, citeproc's citations, the written reference lists and pandoc's tree of
each section. Each is kept under a :class:`Key` that hashes what its caller adds
(labelled, length-prefixed, so no two sequences of parts hash alike) and, always, what
can change any of them without the caller noticing: the Python version, the installed
distributions and every pandoc binary the package may run (an upgrade of pandoc must
not reuse trees or citations another pandoc wrote). A :class:`Store` is a folder that
reads tolerantly (anything missing, unreadable or malformed is a miss) and writes whole
files quietly (a read-only checkout still works, only slower). Each file it writes
starts with the SHA-256 of its name and content, and a file whose content does not
match (edited by hand, damaged, or written by an older version) is a miss and is
removed: no cache can publish what it did not compute. Where a store lives is decided
here: the report's caches in ``.ukreport-cache/`` beside the essay (:func:`beside`),
the command line's in the user's cache folder (:func:`user_folder`).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import logging
import os
import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ukreport import _meta

__all__ = [
    "FOLDER",
    "Key",
    "Store",
    "beside",
    "environment",
    "pandoc_identity",
    "tampered",
    "user_folder",
]

logger = logging.getLogger(__name__)

FOLDER = ".ukreport-cache"
"""The folder, beside the essay, that holds the report's caches (git-ignored)."""


def beside(document: Path, name: str | None = None) -> Path:
    """The report's cache folder for ``document`` (a sub-folder ``name`` of it)."""
    folder = document.resolve().parent / FOLDER
    return folder / name if name else folder


def user_folder(name: str) -> Path | None:
    """The command line's cache folder ``name``: in ``$UKREPORT_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/ukreport``, else ``~/.cache/ukreport``; ``None`` when
    ``UKREPORT_CACHE_DIR`` turns caching off (``off``, ``0``, ``no`` or empty)."""
    chosen = os.environ.get("UKREPORT_CACHE_DIR")
    if chosen is not None:
        off = chosen.strip().lower() in {"", "off", "0", "no"}
        return None if off else Path(chosen) / name
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ukreport" / name


def _identity(path: Path) -> str:
    try:
        info = path.stat()
    except OSError:
        return f"{path} absent"
    return f"{path} {info.st_size} {info.st_mtime_ns}"


def pandoc_identity() -> str:
    """Every pandoc binary the package may run, each by path, size and time: the one in
    the ``pypandoc_binary`` wheel, ``$PYPANDOC_PANDOC``, the one on ``PATH`` and those
    pypandoc also tries (``~/bin``, ``~/.bin``, the interpreter's ``bin``), as it picks
    the newest. Any upgrade changes it, and finding it starts no program and imports
    nothing."""
    name = "pandoc.exe" if sys.platform == "win32" else "pandoc"
    candidates: list[Path] = []
    spec = importlib.util.find_spec("pypandoc")
    if spec is not None and spec.origin:
        candidates.append(Path(spec.origin).resolve().parent / "files" / name)
    named = os.environ.get("PYPANDOC_PANDOC")
    if named:
        candidates.append(Path(named).resolve())
    on_path = shutil.which("pandoc")
    if on_path:
        candidates.append(Path(on_path).resolve())
    home = Path.home()
    for folder in (home / "bin", home / ".bin", Path(sys.exec_prefix) / "bin"):
        if (folder / name).exists():
            candidates.append((folder / name).resolve())
    return "\n".join(_identity(path) for path in candidates)


def environment() -> bytes:
    """What every key holds whatever the cache: the Python version, the installed
    distributions and the pandoc binaries (a millisecond or two to find out)."""
    parts = (sys.version, "\n".join(_meta.installed()), pandoc_identity())
    return "\0".join(parts).encode()


class Key:
    """The SHA-256 of what a cached result depends on.

    ``kind`` and ``version`` name the cache and the shape of what it keeps (bumped when
    either changes); :meth:`add` adds a labelled part; :meth:`hexdigest` adds the
    :func:`environment` before it answers (``environment``, when given, is that, found
    once for many keys).
    """

    def __init__(self, kind: str, version: str, *, environment: bytes | None = None) -> None:
        self._digest = hashlib.sha256()
        self._environment = environment
        self.add("cache", f"{kind} {version}".encode())

    def add(self, label: str, data: bytes) -> Key:
        """Add one part; returns the key, so parts can be chained."""
        self._digest.update(f"{label}\0{len(data)}\0".encode())
        self._digest.update(data)
        return self

    def add_all(self, parts: Iterable[tuple[str, bytes]]) -> Key:
        for label, data in parts:
            self.add(label, data)
        return self

    def hexdigest(self) -> str:
        final = self._digest.copy()
        found = self._environment if self._environment is not None else environment()
        final.update(f"environment\0{len(found)}\0".encode())
        final.update(found)
        return final.hexdigest()


_SEAL = b"ukreport-cache sha256="
"""How every kept file starts: then the SHA-256 of its name and content, and a newline."""


def _digest(name: str, data: bytes) -> bytes:
    return hashlib.sha256(f"{name}\0{len(data)}\0".encode() + data).hexdigest().encode()


def _sealed(name: str, data: bytes) -> bytes:
    return _SEAL + _digest(name, data) + b"\n" + data


def _checked(name: str, kept: bytes) -> bytes | None:
    """The content of a kept file, or ``None`` when it does not match its hash."""
    head, newline, data = kept.partition(b"\n")
    if not newline or not head.startswith(_SEAL):
        return None
    return data if head[len(_SEAL) :] == _digest(name, data) else None


def tampered(folder: Path) -> list[Path]:
    """The files under ``folder`` (a store, or a folder of stores) whose content does not
    match their hash: they will not be used, only removed and computed again."""
    found: list[Path] = []
    with contextlib.suppress(OSError):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                with contextlib.suppress(OSError):
                    if _checked(path.name, path.read_bytes()) is None:
                        found.append(path)
    return found


@dataclass(frozen=True)
class Store:
    """A folder of kept results, one file each; ``folder=None`` keeps nothing."""

    folder: Path | None
    warn: bool = True
    """Whether a result that cannot be kept is logged as a warning (else at debug)."""

    def path(self, name: str) -> Path | None:
        return None if self.folder is None else self.folder / name

    def load(self, name: str) -> bytes | None:
        """The bytes kept under ``name``, or ``None`` (missing, unreadable, no store, or
        not what was written: an entry whose content does not match its hash is removed)."""
        path = self.path(name)
        if path is None:
            return None
        try:
            kept = path.read_bytes()
        except OSError:
            return None
        data = _checked(name, kept)
        if data is None:
            logger.info("ignored %s: its content does not match its hash", path)
            with contextlib.suppress(OSError):
                path.unlink()
        return data

    def load_text(self, name: str) -> str | None:
        data = self.load(name)
        if data is None:
            return None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return None

    def load_json(self, name: str) -> Any | None:
        text = self.load_text(name)
        if text is None:
            return None
        try:
            return json.loads(text)
        except ValueError:
            return None

    def store(self, name: str, data: bytes) -> bool:
        """Keep ``data`` under ``name`` (written whole); ``False``, and a warning in the
        log, when it cannot be (a read-only checkout still works)."""
        path = self.path(name)
        if path is None:
            return False
        from ukreport._io import write_atomically

        try:
            write_atomically(path, _sealed(name, data))
        except OSError as exc:
            (logger.warning if self.warn else logger.debug)("could not keep %s: %s", path, exc)
            return False
        return True

    def store_json(self, name: str, document: Any, *, sort_keys: bool = False) -> bool:
        from ukreport._io import dumps

        return self.store(name, dumps(document, sort_keys=sort_keys).encode("utf-8"))

    def prune(self, pattern: str, keep: Iterable[str]) -> None:
        """Remove the files matching ``pattern`` but those named in ``keep``."""
        if self.folder is None:
            return
        kept = set(keep)
        with contextlib.suppress(OSError):
            for old in self.folder.glob(pattern):
                if old.name not in kept:
                    old.unlink(missing_ok=True)
