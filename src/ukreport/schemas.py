"""The pandera models: the single source of truth for every column, type and rule.

Raw models describe ``data/raw/*.csv`` exactly as curated (every cell text, dates as
their source states them); processed models describe ``data/processed/`` (typed dates
with a precision, booleans, lists). ``frictionless.py`` exports both as Table Schemas,
``validate.py`` and ``process.py`` apply them, and the report's codebook is drawn from
the descriptions here.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from ukreport import checks as _checks  # registers the custom checks
from ukreport.checks import PATTERN_HINTS
from ukreport.dates import (
    DATE_PATTERN,
    PERIOD_PATTERN,
    PRECISIONS,
    PRESENT,
    parse_dates,
    period_starts,
)
from ukreport.sources import denied_hosts

del _checks

MIN_DATE = "1991-01-01"
MAX_DATE = "2030-12-31"
"""Dates outside these bounds are typing mistakes: the dataset covers the years since
the Soviet Union dissolved."""

COVERAGE_START = "2014-01-01"
"""The first day of the window the events table covers completely (see the coverage
protocol in ``data/raw/README.md``); earlier rows are anchors, not a sweep."""

ID_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"
URL_PATTERN = r"https?://[^\s/$.?#][^\s]*"
ISO_DAY_PATTERN = r"\d{4}-\d{2}-\d{2}"
PATTERN_HINTS[ID_PATTERN] = (
    "is not a lower-case slug",
    "use lower-case letters, digits and single hyphens, e.g. 2025-02-12-trump-putin-call",
)
PATTERN_HINTS[URL_PATTERN] = ("is not a web address", "give the full address, starting https://")
PATTERN_HINTS[ISO_DAY_PATTERN] = ("is not a day written YYYY-MM-DD", "write it as e.g. 2026-11-25")

VERIFICATION = ["verified", "disputed", "unverified"]
BOOLEAN = ["true", "false"]
EVENT_TYPES = [
    "call",
    "meeting",
    "summit",
    "talks",
    "statement",
    "agreement",
    "resolution",
    "military",
    "exchange",
    "act",
]
"""call, meeting, summit, talks (a round of formal negotiations), statement, agreement
(signed, extended or entering into force), resolution (a UN vote), military (the
full-scale invasion), exchange (of prisoners), act (a unilateral act: annexation,
recognition, suspension, withdrawal, a treaty's expiry)."""
SOURCE_KINDS = ["primary", "news", "reference"]
"""primary: a government, parliament, intergovernmental body or treaty text; news: a
wire service or established newsroom; reference: Wikipedia itself."""
VERDICTS = ["supported", "partly supported", "disputed", "unverified"]
"""How the record answers one of the essay's claims."""
INITIATIVE_TYPES = ["agreement", "format", "mission", "talks", "treaty", "deal", "memorandum"]
INITIATIVE_STATUS = ["ongoing", "ended", "suspended"]
ESSAY_CONTEXT = ["table", "text"]
MAIN_ACTORS = ["US", "RU", "UA"]
ACTORS = [
    *MAIN_ACTORS,
    "AE",
    "BY",
    "CA",
    "CH",
    "CN",
    "DE",
    "DK",
    "EU",
    "FI",
    "FR",
    "GB",
    "IT",
    "JP",
    "KZ",
    "NL",
    "NO",
    "PL",
    "QA",
    "SA",
    "SI",
    "TR",
    "UN",
    "VA",
    "OSCE",
    "NATO",
    "DPR",
    "LPR",
]
"""ISO 3166 alpha-2 codes for states; short names for organisations and the
non-state parties to the Minsk agreements."""

SHORT = 200
LONG = 2000


def _text(
    description: str, *, required: bool = True, max_length: int = SHORT, **checks: Any
) -> Any:
    """A text column: trimmed, no formula prefix, bounded length, optionally required."""
    extra: dict[str, Any] = {"str_length": {"min_value": 1}} if required else {}
    return pa.Field(
        description=description,
        clean_text={"max_length": max_length},
        metadata={"required": required},
        **extra,
        **checks,
    )


def _id(description: str) -> Any:
    return _text(description, unique=True, max_length=64, matches={"pattern": ID_PATTERN})


def _date(description: str, *, required: bool = True) -> Any:
    return _text(
        description,
        required=required,
        max_length=20,
        stated_date={"min_date": MIN_DATE, "max_date": MAX_DATE},
        matches={"pattern": DATE_PATTERN},
    )


def _period(description: str, *, required: bool = True) -> Any:
    return _text(
        description,
        required=required,
        max_length=40,
        stated_period={"min_date": MIN_DATE, "max_date": MAX_DATE},
        matches={"pattern": PERIOD_PATTERN},
    )


def _enum(description: str, values: list[str]) -> Any:
    return _text(description, isin=values)


def _url(description: str, *, required: bool = True) -> Any:
    return _text(
        description,
        required=required,
        max_length=LONG,
        matches={"pattern": URL_PATTERN},
        allowed_host={"denied": denied_hosts()},
    )


VERIFIED_COLUMNS = {"RawEvents": "verified_date", "RawInitiatives": "verified_period"}
"""The column holding the value the record supports, for each disputable raw model."""
DATED_COLUMNS = {"RawEvents": "date", "RawInitiatives": "period", "RawCooperation": "date"}
"""The column holding each sourced raw model's date or period."""


class _RawSourced(pa.DataFrameModel):
    """Columns every raw table shares: where the row comes from and how sure it is."""

    source_url: Series[str] = _url("Address of the page the row was read from.")
    source_title: Series[str] = _text("Title of that page.", max_length=400)
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
        start = period_starts(df[DATED_COLUMNS[cls.__name__]])
        accessed = parse_dates(df["accessed"])["start"]
        ok: pd.Series = (start <= accessed) | start.isna() | accessed.isna()
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
        return (df[VERIFIED_COLUMNS[cls.__name__]].str.len() == 0) | (
            df["verification"] == "disputed"
        )

    @pa.dataframe_check(name="verified_source_required")
    @classmethod
    def verified_source_required(cls, df: pd.DataFrame) -> pd.Series:
        """A verified value and its source come together."""
        has_value = df[VERIFIED_COLUMNS[cls.__name__]].str.len() > 0
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


CLAIM_LIST_PATTERN = rf"{ID_PATTERN}(?:; {ID_PATTERN})*"
PATTERN_HINTS[CLAIM_LIST_PATTERN] = (
    "is not a list of ids",
    "give row ids separated by '; ', e.g. 2014-09-05-minsk-protocol; minsk-agreements",
)


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
        "standing confirms or refutes it.",
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


# --- processed -------------------------------------------------------------------------


class _Processed(pa.DataFrameModel):
    """Columns every processed table shares."""

    source_url: Series[str] = pa.Field(description="Address of the page the row was read from.")
    source_title: Series[str] = pa.Field(description="Title of that page.")
    source_kind: Series[str] = pa.Field(
        isin=SOURCE_KINDS, description="primary, news or reference: what kind of source."
    )
    accessed: Series[pa.DateTime] = pa.Field(description="Day the page was read.")
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

    date_start: Series[pa.DateTime] = pa.Field(description="Earliest day the date can mean.")
    date_end: Series[pa.DateTime] = pa.Field(
        nullable=True, description="Latest day the date can mean; empty while ongoing."
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
    ongoing: Series[bool] = pa.Field(description="The stated period runs to the present.")
    actors: Series[object] = pa.Field(description="States and organisations (a list of codes).")
    outcome: Series[str] = pa.Field(description="What it achieved.")
    essay_cited: Series[bool] = pa.Field(description="A row of the essay's table.")
    verified_period: Series[str] = pa.Field(
        nullable=True, description="For a disputed row: the period the record supports."
    )
    verified_date_start: Series[pa.DateTime] = pa.Field(
        nullable=True, description="Start of the verified period."
    )
    verified_date_end: Series[pa.DateTime] = pa.Field(
        nullable=True, description="End of the verified period."
    )
    verified_source_url: Series[str] = pa.Field(
        nullable=True, description="Source of the verified period."
    )


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
    date_start: Series[pa.DateTime] = pa.Field(
        nullable=True, description="Earliest day the claimed date can mean."
    )
    date_end: Series[pa.DateTime] = pa.Field(
        nullable=True, description="Latest day the claimed date can mean."
    )
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


RAW_MODELS: dict[str, type[pa.DataFrameModel]] = {
    "events": RawEvents,
    "initiatives": RawInitiatives,
    "cooperation": RawCooperation,
    "claims": RawClaims,
}
PROCESSED_MODELS: dict[str, type[pa.DataFrameModel]] = {
    "events": Events,
    "initiatives": Initiatives,
    "cooperation": Cooperation,
    "claims": Claims,
}
TABLES = tuple(RAW_MODELS)
SOURCED_TABLES = ("events", "initiatives", "cooperation")
"""The tables of the record: each row cites the page it was read from."""
ID_COLUMNS = {
    "events": "event_id",
    "initiatives": "initiative_id",
    "cooperation": "cooperation_id",
    "claims": "claim_id",
}
LIST_COLUMNS: dict[str, tuple[str, ...]] = {
    "events": ("participants", "actors"),
    "initiatives": ("actors",),
    "cooperation": (),
    "claims": ("evidence",),
}
FOREIGN_KEYS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "events": [("initiative_id", ("initiatives",))],
    "claims": [("essay_row", SOURCED_TABLES), ("evidence", SOURCED_TABLES)],
}
"""(column, tables): each non-blank value (each item, for a list column) must be the id
of a row in one of the tables."""


def column_order(model: type[pa.DataFrameModel]) -> list[str]:
    """Columns in file order: the table's own first (date bounds right after the stated
    date), then the shared source columns, then the verified values and their source."""
    columns = list(model.to_schema().columns)
    own = [c for c in model.__annotations__ if c in columns]
    dated = [c for c in ("date_start", "date_end", "date_precision") if c in columns]
    verified = [c for c in own if c.startswith("verified_")]
    if "verified_source_url" in columns and "verified_source_url" not in verified:
        verified.append("verified_source_url")
    order: list[str] = []
    for column in own:
        if column not in verified:
            order.append(column)
        if column in ("date", "period"):
            order.extend(dated)
    shared = [c for c in columns if c not in order and c not in verified and c not in dated]
    order += shared + [c for c in verified if c != "verified_source_url"]
    order += [c for c in verified if c == "verified_source_url"]
    return order


def raw_schema(table: str) -> pa.DataFrameSchema:
    """The raw model of ``table`` as a schema with its columns in file order."""
    model = RAW_MODELS[table]
    return model.to_schema().select_columns(column_order(model))


def processed_schema(table: str) -> pa.DataFrameSchema:
    """The processed model of ``table`` as a schema with its columns in file order."""
    model = PROCESSED_MODELS[table]
    return model.to_schema().select_columns(column_order(model))


def raw_columns(table: str) -> list[str]:
    """Column names of a raw table, in file order."""
    return column_order(RAW_MODELS[table])
