"""The build graph is declared once: a step added as one entry gets its Make rule, is
planned and run by ``ukreport build`` by the same rule, and is recorded in the manifest."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers.paths import copy_tracked
from ukreport.pipeline import graph
from ukreport.pipeline.makefile import makefile_fragment
from ukreport.pipeline.runner import plan, run

OLD = 1_700_000_000
RECORD = "reports/_build/record.html"


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
    assert graph.CHAIN == ("data", "figures", "record", "report", "manifest")
    assert graph.before("report") == ("data", "figures")  # what preview brings up to date
    assert graph.through("report", "manifest") == ["record", "report", "manifest"]
    assert graph.through("figures", "figures") == ["figures"]
    assert [step.name for step in graph.STEPS] == [
        "schemas",
        "data",
        "figures",
        "record",
        "report",
        "docx",
        "manifest",
    ]


def test_the_record_s_one_entry_gives_a_make_rule(tmp_path: Path) -> None:
    copy_tracked(tmp_path)
    fragment = makefile_fragment(tmp_path)
    assert (
        "RECORD_TARGETS := \\\n  reports/_build/record.html \\\n  reports/_build/record.pdf\n"
        in fragment
    )
    assert "$(RECORD_TARGETS) &: $(RECORD_CODE) $(DATA_TARGETS) | $(ENV_STAMP)\n" in fragment
    assert "\t$(call BUILD,record)\n" in fragment
    manifest_rule = next(line for line in fragment.splitlines() if line.startswith("$(MANIFEST"))
    assert "$(RECORD_TARGETS)" in manifest_rule


def test_the_record_is_planned_and_run_only_when_the_data_change(built: Path) -> None:
    assert plan(built, "data", "manifest") == []
    os.utime(built / "reports/essay.qmd", (OLD + 10_000, OLD + 10_000))
    assert "record" not in plan(built, "data", "manifest")
    os.utime(built / "data/raw/events.csv", (OLD + 20_000, OLD + 20_000))
    assert plan(built, "data", "manifest") == ["data", "figures", "record", "report", "manifest"]
    (built / RECORD).unlink()
    (built / "reports/essay.qmd").touch()
    os.utime(built / "data/raw/events.csv", (OLD, OLD))
    said: list[str] = []
    run(built, "record", on_step=lambda step, what, seconds: said.append(step))
    assert said == ["record"]
    assert 'id="2015-02-12-minsk-ii-package-of-measures"' in (built / RECORD).read_text(
        encoding="utf-8"
    )


def test_the_record_is_recorded_in_the_manifest(built: Path) -> None:
    recorded = {step.name: step for step in graph.pipeline(built)}
    assert recorded["record"].outputs == (RECORD, "reports/_build/record.pdf")
    assert "data/processed/datapackage.json" in graph.upstream(recorded.values())[RECORD]
    assert "manifest" not in recorded


def test_the_word_document_is_asked_for_never_chained() -> None:
    """``make report`` never makes it; asked for, it comes with what it is made from and
    the manifest that records it."""
    assert "docx" not in graph.CHAIN and "docx" in graph.BUILDABLE
    assert graph.through("data", "manifest") == ["data", "figures", "record", "report", "manifest"]
    assert graph.through("docx", None) == ["data", "figures", "docx", "manifest"]
    assert graph.through("docx", "manifest") == ["data", "figures", "docx", "manifest"]


def test_the_word_document_s_rule_is_the_runner_s(tmp_path: Path) -> None:
    copy_tracked(tmp_path)
    fragment = makefile_fragment(tmp_path)
    rule = fragment[fragment.index("$(DOCX_TARGETS):") :].split("\n\n")[0]
    assert rule.splitlines()[1:] == ["\t$(call BUILD,docx)"]


def test_a_docx_plan_holds_only_what_is_out_of_date(built: Path) -> None:
    assert plan(built, "docx") == []
    assert plan(built, "data", "manifest") == []
    os.utime(built / "reports/essay.qmd", (OLD + 10_000, OLD + 10_000))
    assert plan(built, "docx") == ["docx", "manifest"]
    assert "docx" not in plan(built, "data", "manifest")


def test_the_record_is_made_before_the_manifest_whichever_step_goes_first(built: Path) -> None:
    """``make figures`` then ``make report``: Make runs the report's recipe first, and
    the manifest it writes needs the record, which only its own rule would make later."""
    (built / RECORD).unlink()
    assert plan(built, "report", "manifest") == ["record", "manifest"]
