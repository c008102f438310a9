"""The version lives in pyproject.toml; everything that states it must agree."""

from __future__ import annotations

import json
import re
import tomllib

from helpers.paths import ROOT
from ukreport.review.changelog import entry_problems

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
    """A dated entry once released; until the release is cut, ``## [Unreleased]``."""
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert entry_problems(text, VERSION, "CHANGELOG.md") == []


def test_every_subpackage_is_in_the_wheel() -> None:
    """setuptools is given the packages by name (the data package lives elsewhere), so a
    new folder of modules must be listed, or the wheel silently lacks it."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(pyproject["tool"]["setuptools"]["packages"])
    source = ROOT / "src"
    found = {
        init.parent.relative_to(source).as_posix().replace("/", ".")
        for init in source.glob("ukreport/**/__init__.py")
    }
    assert found <= listed, f"not in [tool.setuptools] packages: {sorted(found - listed)}"
