"""An interrupted ``make report`` keeps the previous outputs, every one of them.

A real ``make report`` on a copy of the repository is built once, then started again
with one step's inputs touched and sent SIGINT, as Ctrl-C sends it to the terminal's
process group, while that step runs. Make deletes the targets of an interrupted recipe
unless they are precious; the package writes each output whole or not at all, so the
Makefile marks them so, and the previous data package, figures and report must all be
there, byte for byte.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers.paths import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.render]

OUTPUTS = [
    "data/processed/datapackage.json",
    "data/processed/events.csv",
    "data/processed/events.parquet",
    "reports/figures/figures.json",
    "reports/_build/essay.html",
    "reports/_build/essay.pdf",
    "reports/_build/manifest.json",
]


def _copy(root: Path) -> Path:
    """The tracked files, with ``.venv`` pointing at this interpreter's environment."""
    files = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    for name in files:
        if (ROOT / name).is_file():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, root / name)
    (root / ".venv").mkdir()
    (root / ".venv/bin").symlink_to(Path(sys.prefix) / "bin")
    (root / ".venv/.installed").touch()
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    return root


def _make(root: Path) -> subprocess.Popen[bytes]:
    """``make report`` in a process group of its own, as a shell's foreground job."""
    return subprocess.Popen(
        ["make", "report"],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _running(group: int, step: str) -> bool:
    """Whether ``ukreport <step>`` runs in process group ``group``."""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if os.getpgid(int(proc.name)) != group:
                continue
            argv = (proc / "cmdline").read_bytes().split(b"\0")
        except (OSError, ProcessLookupError):
            continue
        if any(a.endswith(b"ukreport") for a in argv) and step.encode() in argv:
            return True
    return False


def _interrupt_during(root: Path, step: str) -> tuple[int, str]:
    """Start ``make report``; once ``ukreport <step>`` runs, Ctrl-C the whole group."""
    make = _make(root)
    deadline = time.monotonic() + 120
    while not _running(make.pid, step):
        assert make.poll() is None, f"make ended before {step} started"
        assert time.monotonic() < deadline, f"{step} never started"
        time.sleep(0.02)
    time.sleep(0.3)  # inside the step: imports done, work under way
    os.killpg(make.pid, signal.SIGINT)
    out, _ = make.communicate(timeout=120)
    return make.returncode, out.decode(errors="replace")


@pytest.mark.parametrize(
    ("step", "touched"),
    [
        ("process", "data/raw/events.csv"),
        ("figures", "src/ukreport/report/figures/style.py"),
        ("render", "reports/essay.qmd"),
    ],
)
def test_ctrl_c_during_a_step_keeps_every_previous_output(
    tmp_path: Path, step: str, touched: str
) -> None:
    root = _copy(tmp_path / "repo")
    first = subprocess.run(
        ["make", "report"], cwd=root, capture_output=True, text=True, check=False
    )
    assert first.returncode == 0, first.stdout + first.stderr
    before = {name: (root / name).read_bytes() for name in OUTPUTS}
    shutil.rmtree(root / "reports/.ukreport-cache", ignore_errors=True)  # cells run again
    os.utime(root / touched)
    status, log = _interrupt_during(root, step)
    assert status != 0, log
    after = {name: (root / name).read_bytes() for name in OUTPUTS if (root / name).is_file()}
    missing = sorted(set(OUTPUTS) - set(after))
    assert not missing, f"Ctrl-C during {step} deleted {missing}:\n{log}"
    assert after == before
    strays = list(root.rglob("*.tmp"))
    assert not strays, strays
