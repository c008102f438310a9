"""Which figures the report has, what each is drawn from, and writing them all.

One :class:`FigureSpec` per figure names its tables, its drawing and its alt text, so
the command line, the essay and the build manifest agree on the same list.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ukreport.report.figures.coverage_chart import coverage, coverage_alt
from ukreport.report.figures.data import with_verdicts
from ukreport.report.figures.initiatives_chart import initiatives_alt, initiatives_periods
from ukreport.report.figures.output import render
from ukreport.report.figures.per_year_chart import events_per_year, per_year_alt
from ukreport.report.figures.timeline_chart import timeline, timeline_alt

if TYPE_CHECKING:
    from matplotlib.figure import Figure

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FigureSpec:
    """One figure of the report: its file name, the tables it is made from, the
    function that draws it and the one that describes it in words for its alt text."""

    name: str
    tables: tuple[str, ...]
    draw: Callable[[pd.DataFrame], Figure]
    alt: Callable[[pd.DataFrame], str]


FIGURES: dict[str, FigureSpec] = {
    spec.name: spec
    for spec in (
        FigureSpec("timeline", ("events", "claims"), timeline, timeline_alt),
        FigureSpec("initiatives", ("initiatives",), initiatives_periods, initiatives_alt),
        FigureSpec("events-per-year", ("events",), events_per_year, per_year_alt),
        FigureSpec("coverage", ("events",), coverage, coverage_alt),
    )
}
"""Figure name → its :class:`FigureSpec`, in the order they are built. A figure drawn
from events and claims gets the events with the claims' verdicts (:func:`with_verdicts`)."""


def figure_data(name: str, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The one frame figure ``name`` draws, from the tables it is made from."""
    needed = FIGURES[name].tables
    if needed == ("events", "claims"):
        return with_verdicts(tables["events"], tables.get("claims"))
    return tables[needed[0]]


def alt_text(name: str, data: pd.DataFrame) -> str:
    """Describe figure ``name`` in words computed from ``data``, for an image's alt text.

    Raises ``ValueError`` for an unknown name.
    """
    if name not in FIGURES:
        raise ValueError(f"unknown figure {name!r}; choose one of {', '.join(FIGURES)}")
    return FIGURES[name].alt(data)


def build_figures(
    out_dir: Path,
    events: pd.DataFrame | None = None,
    initiatives: pd.DataFrame | None = None,
    claims: pd.DataFrame | None = None,
    *,
    data_dir: Path | None = None,
) -> list[Path]:
    """Write every figure (as SVG) and ``figures.json`` to ``out_dir``.

    Loads a table not given from the data package in ``data_dir`` (by default the
    packaged data, see :func:`ukreport.datasets.data_path`). ``figures.json`` maps each figure
    name to its file names and alt text; it is written last, so it never lists a file
    that is not there. Returns the paths written, the index last.
    """
    from ukreport._io import dumps, write_files
    from ukreport.datasets import load

    if events is None:
        events = load("events", data_dir=data_dir)
    if initiatives is None:
        initiatives = load("initiatives", data_dir=data_dir)
    if claims is None:
        claims = load("claims", data_dir=data_dir)
    tables = {"events": events, "initiatives": initiatives, "claims": claims}
    files: dict[Path, bytes] = {}
    index: dict[str, dict[str, Any]] = {}
    for name, spec in FIGURES.items():
        data = figure_data(name, tables)
        images = render(spec.draw(data), name)
        drawn = {out_dir / f"{name}.{fmt}": payload for fmt, payload in images.items()}
        files |= drawn
        index[name] = {"alt": spec.alt(data), "files": sorted(p.name for p in drawn)}
        log.info("drew %s", ", ".join(str(p) for p in drawn))
    files[out_dir / "figures.json"] = dumps(index, sort_keys=True).encode("utf-8")
    return write_files(files)
