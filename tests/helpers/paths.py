"""Where things are: the repository, the test data and the report's sources."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).parents[2]
"""The repository (or the copy of it under test)."""

VALID = ROOT / "tests" / "data" / "valid"
"""Small, valid raw tables, one row or a few per table."""

RENDER_DATA = ROOT / "tests" / "data" / "render"
"""Small ``.qmd`` documents for the renderer: an essay, hostile cells, broken ones."""

ASSETS = ROOT / "reports" / "assets"
"""The report's stylesheet and other files the HTML embeds."""

ESSAY = ROOT / "reports" / "essay.qmd"
RAW = ROOT / "data" / "raw"


def copy_tracked(target: Path, *, mtime: int | None = None) -> None:
    """Copy every file git tracks in the repository into ``target``; with ``mtime``, all
    dated then (so a test can date outputs after them, as a build would)."""
    files = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    for name in files:
        if (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    if mtime is not None:
        for path in target.rglob("*"):
            os.utime(path, (mtime, mtime))
