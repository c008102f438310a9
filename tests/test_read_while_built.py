"""A file saved while the build reads it: the outputs are never vouched for, and rebuilt.

The manifest records, for every output, the bytes its step read, not those on disk once
the build is over; a step whose input is saved while it runs fails, its outputs set
older than the edit, so Make's rule and the runner's build them again. Each case saves
a file at a moment a real build reaches: inside the data step's read of a table (the
reader wrapped so the save lands just after it has the bytes, as an editor's save
landing mid-step would), after a step is done but before the manifest, and between two
runs of ``make``; and the essay saved while the Word document, made on request,
renders.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from helpers.paths import copy_tracked
from helpers.report import EPOCH, Report
from helpers.tables import read_rows
from ukreport.cli import main
from ukreport.pipeline import actions
from ukreport.pipeline.graph import MANIFEST, pipeline, steps
from ukreport.pipeline.provenance import build_manifest, sha256, write_manifest
from ukreport.pipeline.reads import UNKNOWN, ChangedWhileRead, watched
from ukreport.pipeline.runner import plan, run
from ukreport.pipeline.verification import verify_manifest
from ukreport.report import render as render_package
from ukreport.validation import validate as validate_module
from ukreport.validation.table import Data

OLD = 1_700_000_000
EVENTS = "data/raw/events.csv"


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """The tracked files, every output present and newer than every input, as after a
    build (outputs that are not tracked stand in as a line of text)."""
    copy_tracked(tmp_path, mtime=OLD)
    for number, step in enumerate(pipeline(tmp_path), start=1):
        for name in step.outputs:
            made = tmp_path / name
            made.parent.mkdir(parents=True, exist_ok=True)
            if not made.exists():
                made.write_bytes(b"stand-in\n")
            os.utime(made, (OLD + 100 * number, OLD + 100 * number))
    return tmp_path


def save(path: Path, text: bytes) -> None:
    """Save ``path`` as editors do: a new file renamed over the old one, dated now."""
    partial = path.with_name(path.name + ".saving")
    partial.write_bytes(text)
    partial.replace(path)


def edited(root: Path) -> bytes:
    """``events.csv`` with one description reworded: still valid, other bytes."""
    rows = read_rows(root / EVENTS)
    rows[1][rows[0].index("description")] = "Reworded while the build ran"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def saved_after_read(
    monkeypatch: pytest.MonkeyPatch, root: Path, table: str, saved: str = EVENTS
) -> list[bytes]:
    """Make the data step's reader save ``saved`` (default: ``table`` itself) just
    after it has read ``table``; the bytes it read are returned in the list."""
    real = validate_module.read_regular
    read: list[bytes] = []

    def reader(path: Path) -> Data:
        data = real(path)
        if path.name == Path(table).name and not read:
            read.append(bytes(data))
            if saved == EVENTS:
                save(root / saved, edited(root))
            else:
                save(root / saved, (root / saved).read_bytes() + b"# saved mid-build\n")
        return data

    monkeypatch.setattr(validate_module, "read_regular", reader)
    return read


def test_a_table_saved_while_the_data_step_reads_it_fails_the_step(
    built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    os.utime(built / EVENTS)  # the data step is due
    read = saved_after_read(monkeypatch, built, EVENTS)
    with pytest.raises(ChangedWhileRead) as raised:
        run(built, "data", "manifest")
    assert read, "the reader was not called"
    message = str(raised.value)
    assert f"{EVENTS} was saved while the build was making the data step's outputs" in message
    assert "run the build again" in message
    assert raised.value.exit_code == 1
    # The package made from the earlier bytes is there, whole, but older than the edit:
    # the runner (Make's rule) builds it again, and nothing after it ran.
    package = built / "data/processed/datapackage.json"
    assert package.stat().st_mtime_ns < (built / EVENTS).stat().st_mtime_ns
    assert plan(built, "data", "manifest") == ["data", "figures", "record", "report", "manifest"]
    assert not (built / MANIFEST).exists()  # the run stopped at the data step
    # A manifest written now (``ukreport manifest``) does not call the package fresh.
    write_manifest(built, built / MANIFEST)
    found = verify_manifest(built)
    assert "data/processed/datapackage.json" in found.stale
    assert found.exit_code == 1


def test_the_next_run_reads_the_saved_table(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    os.utime(built / EVENTS)
    saved_after_read(monkeypatch, built, EVENTS)
    with pytest.raises(ChangedWhileRead):
        run(built, "data")
    monkeypatch.undo()
    run(built, "data")
    assert plan(built, "data") == []
    assert b"Reworded while the build ran" in (built / "data/processed/events.csv").read_bytes()


def test_make_sees_the_outputs_out_of_date(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make's own rule, not the runner's copy of it, finds the data package stale."""
    os.utime(built / EVENTS)
    saved_after_read(monkeypatch, built, EVENTS)
    with pytest.raises(ChangedWhileRead):
        run(built, "data")
    (built / ".venv").mkdir()
    (built / ".venv/.installed").touch()
    os.utime(built / ".venv/.installed", (OLD, OLD))
    question = subprocess.run(
        ["make", "-q", "data/processed/datapackage.json"],
        cwd=built,
        capture_output=True,
        check=False,
    )
    assert question.returncode == 1, question.stderr  # 1: out of date; 0 would be current


def data_step(root: Path) -> Callable[[], str]:
    return lambda: actions.data(actions.Run(root))


