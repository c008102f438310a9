"""Does the version number say what the schema changes since the last release do?

``ukreport schema-check [BASE]`` compares today's Table Schemas (``schemas/raw`` and
``schemas/processed``) with those at git revision ``BASE`` — by default the last
release tag, ``git describe --tags --abbrev=0`` — and classifies every difference:

breaking (a consumer's code or data that worked may now fail)
    a table or column removed (a rename is a removal and an addition); a type changed,
    except ``integer`` → ``number``; a format changed; a column made required; a
    constraint added or tightened (``pattern`` added or changed — a changed pattern
    cannot be shown to be looser —, ``maxLength``/``maximum`` lowered,
    ``minLength``/``minimum`` raised, ``unique`` added, an ``enum`` added); an
    enumeration value or a ``trueValues``/``falseValues`` entry removed; the columns
    that both sides have put in another order (a CSV read by position, or checked
    against the schema's field order as Frictionless does, sees other columns); the
    primary key or missing values changed; a foreign key added; any property this
    check does not know (so that an unknown change can never pass unnoticed).
minor (something new; what worked still works)
    a table or column added (even a required one: the rows in this repository gain it
    in the same change, and a reader by name is unaffected); an enumeration value or a
    ``trueValues``/``falseValues`` entry added; a constraint removed or loosened; a
    column made optional; a foreign key removed; ``integer`` widened to ``number``.
patch
    descriptions, titles and examples only.

Then it compares ``[project].version`` in ``pyproject.toml`` at ``BASE`` with today's,
following Semantic Versioning:

- from 1.0.0 on, a breaking change needs the next MAJOR version (1.4.2 → 2.0.0), a
  minor change the next MINOR (1.4.2 → 1.5.0), a patch the next PATCH (1.4.3);
- below 1.0.0, where SemVer lets anything change, everything moves one place down: a
  breaking change needs the next minor version (0.1.3 → 0.2.0, or 1.0.0), a minor
  change or a patch needs the next patch (0.1.4).

A pre-release counts as the release it leads to (``1.0.0rc1`` satisfies "needs
1.0.0"). Exit status: 0 compatible, 1 the version is not bumped enough (each change
named with the version it needs), 2 a usage error (no tag, unknown revision, a
pyproject without a version).

:func:`changelog_check` adds the release notes: when the version differs from
``BASE``'s, ``CHANGELOG.md`` (Keep a Changelog) must have a dated ``## [X.Y.Z] -
YYYY-MM-DD`` entry for it (``ukreport schema-check --changelog``).
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

from ukreport import paths
from ukreport.build import gitfiles
from ukreport.errors import UkreportError

CHANGELOG = Path("CHANGELOG.md")
KINDS = ("raw", "processed")

_PATCH_KEYS = frozenset({"description", "title", "example"})
_UPPER_BOUNDS = ("maxLength", "maximum", "exclusiveMaximum", "maxItems")
_LOWER_BOUNDS = ("minLength", "minimum", "exclusiveMinimum", "minItems")
_WIDENINGS = frozenset({("integer", "number")})


class SchemaCheckError(UkreportError, ValueError):
    """The check cannot run: a schema or pyproject.toml is unreadable or lacks a version."""


class Level(enum.IntEnum):
    """How much a change breaks, in the order of the version part it needs."""

    PATCH = 1
    MINOR = 2
    BREAKING = 3

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class SchemaChange:
    """One difference between the schemas, and how much it breaks."""

    level: Level
    message: str
    """What changed, e.g. ``column 'location' removed from events (raw)``."""


# --- comparing schemas ---------------------------------------------------------------


def _where(table: str, kind: str) -> str:
    return f"{table} ({kind})"


def _quoted(values: list[Any]) -> str:
    return ", ".join(repr(v) for v in values)


def _constraint_changes(old: dict[str, Any], new: dict[str, Any], at: str) -> list[SchemaChange]:
    changes: list[SchemaChange] = []

    def add(level: Level, text: str) -> None:
        changes.append(SchemaChange(level, f"{at}: {text}"))

    for key in sorted(old.keys() | new.keys()):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        if key == "required":
            if after:
                add(Level.BREAKING, "made required")
            else:
                add(Level.MINOR, "made optional")
        elif key == "unique":
            if after:
                add(Level.BREAKING, "values must now be unique")
            else:
                add(Level.MINOR, "values need no longer be unique")
        elif key == "enum":
            if before is None:
                add(Level.BREAKING, f"enumeration added ({_quoted(after or [])})")
            elif after is None:
                add(Level.MINOR, "enumeration removed (any value allowed)")
            else:
                removed = [v for v in before if v not in after]
                added = [v for v in after if v not in before]
                if removed:
                    add(Level.BREAKING, f"enumeration value(s) {_quoted(removed)} removed")
                if added:
                    add(Level.MINOR, f"enumeration value(s) {_quoted(added)} added")
                if not removed and not added:
                    add(Level.PATCH, "enumeration values reordered")
        elif key == "pattern":
            if before is None:
                add(Level.BREAKING, f"pattern added ({after!r})")
            elif after is None:
                add(Level.MINOR, "pattern removed")
            else:
                add(
                    Level.BREAKING,
                    f"pattern changed from {before!r} to {after!r} "
                    "(it cannot be shown to be looser, so it counts as breaking)",
                )
        elif key in _UPPER_BOUNDS or key in _LOWER_BOUNDS:
            upper = key in _UPPER_BOUNDS
            if before is None:
                add(Level.BREAKING, f"{key} {after!r} added")
            elif after is None:
                add(Level.MINOR, f"{key} {before!r} removed")
            else:
                try:
                    tighter = after < before if upper else after > before
                except TypeError:
                    add(Level.BREAKING, f"{key} changed from {before!r} to {after!r}")
                    continue
                verb = "lowered" if after < before else "raised"
                level = Level.BREAKING if tighter else Level.MINOR
                add(level, f"{key} {verb} from {before!r} to {after!r}")
        else:
            add(
                Level.BREAKING,
                f"constraint {key!r} changed from {before!r} to {after!r} "
                "(not a constraint this check knows, so it counts as breaking)",
            )
    return changes


def _field_changes(
    old: dict[str, Any], new: dict[str, Any], table: str, kind: str
) -> list[SchemaChange]:
    at = f"column {old['name']!r} of {_where(table, kind)}"
    changes: list[SchemaChange] = []
    for key in sorted((old.keys() | new.keys()) - {"name"}):
        before, after = old.get(key), new.get(key)
        if key == "type":
            before, after = before or "any", after or "any"
        if key == "format":
            before, after = before or "default", after or "default"
        if before == after:
            continue
        if key == "constraints":
            changes += _constraint_changes(before or {}, after or {}, at)
        elif key == "type":
            level = Level.MINOR if (before, after) in _WIDENINGS else Level.BREAKING
            changes.append(SchemaChange(level, f"{at}: type changed from {before} to {after}"))
        elif key in ("trueValues", "falseValues"):
            removed = [v for v in before or [] if v not in (after or [])]
            added = [v for v in after or [] if v not in (before or [])]
            if removed:
                changes.append(SchemaChange(Level.BREAKING, f"{at}: {key} {removed} removed"))
            if added:
                changes.append(SchemaChange(Level.MINOR, f"{at}: {key} {added} added"))
        elif key in _PATCH_KEYS:
            changes.append(SchemaChange(Level.PATCH, f"{at}: {key} changed"))
        else:
            changes.append(
                SchemaChange(
                    Level.BREAKING,
                    f"{at}: {key} changed from {before!r} to {after!r} "
                    "(not a property this check knows, so it counts as breaking)",
                )
            )
    return changes


def _fields(schema: dict[str, Any], where: str) -> dict[str, dict[str, Any]]:
    try:
        return {str(f["name"]): f for f in schema["fields"]}
    except (KeyError, TypeError):
        raise SchemaCheckError(f"{where}: not a Table Schema (no list of named fields)") from None


def compare_schemas(
    table: str,
    kind: str,
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
) -> list[SchemaChange]:
    """Every difference between two Table Schemas of ``table`` (``kind`` raw or
    processed); ``None`` for a schema absent on that side."""
    where = _where(table, kind)
    if old is None and new is None:
        return []
    if old is None:
        return [SchemaChange(Level.MINOR, f"table {where} added")]
    if new is None:
        return [SchemaChange(Level.BREAKING, f"table {where} removed")]
    old_fields, new_fields = _fields(old, f"{where} at BASE"), _fields(new, where)
    changes = [
        SchemaChange(Level.BREAKING, f"column {name!r} removed from {where}")
        for name in old_fields
        if name not in new_fields
    ]
    changes += [
        SchemaChange(Level.MINOR, f"column {name!r} added to {where}")
        for name in new_fields
        if name not in old_fields
    ]
    for name, field in new_fields.items():
        if name in old_fields:
            changes += _field_changes(old_fields[name], field, table, kind)
    kept_old = [n for n in old_fields if n in new_fields]
    kept_new = [n for n in new_fields if n in old_fields]
    if kept_old != kept_new:
        changes.append(
            SchemaChange(
                Level.BREAKING,
                f"columns of {where} reordered: {', '.join(kept_old)} → {', '.join(kept_new)}",
            )
        )
    for key in sorted((old.keys() | new.keys()) - {"fields"}):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        if key in _PATCH_KEYS:
            changes.append(SchemaChange(Level.PATCH, f"{key} of {where} changed"))
        elif key == "foreignKeys":
            before, after = before or [], after or []
            if any(k not in before for k in after):
                changes.append(SchemaChange(Level.BREAKING, f"foreign key added to {where}"))
            if any(k not in after for k in before):
                changes.append(SchemaChange(Level.MINOR, f"foreign key removed from {where}"))
        else:
            changes.append(
                SchemaChange(
                    Level.BREAKING, f"{key} of {where} changed from {before!r} to {after!r}"
                )
            )
    return changes


# --- versions ------------------------------------------------------------------------


def parse_version(text: str) -> tuple[int, int, int]:
    """The release part of a version, ``"0.2.0rc1"`` → ``(0, 2, 0)``; missing parts are 0.

    Parsed by :mod:`packaging.version`, as pip and the build backend parse
    ``[project].version``. A version that is not PEP 440, has an epoch, or has more than
    three release parts is an error: SemVer has no place for it.
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


