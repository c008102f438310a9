"""The one wrapper for external commands (pandoc, quarto).

Every failure becomes an :class:`~ukreport.errors.ExternalCommandError` that carries
the command, its exit status and the end of its stderr, so the user sees why.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pypandoc

from ukreport.errors import ExternalCommandError, RenderError

__all__ = ["pandoc_path", "run", "run_pandoc"]

logger = logging.getLogger(__name__)


def run(
    command: Sequence[str | Path],
    *,
    cwd: Path | None = None,
    timeout: float | None = None,
    env: dict[str, str] | None = None,
) -> str:
    """Run ``command`` and return its stdout; raise ExternalCommandError if it fails."""
    argv = [str(part) for part in command]
    logger.debug("running %s (cwd=%s)", argv, cwd)
    try:
        done = subprocess.run(
            argv,
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError as exc:
        raise ExternalCommandError(argv, 127, f"{argv[0]}: command not found") from exc
    except subprocess.TimeoutExpired as exc:
        stderr = exc.stderr.decode(errors="replace") if isinstance(exc.stderr, bytes) else ""
        raise ExternalCommandError(argv, -1, f"timed out after {timeout} s\n{stderr}") from exc
    if done.returncode != 0:
        raise ExternalCommandError(argv, done.returncode, done.stderr)
    for line in done.stderr.splitlines():
        logger.warning("%s: %s", Path(argv[0]).name, line)
    return done.stdout


def pandoc_path() -> str:
    """Locate pandoc: the ``pypandoc_binary`` wheel's copy first, then PATH."""
    try:
        path = str(pypandoc.get_pandoc_path())
        if path:
            return path
    except OSError:
        logger.debug("pypandoc has no pandoc binary; looking on PATH")
    found = shutil.which("pandoc")
    if found is None:
        hint = "install the report extra: pip install 'ukreport[report]'"
        raise RenderError("pandoc", None, f"pandoc not found; {hint}")
    return found


def run_pandoc(args: Sequence[str | Path], *, cwd: Path, timeout: float | None = None) -> str:
    """Run pandoc with ``args`` in ``cwd``."""
    return run([pandoc_path(), *args], cwd=cwd, timeout=timeout)
