"""Facts about this build that every output shares: the package version and the time
the build is pinned to (``SOURCE_DATE_EPOCH``), each read in one place."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
from importlib import metadata
from pathlib import Path

from ukreport.errors import UkreportError

__all__ = [
    "authors",
    "build_time",
    "installed",
    "metadata_text",
    "package_files",
    "repository",
    "source_date_epoch",
    "version",
]


def version() -> str:
    """The installed package's version (``0+unknown`` in a bare checkout)."""
    try:
        return metadata.version("ukreport")
    except metadata.PackageNotFoundError:  # pragma: no cover - a bare checkout
        return "0+unknown"


def authors() -> list[str]:
    """The package's authors as its metadata names them (``pyproject.toml``)."""
    try:
        named = metadata.metadata("ukreport")["Author"] or ""
    except metadata.PackageNotFoundError:  # pragma: no cover - a bare checkout
        return []
    return [name.strip() for name in named.split(",") if name.strip()]


def repository() -> str | None:
    """The public repository's address (the package's ``Source`` project URL)."""
    try:
        urls = metadata.metadata("ukreport").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:  # pragma: no cover - a bare checkout
        return None
    return next(
        (url.split(",", 1)[1].strip() for url in urls if url.lower().startswith("source")),
        None,
    )


def metadata_text() -> str:
    """The installed package's whole metadata (name, version, authors, project URLs), as
    :func:`version`, :func:`authors` and :func:`repository` read it: what a key must hash
    to change when ``pyproject.toml`` is edited and the package installed again."""
    try:
        return metadata.distribution("ukreport").read_text("METADATA") or ""
    except metadata.PackageNotFoundError:  # pragma: no cover - a bare checkout
        return ""


def source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` as seconds, or ``None`` when it is unset or blank.

    Raises :class:`UkreportError` when it is set to something that is not a whole
    number of seconds, rather than silently building with today's date.
    """
    text = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not text:
        return None
    if not text.isdigit():
        raise UkreportError(
            f"SOURCE_DATE_EPOCH is not a whole number of seconds: {text!r} "
            "(unset it, or set it to e.g. `git log -1 --format=%ct`)"
        )
    return int(text)


def build_time() -> dt.datetime | None:
    """The pinned build time in UTC, or ``None`` when ``SOURCE_DATE_EPOCH`` is unset."""
    epoch = source_date_epoch()
    return None if epoch is None else dt.datetime.fromtimestamp(epoch, dt.UTC)


def installed() -> list[str]:
    """The distributions this interpreter can import, as their ``NAME-VERSION.dist-info``
    folders (sorted): the installer names them so, and listing folders reads no
    metadata, so a key that must change with any library's version is cheap to make."""
    found: set[str] = set()
    for entry in sys.path:
        with contextlib.suppress(OSError):
            found |= {p.name for p in Path(entry or ".").iterdir() if p.suffix == ".dist-info"}
    return sorted(found)


def package_files() -> list[Path]:
    """Every file of the installed ``ukreport`` package (its code and the data files it
    reads), sorted: what a key must hash to change with any change to the code."""
    from ukreport.paths import PACKAGE_DIR

    return sorted(p for p in PACKAGE_DIR.rglob("*") if "__pycache__" not in p.parts and p.is_file())
