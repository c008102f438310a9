"""What the figures draw, derived from the tables: actors, counts and claim verdicts.

A figure and its alt text count from the same functions, so the words always say
what the picture shows.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ukreport.schemas import MAIN_ACTORS


def main_actors(actors: Any) -> list[str]:
    """The main actors (US, RU, UA) among a row's actor codes, in that order."""
    codes = set() if actors is None or isinstance(actors, float) else set(actors)
    return [code for code in MAIN_ACTORS if code in codes]


def undisputed(events: pd.DataFrame) -> pd.DataFrame:
    """The rows the record does not contradict (all of them without a verification)."""
    if "verification" not in events:
        return events
    kept: pd.DataFrame = events[events["verification"] != "disputed"]
    return kept


def counts_per_year(events: pd.DataFrame) -> pd.DataFrame:
    """Events per year (columns US, RU, UA and all), every year in range, disputed left out."""
    if events.empty:
        return pd.DataFrame(columns=[*MAIN_ACTORS, "all"])
    kept = undisputed(events)
    if kept.empty:
        return pd.DataFrame(columns=[*MAIN_ACTORS, "all"])
    year = [int(y) for y in kept["date_start"].dt.year]
    years = range(min(year), max(year) + 1)
    counts: dict[str, list[int]] = {column: [0] * len(years) for column in [*MAIN_ACTORS, "all"]}
    for y, actors in zip(year, kept["actors"], strict=True):
        counts["all"][y - years.start] += 1
        for actor in main_actors(actors):
            counts[actor][y - years.start] += 1
    return pd.DataFrame(counts, index=pd.Index(years, name="year"))


def with_verdicts(events: pd.DataFrame, claims: pd.DataFrame | None) -> pd.DataFrame:
    """The events, with each essay row drawn as its claim's verdict says (disputed,
    unverified, else as a verified row), so the timeline's marks come from the claims,
    and a column ``decides``: whether the row is evidence for a claim or a claim's own
    row (the events the timeline draws one by one)."""
    if claims is None or claims.empty or "essay_cited" not in events:
        return events
    verdicts = dict(zip(claims["essay_row"], claims["verdict"], strict=True))
    out = events.copy()
    drawn = {"disputed": "disputed", "unverified": "unverified"}
    for index, row in out[out["essay_cited"]].iterrows():
        verdict = verdicts.get(row["event_id"])
        if verdict is not None:
            out.at[index, "verification"] = drawn.get(verdict, "verified")
    deciding = {str(i) for i in claims["essay_row"].dropna()}
    if "evidence" in claims:
        deciding |= {str(i) for ids in claims["evidence"] for i in ids}
    out["decides"] = out["event_id"].isin(deciding)
    return out


def deciding(events: pd.DataFrame) -> pd.DataFrame:
    """The events that decide the essay's claims (``decides``; without that column, the
    essay's own rows), and every row the record disputes."""
    if "decides" in events:
        chosen = events["decides"].astype(bool)
    elif "essay_cited" in events:
        chosen = events["essay_cited"].astype(bool)
    else:
        chosen = pd.Series(False, index=events.index)
    if "verification" in events:
        chosen = chosen | (events["verification"] == "disputed")
    out: pd.DataFrame = events[chosen]
    return out
