"""Stated dates and periods become bounds with a precision."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ukreport.dates import MONTHS, parse_dates, parse_periods


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
