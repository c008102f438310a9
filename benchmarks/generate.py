"""Synthetic raw tables for the benchmarks: valid, realistic, as large as asked.

``python benchmarks/generate.py 1000000 OUT`` writes ``OUT/events.csv`` with that many
rows (drawn from the real rows' vocabulary: dates in every stated form, real actors,
types and sources) after the real rows themselves, and copies the real
``initiatives.csv``, ``cooperation.csv`` and ``claims.csv`` beside it so the folder
validates as a whole (the claims' evidence names real events).

``--all-bad`` writes the same rows with every one of them wrong three times over: its
date is a day that does not exist, its address lacks the scheme, and its id repeats the
row before's (so every second row is a duplicate) — ``all_bad_failures(rows)`` failures.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"


def _shorten(text: str, limit: int = 80) -> str:
    """Cut long prose at a word boundary, so rows are the size of a typical events table."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:")


def synthetic_events(rows: int, seed: int = 0) -> pd.DataFrame:
    """``rows`` valid events, built column by column from the real table's values."""
    rng = np.random.default_rng(seed)
    real = pd.read_csv(RAW / "events.csv", dtype=str, keep_default_na=False)
    days = pd.Timestamp("1994-01-01") + pd.to_timedelta(rng.integers(0, 11_680, rows), "D")
    form = rng.integers(0, 10, rows)
    dates = np.where(
        form < 8,
        days.strftime("%Y-%m-%d"),
        np.where(form == 8, days.strftime("%B %Y"), days.strftime("%Y")),
    )
    pick = rng.integers(0, len(real), rows)
    frame = real.iloc[pick].reset_index(drop=True)
    for column in ("description", "verification_note", "source_title"):
        frame[column] = frame[column].map(_shorten)
    frame["event_id"] = [f"synthetic-{i:08d}" for i in range(rows)]
    # Free text is unique per row in a real table; repeating it would flatter any
    # validator that caches by value.
    frame["description"] = [f"{text} (row {i})" for i, text in enumerate(frame["description"])]
    frame["date"] = dates
    # A real table of this size cites about one page per row; drawing the sources from
    # the real rows would repeat date, type, actors, participants and page, which
    # validation refuses as one event recorded twice.
    frame["source_url"] = [
        f"{url}{'&' if '?' in url else '?'}row={i}" for i, url in enumerate(frame["source_url"])
    ]
    # Keep the disputed rows' verified values consistent; clear the rest.
    frame.loc[frame["verification"] != "disputed", ["verified_date", "verified_source_url"]] = ""
    return pd.concat([real, frame.iloc[: max(rows - len(real), 0)]], ignore_index=True)


def all_bad_events(rows: int) -> pd.DataFrame:
    """The synthetic events with every row wrong: an impossible day, an address without
    its scheme, and an id shared with the row before or after."""
    frame = synthetic_events(rows)
    years = 1995 + np.arange(len(frame)) % 30
    frame["date"] = [f"{year}-02-30" for year in years]
    frame["source_url"] = frame["source_url"].str.replace(r"^https?://", "", regex=True)
    frame["event_id"] = [f"synthetic-{i // 2:08d}" for i in range(len(frame))]
    return frame


def all_bad_failures(rows: int) -> int:
    """How many failures ``ukreport validate`` reports for ``all_bad_events(rows)``."""
    return 2 * rows + rows // 2


def write(rows: int, out: Path, *, all_bad: bool = False) -> Path:
    """Write the synthetic folder (reusing it when it is already there)."""
    events = out / "events.csv"
    if events.exists():
        return write_folder(out, None)
    return write_folder(out, all_bad_events(rows) if all_bad else synthetic_events(rows))


def write_folder(out: Path, events: pd.DataFrame | None) -> Path:
    """A raw-data folder ``out``: ``events`` (kept as it is when ``None``) beside the real
    initiatives, cooperation and claims tables."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / "events.csv"
    if events is not None:
        tmp = out / "events.csv.tmp"
        events.to_csv(tmp, index=False, lineterminator="\n")
        tmp.replace(path)
    for name in ("initiatives.csv", "cooperation.csv", "claims.csv"):
        shutil.copy(RAW / name, out / name)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("rows", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--all-bad", action="store_true", help="make every row wrong")
    args = parser.parse_args()
    print(write(args.rows, args.out, all_bad=args.all_bad))


if __name__ == "__main__":
    main()
