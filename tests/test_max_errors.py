"""A table where every row is wrong: the first failures in file order, the count of all."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from helpers.tables import edit_table, read_rows, set_cell, write_rows
from ukreport.cli import main
from ukreport.validation import cases as validation_cases
from ukreport.validation.validate import validate

ROWS = 3000
TOTAL = 2 * ROWS + ROWS // 2
"""Every row has a day that does not exist and an address without its scheme, and every
second row repeats the id of the one before."""
MORE = re.compile(r"^… and ([\d,]+) more failures? \(--max-errors 0 shows all\)$")


def all_bad(raw_dir: Path, rows: int = ROWS) -> Path:
    """Replace the events table with ``rows`` rows, every one of them wrong."""
    path = raw_dir / "events.csv"
    table = read_rows(path)
    header, model = table[0], table[1]
    bad = []
    for i in range(rows):
        row = dict(zip(header, model, strict=True))
        row["event_id"] = f"bad-event-{i // 2}"
        row["date"] = f"{2000 + i % 20}-02-30"
        row["source_url"] = f"www.example.org/page/{i}"
        bad.append([row[name] for name in header])
    write_rows(path, [header, *bad])
    return path


def failure_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if not MORE.match(line)]


def test_an_all_bad_table_gives_the_right_total(raw_dir: Path) -> None:
    report = validate([all_bad(raw_dir)])
    assert report.failure_count == TOTAL
    failures = report.failures
    assert len(failures) == TOTAL
    counts: dict[str, int] = {}
    for failure in failures:
        counts[failure.column_name or ""] = counts.get(failure.column_name or "", 0) + 1
    assert counts == {"event_id": ROWS // 2, "date": ROWS, "source_url": ROWS}
    assert report.exit_code == 1


def test_the_first_failures_in_file_order_then_a_count(
    raw_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = all_bad(raw_dir)
    assert main(["validate", str(path), "--max-errors", "0"]) == 1
    everything = capsys.readouterr().out.splitlines()
    assert len(everything) == TOTAL and not any(MORE.match(line) for line in everything)
    lines = [int(line.split(":")[1]) for line in everything]
    assert lines == sorted(lines)  # file order
    assert everything[:3] == [
        f"{path}:2:2: is not a real day ('2000-02-30') — check the day and month "
        "(e.g. there is no 30 February)",
        f"{path}:2:11: is not a web address ('www.example.org/page/0') — give the full "
        "address, starting https://",
        f"{path}:3:1: duplicate id (first used on line 2) ('bad-event-0') — give every row "
        "its own id",
    ]

    assert main(["validate", str(path), "--max-errors", "7"]) == 1
    out, err = capsys.readouterr()
    shown = out.splitlines()
    assert shown[:-1] == everything[:7]
    assert shown[-1] == f"… and {TOTAL - 7:,} more failures (--max-errors 0 shows all)"
    assert f"{TOTAL} failure(s)" in err


def test_a_hundred_failures_by_default(raw_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(all_bad(raw_dir))]) == 1
    shown = capsys.readouterr().out.splitlines()
    assert len(shown) == 101
    match = MORE.match(shown[-1])
    assert match and int(match.group(1).replace(",", "")) == TOTAL - 100


def test_one_more_failure_is_singular(raw_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit_table(
        raw_dir / "events.csv",
        set_cell(1, "date", "2023-02-30"),
        set_cell(2, "event_type", "phonecall"),
    )
    assert main(["validate", str(raw_dir), "--max-errors", "1"]) == 1
    shown = capsys.readouterr().out.splitlines()
    assert len(shown) == 2 and ":2:2: is not a real day" in shown[0]
    assert shown[1] == "… and 1 more failure (--max-errors 0 shows all)"


def test_failures_are_listed_file_by_file(raw_dir: Path) -> None:
    """Every file's failures together, by line, even those found across tables."""
    edit_table(raw_dir / "events.csv", set_cell(3, "event_type", "phonecall"))
    edit_table(raw_dir / "events.csv", set_cell(1, "initiative_id", "minsk-iii"))
    edit_table(raw_dir / "initiatives.csv", set_cell(1, "status", "unknown"))
    report = validate([raw_dir])
    where = [(Path(f.file).name, f.line, f.column_name) for f in report.failures]
    assert where == [
        ("events.csv", 2, "initiative_id"),
        ("events.csv", 4, "event_type"),
        ("initiatives.csv", 2, "status"),
    ]
    assert [str(f) for f in report.first(2)] == [str(f) for f in report.failures[:2]]


