"""A :class:`~ukreport.review.diff.DatasetDiff` as a reviewer reads it: text, Markdown, JSON.

Text is for a terminal, Markdown for a pull-request comment (long values cut around
the change, long sections folded), JSON for tools (values whole, never shortened).
"""

from __future__ import annotations

import json
from typing import Any

from ukreport.review.diff import CellChange, DatasetDiff, TableDiff
from ukreport.review.revisions import Side

FORMATS = ("text", "markdown", "json")
TEXT_WIDTH = 160
"""Longest value the text report prints whole; longer ones are cut around the change."""
MARKDOWN_WIDTH = 80
"""The same for Markdown, where a pull-request comment's table must stay readable."""
FOLD_AFTER = 10
"""Sections with more rows than this fold into a ``<details>`` block in Markdown."""


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
        for sign, rows, count, noun in (
            ("+", diff.added, diff.added_count, "added"),
            ("-", diff.removed, diff.removed_count, "removed"),
        ):
            for row in rows:
                out.append(f"  {sign} {row.row_id}")
                out += [
                    f"      {column}: {_text_value(shorten(value, width))}"
                    for column, value in row.cells
                    if value and column != diff.id_column
                ]
            out += _more_text(count - len(rows), noun)
        for changed in diff.changed:
            out.append(f"  ~ {changed.row_id}")
            for cell in changed.cells:
                before, after = _pair(cell, width)
                out.append(f"      {cell.column}: {_text_value(before)} → {_text_value(after)}")
        out += _more_text(diff.changed_count - len(diff.changed), "changed")
    return "\n".join(out) + "\n"


def more(count: int, noun: str) -> str:
    """``… and 999,900 more added rows``: the rows a report leaves out, counted."""
    return f"… and {count:,} more {noun} row{'s' if count != 1 else ''}"


def _more_text(count: int, noun: str) -> list[str]:
    return [f"  {more(count, noun)} (--max-rows 0 shows all)"] if count > 0 else []


def code_span(value: str) -> str:
    """``value`` as a Markdown code span that survives a table cell.

    The fence is one backtick longer than the longest run of backticks inside (the
    CommonMark way to put a backtick in a code span); pipes are escaped, which GitHub
    honours even inside code spans in tables; line breaks become ``↵``, and invisible or
    direction-changing characters their escapes (``\\u202e``), before the report's
    length is counted.
    """
    from ukreport.display import escape_invisible

    value = value.replace("\r\n", "\n").replace("\n", "↵").replace("|", "\\|")
    value = escape_invisible(value)
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


COMMENT_LIMIT = 65_536
"""The most characters a GitHub pull-request comment holds: the Markdown report's cap."""
MARKDOWN_MOST_ROWS = COMMENT_LIMIT // 6
"""More rows of one kind than a comment could show even were each as short as can be
(``- `x```): the Markdown report never needs to hold more."""
_TABLE_RESERVE = 400
"""Room kept for each table still to come (heading, summary, closing lines)."""


class _Comment:
    """Markdown lines that stop before ``limit`` characters: each block is added whole
    or not at all, keeping room for what must still follow."""

    def __init__(self, limit: int) -> None:
        self.lines: list[str] = []
        self.size = 0
        self.limit = limit
        self.cut = 0
        """Rows left out for want of room."""

    def add(self, *lines: str) -> None:
        """Lines that must appear (headings, counts, closing tags)."""
        self.lines += lines
        self.size += sum(len(line) + 1 for line in lines)

    def fits(self, lines: list[str], keep: int) -> bool:
        """Add ``lines`` if they leave ``keep`` characters free; say whether they did."""
        size = sum(len(line) + 1 for line in lines)
        if self.size + size + keep > self.limit:
            return False
        self.add(*lines)
        return True

    def section(self, title: str, total: int, blocks: list[list[str]], keep: int) -> None:
        """A titled section of ``total`` rows, of which ``blocks`` are held (one block of
        lines a row), folded when long; rows that do not fit are counted instead."""
        folded = total > FOLD_AFTER
        opening = [f"<details><summary>{title}</summary>", ""] if folded else [f"{title}:", ""]
        closing = ["", "</details>", ""] if folded else [""]
        self.add(*opening)
        room = keep + sum(len(line) + 1 for line in closing) + 80
        shown = 0
        for block in blocks:
            if not self.fits(block, room):
                break
            shown += 1
        self.cut += len(blocks) - shown
        left = total - shown
        if left:
            self.add("", f"… and {left:,} more")
        self.add(*closing)

    def text(self) -> str:
        return "\n".join(self.lines)


