"""The benchmarks time validation of data that is valid: a generator whose rows fail
would time the error path under the name of the valid one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = HERE.parent / "benchmarks"


def test_the_generated_events_validate(tmp_path: Path) -> None:
    """5,000 synthetic rows, drawn from the real rows, are all valid: none repeats
    another's date, type, actors, participants and page."""
    folder = tmp_path / "raw"
    subprocess.run(
        [sys.executable, str(BENCHMARKS / "generate.py"), "5000", str(folder)],
        check=True,
        capture_output=True,
    )
    result = subprocess.run(
        [str(Path(sys.executable).parent / "ukreport"), "validate", "--no-cache", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "events (5000 rows)" in result.stderr
