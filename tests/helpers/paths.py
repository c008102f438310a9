"""Where things are: the repository, the test data and the report's sources."""

from __future__ import annotations

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
