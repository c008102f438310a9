"""Asked for Quarto where there is none: one message that says so and how to do without,
in the words of how the build was asked for (``ENGINE=quarto`` to Make, ``--engine
quarto`` to the command), against the report's own target.

A real ``make`` on a copy of the repository, with a PATH that has no ``quarto``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from helpers.paths import copy_tracked
from ukreport import _proc
from ukreport.errors import EngineMissing
from ukreport.pipeline.actions import Run, ready

NOT_INSTALLED = "reports/essay.qmd: Quarto is not installed (no quarto program on PATH)"


def without_quarto() -> dict[str, str]:
    """This environment with every folder that holds a ``quarto`` left out of PATH."""
    folders = os.environ.get("PATH", "").split(os.pathsep)
    kept = [folder for folder in folders if folder and not (Path(folder) / "quarto").exists()]
    return {**os.environ, "PATH": os.pathsep.join(kept)}


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """The tracked files, with ``.venv`` pointing at this interpreter's environment."""
    root = tmp_path / "repo"
    copy_tracked(root)
    (root / ".venv").mkdir()
    (root / ".venv/bin").symlink_to(Path(sys.prefix) / "bin")
    (root / ".venv/.installed").touch()
    return root


def test_make_report_blames_the_report_and_says_drop_engine(checkout: Path) -> None:
    env = without_quarto()
    os.utime(checkout / "data/raw/events.csv")  # the data step's rule runs first
    done = _proc.make(["report", "ENGINE=quarto"], checkout, env=env)
    said = done.errors()
    assert done.returncode == 2, said
    assert f"ukreport: {NOT_INSTALLED}: install it" in said
    assert "or drop ENGINE=quarto to use the built-in engine" in said
    assert "--engine" not in said
    assert "Traceback" not in said
    # Make names the report's target; the data and figures it needs were made.
    last = said.strip().splitlines()[-1]
    assert last.startswith("make: *** [deps.mk:"), said
    assert last.endswith("reports/_build/essay.html] Error 2"), said
    assert said.count("Quarto is not installed") == 1, said
    assert (checkout / "reports/figures/figures.json").is_file()
    assert not (checkout / "reports/_build/essay.html").exists()
    assert not (checkout / "reports/_build/manifest.json").exists()

    # The Word document's rule says it the same way, against its own target.
    done = _proc.make(["docx", "ENGINE=quarto"], checkout, env=env)
    said = done.errors()
    assert done.returncode == 2, said
    assert "or drop ENGINE=quarto to use the built-in engine" in said
    assert said.strip().splitlines()[-1].endswith("reports/_build/essay.docx] Error 2"), said
    assert not (checkout / "reports/_build/essay.docx").exists()


def test_the_command_says_leave_out_engine_before_any_step_runs(checkout: Path) -> None:
    env = without_quarto()
    env["MAKELEVEL"] = "1"  # as under `make test`: still the command's words
    published = checkout / "data/processed/datapackage.json"
    os.utime(checkout / "data/raw/events.csv")
    before = published.stat().st_mtime_ns
    ukreport = str(checkout / ".venv/bin/ukreport")
    for command in (
        ["build", "data", "--through", "manifest", "--engine", "quarto"],
        ["render", "reports/essay.qmd", "--engine", "quarto"],
    ):
        done = _proc.run([ukreport, *command], cwd=checkout, env=env, check=False)
        said = done.errors()
        assert done.returncode == 2, said
        assert said == (
            f"ukreport: {NOT_INSTALLED}: install it (https://quarto.org/docs/get-started/), "
            "or leave out --engine quarto to use the built-in engine\n"
        )
    # Said at once: the data step did not run, no figure was drawn.
    assert published.stat().st_mtime_ns == before
    assert not (checkout / "reports/figures").exists()


def test_the_library_says_engine_embedded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(EngineMissing) as missing:
        ready(Run(tmp_path, engine="quarto"), "report")
    assert str(missing.value).endswith('or render with engine="embedded"')
    for engine in ("embedded", "auto"):
        ready(Run(tmp_path, engine=engine), "report")
    ready(Run(tmp_path, engine="quarto"), "data")  # the data need no Quarto
