"""Bad input of every kind gets a clear message at its line and column, and no traceback."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.paths import ROOT
from helpers.tables import Edit, edit_table, read_rows, set_cell, write_rows
from ukreport.cli import main
from ukreport.validation.validate import validate

EVENTS_COLUMNS = read_rows(ROOT / "tests/data/valid/events.csv")[0]


def col(name: str) -> int:
    return EVENTS_COLUMNS.index(name) + 1


def text_edit(change: Callable[[str], str]) -> Callable[[Path], None]:
    def apply(path: Path) -> None:
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8", newline="")

    return apply


def bytes_edit(change: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def apply(path: Path) -> None:
        path.write_bytes(change(path.read_bytes()))

    return apply


def rows_edit(*edits: Edit) -> Callable[[Path], None]:
    def apply(path: Path) -> None:
        edit_table(path, *edits)

    return apply


def drop_column(name: str) -> Edit:
    def edit(rows: list[list[str]]) -> None:
        index = rows[0].index(name)
        for row in rows:
            del row[index]

    return edit


def add_column(name: str) -> Edit:
    def edit(rows: list[list[str]]) -> None:
        rows[0].append(name)
        for row in rows[1:]:
            row.append("x")

    return edit


def first_lines(n: int) -> Callable[[str], str]:
    return lambda text: "".join(text.splitlines(keepends=True)[:n])


CASES: list[tuple[str, Callable[[Path], None], int, int, int, str]] = [
    # (name, how to break events.csv, exit status, line, column, message fragment)
    ("empty file", text_edit(lambda t: ""), 2, 1, 1, "the file is empty"),
    ("whitespace only", text_edit(lambda t: "\n\n"), 2, 1, 1, "the file is empty"),
    ("header only", text_edit(first_lines(1)), 1, 2, 1, "header but no rows"),
    (
        "missing column",
        rows_edit(drop_column("verification_note")),
        1,
        1,
        col("verification_note"),
        "missing column 'verification_note'",
    ),
    (
        "extra column",
        rows_edit(add_column("notes")),
        1,
        1,
        len(EVENTS_COLUMNS) + 1,
        "unknown column",
    ),
    (
        "misspelt column",
        text_edit(lambda t: t.replace("event_type", "evnt_type", 1)),
        1,
        1,
        col("event_type"),
        "did you mean 'event_type'",
    ),
    (
        "duplicated column",
        text_edit(lambda t: t.replace("location", "key_theme", 1)),
        1,
        1,
        col("location"),
        "appears twice",
    ),
    (
        "columns out of order",
        text_edit(lambda t: t.replace("description,key_theme", "key_theme,description", 1)),
        1,
        1,
        col("description"),
        "should be 'description'",
    ),
    (
        "semicolon delimiter",
        text_edit(lambda t: t.replace(",", ";")),
        1,
        1,
        1,
        "seems to be separated by ';'",
    ),
    (
        "tab delimiter",
        text_edit(lambda t: t.replace(",", "\t")),
        1,
        1,
        1,
        "seems to be separated by '\\t'",
    ),
    (
        "CR on its own",
        text_edit(lambda t: t.replace("\n", "\r", 1)),
        2,
        1,
        len(",".join(EVENTS_COLUMNS)) + 1,
        "a carriage return (CR) character on its own",
    ),
    (
        "UTF-16 with a byte-order mark",
        bytes_edit(lambda b: b.decode("utf-8").encode("utf-16")),
        2,
        1,
        1,
        "the file is UTF-16 text",
    ),
    (
        "UTF-16 without one",
        bytes_edit(lambda b: b.decode("utf-8").encode("utf-16-be")),
        2,
        1,
        1,
        "looks like UTF-16BE text",
    ),
    (
        "NUL byte on line 2",
        bytes_edit(lambda b: b.replace(b"\n2014-", b"\n20\x0014-", 1)),
        2,
        2,
        3,
        "a NUL byte (U+0000)",
    ),
    (
        "an Excel workbook",
        bytes_edit(lambda b: b"PK\x03\x04\x14\x00\x06\x00" + b),
        2,
        1,
        1,
        "an Excel or LibreOffice workbook",
    ),
    (
        "Latin-1 byte",
        bytes_edit(lambda b: b.replace(b"Minsk Protocol", b"Minsk Pr\xf6tocol", 1)),
        2,
        2,
        0,
        "byte 0xf6 is not valid UTF-8",
    ),
    (
        "unterminated quote",
        text_edit(lambda t: t.rstrip("\n") + '\nnew-row,"2020,call\n'),
        2,
        5,
        2,
        "never closed",
    ),
    (
        "ragged row",
        text_edit(lambda t: t.replace("\n", ",surplus\n", 2).replace(",surplus", "", 1)),
        2,
        2,
        len(EVENTS_COLUMNS) + 1,
        f"has {len(EVENTS_COLUMNS) + 1} fields but the header has {len(EVENTS_COLUMNS)}",
    ),
    ("empty line", text_edit(lambda t: t.replace("\n", "\n\n", 2)), 2, 2, 1, "empty line"),
    (
        "binary file",
        bytes_edit(lambda b: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        2,
        1,
        1,
        "a PNG image",
    ),
    ("JSON instead of CSV", text_edit(lambda t: '{"event_id": 1}\n'), 1, 1, 1, "unknown column"),
    (
        "duplicate id",
        rows_edit(set_cell(2, "event_id", "2014-09-05-minsk-protocol")),
        1,
        3,
        1,
        "duplicate id (first used on line 2)",
    ),
    (
        "id not a slug",
        rows_edit(set_cell(1, "event_id", "Minsk Protocol")),
        1,
        2,
        1,
        "not a lower-case slug",
    ),
    (
        "impossible date",
        rows_edit(set_cell(1, "date", "2023-02-30")),
        1,
        2,
        col("date"),
        "not a real day",
    ),
    (
        "date out of range",
        rows_edit(set_cell(1, "date", "1890-01-01")),
        1,
        2,
        col("date"),
        "outside the dataset's range, 1991-01-01 to 2030-12-31",
    ),
    (
        "date in an unknown form",
        rows_edit(set_cell(1, "date", "12/02/2025")),
        1,
        2,
        col("date"),
        "not a date in a known form",
    ),
    (
        "unknown enum value",
        rows_edit(set_cell(1, "event_type", "phonecall")),
        1,
        2,
        col("event_type"),
        "not an allowed value",
    ),
    (
        "blank required cell",
        rows_edit(set_cell(1, "key_theme", "")),
        1,
        2,
        col("key_theme"),
        "blank but required",
    ),
    (
        "formula-like cell",
        rows_edit(set_cell(1, "description", '=HYPERLINK("http://x")')),
        1,
        2,
        col("description"),
        "run as a formula",
    ),
    (
        "plus formula",
        rows_edit(set_cell(1, "key_theme", "+1 call")),
        1,
        2,
        col("key_theme"),
        "run as a formula",
    ),
    (
        "at formula",
        rows_edit(set_cell(1, "key_theme", "@SUM(A1)")),
        1,
        2,
        col("key_theme"),
        "run as a formula",
    ),
    (
        "leading tab",
        rows_edit(set_cell(1, "key_theme", "\tcall")),
        1,
        2,
        col("key_theme"),
        "whitespace",
    ),
    (
        "trailing space",
        rows_edit(set_cell(1, "location", "Minsk ")),
        1,
        2,
        col("location"),
        "whitespace",
    ),
    ("carriage return in a cell", rows_edit(set_cell(1, "key_theme", "a\rb")), 2, 2, 0, "CR"),
    (
        "1 MB cell",
        rows_edit(set_cell(1, "description", "x" * 1_000_000)),
        1,
        2,
        col("description"),
        "1,000,000 characters long",
    ),
    (
        "line break in a cell",
        rows_edit(set_cell(1, "description", "two\nlines")),
        1,
        2,
        col("description"),
        "line break",
    ),
    (
        "unknown actor code",
        rows_edit(set_cell(1, "actors", "UA; XX")),
        1,
        2,
        col("actors"),
        "unknown code 'XX'",
    ),
    (
        "no main actor",
        rows_edit(set_cell(1, "actors", "OSCE")),
        1,
        2,
        col("actors"),
        "names none of US, RU, UA",
    ),
    (
        "not a URL",
        rows_edit(set_cell(1, "source_url", "www.example.org/page")),
        1,
        2,
        col("source_url"),
        "not a web address",
    ),
    (
        "accessed not a day",
        rows_edit(set_cell(1, "accessed", "November 2026")),
        1,
        2,
        col("accessed"),
        "YYYY-MM-DD",
    ),
    (
        "disputed without a note",
        rows_edit(set_cell(3, "verification_note", "")),
        1,
        4,
        col("verification_note"),
        "needs a note",
    ),
    (
        "verified value on an undisputed row",
        rows_edit(
            set_cell(1, "verified_date", "2014-09-06"),
            set_cell(1, "verified_source_url", "https://example.org"),
        ),
        1,
        2,
        col("verified_date"),
        "not disputed",
    ),
    (
        "verified value without its source",
        rows_edit(set_cell(3, "verified_source_url", "")),
        1,
        4,
        col("verified_source_url"),
        "must come together",
    ),
    (
        "unknown initiative",
        rows_edit(set_cell(1, "initiative_id", "minsk-iii")),
        1,
        2,
        col("initiative_id"),
        "no initiatives row has this initiative_id",
    ),
    (
        "unknown verification",
        rows_edit(set_cell(1, "verification", "probably")),
        1,
        2,
        col("verification"),
        "use one of: verified, disputed, unverified",
    ),
    (
        "a Wikipedia mirror as source",
        rows_edit(set_cell(1, "source_url", "https://wikimili.com/en/Minsk_Protocol")),
        1,
        2,
        col("source_url"),
        "cites a host without standing (wikimili.com: a Wikipedia mirror",
    ),
    (
        "a denied host's subdomain, in capitals",
        rows_edit(set_cell(1, "source_url", "https://WWW.PLEDGETIMES.COM/x")),
        1,
        2,
        col("source_url"),
        "pledgetimes.com: a content scraper",
    ),
    (
        "PA-X's test server",
        rows_edit(set_cell(1, "source_url", "https://test.pax.peaceagreements.org/agreements/1")),
        1,
        2,
        col("source_url"),
        "PA-X's test server",
    ),
    (
        "a denied host as the verified value's source",
        rows_edit(set_cell(3, "verified_source_url", "https://itta.info/?p=1")),
        1,
        4,
        col("verified_source_url"),
        "itta.info",
    ),
    (
        "unknown source kind",
        rows_edit(set_cell(1, "source_kind", "blog")),
        1,
        2,
        col("source_kind"),
        "use one of: primary, news, reference",
    ),
    (
        "dated after the day its source was read",
        rows_edit(set_cell(1, "date", "2026-12-01")),
        1,
        2,
        col("date"),
        "dated after the day its source was read",
    ),
    (
        "a page published after the day it was read",
        rows_edit(set_cell(1, "source_published", "2026-11-26")),
        1,
        2,
        col("source_published"),
        "source_published is after accessed, the day the page was read",
    ),
    (
        "a publication date in words",
        rows_edit(set_cell(1, "source_published", "12 June 2014")),
        1,
        2,
        col("source_published"),
        "is not a date written YYYY-MM-DD, YYYY-MM or YYYY",
    ),
    (
        "a publication day that does not exist",
        rows_edit(set_cell(1, "source_published", "2014-02-30")),
        1,
        2,
        col("source_published"),
        "is not a real day",
    ),
    (
        "a language that is not an ISO 639-1 code",
        rows_edit(set_cell(1, "source_language", "English")),
        1,
        2,
        col("source_language"),
        "is not an ISO 639-1 language code",
    ),
    (
        "a byline with an empty name",
        rows_edit(set_cell(1, "source_author", "Jeff Mason; ; Ron Popeski")),
        1,
        2,
        col("source_author"),
        "item 2 of the list is empty",
    ),
    (
        "essay_cited not boolean",
        rows_edit(set_cell(1, "essay_cited", "yes")),
        1,
        2,
        col("essay_cited"),
        "use one of: true, false",
    ),
]


@pytest.mark.parametrize(
    ("name", "breaks", "status", "line", "column", "fragment"),
    CASES,
    ids=[case[0] for case in CASES],
)
def test_bad_events_file(
    raw_dir: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    breaks: Callable[[Path], None],
    status: int,
    line: int,
    column: int,
    fragment: str,
) -> None:
    path = raw_dir / "events.csv"
    breaks(path)
    assert main(["validate", str(raw_dir)]) == status
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    first = out.splitlines()[0]
    where = f"{path}:{line}:" + (f"{column}:" if column else "")
    assert first.startswith(where), first
    assert fragment in first, first
    assert " — " in first  # every message says how to fix it


def test_the_repository_data_are_valid() -> None:
    report = validate([ROOT / "data/raw"])
    assert report.valid, "\n".join(map(str, report.failures))
    assert report.rows["events"] >= 30
    assert report.rows["initiatives"] >= 10
    assert report.rows["cooperation"] >= 5


@pytest.mark.parametrize("published", ["2026-11-25", "2026-11", "2026", "1997-06"])
def test_a_page_published_by_the_day_it_was_read_is_valid(raw_dir: Path, published: str) -> None:
    edit_table(raw_dir / "events.csv", set_cell(1, "source_published", published))
    assert validate([raw_dir]).valid, published


def test_every_failure_is_collected_in_one_run(raw_dir: Path) -> None:
    edit_table(
        raw_dir / "events.csv",
        set_cell(1, "date", "2023-02-30"),
        set_cell(2, "event_type", "phonecall"),
        set_cell(3, "source_url", "nowhere"),
    )
    edit_table(raw_dir / "initiatives.csv", set_cell(1, "period", "2015/2014"))
    report = validate([raw_dir])
    where = {(Path(f.file).name, f.line, f.column_name) for f in report.failures}
    assert where == {
        ("events.csv", 2, "date"),
        ("events.csv", 3, "event_type"),
        ("events.csv", 4, "source_url"),
        ("initiatives.csv", 2, "period"),
    }
    assert report.exit_code == 1


def test_quoted_line_breaks_keep_line_numbers_right(raw_dir: Path) -> None:
    edit_table(
        raw_dir / "events.csv",
        set_cell(1, "description", "one\ntwo\nthree"),
        set_cell(3, "event_type", "phonecall"),
    )
    lines = sorted((f.line, f.column_name) for f in validate([raw_dir]).failures)
    assert lines == [(2, "description"), (6, "event_type")]


@pytest.mark.parametrize(
    ("period", "status", "fragment"),
    [
        ("2015/2014", "ended", "ends before it starts"),
        ("2014-Present", "ended", "status and period on record disagree"),
        ("2014-2015", "ongoing", "status and period on record disagree"),
        ("2014-02-30/2015", "ended", "not a period in a known form"),
        ("sometime", "ended", "not a date or period in a known form"),
    ],
)
def test_bad_initiative_periods(raw_dir: Path, period: str, status: str, fragment: str) -> None:
    edit_table(
        raw_dir / "initiatives.csv", set_cell(1, "period", period), set_cell(1, "status", status)
    )
    failures = validate([raw_dir]).failures
    assert any(fragment in f.message and f.line == 2 for f in failures), failures


def test_hostile_text_is_data_not_an_error(raw_dir: Path) -> None:
    edit_table(
        raw_dir / "events.csv",
        set_cell(1, "description", "<img src=x onerror=alert(1)> **b** [x](javascript:1)"),
        set_cell(1, "key_theme", "#set page(width: 1cm) $x$"),
    )
    assert validate([raw_dir]).valid


def test_json_report(raw_dir: Path, tmp_path: Path) -> None:
    edit_table(raw_dir / "events.csv", set_cell(1, "date", "2023-02-30"))
    out = tmp_path / "report.json"
    assert main(["validate", str(raw_dir), "--format", "json", "--output", str(out)]) == 1
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["valid"] is False
    assert document["exit_code"] == 1
    [failure] = document["failures"]
    assert failure["line"] == 2
    assert failure["column_name"] == "date"
    assert failure["value"] == "'2023-02-30'"
    assert document["tables"]["events"]["rows"] == 3


def test_junit_report_carries_file_and_line(raw_dir: Path, tmp_path: Path) -> None:
    edit_table(
        raw_dir / "events.csv",
        set_cell(2, "description", "<script>alert(1)</script>"),
        set_cell(2, "event_type", "<b>x</b>"),
    )
    out = tmp_path / "report.xml"
    assert main(["validate", str(raw_dir), "--format", "junit", "--output", str(out)]) == 1
    suites = ET.parse(out).getroot()
    assert suites.get("failures") == "1"
    failing = [case for case in suites.iter("testcase") if case.find("failure") is not None]
    assert [(c.get("file"), c.get("line")) for c in failing] == [(str(raw_dir / "events.csv"), "3")]
    passing = [case.get("name") for case in suites.iter("testcase") if case.find("failure") is None]
    assert passing == ["table is valid"] * 3


def test_a_single_file_is_checked_against_its_sibling(raw_dir: Path) -> None:
    edit_table(raw_dir / "events.csv", set_cell(1, "initiative_id", "minsk-iii"))
    report = validate([raw_dir / "events.csv"])
    assert [f.column_name for f in report.failures] == ["initiative_id"]


def test_a_lone_events_file_says_it_cannot_check_initiatives(tmp_path: Path) -> None:
    lone = tmp_path / "events.csv"
    lone.write_bytes((ROOT / "tests/data/valid/events.csv").read_bytes())
    report = validate([lone])
    assert report.exit_code == 2
    assert "initiatives.csv is not beside events.csv" in report.failures[0].message


def test_a_host_that_only_looks_like_a_denied_one_is_not_denied(raw_dir: Path) -> None:
    for url in ("https://notwikimili.com/x", "https://rt.com.example.org/x", "https://art.com/"):
        edit_table(raw_dir / "events.csv", set_cell(1, "source_url", url))
        [failure] = validate([raw_dir]).failures
        assert "without standing" not in failure.message, url
        assert "publisher is not known" in failure.message, url


def test_a_host_without_a_publisher_is_named_with_where_to_add_it(raw_dir: Path) -> None:
    edit_table(
        raw_dir / "events.csv",
        set_cell(2, "source_url", "https://www.ewn.co.za.example.net/2018/x"),
        set_cell(3, "verified_source_url", "http://WWW.Unknown-Wire.example/"),
    )
    failures = validate([raw_dir]).failures
    assert [(f.line, f.column, f.column_name) for f in failures] == [
        (3, col("source_url"), "source_url"),
        (4, col("verified_source_url"), "verified_source_url"),
    ]
    first, second = (str(f) for f in failures)
    assert "source_url cites a page whose publisher is not known" in first
    assert "its host ewn.co.za.example.net has no publisher" in first
    assert "its host unknown-wire.example has no publisher" in second
    assert "src/ukreport/publishers.toml" in first


def test_every_listed_host_spelled_as_addresses_spell_it_has_its_publisher(raw_dir: Path) -> None:
    from ukreport.publishers import publisher_of

    urls = [
        "http://WWW.Reuters.com/article/x",
        "https://in.reuters.com/article/x",
        "https://www.trtworld.com:443/article/x",
        "http://nrcu.gov.ua./ur3/news.html?newsID=1",
    ]
    for i, url in enumerate(urls, start=1):
        edit_table(raw_dir / "events.csv", set_cell(i % 3 + 1, "source_url", url))
        assert validate([raw_dir]).valid, url
        assert publisher_of(url) is not None, url
    assert publisher_of(urls[0]) == publisher_of(urls[1])


def test_every_denied_host_has_a_reason_and_is_rejected(raw_dir: Path) -> None:
    from ukreport.sources import denied_hosts, denied_reason

    hosts = denied_hosts()
    assert len(hosts) == len(set(hosts)) >= 20
    # One copy of the first event per host, each citing a page on it: one validation.
    path = raw_dir / "events.csv"
    rows = read_rows(path)
    header, first = rows[0], rows[1]
    copies = []
    for i, host in enumerate(hosts):
        url = f"https://www.{host}/page"
        reason = denied_reason(url)
        assert reason is not None and reason.startswith(f"{host}: ") and len(reason) > 20
        row = list(first)
        row[header.index("event_id")] = f"{first[header.index('event_id')]}-copy-{i}"
        row[header.index("source_url")] = url
        copies.append(row)
    write_rows(path, [*rows, *copies])
    failures = validate([raw_dir]).failures
    assert len(failures) == len(hosts), [str(f) for f in failures]
    for host, line, failure in zip(
        hosts, range(len(rows) + 1, len(rows) + 1 + len(hosts)), failures, strict=True
    ):
        assert failure.column_name == "source_url" and host in failure.message
        assert failure.line == line


# -- the claims table ----------------------------------------------------------------------

CLAIMS_COLUMNS = read_rows(ROOT / "tests/data/valid/claims.csv")[0]


def claim_col(name: str) -> int:
    return CLAIMS_COLUMNS.index(name) + 1


CLAIM_CASES: list[tuple[str, Edit, int, str, str]] = [
    # (name, how to break claims.csv, line, column, message fragment)
    (
        "evidence naming no row",
        set_cell(3, "evidence", "2014-09-05-minsk-protocol; minsk-iv"),
        4,
        "evidence",
        "no events, initiatives or cooperation row has this id ('minsk-iv')",
    ),
    (
        "essay row naming no row",
        set_cell(1, "essay_row", "2023-10-nothing"),
        2,
        "essay_row",
        "no events, initiatives or cooperation row has this id",
    ),
    (
        "supported without a verified row",
        set_cell(1, "verdict", "supported"),
        2,
        "verdict",
        "a supported claim needs at least one verified row among its evidence",
    ),
    (
        "a verdict without evidence",
        set_cell(3, "evidence", ""),
        4,
        "evidence",
        "needs evidence",
    ),
    (
        "unknown verdict",
        set_cell(1, "verdict", "false"),
        2,
        "verdict",
        "use one of: supported, partly supported, disputed, unverified",
    ),
    (
        "evidence not a list of ids",
        set_cell(3, "evidence", "2014-09-05-minsk-protocol, minsk-agreements"),
        4,
        "evidence",
        "is not a list of ids",
    ),
    (
        "claimed date in no known form",
        set_cell(1, "date", "Oct 2023"),
        2,
        "date",
        "is not a date in a known form",
    ),
]


@pytest.mark.parametrize(
    ("name", "breaks", "line", "column", "fragment"),
    CLAIM_CASES,
    ids=[case[0] for case in CLAIM_CASES],
)
def test_bad_claims_file(
    raw_dir: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    breaks: Edit,
    line: int,
    column: str,
    fragment: str,
) -> None:
    path = raw_dir / "claims.csv"
    edit_table(path, breaks)
    assert main(["validate", str(raw_dir)]) == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    first = out.splitlines()[0]
    assert first.startswith(f"{path}:{line}:{claim_col(column)}:"), first
    assert fragment in first, first


def test_a_lone_claims_file_names_the_tables_it_needs(tmp_path: Path) -> None:
    lone = tmp_path / "claims.csv"
    lone.write_bytes((ROOT / "tests/data/valid/claims.csv").read_bytes())
    report = validate([lone])
    assert report.exit_code == 2
    (failure,) = report.failures
    assert failure.message == (
        "cooperation.csv, events.csv, initiatives.csv are not beside claims.csv, "
        "so essay_row and evidence cannot be checked"
    )


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["validate", "missing.csv"], "no such file or folder"),
        (["validate", "pyproject.toml"], "is not a known table"),
        (["validate", "tests"], "lacks events.csv"),
    ],
)
def test_bad_usage_exits_2(
    argv: list[str],
    fragment: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(ROOT)
    assert main(argv) == 2
    assert fragment in capsys.readouterr().err


def test_unknown_option_exits_2() -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", "--format", "yaml"])
    assert exit_info.value.code == 2


def test_the_installed_command_prints_no_traceback(raw_dir: Path) -> None:
    (raw_dir / "events.csv").write_bytes(b"\x00\x01garbage")
    edit_table(raw_dir / "initiatives.csv", set_cell(1, "status", "unknown"))
    result = subprocess.run(
        [sys.executable, "-m", "ukreport.cli", "validate", str(raw_dir)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    assert "binary file" in result.stdout
    assert "initiatives.csv:2:5:" in result.stdout


def test_validate_reads_only(raw_dir: Path) -> None:
    before = {p.name: p.read_bytes() for p in raw_dir.iterdir()}
    validate([raw_dir])
    assert {p.name: p.read_bytes() for p in raw_dir.iterdir()} == before


def test_write_rows_helper_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    write_rows(path, [["a", "b"], ["1,2", 'say "hi"']])
    assert read_rows(path) == [["a", "b"], ["1,2", 'say "hi"']]


@pytest.mark.parametrize("command", [["figures"], ["render", "reports/essay.qmd"]])
def test_a_missing_report_extra_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if it were not installed
    assert main(command) == 2
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert err.strip() == (
        f"ukreport: `ukreport {command[0]}` needs the report extra (matplotlib not "
        "installed): pip install 'ukreport[report]'"
    )


def test_every_rule_the_models_use_is_explained_beside_it() -> None:
    """A new check cannot slip in saying only "fails the check": each column check has
    an explanation in validation/explain.py and each row rule one in schemas.ROW_RULES."""
    from ukreport import schemas
    from ukreport.schemas.rules import PATTERN_HINTS
    from ukreport.validation.explain import EXPLANATIONS, explain

    for table in schemas.TABLES:
        schema = schemas.raw_schema(table)
        for name, column in schema.columns.items():
            for check in column.checks:
                assert check.name in EXPLANATIONS, (table, name, check.name)
                if check.name == "matches":
                    assert check.statistics["pattern"] in PATTERN_HINTS, (table, name)
            if column.unique:
                assert "field_uniqueness" in EXPLANATIONS
        for check in schema.checks:
            assert check.name in schemas.ROW_RULES, (table, check.name)
    assert explain("no_such_check", "x", {}, "c") == (
        "fails the check no_such_check",
        "see the codebook in schemas/",
    )


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=12))
def test_the_clean_text_rule_and_its_pattern_agree(text: str) -> None:
    """The check (a search for what is unsafe) and the pattern Frictionless gets (what
    a whole clean cell looks like) are one rule written twice: they must agree."""
    from ukreport.schemas.rules import CLEAN_TEXT_PATTERN, UNSAFE_TEXT

    clean = re.search(UNSAFE_TEXT, text) is None
    assert clean == (re.fullmatch(CLEAN_TEXT_PATTERN, text) is not None), repr(text)


def test_the_command_line_is_its_table_of_commands(capsys: pytest.CaptureFixture[str]) -> None:
    from ukreport.cli import COMMANDS, build_parser

    with pytest.raises(SystemExit) as done:
        build_parser().parse_args(["--help"])
    assert done.value.code == 0
    listing = capsys.readouterr().out
    names = [command.name for command in COMMANDS]
    assert len(names) == len(set(names))
    listed = re.findall(r"^    ([a-z-]+)", listing, re.M)
    assert listed == names  # listed in the table's order
    for command in COMMANDS:
        assert command.run.__name__ == "run_" + command.name.replace("-", "_")


def test_the_command_line_keeps_hypothesis_out(raw_dir: Path) -> None:
    """pandera would import hypothesis to offer generating data; no command does, so
    the command line keeps the import (a sixth of a second) out, and still validates."""
    code = (
        "import sys; from ukreport.cli import main; code = main(sys.argv[1:]);"
        " print(sys.modules.get('hypothesis')); raise SystemExit(code)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "validate", str(raw_dir), "--no-cache"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout) == (0, "None\n"), done.stderr