def test_json_carries_the_total(raw_dir: Path, tmp_path: Path) -> None:
    path, out = all_bad(raw_dir), tmp_path / "report.json"
    assert main(["validate", str(path), "--format", "json", "--output", str(out)]) == 1
    document = json.loads(out.read_text(encoding="utf-8"))
    assert len(document["failures"]) == 100
    assert document["failure_count"] == TOTAL
    assert document["truncated"] is True
    assert document["valid"] is False and document["exit_code"] == 1
    assert document["failures"][0]["line"] == 2

    argv = ["validate", str(path), "--format", "json", "--output", str(out), "--max-errors", "0"]
    assert main(argv) == 1
    document = json.loads(out.read_text(encoding="utf-8"))
    assert len(document["failures"]) == document["failure_count"] == TOTAL
    assert document["truncated"] is False


def test_junit_carries_the_total(raw_dir: Path, tmp_path: Path) -> None:
    path, out = all_bad(raw_dir), tmp_path / "report.xml"
    argv = ["validate", str(path), "--format", "junit", "--output", str(out), "--max-errors", "5"]
    assert main(argv) == 1
    suites = ET.parse(out).getroot()
    assert suites.get("failures") == str(TOTAL)
    [suite] = [s for s in suites.iter("testsuite") if s.get("name") == str(path)]
    assert suite.get("failures") == str(TOTAL)
    cases = list(suite.iter("testcase"))
    assert [c.get("line") for c in cases[:5]] == ["2", "2", "3", "3", "3"]
    assert cases[5].get("name") == f"… and {TOTAL - 5:,} more failures (--max-errors 0 shows all)"
    assert suite.get("tests") == "6" == str(len(cases))


def test_a_valid_table_says_nothing_more(raw_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    assert main(["validate", str(raw_dir), "--format", "json", "--output", str(out)]) == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["failures"] == [] and document["failure_count"] == 0
    assert document["truncated"] is False


def test_line_breaks_in_cells_keep_the_first_failures_right(raw_dir: Path) -> None:
    path = all_bad(raw_dir, rows=50)
    edit_table(path, set_cell(1, "description", "one\ntwo"), set_cell(3, "key_theme", "a\nb\nc"))
    report = validate([path])
    lines = [(f.line, f.column_name) for f in report.first(6)]
    assert lines == [
        (2, "date"),
        (2, "description"),
        (2, "source_url"),
        (4, "event_id"),
        (4, "date"),
        (4, "source_url"),
    ]
    # Row 3 starts on line 5 and spans three, so row 4 starts on line 8.
    assert [(f.line, f.column_name) for f in report.failures[6:10]] == [
        (5, "date"),
        (5, "key_theme"),
        (5, "source_url"),
        (8, "event_id"),
    ]


def test_process_shows_the_same_cap(
    raw_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    all_bad(raw_dir)
    out = tmp_path / "out"
    assert main(["process", "--raw", str(raw_dir), "--out", str(out), "--max-errors", "3"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 5
    assert MORE.match(err[3])
    assert err[4].startswith("ukreport: nothing written to")
    assert not out.exists()


@pytest.mark.parametrize("value", ["-1", "many"])
def test_max_errors_must_be_a_count(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", "--max-errors", value])
    assert exit_info.value.code == 2
    assert "--max-errors" in capsys.readouterr().err


def test_two_threads_report_what_one_reports(
    raw_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large table's columns are checked in two threads; the failures, and their order
    (a cell failing a column check and a row rule included), are those of one thread."""
    path = all_bad(raw_dir, rows=200)
    edit_table(
        path,
        set_cell(1, "verified_date", "two\nlines"),
        set_cell(2, "verification", "unverified"),
        set_cell(2, "verification_note", ""),
        set_cell(3, "event_type", "phonecall"),
        set_cell(4, "actors", "XX"),
        set_cell(5, "initiative_id", "minsk-iii"),
    )
    monkeypatch.setattr(validation_cases, "PARALLEL_ROWS", 10**9)
    one = [str(failure) for failure in validate([raw_dir]).failures]
    monkeypatch.setattr(validation_cases, "PARALLEL_ROWS", 0)
    two = [str(failure) for failure in validate([raw_dir]).failures]
    assert two == one
    assert any("line break" in line for line in one) and any("needs a note" in line for line in one)
