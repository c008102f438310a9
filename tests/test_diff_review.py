"""What a reviewer needs beside the cells: each row's source whole, and renames as such."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.paths import VALID
from helpers.tables import edit_table, read_rows, set_cell, write_rows
from ukreport import cli
from ukreport.review.diff import diff_datasets
from ukreport.review.diff_cells import md_link
from ukreport.review.diff_format import render_diff
from ukreport.review.renames import id_stem

EVENT = "2014-09-05-minsk-protocol"
LONG_URL = "https://example.org/" + "a-very-long-path-segment/" * 6 + "page?id=1&x=(2)|3"
"""Longer than the Markdown width (80), with what a link could break on."""


@pytest.fixture
def sides(tmp_path: Path) -> tuple[Path, Path]:
    base, head = tmp_path / "base", tmp_path / "head"
    shutil.copytree(VALID, base)
    shutil.copytree(VALID, head)
    return base, head


def render(base: Path, head: Path, fmt: str) -> str:
    return render_diff(diff_datasets(str(base), str(head)), fmt)


def rename(path: Path, old: str, new: str, **cells: str) -> None:
    rows = read_rows(path)
    for row in rows[1:]:
        if row[0] == old:
            row[0] = new
            for column, value in cells.items():
                row[rows[0].index(column)] = value
    write_rows(path, rows)


def test_a_changed_row_shows_its_unchanged_source(sides: tuple[Path, Path]) -> None:
    base, head = sides
    edit_table(head / "events.csv", set_cell(1, "location", "Minsk, Belarus"))
    row = dict(zip(*read_rows(head / "events.csv")[:2], strict=True))
    text = render(base, head, "text")
    assert f'      source: "{row["source_title"]}" <{row["source_url"]}>' in text
    markdown = render(base, head, "markdown")
    assert f"|  | *source* |  | {md_link(row['source_url'], row['source_title'])} |" in markdown
    assert f"](<{row['source_url']}>) |" in markdown
    changed = json.loads(render(base, head, "json"))["tables"][0]["changed"][0]
    assert changed["source"] == {"title": row["source_title"], "url": row["source_url"]}


def test_markdown_keeps_every_address_whole_and_clickable(sides: tuple[Path, Path]) -> None:
    base, head = sides
    edit_table(base / "events.csv", set_cell(1, "source_url", LONG_URL))
    edit_table(head / "events.csv", set_cell(1, "source_url", LONG_URL + "&more"))
    edit_table(head / "events.csv", set_cell(2, "verified_source_url", LONG_URL))
    rows = read_rows(base / "events.csv")
    removed = rows[3][0]
    rows[3][rows[0].index("source_url")] = LONG_URL + "#removed"
    write_rows(base / "events.csv", rows)
    write_rows(head / "events.csv", [r for r in read_rows(head / "events.csv") if r[0] != removed])
    out = render(base, head, "markdown")
    encoded = LONG_URL.replace("|", "%7C")
    targets = re.findall(r"\]\(<([^>]*)>\)", out)
    assert f"{encoded}&more" in targets  # after, in the changed cell and the source line
    assert encoded in targets  # before, and the new verified source
    assert f"{encoded}#removed" in targets  # the removed row's source
    assert "…" not in "".join(targets)
    # Never inside a code span, where it could not be clicked.
    spans = [m.group(2) for m in re.finditer(r"(`+)(.+?)\1", out)]
    assert spans and not [span for span in spans if "://" in span]
    # Every table row still has five unescaped pipes.
    table_rows = [line for line in out.splitlines() if line.startswith("|")]
    assert {line.replace("\\|", "").count("|") for line in table_rows} == {5}
    text = render(base, head, "text")
    assert f"<{LONG_URL}&more>" in text and f'"{LONG_URL}#removed"' in text


def test_the_removed_row_names_its_source(sides: tuple[Path, Path]) -> None:
    base, head = sides
    rows = read_rows(head / "events.csv")
    gone = dict(zip(rows[0], rows[2], strict=True))
    write_rows(head / "events.csv", [rows[0], rows[1], rows[3]])
    out = render(base, head, "markdown")
    line = next(line for line in out.splitlines() if line.startswith(f"- `{gone['event_id']}`"))
    assert line.endswith(f" · source: {md_link(gone['source_url'], gone['source_title'])}")
    assert "source_url `" not in line


def test_a_rename_is_one_row_not_two(sides: tuple[Path, Path]) -> None:
    base, head = sides
    rename(head / "events.csv", EVENT, "2014-09-05-minsk-protocol-signed")
    result = diff_datasets(str(base), str(head))
    events = result.tables[0]
    assert (events.added_count, events.removed_count, events.renamed_count) == (0, 0, 1)
    (renamed,) = events.renamed
    assert (renamed.before_id, renamed.row_id, renamed.cells) == (
        EVENT,
        "2014-09-05-minsk-protocol-signed",
        (),
    )
    text = render(base, head, "text")
    assert "events.csv: 0 added, 0 removed, 0 changed, 1 renamed" in text
    assert f"  ~ {EVENT} → 2014-09-05-minsk-protocol-signed (renamed)" in text
    markdown = render(base, head, "markdown")
    assert f"- `{EVENT}` → `2014-09-05-minsk-protocol-signed`: source: [" in markdown
    assert "Added rows" not in markdown and "Removed rows" not in markdown


def test_a_rename_with_its_date_corrected(sides: tuple[Path, Path]) -> None:
    """The id follows the date; other cells may change with it, and are shown."""
    base, head = sides
    rename(
        head / "events.csv",
        EVENT,
        "2014-09-06-minsk-protocol",
        date="2014-09-06",
        location="Minsk, Belarus",
    )
    events = diff_datasets(str(base), str(head)).tables[0]
    (renamed,) = events.renamed
    assert renamed.row_id == "2014-09-06-minsk-protocol"
    assert [(c.column, c.before, c.after) for c in renamed.cells] == [
        ("date", "2014-09-05", "2014-09-06"),
        ("location", "Minsk", "Minsk, Belarus"),
    ]
    out = json.loads(render(base, head, "json"))["tables"][0]
    assert out["counts"] == {"added": 0, "removed": 0, "changed": 0, "renamed": 1}
    assert out["renamed"][0]["before_id"] == EVENT


def test_unrelated_rows_are_not_a_rename(sides: tuple[Path, Path]) -> None:
    """A row removed and a different one added stay a removal and an addition, even when
    they share most cells but the id's words (two rounds of talks at one venue)."""
    base, head = sides
    rows = read_rows(head / "events.csv")
    row = list(rows[1])
    row[0] = "2014-10-05-minsk-follow-up"
    row[rows[0].index("description")] = "A follow-up meeting in Minsk."
    write_rows(head / "events.csv", [r for r in rows if r[0] != EVENT] + [row])
    events = diff_datasets(str(base), str(head)).tables[0]
    assert (events.added_count, events.removed_count, events.renamed_count) == (1, 1, 0)


