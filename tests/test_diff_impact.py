"""What a data change does to the report: the claims it touches, the counts it moves."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers.paths import VALID
from helpers.tables import edit_table, read_rows, set_cell, write_rows
from ukreport import schemas
from ukreport.paths import CHECKOUT
from ukreport.review.diff import diff_datasets
from ukreport.review.diff_format import render_diff
from ukreport.review.impact import Counts, counts
from ukreport.review.revisions import working_tree
from ukreport.review.tables import read_snapshots

EVENT = "2014-09-05-minsk-protocol"
"""Evidence of the claim ``minsk-ceasefire`` in tests/data/valid."""


@pytest.fixture
def sides(tmp_path: Path) -> tuple[Path, Path]:
    base, head = tmp_path / "base", tmp_path / "head"
    shutil.copytree(VALID, base)
    shutil.copytree(VALID, head)
    return base, head


def set_where(path: Path, row_id: str, column: str, value: str) -> None:
    rows = read_rows(path)
    number = next(n for n, row in enumerate(rows) if row[0] == row_id)
    edit_table(path, set_cell(number, column, value))


def day(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


def test_counts_before_and_after_on_a_small_fixture(sides: tuple[Path, Path]) -> None:
    """tests/data/valid: 3 events; 9 distinct pages (3 of events, whose one verified
    source is also a row's source; 3 of initiatives and one verified source; 2 of
    cooperation); the last event is in October 2023; sources read on 25 November 2026."""
    base, head = sides
    rows = read_rows(head / "events.csv")
    new = dict(zip(rows[0], rows[1], strict=True))
    new.update(
        event_id="2025-03-18-trump-putin-call",
        date="2025-03-18",
        source_url="https://example.org/call",
        accessed="2026-12-01",
    )
    write_rows(head / "events.csv", [*rows, list(new.values())])
    # A verified source that is already a row's source adds no page.
    set_where(head / "initiatives.csv", "osce-smm", "verified_source_url", rows[2][10])
    result = diff_datasets(str(base), str(head))
    assert result.impact is not None
    start = day(schemas.COVERAGE_START)
    assert result.impact.before == Counts(3, 9, start, day("2023-10-01"), day("2026-11-25"))
    assert result.impact.after == Counts(4, 9, start, day("2025-03-18"), day("2026-12-01"))
    text = render_diff(result, "text")
    assert "  events: 3 → 4 (+1)" in text
    assert "  sources cited: 9\n" in text
    assert (
        "  coverage window: 1 January 2014 to 1 October 2023, read on 25 November 2026 → "
        "1 January 2014 to 18 March 2025, read on 1 December 2026 (changed)"
    ) in text
    markdown = render_diff(result, "markdown")
    assert "| events | 3 | 4 | +1 |" in markdown
    assert "| sources cited | 9 | 9 | same |" in markdown
    report = json.loads(render_diff(result, "json"))["impact"]["counts"]
    assert report["after"] == {
        "events": 4,
        "sources": 9,
        "coverage": {"start": "2014-01-01", "last": "2025-03-18", "read": "2026-12-01"},
    }


def test_a_side_that_does_not_validate_still_has_counts(sides: tuple[Path, Path]) -> None:
    base, head = sides
    set_where(head / "events.csv", EVENT, "date", "not a date")
    set_where(head / "events.csv", EVENT, "source_url", "")
    impact = diff_datasets(str(base), str(head)).impact
    assert impact is not None
    assert (impact.after.events, impact.after.sources) == (3, 8)
    assert impact.after.last == day("2023-10-01")


def test_markdown_lists_the_claims_a_change_touches(sides: tuple[Path, Path]) -> None:
    base, head = sides
    set_where(head / "events.csv", EVENT, "location", "Minsk, Belarus")
    set_where(head / "claims.csv", "putin-diplomatic-resolution-august-2023", "verdict", "disputed")
    # osce-smm is no claim's evidence or essay row: changing it touches none.
    set_where(head / "initiatives.csv", "osce-smm", "outcome", "Observation")
    markdown = render_diff(diff_datasets(str(base), str(head)), "markdown")
    claims = markdown.split("Claims touched (2):")[1].split("###")[0]
    assert re.findall(r"^- `([^`]+)`", claims, flags=re.MULTILINE) == [
        "minsk-ceasefire",
        "putin-diplomatic-resolution-august-2023",
    ]
    assert f"- `minsk-ceasefire` — verdict **supported**: evidence {EVENT} changed" in claims
    assert (
        "- `putin-diplomatic-resolution-august-2023` — verdict **unverified → disputed**: "
        "verdict changed"
    ) in claims
    # The report section comes first, before the tables' rows.
    assert markdown.index("### The report") < markdown.index("### events.csv")


def test_claims_of_a_renamed_or_removed_row(sides: tuple[Path, Path]) -> None:
    base, head = sides
    rows = read_rows(head / "events.csv")
    rows[1][0] = "2014-09-05-minsk-protocol-signed"
    write_rows(head / "events.csv", rows)
    set_where(head / "claims.csv", "minsk-ceasefire", "evidence", "minsk-agreements")
    rows = read_rows(head / "claims.csv")
    write_rows(
        head / "claims.csv", [r for r in rows if r[0] != "trump-productive-talks-october-2023"]
    )
    impact = diff_datasets(str(base), str(head)).impact
    assert impact is not None
    touched = {c.claim_id: (c.verdict, c.reasons) for c in impact.claims}
    assert touched == {
        "minsk-ceasefire": (
            "supported",
            ("evidence changed", f"evidence {EVENT} renamed to 2014-09-05-minsk-protocol-signed"),
        ),
        "trump-productive-talks-october-2023": ("disputed", ("claim removed",)),
    }


def test_nothing_touched(sides: tuple[Path, Path]) -> None:
    base, head = sides
    set_where(head / "initiatives.csv", "osce-smm", "outcome", "Observation")
    result = diff_datasets(str(base), str(head))
    assert result.impact is not None and result.impact.claims == ()
    assert "No claim's evidence, essay row or verdict changed." in render_diff(result, "markdown")
    assert "claims touched: 0" in render_diff(result, "text")


def test_the_counts_agree_with_the_report() -> None:
    """The report computes its counts in the essay's first cell (and ``essay.coverage``)
    from the processed package; the diff, from the raw tables. Run that cell as the
    report does, on the real data, and compare."""
    cell = re.search(
        r"```\{python\}\n(.*?)```", (CHECKOUT / "reports" / "essay.qmd").read_text(), re.S
    )
    assert cell is not None
    essay: dict[str, object] = {}
    exec(compile(cell.group(1), "essay.qmd", "exec"), essay)  # the report's own code
    ours = counts(read_snapshots(working_tree(CHECKOUT), list(schemas.TABLES)))
    window = essay["window"]
    assert isinstance(window, dict)
    assert (ours.events, ours.sources) == (essay["n_events"], essay["n_sources"])
    assert (ours.start, ours.last, ours.read) == (window["start"], window["last"], window["read"])
