"""What changed in the datasets between two revisions, or two folders, for reviewers.

``ukreport diff BASE [HEAD]`` reads ``data/raw/<table>.csv`` on each side — at a git
revision, in the working tree (HEAD's default), or in a folder given by path — and
reports, per table:

- rows added, removed and changed, matched by the table's id column
  (:data:`ukreport.schemas.ID_COLUMNS`), with every changed cell as
  ``column: before → after``;
- columns added, removed or retyped (the header, and the type each side's Table
  Schema in ``schemas/raw/<table>.json`` gives, where both sides have one).

Tables are read by :mod:`ukreport.reading`, the reader ``ukreport validate`` uses, and
as strictly: whatever makes a file unreadable there (a byte-order mark, bytes that are
not UTF-8, CR LF endings, a blank line, a ragged row, an open quote) makes the side
unreadable here, reported as ``file:line:column``. A BOM in particular is not skipped:
no revision of ``data/raw`` has ever had one, so old revisions need no leniency, and a
diff that quietly dropped it would hide from the reviewer a change that validation
then rejects.

Every cell is read as text, exactly as curated: the diff shows what a reviewer sees in
the file, not what a parser makes of it. Output is deterministic: rows sorted by id,
cells in header order (the head's header, then columns only the base has).

A table missing on one side counts as all rows added (or removed), and says so: a pull
request that adds or deletes a whole table is the one that most needs its diff read,
and failing on it would leave the reviewer with nothing to read. A side holding none of
the tables is a usage mistake (a wrong folder, or a revision from before the data
existed) and an error, exit status 2.

Exit status, as ``git diff --exit-code``: 0 nothing changed, 1 something changed (0
with ``exit_zero``), 2 an unknown revision, a side without tables, or a table that
cannot be read.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ukreport import paths, schemas
from ukreport.build import gitfiles
from ukreport.errors import UkreportError

log = logging.getLogger(__name__)

FORMATS = ("text", "markdown", "json")
TEXT_WIDTH = 160
"""Longest value the text report prints whole; longer ones are cut around the change."""
MARKDOWN_WIDTH = 80
"""The same for Markdown, where a pull-request comment's table must stay readable."""


class DiffError(UkreportError, ValueError):
    """The sides cannot be compared: a table is unreadable, or a side has no tables."""


# --- reading the two sides ---------------------------------------------------------


@dataclass(frozen=True)
class Side:
    """One side of the comparison: a git revision, a folder, or the working tree."""

    role: str
    """``BASE`` or ``HEAD``, as messages name it."""
    label: str
    """The revision or folder as given, or ``the working tree``."""
    data_dir: Path
    """Where ``<table>.csv`` lives (relative to ``cwd`` at a revision)."""
    schemas_dir: Path | None
    """Where ``raw/<table>.json`` lives; ``None`` for a folder of tables."""
    cwd: Path
    commit: str | None = None
    """The commit a revision resolves to; ``None`` for files on disk."""
    cache: dict[str, bytes | None] = field(default_factory=dict, compare=False, repr=False)
    """Files already read from the revision, by POSIX path."""

    @property
    def name(self) -> str:
        """``BASE (v0.1.0)``: the role and what it stands for, for messages."""
        return f"{self.role} ({self.label})"

    def where(self, path: Path) -> str:
        """``v0.1.0:data/raw/events.csv``, or the path on disk."""
        return f"{self.label}:{path.as_posix()}" if self.commit else str(path)

    def prefetch(self, files: Iterable[Path]) -> None:
        """Read ``files`` from the revision in one git call (nothing for files on disk)."""
        if self.commit is not None:
            self.cache.update(gitfiles.read_files(self.commit, files, self.cwd))

    def read(self, path: Path) -> bytes | None:
        """The bytes of ``path`` on this side, or ``None`` when it is absent."""
        if self.commit is not None:
            if path.as_posix() not in self.cache:
                self.prefetch([path])
            return self.cache[path.as_posix()]
        try:
            return (self.cwd / path).read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None
        except OSError as error:
            raise DiffError(f"{path}: cannot be read: {error.strerror}") from None


