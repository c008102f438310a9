"""One description per table: its models, its keys and the columns its rules single out.

Everything the package knows about a table beyond its columns is here, in one entry:
validation (ids, lists, references to other tables, the row rules' columns),
publishing (primary and foreign keys, lists), the review (ids) and the report (which
tables cite sources) read it from :data:`SPECS`. Adding a table is one entry below and
its two models (:mod:`.raw`, :mod:`.processed`), plus its name in
:data:`ukreport.paths.TABLES`, which the build reads without importing the models.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandera.pandas as pa

from ukreport.paths import TABLES
from ukreport.schemas.processed import Claims, Cooperation, Events, Initiatives
from ukreport.schemas.raw import (
    RawClaims,
    RawCooperation,
    RawEvents,
    RawInitiatives,
    bind_row_columns,
)

__all__ = ["SPECS", "TableSpec"]


@dataclass(frozen=True)
class TableSpec:
    """A table: its name (``data/raw/<name>.csv``), its models, and its keys."""

    name: str
    raw: type[pa.DataFrameModel]
    """The model of the raw file, exactly as curated."""
    processed: type[pa.DataFrameModel]
    """The model of the published table."""
    id_column: str
    """The primary key: every row's own id."""
    list_columns: tuple[str, ...] = ()
    """Columns holding ``; ``-separated lists (lists of text once published)."""
    foreign_keys: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """(column, tables): each non-blank value (each item, for a list column) must be the
    id of a row in one of the tables."""
    dated_column: str | None = None
    """The column holding a row's date or period, which cannot be after the day its
    source was read."""
    verified_column: str | None = None
    """The column holding the value the record supports, for a disputed row."""
    sourced: bool = True
    """Whether each row cites the page it was read from: a table of the record."""

    @property
    def references(self) -> tuple[str, ...]:
        """Every table this one's foreign keys name, in order."""
        return tuple(dict.fromkeys(other for _, others in self.foreign_keys for other in others))


_RECORD = (
    TableSpec(
        "events",
        RawEvents,
        Events,
        id_column="event_id",
        list_columns=("participants", "actors", "source_author"),
        foreign_keys=(("initiative_id", ("initiatives",)),),
        dated_column="date",
        verified_column="verified_date",
    ),
    TableSpec(
        "initiatives",
        RawInitiatives,
        Initiatives,
        id_column="initiative_id",
        list_columns=("actors", "source_author"),
        dated_column="period",
        verified_column="verified_period",
    ),
    TableSpec(
        "cooperation",
        RawCooperation,
        Cooperation,
        id_column="cooperation_id",
        list_columns=("source_author",),
        dated_column="date",
    ),
)
"""The tables of the record: each row cites the page it was read from."""
_RECORD_NAMES = tuple(spec.name for spec in _RECORD)

SPECS: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        *_RECORD,
        TableSpec(
            "claims",
            RawClaims,
            Claims,
            id_column="claim_id",
            list_columns=("evidence",),
            foreign_keys=(("essay_row", _RECORD_NAMES), ("evidence", _RECORD_NAMES)),
            sourced=False,
        ),
    )
}
"""Every table, in the order of :data:`ukreport.paths.TABLES`."""

if tuple(SPECS) != TABLES:  # pragma: no cover - a table added in one place only
    raise ImportError(
        f"ukreport.schemas.tables describes {', '.join(SPECS)} but ukreport.paths.TABLES "
        f"names {', '.join(TABLES)}; name each table in both, in one order"
    )

for _spec in SPECS.values():
    bind_row_columns(_spec.raw, dated=_spec.dated_column, verified=_spec.verified_column)
