"""The record itself: what can be checked mechanically about its scope, currency and sources.

The validator enforces each rule on any data; these tests hold the repository's own
tables to them and to the coverage protocol in ``data/raw/README.md``.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pandas as pd
import pytest

import ukreport
from helpers.paths import ROOT
from ukreport import schemas
from ukreport.sources import denied_reason

README = (ROOT / "data" / "raw" / "README.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return {name: ukreport.load(name) for name in schemas.TABLES}


def test_no_row_is_dated_after_its_source_was_read(tables: dict[str, pd.DataFrame]) -> None:
    for name in schemas.SOURCED_TABLES:
        frame = tables[name]
        late = frame[frame["date_start"] > frame["accessed"]]
        assert late.empty, late[schemas.SPECS[name].id_column].tolist()


def test_no_row_cites_a_denied_host(tables: dict[str, pd.DataFrame]) -> None:
    for name in schemas.SOURCED_TABLES:
        frame = tables[name]
        urls = list(frame["source_url"])
        if "verified_source_url" in frame:
            urls += list(frame["verified_source_url"].dropna())
        assert [url for url in urls if denied_reason(url)] == []


def test_source_kinds_match_their_hosts(tables: dict[str, pd.DataFrame]) -> None:
    """Wikipedia is reference and only Wikipedia is; a government page is primary."""
    for name in schemas.SOURCED_TABLES:
        for url, kind in zip(tables[name]["source_url"], tables[name]["source_kind"], strict=True):
            host = urlsplit(url).hostname or ""
            assert (kind == "reference") == host.endswith("wikipedia.org"), (url, kind)
            if host.endswith((".gov", "kremlin.ru", "un.org", "president.gov.ua", "mid.ru")):
                assert kind == "primary", (url, kind)


def test_every_evidence_id_is_a_row_of_the_record(tables: dict[str, pd.DataFrame]) -> None:
    ids = {
        ident
        for name in schemas.SOURCED_TABLES
        for ident in tables[name][schemas.SPECS[name].id_column]
    }
    claims = tables["claims"]
    for evidence in claims["evidence"]:
        assert set(evidence) <= ids
    assert set(claims["essay_row"].dropna()) <= ids


def test_a_supported_claim_rests_on_a_verified_row(tables: dict[str, pd.DataFrame]) -> None:
    verified = {
        ident
        for name in schemas.SOURCED_TABLES
        for ident, status in zip(
            tables[name][schemas.SPECS[name].id_column], tables[name]["verification"], strict=True
        )
        if status == "verified"
    }
    claims = tables["claims"]
    for _, claim in claims[claims["verdict"] == "supported"].iterrows():
        assert set(claim["evidence"]) & verified, claim["claim_id"]


def test_every_row_of_the_essays_tables_has_a_claim(tables: dict[str, pd.DataFrame]) -> None:
    essay_rows = set(tables["events"].loc[tables["events"]["essay_cited"], "event_id"])
    essay_rows |= set(
        tables["initiatives"].loc[tables["initiatives"]["essay_cited"], "initiative_id"]
    )
    cooperation = tables["cooperation"]
    essay_rows |= set(cooperation.loc[cooperation["essay_context"] == "table", "cooperation_id"])
    assert essay_rows == set(tables["claims"]["essay_row"].dropna())


def test_the_productive_talks_claim_lists_every_occasion(tables: dict[str, pd.DataFrame]) -> None:
    """Every event whose description says Trump called talks with Putin productive is
    evidence for the headline claim, and no other."""
    events = tables["events"].set_index("event_id")
    said = {
        ident
        for ident, row in events.iterrows()
        if re.search(
            r"(Trump called (it|the conversation|the discussions)|which (Trump|he) called)"
            r"[^.;]*productive",
            row["description"],
        )
        and "Vladimir Putin" in row["participants"]
    }
    claims = tables["claims"].set_index("claim_id")
    assert set(claims.loc["trump-announced-productive-talks", "evidence"]) == said
    assert len(said) >= 5


def test_the_record_reaches_into_the_year_it_was_read(tables: dict[str, pd.DataFrame]) -> None:
    events = tables["events"]
    read = max(tables[name]["accessed"].max() for name in schemas.SOURCED_TABLES)
    assert events["date_start"].max().year == read.year


def test_every_year_of_the_window_has_us_russian_contact(tables: dict[str, pd.DataFrame]) -> None:
    """A sweep, not a sample: no year of the window is empty of US–Russian contact."""
    events = tables["events"]
    contact = events[
        events["event_type"].isin(["call", "meeting", "summit", "talks"])
        & events["actors"].map(lambda actors: {"US", "RU"} <= set(actors))
    ]
    years = set(contact["date_start"].dt.year)
    start = pd.Timestamp(schemas.COVERAGE_START).year
    assert set(range(start, events["date_start"].max().year + 1)) <= years


def test_the_readme_documents_the_window_and_counts(tables: dict[str, pd.DataFrame]) -> None:
    assert "## Coverage protocol" in README
    assert schemas.COVERAGE_START in README
    top = (ROOT / "docs" / "data.md").read_text(encoding="utf-8")
    for name in schemas.TABLES:
        row = re.search(rf"^\| `{name}\.csv` \| (\d+) \|", top, re.M)
        assert row is not None, name
        assert int(row.group(1)) == len(tables[name]), name
