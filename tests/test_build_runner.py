"""``ukreport build``: the steps it runs are those Make's rule finds out of date, in
order, and a failing step stops the run without touching what came before.

Checked on a copy of the tracked files in which every output is newer than every
input, as after a build; ``plan`` says what a run would do without running it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.paths import copy_tracked
from helpers.tables import edit_table, set_cell
from ukreport.errors import InputError
from ukreport.pipeline.graph import MANIFEST, outputs, pipeline
from ukreport.pipeline.runner import plan

EVERYTHING = ["data", "figures", "record", "report", "manifest"]


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """The tracked files, every output of the pipeline present and newer than them."""
    old = 1_700_000_000
    copy_tracked(tmp_path, mtime=old)
    for step, steps in enumerate(pipeline(tmp_path), start=1):
        for name in steps.outputs:
            made = tmp_path / name
            made.parent.mkdir(parents=True, exist_ok=True)
            if not made.exists():
                made.write_bytes(b"stand-in\n")
            os.utime(made, (old + 100 * step, old + 100 * step))
    manifest = tmp_path / MANIFEST
    manifest.write_text("{}\n", encoding="utf-8")
    os.utime(manifest, (old + 1000, old + 1000))
    return tmp_path


def touch(root: Path, name: str) -> None:
    when = 1_800_000_000
    os.utime(root / name, (when, when))


def test_nothing_runs_when_nothing_changed(built: Path) -> None:
    assert plan(built, "data", "manifest") == []


@pytest.mark.parametrize(
    ("changed", "expected"),
    [
        ("data/raw/events.csv", EVERYTHING),
        ("pyproject.toml", EVERYTHING),
        ("src/ukreport/schemas/checks.py", EVERYTHING),
        # the record's code reaches the renderer's package (typst, the claim anchors),
        # whose package imports the figures: code, not prose, so it is rebuilt too
        (
            "src/ukreport/report/figures/timeline_chart.py",
            ["figures", "record", "report", "manifest"],
        ),
        ("reports/essay.qmd", ["report", "manifest"]),
        ("reports/assets/style.css", ["report", "manifest"]),
        ("schemas/raw/events.json", ["manifest"]),
        ("src/ukreport/pipeline/provenance.py", ["manifest"]),
        ("data/processed/datapackage.json", ["figures", "record", "report", "manifest"]),
    ],
)
def test_a_change_runs_what_depends_on_it(built: Path, changed: str, expected: list[str]) -> None:
    touch(built, changed)
    assert plan(built, "data", "manifest") == expected


def test_a_missing_output_runs_its_step_and_what_follows(built: Path) -> None:
    svg = next(name for name in outputs(pipeline(built)) if name.endswith(".svg"))
    (built / svg).unlink()
    assert plan(built, "data", "manifest") == ["figures", "report", "manifest"]


def test_only_the_steps_asked_for(built: Path) -> None:
    touch(built, "data/raw/events.csv")
    assert plan(built, "data") == ["data"]
    assert plan(built, "data", "figures") == ["data", "figures"]
    assert plan(built, "figures", "manifest") == []  # the data step is not asked for


def test_an_unknown_step_is_refused(built: Path) -> None:
    with pytest.raises(InputError, match="no such step"):
        plan(built, "schemas")


def test_invalid_data_stop_the_run_before_anything_is_written(built: Path) -> None:
    edit_table(built / "data/raw/events.csv", set_cell(1, "date", "2014-13-45"))
    before = {name: (built / name).read_bytes() for name in outputs(pipeline(built))}
    done = subprocess.run(
        [sys.executable, "-m", "ukreport.cli", "build", "data", "--through", "manifest"],
        cwd=built,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "data/raw/events.csv:2" in done.stderr
    assert "nothing written to data/processed: the raw data are invalid" in done.stderr
    assert "Traceback" not in done.stderr
    assert {name: (built / name).read_bytes() for name in before} == before


def test_dry_run_lists_the_plan(built: Path) -> None:
    touch(built, "reports/essay.qmd")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ukreport.cli",
            "build",
            "data",
            "--through",
            "manifest",
            "--dry-run",
        ],
        cwd=built,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == "report, manifest\n"
