"""What changed in the datasets between two sides, for reviewers.

``ukreport diff BASE [HEAD]`` reads ``data/raw/<table>.csv`` on each side — at a git
revision, in the working tree (HEAD's default), or in a folder given by path; see
:mod:`ukreport.review.revisions` and :mod:`ukreport.review.tables` — and finds, per
table:

- rows added, removed and changed, matched by the table's id column
  (``id_column`` in :data:`ukreport.schemas.SPECS`), with every changed cell as
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
from typing import Any, Generic, TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

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
    counts: tuple[int, int, int] | None = None
    """How many rows were added, removed and changed: the tuples above hold only the
    first ``limit`` of each (by id) when the comparison was limited; ``None``, all."""

    @property
    def added_count(self) -> int:
        return self.counts[0] if self.counts else len(self.added)

    @property
    def removed_count(self) -> int:
        return self.counts[1] if self.counts else len(self.removed)

    @property
    def changed_count(self) -> int:
        return self.counts[2] if self.counts else len(self.changed)

    @property
    def hidden(self) -> int:
        """Rows counted but not held (beyond the limit)."""
        return (
            self.added_count
            + self.removed_count
            + self.changed_count
            - len(self.added)
            - len(self.removed)
            - len(self.changed)
        )

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
            or self.added_count
            or self.removed_count
            or self.changed_count
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
        return (
            f"{self.added_count:,} added, {self.removed_count:,} removed, "
            f"{self.changed_count:,} changed"
        )


def _row(snapshot: Snapshot, position: int, header: list[str]) -> Row:
    values = snapshot.row(position)
    return Row(values[snapshot.id_column], tuple((column, values[column]) for column in header))


def _arrow(column: pd.Series) -> pa.Array:
    """A text column as one Arrow array (no copy when it is Arrow-backed already)."""
    array = pa.array(column.array, type=pa.large_string())
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def _first_by_id(ids: pd.Series, positions: np.ndarray[Any, Any], limit: int | None) -> list[int]:
    """Of the rows at ``positions``, the first ``limit`` (all for ``None``) by id."""
    if not len(positions):
        return []
    order = pc.sort_indices(_arrow(ids).take(pa.array(positions))).to_numpy()
    chosen = positions[order if limit is None else order[:limit]]
    return [int(p) for p in chosen]


def _blank(length: int) -> pd.Series:
    return pd.Series([""] * length, dtype=object)


def compare(
    table: str, base: Snapshot | None, head: Snapshot | None, *, limit: int | None = None
) -> TableDiff:
    """Compare two snapshots of ``table`` (either may be absent, not both).

    Every row is counted, a column at a time over the whole table, but only the
    first ``limit`` rows of each kind (by id) are held with their cells, so the
    result's size does not grow with the table: ``None`` holds them all.
    """
    id_column = schemas.SPECS[table].id_column
    if base is None or head is None:
        present = head if base is None else base
        assert present is not None, "a table must exist on one side at least"
        everything = np.arange(len(present))
        shown = _first_by_id(present.ids, everything, limit)
        rows = tuple(_row(present, p, present.header) for p in shown)
        if base is None:
            counts = (len(present), 0, 0)
            return TableDiff(table, id_column, base_missing=True, added=rows, counts=counts)
        counts = (0, len(present), 0)
        return TableDiff(table, id_column, head_missing=True, removed=rows, counts=counts)
    added_columns = tuple(c for c in head.header if c not in base.header)
    removed_columns = tuple(c for c in base.header if c not in head.header)
    retyped = tuple(
        Retyped(c, base.types[c], head.types[c])
        for c in head.header
        if c in base.types and c in head.types and base.types[c] != head.types[c]
    )
    order = [*head.header, *removed_columns]
    base_ids, head_ids = _arrow(base.ids), _arrow(head.ids)
    # Arrow's hash joins: linear in the rows, and no Python object a row.
    where_in_base = pc.index_in(head_ids, value_set=base_ids)
    in_base = where_in_base.is_valid().to_numpy(zero_copy_only=False)
    in_head = pc.is_in(base_ids, value_set=head_ids).to_numpy(zero_copy_only=False)
    added = np.flatnonzero(~in_base)
    removed = np.flatnonzero(~in_head)
    common = np.flatnonzero(in_base)
    matched = where_in_base.drop_null().to_numpy().astype(np.int64)
    differs = np.zeros(len(common), dtype=bool)
    for column in order:
        # A column that is absent equals a blank one: adding an empty column changes
        # no row, adding one with values shows each value.
        before, after = base.column(column), head.column(column)
        b = _blank(len(common)) if before is None else before.iloc[matched].reset_index(drop=True)
        a = _blank(len(common)) if after is None else after.iloc[common].reset_index(drop=True)
        differs |= (b != a).to_numpy(dtype=bool)
    changed_rows = []
    for position in _first_by_id(head.ids, common[differs], limit):
        after_row = head.row(position)
        before_row = base.row(int(matched[np.searchsorted(common, position)]))
        cells = tuple(
            CellChange(c, before_row.get(c), after_row.get(c))
            for c in order
            if (before_row.get(c) or "") != (after_row.get(c) or "")
        )
        changed_rows.append(ChangedRow(after_row[id_column], cells))
    return TableDiff(
        table,
        id_column,
        columns_added=added_columns,
        columns_removed=removed_columns,
        columns_retyped=retyped,
        added=tuple(_row(head, p, head.header) for p in _first_by_id(head.ids, added, limit)),
        removed=tuple(_row(base, p, base.header) for p in _first_by_id(base.ids, removed, limit)),
        changed=tuple(changed_rows),
        counts=(len(added), len(removed), int(differs.sum())),
    )


@dataclass(frozen=True)
class DatasetDiff:
    """The comparison of every table between two sides."""

    base: Side
    head: Side
    tables: tuple[TableDiff, ...]
    limit: int | None = None
    """At most this many rows of each kind a table are held and shown; ``None``, all."""

    @property
    def hidden(self) -> int:
        """Rows changed but not held, in every table: what ``--max-rows`` left out."""
        return sum(t.hidden for t in self.tables)

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


def diff_sides(
    base: Side, head: Side, tables: Iterable[str] = schemas.TABLES, *, limit: int | None = None
) -> DatasetDiff:
    """Compare ``tables`` between two sides, holding at most ``limit`` rows of each kind
    a table (see :func:`compare`)."""
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
        diffs.append(compare(table, before, after, limit=limit))
    return DatasetDiff(base, head, tuple(diffs), limit)


def diff_datasets(
    base: str, head: str | None = None, *, cwd: Path | None = None, limit: int | None = None
) -> DatasetDiff:
    """Compare the raw tables at ``base`` with those at ``head``.

    ``base`` and ``head`` are each a git revision of the repository containing ``cwd``
    (default: the current directory), or a folder holding the tables; ``head`` ``None``
    means the working tree. In a checkout the tables are in :data:`ukreport.paths.RAW_DIR`
    and their schemas in :data:`ukreport.paths.SCHEMAS_DIR`, relative to ``cwd``.
    """
    return diff_sides(
        make_side(base, "BASE", cwd=cwd), make_side(head, "HEAD", cwd=cwd), limit=limit
    )
