"""Validate raw tables against the pandera models and say what is wrong, where.

Every failure in every table is collected in one run (pandera's lazy mode) and
reported as ``file:line:column: what is wrong (value) — how to fix``, the line being
the line in the CSV file and the column the field's position in it.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.errors
import pandera.pandas as pa

from ukreport import schemas
from ukreport.checks import LIST_SEPARATOR, explain
from ukreport.errors import InputError
from ukreport.paths import RAW_DIR
from ukreport.reading import Table, read_table
from ukreport.validation_report import INPUT, Failure, Report

log = logging.getLogger(__name__)


def show(value: object, limit: int = 60) -> str:
    """A cell value as it should appear in a message: quoted, escaped, shortened."""
    text = str(value)
    shown = repr(text[:limit])
    if len(text) > limit:
        shown = shown[:-1] + f"…' ({len(text)} characters)"
    return shown


def table_name(path: Path) -> str:
    """The table a file holds, known by its name (``events.csv`` → ``events``)."""
    name = path.stem
    if path.suffix.lower() != ".csv" or name not in schemas.TABLES:
        known = ", ".join(f"{t}.csv" for t in schemas.TABLES)
        raise InputError(path, f"is not a known table; expected one of {known}")
    return name


def resolve(paths: Sequence[Path]) -> dict[str, Path]:
    """Map each table name to its file, expanding folders into the tables they hold."""
    found: dict[str, Path] = {}
    for path in paths or [RAW_DIR]:
        if path.is_dir():
            files = {t: path / f"{t}.csv" for t in schemas.TABLES}
            missing = [f.name for f in files.values() if not f.is_file()]
            if missing:
                raise InputError(
                    path, f"lacks {', '.join(missing)}; a data folder holds all {len(files)} tables"
                )
            found.update(files)
        elif not path.exists():
            raise InputError(path, "no such file or folder")
        else:
            found[table_name(path)] = path
    return found


# --- messages ---------------------------------------------------------------------------


def _base(check: str) -> str:
    return check.split("(", 1)[0]


def _stats(schema: pa.DataFrameSchema, column: str, check: str) -> dict[str, Any]:
    """The statistics (allowed values, pattern, bounds) of a column's check, by name."""
    for candidate in schema.columns[column].checks:
        if candidate.name == _base(check):
            return dict(candidate.statistics)
    return {}


# --- validation -------------------------------------------------------------------------


def _header_failures(table: str, tab: Table, file: str) -> list[Failure]:
    expected = schemas.raw_columns(table)
    header = tab.header
    failures: list[Failure] = []

    def fail(column: int, name: str | None, message: str, fix: str, value: str | None) -> None:
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
                f"column {name!r} appears twice (also column {seen[name]})",
                "delete or rename one of them",
                show(name),
            )
        seen.setdefault(name, position)
    for position, name in enumerate(header, start=1):
        if name not in expected and header.index(name) == position - 1:
            close = difflib.get_close_matches(name, expected, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            fail(
                position,
                name,
                "unknown column",
                f"{hint}remove or rename it; the columns are {', '.join(expected)}",
                show(name),
            )
    for position, name in enumerate(expected, start=1):
        if name not in header:
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
                    f"column {position} is {have!r} but should be {want!r}",
                    f"put the columns in this order: {', '.join(expected)}",
                    show(have),
                )
                break
    return failures


def _schema_failures(
    table: str, tab: Table, file: str, schema: pa.DataFrameSchema
) -> list[Failure]:
    try:
        schema.validate(tab.frame, lazy=True)
    except pandera.errors.SchemaErrors as errors:
        cases = errors.failure_cases
    else:
        return []
    header = tab.header
    failures: list[Failure] = []
    # A row rule is reported once per row, not once per cell of the row; a duplicate
    # id is reported where it repeats, not where it is first used.
    row_rule = cases["schema_context"] == "DataFrameSchema"
    cases = cases[~row_rule | ~cases.duplicated(subset=["check", "index"])]
    for case in cases.itertuples(index=False):
        index = case.index
        check = str(case.check)
        if _base(check) == "field_uniqueness" and pd.notna(index):
            column = str(case.column)
            first = int(tab.frame.index[tab.frame[column] == case.failure_case][0])
            if first == int(index):
                continue
        if case.schema_context == "Column" and case.column in header and pd.notna(index):
            column = str(case.column)
            value = "" if pd.isna(case.failure_case) else str(case.failure_case)
            message, fix = explain(check, value, _stats(schema, column, check), column)
            if _base(check) == "field_uniqueness":
                message = f"duplicate id (first used on line {tab.line_of(first)})"
        elif check in schemas.ROW_RULES and pd.notna(index):
            column, message, fix = schemas.ROW_RULES[check]
            if not column:
                column = schemas.VERIFIED_COLUMNS[schema.name or ""]
            elif column == "@dated":
                column = schemas.DATED_COLUMNS[schema.name or ""]
            value = str(tab.frame.at[index, column])
        else:
            failures.append(
                Failure(
                    file,
                    1,
                    1,
                    None,
                    check,
                    f"{case.column}: {case.failure_case}",
                    None,
                    "see the codebook in schemas/",
                )
            )
            continue
        failures.append(
            Failure(
                file,
                tab.line_of(int(index)),
                header.index(column) + 1,
                column,
                check,
                message,
                show(value) if value else None,
                fix,
            )
        )
    failures.sort(key=lambda f: (f.line, f.column))
    return failures


