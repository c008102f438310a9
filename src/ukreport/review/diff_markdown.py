"""A :class:`~ukreport.review.diff.DatasetDiff` as Markdown, for a pull-request comment.

Long values are cut around the change and long sections folded, so the comment stays
readable and within GitHub's limit; web addresses are links, whole, and every changed,
removed or renamed row of a sourced table ends with its source, so the reviewer can
open the page that should confirm it.
"""

from __future__ import annotations

from ukreport.review.diff import DatasetDiff, Source
from ukreport.review.diff_cells import (
    code_span,
    md_page,
    md_source,
    md_text,
    md_value,
    pair,
    table_note,
)
from ukreport.review.impact import Impact

MARKDOWN_WIDTH = 80
"""Longest value shown whole, but for web addresses; a pull-request comment's table must
stay readable."""
FOLD_AFTER = 10
"""Sections with more rows than this fold into a ``<details>`` block."""

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
    the columns and the rows added, removed and renamed as lists, the changed cells as
    a table, each row with its source.

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
    if result.impact is not None and result.has_changes:
        _impact(out, result.impact, footnote + _TABLE_RESERVE * len(result.tables))
    for number, diff in enumerate(result.tables):
        keep = footnote + _TABLE_RESERVE * (len(result.tables) - number - 1)
        out.add(f"### {diff.file}", "")
        if not diff.has_changes:
            out.add("No changes.", "")
            continue
        out.add(f"**{diff.summary()}**", "")
        note = table_note(diff, result.base, result.head)
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
                in_source = _SOURCE_COLUMNS if row.source else ()
                cells = [
                    f"{column} {md_value(value, width)}"
                    for column, value in row.cells
                    if value and column != diff.id_column and column not in in_source
                ]
                cells += _source(row.source)
                listed = " · ".join(cells)
                items.append([f"- {code_span(row.row_id)}" + (f": {listed}" if listed else "")])
            out.section(f"{title} ({total:,})", total, items, keep)
        if diff.renamed_count:
            items = []
            for renamed in diff.renamed:
                cells = [
                    f"{cell.column} {md_value(before)} → {md_value(after)}"
                    for cell in renamed.cells
                    for before, after in [pair(cell, width)]
                ]
                listed = " · ".join([*cells, *_source(renamed.source)])
                items.append(
                    [
                        f"- {code_span(renamed.before_id)} → {code_span(renamed.row_id)}"
                        + (f": {listed}" if listed else "")
                    ]
                )
            out.section(f"Renamed rows ({diff.renamed_count:,})", diff.renamed_count, items, keep)
        if diff.changed_count:
            blocks = [[f"| {diff.id_column} | column | before | after |", "|---|---|---|---|"]]
            for changed in diff.changed:
                block = []
                for index, cell in enumerate(changed.cells):
                    before, after = pair(cell, width)
                    row_id = code_span(changed.row_id) if index == 0 else ""
                    block.append(
                        f"| {row_id} | {code_span(cell.column)} | {md_value(before)} | "
                        f"{md_value(after)} |"
                    )
                if changed.source:
                    block.append(f"|  | *source* |  | {md_page(changed.source)} |")
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


_SOURCE_COLUMNS = ("source_url", "source_title")
"""The cells a row's source line shows, so not shown again among its other cells."""


def _source(source: Source | None) -> list[str]:
    return [md_source(source)] if source else []


def _impact(out: _Comment, impact: Impact, keep: int) -> None:
    """The report's counts before and after, then the claims touched, with verdicts."""
    out.add("### The report", "", "| count | before | after | change |", "|---|---|---|---|")
    for what, before, after, change in impact.rows():
        out.add(f"| {what} | {md_text(before)} | {md_text(after)} | {md_text(change)} |")
    out.add("")
    items = [
        [
            f"- {code_span(claim.claim_id)} — verdict **{md_text(claim.verdict)}**: "
            + "; ".join(md_text(reason) for reason in claim.reasons)
        ]
        for claim in impact.claims
    ]
    if items:
        out.section(f"Claims touched ({len(items):,})", len(items), items, keep)
    else:
        out.add("No claim's evidence, essay row or verdict changed.", "")