def make_side(
    spec: str | None,
    role: str,
    *,
    raw_dir: Path = paths.RAW_DIR,
    schemas_dir: Path = paths.SCHEMAS_DIR,
    cwd: Path | None = None,
) -> Side:
    """A side from what the user typed: ``None`` (working tree), a folder, or a revision.

    An existing folder wins over a revision of the same name.
    """
    here = cwd or Path.cwd()
    if spec is None:
        return Side(role, gitfiles.WORKING_TREE, raw_dir, schemas_dir, here)
    if (here / spec).is_dir():
        return Side(role, spec, Path(spec), None, here)
    commit = gitfiles.resolve(spec, here, kinds="commit, branch, tag or folder")
    return Side(role, spec, raw_dir, schemas_dir, here, commit)


@dataclass(frozen=True)
class Snapshot:
    """A table as one side has it: its header, its rows by id, its columns' types."""

    header: list[str]
    rows: dict[str, dict[str, str]]
    types: dict[str, str] = field(default_factory=dict)
    """Column types from the side's Table Schema; empty when it has none."""


def parse_table(data: bytes, where: str, id_column: str) -> Snapshot:
    """Read CSV bytes into a :class:`Snapshot`, keyed by ``id_column``.

    Raises :class:`DiffError` naming ``where`` when the bytes are not a table whose
    rows can be matched: the first problem the reader finds (as ``file:line:column``),
    no id column, or an id used twice.
    """
    from ukreport.reading import read_bytes

    table = read_bytes(data, where)
    if table.problems:
        raise DiffError(table.problems[0].at(where))
    header = table.header
    if id_column not in header:
        raise DiffError(
            f"{where}: the header has no {id_column!r} column, so rows cannot be matched"
        )
    key = header.index(id_column)
    rows: dict[str, dict[str, str]] = {}
    first: dict[str, int] = {}
    for number, record in enumerate(table.frame.itertuples(index=False, name=None)):
        row_id = record[key]
        if row_id in rows:
            raise DiffError(
                f"{where}:{table.line_of(number)}: {id_column} {row_id!r} is already used on "
                f"line {table.line_of(first[row_id])}; ids must be unique to match rows"
            )
        rows[row_id] = dict(zip(header, record, strict=True))
        first[row_id] = number
    return Snapshot(header, rows)


def _types(data: bytes | None, where: str) -> dict[str, str]:
    """Field types from a Table Schema; empty (with a debug note) when unusable."""
    if data is None:
        return {}
    try:
        document = json.loads(data)
        return {str(f["name"]): str(f.get("type", "any")) for f in document["fields"]}
    except (ValueError, KeyError, TypeError) as error:
        log.debug("%s: not a usable Table Schema (%s); types not compared", where, error)
        return {}


def read_snapshot(side: Side, table: str) -> Snapshot | None:
    """``table`` as ``side`` has it, or ``None`` when the file is absent there."""
    path = side.data_dir / f"{table}.csv"
    data = side.read(path)
    if data is None:
        return None
    snapshot = parse_table(data, side.where(path), schemas.ID_COLUMNS[table])
    if side.schemas_dir is not None:
        schema_path = side.schemas_dir / "raw" / f"{table}.json"
        snapshot.types.update(_types(side.read(schema_path), side.where(schema_path)))
    return snapshot


# --- comparing -----------------------------------------------------------------------


@dataclass(frozen=True)
class CellChange:
    """One cell that differs; ``None`` means the column does not exist on that side."""

    column: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class ChangedRow:
    row_id: str
    cells: tuple[CellChange, ...]


@dataclass(frozen=True)
class Row:
    """A whole row added or removed: its id and its cells in header order."""

    row_id: str
    cells: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Retyped:
    column: str
    before: str
    after: str


