"""One event recorded twice under two ids: the same date, type, actors, participants
and source.

The id check cannot see it (the ids differ), and the record would count the event
twice in every figure and table. Said on the later line, naming the earlier one.
"""

from __future__ import annotations

from ukreport.display import show
from ukreport.validation.report import Failure
from ukreport.validation.table import Table

__all__ = ["SAME_EVENT", "duplicate_events"]

SAME_EVENT = ("date", "event_type", "actors", "participants", "source_url")
"""The columns that, all equal, make two rows one event: two meetings on one day
reported by one page (Biden and Harris each receiving Zelenskyy) differ in participants."""


def duplicate_events(tab: Table, file: str, id_column: str = "event_id") -> list[Failure]:
    """A failure for each row that repeats an earlier row's event under another id."""
    frame = tab.frame
    if not all(column in frame for column in (*SAME_EVENT, id_column)):
        return []
    keys = frame[list(SAME_EVENT)]
    repeated = keys[keys.duplicated(keep=False)]
    if repeated.empty:
        return []
    where = tab.header.index(id_column) + 1
    first: dict[tuple[str, ...], int] = {}
    failures = []
    for index, row in zip(repeated.index, repeated.itertuples(index=False), strict=True):
        key = tuple(row)
        if key not in first:
            first[key] = int(index)
            continue
        earlier = tab.line_of(first[key])
        failures.append(
            Failure(
                file,
                tab.line_of(int(index)),
                where,
                id_column,
                "same_event",
                f"the same event as line {earlier} ({show(frame.at[first[key], id_column])}): "
                "same date, event type, actors, participants and source, under another id",
                show(frame.at[index, id_column]),
                f"delete one of lines {earlier} and {tab.line_of(int(index))}, or correct what "
                "tells them apart",
            )
        )
    return failures
