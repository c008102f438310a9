"""The version a schema change needs, following Semantic Versioning.

- From 1.0.0 on, a breaking change needs the next MAJOR version (1.4.2 → 2.0.0), a
  minor change the next MINOR (1.4.2 → 1.5.0), a patch the next PATCH (1.4.3).
- Below 1.0.0, where SemVer lets anything change, everything moves one place down: a
  breaking change needs the next minor version (0.1.3 → 0.2.0, or 1.0.0), a minor
  change or a patch needs the next patch (0.1.4).

Versions are parsed by :mod:`packaging.version`, as pip and the build backend parse
``[project].version``, and compared by their release part only: a pre-release counts
as the release it leads to (``1.0.0rc1`` satisfies "needs 1.0.0").
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.version import InvalidVersion, Version

from ukreport import paths
from ukreport.review.revisions import Side
from ukreport.review.schemadiff import Level, SchemaCheckError

Release = tuple[int, int, int]
"""MAJOR, MINOR, PATCH."""


def parse_version(text: str) -> Release:
    """The release part of a version, ``"0.2.0rc1"`` → ``(0, 2, 0)``; missing parts are 0.

    A version that is not PEP 440, has an epoch, or has more than three release parts
    is a :class:`SchemaCheckError`: SemVer has no place for it.
    """
    try:
        version = Version(text)
    except InvalidVersion:
        version = None
    if version is None or version.epoch or len(version.release) > 3:
        raise SchemaCheckError(f"version {text!r} is not MAJOR.MINOR.PATCH (e.g. 0.2.0)")
    major, minor, patch = (*version.release, 0, 0)[:3]
    return major, minor, patch


def required_version(base_version: str, level: Level) -> str:
    """The lowest version a change of ``level`` needs after ``base_version``."""
    major, minor, patch = parse_version(base_version)
    if major == 0:
        needed = (0, minor + 1, 0) if level is Level.BREAKING else (0, minor, patch + 1)
    elif level is Level.BREAKING:
        needed = (major + 1, 0, 0)
    elif level is Level.MINOR:
        needed = (major, minor + 1, 0)
    else:
        needed = (major, minor, patch + 1)
    return ".".join(str(part) for part in needed)


def project_version(data: bytes | None, where: str) -> str:
    """``[project].version`` from the bytes of a pyproject.toml."""
    if data is None:
        raise SchemaCheckError(f"{where} is missing, so the version there is unknown")
    try:
        document = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise SchemaCheckError(f"{where}: not valid TOML: {error}") from None
    version = document.get("project", {}).get("version")
    if not isinstance(version, str):
        raise SchemaCheckError(
            f"{where} has no [project] version (a dynamic version is not supported): "
            'add `version = "X.Y.Z"` under [project]'
        )
    return version


def project_versions(base: Side, now: Side, pyproject: Path = paths.PYPROJECT) -> tuple[str, str]:
    """``[project].version`` in ``pyproject`` at ``base`` and at ``now``."""
    return (
        project_version(base.read(pyproject), f"{pyproject} at {base.label}"),
        project_version(now.read(pyproject), now.where(pyproject)),
    )