# --- the check -----------------------------------------------------------------------


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


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def check_schemas(
    base: str | None = None,
    *,
    schemas_dir: Path = paths.SCHEMAS_DIR,
    pyproject: Path = paths.PYPROJECT,
    cwd: Path | None = None,
) -> SchemaCheck:
    """Compare the Table Schemas and version in the working tree with those at ``base``.

    Parameters
    ----------
    base
        A git revision; ``None`` means the last release tag (``git describe --tags
        --abbrev=0``), and no tag is an error.
    schemas_dir, pyproject
        Paths relative to ``cwd``, both in the working tree and at ``base``.
    cwd
        The project root (default: the current directory), inside a git repository.
    """
    here = cwd or Path.cwd()
    base = base or gitfiles.last_tag(here)
    commit = gitfiles.resolve(base, here)
    files: list[Path] = []
    for kind in KINDS:
        folder = schemas_dir / kind
        names = {n for n in gitfiles.list_files(commit, folder, here) if n.endswith(".json")}
        names |= {p.name for p in (here / folder).glob("*.json")}
        files += [folder / name for name in sorted(names)]
    before = gitfiles.read_files(commit, [*files, pyproject], here)
    changes: list[SchemaChange] = []
    for path in files:
        old = _load_json(before[path.as_posix()], f"{base}:{path.as_posix()}")
        new = _load_json(_read(here / path), str(path))
        changes += compare_schemas(path.stem, path.parent.name, old, new)
    base_version = project_version(before[pyproject.as_posix()], f"{pyproject} at {base}")
    version = project_version(_read(here / pyproject), str(pyproject))
    parse_version(base_version)
    parse_version(version)
    return SchemaCheck(base, base_version, version, tuple(changes))


