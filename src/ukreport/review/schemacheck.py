"""Does the version number say what the changes since the last release do?

``ukreport schema-check [BASE]`` compares today's Table Schemas (``schemas/raw`` and
``schemas/processed``) with those at git revision ``BASE`` — by default the last
release the changelog records (:mod:`ukreport.review.releases`) — and classifies every
difference as breaking, minor or patch (:mod:`ukreport.review.schemadiff`); a raw table
whose rows changed is a patch. Then it compares
``[project].version`` in ``pyproject.toml`` at ``BASE`` with today's, following
Semantic Versioning (:mod:`ukreport.review.versions`), and with ``--changelog`` asks
for a dated ``CHANGELOG.md`` entry for a new version (:mod:`ukreport.review.changelog`).

With ``--since REV`` (a pull request's base), a change to the raw tables since ``REV``
must also change ``CHANGELOG.md``.

Exit status: 0 compatible, 1 the version is not bumped enough (each change named with
the version it needs) or a changelog entry is missing, 2 a usage error (no release,
unknown revision, a pyproject without a version).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ukreport import _git, paths
from ukreport.review.changelog import CHANGELOG, release_notes_problems
from ukreport.review.revisions import Side, release, working_tree
from ukreport.review.schemadiff import Level, SchemaChange, SchemaCheckError, compare_schemas
from ukreport.review.versions import parse_version, project_versions, required_version

KINDS = ("raw", "processed")


@dataclass(frozen=True)
class SchemaCheck:
    """The schema changes since ``base`` and whether the version bump covers them."""

    base: str
    base_version: str
    version: str
    changes: tuple[SchemaChange, ...]

    def needs(self, change: SchemaChange) -> str:
        return required_version(self.base_version, change.level)

    @property
    def insufficient(self) -> tuple[SchemaChange, ...]:
        """The changes the current version is too low for."""
        now = parse_version(self.version)
        return tuple(c for c in self.changes if parse_version(self.needs(c)) > now)

    @property
    def problems(self) -> list[str]:
        """One line per change the version does not cover, saying what it needs."""
        problems = []
        if parse_version(self.version) < parse_version(self.base_version):
            problems.append(
                f"version {self.version} is lower than {self.base_version} at {self.base}"
            )
        problems += [
            f"{c.message}: {c.level.label}; needs {self.needs(c)} or later, "
            f"version is {self.version}"
            for c in self.insufficient
        ]
        return problems

    @property
    def ok(self) -> bool:
        return not self.problems


def _load_json(data: bytes | None, where: str) -> dict[str, Any] | None:
    if data is None:
        return None
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, ValueError) as error:
        raise SchemaCheckError(f"{where}: not valid JSON: {error}") from None
    if not isinstance(document, dict):
        raise SchemaCheckError(f"{where}: not a Table Schema (not a JSON object)")
    return document


def _schema_files(sides: tuple[Side, Side], schemas_dir: Path) -> list[Path]:
    """Every ``<kind>/<table>.json`` either side has, in a stable order."""
    files: list[Path] = []
    for kind in KINDS:
        folder = schemas_dir / kind
        names = {name for side in sides for name in side.names(folder)}
        files += [folder / name for name in sorted(names) if name.endswith(".json")]
    return files


def _tables(sides: tuple[Side, Side], data_dir: Path) -> list[Path]:
    names = {name for side in sides for name in side.names(data_dir)}
    return [data_dir / name for name in sorted(names) if name.endswith(".csv")]


def changed_tables(then: Side, now: Side, data_dir: Path = paths.RAW_DIR) -> dict[Path, str]:
    """Each raw table whose bytes differ between ``then`` and ``now``, with ``added``,
    ``removed`` or ``changed``."""
    files = _tables((then, now), data_dir)
    then.prefetch(files)
    changed = {}
    for path in files:
        old, new = then.read(path), now.read(path)
        if old != new:
            changed[path] = "added" if old is None else "removed" if new is None else "changed"
    return changed


def data_changes(then: Side, now: Side, data_dir: Path = paths.RAW_DIR) -> list[SchemaChange]:
    """A patch for each raw table that changed: rows added, removed or corrected are a
    new version of the data, however small."""
    return [
        SchemaChange(Level.PATCH, f"rows of {path.as_posix()} {what}")
        for path, what in changed_tables(then, now, data_dir).items()
    ]


def unnoted_data_change(since: str, cwd: Path | None = None) -> list[str]:
    """A problem when the raw tables changed since revision ``since`` and ``CHANGELOG.md``
    did not: every change to the data is told to its readers."""
    here = cwd or Path.cwd()
    then, now = release(since, here), working_tree(here)
    changed = changed_tables(then, now)
    if not changed or then.read(CHANGELOG) != now.read(CHANGELOG):
        return []
    tables = ", ".join(path.as_posix() for path in changed)
    return [
        f"{tables} changed since {since} but {CHANGELOG} did not: say what changed "
        "under `## [Unreleased]` (a row corrected or added is a patch release)"
    ]


def check_schemas(
    base: str | None = None,
    *,
    schemas_dir: Path = paths.SCHEMAS_DIR,
    pyproject: Path = paths.PYPROJECT,
    cwd: Path | None = None,
) -> SchemaCheck:
    """Compare the Table Schemas and version in the working tree with those at ``base``.

    ``base`` is a git revision or release; ``None`` means the last release, and none
    is an error. ``schemas_dir`` and ``pyproject`` are relative to ``cwd`` (default: the
    current directory, inside a git repository), in the working tree and at ``base``.
    """
    here = cwd or Path.cwd()
    then, now = release(base, here), working_tree(here)
    files = _schema_files((then, now), schemas_dir)
    then.prefetch([*files, pyproject])
    changes: list[SchemaChange] = []
    for path in files:
        old = _load_json(then.read(path), then.where(path))
        new = _load_json(now.read(path), now.where(path))
        changes += compare_schemas(path.stem, path.parent.name, old, new)
    changes += data_changes(then, now)
    base_version, version = project_versions(then, now, pyproject)
    parse_version(base_version)
    parse_version(version)
    return SchemaCheck(then.label, base_version, version, tuple(changes))


def render_check(result: SchemaCheck) -> str:
    """The report: each change with its level, then what the version needs."""
    head = (
        f"changes from {result.base} (version {result.base_version}) to "
        f"{_git.WORKING_TREE} (version {result.version})"
    )
    if not result.changes:
        lines = [f"no schema or data changes since {result.base} (version {result.base_version})"]
    else:
        width = max(len(level.label) for level in Level)
        lines = [head + ":"]
        lines += [f"  {c.level.label:<{width}}  {c.message}" for c in result.changes]
    problems = result.problems
    if problems:
        lines += problems
    elif result.changes:
        top = max(result.changes, key=lambda c: c.level)
        lines.append(
            f"version {result.version} is enough: {top.level.label} changes need "
            f"{result.needs(top)} or later"
        )
    return "\n".join(lines) + "\n"


def schema_check(
    base: str | None = None, *, changelog: bool = False, since: str | None = None
) -> tuple[str, int]:
    """``ukreport schema-check``: the report and the exit status, 0 compatible, 1 not
    bumped enough (or, with ``changelog``, a missing changelog entry; with ``since``, a
    data change since that revision without a changelog change). Usage errors are
    raised as :class:`~ukreport.errors.UkreportError` (exit status 2)."""
    result = check_schemas(base)
    report = render_check(result)
    problems = result.problems
    if changelog:
        notes = release_notes_problems(Path.cwd(), result.base, result.base_version, result.version)
        report += "".join(f"{note}\n" for note in notes)
        problems += notes
    if since is not None:
        notes = unnoted_data_change(since)
        report += "".join(f"{note}\n" for note in notes)
        problems += notes
    return report, 1 if problems else 0
