"""The one command wrapper: output captured, failures explained, timeouts leave nothing."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from ukreport._git import GitError
from ukreport._proc import run
from ukreport.errors import ExternalCommandError


def test_output_and_input() -> None:
    done = run([sys.executable, "-c", "import sys; print(sys.stdin.read().upper())"], input=b"ok")
    assert done.ok and done.text() == "OK\n" and done.errors() == ""


def test_a_failure_carries_the_command_status_and_stderr() -> None:
    code = "import sys; print('first'); sys.exit('the reason')"
    with pytest.raises(ExternalCommandError, match="exited with status 1: the reason") as caught:
        run([sys.executable, "-c", code])
    assert caught.value.command[1:] == ["-c", code]
    assert caught.value.returncode == 1
    assert not run([sys.executable, "-c", code], check=False).ok


def test_a_missing_program_is_status_127_of_the_error_type_asked_for() -> None:
    with pytest.raises(GitError, match="no-such-program: command not found") as caught:
        run(["no-such-program"], error=GitError)
    assert caught.value.returncode == 127


def test_a_timeout_kills_the_program_and_what_it_started(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    script = f"sleep 30 & echo $! > {pids}; sleep 30"
    started = time.perf_counter()
    with pytest.raises(ExternalCommandError, match=r"timed out after 0\.5 s"):
        run(["sh", "-c", script], timeout=0.5)
    assert time.perf_counter() - started < 10
    child = int(pids.read_text())
    for _ in range(50):  # the kill is delivered asynchronously
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        pytest.fail(f"the background child {child} is still running")


def test_a_make_of_its_own_ignores_the_enclosing_make(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ukreport._proc import make

    (tmp_path / "Makefile").write_text("all:\n\t@echo built > out.txt\n", encoding="utf-8")
    monkeypatch.setenv("MAKEFLAGS", "n")  # as inside `make -n`: nothing would be run
    monkeypatch.setenv("MFLAGS", "-n")
    done = make(["all"], tmp_path)
    assert done.ok, done.errors()
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == "built\n"
    failed = make(["missing-target"], tmp_path)
    assert not failed.ok
    assert "missing-target" in failed.errors()
