"""Rows that kept their content under a new id: a rename, not a removal and an addition.

A curator who corrects an event's date also corrects the date its id begins with; a
reviewer shown one row removed and another added has to compare them cell by cell to
see that nothing else moved. Of the rows removed from a table and the rows added to it,
two are paired as one row renamed when either

- every cell other than the id is the same (the columns one side lacks count as
  blank, as the diff counts them); rows of identical content pair in id order; or
- their ids are the same once the dates in them are left out (``2025-09-23-kellogg-
  meeting`` and ``2025-09-22-kellogg-meeting``; ``talks-october-2023`` and
  ``talks-2023``), no other removed or added row shares that rest of the id, and at
  least half the cells that either row fills are the same.

Similar content alone is never enough: two rounds of talks at one venue share most of
their cells (in the record, up to 11 of 14), and a rename claimed wrongly hides a
removal from the reviewer. The pairing is done a column at a time over the whole
table, so it costs about what the diff itself does.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from ukreport.dates import MONTHS
from ukreport.review.tables import Snapshot

Positions = np.ndarray[Any, np.dtype[np.int64]]

_DATE_WORD = re.compile(
    r"(?:^|-)(?:\d+|" + "|".join(m.lower() for m in MONTHS) + r")(?=-|$)", re.IGNORECASE
)
SIMILAR = 0.5
"""The share of filled cells two rows whose ids differ only in their dates must have
in common to count as one row."""


def id_stem(row_id: str) -> str:
    """``row_id`` without the numbers and month names among its ``-``-separated words."""
    return _DATE_WORD.sub("", row_id).strip("-")


def _cells(snapshot: Snapshot, columns: list[str], positions: Positions) -> pd.DataFrame:
    """The rows at ``positions`` as text, one column of ``columns`` each (blank where
    the side lacks it)."""
    data = {}
    for number, name in enumerate(columns):
        column = snapshot.column(name)
        values = [""] * len(positions) if column is None else column.iloc[positions].tolist()
        data[number] = values
    return pd.DataFrame(data, columns=range(len(columns)), dtype=object)


def _in_id_order(snapshot: Snapshot, positions: Positions) -> Positions:
    ids = snapshot.ids.iloc[positions].to_numpy(dtype=object)
    return positions[np.argsort(ids, kind="stable")]


def _same_content(
    base: pd.DataFrame, head: pd.DataFrame
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Row numbers (in ``base``, in ``head``) of rows with every cell the same; rows of
    identical content pair in their order."""
    b_hash = pd.util.hash_pandas_object(base, index=False).to_numpy()
    h_hash = pd.util.hash_pandas_object(head, index=False).to_numpy()
    left = pd.DataFrame({"hash": b_hash, "nth": pd.Series(b_hash).groupby(b_hash).cumcount()})
    right = pd.DataFrame({"hash": h_hash, "nth": pd.Series(h_hash).groupby(h_hash).cumcount()})
    left["row"], right["row"] = np.arange(len(left)), np.arange(len(right))
    pairs = left.merge(right, on=["hash", "nth"], suffixes=("_base", "_head"))
    b_rows, h_rows = pairs["row_base"].to_numpy(), pairs["row_head"].to_numpy()
    # A hash can collide: keep only the pairs whose cells really are the same.
    same = np.ones(len(pairs), dtype=bool)
    for column in base.columns:
        same &= base[column].to_numpy()[b_rows] == head[column].to_numpy()[h_rows]
    return b_rows[same], h_rows[same]


def _same_stem(
    base: pd.DataFrame, head: pd.DataFrame, b_ids: list[str], h_ids: list[str]
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Row numbers of rows whose ids differ only in their dates, each stem unique on both
    sides, with at least :data:`SIMILAR` of their filled cells the same."""
    b_stems = pd.Series([id_stem(i) for i in b_ids], dtype=object)
    h_stems = pd.Series([id_stem(i) for i in h_ids], dtype=object)
    left = pd.DataFrame({"stem": b_stems, "row": np.arange(len(b_ids))})
    right = pd.DataFrame({"stem": h_stems, "row": np.arange(len(h_ids))})
    left = left[(left["stem"] != "") & ~b_stems.duplicated(keep=False)]
    right = right[~h_stems.duplicated(keep=False)]
    pairs = left.merge(right, on="stem", suffixes=("_base", "_head"))
    b_rows, h_rows = pairs["row_base"].to_numpy(), pairs["row_head"].to_numpy()
    same = np.zeros(len(pairs))
    filled = np.zeros(len(pairs))
    for column in base.columns:
        before, after = base[column].to_numpy()[b_rows], head[column].to_numpy()[h_rows]
        used = (before != "") | (after != "")
        filled += used
        same += used & (before == after)
    keep = same >= SIMILAR * np.maximum(filled, 1)
    return b_rows[keep], h_rows[keep]


def find_renames(
    base: Snapshot, head: Snapshot, removed: Positions, added: Positions
) -> tuple[Positions, Positions]:
    """Of the ``removed`` rows (positions in ``base``) and the ``added`` ones (in
    ``head``), those that are one row under a new id: two arrays of positions, the
    base's and the head's, pair by pair, in the head's id order."""
    none = np.zeros(0, dtype=np.int64)
    if not len(removed) or not len(added):
        return none, none
    columns = [c for c in dict.fromkeys([*head.header, *base.header]) if c != head.id_column]
    removed, added = _in_id_order(base, removed), _in_id_order(head, added)
    b_cells, h_cells = _cells(base, columns, removed), _cells(head, columns, added)
    b_exact, h_exact = _same_content(b_cells, h_cells)
    b_left = np.setdiff1d(np.arange(len(removed)), b_exact)
    h_left = np.setdiff1d(np.arange(len(added)), h_exact)
    b_stem, h_stem = _same_stem(
        b_cells.iloc[b_left].reset_index(drop=True),
        h_cells.iloc[h_left].reset_index(drop=True),
        base.ids.iloc[removed[b_left]].tolist(),
        head.ids.iloc[added[h_left]].tolist(),
    )
    b_rows = np.concatenate([b_exact, b_left[b_stem]]).astype(np.int64)
    h_rows = np.concatenate([h_exact, h_left[h_stem]]).astype(np.int64)
    order = np.argsort(h_rows, kind="stable")  # head rows are in id order
    return removed[b_rows[order]], added[h_rows[order]]