@dataclass(frozen=True)
class TableDiff:
    """Everything that changed in one table."""

    table: str
    id_column: str
    base_missing: bool = False
    head_missing: bool = False
    columns_added: tuple[str, ...] = ()
    columns_removed: tuple[str, ...] = ()
    columns_retyped: tuple[Retyped, ...] = ()
    added: tuple[Row, ...] = ()
    removed: tuple[Row, ...] = ()
    changed: tuple[ChangedRow, ...] = ()

    @property
    def file(self) -> str:
        return f"{self.table}.csv"

    @property
    def has_changes(self) -> bool:
        return bool(
            self.base_missing
            or self.head_missing
            or self.columns_added
            or self.columns_removed
            or self.columns_retyped
            or self.added
            or self.removed
            or self.changed
        )

    @property
    def status(self) -> str:
        """``added``, ``removed`` (the whole table), ``changed`` or ``unchanged``."""
        if self.base_missing:
            return "added"
        if self.head_missing:
            return "removed"
        return "changed" if self.has_changes else "unchanged"

    def summary(self) -> str:
        """``2 added, 1 removed, 3 changed``: the rows, as the Markdown summary line."""
        return f"{len(self.added)} added, {len(self.removed)} removed, {len(self.changed)} changed"


def _row(row_id: str, header: list[str], values: dict[str, str]) -> Row:
    return Row(row_id, tuple((column, values[column]) for column in header))


def compare(table: str, base: Snapshot | None, head: Snapshot | None) -> TableDiff:
    """Compare two snapshots of ``table`` (either may be absent, not both)."""
    id_column = schemas.ID_COLUMNS[table]
    if base is None or head is None:
        present = head if base is None else base
        assert present is not None, "a table must exist on one side at least"
        rows = tuple(_row(i, present.header, present.rows[i]) for i in sorted(present.rows))
        if base is None:
            return TableDiff(table, id_column, base_missing=True, added=rows)
        return TableDiff(table, id_column, head_missing=True, removed=rows)
    added_columns = tuple(c for c in head.header if c not in base.header)
    removed_columns = tuple(c for c in base.header if c not in head.header)
    retyped = tuple(
        Retyped(c, base.types[c], head.types[c])
        for c in head.header
        if c in base.types and c in head.types and base.types[c] != head.types[c]
    )
    order = [*head.header, *removed_columns]
    changed = []
    for row_id in sorted(base.rows.keys() & head.rows.keys()):
        before, after = base.rows[row_id], head.rows[row_id]
        cells = tuple(
            CellChange(c, before.get(c), after.get(c))
            for c in order
            # A column that is absent equals a blank one: adding an empty column
            # changes no row, adding one with values shows each value.
            if (before.get(c) or "") != (after.get(c) or "")
        )
        if cells:
            changed.append(ChangedRow(row_id, cells))
    return TableDiff(
        table,
        id_column,
        columns_added=added_columns,
        columns_removed=removed_columns,
        columns_retyped=retyped,
        added=tuple(
            _row(i, head.header, head.rows[i]) for i in sorted(head.rows.keys() - base.rows.keys())
        ),
        removed=tuple(
            _row(i, base.header, base.rows[i]) for i in sorted(base.rows.keys() - head.rows.keys())
        ),
        changed=tuple(changed),
    )


@dataclass(frozen=True)
class DatasetDiff:
    """The comparison of every table between two sides."""

    base: Side
    head: Side
    tables: tuple[TableDiff, ...]

    @property
    def has_changes(self) -> bool:
        return any(t.has_changes for t in self.tables)

    def exit_code(self, *, exit_zero: bool = False) -> int:
        """0 when nothing changed (or ``exit_zero``), 1 when something did."""
        return 1 if self.has_changes and not exit_zero else 0


