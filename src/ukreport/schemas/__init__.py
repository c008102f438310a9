"""The pandera models: the single source of truth for every column, type and rule.

Raw models (:mod:`.raw`) describe ``data/raw/*.csv`` exactly as curated (every cell
text, dates as their source states them); processed models (:mod:`.processed`) describe
``data/processed/`` (typed dates with a precision, booleans, lists); :mod:`.vocabulary`
holds the codes and patterns both use. ``tableschema.py`` exports the models as Table
Schemas, ``validate.py`` and ``process.py`` apply them, and the report's codebook is
drawn from the descriptions. This module is the registry: which model is which table.
"""

from __future__ import annotations

import pandera.pandas as pa

from ukreport.schemas.processed import Claims as Claims
from ukreport.schemas.processed import Cooperation as Cooperation
from ukreport.schemas.processed import Events as Events
from ukreport.schemas.processed import Initiatives as Initiatives
from ukreport.schemas.raw import DATED_COLUMNS as DATED_COLUMNS
from ukreport.schemas.raw import ROW_RULES as ROW_RULES
from ukreport.schemas.raw import VERIFIED_COLUMNS as VERIFIED_COLUMNS
from ukreport.schemas.raw import RawClaims as RawClaims
from ukreport.schemas.raw import RawCooperation as RawCooperation
from ukreport.schemas.raw import RawEvents as RawEvents
from ukreport.schemas.raw import RawInitiatives as RawInitiatives
from ukreport.schemas.vocabulary import *  # noqa: F403

RAW_MODELS: dict[str, type[pa.DataFrameModel]] = {
    "events": RawEvents,
    "initiatives": RawInitiatives,
    "cooperation": RawCooperation,
    "claims": RawClaims,
}
PROCESSED_MODELS: dict[str, type[pa.DataFrameModel]] = {
    "events": Events,
    "initiatives": Initiatives,
    "cooperation": Cooperation,
    "claims": Claims,
}
TABLES = tuple(RAW_MODELS)
SOURCED_TABLES = ("events", "initiatives", "cooperation")
"""The tables of the record: each row cites the page it was read from."""
ID_COLUMNS = {
    "events": "event_id",
    "initiatives": "initiative_id",
    "cooperation": "cooperation_id",
    "claims": "claim_id",
}
LIST_COLUMNS: dict[str, tuple[str, ...]] = {
    "events": ("participants", "actors", "source_author"),
    "initiatives": ("actors", "source_author"),
    "cooperation": ("source_author",),
    "claims": ("evidence",),
}
FOREIGN_KEYS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "events": [("initiative_id", ("initiatives",))],
    "claims": [("essay_row", SOURCED_TABLES), ("evidence", SOURCED_TABLES)],
}
"""(column, tables): each non-blank value (each item, for a list column) must be the id
of a row in one of the tables."""


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
    model = RAW_MODELS[table]
    return model.to_schema().select_columns(column_order(model))


def processed_schema(table: str) -> pa.DataFrameSchema:
    """The processed model of ``table`` as a schema with its columns in file order."""
    model = PROCESSED_MODELS[table]
    return model.to_schema().select_columns(column_order(model))


def raw_columns(table: str) -> list[str]:
    """Column names of a raw table, in file order."""
    return column_order(RAW_MODELS[table])
