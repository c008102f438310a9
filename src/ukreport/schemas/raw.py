"""The raw models: ``data/raw/*.csv`` exactly as curated, every cell text.

Row rules (``dataframe_check``) are explained in :data:`ROW_RULES` at the end of this
module, beside the rules themselves.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from ukreport.dates import PRESENT, parse_dates, period_starts
from ukreport.schemas import checks as _checks  # registers the custom checks
from ukreport.schemas.fields import LONG, _date, _enum, _id, _period, _text, _url
from ukreport.schemas.rules import LIST_SEPARATOR
from ukreport.schemas.vocabulary import (
    ACTORS,
    BOOLEAN,
    CLAIM_LIST_PATTERN,
    ESSAY_CONTEXT,
    EVENT_TYPES,
    ID_PATTERN,
    INITIATIVE_STATUS,
    INITIATIVE_TYPES,
    ISO_DATE_PATTERN,
    ISO_DAY_PATTERN,
    LANGUAGE_PATTERN,
    MAIN_ACTORS,
    MAX_DATE,
    MIN_DATE,
    SOURCE_KINDS,
    VERDICTS,
    VERIFICATION,
)

del _checks

_ROW_COLUMNS: dict[type[pa.DataFrameModel], dict[str, str | None]] = {}
"""Model → the columns its row rules single out (``dated``, ``verified``), as its
table's spec declares them (:mod:`.tables`, which binds them on import)."""


def bind_row_columns(
    model: type[pa.DataFrameModel], *, dated: str | None, verified: str | None
) -> None:
    """Tell ``model``'s row rules which column holds its date or period and which the
    value the record supports: declared once, in the table's spec."""
    _ROW_COLUMNS[model] = {"dated": dated, "verified": verified}


def _column(model: type[pa.DataFrameModel], role: str) -> str:
    """The ``role`` column of ``model``, as bound by its table's spec."""
    column = _ROW_COLUMNS[model][role]
    assert column is not None, f"{model.__name__} has no {role} column"
    return column


class _RawSourced(pa.DataFrameModel):
    """Columns every raw table shares: where the row comes from and how sure it is."""

    source_url: Series[str] = _url("Address of the page the row was read from.")
    source_title: Series[str] = _text("Title of that page.", max_length=400)
    source_published: Series[str] = _text(
        "Date the page was published, as the page states it and at its precision "
        "(YYYY-MM-DD, YYYY-MM or YYYY): its date line or dateline, or the date line of "
        "its stored copy; blank when the page states none (never the event's date).",
        required=False,
        max_length=20,
        matches={"pattern": ISO_DATE_PATTERN},
        stated_date={"min_date": MIN_DATE, "max_date": MAX_DATE},
    )
    source_author: Series[str] = _text(
        "The page's byline: its authors' names separated by '; '; blank when it has "
        "none (an agency credit is not a byline).",
        required=False,
        max_length=400,
        clean_items={"separator": LIST_SEPARATOR},
    )
    source_language: Series[str] = _text(
        "Language of the page's text, an ISO 639-1 code (en, ru, uk, ...); blank when "
        "the page could not be read back.",
        required=False,
        max_length=20,
        matches={"pattern": LANGUAGE_PATTERN},
    )
    source_kind: Series[str] = _enum(
        "What kind of source the page is: primary (a government, parliament, "
        "intergovernmental body or treaty text), news (a wire service or established "
        "newsroom) or reference (Wikipedia itself).",
        SOURCE_KINDS,
    )
    accessed: Series[str] = _text(
        "Day the page was read (YYYY-MM-DD).",
        max_length=20,
        matches={"pattern": ISO_DAY_PATTERN},
        stated_date={"min_date": MIN_DATE, "max_date": MAX_DATE},
    )
    verification: Series[str] = _enum(
        "verified: the source confirms the row; disputed: the record contradicts the "
        "essay's claim kept in the row; unverified: no source confirms it.",
        VERIFICATION,
    )
    verification_note: Series[str] = _text(
        "What the source confirms, or why the row is disputed or unverified.",
        required=False,
        max_length=LONG,
    )

    @pa.dataframe_check(name="note_required")
    @classmethod
    def note_required(cls, df: pd.DataFrame) -> pd.Series:
        """A disputed or unverified row must say why."""
        return (df["verification"] == "verified") | (df["verification_note"].str.len() > 0)

    @pa.dataframe_check(name="not_after_accessed")
    @classmethod
    def not_after_accessed(cls, df: pd.DataFrame) -> pd.Series:
        """A row cannot record what had not begun on the day its source was read."""
        start = period_starts(df[_column(cls, "dated")])
        accessed = parse_dates(df["accessed"])["start"]
        ok: pd.Series = (start <= accessed) | start.isna() | accessed.isna()
        return ok.set_axis(df.index)

    @pa.dataframe_check(name="published_not_after_accessed")
    @classmethod
    def published_not_after_accessed(cls, df: pd.DataFrame) -> pd.Series:
        """A page cannot have been published after the day it was read."""
        published = parse_dates(df["source_published"])["start"]
        accessed = parse_dates(df["accessed"])["start"]
        ok: pd.Series = (published <= accessed) | published.isna() | accessed.isna()
        return ok.set_axis(df.index)

    class Config:
        strict = True
        coerce = True


