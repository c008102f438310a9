"""One event under two ids is refused, on the later line, naming both lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.tables import edit_table, read_rows
from ukreport.cli import main


def _again(source: int, new_id: str, **changes: str) -> object:
    def edit(rows: list[list[str]]) -> None:
        copy = list(rows[source])
        copy[rows[0].index("event_id")] = new_id
        for column, value in changes.items():
            copy[rows[0].index(column)] = value
        rows.append(copy)

    return edit


@pytest.mark.parametrize("source", [1, 2, 3])
@pytest.mark.parametrize(
    "changes",
    [{}, {"description": "Reworded."}, {"location": "Elsewhere", "key_theme": "Another"}],
)
def test_the_same_event_under_a_new_id_is_refused_with_both_lines(
    raw_dir: Path, capsys: pytest.CaptureFixture[str], source: int, changes: dict[str, str]
) -> None:
    path = raw_dir / "events.csv"
    edit_table(path, _again(source, "a-new-id-for-an-old-event", **changes))  # type: ignore[arg-type]
    last = len(read_rows(path))
    assert main(["validate", str(raw_dir)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:{last}:1: event_id: the same event as line {source + 1} " in out, out
    assert f"delete one of lines {source + 1} and {last}" in out


@pytest.mark.parametrize("column", ["date", "event_type", "actors", "participants", "source_url"])
def test_rows_that_differ_in_one_of_the_columns_are_two_events(raw_dir: Path, column: str) -> None:
    values = {
        "date": "2016-03-04",
        "event_type": "talks",
        "actors": "US; RU; UA",
        "participants": "Someone Else",
        "source_url": "https://www.reuters.com/another-page",
    }
    path = raw_dir / "events.csv"
    edit_table(path, _again(1, "another-event", **{column: values[column]}))  # type: ignore[arg-type]
    rows = read_rows(path)
    assert rows[1][rows[0].index(column)] != values[column]
    assert main(["validate", str(raw_dir)]) == 0
