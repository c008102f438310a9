"""Validate raw tables against the pandera models and say what is wrong, where.

Every failure in every table is collected in one run (pandera's lazy mode) and
reported as ``file:line:column: what is wrong (value) — how to fix``, the line being
the line in the CSV file and the column the field's position in it. Failures are
located as arrays and worded only when shown (:mod:`.cases`), so a table
where every row is wrong is reported about as fast as a valid one.
"""

from __future__ import annotations

import difflib
import logging
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from ukreport import schemas
from ukreport.display import clip
from ukreport.errors import InputError
from ukreport.paths import RAW_DIR
from ukreport.validation.cases import (
    BESIDE,
    claim_batches,
    foreign_key_batches,
    schema_batches,
    show,
)
from ukreport.validation.duplicates import duplicate_events
from ukreport.validation.reading import Data, Table, read_bytes, read_regular
from ukreport.validation.report import INPUT, Batch, Failure, Report

__all__ = ["Reader", "resolve", "show", "table_name", "validate", "validate_table"]

Reader = Callable[[Path], Data]
"""How a table's bytes are read: from disk (:func:`read_regular`) unless given."""

log = logging.getLogger(__name__)


def table_name(path: Path) -> str:
    """The table a file holds, known by its name (``events.csv`` → ``events``)."""
    name = path.stem
    if path.suffix.lower() != ".csv" or name not in schemas.TABLES:
        known = ", ".join(f"{t}.csv" for t in schemas.TABLES)
        raise InputError(path, f"is not a known table; expected one of {known}")
    return name


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return a == b


def resolve(paths: Sequence[Path]) -> dict[str, Path]:
    """Map each table name to its file, expanding folders into the tables they hold.

    A table is known by its file name, so two different files of one name (``bad/
    events.csv good/events.csv``) cannot both be validated in one run: refused, rather
    than letting the last one stand for both. The same file named twice is one file.
    """
    found: dict[str, Path] = {}

    def add(name: str, path: Path) -> None:
        if name in found and not _same_file(found[name], path):
            raise InputError(
                path,
                f"is a second {name}.csv (the first is {found[name]}); a table is known by "
                "its file name, so validate each in a run of its own",
            )
        found.setdefault(name, path)

    for path in paths or [RAW_DIR]:
        if path.is_dir():
            files = {t: path / f"{t}.csv" for t in schemas.TABLES}
            # Whatever is there is read (and refused there if it is not a regular file).
            missing = [f.name for f in files.values() if not os.path.lexists(f)]
            if missing:
                raise InputError(
                    path, f"lacks {', '.join(missing)}; a data folder holds all {len(files)} tables"
                )
            for name, file in files.items():
                add(name, file)
        elif not os.path.lexists(path):
            raise InputError(path, "no such file or folder")
        else:
            add(table_name(path), path)
    return found


# --- validation -------------------------------------------------------------------------


_HINTED = 100
"""How many unknown columns are named one by one, each with its "did you mean" hint;
the rest are counted in one message. A file of a million columns is one mistake (the
wrong file, or a broken export), not a million."""


