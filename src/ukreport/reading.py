"""Read a raw CSV table into text columns, or say exactly why it cannot be read.

A well-formed file takes the fast path (Arrow's multi-threaded CSV reader, one row a
line). Anything odd — a quoted line break, an unterminated quote, a ragged row, bytes
that are not UTF-8 — takes the careful path through Python's ``csv`` module, which
knows on which line each record starts, so every message can name its line and column.

Files as spreadsheets save them are read as they are: Excel's "CSV UTF-8" starts with a
byte-order mark and ends lines with CR LF (RFC 4180's line break), and both are
accepted; the cells are the same either way, and what ``ukreport process`` writes is
LF without a BOM. Only regular files are read, up to :data:`MAX_TABLE_BYTES`: a
device, a FIFO or a socket is refused before it is opened for reading.
"""

from __future__ import annotations

import csv
import io
import mmap
import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ukreport.errors import InputError, located

Data = bytes | mmap.mmap
"""A file's bytes: read from git, or mapped from disk (:func:`read_table`)."""

_BLOCK_SIZE = 1 << 24
TEXT = pd.StringDtype("pyarrow", na_value=np.nan)
"""Text cells as Arrow strings: what the Arrow compute checks read without copying."""


def _memory_pool() -> pa.MemoryPool:
    """jemalloc where pyarrow has it: the first large read through mimalloc (pyarrow's
    default) spends about as long in the kernel, mapping fresh memory, as parsing."""
    try:
        return pa.jemalloc_memory_pool()
    except NotImplementedError:
        return pa.default_memory_pool()


MAX_TABLE_BYTES = 1 << 30
"""The largest table read (1 GiB, twice a million-row events table): checked against the
file's size before a byte is read, so a runaway file cannot fill the memory."""

_BOM = b"\xef\xbb\xbf"
_BARE_CR = (
    "a carriage return (CR) character on its own",
    "remove it; cells stay on one line and lines end with LF or CR LF",
)
_UTF8_FIX = (
    "save it as UTF-8: in a spreadsheet, Save As › CSV UTF-8; "
    "or convert it with `iconv -f {encoding} -t UTF-8 FILE > NEW.csv`"
)
_SIGNATURES = (
    (
        b"\x00\x00\xfe\xff",
        "UTF-32",
        "the file is UTF-32 text (it starts with a UTF-32 byte-order mark)",
    ),
    (
        b"\xff\xfe\x00\x00",
        "UTF-32",
        "the file is UTF-32 text (it starts with a UTF-32 byte-order mark)",
    ),
    (b"\xfe\xff", "UTF-16", "the file is UTF-16 text (it starts with a UTF-16 byte-order mark)"),
    (b"\xff\xfe", "UTF-16", "the file is UTF-16 text (it starts with a UTF-16 byte-order mark)"),
)
_NOT_TEXT = (
    (b"PK\x03\x04", "a ZIP archive — an Excel or LibreOffice workbook? — not CSV text"),
    (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls), not CSV text"),
    (b"\x1f\x8b", "a gzip-compressed file, not CSV text"),
    (b"%PDF", "a PDF document, not CSV text"),
    (b"\x89PNG", "a PNG image, not CSV text"),
)


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


def _newlines(data: Data | memoryview, block: int = 1 << 20) -> int:
    """How many line feeds ``data`` holds, counted a block at a time (a mapped file has
    no ``count``, and a comparison the size of the file would be fresh memory)."""
    view = np.frombuffer(data, np.uint8)
    return sum(int(np.count_nonzero(view[i : i + block] == 10)) for i in range(0, len(view), block))


def _row_lines(data: Data, rows: int) -> list[int]:
    """Start line of every row; empty when each row is one line (the common case).

    A quoted cell may hold a line break, which the fast reader accepts; counting lines
    only when a message needs one keeps that cost off valid files.
    """
    if _newlines(data) + (0 if data[-1:] == b"\n" else 1) == rows + 1:
        return []
    reader = csv.reader(io.StringIO(bytes(data).decode("utf-8"), newline=""))
    starts, last = [], 0
    for _ in reader:
        starts.append(last + 1)
        last = reader.line_num
    return starts[1:]


