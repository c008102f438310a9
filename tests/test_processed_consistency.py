"""No row of the published data contradicts itself: a derived column agrees with the
column it is derived from, as an importer filtering on either would expect."""

from __future__ import annotations

import pandas as pd
import pytest

import ukreport


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return {
        "events": ukreport.load_events(),
        "initiatives": ukreport.load_initiatives(),
        "claims": ukreport.load_claims(),
    }


def test_ongoing_follows_the_status_on_record(tables: dict[str, pd.DataFrame]) -> None:
    initiatives = tables["initiatives"]
    contradicting = initiatives[initiatives["ongoing"] != (initiatives["status"] == "ongoing")]
    assert contradicting.empty, list(contradicting["initiative_id"])
    osce = initiatives.set_index("initiative_id").loc["osce-smm"]
    assert osce["status"] == "ended" and not osce["ongoing"]


@pytest.mark.parametrize("table", ["events", "claims"])
def test_a_date_spans_exactly_what_its_precision_says(
    tables: dict[str, pd.DataFrame], table: str
) -> None:
    frame = tables[table].dropna(subset=["date_start"])
    start, end = frame["date_start"], frame["date_end"]
    precision = frame["date_precision"].astype(str)
    expected = start.where(
        precision == "day",
        (start + pd.offsets.MonthEnd(0)).where(precision == "month", start + pd.offsets.YearEnd(0)),
    )
    wrong = frame[end != expected]
    assert wrong.empty, wrong[["date", "date_start", "date_end", "date_precision"]]
