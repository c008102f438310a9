"""What is read as a table: regular files only, of bounded size, in UTF-8 (a spreadsheet's
BOM and CR LF included), one file per table name; anything else is one line naming the
file, line and column, exit status 2, and never more than a short excerpt of its bytes."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.paths import VALID
from helpers.tables import edit_table, set_cell
from ukreport.cli import main
from ukreport.validation.careful import _malformed_column
from ukreport.validation.reading import MAX_TABLE_BYTES, read_bytes

EVENTS = (VALID / "events.csv").read_bytes()


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _socket(path: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()


def _link(target: str) -> Callable[[Path], None]:
    return lambda path: path.symlink_to(target)


def _folder(path: Path) -> None:
    path.mkdir()


def _huge(path: Path) -> None:
    """A sparse file one byte over the limit: no disk used, refused by its size."""
    with path.open("wb") as handle:
        handle.truncate(MAX_TABLE_BYTES + 1)


KINDS: list[tuple[str, Callable[[Path], None], str]] = [
    ("FIFO", _fifo, "is a named pipe (FIFO), not a CSV file"),
    ("socket", _socket, "is a socket, not a CSV file"),
    ("link to /dev/zero", _link("/dev/zero"), "is a character device, not a CSV file"),
    ("link to /dev/null", _link("/dev/null"), "is a character device, not a CSV file"),
    ("link to /dev/urandom", _link("/dev/urandom"), "is a character device, not a CSV file"),
    ("dangling link", _link("/nonexistent/events.csv"), "no such file"),
    ("larger than the limit", _huge, f"is {MAX_TABLE_BYTES + 1:,} bytes; a table is read only"),
]


@pytest.mark.parametrize(("kind", "make", "message"), KINDS, ids=[k[0] for k in KINDS])
@pytest.mark.parametrize("command", ["validate-folder", "validate-file", "process", "diff"])
def test_only_regular_files_are_read(
    raw_dir: Path,
    capsys: pytest.CaptureFixture[str],
    kind: str,
    make: Callable[[Path], None],
    message: str,
    command: str,
) -> None:
    """Each is refused at once (a FIFO would block, /dev/zero fill the memory), in one
    line naming the file, with exit status 2: by validate, process and diff alike."""
    path = raw_dir / "events.csv"
    path.unlink()
    make(path)
    out_dir = raw_dir.parent / "out"
    argv = {
        "validate-folder": ["validate", str(raw_dir)],
        "validate-file": ["validate", str(path)],
        "process": ["process", "--raw", str(raw_dir), "--out", str(out_dir)],
        "diff": ["diff", str(VALID), str(raw_dir)],
    }[command]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert f"{path}: {message}" in err, err
    assert "internal error" not in err and "Traceback" not in err
    assert not out_dir.exists()


def test_a_fifo_is_refused_without_waiting_for_a_writer(raw_dir: Path) -> None:
    """In a process of its own, with a deadline: a blocking open would hang it."""
    path = raw_dir / "events.csv"
    path.unlink()
    os.mkfifo(path)
    done = subprocess.run(
        [sys.executable, "-m", "ukreport.cli", "validate", str(raw_dir)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "named pipe (FIFO)" in done.stderr


def test_a_folder_named_like_a_table_is_not_read_as_one(raw_dir: Path) -> None:
    (raw_dir / "x").mkdir()
    (raw_dir / "x" / "events.csv").mkdir()
    assert main(["validate", str(raw_dir / "x" / "events.csv")]) == 2


SECRET = "root:$6$supersecretsalt$" + "s" * 200 + ":19000:0:99999:7:::"


@pytest.mark.parametrize("fmt", ["text", "json", "junit"])
def test_a_linked_file_outside_is_echoed_only_as_a_short_escaped_excerpt(
    raw_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    """A link to a file outside the data (followed: it is a regular file) cannot copy
    that file into messages or reports: at most 60 characters of any value appear."""
    outside = tmp_path / "shadow"
    outside.write_text(f"{SECRET}\n{SECRET}\n" * 50, encoding="utf-8")
    (raw_dir / "events.csv").unlink()
    (raw_dir / "events.csv").symlink_to(outside)
    report = tmp_path / "report.out"
    assert main(["validate", str(raw_dir), "--format", fmt, "--output", str(report)]) == 1
    text = report.read_text(encoding="utf-8")
    capsys.readouterr()
    assert SECRET not in text
    assert SECRET[:61] not in text
    assert "s" * 61 not in text
    if fmt == "junit":
        ET.fromstring(text)  # still well-formed XML


@pytest.mark.parametrize("position", ["header", "cell", "list item", "unknown code"])
def test_no_message_carries_more_than_an_excerpt_of_a_value(
    raw_dir: Path, capsys: pytest.CaptureFixture[str], position: str
) -> None:
    long = "Q" * 5000
    path = raw_dir / "events.csv"
    if position == "header":
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("location", long, 1), encoding="utf-8")
    elif position == "cell":
        edit_table(path, set_cell(1, "location", "=" + long))
    elif position == "list item":
        edit_table(path, set_cell(1, "participants", f"A; ={long}"))
    else:
        edit_table(path, set_cell(1, "actors", f"US; {long}"))
    assert main(["validate", str(raw_dir)]) == 1
    out, err = capsys.readouterr()
    assert "Q" * 61 not in out + err
    assert "characters)" in out


# --- same-name tables -------------------------------------------------------------------


@pytest.mark.parametrize(
    "arguments",
    [
        ["bad/events.csv", "good/events.csv"],
        ["good/events.csv", "bad/events.csv"],
        ["good", "bad/events.csv"],
        ["bad/events.csv", "good"],
        ["good", "bad"],
        ["good/claims.csv", "bad/claims.csv"],
    ],
)
def test_two_tables_of_one_name_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], arguments: list[str]
) -> None:
    """Known by file name, the second would stand in for the first: "valid" for a bad
    file. Refused in one line, exit 2, naming both."""
    for name in ("good", "bad"):
        shutil.copytree(VALID, tmp_path / name)
    edit_table(tmp_path / "bad" / "events.csv", set_cell(1, "date", "2023-02-30"))
    edit_table(tmp_path / "bad" / "claims.csv", set_cell(1, "verdict", "maybe"))
    assert main(["validate", *(str(tmp_path / a) for a in arguments)]) == 2
    err = capsys.readouterr().err
    assert "a table is known by its file name, so validate each in a run of its own" in err
    assert err.count("\n") == 1  # the refusal alone: nothing was validated
    assert "is a second" in err


@pytest.mark.parametrize(
    "arguments",
    [["good/events.csv", "good/events.csv"], ["good", "good/events.csv"], ["good", "link"]],
)
def test_the_same_file_named_twice_is_one_table(tmp_path: Path, arguments: list[str]) -> None:
    shutil.copytree(VALID, tmp_path / "good")
    (tmp_path / "link").symlink_to(tmp_path / "good")
    assert main(["validate", *(str(tmp_path / a) for a in arguments)]) == 0


# --- bytes that are not UTF-8 CSV text --------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "fragment"),
    [
        ("utf-16", "the file is UTF-16 text"),
        ("utf-16-le", "looks like UTF-16LE text"),
        ("utf-16-be", "looks like UTF-16BE text"),
        ("utf-32", "the file is UTF-32 text"),
    ],
)
def test_utf16_and_utf32_are_named_with_how_to_convert(encoding: str, fragment: str) -> None:
    table = read_bytes(EVENTS.decode("utf-8").encode(encoding), "events.csv")
    (problem,) = table.problems
    assert (problem.line, problem.column) == (1, 1)
    assert fragment in problem.message
    assert "CSV UTF-8" in problem.fix and "iconv -f" in problem.fix


LINES = EVENTS.decode("utf-8").splitlines(keepends=True)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_a_nul_byte_is_reported_where_it_is(data: st.DataObject) -> None:
    line = data.draw(st.integers(1, len(LINES)), label="line")
    text = LINES[line - 1].rstrip("\n")
    column = data.draw(st.integers(1, len(text) + 1), label="column")
    lines = list(LINES)
    lines[line - 1] = text[: column - 1] + "\x00" + text[column - 1 :] + "\n"
    (problem,) = read_bytes("".join(lines).encode("utf-8"), "events.csv").problems
    assert (problem.line, problem.column) == (line, column)
    assert "NUL byte" in problem.message


def test_a_nul_byte_deep_in_a_large_file_is_found(raw_dir: Path) -> None:
    """Past the first 64 KiB, where the check once stopped looking."""
    rows = EVENTS.decode("utf-8").splitlines(keepends=True)
    body = rows[1] * 400
    text = rows[0] + body + rows[1].replace(",", ",\x00", 1)
    (raw_dir / "events.csv").write_text(text, encoding="utf-8")
    (problem,) = read_bytes(text.encode("utf-8"), "events.csv").problems
    assert problem.line == 402 and "NUL byte" in problem.message


@pytest.mark.parametrize(
    ("line", "column"),
    [('a,"b"x,c', 2), ('"a"x,b', 1), ('a,b,"c""d"e', 3), ('a,"b,c"d', 2), ('a,"b\nc"d,e', 2)],
)
def test_a_malformed_record_is_located_at_its_field(line: str, column: int) -> None:
    assert _malformed_column(line) == column


def test_a_cell_larger_than_a_read_block_is_reported_at_its_line_and_column(
    raw_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """20 MB (more than Arrow reads in one block, and than the csv module's field limit,
    which reported it at column 1 of the wrong line)."""
    edit_table(raw_dir / "events.csv", set_cell(2, "description", "x" * 20_000_000))
    assert main(["validate", str(raw_dir)]) == 1
    out = capsys.readouterr().out
    header = (VALID / "events.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    where = f"{raw_dir / 'events.csv'}:3:{header.index('description') + 1}: "
    assert out.startswith(where + "the cell is 20,000,000 characters long"), out[:300]
    assert len(out) < 1000


def test_process_exits_2_for_an_unreadable_table(
    raw_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (raw_dir / "events.csv").write_bytes(EVENTS.decode("utf-8").encode("utf-16"))
    out_dir = raw_dir.parent / "out"
    assert main(["process", "--raw", str(raw_dir), "--out", str(out_dir)]) == 2
    err = capsys.readouterr().err
    assert "the file is UTF-16 text" in err
    assert "the raw data cannot be read" in err
    assert not out_dir.exists()


# --- files as spreadsheets save them ----------------------------------------------------

SAVED_AS: list[tuple[str, Callable[[bytes], bytes]]] = [
    ("BOM", lambda b: b"\xef\xbb\xbf" + b),
    ("CR LF", lambda b: b.replace(b"\n", b"\r\n")),
    ("Excel CSV UTF-8", lambda b: b"\xef\xbb\xbf" + b.replace(b"\n", b"\r\n")),
    ("no final line break", lambda b: b.rstrip(b"\n")),
    ("CR LF, no final line break", lambda b: b.replace(b"\n", b"\r\n").rstrip(b"\r\n")),
    ("mixed endings", lambda b: b.replace(b"\n", b"\r\n", 2)),
]


@pytest.mark.parametrize(("name", "save"), SAVED_AS, ids=[s[0] for s in SAVED_AS])
def test_a_table_saved_by_a_spreadsheet_is_read_and_published_as_lf_without_bom(
    raw_dir: Path, tmp_path: Path, name: str, save: Callable[[bytes], bytes]
) -> None:
    assert main(["process", "--raw", str(raw_dir), "--out", str(tmp_path / "plain")]) == 0
    for table in raw_dir.glob("*.csv"):
        table.write_bytes(save(table.read_bytes()))
    assert main(["validate", str(raw_dir)]) == 0
    assert main(["process", "--raw", str(raw_dir), "--out", str(tmp_path / "saved")]) == 0
    for file in sorted((tmp_path / "plain").iterdir()):
        written = (tmp_path / "saved" / file.name).read_bytes()
        assert written == file.read_bytes(), file.name  # the same bytes, LF, no BOM
        if file.suffix == ".csv":
            assert b"\r" not in written and not written.startswith(b"\xef\xbb\xbf")


def test_a_spreadsheet_saved_table_keeps_its_line_numbers(
    raw_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit_table(raw_dir / "events.csv", set_cell(3, "event_type", "meting"))
    path = raw_dir / "events.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    assert main(["validate", str(raw_dir)]) == 1
    assert capsys.readouterr().out.startswith(f"{path}:4:3: is not an allowed value ('meting')")


def test_git_keeps_the_repository_tables_lf() -> None:
    from helpers.paths import ROOT

    attributes = (ROOT / ".gitattributes").read_text(encoding="utf-8")
    assert "*.csv text eol=lf" in attributes.splitlines()


# --- nothing brings it down ---------------------------------------------------------------

ATOMS = st.sampled_from(
    [
        *("\x00", "\r", "\n", '"', ",", "\ufeff", "\u202e", "; ", "=", "2600-01-01"),
        *("0000-00-00", "Present", "/", "-", "\t", " ", "\xa0", "\\", "$\\foo$", "\x1b[31m"),
        *("x" * 3000, "2014", "2014-2015", "October 2023", "2023-02-30", "https://", "true"),
        *("disputed", "US; RU", "minsk-agreements", "nan", "NaN", "None", "", "1678-01-01"),
        *("2262-04-12", "\U0010ffff"),
    ]
)
CELL = st.lists(ATOMS, max_size=3).map("".join)


@settings(max_examples=20, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["events", "initiatives", "cooperation", "claims"]),
            st.integers(0, 3),
            st.integers(0, 30),
            CELL,
        ),
        min_size=1,
        max_size=3,
    )
)
def test_no_cell_brings_validate_or_diff_down(
    tmp_path_factory: pytest.TempPathFactory, edits: list[tuple[str, int, int, str]]
) -> None:
    """Any value in any cell (header included) is valid, invalid (1) or unreadable (2):
    never an internal error (3) or a traceback, and the JUnit report stays XML."""
    import contextlib
    import io

    from helpers.tables import read_rows, write_rows

    root = tmp_path_factory.mktemp("fuzz")
    raw = root / "raw"
    shutil.copytree(VALID, raw)
    for table, row, column, value in edits:
        rows = read_rows(raw / f"{table}.csv")
        rows[row % len(rows)][column % len(rows[0])] = value
        write_rows(raw / f"{table}.csv", rows)
    for argv in (
        ["validate", str(raw), "--format", "junit"],
        ["diff", str(VALID), str(raw), "--format", "markdown"],
    ):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
        assert code in (0, 1, 2), (argv, err.getvalue())
        assert "internal error" not in err.getvalue() and "Traceback" not in err.getvalue()
        if argv[0] == "validate":
            ET.fromstring(out.getvalue())
