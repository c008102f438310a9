"""An interrupted ``make report`` keeps the previous outputs, every one of them.

A real ``make report`` on a copy of the repository is built once, then made to rebuild
everything and sent SIGINT, as Ctrl-C sends it to the terminal's process group, at
moments spread over the rebuild. Make deletes the targets of an interrupted recipe
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

from helpers.paths import copy_tracked

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
    copy_tracked(root)
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


def _interrupt_after(root: Path, seconds: float) -> tuple[int, str]:
    """Start ``make report``; after ``seconds``, Ctrl-C the whole group."""
    make = _make(root)
    try:
        out, _ = make.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(make.pid, signal.SIGINT)
        out, _ = make.communicate(timeout=120)
    return make.returncode, out.decode(errors="replace")


def _rebuild_everything(root: Path) -> None:
    """Make every step out of date (the raw data touched, not changed) and the cells run
    again (no frozen outputs): the same outputs, byte for byte, the long way round."""
    shutil.rmtree(root / "reports/.ukreport-cache", ignore_errors=True)
    os.utime(root / "data/raw/events.csv")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes], float]:
    """A copy built once, its outputs, and how long a rebuild of everything takes."""
    root = _copy(tmp_path_factory.mktemp("interrupted") / "repo")
    first = subprocess.run(
        ["make", "report"], cwd=root, capture_output=True, text=True, check=False
    )
    assert first.returncode == 0, first.stdout + first.stderr
    _rebuild_everything(root)
    started = time.monotonic()
    again = subprocess.run(
        ["make", "report"], cwd=root, capture_output=True, text=True, check=False
    )
    assert again.returncode == 0, again.stdout + again.stderr
    return root, {name: (root / name).read_bytes() for name in OUTPUTS}, time.monotonic() - started


@pytest.mark.parametrize("fraction", [0.15, 0.35, 0.55, 0.75, 0.9])
def test_ctrl_c_at_any_moment_keeps_every_previous_output(
    built: tuple[Path, dict[str, bytes], float], fraction: float
) -> None:
    """Ctrl-C early (making the data), midway (figures, the kernel) or late (pandoc,
    typst, the manifest): every output is there and whole (rebuilt ones are the same
    bytes, the build being reproducible), and no temporary file is left."""
    root, before, took = built
    _rebuild_everything(root)
    status, log = _interrupt_after(root, took * fraction)
    after = {name: (root / name).read_bytes() for name in OUTPUTS if (root / name).is_file()}
    missing = sorted(set(OUTPUTS) - set(after))
    assert not missing, f"Ctrl-C after {fraction:.0%} deleted {missing} (status {status}):\n{log}"
    assert after == before, log
    strays = list(root.rglob("*.tmp"))
    assert not strays, strays
