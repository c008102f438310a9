"""The processed models: ``data/processed/`` with typed dates, booleans and lists.

Every enumeration is a category whose categories are its whole vocabulary (not only
the values that occur), so a count by ``event_type`` shows a kind with no rows as 0
and every reader of the Parquet files sees a dictionary-encoded column.

The class docstrings are the tables' descriptions in ``datapackage.json``: plain text,
for readers of the data, not for Sphinx.
"""

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


def _category(values: list[str], description: str, *, nullable: bool = False) -> Any:
    """An enumeration: a category with the whole vocabulary as its categories."""
    return pa.Field(
        isin=values,
        nullable=nullable,
        dtype_kwargs={"categories": list(values), "ordered": False},
        description=description,
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
    source_kind: Series[pd.CategoricalDtype] = _category(
        SOURCE_KINDS, "primary, news or reference: what kind of source."
    )
    accessed: Series[pa.DateTime] = _day("Day the page was read.")
    verification: Series[pd.CategoricalDtype] = _category(
        VERIFICATION,
        "verified, disputed (the record contradicts the row) or unverified.",
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
    date_precision: Series[pd.CategoricalDtype] = _category(
        list(PRECISIONS),
        "day, month or year: how precisely the date (or a period's start) is known.",
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
    """Diplomatic interactions among the US, Russia and Ukraine (calls, meetings,
    summits, negotiation rounds, agreements, prisoner exchanges and acts that changed
    the negotiations), one row per event, each with its source. Rows marked essay_cited
    are the essay's own; on_record is false for those the record contradicts."""

    event_id: Series[str] = pa.Field(unique=True, description="Stable identifier.")
    date: Series[str] = pa.Field(description="Date as the source states it.")
    event_type: Series[pd.CategoricalDtype] = _category(EVENT_TYPES, "Kind of interaction.")
    description: Series[str] = pa.Field(description="What happened.")
    key_theme: Series[str] = pa.Field(description="Short theme.")
    participants: Series[object] = pa.Field(description="People taking part (a list).")
    actors: Series[object] = pa.Field(description="States and organisations (a list of codes).")
    location: Series[str] = pa.Field(nullable=True, description="Where it took place.")
    initiative_id: Series[str] = pa.Field(nullable=True, description="Initiative it belongs to.")
    essay_cited: Series[bool] = pa.Field(description="A row of the essay's table.")
    on_record: Series[bool] = pa.Field(
        description="False exactly for the essay's rows that the record contradicts "
        "(verification is disputed): keep only the rows where it is true to count what "
        "is on record."
    )
    verified_date: Series[str] = pa.Field(
        nullable=True, description="For a disputed row: the date the record supports."
    )
    verified_source_url: Series[str] = pa.Field(
        nullable=True, description="Source of the verified date."
    )

    @pa.dataframe_check(name="on_record_unless_disputed")
    @classmethod
    def on_record_unless_disputed(cls, df: pd.DataFrame) -> pd.Series:
        """A derived flag never contradicts the row's own verification."""
        ok: pd.Series = df["on_record"] == (df["verification"].astype("string") != "disputed")
        return ok


class Initiatives(_Dated, _Processed):
    """Diplomatic initiatives (agreements, formats, missions, talks, treaties, deals),
    each with the period as stated, the period the record supports where it differs,
    its status and its source."""

    initiative_id: Series[str] = pa.Field(unique=True, description="Stable identifier.")
    name: Series[str] = pa.Field(description="Name.")
    initiative_type: Series[pd.CategoricalDtype] = _category(INITIATIVE_TYPES, "Kind.")
    period: Series[str] = pa.Field(description="Period as the source states it.")
    status: Series[pd.CategoricalDtype] = _category(
        INITIATIVE_STATUS, "ongoing, ended or suspended."
    )
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
    """Areas of US–Russia cooperation the essay names, each with a dated, sourced
    precedent."""

    cooperation_id: Series[str] = pa.Field(unique=True, description="Stable identifier.")
    area: Series[str] = pa.Field(description="Area of cooperation.")
    potential_benefits: Series[str] = pa.Field(description="Potential benefits.")
    essay_context: Series[pd.CategoricalDtype] = _category(
        ESSAY_CONTEXT, "table or text: where the essay names the area."
    )
    precedent: Series[str] = pa.Field(description="A sourced precedent of cooperation.")
    date: Series[str] = pa.Field(description="Date or period of the precedent, as stated.")


class Claims(pa.DataFrameModel):
    """The essay's checkable claims, each with its words, a verdict, the ids of the
    rows that decide it and the reasoning."""

    claim_id: Series[str] = pa.Field(unique=True, description="Stable identifier.")
    section: Series[str] = pa.Field(description="The essay's section.")
    quote: Series[str] = pa.Field(description="The essay's words.")
    date: Series[str] = pa.Field(nullable=True, description="Date the claim states.")
    date_start: Series[pa.DateTime] = _day("Earliest day the claimed date can mean.", nullable=True)
    date_end: Series[pa.DateTime] = _day("Latest day the claimed date can mean.", nullable=True)
    date_precision: Series[pd.CategoricalDtype] = _category(
        list(PRECISIONS), "day, month or year.", nullable=True
    )
    essay_row: Series[str] = pa.Field(
        nullable=True, description="The essay table's row: an id in another table."
    )
    verdict: Series[pd.CategoricalDtype] = _category(VERDICTS, "How the record answers it.")
    evidence: Series[object] = pa.Field(description="Ids of the deciding rows (a list).")
    reasoning: Series[str] = pa.Field(description="Why the evidence gives the verdict.")

    class Config:
        strict = True
        coerce = True
