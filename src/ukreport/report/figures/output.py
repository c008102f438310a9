"""Figures as files: SVG whose bytes depend only on the figure.

Only SVG: the HTML inlines it and typst embeds it in the PDF, both as vectors, so a
raster copy would cost a third of the drawing time and serve no output.

The manifest and ``make verify`` compare outputs byte for byte, so nothing that
changes between runs (dates, random ids, the software version, the caller's
matplotlib settings) may reach the files.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ukreport.report.figures import marks
from ukreport.report.figures.style import DPI, style

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FORMATS = ("svg",)
"""The formats every figure is written in, one file each. ``render`` can also give
``png`` when asked (``formats=("png",)``), at the report's print resolution."""

_SVG_REFS = re.compile(rb'(\bid="|href="#|url\(#)')


def render(fig: Figure, name: str = "fig", formats: tuple[str, ...] = FORMATS) -> dict[str, bytes]:
    """The figure in each of ``formats`` (``svg``, ``png``), free of dates and random ids.

    Same figure, same bytes: the SVG has no ``dc:date``, a fixed hash salt and glyphs
    as paths; a PNG has no ``Software`` chunk and a fixed dpi. Every SVG id (and each
    reference to one) is prefixed with ``name``, so several figures inlined in one HTML
    page keep distinct ids and each clip path clips its own figure.
    """
    metadata: dict[str, dict[str, Any]] = {"svg": {"Date": None}, "png": {"Software": None}}
    out: dict[str, bytes] = {}
    with style():
        for fmt in formats:
            buffer = io.BytesIO()
            fig.savefig(buffer, format=fmt, dpi=DPI, metadata=metadata[fmt])
            out[fmt] = buffer.getvalue()
    prefix = re.sub(r"[^A-Za-z0-9_-]", "-", name).encode("ascii")
    if "svg" in out:
        out["svg"] = marks.apply(fig, out["svg"])
        out["svg"] = _SVG_REFS.sub(lambda m: m.group(1) + prefix + b"-", out["svg"])
    return out


def save(fig: Figure, stem: Path) -> list[Path]:
    """Write ``stem.svg`` atomically; return its path in a list.

    The SVG's ids are prefixed with the stem's name (see :func:`render`).
    """
    from ukreport._io import write_files

    images = render(fig, stem.name)
    return write_files({stem.parent / f"{stem.name}.{fmt}": data for fmt, data in images.items()})
