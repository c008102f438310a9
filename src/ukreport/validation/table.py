"""A CSV file read as text cells (:class:`Table`), and why one cannot be (:class:`Problem`).

What both of the reader's paths (:mod:`.reading`, :mod:`.careful`) return, and what
the validation cases (:mod:`.cases`) locate failures in: a row's line in the file is
found only when a message needs it.
"""

from __future__ import annotations

import csv
import io
import mmap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ukreport.errors import located

__all__ = ["MAX_TABLE_BYTES", "TEXT", "Data", "Problem", "Table", "newlines"]

Data = bytes | mmap.mmap
"""A file's bytes: read from git, or mapped from disk (:func:`read_table`)."""

TEXT = pd.StringDtype("pyarrow", na_value=np.nan)
"""Text cells as Arrow strings: what the Arrow compute checks read without copying."""
MAX_TABLE_BYTES = 1 << 30
"""The largest table read (1 GiB, twice a million-row events table): checked against the
file's size before a byte is read, so a runaway file cannot fill the memory."""


@dataclass(frozen=True)
class Problem:
    """Why a file is not a readable CSV table, at a line and column."""

    line: int
    column: int
    message: str
    fix: str
    value: str | None = None

    def at(self, file: str) -> str:
        """``file:line:column: message (value) — fix``, as ``ukreport validate`` says it."""
        return located(file, self.line, self.column, self.message, self.value, self.fix)


@dataclass
class Table:
    """A CSV file read as text: its header, its rows and where each row starts."""

    path: Path
    header: list[str]
    frame: pd.DataFrame
    row_lines: list[int] | None = None
    """Line on which each row starts, when rows are not simply one a line."""
    problems: list[Problem] = field(default_factory=list)
    source: Data | None = field(default=None, repr=False)
    """The file's bytes, kept by the fast path to find line numbers only when needed."""
    _lines: np.ndarray[Any, np.dtype[np.int64]] | None = field(default=None, repr=False, init=False)

    def line_of(self, row: int) -> int:
        """The line in the file where row ``row`` (0-based, after the header) starts."""
        return int(self.lines_of(np.array([row], np.int64))[0])

    def lines_of(self, rows: np.ndarray[Any, np.dtype[np.int64]]) -> np.ndarray[Any, Any]:
        """The line on which each of ``rows`` starts, for many rows at once."""
        if self.row_lines is None and self.source is not None:
            self.row_lines = _row_lines(self.source, len(self.frame))
            self.source = None
        if self.row_lines:
            if self._lines is None or len(self._lines) != len(self.row_lines):
                self._lines = np.asarray(self.row_lines, np.int64)
            lines: np.ndarray[Any, Any] = self._lines[rows]
            return lines
        return np.asarray(rows, np.int64) + 2


def newlines(data: Data | memoryview, block: int = 1 << 20) -> int:
    """How many line feeds ``data`` holds, counted a block at a time (a mapped file has
    no ``count``, and a comparison the size of the file would be fresh memory)."""
    view = np.frombuffer(data, np.uint8)
    return sum(int(np.count_nonzero(view[i : i + block] == 10)) for i in range(0, len(view), block))


def _row_lines(data: Data, rows: int) -> list[int]:
    """Start line of every row; empty when each row is one line (the common case).

    A quoted cell may hold a line break, which the fast reader accepts; counting lines
    only when a message needs one keeps that cost off valid files.
    """
    if newlines(data) + (0 if data[-1:] == b"\n" else 1) == rows + 1:
        return []
    reader = csv.reader(io.StringIO(bytes(data).decode("utf-8"), newline=""))
    starts, last = [], 0
    for _ in reader:
        starts.append(last + 1)
        last = reader.line_num
    return starts[1:]
