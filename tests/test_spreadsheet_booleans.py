"""A yes/no column as any spreadsheet saves it is the same value as written by hand."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers.tables import edit_table, read_rows
from ukreport.cli import main


def _respell(spelling: dict[str, str]) -> object:
    def edit(rows: list[list[str]]) -> None:
        at = rows[0].index("essay_cited")
        for row in rows[1:]:
            row[at] = spelling[row[at]]

    return edit


@pytest.mark.parametrize(
    "spelling",
    [
        {"true": "TRUE", "false": "FALSE"},
        {"true": "True", "false": "False"},
        {"true": "TRUE", "false": "false"},
    ],
    ids=["excel", "title-case", "mixed"],
)
def test_a_spreadsheet_save_publishes_the_same_bytes(
    raw_dir: Path, tmp_path: Path, spelling: dict[str, str]
) -> None:
    saved = tmp_path / "saved"
    shutil.copytree(raw_dir, saved)
    for table in ("events", "initiatives"):
        edit_table(saved / f"{table}.csv", _respell(spelling))  # type: ignore[arg-type]
        assert read_rows(saved / f"{table}.csv") != read_rows(raw_dir / f"{table}.csv")
    assert main(["process", "--raw", str(raw_dir), "--out", str(tmp_path / "a")]) == 0
    assert main(["process", "--raw", str(saved), "--out", str(tmp_path / "b")]) == 0
    for table in ("events", "initiatives"):
        name = f"{table}.csv"
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


@pytest.mark.parametrize("value", ["yes", "1", "tRUE", "fals", "true "])
def test_other_words_are_refused(
    raw_dir: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    edit_table(raw_dir / "events.csv", _respell({"true": value, "false": "false"}))  # type: ignore[arg-type]
    assert main(["validate", str(raw_dir)]) == 1