def test_a_date_only_stem_pairs_nothing(sides: tuple[Path, Path]) -> None:
    """Ids that are only dates have no words to match on: only identical content pairs."""
    assert id_stem("2014-09-05") == ""
    assert id_stem("2025-09-22-zelenskyy-kellogg-meeting") == "zelenskyy-kellogg-meeting"
    assert id_stem("trump-putin-talks-october-2023") == "trump-putin-talks"


def test_identical_rows_under_new_ids_pair_in_id_order(sides: tuple[Path, Path]) -> None:
    base, head = sides
    rows = read_rows(base / "events.csv")
    copies = [[f"2031-copy-{n}", *rows[1][1:]] for n in (1, 2)]
    write_rows(base / "events.csv", [*rows, *copies])
    news = [[f"2032-new-{n}", *rows[1][1:]] for n in (2, 1)]
    write_rows(head / "events.csv", [*rows, *news])
    events = diff_datasets(str(base), str(head)).tables[0]
    assert [(r.before_id, r.row_id) for r in events.renamed] == [
        ("2031-copy-1", "2032-new-1"),
        ("2031-copy-2", "2032-new-2"),
    ]


def test_command_line_shows_renames(
    sides: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    base, head = sides
    rename(head / "initiatives.csv", "osce-smm", "osce-special-monitoring-mission")
    assert cli.main(["diff", str(base), str(head)]) == 1
    out = capsys.readouterr().out
    assert "initiatives.csv: 0 added, 0 removed, 0 changed, 1 renamed" in out
    assert "  ~ osce-smm → osce-special-monitoring-mission (renamed)" in out


@settings(max_examples=30, deadline=None)
@given(
    edits=st.lists(
        st.tuples(st.sampled_from(["rename", "redate", "remove", "add"]), st.integers(1, 3)),
        max_size=5,
    )
)
def test_renames_account_for_every_row(edits: list[tuple[str, int]]) -> None:
    """However rows are renamed, removed and added, every id only in the base is removed
    or renamed, every id only in the head added or renamed, and each once."""
    with tempfile.TemporaryDirectory() as folder:
        base, head = Path(folder) / "base", Path(folder) / "head"
        shutil.copytree(VALID, base)
        shutil.copytree(VALID, head)
        rows = read_rows(head / "events.csv")
        date = rows[0].index("date")
        for number, (kind, row) in enumerate(edits):
            if row >= len(rows):
                continue
            if kind in ("rename", "redate"):
                rows[row][0] = f"{rows[row][0]}-{number}"
                if kind == "redate":
                    rows[row][date] = f"2020-01-{number + 1:02d}"
            elif kind == "remove":
                del rows[row]
            else:
                rows.append([f"2033-added-{number}", *rows[row][1:]])
        write_rows(head / "events.csv", rows)
        events = diff_datasets(str(base), str(head)).tables[0]
        before = {r[0] for r in read_rows(base / "events.csv")[1:]}
        after = {r[0] for r in rows[1:]}
        olds = [r.before_id for r in events.renamed]
        news = [r.row_id for r in events.renamed]
        assert len(set(olds)) == len(olds) and len(set(news)) == len(news)
        assert sorted([*olds, *(r.row_id for r in events.removed)]) == sorted(before - after)
        assert sorted([*news, *(r.row_id for r in events.added)]) == sorted(after - before)
