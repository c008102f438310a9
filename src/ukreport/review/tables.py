"""The tables as each side of ``ukreport diff`` has them, keyed by id.

A table is read by :mod:`ukreport.validation.reading`, the reader ``ukreport validate``
uses, and as strictly: whatever makes a file unreadable there (bytes that are not
UTF-8, a NUL byte, a CR on its own, a blank line, a ragged row, an open quote, a file
that is not a regular file) makes the side unreadable here, reported as
``file:line:column``; what it accepts (a spreadsheet's byte-order mark and CR LF
endings) is accepted here too, so re-saving a table changes nothing in the diff, as it
changes nothing in validation.
Every cell is kept as text, exactly as curated.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ukreport import schemas
from ukreport.errors import UkreportError
from ukreport.review.revisions import Side

log = logging.getLogger(__name__)


class DiffError(UkreportError, ValueError):
    """The sides cannot be compared: a table is unreadable, or a side has no tables."""


@dataclass(frozen=True)
class Snapshot:
    """A table as one side has it: its header, its cells, its columns' types.

    The cells stay in the reader's Arrow-backed columns (one string array a column,
    blanks as ``""``) rather than a dictionary a row: a million rows then cost their
    bytes, not a million dictionaries, and are compared a column at a time.
    """

    header: list[str]
    frame: pd.DataFrame
    """The cells as text, one column a header position (``frame.iloc[:, i]``)."""
    id_column: str
    types: dict[str, str] = field(default_factory=dict)
    """Column types from the side's Table Schema; empty when it has none."""

    def column(self, name: str) -> pd.Series | None:
        """The column ``name`` (the last of that name), or ``None`` when absent."""
        if name not in self.header:
            return None
        position = len(self.header) - 1 - self.header[::-1].index(name)
        column: pd.Series = self.frame.iloc[:, position]
        return column

    @property
    def ids(self) -> pd.Series:
        """The id column, in file order."""
        ids = self.column(self.id_column)
        assert ids is not None, "parse_table checks the id column"
        return ids

    def __len__(self) -> int:
        return len(self.frame)

    def row(self, position: int) -> dict[str, str]:
        """The row at ``position`` (file order) as ``{column: cell}``."""
        return dict(zip(self.header, self.frame.iloc[position].tolist(), strict=True))

    @property
    def rows(self) -> dict[str, dict[str, str]]:
        """Every row by id: for small tables (and tests); the diff never builds it."""
        return {row_id: self.row(i) for i, row_id in enumerate(self.ids.tolist())}


def parse_table(data: bytes, where: str, id_column: str) -> Snapshot:
    """Read CSV bytes into a :class:`Snapshot`, keyed by ``id_column``.

    Raises :class:`DiffError` naming ``where`` when the bytes are not a table whose
    rows can be matched: the first problem the reader finds (as ``file:line:column``),
    no id column, or an id used twice.
    """
    from ukreport.display import show
    from ukreport.validation.reading import read_bytes

    table = read_bytes(data, where)
    if table.problems:
        raise DiffError(table.problems[0].at(where))
    header = table.header
    if id_column not in header:
        raise DiffError(
            f"{where}: the header has no {id_column!r} column, so rows cannot be matched"
        )
    frame = table.frame.copy(deep=False)
    frame.columns = pd.RangeIndex(len(header))
    if frame.isna().to_numpy().any():
        frame = frame.fillna("")
    snapshot = Snapshot(header, frame, id_column)
    ids = snapshot.ids
    if pc.count_distinct(pa.array(ids.array)).as_py() == len(ids):
        return snapshot
    repeated = np.flatnonzero(ids.duplicated(keep="first").to_numpy(dtype=bool))
    if len(repeated):
        again = int(repeated[0])
        row_id = ids.iloc[again]
        first = int(np.flatnonzero((ids.iloc[:again] == row_id).to_numpy(dtype=bool))[0])
        raise DiffError(
            f"{where}:{table.line_of(again)}: {id_column} {show(row_id)} is already used on "
            f"line {table.line_of(first)}; ids must be unique to match rows"
        )
    return snapshot


def _types(data: bytes | None, where: str) -> dict[str, str]:
    """Field types from a Table Schema; empty (with a debug note) when unusable."""
    if data is None:
        return {}
    try:
        document = json.loads(data)
        return {str(f["name"]): str(f.get("type", "any")) for f in document["fields"]}
    except (ValueError, KeyError, TypeError) as error:
        log.debug("%s: not a usable Table Schema (%s); types not compared", where, error)
        return {}


def read_snapshot(side: Side, table: str) -> Snapshot | None:
    """``table`` as ``side`` has it, or ``None`` when the file is absent there."""
    path = side.data_dir / f"{table}.csv"
    data = side.read(path)
    if data is None:
        return None
    snapshot = parse_table(data, side.where(path), schemas.SPECS[table].id_column)
    if side.schemas_dir is not None:
        schema_path = side.schemas_dir / "raw" / f"{table}.json"
        snapshot.types.update(_types(side.read(schema_path), side.where(schema_path)))
    return snapshot


def read_snapshots(side: Side, tables: list[str]) -> dict[str, Snapshot | None]:
    """Each of ``tables`` as ``side`` has it (``None`` where absent); at a revision, the
    tables and their schemas are read in one git call."""
    wanted = [side.data_dir / f"{t}.csv" for t in tables]
    if side.schemas_dir is not None:
        wanted += [side.schemas_dir / "raw" / f"{t}.json" for t in tables]
    side.prefetch(wanted)
    return {table: read_snapshot(side, table) for table in tables}
