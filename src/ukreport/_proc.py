"""The one way the package runs another program (git, make, pandoc, typst, Python).

Every call site wants the same things: the output captured, a timeout that kills the
program and everything it started (its process group), and, on failure, one error
that carries the command, the exit status and the last lines of standard error.
:func:`make` runs a Make of its own (``ukreport verify``'s builds in fresh copies).
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ukreport.errors import ExternalCommandError

__all__ = ["Finished", "make", "run"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Finished:
    """A program that ran to the end: its exit status and what it printed."""

    command: list[str]
    returncode: int
    stdout: bytes
    stderr: bytes

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def text(self) -> str:
        """Standard output as text (UTF-8, undecodable bytes replaced)."""
        return self.stdout.decode("utf-8", "replace")

    def errors(self) -> str:
        """Standard error as text."""
        return self.stderr.decode("utf-8", "replace")


def run(
    command: Sequence[str | Path],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    input: bytes | None = None,
    timeout: float | None = None,
    check: bool = True,
    error: type[ExternalCommandError] = ExternalCommandError,
) -> Finished:
    """Run ``command`` to the end and return what it printed.

    Raises ``error`` (an :class:`ExternalCommandError`) when the program is missing
    (status 127), runs past ``timeout`` seconds (status -1; it and its children are
    killed), or exits non-zero while ``check`` is true.
    """
    argv = [str(part) for part in command]
    log.debug("running %s in %s", " ".join(argv), cwd or Path.cwd())
    try:
        process = subprocess.Popen(
            argv,
            cwd=cwd,
            env=None if env is None else dict(env),
            stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group, so a timeout kills it all
        )
    except FileNotFoundError:
        raise error(argv, 127, f"{argv[0]}: command not found") from None
    try:
        stdout, stderr = process.communicate(input, timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        _, stderr = process.communicate()
        message = f"timed out after {timeout} s\n{stderr.decode('utf-8', 'replace')}"
        raise error(argv, -1, message) from None
    except BaseException:  # Ctrl-C: leave nothing running behind us
        _kill_group(process)
        process.wait()
        raise
    done = Finished(argv, process.returncode, stdout, stderr)
    if check and not done.ok:
        raise error(argv, done.returncode, done.errors())
    return done


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        process.kill()


def make(
    targets: Sequence[str],
    cwd: Path,
    *,
    env: Mapping[str, str] | None = None,
    timeout: float | None = None,
) -> Finished:
    """Run ``make TARGETS`` in ``cwd`` as a build of its own, not a sub-make of whatever
    started this process: the enclosing Make's variables (``MAKEFLAGS``, its jobserver,
    ``-n``) are left out of ``env`` (default: this process's). A failure is returned,
    not raised, for the caller to word; a missing ``make`` raises."""
    given = os.environ if env is None else env
    own = {k: v for k, v in given.items() if not k.startswith(("MAKE", "MFLAGS"))}
    command = ["make", "--no-print-directory", *targets]
    return run(command, cwd=cwd, env=own, timeout=timeout, check=False)