def _missing_everywhere(side: Side, tables: Iterable[str]) -> DiffError:
    files = [f"{t}.csv" for t in tables]
    listed = ", ".join(files[:-1]) + f" and {files[-1]}" if len(files) > 1 else files[0]
    where = side.where(side.data_dir)
    return DiffError(
        f"{listed} {'are all' if len(files) > 1 else 'is'} missing at {side.name} "
        f"(looked in {where}): is that the right "
        f"{'folder' if side.commit is None else 'revision'}?"
    )


def diff_sides(base: Side, head: Side, tables: Iterable[str] = schemas.TABLES) -> DatasetDiff:
    """Compare ``tables`` between two sides."""
    tables = list(tables)
    for side in (base, head):
        wanted = [side.data_dir / f"{t}.csv" for t in tables]
        if side.schemas_dir is not None:
            wanted += [side.schemas_dir / "raw" / f"{t}.json" for t in tables]
        side.prefetch(wanted)
    snapshots = {side.role: {t: read_snapshot(side, t) for t in tables} for side in (base, head)}
    for side in (base, head):
        if all(s is None for s in snapshots[side.role].values()):
            raise _missing_everywhere(side, tables)
    diffs = []
    for table in tables:
        before, after = snapshots[base.role][table], snapshots[head.role][table]
        if before is None and after is None:
            log.info("%s.csv is missing at both sides; skipped", table)
            continue
        diffs.append(compare(table, before, after))
    return DatasetDiff(base, head, tuple(diffs))


def diff_datasets(
    base: str,
    head: str | None = None,
    *,
    raw_dir: Path = paths.RAW_DIR,
    schemas_dir: Path = paths.SCHEMAS_DIR,
    cwd: Path | None = None,
) -> DatasetDiff:
    """Compare the raw tables at ``base`` with those at ``head``.

    Parameters
    ----------
    base, head
        A git revision of the repository containing ``cwd``, or an existing folder
        holding ``events.csv``, ``initiatives.csv`` and ``cooperation.csv``. ``head``
        ``None`` means the working tree.
    raw_dir, schemas_dir
        Where the tables and Table Schemas are, relative to ``cwd``, in the working
        tree and at a revision.
    cwd
        The directory paths and revisions are relative to (default: the current one).
    """
    options: dict[str, Any] = {"raw_dir": raw_dir, "schemas_dir": schemas_dir, "cwd": cwd}
    return diff_sides(make_side(base, "BASE", **options), make_side(head, "HEAD", **options))


# --- rendering -----------------------------------------------------------------------


