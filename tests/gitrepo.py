"""Small git repositories for tests: commits that ignore the user's git configuration."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest


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
