"""Shared fixtures: a copy of the small valid tables, and helpers to break them."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

pytest_plugins = ["gitrepo"]  # the `template` and `repo` git fixtures

DATA = Path(__file__).parent / "data"
VALID = DATA / "valid"
ROOT = Path(__file__).parents[1]


@pytest.fixture
def raw_dir(tmp_path: Path) -> Path:
    """A writable copy of ``tests/data/valid`` (three small, valid raw tables)."""
    target = tmp_path / "raw"
    shutil.copytree(VALID, target)
    return target


def read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")


Edit = Callable[[list[list[str]]], None]


def set_cell(row: int, column: str, value: str) -> Edit:
    """An edit that sets one cell (``row`` 1 is the first data row)."""

    def edit(rows: list[list[str]]) -> None:
        rows[row][rows[0].index(column)] = value

    return edit


def edit_table(path: Path, *edits: Edit) -> None:
    rows = read_rows(path)
    for edit in edits:
        edit(rows)
    write_rows(path, rows)
