"""The shortcuts the checks take give the answers the rules give, cell by cell."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ukreport.arrowtext import by_value, distinct, edge_bytes, rows_with_control, take_rows
from ukreport.schemas.checks import _unsafe
from ukreport.schemas.rules import UNSAFE_TEXT
from ukreport.validation.table import TEXT

CELLS = st.text(
    alphabet=st.sampled_from(
        [
            *"ab =+-@\t\n\r\x00\x1f\x7f\u00a0\u2003é…«»\U0001f600",
            *"\u202e\u200b\xad\ufeff\u3164\U000e0041",
        ]
    ),
    max_size=8,
)


def chunked(cells: list[str], cut: int, large: bool) -> pa.ChunkedArray:
    """``cells`` in two chunks, the second a slice of a larger array (offset not 0)."""
    kind = pa.large_string() if large else pa.string()
    head = pa.array(cells[:cut], kind)
    tail = pa.array(["padding", *cells[cut:], "padding"], kind).slice(1, len(cells) - cut)
    return pa.chunked_array([head, tail], kind)


@settings(max_examples=300)
@given(st.lists(CELLS, max_size=12), st.integers(0, 12), st.booleans(), st.integers(0, 6))
def test_the_unsafe_text_shortcut_agrees_with_the_rule(
    cells: list[str], cut: int, large: bool, max_length: int
) -> None:
    values = chunked(cells, min(cut, len(cells)), large)
    rule = pc.or_(
        pc.match_substring_regex(values, UNSAFE_TEXT),
        pc.greater(pc.utf8_length(values), max_length),
    )
    expected = np.asarray(rule.to_numpy(zero_copy_only=False), bool)
    assert _unsafe(values, max_length).tolist() == expected.tolist()


@given(st.lists(CELLS, max_size=12), st.integers(0, 12), st.booleans())
def test_edges_and_control_characters_cell_by_cell(cells: list[str], cut: int, large: bool) -> None:
    values = chunked(cells, min(cut, len(cells)), large)
    first, last, length = edge_bytes(values)
    for i, cell in enumerate(cells):
        raw = cell.encode("utf-8")
        assert length[i] == len(raw)
        if raw:
            assert (first[i], last[i]) == (raw[0], raw[-1])
    control = [re.search(r"[\x00-\x1f\x7f]", cell) is not None for cell in cells]
    assert rows_with_control(values).tolist() == control
    rows = np.array([i for i in range(len(cells)) if i % 2 == 0], np.int64)
    assert take_rows(values, rows).to_pylist() == [cells[i] for i in rows]


@pytest.mark.parametrize("size", [3, 5_000, 200_000])
def test_a_rule_run_once_a_value_answers_for_every_row(size: int) -> None:
    rng = np.random.default_rng(size)
    words = np.array(["2014", "2014-02-30", "", "May 2020", "x", "2020-01-01"])
    series = pd.Series(words[rng.integers(0, len(words), size)], dtype=TEXT)

    def test(values: pa.ChunkedArray) -> np.ndarray[object, np.dtype[np.bool_]]:
        found = pc.match_substring_regex(values, r"^\d{4}$")
        return np.asarray(found.to_numpy(zero_copy_only=False), bool)

    expected = series.str.fullmatch(r"\d{4}").to_numpy(bool)
    assert by_value(series, test).tolist() == expected.tolist()
    if size > 1000:
        assert distinct(series) is not None  # the rule ran on six values


def test_a_column_of_distinct_values_is_not_hashed_twice() -> None:
    series = pd.Series([f"id-{i}" for i in range(10_000)], dtype=TEXT)
    assert distinct(series) is None
    repeated = pd.Series([f"id-{i % 10}" for i in range(10_000)], dtype=TEXT)
    found = distinct(repeated)
    assert found is not None and len(found.values) == 10
    assert distinct(repeated) is found  # kept while the column lives
