"""Sourced, validated datasets on US–Russia–Ukraine diplomacy, and the report built on them."""

from __future__ import annotations

from importlib import metadata

from ukreport.datasets import (
    list_datasets,
    load,
    load_claims,
    load_cooperation,
    load_events,
    load_initiatives,
)

try:
    __version__ = metadata.version("ukreport")
except metadata.PackageNotFoundError:  # pragma: no cover - a bare checkout
    __version__ = "0+unknown"

__all__ = [
    "__version__",
    "list_datasets",
    "load",
    "load_claims",
    "load_cooperation",
    "load_events",
    "load_initiatives",
]
