"""``ukreport diff``: rows and columns changed between revisions, folders, the working tree."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from helpers.gitrepo import commit, isolate_git, run_git
from helpers.paths import VALID
from helpers.tables import edit_table, read_rows, set_cell, write_rows
from ukreport import _git as gitfiles
from ukreport import cli
from ukreport._git import (
    GitError,
    NotARepository,
    TooLarge,
    UnknownRevision,
    git,
    read_files,
    resolve,
)
from ukreport.cli import main_diff
from ukreport.review.diff import diff_datasets
from ukreport.review.diff_format import code_span, excerpts, render_diff
from ukreport.review.tables import DiffError, parse_table

EVENT = "2014-09-05-minsk-protocol"
"""The first row of tests/data/valid/events.csv."""


@pytest.fixture(autouse=True)
def git_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    isolate_git(monkeypatch)


def events(repo: Path) -> Path:
    return repo / "data" / "raw" / "events.csv"


def add_row(path: Path, row_id: str) -> None:
    rows = read_rows(path)
    rows.append([row_id, *rows[1][1:]])
    write_rows(path, rows)


def remove_row(path: Path, row_id: str) -> None:
    write_rows(path, [row for row in read_rows(path) if row[0] != row_id])


def add_column(path: Path, name: str, values: dict[str, str]) -> None:
    rows = read_rows(path)
    write_rows(path, [rows[0] + [name]] + [[*row, values.get(row[0], "")] for row in rows[1:]])


def change_everything(repo: Path) -> tuple[str, str]:
    """Add a row, remove a row, change a cell and add a column to events.csv."""
    rows = read_rows(events(repo))
    removed = rows[2][0]
    add_row(events(repo), "2030-01-01-new-event")
    remove_row(events(repo), removed)
    edit_table(events(repo), set_cell(1, "location", "Minsk, Belarus"))
    add_column(events(repo), "region", {EVENT: "Eastern Europe"})
    return removed, "2030-01-01-new-event"


def test_nothing_changed(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main_diff("v0.1.0") == 0
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "data changes from BASE (v0.1.0) to HEAD (the working tree)",
        "events.csv: no changes",
        "initiatives.csv: no changes",
        "cooperation.csv: no changes",
        "claims.csv: no changes",
    ]


def test_text_report_of_the_working_tree(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    removed, added = change_everything(repo)
    assert main_diff("v0.1.0") == 1
    out = capsys.readouterr().out
    assert "events.csv: 1 added, 1 removed, 1 changed" in out
    assert "  column added: region" in out
    assert f"  + {added}" in out
    assert f"  - {removed}" in out
    assert f"  ~ {EVENT}" in out
    assert '      location: "Minsk" → "Minsk, Belarus"' in out
    # The new column's value is a change of that row; blank values are none.
    assert '      region: (no column) → "Eastern Europe"' in out
    assert out.count("region:") == 1
    assert "initiatives.csv: no changes" in out


def test_exit_zero(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    change_everything(repo)
    assert main_diff("v0.1.0", exit_zero=True) == 0
    assert "1 added, 1 removed, 1 changed" in capsys.readouterr().out


def test_between_two_revisions(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    change_everything(repo)
    commit(repo, "edit events")
    edit_table(events(repo), set_cell(1, "location", "uncommitted"))
    assert main_diff("v0.1.0", "HEAD", fmt="json") == 1
    report = json.loads(capsys.readouterr().out)
    table = report["tables"][0]
    assert report["base"]["label"] == "v0.1.0"
    assert len(report["head"]["commit"]) == 40
    assert table["counts"] == {"added": 1, "removed": 1, "changed": 1, "renamed": 0}
    assert table["changed"][0]["cells"][0] == {
        "column": "location",
        "before": "Minsk",
        "after": "Minsk, Belarus",
    }
    # Comparing a revision with itself (or HEAD with HEAD) finds nothing.
    assert main_diff("HEAD", "HEAD") == 0


def test_json_report(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    removed, added = change_everything(repo)
    long = "A much longer description. " * 20
    edit_table(events(repo), set_cell(1, "description", long))
    assert main_diff("v0.1.0", fmt="json") == 1
    report = json.loads(capsys.readouterr().out)
    assert report["changed"] is True
    assert report["head"] == {"label": "the working tree", "commit": None}
    events_diff, initiatives_diff, _, _ = report["tables"]
    assert events_diff["status"] == "changed"
    assert events_diff["columns"] == {"added": ["region"], "removed": [], "retyped": []}
    assert [row["id"] for row in events_diff["added"]] == [added]
    assert events_diff["added"][0]["row"]["event_id"] == added
    assert [row["id"] for row in events_diff["removed"]] == [removed]
    cells = {cell["column"]: cell for cell in events_diff["changed"][0]["cells"]}
    assert list(cells) == ["description", "location", "region"]  # header order
    assert cells["description"]["after"] == long  # JSON never shortens
    assert cells["region"]["before"] is None
    assert initiatives_diff["status"] == "unchanged"


def test_markdown_report(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    removed, added = change_everything(repo)
    edit_table(events(repo), set_cell(1, "key_theme", "a | b `c`"))
    assert main_diff("v0.1.0", fmt="markdown") == 1
    out = capsys.readouterr().out
    assert out.startswith("## Data changes: `v0.1.0` → the working tree\n")
    assert "### events.csv\n\n**1 added, 1 removed, 1 changed**\n" in out
    assert "### initiatives.csv\n\nNo changes.\n" in out
    assert "- column added: `region`" in out
    assert f"- `{added}`: date `" in out
    assert f"- `{removed}`" in out
    assert "| event_id | column | before | after |" in out
    assert f"| `{EVENT}` | `key_theme` | `Donbas ceasefire` | `` a \\| b `c` `` |" in out
    assert "|  | `region` | *(no column)* | `Eastern Europe` |" in out
    # Every table row has the same number of unescaped pipes.
    table_rows = [line for line in out.splitlines() if line.startswith("|")]
    assert {line.replace("\\|", "").count("|") for line in table_rows} == {5}


def test_markdown_folds_long_sections(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for number in range(12):
        add_row(events(repo), f"2030-01-{number + 1:02d}-new")
    main_diff("v0.1.0", fmt="markdown")
    out = capsys.readouterr().out
    assert "<details><summary>Added rows (12)</summary>\n\n- `2030-01-01-new`" in out


def test_output_is_deterministic_and_sorted(repo: Path) -> None:
    for row_id in ("2030-03-zz", "2030-01-aa", "2030-02-mm"):
        add_row(events(repo), row_id)
    first = render_diff(diff_datasets("v0.1.0"), "json")
    assert first == render_diff(diff_datasets("v0.1.0"), "json")
    added = [row["id"] for row in json.loads(first)["tables"][0]["added"]]
    assert added == ["2030-01-aa", "2030-02-mm", "2030-03-zz"]


def test_column_removed_and_retyped(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = read_rows(events(repo))
    drop = rows[0].index("participants")
    write_rows(events(repo), [row[:drop] + row[drop + 1 :] for row in rows])
    schema_path = repo / "schemas" / "raw" / "events.json"
    schema = json.loads(schema_path.read_text())
    accessed = next(f for f in schema["fields"] if f["name"] == "accessed")
    accessed["type"] = "string"
    schema_path.write_text(json.dumps(schema))
    assert main_diff("v0.1.0") == 1
    out = capsys.readouterr().out
    assert "  column removed: participants" in out
    assert "  column retyped: accessed: date → string" in out
    assert '      participants: "Leonid Kuchma; Heidi Tagliavini" → (no column)' in out


def test_table_missing_at_head_counts_as_removed(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "data" / "raw" / "cooperation.csv").unlink()
    assert main_diff("v0.1.0") == 1
    out = capsys.readouterr().out
    assert "cooperation.csv: 0 added, 2 removed, 0 changed" in out
    assert (
        "cooperation.csv is missing at HEAD (the working tree): every row counts as removed" in out
    )


def test_table_missing_at_base_counts_as_added(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = repo / "data" / "raw" / "initiatives.csv"
    kept = path.read_bytes()
    path.unlink()
    commit(repo, "before initiatives", tag="v0.0.1")
    path.write_bytes(kept)
    assert main_diff("v0.0.1", fmt="json") == 1
    table = json.loads(capsys.readouterr().out)["tables"][1]
    assert table["status"] == "added"
    assert table["counts"] == {"added": 3, "removed": 0, "changed": 0, "renamed": 0}


def test_side_without_any_table_is_an_error(repo: Path) -> None:
    shutil.rmtree(repo / "data")
    commit(repo, "no data yet", tag="empty")
    with pytest.raises(DiffError, match=r"events.csv, .* are all missing at BASE \(empty\)") as e:
        diff_datasets("empty", "v0.1.0")
    assert e.value.exit_code == 2


def test_unknown_revision(repo: Path) -> None:
    with pytest.raises(UnknownRevision, match=r"^unknown revision 'v9': no commit, branch") as e:
        main_diff("v9")
    assert e.value.exit_code == 2
    with pytest.raises(UnknownRevision, match="'--help'"):
        main_diff("--help")


def test_revision_outside_a_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    with pytest.raises(NotARepository, match="is not inside a git repository"):
        main_diff("v0.1.0")


def test_two_folders_need_no_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(VALID, tmp_path / "old")
    shutil.copytree(VALID, tmp_path / "new")
    edit_table(tmp_path / "new" / "events.csv", set_cell(2, "date", "2023-08-23"))
    monkeypatch.chdir(tmp_path)
    assert main_diff("old", "new") == 1
    out = capsys.readouterr().out
    assert out.startswith("data changes from BASE (old) to HEAD (new)\n")
    assert '      date: "August 2023" → "2023-08-23"' in out


def test_output_file(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    change_everything(repo)
    target = repo / "out" / "diff.md"
    assert main_diff("v0.1.0", fmt="markdown", output=target) == 1
    assert capsys.readouterr().out == ""
    assert target.read_text(encoding="utf-8").startswith("## Data changes")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"event_id,date\na,1\na,2\n", r"x.csv:3: event_id 'a' is already used on line 2"),
        (b'event_id,date\na,"1\n2"\na,3\n', r"x.csv:4: event_id 'a' is already used on line 2"),
        (b"event_id,date\na,1,extra\n", r"x.csv:2:3: the row has 3 fields but the header has 2"),
        (b"id,date\na,1\n", r"x.csv: the header has no 'event_id' column"),
        (b"event_id\n\xff\n", r"x.csv:2:1: byte 0xff is not valid UTF-8"),
        (b"", r"x.csv:1:1: the file is empty"),
        (b'event_id,date\n"a,1\n', r"x.csv:2:1: a quoted cell is never closed"),
        # Read as `ukreport validate` reads: no blank line, no CR on its own, UTF-8 only.
        (b"event_id,date\na,1\n\nb,2\n", r"x.csv:3:1: empty line — delete the empty line"),
        (b"event_id,date\ra,1\n", r"x.csv:1:14: a carriage return \(CR\) character on its own"),
        (b"\xff\xfee\x00v\x00", r"x.csv:1:1: the file is UTF-16 text"),
        (b"event_id,date\na,1\nb,\x002\n", r"x.csv:3:3: a NUL byte"),
    ],
)
def test_unreadable_tables(data: bytes, message: str) -> None:
    with pytest.raises(DiffError, match=message):
        parse_table(data, "x.csv", "event_id")


@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbfevent_id,date\na,1\nb,2\n",
        b"event_id,date\r\na,1\r\nb,2\r\n",
        b"\xef\xbb\xbfevent_id,date\r\na,1\r\nb,2",
        b"event_id,date\na,1\r\nb,2\n",
    ],
)
def test_files_as_spreadsheets_save_them_diff_as_their_cells(data: bytes) -> None:
    """A BOM and CR LF endings are how a file was saved, not a change to the data."""
    table = parse_table(data, "x.csv", "event_id")
    assert table.header == ["event_id", "date"]
    assert table.rows == {
        "a": {"event_id": "a", "date": "1"},
        "b": {"event_id": "b", "date": "2"},
    }


def test_unreadable_table_at_a_revision(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    events(repo).write_bytes(events(repo).read_text(encoding="utf-8").encode("utf-16"))
    commit(repo, "UTF-16", tag="utf16")
    assert cli.main(["diff", "utf16", "v0.1.0"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        "ukreport: utf16:data/raw/events.csv:1:1: the file is UTF-16 text (it starts with a "
        "UTF-16 byte-order mark) — save it as UTF-8"
    ), err
    assert err.count("\n") == 1


def test_a_table_saved_by_a_spreadsheet_is_no_change(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = events(repo).read_text(encoding="utf-8")
    events(repo).write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert cli.main(["diff", "v0.1.0"]) == 0
    assert "events.csv: no changes" in capsys.readouterr().out


def test_values_are_text() -> None:
    table = parse_table(b"event_id,n\na,007\nb,\n", "x.csv", "event_id")
    assert table.rows == {"a": {"event_id": "a", "n": "007"}, "b": {"event_id": "b", "n": ""}}


def test_excerpts_cut_around_the_change() -> None:
    before = "x" * 100 + "OLD" + "y" * 100
    after = "x" * 100 + "NEW" + "y" * 100
    short_before, short_after = excerpts(before, after, 40)
    assert short_before == "…" + "x" * 10 + "OLD" + "y" * 10 + "…"
    assert short_after == "…" + "x" * 10 + "NEW" + "y" * 10 + "…"
    assert excerpts("short", "also short", 40) == ("short", "also short")


@pytest.mark.parametrize(
    ("value", "span"),
    [
        ("plain", "`plain`"),
        ("a|b", "`a\\|b`"),
        ("`tick`", "`` `tick` ``"),
        ("two `` ticks", "```two `` ticks```"),
        ("line\nbreak", "`line↵break`"),
        ("<script>", "`<script>`"),
    ],
)
def test_code_span(value: str, span: str) -> None:
    assert code_span(value) == span


def test_git_wrapper_reports_the_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    with pytest.raises(GitError, match=r"git exited with status \d+: .*not a git repository"):
        git(["log"], tmp_path)


def test_command_line(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    change_everything(repo)
    assert cli.main(["diff", "v0.1.0", "--format", "markdown"]) == 1
    assert "**1 added, 1 removed, 1 changed**" in capsys.readouterr().out
    assert cli.main(["diff", "v0.1.0", "--exit-zero"]) == 0
    capsys.readouterr()
    assert cli.main(["diff", "v9"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ukreport: unknown revision 'v9': ")
    assert "Traceback" not in err


def test_project_in_a_subfolder_of_the_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "mono" / "ukreport"
    shutil.copytree(VALID, project / "data" / "raw")
    (tmp_path / "mono" / "data" / "raw").mkdir(parents=True)  # a decoy at the top
    run_git(tmp_path / "mono", "init", "-q")
    commit(tmp_path / "mono", "data", tag="v1")
    edit_table(project / "data" / "raw" / "cooperation.csv", set_cell(1, "area", "Energy"))
    monkeypatch.chdir(project)
    assert main_diff("v1") == 1
    assert '      area: "Energy Sector" → "Energy"' in capsys.readouterr().out


def test_read_files_in_one_call(repo: Path) -> None:
    found = read_files(resolve("v0.1.0"), ["pyproject.toml", "nope.txt", "data"])
    assert found == {
        "pyproject.toml": b'[project]\nname = "x"\nversion = "0.1.0"\n',
        "nope.txt": None,
        "data": None,  # a folder is not a file
    }


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
@pytest.mark.parametrize("char", ["\u202e", "\u2067", "\u200b", "\ufeff", "\U000e0041", "\u3164"])
def test_invisible_characters_are_shown_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str, char: str
) -> None:
    """A right-to-left override once made the diff show `…/exe.png` for an address
    ending `gnp.exe`: the reviewer sees the escape instead, and JSON stays JSON."""
    shutil.copytree(VALID, tmp_path / "old")
    shutil.copytree(VALID, tmp_path / "new")
    url = f"https://example.org/{char}gnp.exe"
    edit_table(tmp_path / "new" / "events.csv", set_cell(1, "source_url", url))
    assert cli.main(["diff", str(tmp_path / "old"), str(tmp_path / "new"), "--format", fmt]) == 1
    out = capsys.readouterr().out
    assert char not in out
    if fmt == "json":
        document = json.loads(out)
        assert url in json.dumps(document, ensure_ascii=False)
    else:
        assert char.encode("unicode_escape").decode() + "gnp.exe" in out


def test_a_file_at_a_revision_over_the_cap_is_not_read(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A table at a revision larger than a table may be is named with its size (exit 2),
    as a file on disk is."""
    size = events(repo).stat().st_size
    monkeypatch.setattr("ukreport.validation.reading.MAX_TABLE_BYTES", size - 1)
    assert cli.main(["diff", "v0.1.0", "HEAD"]) == 2
    err = capsys.readouterr().err
    assert f"v0.1.0:data/raw/events.csv: is {size:,} bytes" in err, err
    assert "Traceback" not in err


def test_read_files_asks_the_sizes_before_the_bytes(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    commit_id = resolve("v0.1.0")
    asked: list[list[str]] = []
    real = gitfiles.run

    def run(command: list[str], **kwargs: Any) -> Any:
        asked.append(command)
        return real(command, **kwargs)

    monkeypatch.setattr(gitfiles, "run", run)
    with pytest.raises(TooLarge) as caught:
        read_files(commit_id, ["data/raw/events.csv"], limit=10)
    assert caught.value.size == events(repo).stat().st_size
    assert asked == [["git", "cat-file", "--batch-check"]]  # the bytes were never asked for
    found = read_files(commit_id, ["data/raw/events.csv", "nowhere.csv"], limit=1 << 30)
    assert found["data/raw/events.csv"] == events(repo).read_bytes()
    assert found["nowhere.csv"] is None