class _RawDisputable(_RawSourced):
    """A raw table whose essay rows may be disputed with a verified value."""

    verified_source_url: Series[str] = _url(
        "Source of the verified value, for a disputed row.", required=False
    )

    @pa.dataframe_check(name="verified_value_only_when_disputed")
    @classmethod
    def verified_value_only_when_disputed(cls, df: pd.DataFrame) -> pd.Series:
        """A verified value replaces a disputed claim; other rows leave it blank."""
        return (df[_column(cls, "verified")].str.len() == 0) | (df["verification"] == "disputed")

    @pa.dataframe_check(name="verified_source_required")
    @classmethod
    def verified_source_required(cls, df: pd.DataFrame) -> pd.Series:
        """A verified value and its source come together."""
        has_value = df[_column(cls, "verified")].str.len() > 0
        has_source = df["verified_source_url"].str.len() > 0
        return has_value == has_source


class RawEvents(_RawDisputable):
    """``data/raw/events.csv``: diplomatic interactions among the US, Russia and Ukraine."""

    event_id: Series[str] = _id("Stable identifier, a lower-case slug.")
    date: Series[str] = _date(
        "Date as the source states it: YYYY-MM-DD, Month YYYY, YYYY-MM or YYYY."
    )
    event_type: Series[str] = _enum("Kind of interaction.", EVENT_TYPES)
    description: Series[str] = _text("One factual sentence on what happened.", max_length=LONG)
    key_theme: Series[str] = _text("Short theme (the essay's words for its rows).", max_length=120)
    participants: Series[str] = _text(
        "People taking part, separated by '; ' (the essay's words for its rows).",
        required=False,
        max_length=400,
        clean_items={"separator": LIST_SEPARATOR},
    )
    actors: Series[str] = _text(
        "States and organisations taking part, as codes separated by '; '.",
        max_length=200,
        list_isin={"allowed_values": ACTORS},
        list_includes_any={"allowed_values": MAIN_ACTORS},
    )
    location: Series[str] = _text("Where it took place; blank for calls.", required=False)
    initiative_id: Series[str] = _text(
        "The initiative the event belongs to (an initiative_id in initiatives.csv).",
        required=False,
        max_length=64,
        matches={"pattern": ID_PATTERN},
    )
    essay_cited: Series[str] = _enum("true when the row is a row of the essay's table.", BOOLEAN)
    verified_date: Series[str] = _date(
        "For a disputed row: the date the record supports.", required=False
    )


class RawInitiatives(_RawDisputable):
    """``data/raw/initiatives.csv``: diplomatic initiatives, agreements and formats."""

    initiative_id: Series[str] = _id("Stable identifier, a lower-case slug.")
    name: Series[str] = _text("Name (the essay's words for its rows).")
    initiative_type: Series[str] = _enum("Kind of initiative.", INITIATIVE_TYPES)
    period: Series[str] = _period(
        "Period as the source states it: a date, START/END, or YYYY-YYYY; END may be Present."
    )
    status: Series[str] = _enum(
        "Whether the initiative continues, on the record (not as the essay states it).",
        INITIATIVE_STATUS,
    )
    actors: Series[str] = _text(
        "States and organisations taking part, as codes separated by '; '.",
        list_isin={"allowed_values": ACTORS},
    )
    outcome: Series[str] = _text(
        "What it achieved (the essay's words for its rows).", max_length=LONG
    )
    essay_cited: Series[str] = _enum("true when the row is a row of the essay's table.", BOOLEAN)
    verified_period: Series[str] = _period(
        "For a disputed row: the period the record supports.", required=False
    )

    @pa.dataframe_check(name="present_means_ongoing")
    @classmethod
    def present_means_ongoing(cls, df: pd.DataFrame) -> pd.Series:
        """Status is the record's: ongoing exactly when the period on record (the verified
        period of a disputed row, else the stated one) runs to Present."""
        on_record = df["verified_period"].where(df["verified_period"].str.len() > 0, df["period"])
        return on_record.str.endswith(PRESENT) == (df["status"] == "ongoing")


