"""``make test`` keeps a group of tests on one worker (pytest-xdist's ``--dist
loadgroup``): the tests that share a rendered document build it once. pytest 9.2 broke
this silently for pytest-xdist 3.8, so the pairing is checked, not assumed."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path


def test_a_group_runs_on_one_worker(tmp_path: Path) -> None:
    (tmp_path / "test_grouped.py").write_text(
        textwrap.dedent(
            """
            import os
            import pytest

            pytestmark = pytest.mark.xdist_group("together")

            @pytest.mark.parametrize("i", range(8))
            def test_record(i):
                with open(os.environ["WORKERS_FILE"], "a") as f:
                    f.write(os.environ["PYTEST_XDIST_WORKER"] + "\\n")
            """
        ),
        encoding="utf-8",
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-n",
            "2",
            "--dist",
            "loadgroup",
            "-q",
            "-p",
            "no:cacheprovider",
            "test_grouped.py",
        ],
        cwd=tmp_path,
        env={**os.environ, "WORKERS_FILE": str(tmp_path / "workers")},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    workers = (tmp_path / "workers").read_text().split()
    assert len(workers) == 8 and len(set(workers)) == 1, workers
