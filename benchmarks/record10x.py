"""A synthetic record ten times the real one, to measure how the build scales.

``python benchmarks/record10x.py OUT [--factor 10]`` writes ``OUT/events.csv`` with the
real events followed by synthetic ones, ``factor`` times as many rows in all (5,150 for
today's 515), and copies the real ``initiatives.csv``, ``cooperation.csv`` and
``claims.csv`` beside it, so the folder validates as a whole.

The synthetic rows are what a record grown over the years would add: dated within the
coverage window (2014 to the last real event), each citing a page of its own (the real
row's address with a distinct query, so the bibliography grows with the rows), none of
them cited by the essay or deciding a claim. The essay's tables, corrections and evidence
therefore stay the same, and whatever of the build grows with this record grows with the
record alone.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from generate import write_folder

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
SEED = 10


def synthetic_record(factor: int = 10, seed: int = SEED) -> pd.DataFrame:
    """The real events and ``factor - 1`` times as many synthetic ones after them."""
    real = pd.read_csv(RAW / "events.csv", dtype=str, keep_default_na=False)
    rows = len(real) * (factor - 1)
    rng = np.random.default_rng(seed)
    recent = real[real["date"].str.match(r"^20(1[4-9]|2\d)-\d\d-\d\d$")]
    last = pd.Timestamp(recent["date"].max())
    start = pd.Timestamp("2014-01-01")
    span = (last - start).days + 1
    days = start + pd.to_timedelta(np.sort(rng.integers(0, span, rows)), "D")
    form = rng.integers(0, 20, rows)
    dates = np.where(form < 18, days.strftime("%Y-%m-%d"), days.strftime("%B %Y"))
    frame = recent.iloc[rng.integers(0, len(recent), rows)].reset_index(drop=True)
    frame["event_id"] = [f"synthetic-{day:%Y-%m-%d}-{i:05d}" for i, day in enumerate(days)]
    frame["date"] = dates
    frame["description"] = [
        f"{text} (synthetic row {i})" for i, text in enumerate(frame["description"])
    ]
    frame["source_url"] = [
        f"{url}{'&' if '?' in url else '?'}synthetic-row={i}"
        for i, url in enumerate(frame["source_url"].str.split("#").str[0])
    ]
    frame["essay_cited"] = "false"
    # A synthetic row decides no claim: it is verified, with no value to correct.
    frame["verification"] = "verified"
    frame[["verified_date", "verified_source_url"]] = ""
    return pd.concat([real, frame], ignore_index=True)


def write(out: Path, factor: int = 10) -> Path:
    """Write the folder ``out`` (a raw-data folder for a copy of the repository)."""
    return write_folder(out, synthetic_record(factor))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--factor", type=int, default=10)
    args = parser.parse_args()
    print(write(args.out, args.factor))


if __name__ == "__main__":
    main()
