"""Reading, writing and editing CSV tables as lists of rows (row 0 is the header)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

Edit = Callable[[list[list[str]]], None]
"""A change to a table's rows, made in place."""


def read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")


def set_cell(row: int, column: str, value: str) -> Edit:
    """An edit that sets one cell (``row`` 1 is the first data row)."""

    def edit(rows: list[list[str]]) -> None:
        rows[row][rows[0].index(column)] = value

    return edit


def edit_table(path: Path, *edits: Edit) -> None:
    """Apply ``edits`` in order to the table at ``path`` and write it back."""
    rows = read_rows(path)
    for edit in edits:
        edit(rows)
    write_rows(path, rows)
