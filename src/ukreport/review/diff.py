"""What changed in the datasets between two sides, for reviewers.

``ukreport diff BASE [HEAD]`` reads ``data/raw/<table>.csv`` on each side — at a git
revision, in the working tree (HEAD's default), or in a folder given by path; see
:mod:`ukreport.review.revisions` and :mod:`ukreport.review.tables` — and finds, per
table:

- rows added, removed and changed, matched by the table's id column
  (:data:`ukreport.schemas.ID_COLUMNS`), with every changed cell as
  ``column: before → after``;
- columns added, removed or retyped (the header, and the type each side's Table
  Schema in ``schemas/raw/<table>.json`` gives, where both sides have one).

The diff shows what a reviewer sees in the file, not what a parser makes of it: every
cell is text. It is deterministic: rows sorted by id, cells in header order (the
head's header, then columns only the base has). :mod:`ukreport.review.diff_format`
writes it as text, Markdown or JSON.

A table missing on one side counts as all rows added (or removed), and says so: a pull
request that adds or deletes a whole table is the one that most needs its diff read,
and failing on it would leave the reviewer with nothing to read. A side holding none of
the tables is a usage mistake (a wrong folder, or a revision from before the data
existed) and an error, exit status 2.

Exit status, as ``git diff --exit-code``: 0 nothing changed, 1 something changed (0
with ``exit_zero``), 2 an unknown revision, a side without tables, or a table that
cannot be read.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from ukreport import schemas
from ukreport.review.revisions import Side, make_side
from ukreport.review.tables import DiffError, Snapshot, read_snapshots

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Change(Generic[T]):
    """A column's value, or its type, on each side."""

    column: str
    before: T
    after: T


CellChange = Change[str | None]
"""One cell that differs; ``None`` means the column does not exist on that side."""
Retyped = Change[str]
"""A column whose Table Schema type differs."""


@dataclass(frozen=True)
class ChangedRow:
    """A row on both sides, with the cells that differ in header order."""

    row_id: str
    cells: tuple[CellChange, ...]


@dataclass(frozen=True)
class Row:
    """A whole row added or removed: its id and its cells in header order."""

    row_id: str
    cells: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class TableDiff:
    """Everything that changed in one table."""

    table: str
    id_column: str
    base_missing: bool = False
    head_missing: bool = False
    columns_added: tuple[str, ...] = ()
    columns_removed: tuple[str, ...] = ()
    columns_retyped: tuple[Retyped, ...] = ()
    added: tuple[Row, ...] = ()
    removed: tuple[Row, ...] = ()
    changed: tuple[ChangedRow, ...] = ()

    @property
    def file(self) -> str:
        """``events.csv``: how reports name the table."""
        return f"{self.table}.csv"

    @property
    def has_changes(self) -> bool:
        """Anything at all to show: a missing side, a column or a row."""
        return bool(
            self.base_missing
            or self.head_missing
            or self.columns_added
            or self.columns_removed
            or self.columns_retyped
            or self.added
            or self.removed
            or self.changed
        )

    @property
    def status(self) -> str:
        """``added``, ``removed`` (the whole table), ``changed`` or ``unchanged``."""
        if self.base_missing:
            return "added"
        if self.head_missing:
            return "removed"
        return "changed" if self.has_changes else "unchanged"

    def summary(self) -> str:
        """``2 added, 1 removed, 3 changed``: the rows, as the Markdown summary line."""
        return f"{len(self.added)} added, {len(self.removed)} removed, {len(self.changed)} changed"


def _row(row_id: str, header: list[str], values: dict[str, str]) -> Row:
    return Row(row_id, tuple((column, values[column]) for column in header))


