"""Read a raw CSV table into text columns, or say exactly why it cannot be read.

A well-formed file takes the fast path (Arrow's multi-threaded CSV reader, one row a
line). Anything odd — a quoted line break, an unterminated quote, a ragged row, bytes
that are not UTF-8 — takes the careful path through Python's ``csv`` module
(:mod:`.careful`), which knows on which line each record starts, so every message can
name its line and column.

Files as spreadsheets save them are read as they are: Excel's "CSV UTF-8" starts with a
byte-order mark and ends lines with CR LF (RFC 4180's line break), and both are
accepted; the cells are the same either way, and what ``ukreport process`` writes is
LF without a BOM. Only regular files are read, up to :data:`MAX_TABLE_BYTES`: a
device, a FIFO or a socket is refused before it is opened for reading.
"""

from __future__ import annotations

import csv
import os
import re
import stat
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ukreport._files import read_open
from ukreport.errors import InputError
from ukreport.validation.careful import UTF8_FIX, careful, position
from ukreport.validation.table import MAX_TABLE_BYTES, TEXT, Data, Problem, Table

__all__ = [
    "MAX_TABLE_BYTES",
    "Data",
    "Problem",
    "Table",
    "read_bytes",
    "read_regular",
    "read_table",
]

_BLOCK_SIZE = 1 << 24


def _memory_pool() -> pa.MemoryPool:
    """jemalloc where pyarrow has it: the first large read through mimalloc (pyarrow's
    default) spends about as long in the kernel, mapping fresh memory, as parsing."""
    try:
        return pa.jemalloc_memory_pool()
    except NotImplementedError:
        return pa.default_memory_pool()


_BOM = b"\xef\xbb\xbf"
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
    again, in case it was swapped in between. The bytes are copied, not mapped: a
    mapped file saved in place while it is parsed would change under the parser (what
    is validated would not be what was read, nor what a key hashed) and, cut shorter,
    kill the process with SIGBUS. Copying costs little beside validating (0.46 s of a
    148 MB table's 30 s).
    """
    try:
        _regular(path, path.stat())
        return read_open(path, MAX_TABLE_BYTES, lambda info: _regular(path, info))
    except InputError:
        raise
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except OSError as error:
        raise InputError(path, f"cannot be read: {error.strerror}") from None


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
        return _named_columns(careful(path, bytes(data)))
    try:
        return _fast(path, data)
    except (pa.ArrowInvalid, UnicodeDecodeError, csv.Error):
        pass
    return _named_columns(careful(path, bytes(data)))


def _not_text(data: Data) -> Problem | None:
    """Why ``data`` is not UTF-8 text at all, if it is not: another encoding, another
    kind of file, or a NUL byte (which no text cell holds), at its line and column."""
    for signature, encoding, message in _SIGNATURES:
        if data[: len(signature)] == signature:
            return Problem(1, 1, message, UTF8_FIX.format(encoding=encoding))
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
                UTF8_FIX.format(encoding=encoding),
            )
    line, column = position(data, nul)
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
