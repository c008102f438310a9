"""The sides a review compares: files at a git revision, in a folder, or on disk.

``ukreport diff`` compares the data of any two sides; ``ukreport schema-check``
compares the schemas at a release with the working tree. Files at a revision are read
through :mod:`ukreport._git`, straight from the object store and in one git
call, so nothing is checked out and the working tree is never touched.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ukreport import _git, paths


@dataclass(frozen=True)
class Side:
    """One side of a comparison: a git revision, a folder, or the working tree."""

    role: str
    """``BASE`` or ``HEAD``, as messages name it."""
    label: str
    """The revision or folder as given, or ``the working tree``."""
    cwd: Path
    """The directory paths (and the revision's paths) are relative to."""
    commit: str | None = None
    """The commit a revision resolves to; ``None`` for files on disk."""
    data_dir: Path = paths.RAW_DIR
    """Where ``<table>.csv`` lives."""
    schemas_dir: Path | None = paths.SCHEMAS_DIR
    """Where ``raw/<table>.json`` lives; ``None`` for a folder of tables."""
    cache: dict[str, bytes | None] = field(default_factory=dict, compare=False, repr=False)
    """Files already read from the revision, by POSIX path."""

    @property
    def name(self) -> str:
        """``BASE (v0.1.0)``: the role and what it stands for, for messages."""
        return f"{self.role} ({self.label})"

    def where(self, path: Path) -> str:
        """``v0.1.0:data/raw/events.csv``, or the path on disk."""
        return f"{self.label}:{path.as_posix()}" if self.commit else str(path)

    def prefetch(self, files: Iterable[Path]) -> None:
        """Read ``files`` from the revision in one git call (nothing for files on disk)."""
        if self.commit is None:
            return
        from ukreport.errors import InputError
        from ukreport.validation.reading import MAX_TABLE_BYTES

        try:
            found = _git.read_files(self.commit, files, self.cwd, limit=MAX_TABLE_BYTES)
        except _git.TooLarge as exc:
            raise InputError(
                self.where(Path(exc.name)),
                f"is {exc.size:,} bytes; a table is read only up to {exc.limit:,} bytes (1 GiB)"
                " — check that this is the right revision and file, or split the table",
            ) from None
        self.cache.update(found)

    def names(self, folder: Path) -> list[str]:
        """What ``folder`` holds on this side, by name; nothing when it is absent."""
        if self.commit is not None:
            return _git.list_files(self.commit, folder, self.cwd)
        try:
            return sorted(entry.name for entry in (self.cwd / folder).iterdir())
        except (FileNotFoundError, NotADirectoryError):
            return []

    def read(self, path: Path) -> bytes | None:
        """The bytes of ``path`` on this side, or ``None`` when it is absent."""
        if self.commit is not None:
            if path.as_posix() not in self.cache:
                self.prefetch([path])
            return self.cache[path.as_posix()]
        from ukreport.validation.reading import read_regular

        file = self.cwd / path
        if not os.path.lexists(file) or file.is_dir():
            return None
        # Regular files only, and no larger than a table may be: what validate reads.
        return bytes(read_regular(file))


def make_side(spec: str | None, role: str, *, cwd: Path | None = None) -> Side:
    """A side from what the user typed: ``None`` (working tree), a folder, or a revision.

    An existing folder wins over a revision of the same name. A folder holds the tables
    themselves and no schemas; a checkout has them where :mod:`ukreport.paths` says.
    """
    here = cwd or Path.cwd()
    if spec is None:
        return working_tree(here, role)
    if (here / spec).is_dir():
        return Side(role, spec, here, data_dir=Path(spec), schemas_dir=None)
    return Side(role, spec, here, _commit(spec, here, "commit, branch, tag, release or folder"))


def _commit(spec: str, cwd: Path, kinds: str) -> str:
    """The commit ``spec`` names: a git revision, or else a release the changelog records."""
    from ukreport.review.releases import find_release

    try:
        return _git.resolve(spec, cwd, kinds=kinds)
    except _git.UnknownRevision:
        recorded = find_release(spec, cwd)
        if recorded is None:
            raise
        return recorded.commit


def working_tree(cwd: Path, role: str = "HEAD") -> Side:
    """The files on disk below ``cwd``, as they are now."""
    return Side(role, _git.WORKING_TREE, cwd)


def release(spec: str | None, cwd: Path) -> Side:
    """The ``BASE`` side at revision or release ``spec``, by default the last release
    the changelog records (:mod:`ukreport.review.releases`)."""
    if spec is None:
        from ukreport.review.releases import last_release

        last = last_release(cwd)
        return Side("BASE", last.label, cwd, last.commit)
    return Side("BASE", spec, cwd, _commit(spec, cwd, "commit, branch, tag or release"))