def compare(table: str, base: Snapshot | None, head: Snapshot | None) -> TableDiff:
    """Compare two snapshots of ``table`` (either may be absent, not both)."""
    id_column = schemas.ID_COLUMNS[table]
    if base is None or head is None:
        present = head if base is None else base
        assert present is not None, "a table must exist on one side at least"
        rows = tuple(_row(i, present.header, present.rows[i]) for i in sorted(present.rows))
        if base is None:
            return TableDiff(table, id_column, base_missing=True, added=rows)
        return TableDiff(table, id_column, head_missing=True, removed=rows)
    added_columns = tuple(c for c in head.header if c not in base.header)
    removed_columns = tuple(c for c in base.header if c not in head.header)
    retyped = tuple(
        Retyped(c, base.types[c], head.types[c])
        for c in head.header
        if c in base.types and c in head.types and base.types[c] != head.types[c]
    )
    order = [*head.header, *removed_columns]
    changed = []
    for row_id in sorted(base.rows.keys() & head.rows.keys()):
        before, after = base.rows[row_id], head.rows[row_id]
        cells = tuple(
            CellChange(c, before.get(c), after.get(c))
            for c in order
            # A column that is absent equals a blank one: adding an empty column
            # changes no row, adding one with values shows each value.
            if (before.get(c) or "") != (after.get(c) or "")
        )
        if cells:
            changed.append(ChangedRow(row_id, cells))
    return TableDiff(
        table,
        id_column,
        columns_added=added_columns,
        columns_removed=removed_columns,
        columns_retyped=retyped,
        added=tuple(
            _row(i, head.header, head.rows[i]) for i in sorted(head.rows.keys() - base.rows.keys())
        ),
        removed=tuple(
            _row(i, base.header, base.rows[i]) for i in sorted(base.rows.keys() - head.rows.keys())
        ),
        changed=tuple(changed),
    )


@dataclass(frozen=True)
class DatasetDiff:
    """The comparison of every table between two sides."""

    base: Side
    head: Side
    tables: tuple[TableDiff, ...]

    @property
    def has_changes(self) -> bool:
        """Whether any table changed: what the exit status says."""
        return any(t.has_changes for t in self.tables)

    def exit_code(self, *, exit_zero: bool = False) -> int:
        """0 when nothing changed (or ``exit_zero``), 1 when something did."""
        return 1 if self.has_changes and not exit_zero else 0


def _missing_everywhere(side: Side, tables: Iterable[str]) -> DiffError:
    files = [f"{t}.csv" for t in tables]
    listed = ", ".join(files[:-1]) + f" and {files[-1]}" if len(files) > 1 else files[0]
    where = side.where(side.data_dir)
    return DiffError(
        f"{listed} {'are all' if len(files) > 1 else 'is'} missing at {side.name} "
        f"(looked in {where}): is that the right "
        f"{'folder' if side.commit is None else 'revision'}?"
    )


def diff_sides(base: Side, head: Side, tables: Iterable[str] = schemas.TABLES) -> DatasetDiff:
    """Compare ``tables`` between two sides."""
    tables = list(tables)
    found = {side.role: read_snapshots(side, tables) for side in (base, head)}
    for side in (base, head):
        if all(s is None for s in found[side.role].values()):
            raise _missing_everywhere(side, tables)
    diffs = []
    for table in tables:
        before, after = found[base.role][table], found[head.role][table]
        if before is None and after is None:
            log.info("%s.csv is missing at both sides; skipped", table)
            continue
        diffs.append(compare(table, before, after))
    return DatasetDiff(base, head, tuple(diffs))


def diff_datasets(base: str, head: str | None = None, *, cwd: Path | None = None) -> DatasetDiff:
    """Compare the raw tables at ``base`` with those at ``head``.

    ``base`` and ``head`` are each a git revision of the repository containing ``cwd``
    (default: the current directory), or a folder holding the tables; ``head`` ``None``
    means the working tree. In a checkout the tables are in :data:`ukreport.paths.RAW_DIR`
    and their schemas in :data:`ukreport.paths.SCHEMAS_DIR`, relative to ``cwd``.
    """
    return diff_sides(make_side(base, "BASE", cwd=cwd), make_side(head, "HEAD", cwd=cwd))
