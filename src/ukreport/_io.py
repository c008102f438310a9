"""Writing files, JSON and digests the same way everywhere.

A crash, a full disk or Ctrl-C must never leave a half-written output, nor a new file
beside an old one that it was meant to replace together with: :func:`write_files`
writes every file in full beside its target before it renames any into place.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["dumps", "sha256", "write_atomically", "write_files"]


def write_files(files: Mapping[Path, bytes]) -> list[Path]:
    """Write every file, then rename them into place in the order given.

    Nothing is replaced until every file is written in full, and no temporary file
    is left behind whatever happens; put an index (``datapackage.json``) last so a
    reader who sees it sees the files it describes.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for target, payload in files.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            staged.append((Path(name), target))
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
            Path(name).chmod(0o644)
        for part, target in staged:
            part.replace(target)
    finally:
        for part, _ in staged:
            part.unlink(missing_ok=True)
    return list(files)


def write_atomically(path: Path, data: bytes) -> None:
    """Write one file: readers see the old one or the new one, never a mix."""
    write_files({path: data})


def dumps(document: Any, *, sort_keys: bool = False) -> str:
    """JSON as every output of the package writes it: indented, UTF-8, final newline."""
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=sort_keys) + "\n"


def sha256(data: bytes) -> str:
    """The hex SHA-256 of ``data``: the digest datapackage.json and the manifest record."""
    return hashlib.sha256(data).hexdigest()
