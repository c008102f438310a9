"""The wings stand on each other in one order, and no import runs back up: the ground
floor imports only itself; report and review never import the pipeline or the command
line; the pipeline never imports the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.paths import ROOT
from ukreport.pipeline.deps import imported

PACKAGE = ROOT / "src" / "ukreport"
GROUND = {"_cache", "_git", "_io", "_meta", "_proc", "errors", "paths"}


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _module(path)
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        found[module] = imported(path.read_text(encoding="utf-8"), package) - {"ukreport"}
    return found


IMPORTS = _imports()


def _wing(module: str) -> str:
    return module.split(".")[1] if "." in module else ""


def _above(module: str, wings: set[str]) -> list[str]:
    return sorted(name for name in IMPORTS[module] if _wing(name) in wings)


@pytest.mark.parametrize("module", sorted(f"ukreport.{name}" for name in GROUND))
def test_the_ground_floor_imports_only_itself(module: str) -> None:
    others = sorted(name for name in IMPORTS[module] if _wing(name) not in GROUND)
    assert others == [], f"{module} imports {others}"


def test_report_and_review_do_not_import_the_pipeline_or_the_command_line() -> None:
    wrong = {
        module: _above(module, {"pipeline", "cli"})
        for module in IMPORTS
        if _wing(module) in {"report", "review"}
    }
    assert {module: found for module, found in wrong.items() if found} == {}


def test_only_the_command_line_imports_the_command_line() -> None:
    wrong = {module: _above(module, {"cli"}) for module in IMPORTS if _wing(module) != "cli"}
    assert {module: found for module, found in wrong.items() if found} == {}


def test_the_checker_sees_an_import_that_runs_back_up() -> None:
    code = "def late():\n    from ukreport.pipeline.runner import run\n"
    assert "ukreport.pipeline.runner" in imported(code, "ukreport.report")
