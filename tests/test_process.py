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
    process(raw_dir, tmp_path)
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert package["name"] == "us-russia-ukraine-diplomacy"
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert package["sources"]
    for resource in package["resources"]:
        for described in (resource, resource["parquet"]):
            data = (tmp_path / described["path"]).read_bytes()
            assert described["bytes"] == len(data)
            assert described["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
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