def _common_ends(before: str, after: str) -> tuple[int, int]:
    prefix = 0
    limit = min(len(before), len(after))
    while prefix < limit and before[prefix] == after[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and before[-1 - suffix] == after[-1 - suffix]:
        suffix += 1
    return prefix, suffix


def excerpts(before: str, after: str, width: int) -> tuple[str, str]:
    """Both values whole when they fit ``width``; else each cut around where they differ."""
    if len(before) <= width and len(after) <= width:
        return before, after
    prefix, suffix = _common_ends(before, after)
    context = max(width // 4, 1)
    start = max(0, prefix - context)

    def cut(value: str) -> str:
        stop = min(len(value), max(len(value) - suffix, prefix) + context, start + width)
        return ("…" if start else "") + value[start:stop] + ("…" if stop < len(value) else "")

    return cut(before), cut(after)


def shorten(value: str, width: int) -> str:
    """``value``, cut to ``width`` characters with an ellipsis when longer."""
    return value if len(value) <= width else value[: width - 1] + "…"


def _text_value(value: str | None) -> str:
    return "(no column)" if value is None else json.dumps(value, ensure_ascii=False)


def _pair(change: CellChange, width: int) -> tuple[str | None, str | None]:
    before, after = change.before, change.after
    if before is not None and after is not None:
        return excerpts(before, after, width)
    return (
        None if before is None else shorten(before, width),
        None if after is None else shorten(after, width),
    )


def _columns_lines(diff: TableDiff) -> list[str]:
    lines = [f"column added: {c}" for c in diff.columns_added]
    lines += [f"column removed: {c}" for c in diff.columns_removed]
    lines += [f"column retyped: {r.column}: {r.before} → {r.after}" for r in diff.columns_retyped]
    return lines


def _table_note(diff: TableDiff, base: Side, head: Side) -> str | None:
    if diff.base_missing:
        return f"{diff.file} is missing at {base.name}: every row counts as added"
    if diff.head_missing:
        return f"{diff.file} is missing at {head.name}: every row counts as removed"
    return None


def render_text(result: DatasetDiff, width: int = TEXT_WIDTH) -> str:
    """A plain report for a terminal: ``+`` added, ``-`` removed, ``~`` changed rows."""
    out = [f"data changes from {result.base.name} to {result.head.name}"]
    for diff in result.tables:
        if not diff.has_changes:
            out.append(f"{diff.file}: no changes")
            continue
        out.append(f"{diff.file}: {diff.summary()}")
        note = _table_note(diff, result.base, result.head)
        out += [f"  {line}" for line in ([note] if note else []) + _columns_lines(diff)]
        for sign, rows in (("+", diff.added), ("-", diff.removed)):
            for row in rows:
                out.append(f"  {sign} {row.row_id}")
                out += [
                    f"      {column}: {_text_value(shorten(value, width))}"
                    for column, value in row.cells
                    if value and column != diff.id_column
                ]
        for changed in diff.changed:
            out.append(f"  ~ {changed.row_id}")
            for cell in changed.cells:
                before, after = _pair(cell, width)
                out.append(f"      {cell.column}: {_text_value(before)} → {_text_value(after)}")
    return "\n".join(out) + "\n"


def code_span(value: str) -> str:
    """``value`` as a Markdown code span that survives a table cell.

    The fence is one backtick longer than the longest run of backticks inside (the
    CommonMark way to put a backtick in a code span); pipes are escaped, which GitHub
    honours even inside code spans in tables; line breaks become ``↵``.
    """
    value = value.replace("\r\n", "\n").replace("\n", "↵").replace("|", "\\|")
    longest = run = 0
    for char in value:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    fence = "`" * (longest + 1)
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def _md_value(value: str | None) -> str:
    if value is None:
        return "*(no column)*"
    if value == "":
        return "*(blank)*"
    return code_span(value)


def render_markdown(result: DatasetDiff, width: int = MARKDOWN_WIDTH) -> str:
    """A report that fits a pull-request comment: a heading per table, a summary line,
    the columns and rows added and removed as lists, the changed cells as a table."""
    base, head = (
        code_span(side.label) if side.commit or side.schemas_dir is None else side.label
        for side in (result.base, result.head)
    )
    out = [f"## Data changes: {base} → {head}", ""]
    if not result.has_changes:
        out += ["No changes in the data.", ""]
    for diff in result.tables:
        out += [f"### {diff.file}", ""]
        if not diff.has_changes:
            out += ["No changes.", ""]
            continue
        out += [f"**{diff.summary()}**", ""]
        note = _table_note(diff, result.base, result.head)
        if note:
            out += [f"> {note}", ""]
        columns = [
            *(f"- column added: {code_span(c)}" for c in diff.columns_added),
            *(f"- column removed: {code_span(c)}" for c in diff.columns_removed),
            *(
                f"- column retyped: {code_span(r.column)}: {code_span(r.before)} → "
                f"{code_span(r.after)}"
                for r in diff.columns_retyped
            ),
        ]
        if columns:
            out += ["Columns:", "", *columns, ""]
        for title, rows in (("Added rows", diff.added), ("Removed rows", diff.removed)):
            if not rows:
                continue
            items = []
            for row in rows:
                cells = " · ".join(
                    f"{column} {code_span(shorten(value, width))}"
                    for column, value in row.cells
                    if value and column != diff.id_column
                )
                items.append(f"- {code_span(row.row_id)}" + (f": {cells}" if cells else ""))
            out += _section(f"{title} ({len(rows)})", items)
        if diff.changed:
            lines = [f"| {diff.id_column} | column | before | after |", "|---|---|---|---|"]
            for changed in diff.changed:
                for index, cell in enumerate(changed.cells):
                    before, after = _pair(cell, width)
                    row_id = code_span(changed.row_id) if index == 0 else ""
                    lines.append(
                        f"| {row_id} | {code_span(cell.column)} | {_md_value(before)} | "
                        f"{_md_value(after)} |"
                    )
            out += _section(f"Changed rows ({len(diff.changed)})", lines)
    return "\n".join(out)


FOLD_AFTER = 10
"""Sections with more rows than this fold into a ``<details>`` block in Markdown."""


def _section(title: str, lines: list[str]) -> list[str]:
    """A titled block of Markdown, folded when long so a comment stays scannable."""
    if len(lines) <= FOLD_AFTER:
        return [f"{title}:", "", *lines, ""]
    return [f"<details><summary>{title}</summary>", "", *lines, "", "</details>", ""]


def _side_json(side: Side) -> dict[str, Any]:
    return {"label": side.label, "commit": side.commit}


def to_json(result: DatasetDiff) -> dict[str, Any]:
    """The diff as plain data; values whole, never shortened."""
    tables = []
    for diff in result.tables:
        tables.append(
            {
                "table": diff.table,
                "file": diff.file,
                "id_column": diff.id_column,
                "status": diff.status,
                "counts": {
                    "added": len(diff.added),
                    "removed": len(diff.removed),
                    "changed": len(diff.changed),
                },
                "columns": {
                    "added": list(diff.columns_added),
                    "removed": list(diff.columns_removed),
                    "retyped": [
                        {"column": r.column, "before": r.before, "after": r.after}
                        for r in diff.columns_retyped
                    ],
                },
                "added": [{"id": r.row_id, "row": dict(r.cells)} for r in diff.added],
                "removed": [{"id": r.row_id, "row": dict(r.cells)} for r in diff.removed],
                "changed": [
                    {
                        "id": c.row_id,
                        "cells": [
                            {"column": x.column, "before": x.before, "after": x.after}
                            for x in c.cells
                        ],
                    }
                    for c in diff.changed
                ],
            }
        )
    return {
        "base": _side_json(result.base),
        "head": _side_json(result.head),
        "changed": result.has_changes,
        "tables": tables,
    }


def render_diff(result: DatasetDiff, fmt: str = "text") -> str:
    """The report in ``fmt``: ``text``, ``markdown`` or ``json``."""
    if fmt == "text":
        return render_text(result)
    if fmt == "markdown":
        return render_markdown(result)
    if fmt == "json":
        return json.dumps(to_json(result), indent=2, ensure_ascii=False) + "\n"
    raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")


def main_diff(
    base: str,
    head: str | None = None,
    *,
    fmt: str = "text",
    exit_zero: bool = False,
    output: Path | None = None,
    raw_dir: Path = paths.RAW_DIR,
    schemas_dir: Path = paths.SCHEMAS_DIR,
) -> int:
    """``ukreport diff``: write the report to ``output`` (or standard output) and
    return the exit status (0 no change, 1 changes unless ``exit_zero``).

    Errors (unknown revision, a side without tables, an unreadable table) are raised
    as :class:`~ukreport.errors.UkreportError`, which the command line prints in one
    line with exit status 2.
    """
    result = diff_datasets(base, head, raw_dir=raw_dir, schemas_dir=schemas_dir)
    text = render_diff(result, fmt)
    if output is not None:
        from ukreport._io import write_atomically

        write_atomically(output, text.encode("utf-8"))
    else:
        sys.stdout.write(text)
    return result.exit_code(exit_zero=exit_zero)
