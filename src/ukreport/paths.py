"""Every default path in one place, relative to the working directory.

The command line and Make run from the repository root; functions take these as
defaults so tests and other projects can point them elsewhere.
"""

from __future__ import annotations

from pathlib import Path

RAW_DIR = Path("data/raw")
PROCESSED_DIR = Path("data/processed")
SCHEMAS_DIR = Path("schemas")
REPORTS_DIR = Path("reports")
FIGURES_DIR = REPORTS_DIR / "figures"
BUILD_DIR = REPORTS_DIR / "_build"
ESSAY = REPORTS_DIR / "essay.qmd"
PYPROJECT = Path("pyproject.toml")
