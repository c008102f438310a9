"""The processed models: ``data/processed/`` with typed dates, booleans and lists."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from ukreport.dates import PRECISIONS
from ukreport.schemas.vocabulary import (
    ESSAY_CONTEXT,
    EVENT_TYPES,
    INITIATIVE_STATUS,
    INITIATIVE_TYPES,
    ISO_DATE_PATTERN,
    MAX_DATE,
    MIN_DATE,
    SOURCE_KINDS,
    VERDICTS,
    VERIFICATION,
)


def _day(description: str, *, nullable: bool = False) -> Any:
    """A typed day, within the dataset's range (exported as the field's minimum and
    maximum)."""
    return pa.Field(
        nullable=nullable,
        in_range={"min_value": pd.Timestamp(MIN_DATE), "max_value": pd.Timestamp(MAX_DATE)},
        description=description,
    )


class _Processed(pa.DataFrameModel):
    """Columns every processed table shares."""

    source_url: Series[str] = pa.Field(
        description="Address of the page the row was read from (over https where its "
        "publisher serves the same page so)."
    )
    source_title: Series[str] = pa.Field(description="Title of that page.")
    source_publisher: Series[str] = pa.Field(
        description="Who published the page, as readers know it (from the reviewed "
        "host table, src/ukreport/publishers.toml)."
    )
    source_published: Series[str] = pa.Field(
        nullable=True,
        str_matches=rf"^{ISO_DATE_PATTERN}$",
        description="Date the page states it was published, at its precision "
        "(YYYY-MM-DD, YYYY-MM or YYYY); empty when it states none.",
    )
    source_author: Series[object] = pa.Field(description="The page's byline (a list of names).")
    source_language: Series[str] = pa.Field(
        nullable=True, description="Language of the page, ISO 639-1."
    )
    source_kind: Series[str] = pa.Field(
        isin=SOURCE_KINDS, description="primary, news or reference: what kind of source."
    )
    accessed: Series[pa.DateTime] = _day("Day the page was read.")
    verification: Series[str] = pa.Field(
        isin=VERIFICATION, description="verified, disputed or unverified."
    )
    verification_note: Series[str] = pa.Field(
        nullable=True, description="What the source confirms, or why not."
    )

    class Config:
        strict = True
        coerce = True


class _Dated(pa.DataFrameModel):
    """A stated date with its bounds and precision."""

    date_start: Series[pa.DateTime] = _day("Earliest day the date can mean.")
    date_end: Series[pa.DateTime] = _day(
        "Latest day the date can mean; empty while ongoing.", nullable=True
    )
    date_precision: Series[pd.CategoricalDtype] = pa.Field(
        isin=list(PRECISIONS),
        description="day, month or year: how precisely the date (or a period's start) is known.",
    )

    @pa.dataframe_check(name="end_not_before_start")
    @classmethod
    def end_not_before_start(cls, df: pd.DataFrame) -> pd.Series:
        ok: pd.Series = df["date_end"].isna() | (df["date_end"] >= df["date_start"])
        return ok

    @pa.dataframe_check(name="precision_matches_dates")
    @classmethod
    def precision_matches_dates(cls, df: pd.DataFrame) -> pd.Series:
        """A month starts on the 1st and a year on 1 January, as the precision says."""
        start = df["date_start"]
        precision = df["date_precision"].astype("string")
        month_ok = (precision != "month") | (start.dt.day == 1)
        year_ok = (precision != "year") | ((start.dt.day == 1) & (start.dt.month == 1))
        ok: pd.Series = (month_ok & year_ok).fillna(False).astype(bool)
        return ok


class Events(_Dated, _Processed):
    """``data/processed/events``: events with typed dates and lists."""

    event_id: Series[str] = pa.Field(unique=True, description="Stable identifier.")
    date: Series[str] = pa.Field(description="Date as the source states it.")
    event_type: Series[str] = pa.Field(isin=EVENT_TYPES, description="Kind of interaction.")
    description: Series[str] = pa.Field(description="What happened.")
    key_theme: Series[str] = pa.Field(description="Short theme.")
    participants: Series[object] = pa.Field(description="People taking part (a list).")
    actors: Series[object] = pa.Field(description="States and organisations (a list of codes).")
    location: Series[str] = pa.Field(nullable=True, description="Where it took place.")
    initiative_id: Series[str] = pa.Field(nullable=True, description="Initiative it belongs to.")
    essay_cited: Series[bool] = pa.Field(description="A row of the essay's table.")
    verified_date: Series[str] = pa.Field(
        nullable=True, description="For a disputed row: the date the record supports."
    )
    verified_source_url: Series[str] = pa.Field(
        nullable=True, description="Source of the verified date."
    )


class Initiatives(_Dated, _Processed):
    """``data/processed/initiatives``: initiatives as periods, with verified periods."""

    initiative_id: Series[str] = pa.Field(unique=True, description="Stable identifier.")
    name: Series[str] = pa.Field(description="Name.")
    initiative_type: Series[str] = pa.Field(isin=INITIATIVE_TYPES, description="Kind.")
    period: Series[str] = pa.Field(description="Period as the source states it.")
    status: Series[str] = pa.Field(isin=INITIATIVE_STATUS, description="ongoing, ended, suspended.")
    ongoing: Series[bool] = pa.Field(
        description="The period on record (verified_period where the record corrects the "
        "essay, else period) runs to the present; true exactly when status is ongoing."
    )
    actors: Series[object] = pa.Field(description="States and organisations (a list of codes).")
    outcome: Series[str] = pa.Field(description="What it achieved.")
    essay_cited: Series[bool] = pa.Field(description="A row of the essay's table.")
    verified_period: Series[str] = pa.Field(
        nullable=True, description="For a disputed row: the period the record supports."
    )
    verified_date_start: Series[pa.DateTime] = _day("Start of the verified period.", nullable=True)
    verified_date_end: Series[pa.DateTime] = _day("End of the verified period.", nullable=True)
    verified_source_url: Series[str] = pa.Field(
        nullable=True, description="Source of the verified period."
    )

    @pa.dataframe_check(name="ongoing_matches_status")
    @classmethod
    def ongoing_matches_status(cls, df: pd.DataFrame) -> pd.Series:
        """A derived flag never contradicts the record's own status."""
        ok: pd.Series = df["ongoing"] == (df["status"] == "ongoing")
        return ok