def _foreign_key_failures(
    table: str, tab: Table, file: str, frames: dict[str, pd.DataFrame], report: Report
) -> list[Failure]:
    failures: list[Failure] = []
    for column, others in schemas.FOREIGN_KEYS.get(table, []):
        if not all(other in frames for other in others):
            continue
        known: set[str] = set()
        for other in others:
            known |= set(frames[other][schemas.ID_COLUMNS[other]])
        values = tab.frame[column]
        if column in schemas.LIST_COLUMNS[table]:
            values = values.str.split(LIST_SEPARATOR).explode()
        values = values[values.notna() & (values.str.len() > 0)]
        bad = values[~values.isin(known)]
        names = ", ".join(others[:-1]) + " or " + others[-1] if len(others) > 1 else others[0]
        key = schemas.ID_COLUMNS[others[0]] if len(others) == 1 else "id"
        where = ", ".join(report.tables[other] for other in others)
        for index, value in bad.items():
            failures.append(
                Failure(
                    file,
                    tab.line_of(int(str(index))),
                    tab.header.index(column) + 1,
                    column,
                    "foreign_key",
                    f"no {names} row has this {key}",
                    show(value),
                    f"use an id from {where}, or add that row there",
                )
            )
    return failures


def _claim_failures(tab: Table, file: str, frames: dict[str, pd.DataFrame]) -> list[Failure]:
    """A claim the record supports must rest on at least one verified row."""
    if not all(other in frames for other in schemas.SOURCED_TABLES):
        return []
    verified: set[str] = set()
    for other in schemas.SOURCED_TABLES:
        frame = frames[other]
        verified |= set(frame.loc[frame["verification"] == "verified", schemas.ID_COLUMNS[other]])
    failures = []
    for index, row in tab.frame.iterrows():
        if row["verdict"] != "supported":
            continue
        evidence = row["evidence"].split(LIST_SEPARATOR) if row["evidence"] else []
        if not any(item in verified for item in evidence):
            failures.append(
                Failure(
                    file,
                    tab.line_of(int(str(index))),
                    tab.header.index("verdict") + 1,
                    "verdict",
                    "supported_needs_verified_evidence",
                    "a supported claim needs at least one verified row among its evidence",
                    show(row["verdict"]),
                    "add a verified row to evidence, or change the verdict",
                )
            )
    return failures


def validate_table(table: str, path: Path) -> tuple[Table | None, list[Failure]]:
    """Read and validate one table on its own (no cross-table rules)."""
    file = str(path)
    tab = read_table(path)
    if tab.problems:
        return None, [
            Failure(file, p.line, p.column, None, "csv", p.message, p.value, p.fix, INPUT)
            for p in tab.problems
        ]
    failures = _header_failures(table, tab, file)
    if failures:
        return None, failures
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
    failures = _schema_failures(table, tab, file, schemas.raw_schema(table))
    return tab, failures


def validate(paths: Iterable[Path] = ()) -> Report:
    """Validate the given files and folders (default ``data/raw/``) and report every failure.

    Raises :class:`InputError` for a path that is not a known table or folder.
    """
    files = resolve(list(paths))
    report = Report(tables={name: str(path) for name, path in files.items()})
    # A table that refers to others is checked against the files beside it.
    for name in list(files):
        for _, others in schemas.FOREIGN_KEYS.get(name, []):
            for other in others:
                candidate = files[name].with_name(f"{other}.csv")
                if other not in files and candidate.is_file():
                    files[other] = candidate
                    report.tables[other] = str(candidate)
    tables: dict[str, Table] = {}
    for name in schemas.TABLES:
        if name not in files:
            continue
        log.debug("validating %s", files[name])
        tab, failures = validate_table(name, files[name])
        report.failures += failures
        if tab is not None:
            tables[name] = tab
            report.rows[name] = len(tab.frame)
    frames = {name: tab.frame for name, tab in tables.items()}
    for name, tab in tables.items():
        report.failures += _foreign_key_failures(name, tab, str(files[name]), frames, report)
    if "claims" in tables:
        report.failures += _claim_failures(tables["claims"], str(files["claims"]), frames)
    for name in files:
        keys = schemas.FOREIGN_KEYS.get(name, [])
        missing = sorted({other for _, others in keys for other in others} - set(files))
        if missing:
            beside = ", ".join(f"{other}.csv" for other in missing)
            verb = "is" if len(missing) == 1 else "are"
            columns = " and ".join(column for column, _ in keys)
            report.failures.append(
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
            )
    if report.valid:
        report.frames = frames
    return report