def render_markdown(
    result: DatasetDiff, width: int = MARKDOWN_WIDTH, limit: int = COMMENT_LIMIT
) -> str:
    """A report that fits a pull-request comment: a heading per table, a summary line,
    the columns and rows added and removed as lists, the changed cells as a table.

    It is never longer than ``limit`` characters (GitHub's limit on a comment): rows
    that do not fit, or that ``--max-rows`` left out, are counted, and a closing note
    says how to see them all.
    """
    base, head = (
        code_span(side.label) if side.commit or side.schemas_dir is None else side.label
        for side in (result.base, result.head)
    )
    out = _Comment(limit)
    out.add(f"## Data changes: {base} → {head}", "")
    if not result.has_changes:
        out.add("No changes in the data.", "")
    footnote = 2 * _TABLE_RESERVE
    for number, diff in enumerate(result.tables):
        keep = footnote + _TABLE_RESERVE * (len(result.tables) - number - 1)
        out.add(f"### {diff.file}", "")
        if not diff.has_changes:
            out.add("No changes.", "")
            continue
        out.add(f"**{diff.summary()}**", "")
        note = _table_note(diff, result.base, result.head)
        if note:
            out.add(f"> {note}", "")
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
            out.section("Columns", len(columns), [[line] for line in columns], keep)
        for title, rows, total in (
            ("Added rows", diff.added, diff.added_count),
            ("Removed rows", diff.removed, diff.removed_count),
        ):
            if not total:
                continue
            items = []
            for row in rows:
                cells = " · ".join(
                    f"{column} {code_span(shorten(value, width))}"
                    for column, value in row.cells
                    if value and column != diff.id_column
                )
                items.append([f"- {code_span(row.row_id)}" + (f": {cells}" if cells else "")])
            out.section(f"{title} ({total:,})", total, items, keep)
        if diff.changed_count:
            blocks = [[f"| {diff.id_column} | column | before | after |", "|---|---|---|---|"]]
            for changed in diff.changed:
                block = []
                for index, cell in enumerate(changed.cells):
                    before, after = _pair(cell, width)
                    row_id = code_span(changed.row_id) if index == 0 else ""
                    block.append(
                        f"| {row_id} | {code_span(cell.column)} | {_md_value(before)} | "
                        f"{_md_value(after)} |"
                    )
                blocks.append(block)
            # The table's header counts as a block but not as a row.
            header, rows_blocks = blocks[0], blocks[1:]
            if rows_blocks:
                rows_blocks[0] = header + rows_blocks[0]
            out.section(
                f"Changed rows ({diff.changed_count:,})", diff.changed_count, rows_blocks, keep
            )
    if out.cut or result.hidden:
        if out.cut:
            shown = f"the rows that fit in one comment ({limit:,} characters)"
        else:
            shown = f"the first {result.limit:,} rows of each kind in each table (`--max-rows`)"
        out.add(
            f"*This summary shows only {shown}; `ukreport diff --max-rows 0` lists every row.*",
            "",
        )
    return out.text()


def _side_json(side: Side) -> dict[str, Any]:
    return {"label": side.label, "commit": side.commit}


def to_json(result: DatasetDiff) -> dict[str, Any]:
    """The diff as plain data; values whole, never shortened. ``counts`` counts every
    row; the lists hold the first ``max_rows`` of each kind (``truncated`` when some
    are left out)."""
    tables = []
    for diff in result.tables:
        tables.append(
            {
                "table": diff.table,
                "file": diff.file,
                "id_column": diff.id_column,
                "status": diff.status,
                "counts": {
                    "added": diff.added_count,
                    "removed": diff.removed_count,
                    "changed": diff.changed_count,
                },
                "truncated": diff.hidden > 0,
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
        "max_rows": result.limit,
        "truncated": result.hidden > 0,
        "tables": tables,
    }


def render_diff(result: DatasetDiff, fmt: str = "text") -> str:
    """The report in ``fmt``: ``text``, ``markdown`` or ``json``.

    Invisible and direction-changing characters in the data are written as escapes
    (``\\u202e``; in JSON, JSON's own), so a reviewer sees what the cell holds: a
    right-to-left override would otherwise show ``…/exe.png`` for an address ending
    ``gnp.exe``.
    """
    from ukreport.display import escape_invisible

    if fmt == "text":
        return escape_invisible(render_text(result), keep="\n")
    if fmt == "markdown":
        return render_markdown(result)  # its code spans escape them, within the cap
    if fmt == "json":
        text = json.dumps(to_json(result), indent=2, ensure_ascii=False) + "\n"
        return escape_invisible(text, keep="\n", json_style=True)
    raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