class Cooperation(_Dated, _Processed):
    """``data/processed/cooperation``: areas of cooperation with a dated precedent."""

    cooperation_id: Series[str] = pa.Field(unique=True, description="Stable identifier.")
    area: Series[str] = pa.Field(description="Area of cooperation.")
    potential_benefits: Series[str] = pa.Field(description="Potential benefits.")
    essay_context: Series[str] = pa.Field(isin=ESSAY_CONTEXT, description="table or text.")
    precedent: Series[str] = pa.Field(description="A sourced precedent of cooperation.")
    date: Series[str] = pa.Field(description="Date or period of the precedent, as stated.")


class Claims(pa.DataFrameModel):
    """``data/processed/claims``: the essay's claims with verdicts and evidence ids."""

    claim_id: Series[str] = pa.Field(unique=True, description="Stable identifier.")
    section: Series[str] = pa.Field(description="The essay's section.")
    quote: Series[str] = pa.Field(description="The essay's words.")
    date: Series[str] = pa.Field(nullable=True, description="Date the claim states.")
    date_start: Series[pa.DateTime] = _day("Earliest day the claimed date can mean.", nullable=True)
    date_end: Series[pa.DateTime] = _day("Latest day the claimed date can mean.", nullable=True)
    date_precision: Series[pd.CategoricalDtype] = pa.Field(
        nullable=True, isin=list(PRECISIONS), description="day, month or year."
    )
    essay_row: Series[str] = pa.Field(
        nullable=True, description="The essay table's row: an id in another table."
    )
    verdict: Series[str] = pa.Field(isin=VERDICTS, description="How the record answers it.")
    evidence: Series[object] = pa.Field(description="Ids of the deciding rows (a list).")
    reasoning: Series[str] = pa.Field(description="Why the evidence gives the verdict.")

    class Config:
        strict = True
        coerce = True
