"""The schemas: every column, type and rule of every table, and which table is which.

- :mod:`.tables`: one spec a table (``SPECS``) — its models, id column, list columns,
  foreign keys, dated and verified columns, and whether its rows cite sources;
- :mod:`.raw`: the raw models, ``data/raw/*.csv`` exactly as curated (every cell text,
  dates as their source states them), with the row rules (``ROW_RULES``);
- :mod:`.processed`: the processed models, ``data/processed/`` (typed dates with a
  precision, booleans, lists);
- :mod:`.fields`: the column constructors both use;
- :mod:`.vocabulary`: the codes, enumerations, patterns and date bounds;
- :mod:`.rules`: the text rules every cell is held to, as patterns, and their words;
- :mod:`.checks`: the custom pandera checks that run them, registered on import.

``ukreport.tableschema`` exports the models as Table Schemas, ``ukreport.validation``
and ``ukreport.process`` apply them, and the report's codebook is drawn from the
descriptions. This module gathers the models and the specs, and gives each table's
columns in file order.
"""

from __future__ import annotations

import pandera.pandas as pa

from ukreport.paths import TABLES as TABLES
from ukreport.schemas.processed import Claims as Claims
from ukreport.schemas.processed import Cooperation as Cooperation
from ukreport.schemas.processed import Events as Events
from ukreport.schemas.processed import Initiatives as Initiatives
from ukreport.schemas.raw import ROW_RULES as ROW_RULES
from ukreport.schemas.raw import RawClaims as RawClaims
from ukreport.schemas.raw import RawCooperation as RawCooperation
from ukreport.schemas.raw import RawEvents as RawEvents
from ukreport.schemas.raw import RawInitiatives as RawInitiatives
from ukreport.schemas.tables import SPECS as SPECS
from ukreport.schemas.tables import TableSpec as TableSpec
from ukreport.schemas.vocabulary import *  # noqa: F403

SOURCED_TABLES = tuple(name for name, spec in SPECS.items() if spec.sourced)
"""The tables of the record: each row cites the page it was read from."""


def column_order(model: type[pa.DataFrameModel]) -> list[str]:
    """Columns in file order: the table's own first (date bounds right after the stated
    date), then the shared source columns, then the verified values and their source."""
    columns = list(model.to_schema().columns)
    own = [c for c in model.__annotations__ if c in columns]
    dated = [c for c in ("date_start", "date_end", "date_precision") if c in columns]
    verified = [c for c in own if c.startswith("verified_")]
    if "verified_source_url" in columns and "verified_source_url" not in verified:
        verified.append("verified_source_url")
    order: list[str] = []
    for column in own:
        if column not in verified:
            order.append(column)
        if column in ("date", "period"):
            order.extend(dated)
    shared = [c for c in columns if c not in order and c not in verified and c not in dated]
    order += shared + [c for c in verified if c != "verified_source_url"]
    order += [c for c in verified if c == "verified_source_url"]
    return order


def raw_schema(table: str) -> pa.DataFrameSchema:
    """The raw model of ``table`` as a schema with its columns in file order."""
    model = SPECS[table].raw
    return model.to_schema().select_columns(column_order(model))


def processed_schema(table: str) -> pa.DataFrameSchema:
    """The processed model of ``table`` as a schema with its columns in file order."""
    model = SPECS[table].processed
    return model.to_schema().select_columns(column_order(model))


def raw_columns(table: str) -> list[str]:
    """Column names of a raw table, in file order."""
    return column_order(SPECS[table].raw)
