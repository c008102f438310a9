"""The build manifest: it is deterministic, and verify-manifest
names exactly the outputs downstream of a changed input."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from helpers.gitrepo import run_git
from helpers.paths import ROOT
from helpers.tables import edit_table, set_cell
from ukreport import _cache
from ukreport.errors import InputError
from ukreport.pipeline.graph import outputs, pipeline, upstream
from ukreport.pipeline.provenance import build_manifest, dumps, write_manifest
from ukreport.pipeline.verification import verify_manifest

STEPS = pipeline(ROOT)
BY_STEP = {step.name: list(step.outputs) for step in STEPS}
REPORT = ["reports/_build/essay.html", "reports/_build/essay.pdf"]
RECORD = BY_STEP["record"]
DOWNSTREAM_OF_RAW = sorted(BY_STEP["data"] + BY_STEP["figures"] + RECORD + REPORT)


def test_upstream_is_transitive() -> None:
    made_from = upstream(STEPS)
    html = set(made_from["reports/_build/essay.html"])
    figure_code = "src/ukreport/report/figures/style.py"
    assert {"data/raw/events.csv", "reports/essay.qmd", figure_code} <= html
    assert {"src/ukreport/process.py", "reports/figures/timeline.svg"} <= html
    assert "reports/_build/essay.pdf" not in html
    assert set(made_from["schemas/raw/events.json"]) == set(STEPS[0].inputs)
    assert "data/raw/events.csv" not in made_from["schemas/raw/events.json"]


# --- a tree with the real sources and stand-in outputs ------------------------------------


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sources every step reads, copied; every output a few stand-in bytes."""
    root = tmp_path / "repo"
    for step in STEPS:
        for name in step.inputs:
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, root / name)
    for name in outputs(STEPS):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(f"built {name}\n".encode())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1750000000")
    return root


def stale(root: Path) -> list[str]:
    return sorted(verify_manifest(root).stale)


def test_a_fresh_build_verifies(tree: Path) -> None:
    out = write_manifest(tree, tree / "reports/_build/manifest.json")
    result = verify_manifest(tree)
    assert result.exit_code == 0
    assert sorted(result.fresh) == sorted(outputs(STEPS))
    assert result.lines() == []
    assert "are fresh" in result.summary()
    manifest = json.loads(out.read_text(encoding="utf-8"))
    assert manifest["validation"]["valid"] is True
    assert set(manifest["validation"]["rows"]) == {"events", "initiatives", "cooperation", "claims"}
    assert manifest["build"] == {"date": "2025-06-15", "source_date_epoch": 1750000000}
    assert manifest["package"]["name"] == "ukreport"
    assert set(manifest["environment"]["libraries"]) >= {"pandas", "pyarrow", "typst"}
    assert manifest["git"]["commit"] is None


def test_validation_is_reused_only_while_the_data_step_inputs_are_unchanged(
    tree: Path,
) -> None:
    out = tree / "reports/_build/manifest.json"
    write_manifest(tree, out)
    recorded = json.loads(out.read_text(encoding="utf-8"))
    recorded["validation"]["rows"]["events"] = -1  # only a reused result keeps this mark
    out.write_text(json.dumps(recorded), encoding="utf-8")
    write_manifest(tree, out)
    assert json.loads(out.read_text(encoding="utf-8"))["validation"]["rows"]["events"] == -1
    edit_table(tree / "data/raw/cooperation.csv", set_cell(1, "potential_benefits", "Changed"))
    write_manifest(tree, out)
    validation = json.loads(out.read_text(encoding="utf-8"))["validation"]
    assert validation["valid"] is True and validation["rows"]["events"] > 0


def test_a_validation_result_given_by_the_caller_is_recorded(tree: Path) -> None:
    given = {"valid": True, "failures": 0, "rows": {"events": 7}}
    out = write_manifest(tree, tree / "reports/_build/manifest.json", validation=given)
    assert json.loads(out.read_text(encoding="utf-8"))["validation"] == given


def test_the_manifest_is_deterministic_and_relative(tree: Path) -> None:
    text = dumps(build_manifest(tree))
    assert text == dumps(build_manifest(tree))
    assert str(tree) not in text
    assert str(Path.home()) not in text
    entry = json.loads(text)["outputs"]["reports/_build/essay.html"]
    assert entry["step"] == "report"
    assert len(entry["sha256"]) == 64
    assert "data/raw/cooperation.csv" in entry["inputs"]


