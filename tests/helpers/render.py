"""Rendering the small documents of ``tests/data/render`` with the report's assets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from helpers.paths import ASSETS, RENDER_DATA
from ukreport.report.render import render


def render_sample(name: str, out: Path, **options: Any) -> list[Path]:
    """Render ``tests/data/render/NAME`` afresh into ``out`` (no frozen outputs written
    into tests/data); ``options`` go to ``render``."""
    options.setdefault("cache", False)
    written: list[Path] = render(RENDER_DATA / name, out, assets=ASSETS, **options)
    return written
