"""The build graph is declared once: a step added as one entry gets its Make rule, is
planned and run by ``ukreport build`` by the same rule, and is recorded in the manifest."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from helpers.paths import copy_tracked
from helpers.steps import RECORD
from ukreport.pipeline import graph
from ukreport.pipeline.makefile import makefile_fragment
from ukreport.pipeline.runner import plan, run

OLD = 1_700_000_000

RECORD_STEP = graph.Declared(
    "record",
    "ukreport record",
    entry=("ukreport.datasets",),
    inputs=(),
    outputs=(RECORD,),
    after=("data",),
    action="helpers.steps:record",
)


@pytest.fixture
def with_record(monkeypatch: pytest.MonkeyPatch) -> None:
    """The graph with one more step, made from the data package alone."""
    steps = list(graph.STEPS)
    manifest = steps.pop()
    manifest = dataclasses.replace(manifest, after=(*manifest.after, "record"))
    monkeypatch.setattr(graph, "STEPS", (*steps, RECORD_STEP, manifest))
    monkeypatch.setattr(graph, "CHAIN", (*graph.CHAIN[:-1], "record", "manifest"))


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """The tracked files, every output present and newer than every input."""
    copy_tracked(tmp_path, mtime=OLD)
    for number, step in enumerate(graph.steps(tmp_path), start=1):
        for name in step.outputs:
            made = tmp_path / name
            made.parent.mkdir(parents=True, exist_ok=True)
            if not made.exists():
                made.write_bytes(b"stand-in\n")
            os.utime(made, (OLD + 100 * number, OLD + 100 * number))
    return tmp_path


def test_the_chain_is_the_graph_s() -> None:
    assert graph.CHAIN == ("data", "figures", "report", "manifest")
    assert graph.before("report") == ("data", "figures")  # what preview brings up to date
    assert [step.name for step in graph.STEPS] == [
        "schemas",
        "data",
        "figures",
        "report",
        "docx",
        "manifest",
    ]


@pytest.mark.usefixtures("with_record")
def test_one_entry_gives_a_make_rule(tmp_path: Path) -> None:
    copy_tracked(tmp_path)
    fragment = makefile_fragment(tmp_path)
    assert "RECORD_TARGETS := \\\n  reports/_build/record.html\n" in fragment
    assert "$(RECORD_TARGETS): $(RECORD_CODE) $(DATA_TARGETS) | $(ENV_STAMP)\n" in fragment
    assert "\t$(call BUILD,record)\n" in fragment
    manifest_rule = next(line for line in fragment.splitlines() if line.startswith("$(MANIFEST"))
    assert "$(RECORD_TARGETS)" in manifest_rule


@pytest.mark.usefixtures("with_record")
def test_one_entry_is_planned_and_run_only_when_the_data_change(built: Path) -> None:
    assert plan(built, "data", "manifest") == []
    os.utime(built / "reports/essay.qmd", (OLD + 10_000, OLD + 10_000))
    assert "record" not in plan(built, "data", "manifest")
    os.utime(built / "data/raw/events.csv", (OLD + 20_000, OLD + 20_000))
    assert plan(built, "data", "manifest") == ["data", "figures", "report", "record", "manifest"]
    (built / RECORD).unlink()
    (built / "reports/essay.qmd").touch()
    os.utime(built / "data/raw/events.csv", (OLD, OLD))
    said: list[str] = []
    run(built, "record", on_step=lambda step, what, seconds: said.append(step))
    assert said == ["record"]
    assert "datapackage.json" in (built / RECORD).read_text(encoding="utf-8")


@pytest.mark.usefixtures("with_record")
def test_one_entry_is_recorded_in_the_manifest(built: Path) -> None:
    recorded = {step.name: step for step in graph.pipeline(built)}
    assert recorded["record"].outputs == (RECORD,)
    assert "data/processed/datapackage.json" in graph.upstream(recorded.values())[RECORD]
    assert "manifest" not in recorded
