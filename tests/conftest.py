"""Fixtures: copies of the small valid tables and small git repositories. The code they
share with the tests is in ``helpers``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers.gitrepo import commit, run_git, set_version
from helpers.paths import VALID
from ukreport.tableschema import write_schemas


@pytest.fixture
def raw_dir(tmp_path: Path) -> Path:
    """A writable copy of ``tests/data/valid`` (small, valid raw tables)."""
    target = tmp_path / "raw"
    shutil.copytree(VALID, target)
    return target


# -- git repositories ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once: the small valid tables and their schemas at version 0.1.0, tagged v0.1.0."""
    root = tmp_path_factory.mktemp("template") / "repo"
    root.mkdir()
    run_git(root, "init", "-q")
    shutil.copytree(VALID, root / "data" / "raw")
    write_schemas(root / "schemas")
    set_version(root, "0.1.0")
    commit(root, "release 0.1.0", tag="v0.1.0")
    return root


@pytest.fixture
def repo(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the template repository, as the current directory."""
    root = tmp_path / "repo"
    shutil.copytree(template, root)
    monkeypatch.chdir(root)
    return root
