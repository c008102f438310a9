"""Sourced, validated datasets on US–Russia–Ukraine diplomacy, and the report built on them.

Importing the package is cheap: the loaders import pandas and pyarrow only when a
table is first asked for (PEP 562 module ``__getattr__``), so ``ukreport --help`` and
tools that only need the version start at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ukreport._meta import version

__version__ = version()

__all__ = [
    "__version__",
    "data_path",
    "list_datasets",
    "load",
    "load_claims",
    "load_cooperation",
    "load_events",
    "load_initiatives",
]

_LOADERS = frozenset(__all__) - {"__version__"}

if TYPE_CHECKING:  # pragma: no cover
    from ukreport.datasets import (
        data_path,
        list_datasets,
        load,
        load_claims,
        load_cooperation,
        load_events,
        load_initiatives,
    )


if not TYPE_CHECKING:  # hidden from mypy, so a misspelt ``from ukreport import x`` fails

    def __getattr__(name: str) -> Any:
        """The loaders, imported from :mod:`ukreport.datasets` on first use."""
        if name in _LOADERS:
            from ukreport import datasets

            return getattr(datasets, name)
        raise AttributeError(f"module 'ukreport' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _LOADERS)
