"""Small git repositories for tests: commits that ignore the user's git configuration."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import VALID
from ukreport.tableschema import write_schemas


def run_git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def isolate_git(env: pytest.MonkeyPatch) -> None:
    """Commits work without a user's git configuration, and ignore it if there is one."""
    for role in ("AUTHOR", "COMMITTER"):
        env.setenv(f"GIT_{role}_NAME", "ukreport tests")
        env.setenv(f"GIT_{role}_EMAIL", "tests@example.org")
    env.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    env.setenv("GIT_CONFIG_NOSYSTEM", "1")


def commit(repo: Path, message: str, tag: str | None = None) -> None:
    run_git(repo, "add", "-A")
    run_git(repo, "commit", "-q", "--allow-empty", "-m", message)
    if tag:
        run_git(repo, "tag", tag)


def set_version(repo: Path, version: str) -> None:
    (repo / "pyproject.toml").write_text(f'[project]\nname = "x"\nversion = "{version}"\n')


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once: the small valid tables and their schemas at version 0.1.0, tagged v0.1.0."""
    root = tmp_path_factory.mktemp("template") / "repo"
    root.mkdir()
    with pytest.MonkeyPatch.context() as env:
        isolate_git(env)
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
