"""Table Schemas are generated from the pandera models and never drift from them."""

from __future__ import annotations

from pathlib import Path

import pytest
from frictionless import Resource, Schema

from helpers.paths import ROOT
from helpers.tables import edit_table, set_cell
from ukreport import schemas
from ukreport.tableschema import table_schema, write_schemas


def test_committed_schemas_match_the_models(tmp_path: Path) -> None:
    write_schemas(tmp_path)
    for generated in sorted(tmp_path.rglob("*.json")):
        committed = ROOT / "schemas" / generated.relative_to(tmp_path)
        assert committed.is_file(), f"run `make schemas`: {committed} is missing"
        assert committed.read_bytes() == generated.read_bytes(), (
            f"run `make schemas` and commit: {committed} drifted from the models"
        )


@pytest.mark.parametrize("table", schemas.TABLES)
def test_raw_schema_describes_the_raw_columns(table: str) -> None:
    fields = table_schema(table, raw=True)["fields"]
    assert [f["name"] for f in fields] == schemas.raw_columns(table)
    assert all(f.get("description") for f in fields)
    Schema.from_descriptor(table_schema(table, raw=True))  # a valid Table Schema


@pytest.mark.parametrize("table", schemas.TABLES)
def test_frictionless_accepts_the_raw_data_with_the_raw_schema(table: str) -> None:
    resource = Resource(
        path=f"{table}.csv",
        basepath=str(ROOT / "data/raw"),
        schema=Schema.from_descriptor(table_schema(table, raw=True)),
    )
    report = resource.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("event_type", "phonecall"),
        ("date", "12/02/2025"),
        ("key_theme", "=1+1"),
        ("source_url", "nowhere"),
        ("actors", "XX"),
    ],
)
def test_the_exported_rules_catch_what_pandera_catches(
    raw_dir: Path, column: str, value: str
) -> None:
    edit_table(raw_dir / "events.csv", set_cell(1, column, value))
    resource = Resource(
        path="events.csv",
        basepath=str(raw_dir),
        schema=Schema.from_descriptor(table_schema("events", raw=True)),
    )
    report = resource.validate()
    assert not report.valid
    assert {error[1] for error in report.flatten(["rowNumber", "fieldName"])} == {column}