def _header_failures(table: str, header: list[str], file: str) -> list[Failure]:
    """What is wrong with ``header``; linear in its length."""
    expected = schemas.raw_columns(table)
    known = set(expected)
    failures: list[Failure] = []

    def fail(column: int, name: str | None, message: str, fix: str, value: str | None) -> None:
        # A name the model does not know is the file's text: only an excerpt is kept.
        if name is not None and name not in known:
            name = clip(name)
        failures.append(Failure(file, 1, column, name, "header", message, value, fix))

    if len(header) == 1 and any(sep in header[0] for sep in (";", "\t", "|")):
        sep = next(sep for sep in (";", "\t", "|") if sep in header[0])
        fail(
            1,
            None,
            f"the header is a single column: the file seems to be separated by {sep!r}, not commas",
            "save the file as comma-separated values",
            show(header[0]),
        )
        return failures
    seen: dict[str, int] = {}
    for position, name in enumerate(header, start=1):
        if name in seen:
            fail(
                position,
                name,
                f"column {show(name)} appears twice (also column {seen[name]})",
                "delete or rename one of them",
                show(name),
            )
        seen.setdefault(name, position)
    unknown = 0
    for position, name in enumerate(header, start=1):
        if name not in known and seen[name] == position:
            unknown += 1
            if unknown > _HINTED:
                continue
            close = difflib.get_close_matches(name, expected, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            fail(
                position,
                name,
                "unknown column",
                f"{hint}remove or rename it; the columns are {', '.join(expected)}",
                show(name),
            )
    if unknown > _HINTED:
        fail(
            len(header),
            None,
            f"{unknown - _HINTED:,} more unknown columns, up to column {len(header):,}",
            f"the table has {len(expected)} columns: {', '.join(expected)}",
            None,
        )
    for position, name in enumerate(expected, start=1):
        if name not in seen:
            fail(
                min(position, len(header) + 1),
                name,
                f"missing column {name!r}",
                f"add the column {name!r} as column {position}",
                None,
            )
    if not failures and header != expected:
        for position, (have, want) in enumerate(zip(header, expected, strict=True), start=1):
            if have != want:
                fail(
                    position,
                    have,
                    f"column {position} is {show(have)} but should be {want!r}",
                    f"put the columns in this order: {', '.join(expected)}",
                    show(have),
                )
                break
    return failures


def _plain_header(data: Data) -> list[str] | None:
    """The header's names when its line is plain (UTF-8, no quote, no CR on its own),
    else ``None``: such a header is read the same by the full reader."""
    end = data.find(b"\n")
    line = bytes(data[: end if end >= 0 else len(data)])
    line = line.removeprefix(b"\xef\xbb\xbf").removesuffix(b"\r")
    if not line or any(byte in line for byte in (b'"', b"\r", b"\x00")):
        return None
    try:
        return line.decode("utf-8").split(",")
    except UnicodeDecodeError:
        return None


def validate_table(
    table: str, path: Path, read: Reader | None = None
) -> tuple[Table | None, list[Batch | Failure]]:
    """Read (with ``read``, default :func:`read_regular`) and validate one table on its
    own (no cross-table rules)."""
    file = str(path)
    data = (read or read_regular)(path)
    early = _plain_header(data)
    if early is not None:
        # A wrong header is refused before the rows are parsed: a file of a million
        # columns is said to be wrong at once, not after Arrow has made a million arrays.
        wrong = _header_failures(table, early, file)
        if wrong:
            return None, list(wrong)
    tab = read_bytes(data, path)
    if tab.problems:
        return None, [
            Failure(file, p.line, p.column, None, "csv", p.message, p.value, p.fix, INPUT)
            for p in tab.problems
        ]
    header = _header_failures(table, tab.header, file)
    if header:
        return None, list(header)
    if tab.frame.empty:
        return None, [
            Failure(
                file,
                2,
                1,
                None,
                "rows",
                "the table has a header but no rows",
                None,
                "add at least one row",
            )
        ]
    return tab, schema_batches(tab, file, table)


def validate(paths: Iterable[Path] = (), *, read: Reader | None = None) -> Report:
    """Validate the given files and folders (default ``data/raw/``) and report every failure.

    ``read`` gives a table's bytes (default :func:`read_regular`), each read once: a
    caller that has already read them, to key a remembered result, passes them on, so
    the bytes validated are those keyed. Raises :class:`InputError` for a path that is
    not a known table or folder.
    """
    files = resolve(list(paths))
    report = Report(tables={name: str(path) for name, path in files.items()})
    # A table that refers to others is checked against the files beside it.
    for name in list(files):
        for other in schemas.SPECS[name].references:
            candidate = files[name].with_name(f"{other}.csv")
            if other not in files and candidate.is_file():
                files[other] = candidate
                report.tables[other] = str(candidate)
    tables: dict[str, Table] = {}
    for name in schemas.TABLES:
        if name not in files:
            continue
        log.debug("validating %s", files[name])
        tab, found = validate_table(name, files[name], read)
        report.add(found)
        if tab is not None and name == "events":
            report.add(duplicate_events(tab, str(files[name])))
        if tab is not None:
            tables[name] = tab
            report.rows[name] = len(tab.frame)
    frames = {name: tab.frame for name, tab in tables.items()}
    for name, tab in tables.items():
        report.add(foreign_key_batches(name, tab, str(files[name]), frames, report.tables))
    if "claims" in tables:
        report.add(claim_batches(tables["claims"], str(files["claims"]), frames))
    for name in files:
        keys = schemas.SPECS[name].foreign_keys
        missing = sorted(set(schemas.SPECS[name].references) - set(files))
        if missing:
            beside = ", ".join(f"{other}.csv" for other in missing)
            verb = "is" if len(missing) == 1 else "are"
            columns = " and ".join(column for column, _ in keys)
            report.add(
                [
                    Failure(
                        str(files[name]),
                        1,
                        1,
                        None,
                        "foreign_key",
                        f"{beside} {verb} not beside {name}.csv, so {columns} cannot be checked",
                        None,
                        f"validate the folder, or put {beside} beside {name}.csv",
                        INPUT,
                    )
                ],
                BESIDE,
            )
    if report.valid:
        report.frames = frames
    return report