def render_check(result: SchemaCheck) -> str:
    """The report: each change with its level, then what the version needs."""
    head = (
        f"schema changes from {result.base} (version {result.base_version}) to "
        f"{gitfiles.WORKING_TREE} (version {result.version})"
    )
    if not result.changes:
        lines = [f"no schema changes since {result.base} (version {result.base_version})"]
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


# --- the changelog -------------------------------------------------------------------

_HEADING = re.compile(r"##\s+\[(?P<version>[^\]]+)\](?P<rest>.*)")
_DATED = re.compile(r"\s+-\s+(?P<date>\d{4}-\d{2}-\d{2})(?:\s+\[YANKED\])?\s*")
_LINK = re.compile(r"\[[^\]]+\]:\s")


def _entry_problems(text: str, version: str, name: str) -> list[str]:
    lines = text.splitlines()
    headings = [(i, _HEADING.fullmatch(line.rstrip())) for i, line in enumerate(lines)]
    entries = [(i, m) for i, m in headings if m]
    for index, (at, match) in enumerate(entries):
        if match["version"].strip().removeprefix("v") != version.removeprefix("v"):
            continue
        problems = []
        dated = _DATED.fullmatch(match["rest"])
        valid_date = False
        if dated:
            try:
                dt.date.fromisoformat(dated["date"])
                valid_date = True
            except ValueError:
                pass
        if not valid_date:
            problems.append(
                f"{name}:{at + 1}: the entry for {version} needs its release date: "
                f"`## [{version}] - YYYY-MM-DD`"
            )
        end = entries[index + 1][0] if index + 1 < len(entries) else len(lines)
        body = [
            line for line in lines[at + 1 : end] if line.strip() and not _LINK.match(line.strip())
        ]
        if not body:
            problems.append(f"{name}:{at + 1}: the entry for {version} is empty: say what changed")
        return problems
    unreleased = any(m["version"].strip().lower() == "unreleased" for _, m in entries)
    hint = " (rename `## [Unreleased]` to it)" if unreleased else ""
    return [f"{name} has no entry for {version}: add `## [{version}] - YYYY-MM-DD`{hint}"]


