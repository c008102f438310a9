"""Stated dates and periods become bounds with a precision."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ukreport.dates import EARLIEST, LATEST, MONTHS, parse_dates, parse_periods


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("2025-02-12", "2025-02-12", "2025-02-12", "day"),
        ("October 2023", "2023-10-01", "2023-10-31", "month"),
        ("2024-02", "2024-02-01", "2024-02-29", "month"),
        ("March 2023", "2023-03-01", "2023-03-31", "month"),
        ("2014", "2014-01-01", "2014-12-31", "year"),
    ],
)
def test_dates_parse_to_bounds(text: str, start: str, end: str, precision: str) -> None:
    row = parse_dates(pd.Series([text])).iloc[0]
    assert row["start"] == pd.Timestamp(start)
    assert row["end"] == pd.Timestamp(end)
    assert row["precision"] == precision


@pytest.mark.parametrize(
    "text",
    ["2023-02-30", "2024-13", "2023-1-011", "Octob 2023", "october 2023", "12/02/2025", "", "x"],
)
def test_impossible_or_unknown_dates_do_not_parse(text: str) -> None:
    row = parse_dates(pd.Series([text])).iloc[0]
    assert pd.isna(row["start"])
    assert pd.isna(row["precision"])


@pytest.mark.parametrize(
    ("text", "start", "end", "ongoing"),
    [
        ("2014-2015", "2014-01-01", "2015-12-31", False),
        ("2014-Present", "2014-01-01", None, True),
        ("2022-07-22/2023-07-17", "2022-07-22", "2023-07-17", False),
        ("2014-06-08/February 2022", "2014-06-08", "2022-02-28", False),
        ("2014", "2014-01-01", "2014-12-31", False),
    ],
)
def test_periods(text: str, start: str, end: str | None, ongoing: bool) -> None:
    row = parse_periods(pd.Series([text])).iloc[0]
    assert row["ok"]
    assert row["start"] == pd.Timestamp(start)
    assert (pd.isna(row["end"]) and end is None) or row["end"] == pd.Timestamp(end)
    assert row["ongoing"] is ongoing or row["ongoing"] == ongoing


@pytest.mark.parametrize("text", ["x/2014", "2014/", "2014-Never", "2014-02-30/2015"])
def test_bad_periods_are_not_ok(text: str) -> None:
    assert not parse_periods(pd.Series([text])).iloc[0]["ok"]


days = st.dates(min_value=dt.date(1991, 1, 1), max_value=dt.date(2030, 12, 31))


@given(st.lists(days, min_size=1, max_size=30))
def test_any_real_day_round_trips(values: list[dt.date]) -> None:
    parsed = parse_dates(pd.Series([d.isoformat() for d in values]))
    assert list(parsed["start"].dt.date) == values
    assert (parsed["start"] == parsed["end"]).all()


@given(days)
def test_month_names_cover_the_whole_month(day: dt.date) -> None:
    row = parse_dates(pd.Series([f"{MONTHS[day.month - 1]} {day.year}"])).iloc[0]
    assert row["start"] <= pd.Timestamp(day) <= row["end"]
    assert row["start"].day == 1
    assert (row["end"] + pd.Timedelta(days=1)).day == 1


# --- the range: checked on days, before any conversion could wrap ----------------------

any_day = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))


def _forms(day: dt.date) -> list[str]:
    return [
        day.isoformat(),
        day.isoformat()[:7],
        f"{day.year:04d}",
        f"{MONTHS[day.month - 1]} {day.year:04d}",
    ]


@settings(max_examples=300)
@given(any_day)
def test_a_date_outside_the_range_never_wraps_into_it(day: dt.date) -> None:
    """A nanosecond timestamp holds 1678–2262 only: 2600-01-01 once became 2015-06-13.
    Every form of every four-digit year either keeps its year or is refused as outside."""
    inside = EARLIEST <= day.isoformat() <= LATEST
    parsed = parse_dates(pd.Series(_forms(day)))
    if inside:
        assert list(parsed["start"].dt.year) == [day.year] * 4
        assert not parsed["outside"].any()
    else:
        assert parsed["start"].isna().all() and parsed["end"].isna().all()
        assert parsed["precision"].isna().all()
        assert parsed["outside"].all()


@settings(max_examples=200)
@given(any_day, any_day)
def test_a_period_with_either_end_outside_the_range_is_refused(a: dt.date, b: dt.date) -> None:
    first, last = sorted([a, b])
    texts = [
        f"{first.isoformat()}/{last.isoformat()}",
        f"{first.year:04d}-{last.year:04d}",
        f"{first.isoformat()}/Present",
    ]
    parsed = parse_periods(pd.Series(texts))
    inside = [
        first.isoformat() >= EARLIEST and last.isoformat() <= LATEST,
        f"{first.year:04d}-01-01" >= EARLIEST and f"{last.year:04d}-12-31" <= LATEST,
        EARLIEST <= first.isoformat() <= LATEST,
    ]
    for i, ok in enumerate(inside):
        row = parsed.iloc[i]
        assert bool(row["ok"]) == ok, texts[i]
        assert bool(row["outside"]) == (not ok), texts[i]
        if ok:
            assert row["start"].year == first.year
            if pd.notna(row["end"]):
                assert row["end"].year == last.year
        else:
            assert pd.isna(row["start"]) or pd.isna(row["end"]) or not row["ok"]


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("events", "date", "2600-01-01"),
        ("events", "date", "1420-05-05"),
        ("events", "date", "October 2600"),
        ("events", "date", "2262-04-12"),
        ("events", "date", "1677-09-21"),
        ("events", "date", "1990"),
        ("events", "date", "2031-01"),
        ("events", "accessed", "2600-01-01"),
        ("events", "accessed", "1990-12-31"),
        ("events", "verified_date", "9999-12-31"),
        ("initiatives", "period", "2014-2600"),
        ("initiatives", "period", "1420-Present"),
        ("initiatives", "period", "2014-06-08/2600-01-01"),
        ("initiatives", "period", "1066/2014"),
        ("initiatives", "verified_period", "2014/March 3000"),
        ("initiatives", "accessed", "0001-01-01"),
        ("cooperation", "date", "2011-2262"),
        ("claims", "date", "2400"),
    ],
)
def test_validate_and_process_refuse_a_date_outside_the_range(
    raw_dir: Path, capsys: pytest.CaptureFixture[str], table: str, column: str, value: str
) -> None:
    from helpers.tables import edit_table, read_rows, set_cell
    from ukreport.cli import main

    path = raw_dir / f"{table}.csv"
    rows = read_rows(path)
    # A verified value goes where one is already given (a disputed row).
    row = next((i for i in range(1, len(rows)) if rows[i][rows[0].index(column)]), 1)
    edit_table(path, set_cell(row, column, value))
    assert main(["validate", str(raw_dir)]) == 1
    out = capsys.readouterr().out
    position = read_rows(path)[0].index(column) + 1
    assert f"{path}:{row + 1}:{position}: {column}: is outside the dataset's range" in out, out
    assert f"{EARLIEST} to {LATEST}" in out
    assert main(["process", "--raw", str(raw_dir), "--out", str(raw_dir.parent / "out")]) == 1
    err = capsys.readouterr().err
    assert "internal error" not in err and "Traceback" not in err
    assert not (raw_dir.parent / "out").exists()


def test_the_range_is_stated_in_the_schemas_and_the_codebook() -> None:
    from ukreport.tableschema import table_schema

    raw = {f["name"]: f for f in table_schema("events", raw=True)["fields"]}
    assert raw["accessed"]["constraints"]["minimum"] == EARLIEST
    assert raw["accessed"]["constraints"]["maximum"] == LATEST
    assert f"{EARLIEST} and {LATEST}" in raw["date"]["description"]
    processed = {f["name"]: f for f in table_schema("initiatives", raw=False)["fields"]}
    for name in ("date_start", "date_end", "verified_date_start", "verified_date_end"):
        assert processed[name]["constraints"]["minimum"] == EARLIEST, name
        assert processed[name]["constraints"]["maximum"] == LATEST, name
    from ukreport.report.codebook import _rule

    assert f"from {EARLIEST} to {LATEST}" in _rule(raw["date"], derived=False)
    assert f"from {EARLIEST} to {LATEST}" in _rule(raw["accessed"], derived=False)
    assert f"from {EARLIEST} to {LATEST}" in _rule(processed["date_end"], derived=True)
