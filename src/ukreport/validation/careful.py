"""The careful path: a file Arrow's reader will not take, read by Python's ``csv`` module.

It knows on which line each record starts, so every problem — bytes that are not
UTF-8, a carriage return on its own, an unterminated quote, a ragged row — is named
with its line and column.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from ukreport.validation.table import MAX_TABLE_BYTES, TEXT, Data, Problem, Table, newlines

__all__ = ["UTF8_FIX", "careful", "position"]

_BARE_CR = (
    "a carriage return (CR) character on its own",
    "remove it; cells stay on one line and lines end with LF or CR LF",
)
UTF8_FIX = (
    "save it as UTF-8: in a spreadsheet, Save As › CSV UTF-8; "
    "or convert it with `iconv -f {encoding} -t UTF-8 FILE > NEW.csv`"
)


def position(data: Data, offset: int) -> tuple[int, int]:
    """Line and column (1-based, in characters) of a byte offset."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = newlines(memoryview(data)[:offset]) + 1
    column = len(bytes(data[line_start:offset]).decode("utf-8", errors="replace")) + 1
    return line, column


def _unterminated_column(text: str) -> int:
    """The field number whose opening quote is never closed on ``text``'s first line."""
    field_number, quoted, at_start = 1, False, True
    for char in text.split("\n", 1)[0]:
        if quoted:
            if char == '"':
                quoted = False
        elif char == '"' and at_start:
            quoted = True
        elif char == ",":
            field_number += 1
            at_start = True
            continue
        at_start = False
    return field_number


@contextmanager
def _any_field_size() -> Iterator[None]:
    """Let the ``csv`` module read a cell of any size (it stops at 128 KiB, at column 1
    of the line): the file's size is already capped, and a long cell is then reported
    where it is, by the column's length rule."""
    previous = csv.field_size_limit(MAX_TABLE_BYTES)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _malformed_column(text: str) -> int:
    """The field number where a record stops being CSV: a closing quote followed by
    something other than a comma or a line end."""
    field_number, quoted, after_quote, at_start = 1, False, False, True
    chars = iter(enumerate(text))
    for i, char in chars:
        if quoted:
            if char == '"':
                if text[i + 1 : i + 2] == '"':
                    next(chars, None)
                    continue
                quoted, after_quote = False, True
            continue
        if char == ",":
            field_number, after_quote, at_start = field_number + 1, False, True
            continue
        if char in "\r\n":
            break
        if after_quote:
            return field_number
        quoted = char == '"' and at_start
        at_start = False
    return field_number


def careful(path: Path, data: bytes) -> Table:
    """Parse with the ``csv`` module, recording problems and where each row starts."""
    problems: list[Problem] = []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = position(data, error.start)
        byte = data[error.start : error.start + 1].hex()
        problems.append(
            Problem(
                line,
                column,
                f"byte 0x{byte} is not valid UTF-8 (the file may be Latin-1 or Windows-1252)",
                UTF8_FIX.format(encoding="WINDOWS-1252"),
            )
        )
        return Table(path, [], pd.DataFrame(), problems=problems)
    bare_cr = re.search("\r(?!\n)", text)
    if bare_cr:
        found = bare_cr.start()
        line = text.count("\n", 0, found) + 1
        column = found - (text.rfind("\n", 0, found) + 1) + 1
        problems.append(Problem(line, column, *_BARE_CR))
        return Table(path, [], pd.DataFrame(), problems=problems)
    with _any_field_size():
        return _records(path, text)


def _records(path: Path, text: str) -> Table:
    """The ``csv`` module's reading of ``text``, row by row, with its problems."""
    problems: list[Problem] = []

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] = []
    rows: list[list[str]] = []
    row_lines: list[int] = []
    last_line = 0
    try:
        for record in reader:
            start = last_line + 1
            last_line = reader.line_num
            if not header:
                header = record
                if not record:
                    problems.append(
                        Problem(
                            1,
                            1,
                            "the header line is empty",
                            "put the column names on the first line",
                        )
                    )
                    break
                continue
            if not record:
                problems.append(Problem(start, 1, "empty line", "delete the empty line"))
                continue
            if len(record) != len(header):
                column = min(len(record), len(header)) + 1
                problems.append(
                    Problem(
                        start,
                        column,
                        f"the row has {len(record)} fields but the header has {len(header)}",
                        "check for a missing or extra comma, or "
                        "quote the cell that contains a comma",
                    )
                )
                continue
            rows.append(record)
            row_lines.append(start)
    except csv.Error as error:
        start = last_line + 1
        rest = text.split("\n", start - 1)[-1] if start > 1 else text
        if "unexpected end of data" in str(error) or "EOF" in str(error):
            problems.append(
                Problem(
                    start,
                    _unterminated_column(rest),
                    "a quoted cell is never closed (unterminated quote)",
                    'close the quote, or write a quote inside a quoted cell as two quotes ("")',
                )
            )
        else:
            rest = text.split("\n", start - 1)[-1] if start > 1 else text
            problems.append(
                Problem(
                    reader.line_num,
                    _malformed_column(rest),
                    f"malformed CSV: {error}",
                    "quote cells that contain quotes, commas or line breaks, and write a "
                    'quote inside a quoted cell as two quotes ("")',
                )
            )
    frame = pd.DataFrame(rows, columns=range(len(header)), dtype=TEXT)
    return Table(path, header, frame, row_lines=row_lines, problems=problems)