def _position(data: Data, offset: int) -> tuple[int, int]:
    """Line and column (1-based, in characters) of a byte offset."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = _newlines(memoryview(data)[:offset]) + 1
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


def _careful(path: Path, data: bytes) -> Table:
    """Parse with the ``csv`` module, recording problems and where each row starts."""
    problems: list[Problem] = []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _position(data, error.start)
        byte = data[error.start : error.start + 1].hex()
        problems.append(
            Problem(
                line,
                column,
                f"byte 0x{byte} is not valid UTF-8 (the file may be Latin-1 or Windows-1252)",
                _UTF8_FIX.format(encoding="WINDOWS-1252"),
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


def read_table(path: Path) -> Table:
    """Read ``path`` as a table of text cells.

    Raises :class:`InputError` when the path is not a readable regular file or is
    larger than :data:`MAX_TABLE_BYTES`; problems with the bytes inside it are returned
    in ``Table.problems`` with their line and column.
    """
    return read_bytes(read_regular(path), path)


def _kind(mode: int) -> str:
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def _regular(path: Path, info: os.stat_result) -> None:
    """Refuse what is not a regular file, or is too large to read."""
    if not stat.S_ISREG(info.st_mode):
        raise InputError(
            path, f"is {_kind(info.st_mode)}, not a CSV file; give the path of a regular file"
        )
    if info.st_size > MAX_TABLE_BYTES:
        raise InputError(
            path,
            f"is {info.st_size:,} bytes; a table is read only up to {MAX_TABLE_BYTES:,} "
            "bytes (1 GiB) — check that this is the right file, or split the table",
        )


def read_regular(path: Path) -> Data:
    """The bytes of the regular file at ``path`` (a symbolic link is followed to one).

    The path is looked at (``stat``) before it is opened, so a FIFO or a device is
    refused without being opened; it is then opened without blocking and looked at
    again, in case it was swapped in between. The bytes are mapped rather than copied:
    copying a large file into memory costs a third as long as parsing it.
    """
    try:
        _regular(path, path.stat())
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except InputError:
        raise
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except OSError as error:
        raise InputError(path, f"cannot be read: {error.strerror}") from None
    try:
        info = os.fstat(descriptor)
        _regular(path, info)
        if not info.st_size:
            return b""
        return mmap.mmap(descriptor, 0, access=mmap.ACCESS_READ)
    except InputError:
        raise
    except OSError as error:
        raise InputError(path, f"cannot be read: {error.strerror}") from None
    finally:
        os.close(descriptor)


def read_bytes(data: Data, name: Path | str) -> Table:
    """Read ``data`` as a table of text cells, exactly as :func:`read_table` reads a file.

    For bytes that are not a file on disk, such as a file at a git revision; ``name``
    is what the table is called (``v0.1.0:data/raw/events.csv``).
    """
    path = Path(name)
    if len(data) > MAX_TABLE_BYTES:
        problem = Problem(
            1,
            1,
            f"the file is {len(data):,} bytes; a table is read only up to "
            f"{MAX_TABLE_BYTES:,} bytes (1 GiB)",
            "check that this is the right file, or split the table",
        )
        return Table(path, [], pd.DataFrame(), problems=[problem])
    if data[:3] == _BOM:
        # Excel's "CSV UTF-8": the mark is not part of the first column's name.
        data = data[3:]
    if re.match(rb"\s*\Z", data):
        problem = Problem(1, 1, "the file is empty", "add a header row and data rows")
        return Table(path, [], pd.DataFrame(), problems=[problem])
    not_text = _not_text(data)
    if not_text is not None:
        return Table(path, [], pd.DataFrame(), problems=[not_text])

    # Cheap tests that send a file down the careful path: a CR not followed by LF, a
    # blank first line. Arrow's reader is trusted for the rest (CR LF endings included),
    # and ``_fast`` checks what it would silently accept.
    if data[:1] in (b"\n", b"\r") or (data.find(b"\r") >= 0 and re.search(rb"\r(?!\n)", data)):
        return _named_columns(_careful(path, bytes(data)))
    try:
        return _fast(path, data)
    except (pa.ArrowInvalid, UnicodeDecodeError, csv.Error):
        pass
    return _named_columns(_careful(path, bytes(data)))


def _not_text(data: Data) -> Problem | None:
    """Why ``data`` is not UTF-8 text at all, if it is not: another encoding, another
    kind of file, or a NUL byte (which no text cell holds), at its line and column."""
    for signature, encoding, message in _SIGNATURES:
        if data[: len(signature)] == signature:
            return Problem(1, 1, message, _UTF8_FIX.format(encoding=encoding))
    head = bytes(data[:4096])
    for signature, what in _NOT_TEXT:
        if head.startswith(signature):
            return Problem(1, 1, f"this is {what}", "save or export the table as CSV UTF-8")
    nul = data.find(b"\x00")
    if nul < 0:
        return None
    even, odd = head[0::2], head[1::2]
    for zeros, encoding in ((odd, "UTF-16LE"), (even, "UTF-16BE")):
        if len(zeros) >= 2 and zeros.count(0) >= 0.9 * len(zeros):
            return Problem(
                1,
                1,
                f"the file looks like {encoding} text without a byte-order mark (every "
                "other byte is zero)",
                _UTF8_FIX.format(encoding=encoding),
            )
    line, column = _position(data, nul)
    return Problem(
        line,
        column,
        "a NUL byte (U+0000): this is a binary file, or the text is damaged here",
        "give a comma-separated UTF-8 text file, or delete the NUL byte",
    )


def _header_of(data: Data) -> list[str]:
    end = data.find(b"\n")
    first = data[: end if end >= 0 else len(data)].decode("utf-8").removesuffix("\r")
    return next(csv.reader([first]), [])


def _fast(path: Path, data: Data) -> Table:
    """Arrow's reader; raises when the file needs the careful path."""
    header = _header_of(data)
    if not header or len(header) != len(set(header)):
        raise csv.Error("header needs the careful path")
    names = [f"c{i}" for i in range(len(header))]
    table = pacsv.read_csv(
        pa.BufferReader(data),
        read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=_BLOCK_SIZE),
        parse_options=pacsv.ParseOptions(newlines_in_values=False, ignore_empty_lines=False),
        convert_options=pacsv.ConvertOptions(
            # pandas keeps Arrow text as large_string: read it so, and nothing is cast.
            column_types=dict.fromkeys(names, pa.large_string()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
        memory_pool=_memory_pool(),
    )
    # Arrow reads a blank line as a row of empty cells, and a quote left open at the end
    # of the file as a cell that swallows the line break: both need the careful path.
    if len(table) and pc.any(pc.equal(pc.binary_length(table.column(0)), 0)).as_py():
        raise csv.Error("a row with an empty first cell may be a blank line")
    if len(table) and any(
        pc.ends_with(column.slice(len(table) - 1), "\n")[0].as_py() for column in table.columns
    ):
        raise csv.Error("the last cell holds a line break: a quote may be left open")
    frame = table.to_pandas(types_mapper={pa.large_string(): TEXT}.get)
    frame.columns = pd.Index(range(len(header)))
    return _named_columns(Table(path, header, frame, source=data))


def _named_columns(table: Table) -> Table:
    """Name the frame's columns after the header when the names are usable."""
    if table.header and len(table.header) == len(set(table.header)):
        table.frame.columns = pd.Index(table.header)
    return table