class RawCooperation(_RawSourced):
    """``data/raw/cooperation.csv``: areas of US–Russia cooperation the essay names."""

    cooperation_id: Series[str] = _id("Stable identifier, a lower-case slug.")
    area: Series[str] = _text("Area of cooperation (the essay's words).")
    potential_benefits: Series[str] = _text(
        "Potential benefits (the essay's words for its table rows).", max_length=LONG
    )
    essay_context: Series[str] = _enum(
        "table: a row of the essay's table; text: an area its text names.", ESSAY_CONTEXT
    )
    precedent: Series[str] = _text(
        "A sourced precedent: cooperation that happened in this area.", max_length=LONG
    )
    date: Series[str] = _period("Date or period of the precedent, as the source states it.")


class RawClaims(pa.DataFrameModel):
    """``data/raw/claims.csv``: the essay's checkable claims, each with a verdict and the
    rows of the record that decide it."""

    claim_id: Series[str] = _id("Stable identifier, a lower-case slug.")
    section: Series[str] = _text("The essay's section the claim is in.", max_length=120)
    quote: Series[str] = _text(
        "The essay's words, verbatim (a table row as 'cell | cell | cell').", max_length=LONG
    )
    date: Series[str] = _date(
        "The date or time the claim states, as the essay states it; blank if none.",
        required=False,
    )
    essay_row: Series[str] = _text(
        "For a row of one of the essay's tables: its id in events, initiatives or cooperation.",
        required=False,
        max_length=64,
        matches={"pattern": ID_PATTERN},
    )
    verdict: Series[str] = _enum(
        "supported: the record bears the claim out; partly supported: in part, or with a "
        "qualification; disputed: the record contradicts it; unverified: no source with "
        "standing confirms or refutes it; forecast: a prediction, opinion: a judgement of "
        "value: not checkable facts, so not rated (say which in reasoning).",
        VERDICTS,
    )
    evidence: Series[str] = _text(
        "The rows of the record that decide the verdict: event, initiative or "
        "cooperation ids separated by '; ', in date order.",
        required=False,
        max_length=LONG,
        matches={"pattern": CLAIM_LIST_PATTERN},
    )
    reasoning: Series[str] = _text(
        "Why the evidence gives this verdict, in a few sentences.", max_length=LONG
    )

    @pa.dataframe_check(name="evidence_required")
    @classmethod
    def evidence_required(cls, df: pd.DataFrame) -> pd.Series:
        """Only an unverified claim may stand without evidence."""
        return (df["verdict"] == "unverified") | (df["evidence"].str.len() > 0)

    class Config:
        strict = True
        coerce = True


ROW_RULES: dict[str, tuple[str, str, str]] = {
    "note_required": (
        "verification_note",
        "a disputed or unverified row needs a note",
        "say in verification_note why the row is disputed or unverified",
    ),
    "verified_value_only_when_disputed": (
        "",
        "a verified value is given but the row is not disputed",
        "set verification to disputed, or clear the verified value",
    ),
    "verified_source_required": (
        "verified_source_url",
        "a verified value and its source must come together",
        "give both the verified value and verified_source_url, or neither",
    ),
    "not_after_accessed": (
        "@dated",
        "the row is dated after the day its source was read",
        "check the date, or the accessed day",
    ),
    "published_not_after_accessed": (
        "source_published",
        "source_published is after accessed, the day the page was read",
        "check the date the page states, and the day it was read",
    ),
    "evidence_required": (
        "evidence",
        "a claim with a verdict other than unverified needs evidence",
        "list the ids of the rows that decide it in evidence, or mark it unverified",
    ),
    "present_means_ongoing": (
        "status",
        "status and period on record disagree: a period ending in Present is ongoing, and only it",
        "set status to ongoing for a period on record (verified_period, else period) "
        "ending in Present, or give that period an end",
    ),
}
"""What each row rule (a ``dataframe_check`` above) means, in words: check name →
(column the failure is reported at, message, fix). An empty column is the model's
verified-value column, ``@dated`` its date or period column."""
