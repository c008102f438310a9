"""``ukreport validate`` says again, at once, what it said about the same files: the
same bytes and exit status, without importing pandas; any change to a table, the
arguments or the code validates afresh, and inputs that are not plain files are never
remembered."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.tables import edit_table, set_cell
from ukreport import paths
from ukreport.cli import remembered

RUN = (
    "import sys; from ukreport.cli import main; code = main(sys.argv[1:]);"
    " print('pandas' in sys.modules, file=sys.stderr); raise SystemExit(code)"
)


def validate(*args: str, cache: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "UKREPORT_CACHE_DIR": str(cache)}
    return subprocess.run(
        [sys.executable, "-c", RUN, "validate", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("fmt", ["text", "json", "junit"])
def test_the_same_files_get_the_same_answer_without_pandas(
    raw_dir: Path, tmp_path: Path, fmt: str
) -> None:
    cache = tmp_path / "cache"
    first = validate(str(raw_dir), "--format", fmt, cache=cache, cwd=tmp_path)
    again = validate(str(raw_dir), "--format", fmt, cache=cache, cwd=tmp_path)
    assert first.returncode == again.returncode == 0, first.stderr
    assert again.stdout == first.stdout
    assert first.stdout or fmt == "text"  # a valid table says nothing in text
    assert first.stderr.splitlines()[-1] == "True"  # validating imports pandas
    assert again.stderr.splitlines()[-1] == "False"
    assert "remembered from an earlier run" in again.stderr


def test_a_changed_table_is_validated_again(raw_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert validate(str(raw_dir), cache=cache, cwd=tmp_path).returncode == 0
    edit_table(raw_dir / "events.csv", set_cell(1, "date", "2014-13-45"))
    broken = validate(str(raw_dir), cache=cache, cwd=tmp_path)
    assert broken.returncode == 1
    assert "events.csv:2:" in broken.stdout
    again = validate(str(raw_dir), cache=cache, cwd=tmp_path)
    assert (again.returncode, again.stdout) == (1, broken.stdout)  # failures are kept too
    assert "remembered" in again.stderr


@pytest.mark.parametrize(
    ("table", "beside", "column", "value"),
    [
        ("events.csv", "initiatives", "initiative_id", "renamed-initiative"),
        ("claims.csv", "events", "event_id", "renamed-event"),
    ],
)
def test_a_changed_table_beside_a_single_file_is_validated_again(
    raw_dir: Path, tmp_path: Path, table: str, beside: str, column: str, value: str
) -> None:
    """A single table is checked against the tables beside it: a change to one of them
    is a change to the answer, not a reason to repeat the old one."""
    cache = tmp_path / "cache"
    assert validate(str(raw_dir / table), cache=cache, cwd=tmp_path).returncode == 0
    edit_table(raw_dir / f"{beside}.csv", set_cell(1, column, value))
    again = validate(str(raw_dir / table), cache=cache, cwd=tmp_path)
    assert again.returncode == 1, again.stderr
    assert "remembered" not in again.stderr


def test_other_arguments_are_another_question(raw_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    edit_table(raw_dir / "events.csv", set_cell(1, "date", "2014-13-45"))
    edit_table(raw_dir / "events.csv", set_cell(2, "date", "2014-13-46"))
    every = validate(str(raw_dir), cache=cache, cwd=tmp_path)
    one = validate(str(raw_dir), "--max-errors", "1", cache=cache, cwd=tmp_path)
    assert "remembered" not in one.stderr
    assert "… and 1 more failure" in one.stdout
    assert "more failure" not in every.stdout


def test_turned_off_nothing_is_kept(raw_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    validate(str(raw_dir), "--no-cache", cache=cache, cwd=tmp_path)
    assert not cache.exists()
    off = validate(str(raw_dir), cache=Path("off"), cwd=tmp_path)
    assert off.returncode == 0 and not (tmp_path / "off").exists()


def test_inputs_that_are_not_plain_files_are_never_remembered(
    raw_dir: Path, tmp_path: Path
) -> None:
    fifo = tmp_path / "events.csv"
    os.mkfifo(fifo)
    assert remembered.key("validate", [], [fifo]) is None  # and it did not block
    assert remembered.key("validate", [], [tmp_path / "missing.csv"]) is None
    assert remembered.key("validate", [], [raw_dir]) is not None


def test_the_key_covers_the_code_and_the_arguments(
    raw_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = remembered.key("validate", ["text"], [raw_dir])
    assert before == remembered.key("validate", ["text"], [raw_dir])
    assert before != remembered.key("validate", ["json"], [raw_dir])
    package = tmp_path / "ukreport"
    shutil.copytree(paths.PACKAGE_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(paths, "PACKAGE_DIR", package)
    assert remembered.key("validate", ["text"], [raw_dir]) == before
    checks = package / "schemas" / "checks.py"
    checks.write_text(checks.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert remembered.key("validate", ["text"], [raw_dir]) != before


def test_the_key_covers_the_day(raw_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A start date after today (and its grace) is refused: the same files may be
    refused today and accepted on a later day, so a result is remembered for its day."""
    before = remembered.key("validate", ["text"], [raw_dir])
    tomorrow = remembered.today() + dt.timedelta(days=1)
    monkeypatch.setattr(remembered, "today", lambda: tomorrow)
    assert remembered.key("validate", ["text"], [raw_dir]) != before
