"""A :class:`~ukreport.review.diff.DatasetDiff` as a reviewer reads it: text, Markdown, JSON.

Text is for a terminal, Markdown for a pull-request comment (long values cut around
the change, long sections folded), JSON for tools (values whole, never shortened).
"""

from __future__ import annotations

import json
from typing import Any

from ukreport.review.diff import CellChange, DatasetDiff, Source, TableDiff
from ukreport.review.diff_cells import (
    code_span,
    excerpts,
    pair,
    shorten,
    table_note,
    text_source,
    text_value,
)
from ukreport.review.diff_markdown import (
    COMMENT_LIMIT,
    MARKDOWN_MOST_ROWS,
    MARKDOWN_WIDTH,
    render_markdown,
)
from ukreport.review.impact import Counts, Impact
from ukreport.review.revisions import Side

__all__ = [
    "COMMENT_LIMIT",
    "FORMATS",
    "MARKDOWN_MOST_ROWS",
    "MARKDOWN_WIDTH",
    "TEXT_WIDTH",
    "code_span",
    "excerpts",
    "more",
    "render_diff",
    "render_markdown",
    "render_text",
    "shorten",
    "to_json",
]

FORMATS = ("text", "markdown", "json")
TEXT_WIDTH = 160
"""Longest value the text report prints whole, but for web addresses; longer ones are
cut around the change."""


def _columns_lines(diff: TableDiff) -> list[str]:
    lines = [f"column added: {c}" for c in diff.columns_added]
    lines += [f"column removed: {c}" for c in diff.columns_removed]
    lines += [f"column retyped: {r.column}: {r.before} → {r.after}" for r in diff.columns_retyped]
    return lines


def render_text(result: DatasetDiff, width: int = TEXT_WIDTH) -> str:
    """A plain report for a terminal: ``+`` added, ``-`` removed, ``~`` changed (and
    renamed) rows, each changed one with its source."""
    out = [f"data changes from {result.base.name} to {result.head.name}"]
    for diff in result.tables:
        if not diff.has_changes:
            out.append(f"{diff.file}: no changes")
            continue
        out.append(f"{diff.file}: {diff.summary()}")
        note = table_note(diff, result.base, result.head)
        out += [f"  {line}" for line in ([note] if note else []) + _columns_lines(diff)]
        for sign, rows, count, noun in (
            ("+", diff.added, diff.added_count, "added"),
            ("-", diff.removed, diff.removed_count, "removed"),
        ):
            for row in rows:
                out.append(f"  {sign} {row.row_id}")
                out += [
                    f"      {column}: {text_value(shorten(value, width))}"
                    for column, value in row.cells
                    if value and column != diff.id_column
                ]
            out += _more_text(count - len(rows), noun)
        for renamed in diff.renamed:
            out.append(f"  ~ {renamed.before_id} → {renamed.row_id} (renamed)")
            out += _cells_text(renamed.cells, renamed.source, width)
        out += _more_text(diff.renamed_count - len(diff.renamed), "renamed")
        for changed in diff.changed:
            out.append(f"  ~ {changed.row_id}")
            out += _cells_text(changed.cells, changed.source, width)
        out += _more_text(diff.changed_count - len(diff.changed), "changed")
    if result.impact is not None and result.has_changes:
        out += _impact_text(result.impact)
    return "\n".join(out) + "\n"


def _impact_text(impact: Impact) -> list[str]:
    """The claims touched, with their verdicts and why, then the report's counts."""
    out = [f"claims touched: {len(impact.claims)}"]
    for claim in impact.claims:
        out.append(f"  {claim.claim_id} ({claim.verdict}): {'; '.join(claim.reasons)}")
    out.append("report counts (before → after):")
    for what, before, after, change in impact.rows():
        out.append(f"  {what}: {before}" + ("" if before == after else f" → {after} ({change})"))
    return out


def _cells_text(cells: tuple[CellChange, ...], source: Source | None, width: int) -> list[str]:
    """A changed row's cells, ``column: before → after``, then its source, whole."""
    lines = []
    for cell in cells:
        before, after = pair(cell, width)
        lines.append(f"      {cell.column}: {text_value(before)} → {text_value(after)}")
    return lines + ([f"      {text_source(source)}"] if source else [])


def more(count: int, noun: str) -> str:
    """``… and 999,900 more added rows``: the rows a report leaves out, counted."""
    return f"… and {count:,} more {noun} row{'s' if count != 1 else ''}"


def _more_text(count: int, noun: str) -> list[str]:
    return [f"  {more(count, noun)} (--max-rows 0 shows all)"] if count > 0 else []


def _side_json(side: Side) -> dict[str, Any]:
    return {"label": side.label, "commit": side.commit}


def _cells_json(cells: tuple[CellChange, ...]) -> list[dict[str, str | None]]:
    return [{"column": x.column, "before": x.before, "after": x.after} for x in cells]


def _source_json(source: Source | None) -> dict[str, str] | None:
    return {"title": source.title, "url": source.url} if source else None


def _counts_json(counts: Counts) -> dict[str, Any]:
    def day(value: Any) -> str | None:
        return None if value is None else str(value.strftime("%Y-%m-%d"))

    return {
        "events": counts.events,
        "sources": counts.sources,
        "coverage": {
            "start": day(counts.start),
            "last": day(counts.last),
            "read": day(counts.read),
        },
    }


def _impact_json(impact: Impact) -> dict[str, Any]:
    return {
        "claims": [
            {
                "claim_id": c.claim_id,
                "verdict": {"before": c.verdict_before, "after": c.verdict_after},
                "reasons": list(c.reasons),
            }
            for c in impact.claims
        ],
        "counts": {"before": _counts_json(impact.before), "after": _counts_json(impact.after)},
    }


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
                    "renamed": diff.renamed_count,
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
                "removed": [
                    {"id": r.row_id, "row": dict(r.cells), "source": _source_json(r.source)}
                    for r in diff.removed
                ],
                "changed": [
                    {
                        "id": c.row_id,
                        "cells": _cells_json(c.cells),
                        "source": _source_json(c.source),
                    }
                    for c in diff.changed
                ],
                "renamed": [
                    {
                        "id": r.row_id,
                        "before_id": r.before_id,
                        "cells": _cells_json(r.cells),
                        "source": _source_json(r.source),
                    }
                    for r in diff.renamed
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
        "impact": None if result.impact is None else _impact_json(result.impact),
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
