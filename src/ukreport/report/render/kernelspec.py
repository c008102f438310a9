"""How the essay's kernel starts: on this Python, in an environment that points it at
the places it reads, with its sockets in a folder whose path fits a socket address.

The data folder is a parameter everywhere else in the package; here, where another
process starts, it becomes the variable the cells' helpers read (``UKREPORT_DATA_DIR``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from ukreport import paths

if TYPE_CHECKING:  # Jupyter is imported when a kernel runs
    from collections.abc import Iterator

    from jupyter_client.kernelspec import KernelSpecManager

__all__ = ["current_python_specs", "kernel_env", "quiet_shutdown", "socket_dir"]


def current_python_specs() -> KernelSpecManager:
    """A kernel spec manager that always answers with an ipykernel on ``sys.executable``,
    whatever kernels are installed."""
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager

    class CurrentPythonSpecs(KernelSpecManager):
        def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
            return KernelSpec(
                argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                display_name=f"Python {sys.version_info.major}.{sys.version_info.minor} (ukreport)",
                language="python",
                resource_dir="",
            )

    return CurrentPythonSpecs()


def kernel_env(
    ipython_dir: Path | None = None,
    data_dir: Path | None = None,
    figures_dir: Path | None = None,
) -> dict[str, str]:
    """The caller's environment, plus this package on PYTHONPATH for the helpers.

    With ``ipython_dir``, the kernel gets that fresh IPython folder instead of the
    user's ``~/.ipython``, whose startup files and ``ipython_kernel_config.py`` would
    run in the kernel and could change the report. With ``data_dir``, the cells read
    the data package there, and with ``figures_dir`` (relative to the essay) show the
    figures there (``UKREPORT_DATA_DIR``, ``UKREPORT_FIGURES_DIR``: the one place a
    folder given as a parameter becomes a variable, since the cells run in another
    process).
    """
    env = dict(os.environ)
    if data_dir is not None:
        env["UKREPORT_DATA_DIR"] = str(data_dir.resolve())
    if figures_dir is not None:
        env["UKREPORT_FIGURES_DIR"] = str(figures_dir)
    if ipython_dir is not None:
        env["IPYTHONDIR"] = str(ipython_dir)
    package_root = str(paths.SOURCE_ROOT)
    parts = [package_root, *filter(None, env.get("PYTHONPATH", "").split(os.pathsep))]
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(parts))
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    env.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    return env


_SOCKET_PATH_MAX = 107
"""The longest path a Unix socket may have (``sun_path`` is 108 bytes on Linux)."""


def socket_dir() -> str:
    """Where the kernel's private folder of IPC sockets goes: the temporary folder,
    unless its path is so long (pytest's per-test folders are) that the sockets' paths
    would not fit in a Unix socket address; then ``/tmp``."""
    base = tempfile.gettempdir()
    longest = Path(base, "ukreport-kernel-4194304-xxxxxxxx", "kernel-ipc-99")
    if len(os.fsencode(longest)) > _SOCKET_PATH_MAX and Path("/tmp").is_dir():
        return "/tmp"
    return base


@contextlib.contextmanager
def quiet_shutdown() -> Iterator[None]:
    """Tornado's error log, silenced while a kernel shuts down: a kernel stopped while it
    is still starting (the run failed before the essay) makes pyzmq log the cancelled
    callback with a traceback, which nobody reading the run can act on."""
    loggers = [logging.getLogger(name) for name in ("tornado.application", "tornado.general")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
