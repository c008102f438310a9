"""pandera's failure cases, and the rules across tables, as batches of located failures.

pandera reports every failing cell in one frame (its lazy mode). Here that frame is cut
into runs — one check on one column, or one row rule — and each run becomes a
:class:`Batch`: line and column numbers as arrays, a message written only for a failure
that is shown. Nothing loops over the failures, so a table where every row is wrong
costs about what pandera's frame of it costs.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pandas as pd
import pandera.errors
import pandera.pandas as pa
import pyarrow.compute as pc

from ukreport import schemas
from ukreport.arrowtext import arrow_strings
from ukreport.display import show
from ukreport.schemas.rules import LIST_SEPARATOR
from ukreport.validation.explain import explain
from ukreport.validation.report import Batch, Failure, Positions
from ukreport.validation.table import Table

__all__ = ["BESIDE", "claim_batches", "foreign_key_batches", "schema_batches", "show"]


def _base(check: str) -> str:
    return check.split("(", 1)[0]


def _stats(schema: pa.DataFrameSchema, column: str, check: str) -> dict[str, Any]:
    """The statistics (allowed values, pattern, bounds) of a column's check, by name."""
    for candidate in schema.columns[column].checks:
        if candidate.name == _base(check):
            return dict(candidate.statistics)
    return {}


def _cells(series: pd.Series, at: Positions) -> list[str]:
    """The cells of ``series`` at ``at`` as text, blanks for missing values."""
    return ["" if pd.isna(value) else str(value) for value in series.iloc[at].tolist()]


FOREIGN_KEYS, CLAIMS, BESIDE = 1, 2, 3
"""The passes after a table's own rules (pass 0), in the order their failures are listed
on a line: ids into other tables, claims against the record, tables not beside."""


def _batch(tab: Table, file: str, column: str, rows: Positions, word: Any, stage: int = 0) -> Batch:
    """Failures on ``rows`` of ``column``; ``word(positions, lines)`` writes them."""
    lines = tab.lines_of(rows)
    where = np.full(len(rows), tab.header.index(column) + 1, np.int64)
    return Batch(file, lines, where, lambda at: word(at, lines[at]), stage=stage)


def _column_batch(
    tab: Table,
    file: str,
    schema: pa.DataFrameSchema,
    column: str,
    check: str,
    rows: Positions,
    values: pd.Series,
) -> Batch:
    """A column check's failures: each explained by the check's own explainer."""
    stats = _stats(schema, column, check)
    duplicate = _base(check) == "field_uniqueness"
    if duplicate:
        # A duplicate id is reported where it repeats, not where it is first used.
        later = tab.frame[column].duplicated(keep="first").to_numpy(bool)[rows]
        rows, values = rows[later], values[later]

    def word(at: Positions, lines: Positions) -> list[Failure]:
        cells = _cells(values, at)
        said: dict[str, tuple[str, str]] = {}
        firsts: dict[str, int] = {}
        if duplicate:
            frame = tab.frame[column]
            hits = frame[frame.isin(set(cells))]
            firsts = dict(
                zip(hits[~hits.duplicated()], hits.index[~hits.duplicated()], strict=True)
            )
        failures = []
        for value, line in zip(cells, lines.tolist(), strict=True):
            if value not in said:
                said[value] = explain(check, value, stats, column)
            message, fix = said[value]
            if duplicate:
                message = f"duplicate id (first used on line {tab.line_of(firsts[value])})"
            where = tab.header.index(column) + 1
            shown = show(value) if value else None
            failures.append(Failure(file, line, where, column, check, message, shown, fix))
        return failures

    return _batch(tab, file, column, rows, word)


def _rule_batch(tab: Table, file: str, table: str, check: str, rows: Positions) -> Batch:
    """A row rule's failures, once a row (pandera lists every cell of a failing row),
    at the column the rule names."""
    column, message, fix = schemas.ROW_RULES[check]
    spec = schemas.SPECS[table]
    if not column:
        column = spec.verified_column or ""
    elif column == "@dated":
        column = spec.dated_column or ""
    rows = np.unique(rows)

    def word(at: Positions, lines: Positions) -> list[Failure]:
        where = tab.header.index(column) + 1
        return [
            Failure(file, line, where, column, check, message, show(value) if value else None, fix)
            for value, line in zip(_cells(tab.frame[column], rows[at]), lines.tolist(), strict=True)
        ]

    return _batch(tab, file, column, rows, word)


