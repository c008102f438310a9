"""The optional ``[report]`` extra: what needs it, and the one message when it is missing.

``pip install ukreport`` brings the data and the validator; drawing figures, rendering
the report and previewing it need matplotlib, Jupyter, pandoc, typst and watchfiles,
which come with ``pip install 'ukreport[report]'``. Commands that need them check first,
so a missing extra is one clear line (exit 2), not an import error deep inside a step.
"""

from __future__ import annotations

from importlib.util import find_spec

from ukreport.errors import UkreportError

__all__ = ["REPORT_MODULES", "MissingExtra", "require_report"]

REPORT_MODULES = (
    "matplotlib",
    "nbclient",
    "nbformat",
    "ipykernel",
    "pypandoc",
    "typst",
    "watchfiles",
)
"""Top-level modules of the ``[report]`` extra's distributions."""


class MissingExtra(UkreportError, ImportError):
    """A command needs an optional extra that is not installed."""


def require_report(command: str) -> None:
    """Raise :class:`MissingExtra` naming the install line if the extra is missing."""
    missing = [name for name in REPORT_MODULES if find_spec(name) is None]
    if missing:
        raise MissingExtra(
            f"`ukreport {command}` needs the report extra ({', '.join(missing)} "
            "not installed): pip install 'ukreport[report]'"
        )
