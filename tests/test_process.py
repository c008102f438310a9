"""The data package: typed, deterministic, atomic, Frictionless-valid, and never stale."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from helpers.paths import ROOT
from helpers.tables import edit_table, set_cell
from ukreport.cli import main
from ukreport.errors import ValidationFailed
from ukreport.process import build, process

PROCESSED = ROOT / "data/processed"


def test_committed_data_package_is_not_stale() -> None:
    """``data/processed`` is exactly what ``make data`` makes from ``data/raw`` today."""
    expected = build(ROOT / "data/raw")
    stale = [
        name
        for name, data in expected.items()
        if not (PROCESSED / name).is_file() or (PROCESSED / name).read_bytes() != data
    ]
    assert not stale, f"run `make data` and commit: stale {stale}"
    extra = {p.name for p in PROCESSED.iterdir()} - set(expected)
    assert not extra


def test_same_input_same_bytes(raw_dir: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    process(raw_dir, first)
    process(raw_dir, second)
    for path in first.iterdir():
        assert path.read_bytes() == (second / path.name).read_bytes(), path.name


def test_typed_columns(raw_dir: Path, tmp_path: Path) -> None:
    process(raw_dir, tmp_path)
    events = pq.read_table(tmp_path / "events.parquet")
    assert str(events.schema.field("date_start").type) == "date32[day]"
    participants = events.schema.field("participants").type
    assert pa.types.is_list(participants)
    assert participants.value_type == pa.string()
    assert str(events.schema.field("essay_cited").type) == "bool"
    assert events.schema.metadata is None  # no pandas metadata: bytes depend on data only
    frame = events.to_pandas()
    trump = frame.set_index("event_id").loc["2023-10-trump-putin-talks-essay"]
    assert trump["date_precision"] == "month"
    assert str(trump["date_start"]) == "2023-10-01"
    assert str(trump["date_end"]) == "2023-10-31"
    initiatives = pq.read_table(tmp_path / "initiatives.parquet").to_pandas()
    osce = initiatives.set_index("initiative_id").loc["osce-smm"]
    assert osce["period"] == "2014-Present"  # the essay's claim, kept
    assert not osce["ongoing"]  # derived from the record's period, which ended
    assert str(osce["verified_date_end"]) == "2022-03-31"  # the record
    csv = pd.read_csv(tmp_path / "events.csv", dtype=str, keep_default_na=False)
    assert csv.loc[0, "actors"] == "UA; RU; OSCE; DPR; LPR"
    assert set(csv["essay_cited"]) == {"true", "false"}


def test_datapackage_describes_the_files(raw_dir: Path, tmp_path: Path) -> None:
    tmp_path /= "out"
    process(raw_dir, tmp_path)
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert package["name"] == "us-russia-ukraine-diplomacy"
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert package["sources"]
    described = {resource["path"]: resource for resource in package["resources"]}
    assert set(described) == {p.name for p in tmp_path.iterdir()} - {"datapackage.json"}
    for path, resource in described.items():
        data = (tmp_path / path).read_bytes()
        assert resource["bytes"] == len(data)
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
    events = next(r for r in package["resources"] if r["name"] == "events")
    assert events["schema"]["foreignKeys"][0]["reference"]["resource"] == "initiatives"


def test_frictionless_validates_the_package(raw_dir: Path, tmp_path: Path) -> None:
    process(raw_dir, tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", "--json", "datapackage.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(result.stdout)
    assert report["valid"], json.dumps(report, indent=1)[:3000]
    assert result.returncode == 0


def test_frictionless_validates_the_committed_package() -> None:
    from frictionless import Package

    report = Package(str(PROCESSED / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_invalid_data_writes_nothing(
    raw_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    process(raw_dir, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    edit_table(raw_dir / "events.csv", set_cell(1, "date", "2023-02-30"))
    with pytest.raises(ValidationFailed):
        process(raw_dir, out)
    assert main(["process", "--raw", str(raw_dir), "--out", str(out)]) == 1
    assert "nothing written" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_list_fields_are_frictionless_lists() -> None:
    """A list column is a ``list`` field with its delimiter, so Frictionless itself
    splits it: no reader has to find the separator in prose."""
    from frictionless import Package

    from ukreport import schemas

    package = Package(str(PROCESSED / "datapackage.json"))
    for table, spec in schemas.SPECS.items():
        resource = package.get_resource(table)
        for column in spec.list_columns:
            field = resource.schema.get_field(column)
            assert (field.type, field.delimiter, field.item_type) == ("list", "; ", "string")
    rows = package.get_resource("events").read_rows()
    first = next(
        row
        for row in rows
        if row["event_id"] == "1994-01-14-us-russia-ukraine-trilateral-statement"
    )
    assert first["participants"] == ["Bill Clinton", "Boris Yeltsin", "Leonid Kravchuk"]


def test_package_metadata_describes_the_data() -> None:
    import ukreport

    package = json.loads((PROCESSED / "datapackage.json").read_text(encoding="utf-8"))
    counts = {t: len(ukreport.load(t)) for t in ukreport.list_datasets()}
    assert package["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert f"{counts['events']} events" in package["description"]
    assert f"{counts['claims']} checkable claims" in package["description"]
    assert package["keywords"] and package["contributors"][0]["title"]
    assert package["homepage"].endswith(f"/tree/v{package['version']}/data/processed")
    assert [lic["name"] for lic in package["licenses"]] == ["CC-BY-4.0"]
    names = [r["name"] for r in package["resources"]]
    tables = ukreport.list_datasets()
    assert names == [*tables, *(f"{t}-parquet" for t in tables), "references"]
    for resource in package["resources"]:
        text = resource["description"]
        assert text and not any(mark in text for mark in ("`", ":func:", ":class:", "\n"))


def test_the_dataset_cites_itself_at_its_release() -> None:
    """The data package's own bibliography entry points at the release it is, the same
    address as its homepage, never at a branch that moves on."""
    package = json.loads((PROCESSED / "datapackage.json").read_text(encoding="utf-8"))
    cited = json.loads((PROCESSED / "references.json").read_text(encoding="utf-8"))
    (item,) = [entry for entry in cited if entry["id"] == package["name"]]
    assert item["version"] == package["version"]
    assert item["URL"] == package["homepage"]
    assert f"/tree/v{package['version']}/" in item["URL"]


def test_sources_carry_the_pages_titles() -> None:
    """Each source is titled as the rows that cite it title it; only a page cited
    solely for a verified value (whose title no row records) falls back to its address."""
    import ukreport

    package = json.loads((PROCESSED / "datapackage.json").read_text(encoding="utf-8"))
    titles: dict[str, set[str]] = {}
    verified: set[str] = set()
    for table in ("events", "initiatives", "cooperation"):
        frame = ukreport.load(table)
        for url, title in zip(frame["source_url"], frame["source_title"], strict=True):
            titles.setdefault(url, set()).add(title)
        if "verified_source_url" in frame:
            verified |= set(frame["verified_source_url"].dropna())
    sources = {s["path"]: s["title"] for s in package["sources"]}
    assert set(sources) == set(titles) | verified
    for url, title in sources.items():
        if url in titles:
            assert title in titles[url], url
        else:
            assert title == url
