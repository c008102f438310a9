"""Every difference between two Table Schemas, and how much each one breaks.

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
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from ukreport.errors import UkreportError

_PATCH_KEYS = frozenset({"description", "title", "example"})
_UPPER_BOUNDS = ("maxLength", "maximum", "exclusiveMaximum", "maxItems")
_LOWER_BOUNDS = ("minLength", "minimum", "exclusiveMinimum", "minItems")
_WIDENINGS = frozenset({("integer", "number")})
_FLAGS = {
    "required": ("made required", "made optional"),
    "unique": ("values must now be unique", "values need no longer be unique"),
}
"""Constraints that are on or off: what turning each on, and off, means."""
_RESTRICTIONS = frozenset({"enum", "pattern", *_UPPER_BOUNDS, *_LOWER_BOUNDS})
"""Constraints whose presence narrows the valid values."""


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


def _where(table: str, kind: str) -> str:
    return f"{table} ({kind})"


def _quoted(values: list[Any]) -> str:
    return ", ".join(repr(v) for v in values)


def _split(before: list[Any], after: list[Any]) -> tuple[list[Any], list[Any]]:
    """The values only ``before`` has, and those only ``after`` has, in their order."""
    return [v for v in before if v not in after], [v for v in after if v not in before]


def _added(key: str, value: Any) -> str:
    if key == "enum":
        return f"enumeration added ({_quoted(value)})"
    if key == "pattern":
        return f"pattern added ({value!r})"
    return f"{key} {value!r} added"


def _removed(key: str, value: Any) -> str:
    if key == "enum":
        return "enumeration removed (any value allowed)"
    if key == "pattern":
        return "pattern removed"
    return f"{key} {value!r} removed"


def _constraint_changes(old: dict[str, Any], new: dict[str, Any], at: str) -> list[SchemaChange]:
    changes: list[SchemaChange] = []

    def add(level: Level, text: str) -> None:
        changes.append(SchemaChange(level, f"{at}: {text}"))

    for key in sorted(old.keys() | new.keys()):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        if key in _FLAGS:
            on, off = _FLAGS[key]
            if after:
                add(Level.BREAKING, on)
            else:
                add(Level.MINOR, off)
        elif key not in _RESTRICTIONS:
            add(
                Level.BREAKING,
                f"constraint {key!r} changed from {before!r} to {after!r} "
                "(not a constraint this check knows, so it counts as breaking)",
            )
        # A restriction added narrows what is valid; one removed widens it.
        elif before is None:
            add(Level.BREAKING, _added(key, after))
        elif after is None:
            add(Level.MINOR, _removed(key, before))
        elif key == "enum":
            removed, added = _split(before, after)
            if removed:
                add(Level.BREAKING, f"enumeration value(s) {_quoted(removed)} removed")
            if added:
                add(Level.MINOR, f"enumeration value(s) {_quoted(added)} added")
            if not removed and not added:
                add(Level.PATCH, "enumeration values reordered")
        elif key == "pattern":
            add(
                Level.BREAKING,
                f"pattern changed from {before!r} to {after!r} "
                "(it cannot be shown to be looser, so it counts as breaking)",
            )
        else:
            try:
                tighter = after < before if key in _UPPER_BOUNDS else after > before
            except TypeError:
                add(Level.BREAKING, f"{key} changed from {before!r} to {after!r}")
                continue
            verb = "lowered" if after < before else "raised"
            add(
                Level.BREAKING if tighter else Level.MINOR,
                f"{key} {verb} from {before!r} to {after!r}",
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
            removed, added = _split(before or [], after or [])
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
