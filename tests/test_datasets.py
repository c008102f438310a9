"""The public API: typed, validated DataFrames, and a light ``import ukreport``."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import ukreport
from helpers.paths import ROOT
from ukreport import datasets, schemas
from ukreport.errors import TamperedData


@pytest.mark.parametrize(
    ("loader", "key", "minimum"),
    [
        (ukreport.load_events, "event_id", 30),
        (ukreport.load_initiatives, "initiative_id", 10),
        (ukreport.load_cooperation, "cooperation_id", 5),
    ],
)
def test_loaders_return_typed_frames(loader, key: str, minimum: int) -> None:  # type: ignore[no-untyped-def]
    frame = loader()
    assert isinstance(frame, pd.DataFrame)
    assert len(frame) >= minimum
    assert frame[key].is_unique
    assert pd.api.types.is_datetime64_any_dtype(frame["date_start"])
    assert pd.api.types.is_datetime64_any_dtype(frame["accessed"])
    assert set(frame["date_precision"].dropna()) <= {"day", "month", "year"}
    assert set(frame["verification"]) <= {"verified", "disputed", "unverified"}


def test_lists_are_lists() -> None:
    events = ukreport.load_events()
    assert all(isinstance(actors, list) and actors for actors in events["actors"])
    assert events["essay_cited"].dtype == bool
    assert events["essay_cited"].sum() == 3


def test_the_essay_rows_and_their_dispute() -> None:
    events = ukreport.load_events().set_index("event_id")
    trump = events.loc["2023-10-trump-putin-talks-essay"]
    assert trump["date"] == "October 2023"
    assert trump["verification"] == "disputed"
    assert pd.isna(trump["verified_date"])  # several occasions on record, none picked
    claims = ukreport.load_claims().set_index("essay_row", drop=False)
    claim = claims.loc["2023-10-trump-putin-talks-essay"]
    assert claim["verdict"] == "disputed"
    occasions = events.loc[[i for i in claim["evidence"] if i != claim["essay_row"]]]
    assert len(occasions) >= 5
    assert (occasions["date_start"] > "2025-01-20").sum() >= 5
    assert (occasions["verification"] == "verified").all()
    initiatives = ukreport.load_initiatives().set_index("initiative_id")
    osce = initiatives.loc["osce-smm"]
    assert osce["period"] == "2014-Present"
    assert osce["verification"] == "disputed"
    assert osce["verified_date_end"] == pd.Timestamp("2022-03-31")


def test_each_call_returns_a_fresh_frame() -> None:
    first = ukreport.load_events()
    first.loc[0, "key_theme"] = "changed"
    assert ukreport.load_events().loc[0, "key_theme"] != "changed"


def test_unknown_dataset_name() -> None:
    assert ukreport.list_datasets() == ["events", "initiatives", "cooperation", "claims"]
    with pytest.raises(ValueError, match="unknown dataset 'people'; choose one of events"):
        ukreport.load("people")


def test_import_stays_light() -> None:
    code = (
        "import sys, ukreport; heavy = {'matplotlib', 'nbclient', 'ipykernel', 'pandera',"
        " 'pypandoc', 'typst', 'jupyter_client', 'pandas', 'pyarrow', 'numpy'}"
        " & set(sys.modules); print(sorted(heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_loaders_are_imported_on_first_use() -> None:
    code = (
        "import sys, ukreport; before = 'ukreport.datasets' in sys.modules;"
        " ukreport.load_claims; print(before, 'ukreport.datasets' in sys.modules,"
        " 'load_events' in dir(ukreport), 'pandas' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    # pandas itself waits for the first table loaded
    assert result.stdout.split() == ["False", "True", "True", "False"]
    with pytest.raises(AttributeError, match="has no attribute 'load_people'"):
        ukreport.load_people  # noqa: B018


@pytest.mark.parametrize("name", datasets.list_datasets())
def test_a_loaded_table_is_what_its_schema_gives(name: str) -> None:
    """Loading checks the file's hash instead of validating again: what it returns must be
    exactly what validation against the processed schema would return."""
    frame = datasets.load(name)
    validated = schemas.processed_schema(name).validate(frame.copy(), lazy=True)
    pd.testing.assert_frame_equal(frame, validated, check_exact=True)


def test_a_changed_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A Parquet file rewritten after the package was written (its hash no longer the
    recorded one) is refused with a message naming it, not loaded."""
    copy = tmp_path / "processed"
    shutil.copytree(ROOT / "data" / "processed", copy)
    frame = datasets.load("events")
    frame.loc[0, "key_theme"] = "Rewritten"
    frame.to_parquet(copy / "events.parquet")
    monkeypatch.setenv("UKREPORT_DATA_DIR", str(copy))
    with pytest.raises(TamperedData, match=r"events\.parquet does not match datapackage\.json"):
        datasets.load("events")
    assert len(datasets.load("claims")) > 0  # the untouched tables still load