def test_a_table_saved_after_the_step_but_before_the_manifest_is_not_vouched_for(
    built: Path,
) -> None:
    os.utime(built / EVENTS)
    graph = {step.name: step for step in steps(built)}
    original = (built / EVENTS).read_bytes()
    _, read = watched(built, graph["data"], graph, data_step(built))
    assert read[EVENTS] == sha256(built / EVENTS)
    save(built / EVENTS, edited(built))  # after the data step, before the manifest step
    manifest = build_manifest(built, read={"data": read})
    recorded = manifest["outputs"]["data/processed/datapackage.json"]["inputs"]
    assert recorded[EVENTS] == sha256_of(original)
    # so do the outputs made from it, through the steps between
    assert manifest["outputs"]["reports/_build/essay.html"]["inputs"][EVENTS] == recorded[EVENTS]
    write_manifest(built, built / MANIFEST, read={"data": read})
    found = verify_manifest(built)
    assert found.stale["data/processed/datapackage.json"] == [f"{EVENTS} changed"]
    assert "data/processed/datapackage.json" not in found.fresh


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_an_input_saved_after_an_earlier_run_made_its_output_is_unknown(built: Path) -> None:
    """Between two runs (``make docx``'s manifest after an edit of the essay, or
    ``ukreport manifest``): the outputs older than the edit are not vouched for."""
    essay = built / "reports/essay.qmd"
    save(essay, essay.read_bytes() + b"\nA sentence added since the report was made.\n")
    manifest = build_manifest(built)
    assert manifest["outputs"]["reports/_build/essay.html"]["inputs"]["reports/essay.qmd"] == (
        UNKNOWN
    )
    assert manifest["outputs"]["data/processed/datapackage.json"]["inputs"][EVENTS] == sha256(
        built / EVENTS
    )
    write_manifest(built, built / MANIFEST)
    found = verify_manifest(built)
    assert sorted(found.stale) == ["reports/_build/essay.html", "reports/_build/essay.pdf"]
    assert found.stale["reports/_build/essay.html"] == ["reports/essay.qmd changed"]


def test_a_build_nothing_was_saved_during_is_fresh(built: Path) -> None:
    """The other side: with nothing saved, every output is vouched for by its hash."""
    write_manifest(built, built / MANIFEST)
    found = verify_manifest(built)
    assert found.exit_code == 0, found.lines()
    text = (built / MANIFEST).read_text(encoding="utf-8")
    assert UNKNOWN not in text


def test_the_command_says_so_without_a_traceback(
    built: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    os.utime(built / EVENTS)
    saved_after_read(monkeypatch, built, EVENTS)
    monkeypatch.chdir(built)
    status = main(["build", "data", "--through", "manifest", "--root", str(built)])
    err = capsys.readouterr().err
    assert status == 1
    assert err.startswith(f"ukreport: {EVENTS} was saved while the build was making the data")
    assert "Traceback" not in err


def test_code_saved_during_an_earlier_step_fails_the_step_that_runs_it(
    built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process imports a module once, perhaps long before the step that runs it (the
    kernel started ahead imports the essay's code while the data are made): a step's
    code is hashed as the run starts, so an edit before the step begins counts."""
    chart = "src/ukreport/report/figures/timeline_chart.py"
    os.utime(built / EVENTS)
    saved_after_read(monkeypatch, built, EVENTS, saved=chart)
    with pytest.raises(ChangedWhileRead) as raised:
        run(built, "data", "figures")
    assert raised.value.step == "figures"
    assert raised.value.changed == [chart]
    assert plan(built, "data", "figures") == ["figures"]  # the data step read nothing new


@pytest.mark.render
def test_the_essay_saved_while_the_word_document_renders_fails_the_docx_step(
    tmp_path: Path,
    report: Report,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``make docx`` runs through the runner like every other step: an essay saved while
    the Word document renders fails it, and the manifest never vouches for it."""
    copy_tracked(tmp_path, mtime=OLD)
    shutil.copytree(report.processed, tmp_path / "data/processed", dirs_exist_ok=True)
    shutil.copytree(report.figures, tmp_path / "reports/figures", dirs_exist_ok=True)
    shutil.copytree(report.frozen, tmp_path / "reports" / report.frozen.name)
    for number, step in enumerate(steps(tmp_path), start=1):
        for name in step.outputs if step.name != "docx" else ():
            made = tmp_path / name
            made.parent.mkdir(parents=True, exist_ok=True)
            if not made.exists():
                made.write_bytes(b"stand-in\n")
            os.utime(made, (OLD + 100 * number, OLD + 100 * number))
    assert plan(tmp_path, "docx") == ["docx", "manifest"]
    essay, docx = tmp_path / "reports/essay.qmd", tmp_path / "reports/_build/essay.docx"
    real = render_package.render

    def render(*args: Any, **kwargs: Any) -> list[Path]:
        written = real(*args, **kwargs)  # the essay read, the document written
        save(essay, essay.read_bytes() + b"\nA sentence saved while the document rendered.\n")
        return written

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setattr(render_package, "render", render)
    command = ["build", "docx", "--root", str(tmp_path)]
    status = main(command)
    err = capsys.readouterr().err
    assert status == 1, err
    assert err.startswith(
        "ukreport: reports/essay.qmd was saved while the build was making the docx step's "
    ), err
    assert "Traceback" not in err
    assert docx.is_file()
    assert docx.stat().st_mtime_ns < essay.stat().st_mtime_ns
    assert (tmp_path / MANIFEST).read_bytes() == b"stand-in\n"  # the manifest did not run
    assert plan(tmp_path, "docx") == ["docx", "manifest"]

    monkeypatch.setattr(render_package, "render", real)
    assert main(command) == 0, capsys.readouterr().err
    assert plan(tmp_path, "docx") == []
    assert docx.stat().st_mtime_ns > essay.stat().st_mtime_ns
    recorded = json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))["outputs"]
    assert recorded["reports/_build/essay.docx"]["inputs"]["reports/essay.qmd"] == sha256(essay)
