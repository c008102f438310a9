"""The Makefile is a real DAG: nothing runs when nothing changed, and a change to one
input rebuilds exactly what depends on it. Checked with ``make -q``/``make -n`` on a
copy of the repository, so no step actually runs."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from helpers.paths import ROOT, copy_tracked

TARGETS = [
    "schemas/raw/events.json",
    "data/processed/datapackage.json",
    "reports/figures/figures.json",
    "reports/_build/record.html",
    "reports/_build/record.pdf",
    "reports/_build/essay.html",
    "reports/_build/essay.pdf",
    "reports/_build/manifest.json",
]


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """A copy of the tracked files, with every output newer than every input."""
    old = 1_700_000_000
    copy_tracked(tmp_path, mtime=old)
    (tmp_path / ".venv").mkdir()
    stamp = tmp_path / ".venv/.installed"
    stamp.touch()
    os.utime(stamp, (old + 10, old + 10))
    for step, name in enumerate(TARGETS, start=1):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
        os.utime(path, (old + 100 * step, old + 100 * step))
    for sibling in ("schemas/raw", "schemas/processed"):
        for path in (tmp_path / sibling).glob("*.json"):
            os.utime(path, (old + 100, old + 100))
    return tmp_path


def make(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["make", *args], cwd=folder, capture_output=True, text=True, check=False)


def steps(folder: Path, changed: str) -> set[str]:
    """The targets' recipes ``make report`` would run if ``changed`` were edited: each is
    ``ukreport build STEP --through manifest``."""
    result = make(folder, "-n", "-W", changed, "report")
    assert result.returncode == 0, result.stderr
    found = set()
    for line in result.stdout.splitlines():
        words = line.split()
        if len(words) > 1 and words[0].endswith("/ukreport") and words[1] == "build":
            assert words[3:5] == ["--through", "manifest"], line
            found.add(words[2])
    return found


def test_nothing_to_do_when_nothing_changed(built: Path) -> None:
    assert make(built, "-q", "report").returncode == 0


def test_a_raw_table_rebuilds_everything_downstream(built: Path) -> None:
    assert steps(built, "data/raw/events.csv") == {
        "data",
        "figures",
        "record",
        "report",
        "manifest",
    }


def test_the_essay_alone_only_re_renders(built: Path) -> None:
    # (make -n may leave the manifest out: it does not see a grouped target remade)
    assert steps(built, "reports/essay.qmd") - {"manifest"} == {"report"}


def test_figure_code_redraws_and_re_renders(built: Path) -> None:
    assert steps(built, "src/ukreport/report/figures/timeline_chart.py") - {"manifest"} == {
        "figures",
        "record",  # its code reaches the renderer's package, which imports the figures
        "report",
    }


def test_the_stylesheet_only_re_renders(built: Path) -> None:
    assert steps(built, "reports/assets/style.css") - {"manifest"} == {"report"}


def recipes(folder: Path, changed: str, *goals: str) -> list[list[str]]:
    """The ``ukreport build`` commands ``make -n GOALS`` prints, after their program."""
    result = make(folder, "-n", "-W", changed, *goals)
    assert result.returncode == 0, result.stderr
    return [
        words[1:]
        for words in map(str.split, result.stdout.splitlines())
        if words and words[0].endswith("/ukreport")
    ]


def test_make_data_and_make_figures_build_through_their_own_goal(built: Path) -> None:
    engine = ["--engine", "embedded"]
    assert recipes(built, "data/raw/events.csv", "data") == [["build", "data", *engine]]
    assert recipes(built, "data/raw/events.csv", "figures") == [
        ["build", "data", "--through", "figures", *engine],
        ["build", "figures", "--through", "figures", *engine],
    ]


def test_help_lists_the_targets() -> None:
    result = make(ROOT, "help")
    for target in (
        "report",
        "preview",
        "test",
        "validate",
        "data",
        "schemas",
        "figures",
        "bench",
        "clean",
        "check",
    ):
        assert f"make {target} " in result.stdout


# -- one build graph ---------------------------------------------------------------------------


def test_deps_mk_is_generated_from_the_imports() -> None:
    from ukreport.pipeline.makefile import makefile_fragment

    committed = (ROOT / "deps.mk").read_text(encoding="utf-8")
    assert committed == makefile_fragment(ROOT), "run `make deps` and commit deps.mk"


REPORT_MODULES = sorted(
    {
        path
        for path in __import__("ukreport.pipeline.graph", fromlist=["code"]).code(ROOT, "report")
        if path.endswith(".py")
    }
)


def test_the_report_depends_on_every_module_its_cells_import() -> None:
    # The essay's cells import ukreport.report.essay, which asks git for the commit it was built
    # at: a module that once was in no list, so editing it left a stale report.
    assert "src/ukreport/_git.py" in REPORT_MODULES
    assert "src/ukreport/report/render/escape.py" in REPORT_MODULES
    assert "src/ukreport/cli/__init__.py" not in REPORT_MODULES  # the CLI does not change outputs


@pytest.mark.parametrize("module", REPORT_MODULES)
def test_touching_any_module_of_the_report_makes_it_out_of_date(built: Path, module: str) -> None:
    assert "report" in steps(built, module), module


def test_relative_and_lazy_imports_are_followed(tmp_path: Path) -> None:
    from ukreport.pipeline.graph import STEPS, code

    package = tmp_path / "src" / "ukreport"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("from . import leaf\n")
    (package / "sub" / "leaf.py").write_text("def f():\n    from ..hidden import x\n")
    (package / "hidden.py").write_text("x = 1\n")
    (package / "typed.py").write_text("")
    (package / "tableschema.py").write_text(
        "from typing import TYPE_CHECKING\nfrom ukreport.sub import leaf\n"
        "if TYPE_CHECKING:\n    from ukreport import typed\n"
    )
    assert STEPS[0].name == "schemas" and STEPS[0].entry == ("ukreport.tableschema",)
    assert code(tmp_path, "schemas") == (
        "src/ukreport/__init__.py",
        "src/ukreport/hidden.py",
        "src/ukreport/sub/__init__.py",
        "src/ukreport/sub/leaf.py",
        "src/ukreport/tableschema.py",
    )


def test_make_docx_runs_the_word_document_through_the_runner(built: Path) -> None:
    """The Word document is a step like the others (watched, recorded by the manifest the
    same run writes), made only on request: ``make report`` never asks for it."""
    docx = built / "reports/_build/essay.docx"
    docx.touch()
    os.utime(docx, (1_700_010_000, 1_700_010_000))
    engine = ["--engine", "embedded"]
    assert make(built, "-q", "docx").returncode == 0
    assert recipes(built, "reports/essay.qmd", "docx") == [["build", "docx", *engine]]
    assert recipes(built, "data/raw/events.csv", "docx") == [
        ["build", "data", *engine],
        ["build", "figures", *engine],
        ["build", "docx", *engine],
    ]
    assert ["build", "docx", "--through", "manifest", *engine] in recipes(
        built, "reports/essay.qmd", "report", "docx"
    )
    docx.unlink()
    assert make(built, "-q", "report").returncode == 0
    assert make(built, "-q", "docx").returncode == 1