def _runs(cases: pd.DataFrame) -> list[tuple[int, int]]:
    """Start and end of each run of cases from one check (and one column, for a column
    check: a row rule lists every column of a failing row)."""
    size = len(cases)
    if size < 2:
        return [(0, size)] if size else []

    def changes(name: str) -> np.ndarray[Any, Any]:
        values = arrow_strings(cases[name])
        changed = pc.not_equal(values.slice(1), values.slice(0, size - 1))
        return np.asarray(changed.to_numpy(zero_copy_only=False), bool)

    in_column = (cases["schema_context"] == "Column").to_numpy(bool)
    change = changes("schema_context") | changes("check")
    change |= changes("column") & in_column[1:]
    starts = np.concatenate([[0], np.flatnonzero(change) + 1])
    ends = np.concatenate([starts[1:], [size]])
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


PARALLEL_ROWS = 200_000
"""From this many rows a table's columns are checked in two threads. pandera checks one
column after another, but its checks spend their time in Arrow and NumPy, which let
the other thread run: on two idle cores 10^6 events take 0.65 s instead of 1.15 s."""


def _cases(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> pd.DataFrame | None:
    """pandera's frame of failure cases, or None when ``frame`` passes."""
    try:
        schema.validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as errors:
        cases: pd.DataFrame = errors.failure_cases
        return cases
    return None


def _halves(
    schema: pa.DataFrameSchema, frame: pd.DataFrame
) -> tuple[pa.DataFrameSchema, pa.DataFrameSchema]:
    """``schema`` as two schemas of about equal work: the columns shared out by what
    their checks cost, the row rules with the second. Neither is strict: the header has
    been checked against the model already, and each sees the other's columns."""
    rows = len(frame)

    def cost(name: str) -> int:
        """Roughly, in nanoseconds: a pass over the column's bytes, a pass over its rows
        a check, and hashing every value to find duplicates."""
        column = schema.columns[name]
        size = int(frame[name].array.nbytes)
        return size // 4 + 20 * rows * len(column.checks) + 150 * rows * int(column.unique)

    halves: tuple[list[str], list[str]] = ([], [])
    loads = [0, 30 * rows * len(schema.checks)]
    for name in sorted(schema.columns, key=cost, reverse=True):
        lighter = loads.index(min(loads))
        halves[lighter].append(name)
        loads[lighter] += cost(name)
    order = list(schema.columns)
    first, second = (schema.select_columns(sorted(h, key=order.index)) for h in halves)
    first.checks = []
    first.strict = second.strict = False
    return first, second


def _failure_cases(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> pd.DataFrame | None:
    """pandera's failure cases, in the order one validation lists them: the row rules'
    (pandera sorts by context, descending), then each column's in turn."""
    if len(frame) < PARALLEL_ROWS or len(schema.columns) < 2:
        return _cases(schema, frame)
    with ThreadPoolExecutor(2) as pool:
        parts = list(pool.map(lambda part: _cases(part, frame), _halves(schema, frame)))
    found = [cases for cases in parts if cases is not None]
    if not found:
        return None
    cases = pd.concat(found, ignore_index=True)
    return cases.sort_values("schema_context", ascending=False, kind="stable")


_FIRST_SAID = ("str_length", "clean_text", "drawable", "matches", "isin")
"""When one cell fails several checks, the one said: a blank required cell is blank
(not also "not an allowed value"), a cell with a hidden character is said to hold it,
one with a character the fonts cannot draw is said to hold that (not also "not a
date"), and a date in the wrong form is in the wrong form (not also "not a real day")."""


def _one_a_cell(cases: pd.DataFrame) -> pd.DataFrame:
    """``cases`` with one case a cell: one mistake, one message."""
    cell = ((cases["schema_context"] == "Column") & cases["index"].notna()).to_numpy(bool)
    if not cell.any():
        return cases
    placed = cases.loc[cell, ["column", "index"]]
    if not placed.duplicated().any():
        return cases
    names = cases.loc[cell, "check"].astype(str).str.split("(", n=1).str[0]
    rank = names.map({name: i for i, name in enumerate(_FIRST_SAID)}).fillna(len(_FIRST_SAID))
    best = rank.groupby([placed["column"], placed["index"]]).transform("min")
    return cases.drop(index=rank.index[(rank > best).to_numpy(bool)])


def schema_batches(tab: Table, file: str, table: str) -> list[Batch | Failure]:
    """Validate the frame against ``table``'s raw model and locate every failure."""
    schema = schemas.raw_schema(table)
    cases = _failure_cases(schema, tab.frame)
    if cases is None:
        return []
    cases = _one_a_cell(cases).reset_index(drop=True)
    found: list[Batch | Failure] = []
    index = cases["index"]
    present = index.notna().to_numpy(bool)
    rows_of = index.fillna(-1).to_numpy().astype(np.int64)
    for start, end in _runs(cases):
        context = cases["schema_context"].iat[start]
        column, check = cases["column"].iat[start], str(cases["check"].iat[start])
        # A case without a row (a whole column's failing) is said as pandera says it.
        unplaced = np.flatnonzero(~present[start:end]) + start
        if unplaced.size:
            located = np.flatnonzero(present[start:end]) + start
            values = cases["failure_case"].iloc[located]
        else:
            located = np.arange(start, end)
            values = cases["failure_case"].iloc[start:end]
        if context == "Column" and column in tab.header:
            values = values.reset_index(drop=True)
            found.append(
                _column_batch(tab, file, schema, str(column), check, rows_of[located], values)
            )
        elif check in schemas.ROW_RULES:
            found.append(_rule_batch(tab, file, table, check, rows_of[located]))
        else:
            unplaced = np.arange(start, end)
        for position in unplaced.tolist():
            case = cases.iloc[position]
            found.append(
                Failure(
                    file,
                    1,
                    1,
                    None,
                    check,
                    f"{case['column']}: {show(case['failure_case'])}",
                    None,
                    "see the codebook in schemas/",
                )
            )
    return found


def foreign_key_batches(
    table: str, tab: Table, file: str, frames: dict[str, pd.DataFrame], where: dict[str, str]
) -> list[Batch]:
    """Each value (each item, in a list column) naming no row of the tables it refers to.

    ``where`` gives the file of each table, for the fix.
    """
    found = []
    for column, others in schemas.SPECS[table].foreign_keys:
        if not all(other in frames for other in others):
            continue
        known: set[str] = set()
        for other in others:
            known |= set(frames[other][schemas.SPECS[other].id_column])
        values = tab.frame[column]
        if column in schemas.SPECS[table].list_columns:
            values = values.str.split(LIST_SEPARATOR).explode()
        values = values[values.notna() & (values.str.len() > 0)]
        bad = values[~values.isin(known)].reset_index()
        if bad.empty:
            continue
        names = ", ".join(others[:-1]) + " or " + others[-1] if len(others) > 1 else others[0]
        key = schemas.SPECS[others[0]].id_column if len(others) == 1 else "id"
        message = f"no {names} row has this {key}"
        fix = f"use an id from {', '.join(where[other] for other in others)}, or add that row there"
        position = tab.header.index(column) + 1

        def word(
            at: Positions,
            lines: Positions,
            bad: pd.Series = bad[column],
            column: str = column,
            message: str = message,
            fix: str = fix,
            position: int = position,
        ) -> list[Failure]:
            return [
                Failure(file, line, position, column, "foreign_key", message, show(value), fix)
                for value, line in zip(_cells(bad, at), lines.tolist(), strict=True)
            ]

        rows = bad["index"].to_numpy().astype(np.int64)
        found.append(_batch(tab, file, column, rows, word, FOREIGN_KEYS))
    return found


def claim_batches(tab: Table, file: str, frames: dict[str, pd.DataFrame]) -> list[Batch]:
    """A claim the record supports must rest on at least one verified row."""
    if not all(other in frames for other in schemas.SOURCED_TABLES):
        return []
    verified: set[str] = set()
    for other in schemas.SOURCED_TABLES:
        frame = frames[other]
        verified |= set(
            frame.loc[frame["verification"] == "verified", schemas.SPECS[other].id_column]
        )
    claims = tab.frame.reset_index(drop=True)
    supported = claims.loc[claims["verdict"] == "supported", "evidence"]
    if supported.empty:
        return []
    items = supported.str.split(LIST_SEPARATOR).explode()
    backed = items.isin(verified).groupby(level=0).any()
    rows = backed.index[~backed.to_numpy(bool)].to_numpy().astype(np.int64)
    if not rows.size:
        return []

    def word(at: Positions, lines: Positions) -> list[Failure]:
        return [
            Failure(
                file,
                line,
                tab.header.index("verdict") + 1,
                "verdict",
                "supported_needs_verified_evidence",
                "a supported claim needs at least one verified row among its evidence",
                show("supported"),
                "add a verified row to evidence, or change the verdict",
            )
            for line in lines.tolist()
        ]

    return [_batch(tab, file, "verdict", rows, word, CLAIMS)]
