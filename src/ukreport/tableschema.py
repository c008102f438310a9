"""Export the pandera models as Frictionless Table Schemas.

The models stay the single source of truth: each field's type, description and
constraints (required, unique, enum, pattern, maxLength) are read off the model's
checks, so ``schemas/*.json`` and the ``datapackage.json`` schemas cannot say
something the validator does not check. A processed list column is a Frictionless v2
``list`` field with its ``delimiter``, so a reader splits it without reading prose.
``make schemas`` writes them; a test fails when the committed files drift from the
models.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandera.pandas as pa

from ukreport import _io, schemas
from ukreport._io import write_atomically
from ukreport.schemas.rules import CLEAN_LIST_PATTERN, CLEAN_TEXT_PATTERN, LIST_SEPARATOR


def _list_pattern(values: list[str]) -> str:
    item = "(?:" + "|".join(values) + ")"
    return f"(?:{item}(?:{LIST_SEPARATOR}{item})*)?"


def _field(
    name: str, column: pa.Column, *, raw: bool, optional_lists: frozenset[str] = frozenset()
) -> dict[str, Any]:
    checks = {check.name: dict(check.statistics) for check in column.checks}
    field: dict[str, Any] = {"name": name, "type": "string"}
    if column.description:
        field["description"] = column.description
    constraints: dict[str, Any] = {}
    if raw:
        required = bool((column.metadata or {}).get("required"))
        allowed = checks.get("isin", {}).get("allowed_values")
        pattern = checks.get("matches", {}).get("pattern")
        if allowed == schemas.BOOLEAN:
            field.update(type="boolean", trueValues=["true"], falseValues=["false"])
        elif pattern == schemas.ISO_DAY_PATTERN:
            field.update(type="date", format="default")
        elif allowed:
            constraints["enum"] = list(allowed)
        elif pattern:
            constraints["pattern"] = pattern
        elif "list_isin" in checks:
            constraints["pattern"] = _list_pattern(checks["list_isin"]["allowed_values"])
        elif "clean_items" in checks:
            constraints["pattern"] = CLEAN_LIST_PATTERN
        elif "clean_text" in checks:
            constraints["pattern"] = CLEAN_TEXT_PATTERN
        if "clean_text" in checks and field["type"] == "string":
            constraints["maxLength"] = checks["clean_text"]["max_length"]
        dated = checks.get("stated_date") or checks.get("stated_period")
        if dated and field["type"] == "date":
            constraints.update(minimum=dated["min_date"], maximum=dated["max_date"])
        elif dated:
            # A stated date is text to Frictionless, which compares only typed values.
            field["description"] = (
                f"{field.get('description', '')} Between {dated['min_date']} and "
                f"{dated['max_date']}."
            ).strip()
    else:
        # A list may be empty, and an empty list is a blank cell in CSV.
        required = not column.nullable and name not in optional_lists
        dtype = str(column.dtype)
        if dtype.startswith("datetime64"):
            field.update(type="date", format="default")
        elif dtype == "bool":
            field.update(type="boolean", trueValues=["true"], falseValues=["false"])
        if "isin" in checks:
            constraints["enum"] = list(checks["isin"]["allowed_values"])
        if "in_range" in checks:
            bounds = checks["in_range"]
            constraints["minimum"] = bounds["min_value"].date().isoformat()
            constraints["maximum"] = bounds["max_value"].date().isoformat()
    if required:
        constraints["required"] = True
    if column.unique:
        constraints["unique"] = True
    if constraints:
        field["constraints"] = dict(sorted(constraints.items()))
    return field


def table_schema(table: str, *, raw: bool) -> dict[str, Any]:
    """The Frictionless Table Schema of a raw or processed table."""
    schema = schemas.raw_schema(table) if raw else schemas.processed_schema(table)
    raw_columns = schemas.raw_schema(table).columns
    optional_lists = frozenset(
        c
        for c in schemas.SPECS[table].list_columns
        if not (raw_columns[c].metadata or {})["required"]
    )
    fields = [
        _field(name, column, raw=raw, optional_lists=optional_lists)
        for name, column in schema.columns.items()
    ]
    if not raw:
        for list_column in schemas.SPECS[table].list_columns:
            field = next(f for f in fields if f["name"] == list_column)
            field.update(type="list", delimiter=LIST_SEPARATOR, itemType="string")
    result: dict[str, Any] = {
        "fields": fields,
        "missingValues": [""],
        "primaryKey": [schemas.SPECS[table].id_column],
    }
    # Frictionless can say "this column refers to that table's key", not "each item of
    # a list refers to a row of one of several tables": those keys are checked by
    # ``ukreport validate`` only.
    foreign_keys = [
        {
            "fields": [column],
            "reference": {"resource": others[0], "fields": [schemas.SPECS[others[0]].id_column]},
        }
        for column, others in schemas.SPECS[table].foreign_keys
        if len(others) == 1 and column not in schemas.SPECS[table].list_columns
    ]
    if not raw and foreign_keys:
        result["foreignKeys"] = foreign_keys
    return result


def dumps(document: object) -> str:
    """JSON as every generated file in the project writes it: stable, readable, UTF-8."""
    return _io.dumps(document)


def write_schemas(out_dir: Path) -> list[Path]:
    """Write ``raw/<table>.json`` and ``processed/<table>.json`` under ``out_dir``."""
    written = []
    for kind in ("raw", "processed"):
        for table in schemas.TABLES:
            path = out_dir / kind / f"{table}.json"
            text = dumps(table_schema(table, raw=kind == "raw"))
            write_atomically(path, text.encode("utf-8"))
            written.append(path)
    return written
