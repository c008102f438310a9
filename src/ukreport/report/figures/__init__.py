"""The report's figures: what the tables cannot show at a glance.

Each figure is a function from DataFrames to a :class:`matplotlib.figure.Figure`, drawn
with the object API (no pyplot state), so it works headless, in a kernel and in tests.
:func:`save` writes SVG (and :func:`render` PNG, for the DOCX, when asked) that is
byte-identical for the same data (no dates, a fixed SVG hash salt, a bundled font), and
:func:`build_figures` writes every figure with a ``figures.json`` index holding the alt
text the report puts on each image.

The modules: :mod:`~.style` (palette, markers, matplotlib settings), :mod:`~.layout`
(date axes, key dates, label placement), :mod:`~.data` and :mod:`~.words` (counts and
wording shared by the charts and their alt texts), one ``*_chart`` module per figure
holding both its drawing and its alt text, so what a chart shows and what its words
say change together, :mod:`~.output` (byte-stable files) and :mod:`~.registry` (the
list of figures). Matplotlib is imported only when a figure is drawn.
"""

from __future__ import annotations

from ukreport.report.figures.coverage_chart import coverage
from ukreport.report.figures.data import with_verdicts
from ukreport.report.figures.initiatives_chart import initiatives_periods
from ukreport.report.figures.layout import KEY_DATES
from ukreport.report.figures.output import FORMATS, render, save
from ukreport.report.figures.per_year_chart import events_per_year
from ukreport.report.figures.registry import (
    FIGURES,
    FigureSpec,
    alt_text,
    build_figures,
    figure_data,
)
from ukreport.report.figures.style import (
    ACTOR_COLOURS,
    ACTOR_NAMES,
    DISPUTED_LABEL,
    DPI,
    EVENT_MARKERS,
    FONT,
    GREY,
    KIND_COLOURS,
    LIGHT_GREY,
    OKABE_ITO,
    RC,
    RECORD_LABEL,
    STATUS_COLOURS,
    SVG_HASH_SALT,
    UNVERIFIED_LABEL,
    WIDTH,
    style,
)
from ukreport.report.figures.timeline_chart import SPLIT, timeline

__all__ = [
    "ACTOR_COLOURS",
    "ACTOR_NAMES",
    "DISPUTED_LABEL",
    "DPI",
    "EVENT_MARKERS",
    "FIGURES",
    "FONT",
    "FORMATS",
    "GREY",
    "KEY_DATES",
    "KIND_COLOURS",
    "LIGHT_GREY",
    "OKABE_ITO",
    "RC",
    "RECORD_LABEL",
    "SPLIT",
    "STATUS_COLOURS",
    "SVG_HASH_SALT",
    "UNVERIFIED_LABEL",
    "WIDTH",
    "FigureSpec",
    "alt_text",
    "build_figures",
    "coverage",
    "events_per_year",
    "figure_data",
    "initiatives_periods",
    "render",
    "save",
    "style",
    "timeline",
    "with_verdicts",
]
