"""One mistake, one message, and the message names the column; a day still to come
is not a day a page was read."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from helpers.tables import edit_table, read_rows, set_cell
from ukreport.cli import main


@pytest.mark.parametrize(
    ("table", "column", "value", "fragment"),
    [
        ("events", "source_kind", "", "the cell is blank but required"),
        ("events", "event_type", "", "the cell is blank but required"),
        ("events", "date", "12/02/2025", "is not a date in a known form"),
        ("events", "date", "2025-13-45x", "is not a date in a known form"),
        ("events", "accessed", "26-11-2026", "is not a day written YYYY-MM-DD"),
        ("events", "source_url", "www.example.org/page", "is not a web address"),
        ("events", "source_url", "", "the cell is blank but required"),
        ("events", "event_id", "", "the cell is blank but required"),
        ("initiatives", "period", "2014 to 2015", "is not a date or period in a known form"),
        ("events", "source_url", "https://example.org/\u202egnp.exe", "U+202E"),
    ],
)
def test_one_mistake_gives_one_message_naming_its_column(
    raw_dir: Path,
    capsys: pytest.CaptureFixture[str],
    table: str,
    column: str,
    value: str,
    fragment: str,
) -> None:
    path = raw_dir / f"{table}.csv"
    at = read_rows(path)[0].index(column) + 1
    edit_table(path, set_cell(1, column, value))
    assert main(["validate", str(raw_dir)]) == 1
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith(str(path))]
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{path}:2:{at}: {column}: "), lines[0]
    assert fragment in lines[0], lines[0]


@pytest.mark.parametrize("ahead", [2, 30, 700])
def test_an_accessed_day_still_to_come_is_refused(
    raw_dir: Path, capsys: pytest.CaptureFixture[str], ahead: int
) -> None:
    day = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=ahead)
    path = raw_dir / "initiatives.csv"
    edit_table(path, set_cell(1, "accessed", day.isoformat()))
    assert main(["validate", str(raw_dir)]) == 1
    out = capsys.readouterr().out
    assert f"accessed: is a day still to come ('{day.isoformat()}')" in out, out


def test_today_and_tomorrow_in_a_zone_ahead_of_utc_pass(raw_dir: Path) -> None:
    today = dt.datetime.now(dt.UTC).date()
    path = raw_dir / "events.csv"
    edit_table(path, set_cell(1, "accessed", today.isoformat()))
    edit_table(path, set_cell(2, "accessed", (today + dt.timedelta(days=1)).isoformat()))
    assert main(["validate", str(raw_dir)]) == 0
