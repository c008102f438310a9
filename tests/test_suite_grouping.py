"""``make test`` keeps a group of tests on one worker (pytest-xdist's ``--dist
loadgroup``): the tests that share a rendered document build it once. pytest 9.2 broke
this silently for pytest-xdist 3.8, and this suite's own grouping (``conftest.py``
marks the tests of a module that share a module-scoped fixture) works only if it marks
them before pytest-xdist reads the marks; so both are checked, not assumed."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from helpers.paths import ROOT

TESTS = ROOT / "tests"

# A project of its own, whose conftest takes this suite's grouping hook as it is.
CONFTEST = f"""
import importlib.util, sys
sys.path.insert(0, {str(TESTS)!r})
spec = importlib.util.spec_from_file_location("suite_conftest", {str(TESTS / "conftest.py")!r})
suite = importlib.util.module_from_spec(spec)
spec.loader.exec_module(suite)
pytest_collection_modifyitems = suite.pytest_collection_modifyitems
"""

MARKED = """
import os
import pytest

pytestmark = pytest.mark.xdist_group("together")

@pytest.mark.parametrize("i", range(8))
def test_record(i):
    with open(os.environ["WORKERS_FILE"], "a") as f:
        f.write("marked " + os.environ["PYTEST_XDIST_WORKER"] + "\\n")
"""

SHARING = """
import os
import pytest

@pytest.fixture(scope="module")
def built():
    return "built once"

@pytest.mark.parametrize("i", range(8))
def test_record(i, built):
    with open(os.environ["WORKERS_FILE"], "a") as f:
        f.write("sharing " + os.environ["PYTEST_XDIST_WORKER"] + "\\n")
"""


def test_a_group_runs_on_one_worker(tmp_path: Path) -> None:
    """Tests marked with a group, and tests sharing a module-scoped fixture (which the
    suite's conftest groups), each on one worker; one run of pytest for both."""
    (tmp_path / "conftest.py").write_text(CONFTEST, encoding="utf-8")
    (tmp_path / "test_marked.py").write_text(textwrap.dedent(MARKED), encoding="utf-8")
    (tmp_path / "test_sharing.py").write_text(textwrap.dedent(SHARING), encoding="utf-8")
    command = [sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadgroup", "-q"]
    done = subprocess.run(
        [*command, "-p", "no:cacheprovider", "test_marked.py", "test_sharing.py"],
        cwd=tmp_path,
        env={**os.environ, "WORKERS_FILE": str(tmp_path / "workers")},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = (tmp_path / "workers").read_text().splitlines()
    for module in ("marked", "sharing"):
        workers = [line.split()[1] for line in lines if line.split()[0] == module]
        assert len(workers) == 8 and len(set(workers)) == 1, (module, workers)


def test_the_default_hypothesis_profile_is_deterministic() -> None:
    """`make test` draws the same examples every run: no seed of the run's own, no
    examples replayed from an old `.hypothesis/` folder."""
    from hypothesis import settings

    assert settings.default.derandomize is True
    assert settings.default.database is None
    explore = settings.get_profile("explore")
    assert explore.derandomize is False and explore.database is not None
