"""Text columns as Arrow arrays, and what every check on a column can share.

A column is checked by several rules — a date column by its pattern, by whether the day
exists, and by the row rule comparing it with the day its source was read — and each
rule would otherwise look at every cell again. Two things make a million rows cheap:

* a column that repeats its values (dates, addresses, codes) is reduced once to its
  distinct values, kept while the column lives, so each rule runs on a few thousand
  values and spreads its answer back to the rows (:func:`by_value`);
* a rule that can only fail on a cell holding certain bytes first finds the rows that
  hold them, scanning the column's Arrow buffers with NumPy, and runs on those rows
  alone (:func:`edge_bytes`, :func:`rows_with_control`).

Both only decide where a rule runs: the rule itself, and what it answers, are the same.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "Distinct",
    "arrow_strings",
    "by_value",
    "distinct",
    "edge_bytes",
    "rows_with_bytes",
    "rows_with_control",
    "take_rows",
]

_SAMPLE = 1 << 16
"""Rows looked at to guess whether a column repeats its values."""

Values = np.ndarray[Any, Any]


def arrow_strings(values: pd.Series) -> pa.ChunkedArray:
    """The column as an Arrow string array (no copy for Arrow-backed text), blanks for nulls."""
    if isinstance(values.array, pd.arrays.ArrowStringArray):
        arrow = values.array.__arrow_array__()
        chunked = arrow if isinstance(arrow, pa.ChunkedArray) else pa.chunked_array([arrow])
        if chunked.null_count:
            chunked = pc.fill_null(chunked, "")
        return chunked.cast(pa.string())
    return pa.chunked_array([pa.array(values.to_numpy(dtype=object, na_value=""), pa.string())])


@dataclass(frozen=True)
class Distinct:
    """A column as its distinct values and, for each row, the position of its value."""

    values: pa.ChunkedArray
    codes: Values


_CACHE: dict[int, Distinct | None] = {}


def _source(series: pd.Series) -> pa.ChunkedArray | None:
    """The Arrow array behind an Arrow-backed text column (the cache's key)."""
    if isinstance(series.array, pd.arrays.ArrowStringArray):
        arrow = series.array.__arrow_array__()
        if isinstance(arrow, pa.ChunkedArray):
            return arrow
    return None


def _encode(values: pa.ChunkedArray) -> Distinct | None:
    sample = values.slice(0, _SAMPLE)
    if len(sample) == 0 or pc.count_distinct(sample).as_py() * 2 > len(sample):
        return None  # nearly every value differs: hashing them would cost more than it saves
    encoded = pc.dictionary_encode(values)
    if encoded.num_chunks == 0:
        return None
    codes = np.concatenate([chunk.indices.to_numpy() for chunk in encoded.chunks])
    return Distinct(pa.chunked_array([encoded.chunks[0].dictionary]), codes)


def distinct(series: pd.Series) -> Distinct | None:
    """The column's distinct values, or ``None`` when it hardly repeats any.

    Worked out once for an Arrow-backed column and kept until the column is freed, so
    every rule on the column shares one pass over it.
    """
    source = _source(series)
    if source is None:
        return _encode(arrow_strings(series))
    key = id(source)
    if key not in _CACHE:
        _CACHE[key] = _encode(arrow_strings(series))
        weakref.finalize(source, _CACHE.pop, key, None)
    return _CACHE[key]


def by_value(series: pd.Series, test: Callable[[pa.ChunkedArray], Values]) -> Values:
    """``test`` (text → one result a value, along the first axis) for every row of
    ``series``, run once for each distinct value when the column repeats its values."""
    found = distinct(series)
    if found is None:
        return test(arrow_strings(series))
    return test(found.values)[found.codes]


def _parts(chunk: pa.Array) -> tuple[Values, Values]:
    """A string chunk's offsets and the bytes they point into (views, not copies)."""
    width = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
    buffers = chunk.buffers()
    offsets = np.frombuffer(buffers[1], width)[chunk.offset : chunk.offset + len(chunk) + 1]
    if buffers[2] is None or not buffers[2].size:
        return offsets, np.zeros(1, np.uint8)
    return offsets, np.frombuffer(buffers[2], np.uint8)


def edge_bytes(values: pa.ChunkedArray) -> tuple[Values, Values, Values]:
    """First byte, last byte and length in bytes of each cell (the bytes of a blank cell
    are meaningless: check its length)."""
    firsts, lasts, lengths = [], [], []
    for chunk in values.chunks:
        offsets, data = _parts(chunk)
        # Only a blank cell's offsets can fall outside the bytes; wrapping them around is
        # the cheapest of numpy's ways to stay inside.
        firsts.append(np.take(data, offsets[:-1], mode="wrap"))
        lasts.append(np.take(data, offsets[1:] - 1, mode="wrap"))
        lengths.append(np.diff(offsets))
    if not firsts:
        return np.empty(0, np.uint8), np.empty(0, np.uint8), np.empty(0, np.int64)
    return np.concatenate(firsts), np.concatenate(lasts), np.concatenate(lengths)


def rows_with_control(values: pa.ChunkedArray) -> Values:
    """Whether each cell holds a control character (U+0000–U+001F or U+007F).

    In UTF-8 these are single bytes that no other character contains, so one pass over
    the column's bytes answers for every cell; only a column holding one is searched
    cell by cell.
    """
    found = []
    for chunk in values.chunks:
        offsets, data = _parts(chunk)
        hit = np.zeros(len(chunk), bool)
        begin, end = (int(offsets[0]), int(offsets[-1])) if len(offsets) else (0, 0)
        text = data[begin:end]
        if text.size and (text.min() < 0x20 or _holds(text, 0x7F)):
            positions = np.flatnonzero((text < 0x20) | (text == 0x7F)) + begin
            hit[np.searchsorted(offsets, positions, side="right") - 1] = True
        found.append(hit)
    return np.concatenate(found) if found else np.zeros(0, bool)


def rows_with_bytes(values: pa.ChunkedArray, table: Values, block: int = 1 << 20) -> Values:
    """Whether each cell holds a byte that ``table`` (256 booleans) marks.

    For the lead bytes of rare characters outside ASCII: a block of the column's bytes
    below the lowest byte marked (all ASCII, the common case) is passed over with one
    comparison, and in the others only the bytes from it up are looked up.
    """
    lowest = int(np.flatnonzero(table)[0]) if table.any() else 256
    found = []
    for chunk in values.chunks:
        offsets, data = _parts(chunk)
        hit = np.zeros(len(chunk), bool)
        begin, end = (int(offsets[0]), int(offsets[-1])) if len(offsets) else (0, 0)
        for start in range(begin, end, block):
            part = data[start : min(start + block, end)]
            if int(part.max()) < lowest:
                continue
            high = np.flatnonzero(part >= lowest)
            positions = high[table[part[high]]] + start
            if positions.size:
                hit[np.searchsorted(offsets, positions, side="right") - 1] = True
        found.append(hit)
    return np.concatenate(found) if found else np.zeros(0, bool)


def _holds(data: Values, byte: int, block: int = 1 << 20) -> bool:
    """Whether ``data`` holds ``byte``, compared a block at a time so the comparison's
    result stays small (a column-sized one would be fresh memory for every column)."""
    return any(bool((data[i : i + block] == byte).any()) for i in range(0, len(data), block))


def take_rows(values: pa.ChunkedArray, rows: Values) -> pa.ChunkedArray:
    """The cells at ``rows`` (ascending), taken chunk by chunk: a take across chunks
    would first copy the whole column into one."""
    bounds = np.cumsum([0] + [len(chunk) for chunk in values.chunks])
    which = np.searchsorted(bounds, rows, side="right") - 1
    pieces = [
        values.chunk(int(i)).take(pa.array(rows[which == i] - bounds[i])) for i in np.unique(which)
    ]
    return pa.chunked_array(pieces, type=values.type)