def changelog_check(root: Path, base: str | None = None) -> list[str]:
    """Problems with ``CHANGELOG.md`` in ``root`` for the version being released.

    When ``[project].version`` in ``root/pyproject.toml`` differs from the one at git
    revision ``base`` (default: the last release tag), ``root/CHANGELOG.md`` must exist
    and have a non-empty entry headed ``## [X.Y.Z] - YYYY-MM-DD`` (Keep a Changelog;
    `` [YANKED]`` may follow) for the new version. Returns one message per problem;
    an empty list means all is well (or the version did not change).
    """
    base = base or gitfiles.last_tag(root)
    commit = gitfiles.resolve(base, root)
    base_version = project_version(
        gitfiles.read_file(commit, paths.PYPROJECT, root), f"{paths.PYPROJECT} at {base}"
    )
    version = project_version(_read(root / paths.PYPROJECT), str(paths.PYPROJECT))
    if version == base_version:
        return []
    data = _read(root / CHANGELOG)
    if data is None:
        return [
            f"{CHANGELOG} is missing: the version changed from {base_version} ({base}) to "
            f"{version}, so add one (keepachangelog.com) with a `## [{version}] - "
            "YYYY-MM-DD` entry"
        ]
    return _entry_problems(data.decode("utf-8", "replace"), version, str(CHANGELOG))


def main_schema_check(
    base: str | None = None,
    *,
    changelog: bool = False,
    schemas_dir: Path = paths.SCHEMAS_DIR,
    pyproject: Path = paths.PYPROJECT,
) -> int:
    """``ukreport schema-check``: print the report; 0 compatible, 1 not bumped enough
    (or, with ``changelog``, a missing changelog entry). Usage errors are raised as
    :class:`~ukreport.errors.UkreportError` (exit status 2 on the command line)."""
    result = check_schemas(base, schemas_dir=schemas_dir, pyproject=pyproject)
    report = render_check(result)
    problems = list(result.problems)
    if changelog:
        notes = changelog_check(Path.cwd(), result.base)
        report += "".join(f"{note}\n" for note in notes)
        problems += notes
    sys.stdout.write(report)
    return 1 if problems else 0