@pytest.mark.parametrize(
    "document",
    ["", "{", "[]", '{"resources": 1}', '{"resources": [5]}'],
)
def test_a_malformed_data_package_is_refused_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, document: str
) -> None:
    copy = tmp_path / "processed"
    shutil.copytree(ROOT / "data" / "processed", copy)
    (copy / "datapackage.json").write_text(document, encoding="utf-8")
    monkeypatch.setenv("UKREPORT_DATA_DIR", str(copy))
    with pytest.raises(TamperedData, match=r"datapackage\.json is not a readable data package"):
        datasets.load("events")


def test_rows_as_text_are_hash_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ukreport.datasets import data_path, read_rows
    from ukreport.errors import TamperedData

    rows = read_rows("claims")
    assert [row["claim_id"] for row in rows] == list(ukreport.load_claims()["claim_id"])
    copy = tmp_path / "data"
    shutil.copytree(Path(str(data_path())), copy)
    monkeypatch.setenv("UKREPORT_DATA_DIR", str(copy))
    with (copy / "claims.csv").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    with pytest.raises(TamperedData, match=r"claims\.csv does not match datapackage\.json"):
        read_rows("claims")


ENUMERATIONS = {
    "events": {
        "date_precision": ["day", "month", "year"],
        "event_type": schemas.EVENT_TYPES,
        "source_kind": schemas.SOURCE_KINDS,
        "verification": schemas.VERIFICATION,
    },
    "initiatives": {
        "date_precision": ["day", "month", "year"],
        "initiative_type": schemas.INITIATIVE_TYPES,
        "status": schemas.INITIATIVE_STATUS,
        "source_kind": schemas.SOURCE_KINDS,
        "verification": schemas.VERIFICATION,
    },
    "cooperation": {
        "date_precision": ["day", "month", "year"],
        "essay_context": schemas.ESSAY_CONTEXT,
        "source_kind": schemas.SOURCE_KINDS,
        "verification": schemas.VERIFICATION,
    },
    "claims": {"date_precision": ["day", "month", "year"], "verdict": schemas.VERDICTS},
}


@pytest.mark.parametrize("name", datasets.list_datasets())
def test_enumerations_are_categories_of_their_whole_vocabulary(name: str) -> None:
    """Every enumeration, and nothing else, is a category; its categories are the whole
    vocabulary, so a count by kind shows a kind without rows as 0."""
    frame = datasets.load(name)
    categorical = {c for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)}
    assert categorical == set(ENUMERATIONS[name])
    for column, vocabulary in ENUMERATIONS[name].items():
        assert list(frame[column].cat.categories) == list(vocabulary), column
        assert not frame[column].cat.ordered
    counts = frame[next(iter(ENUMERATIONS[name]))].value_counts()
    assert len(counts) == 3  # day, month and year, each counted even where none occurs


@pytest.mark.parametrize("name", datasets.list_datasets())
def test_enumerations_are_dictionary_encoded_in_parquet(name: str) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pq.read_schema(ROOT / "data" / "processed" / f"{name}.parquet")
    encoded = {field.name for field in schema if pa.types.is_dictionary(field.type)}
    assert encoded == set(ENUMERATIONS[name])
    assert all(schema.field(c).type.value_type == pa.string() for c in encoded)


def test_on_record_leaves_out_exactly_what_the_record_contradicts() -> None:
    events = ukreport.load_events()
    assert events["on_record"].dtype == bool
    assert (events["on_record"] == (events["verification"] != "disputed")).all()
    assert list(events.loc[~events["on_record"], "event_id"]) == ["2023-10-trump-putin-talks-essay"]
    on_record = ukreport.load_events(on_record_only=True)
    assert len(on_record) == len(events) - 1
    assert on_record["on_record"].all()
    assert on_record.index.equals(pd.RangeIndex(len(on_record)))
    # by default every row stays, so the claims' essay rows resolve
    essay_rows = set(ukreport.load_claims()["essay_row"].dropna())
    assert "2023-10-trump-putin-talks-essay" in essay_rows & set(events["event_id"])


def test_on_record_cannot_contradict_verification() -> None:
    import pandera.errors

    events = ukreport.load_events()
    events.loc[events["verification"] == "disputed", "on_record"] = True
    with pytest.raises(pandera.errors.SchemaErrors, match="on_record_unless_disputed"):
        schemas.processed_schema("events").validate(events, lazy=True)


def test_data_path_is_public() -> None:
    assert "data_path" in ukreport.__all__
    folder = ukreport.data_path()
    assert folder.joinpath("datapackage.json").is_file()
    assert folder.joinpath("references.json").is_file()
