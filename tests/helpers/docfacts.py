"""What the documentation may say about the data, computed from the data.

Every number the documents quote about the data (rows, cited pages, dated pages, the day
the sources were last read, the files a build step writes) is one of these facts, and
``tests/test_docs.py`` finds each quoted phrase and compares it with the fact, so a
count in prose is never typed apart from what it counts.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import ukreport
from helpers.paths import ROOT
from ukreport import schemas
from ukreport.pipeline import graph

NUMBER_WORDS = (
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
    *("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"),
    *("eighteen", "nineteen", "twenty"),
)


def number(text: str) -> int:
    """``"4"``, ``"1,188"`` or ``"four"`` (any case) as an int."""
    word = text.lower()
    if word in NUMBER_WORDS:
        return NUMBER_WORDS.index(word)
    return int(text.replace(",", ""))


def day(text: str) -> dt.date:
    """``"2026-11-26"`` or ``"9 May 2026"`` as a date."""
    for form in ("%Y-%m-%d", "%d %B %Y"):
        try:
            return dt.datetime.strptime(text, form).date()
        except ValueError:
            pass
    raise ValueError(f"not a date: {text!r}")


def raw_rows(table: str) -> list[dict[str, str]]:
    """``data/raw/<table>.csv`` as written, every cell text."""
    with (ROOT / "data" / "raw" / f"{table}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@dataclass(frozen=True)
class Facts:
    rows: dict[str, int]
    """Table → rows published."""
    pages: frozenset[str]
    """Every page the raw record cites (``source_url`` and ``verified_source_url``)."""
    dated: frozenset[str]
    """The cited pages with a ``source_published`` in some row."""
    last_read: dt.date
    """The last day a source was read (``accessed``)."""
    coverage_start: dt.date
    anchors: int
    """Events dated before the coverage window: anchors, not part of the sweep."""
    anchor_years: tuple[int, int]
    years: tuple[int, int]
    """The first and last year of any event."""
    last_event: dt.date
    """The last event on record (the essay's disputed rows left out)."""
    outputs: dict[str, int]
    """Build step → the files it writes, as the build graph declares them."""

    @property
    def undated(self) -> frozenset[str]:
        return self.pages - self.dated


@cache
def facts() -> Facts:
    """The facts, read once from ``data/raw``, the published tables and the build graph."""
    sourced = {table: raw_rows(table) for table in schemas.SOURCED_TABLES}
    pages = {
        row[column]
        for rows in sourced.values()
        for row in rows
        for column in ("source_url", "verified_source_url")
        if row.get(column)
    }
    dated = {
        row["source_url"] for rows in sourced.values() for row in rows if row["source_published"]
    }
    events = ukreport.load_events()
    start = dt.date.fromisoformat(schemas.COVERAGE_START)
    before = events[events["date_start"] < start.isoformat()]
    on_record = ukreport.load_events(on_record_only=True)
    return Facts(
        rows={table: len(ukreport.load(table)) for table in schemas.TABLES},
        pages=frozenset(pages),
        dated=frozenset(dated),
        last_read=max(dt.date.fromisoformat(r["accessed"]) for v in sourced.values() for r in v),
        coverage_start=start,
        anchors=len(before),
        anchor_years=(before["date_start"].min().year, before["date_start"].max().year),
        years=(events["date_start"].min().year, events["date_start"].max().year),
        last_event=on_record["date_start"].max().date(),
        outputs={step.name: len(step.outputs) for step in graph.steps(ROOT)},
    )


def documents() -> list[Path]:
    """The documents whose numbers about the data are checked."""
    return [
        ROOT / "README.md",
        ROOT / "CITATION.cff",
        ROOT / "data" / "raw" / "README.md",
        *sorted((ROOT / "docs").glob("*.md")),
    ]
