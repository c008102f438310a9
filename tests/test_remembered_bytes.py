"""A remembered answer is the answer for the bytes its key hashed, never for others.

``ukreport validate`` takes its key from the tables before it validates them; a table
saved in between must not have its answer kept under the key of the one before (a bad
``events.csv`` remembered as valid). The tables are read once, for the key, and those
bytes are validated; the answer is kept only when the package's files are still those
the key hashed. Each case saves a file at the moment between the key and the validation,
by wrapping the real function that takes the key, as an editor's save landing there
would.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers.paths import ROOT
from helpers.tables import edit_table, read_rows, set_cell
from ukreport import _meta
from ukreport.cli import main, remembered

Saving = Callable[[], None]


def save(path: Path, text: bytes) -> None:
    """Save ``path`` as editors do: a new file renamed over the old one."""
    partial = path.with_name(path.name + ".saving")
    partial.write_bytes(text)
    partial.replace(path)


def validate(folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(["validate", str(folder)])
    out = capsys.readouterr()
    return status, out.out, out.err


def saved_after_the_key(monkeypatch: pytest.MonkeyPatch, saving: Saving) -> None:
    """Run ``saving`` once, right after the command has taken its key."""
    real = remembered.key
    done: list[bool] = []

    def key(command: str, arguments: list[str], given: list[Path]) -> remembered.Keyed | None:
        keyed = real(command, arguments, given)
        if not done:
            done.append(True)
            saving()
        return keyed

    monkeypatch.setattr(remembered, "key", key)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("UKREPORT_CACHE_DIR", str(folder))
    return folder


@pytest.mark.usefixtures("cache")
def test_a_good_table_saved_over_a_bad_one_does_not_make_the_bad_one_valid(
    raw_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    events = raw_dir / "events.csv"
    good = events.read_bytes()
    edit_table(events, set_cell(1, "date", "2014-13-45"))
    bad = events.read_bytes()
    saved_after_the_key(monkeypatch, lambda: save(events, good))
    status, out, _ = validate(raw_dir, capsys)
    assert status == 1  # the bytes keyed were the bad ones, and those were validated
    assert "events.csv:2:" in out
    save(events, bad)
    status, again, err = validate(raw_dir, capsys)
    assert (status, again) == (1, out)
    assert "remembered" in err
    save(events, good)
    status, _, err = validate(raw_dir, capsys)
    assert status == 0
    assert "remembered" not in err


@pytest.mark.usefixtures("cache")
def test_a_bad_table_saved_over_a_good_one_does_not_make_the_good_one_invalid(
    raw_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    events = raw_dir / "events.csv"
    good = events.read_bytes()
    edit_table(events, set_cell(1, "date", "2014-13-45"))
    bad = events.read_bytes()
    save(events, good)
    saved_after_the_key(monkeypatch, lambda: save(events, bad))
    assert validate(raw_dir, capsys)[0] == 0
    status, out, err = validate(raw_dir, capsys)  # the bad file, as it is now
    assert status == 1
    assert "events.csv:2:" in out
    assert "remembered" not in err


@pytest.mark.usefixtures("cache")
def test_a_table_beside_a_single_file_is_validated_as_keyed(
    raw_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A claim names events: the events table beside it is read for the key too, and
    validated from those bytes."""
    events = raw_dir / "events.csv"
    good = events.read_bytes()
    edit_table(events, set_cell(1, "event_id", "renamed-event"))
    renamed = events.read_bytes()
    save(events, good)
    saved_after_the_key(monkeypatch, lambda: save(events, renamed))
    status, _, _ = validate(raw_dir / "claims.csv", capsys)
    assert status == 0  # as keyed: the events the claims name were there
    status, _, err = validate(raw_dir / "claims.csv", capsys)
    assert status == 1, "the renamed event must be found missing, not remembered present"
    assert "remembered" not in err


@pytest.mark.usefixtures("cache")
def test_code_changed_while_validating_is_not_remembered(
    raw_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A file of the package saved between the key and the end of the command: the
    answer came from code the key did not hash, so it is not kept."""
    extra = tmp_path / "module.py"
    extra.write_text("A = 1\n", encoding="utf-8")
    real = _meta.package_files
    monkeypatch.setattr(_meta, "package_files", lambda: [*real(), extra])
    saved_after_the_key(monkeypatch, lambda: extra.write_text("A = 2\n", encoding="utf-8"))
    assert validate(raw_dir, capsys)[0] == 0
    extra.write_text("A = 1\n", encoding="utf-8")
    status, _, err = validate(raw_dir, capsys)
    assert status == 0
    assert "remembered" not in err
    status, _, err = validate(raw_dir, capsys)  # now code and tables held still
    assert "remembered" in err


TRUNCATE = """
import sys
from pathlib import Path
from ukreport.validation import validate as v

real = v.read_regular

def reader(path):
    data = real(path)
    if path.name == "events.csv":
        with open(path, "r+b") as handle:  # saved in place, shorter, as `>` or an editor may
            handle.truncate(8192)
    return data

v.read_regular = reader
report = v.validate([Path(sys.argv[1])])
print(report.valid, report.rows["events"])
"""


def test_a_table_cut_short_in_place_while_validated_is_validated_as_read(tmp_path: Path) -> None:
    """The bytes validated are those read, whatever happens to the file meanwhile; a
    file mapped into memory instead would change under the parser, and, cut past a page,
    kill the process with SIGBUS (run in a process of its own for that reason)."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for table in ("events", "initiatives", "cooperation", "claims"):
        (raw / f"{table}.csv").write_bytes((ROOT / "data/raw" / f"{table}.csv").read_bytes())
    rows = len(read_rows(raw / "events.csv")) - 1
    assert (raw / "events.csv").stat().st_size > 3 * 8192
    done = subprocess.run(
        [sys.executable, "-c", TRUNCATE, str(raw)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    valid, counted = done.stdout.split()
    assert valid == "True"
    assert int(counted) == rows
