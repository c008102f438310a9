"""Small git repositories for tests: commits that ignore the user's git configuration."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

GIT_ENV = {
    "GIT_AUTHOR_NAME": "ukreport tests",
    "GIT_AUTHOR_EMAIL": "tests@example.org",
    "GIT_COMMITTER_NAME": "ukreport tests",
    "GIT_COMMITTER_EMAIL": "tests@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}
"""An identity for commits, and no global or system configuration."""


def isolate_git(env: pytest.MonkeyPatch) -> None:
    """Commits work without a user's git configuration, and ignore it if there is one."""
    for name, value in GIT_ENV.items():
        env.setenv(name, value)


def run_git(repo: Path, *args: str) -> None:
    """``git ARGS`` in ``repo``, isolated from the user's configuration; fails on an error."""
    env = {**os.environ, **GIT_ENV}
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def commit(repo: Path, message: str, tag: str | None = None) -> None:
    """Commit everything in ``repo`` (even nothing), and tag the commit if ``tag`` is given."""
    run_git(repo, "add", "-A")
    run_git(repo, "commit", "-q", "--allow-empty", "-m", message)
    if tag:
        run_git(repo, "tag", tag)


def set_version(repo: Path, version: str) -> None:
    (repo / "pyproject.toml").write_text(f'[project]\nname = "x"\nversion = "{version}"\n')
