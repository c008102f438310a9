"""``ukreport diff`` of a large change: every row counted, a bounded number shown.

The first ``--max-rows`` rows of each kind (added, removed, changed) in each table are
shown, by id, and the rest counted (``… and N more``); the Markdown report is never
longer than a pull-request comment can hold, however many rows and however long their
cells. Sizes here stay small enough for the test suite; ``benchmarks/bench_diff.py``
measures time and memory at 10⁶ rows.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.paths import VALID
from helpers.tables import read_rows, write_rows
from ukreport.cli import main
from ukreport.review.diff import diff_datasets
from ukreport.review.diff_format import COMMENT_LIMIT, render_markdown


def sides(
    root: Path, *, added: int = 0, removed: int = 0, changed: int = 0, length: int = 40
) -> tuple[Path, Path]:
    """Two folders of the valid tables: ``base`` with ``removed + changed`` extra events,
    ``head`` without the removed ones, with the changed ones' themes changed and with
    ``added`` new ones; the new text cells ``length`` characters long."""
    base, head = root / "base", root / "head"
    shutil.copytree(VALID, base)
    shutil.copytree(VALID, head)
    rows = read_rows(VALID / "events.csv")
    header, template = rows[0], rows[1]
    theme = header.index("key_theme")

    def row(row_id: str, text: str) -> list[str]:
        new = list(template)
        new[0] = row_id
        new[theme] = (text * (length // len(text) + 1))[:length]
        return new

    gone = [row(f"2031-removed-{i:07d}", "old ") for i in range(removed)]
    kept = [row(f"2032-changed-{i:07d}", "before ") for i in range(changed)]
    write_rows(base / "events.csv", [*rows, *gone, *kept])
    after = [row(r[0], "after ") for r in kept]
    new = [row(f"2033-added-{i:07d}", "new ") for i in range(added)]
    write_rows(head / "events.csv", [*rows, *after, *new])
    return base, head


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    assert main(["diff", *args, "--exit-zero"]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize(
    ("rows", "max_rows", "shown"),
    [
        (0, None, 0),
        (1, None, 1),
        (100, None, 100),
        (101, None, 100),
        (2_500, None, 100),
        (2_500, "1", 1),
        (2_500, "7", 7),
        (250, "0", 250),
    ],
)
@pytest.mark.parametrize("kind", ["added", "removed", "changed"])
def test_text_shows_the_first_rows_and_counts_the_rest(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    rows: int,
    max_rows: str | None,
    shown: int,
    kind: str,
) -> None:
    counts = {"added": 0, "removed": 0, "changed": 0, kind: rows}
    base, head = sides(tmp_path, **counts)
    extra = ["--max-rows", max_rows] if max_rows is not None else []
    out = run(capsys, str(base), str(head), *extra)
    sign = {"added": "+", "removed": "-", "changed": "~"}[kind]
    listed = re.findall(rf"^  {re.escape(sign)} (\S+)$", out, flags=re.MULTILINE)
    assert len(listed) == shown
    assert listed == sorted(listed)  # the first by id
    more = re.findall(rf"… and ([\d,]+) more {kind} rows?", out)
    assert [int(n.replace(",", "")) for n in more] == ([rows - shown] if rows > shown else [])


@pytest.mark.parametrize("max_rows", ["3", "0"])
def test_json_counts_every_row_and_says_when_it_lists_fewer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], max_rows: str
) -> None:
    base, head = sides(tmp_path, added=40, removed=20, changed=10)
    report = json.loads(
        run(capsys, str(base), str(head), "--format", "json", "--max-rows", max_rows)
    )
    events = next(t for t in report["tables"] if t["table"] == "events")
    assert events["counts"] == {"added": 40, "removed": 20, "changed": 10, "renamed": 0}
    limit = int(max_rows) or None
    for kind, count in events["counts"].items():
        assert len(events[kind]) == min(count, limit or count)
    assert events["truncated"] is report["truncated"] is (limit is not None)
    assert report["max_rows"] == limit


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    added=st.integers(0, 3_000),
    removed=st.integers(0, 400),
    changed=st.integers(0, 400),
    length=st.sampled_from([1, 40, 79, 80, 81, 500, 5_000]),
    limit=st.sampled_from([None, 1, 100, 5_000]),
)
def test_markdown_never_outgrows_a_comment(
    tmp_path_factory: pytest.TempPathFactory,
    added: int,
    removed: int,
    changed: int,
    length: int,
    limit: int | None,
) -> None:
    """However many rows and however long their cells: at most 65,536 characters,
    folded sections closed, and every row either shown or counted."""
    if added + removed + changed == 0:
        added = 1
    base, head = sides(
        tmp_path_factory.mktemp("sides"),
        added=added,
        removed=removed,
        changed=changed,
        length=length,
    )
    result = diff_datasets(str(base), str(head), limit=limit)
    text = render_markdown(result)
    assert len(text) <= COMMENT_LIMIT
    assert text.count("<details>") == text.count("</details>")
    events = text.split("### events.csv")[1].split("### initiatives.csv")[0]
    listed = len(re.findall(r"^- `20", events, flags=re.MULTILINE))
    table_rows = len(re.findall(r"^\| `20", events, flags=re.MULTILINE))
    more = sum(int(n.replace(",", "")) for n in re.findall(r"^… and ([\d,]+) more$", events, re.M))
    assert listed + table_rows + more == added + removed + changed
    if more:
        assert "`ukreport diff --max-rows 0` lists every row" in text


@pytest.mark.slow  # 20,000 rows of 300 characters
def test_a_large_change_is_a_comment_sized_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base, head = sides(tmp_path, added=20_000, length=300)
    out = run(capsys, str(base), str(head), "--format", "markdown", "--max-rows", "0")
    assert len(out) <= COMMENT_LIMIT
    assert "**20,000 added, 0 removed, 0 changed**" in out
    assert re.search(r"^… and [\d,]+ more$", out, flags=re.MULTILINE)
    assert "fit in one comment (65,536 characters)" in out
