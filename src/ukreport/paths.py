"""Every default path in one place, relative to the working directory.

The command line and Make run from the repository root; functions take these as
defaults so tests and other projects can point them elsewhere.
"""

from __future__ import annotations

from pathlib import Path

TABLES = ("events", "initiatives", "cooperation", "claims")
"""The tables' names, in the order every listing uses: ``data/raw/<name>.csv``. Each is
described once, in :data:`ukreport.schemas.SPECS` (which refuses to import if the two
disagree); the names are here so that the build, the loaders and the writer know them
without importing the models."""
RAW_DIR = Path("data/raw")
PROCESSED_DIR = Path("data/processed")
SCHEMAS_DIR = Path("schemas")
REPORTS_DIR = Path("reports")
FIGURES_DIR = REPORTS_DIR / "figures"
BUILD_DIR = REPORTS_DIR / "_build"
ESSAY = REPORTS_DIR / "essay.qmd"
PYPROJECT = Path("pyproject.toml")

PACKAGE_DIR = Path(__file__).resolve().parent
"""The installed ``ukreport`` package folder (``src/ukreport`` in a checkout)."""
SOURCE_ROOT = PACKAGE_DIR.parent
"""The folder that holds the package: what goes on a kernel's ``PYTHONPATH``."""
CHECKOUT = SOURCE_ROOT.parent
"""The repository root when running from a checkout (meaningless when installed)."""