def test_a_raw_row_makes_everything_downstream_stale(tree: Path) -> None:
    write_manifest(tree, tree / "reports/_build/manifest.json")
    raw = tree / "data/raw/cooperation.csv"
    original = raw.read_bytes()
    edit_table(raw, set_cell(1, "potential_benefits", "A changed claim"))
    result = verify_manifest(tree)
    assert sorted(result.stale) == DOWNSTREAM_OF_RAW
    assert sorted(result.fresh) == sorted(BY_STEP["schemas"])
    assert result.exit_code == 1
    assert "reports/_build/essay.html is stale: data/raw/cooperation.csv changed" in result.lines()
    raw.write_bytes(original)
    assert verify_manifest(tree).exit_code == 0


def test_the_essay_makes_only_the_report_stale(tree: Path) -> None:
    write_manifest(tree, tree / "reports/_build/manifest.json")
    essay = tree / "reports/essay.qmd"
    essay.write_text(essay.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert stale(tree) == REPORT


def test_figure_code_makes_figures_and_report_stale(tree: Path) -> None:
    write_manifest(tree, tree / "reports/_build/manifest.json")
    chart = tree / "src/ukreport/report/figures/timeline_chart.py"
    with chart.open("a", encoding="utf-8") as handle:
        handle.write("\n# edited\n")
    # the record's code reaches the renderer's package, which imports the figures
    assert stale(tree) == sorted(BY_STEP["figures"] + RECORD + REPORT)


def test_model_code_makes_schemas_stale(tree: Path) -> None:
    write_manifest(tree, tree / "reports/_build/manifest.json")
    with (tree / "src/ukreport/schemas/checks.py").open("a", encoding="utf-8") as handle:
        handle.write("\n# edited\n")
    assert stale(tree) == sorted(BY_STEP["schemas"] + DOWNSTREAM_OF_RAW)


def test_a_cache_entry_edited_by_hand_is_named_and_fails_nothing(tree: Path) -> None:
    write_manifest(tree, tree / "reports/_build/manifest.json")
    store = _cache.Store(tree / "reports" / _cache.FOLDER / "sections")
    store.store("tree.json", b'{"blocks": []}')
    assert verify_manifest(tree).ignored == []
    kept = store.path("tree.json")
    assert kept is not None
    kept.write_bytes(kept.read_bytes().replace(b"[]", b'["SECRET"]'))
    result = verify_manifest(tree)
    assert result.ignored == ["reports/.ukreport-cache/sections/tree.json"]
    assert result.exit_code == 0  # no build uses it: every output is as it was
    assert result.lines() == [
        "reports/.ukreport-cache/sections/tree.json does not match its hash (edited by "
        "hand?): no build uses it, the next makes it again"
    ]
    assert "1 cache entries ignored" in result.summary()


def test_changed_missing_and_new_files(tree: Path) -> None:
    write_manifest(tree, tree / "reports/_build/manifest.json")
    (tree / "reports/figures/timeline.svg").write_bytes(b"<svg/>")
    (tree / "reports/_build/essay.pdf").unlink()
    (tree / "reports/assets/extra.css").write_text("p {}\n", encoding="utf-8")
    result = verify_manifest(tree)
    assert result.missing == ["reports/_build/essay.pdf"]
    assert list(result.changed) == ["reports/figures/timeline.svg"]
    assert result.stale == {
        "reports/_build/essay.html": [
            "reports/figures/timeline.svg changed",
            "reports/assets/extra.css added",
        ]
    }
    lines = result.lines()
    assert "reports/_build/essay.pdf is missing" in lines
    assert any(line.startswith("reports/figures/timeline.svg changed although") for line in lines)
    assert (
        "reports/_build/essay.html is stale: reports/figures/timeline.svg changed; "
        "reports/assets/extra.css added" in lines
    )
    assert "1 missing" in result.summary()


def test_no_manifest(tree: Path) -> None:
    with pytest.raises(InputError) as caught:
        verify_manifest(tree)
    assert caught.value.exit_code == 2
    bad = tree / "bad.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(InputError, match="line 1, column 2: not JSON"):
        verify_manifest(tree, bad)


@pytest.mark.parametrize(
    "document",
    [
        "[]",
        "null",
        '"outputs"',
        '{"outputs": []}',
        '{"outputs": {"a": 1}}',
        '{"outputs": {"a": {"sha256": "0", "inputs": []}}}',
        '{"outputs": {"a": {"sha256": "0", "inputs": {"b": 1}}}}',
        '{"outputs": {"a": {"sha256": 5}}}',
        '{"outputs": {"../../etc/passwd": {"sha256": "0"}}}',
        '{"outputs": {"/dev/zero": {"sha256": "0"}}}',
        '{"outputs": {"a": {"sha256": "0", "inputs": {"/dev/zero": "0"}}}}',
    ],
)
def test_a_malformed_manifest_is_one_line_and_exit_2(
    tree: Path, capsys: pytest.CaptureFixture[str], document: str
) -> None:
    from ukreport.cli import main

    bad = tree / "bad.json"
    bad.write_text(document, encoding="utf-8")
    assert main(["verify-manifest", "--root", str(tree), "--manifest", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"ukreport: {bad}: not a manifest"), err
    assert "internal error" not in err and err.count("\n") == 1


def test_a_missing_output_stops_the_manifest(tree: Path) -> None:
    (tree / "reports/_build/essay.pdf").unlink()
    with pytest.raises(InputError, match=r"essay\.pdf"):
        write_manifest(tree, tree / "reports/_build/manifest.json")
    assert not (tree / "reports/_build/manifest.json").exists()


def test_git_state_counts_only_inputs(tree: Path) -> None:
    run_git(tree, "init", "--quiet")
    run_git(tree, "add", "-A")
    run_git(tree, "commit", "--quiet", "-m", "build")
    (tree / "NOTES.md").write_text("not an input\n", encoding="utf-8")
    state = build_manifest(tree)["git"]
    assert state["state"] == "clean"
    assert len(state["commit"]) == 40
    edit_table(tree / "data/raw/events.csv", set_cell(1, "key_theme", "Edited"))
    (tree / "reports/assets/new.css").write_text("p {}\n", encoding="utf-8")
    state = build_manifest(tree)["git"]
    assert state["state"] == "uncommitted changes"
    assert state["uncommitted"] == ["data/raw/events.csv", "reports/assets/new.css"]


# --- a real build -------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.render
def test_a_real_build(tmp_path: Path) -> None:
    from ukreport.pipeline.reproduce import build, build_env, clean, copy_worktree, link_venv

    root = copy_worktree(ROOT, tmp_path / "repo")
    link_venv(ROOT / ".venv", root)
    clean(root)
    build(root, build_env(root, tmp_path, 0))
    write_manifest(root, root / "reports/_build/manifest.json")
    manifest = json.loads((root / "reports/_build/manifest.json").read_text(encoding="utf-8"))
    assert manifest["validation"]["valid"] is True
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert manifest["git"]["commit"] == head.stdout.strip()
    assert verify_manifest(root).exit_code == 0

    raw = root / "data/raw/cooperation.csv"
    original = raw.read_bytes()
    edit_table(raw, set_cell(1, "potential_benefits", "A changed claim"))
    assert stale(root) == DOWNSTREAM_OF_RAW
    raw.write_bytes(original)
    assert verify_manifest(root).exit_code == 0

    essay = root / "reports/essay.qmd"
    essay.write_text(essay.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert stale(root) == REPORT


def test_the_word_document_is_recorded_once_made(tree: Path) -> None:
    out = tree / "reports/_build/manifest.json"
    write_manifest(tree, out)
    assert "reports/_build/essay.docx" not in json.loads(out.read_text("utf-8"))["outputs"]
    (tree / "reports/_build/essay.docx").write_bytes(b"built the docx\n")
    write_manifest(tree, out)
    recorded = json.loads(out.read_text(encoding="utf-8"))["outputs"]["reports/_build/essay.docx"]
    assert recorded["step"] == "docx" and "reports/essay.qmd" in recorded["inputs"]
    essay = tree / "reports/essay.qmd"
    essay.write_text(essay.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    assert "reports/_build/essay.docx" in stale(tree)
    # Written again, the manifest leaves out a Word document older than the essay.
    write_manifest(tree, out)
    assert "reports/_build/essay.docx" not in json.loads(out.read_text("utf-8"))["outputs"]
