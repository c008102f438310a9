"""The version lives in pyproject.toml; everything that states it must agree."""

from __future__ import annotations

import json
import re
import tomllib

from helpers.paths import ROOT

VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def test_citation_states_the_package_version() -> None:
    citation = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert re.search(rf"^version: {re.escape(VERSION)}$", citation, re.MULTILINE), (
        f"CITATION.cff must say version: {VERSION}"
    )


def test_datapackage_states_the_package_version() -> None:
    package = json.loads((ROOT / "data/processed/datapackage.json").read_text(encoding="utf-8"))
    assert package["version"] == VERSION


def test_changelog_has_an_entry_for_the_version() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## \[{re.escape(VERSION)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", text, re.M)
