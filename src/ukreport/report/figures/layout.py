"""Where things go on a figure: date axes, key dates and their labels, stacked markers.

Shared by the charts so that every time axis has the same year ticks and the same key
dates, labelled without overlapping, and every figure is laid out once and then kept
(see :func:`freeze`), which the byte-stable output relies on.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ukreport.report.figures.style import GREY, WIDTH

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

KEY_DATES = (
    ("2014-09-05", "Minsk Protocol"),
    ("2022-02-24", "full-scale invasion"),
    ("2025-02-12", "Trump–Putin call"),
)
"""Dates marked on the time axes: the turning points the essay's argument turns on."""

KeyDate = tuple[float, str, str]
"""A key date on an axis: (x, ISO date, label)."""


def new_figure(height: float) -> Figure:
    """A page-wide figure with constrained layout, outside pyplot's global state."""
    from matplotlib.figure import Figure

    return Figure(figsize=(WIDTH, height), layout="constrained")


def freeze(fig: Figure) -> Figure:
    """Run the constrained layout once and keep it, so every render is the same.

    Constrained layout starts from the last positions it found, so a figure drawn
    twice would shift by a fraction of a point; frozen, SVG and PNG agree, and saving
    the same figure again gives the same bytes.
    """
    lay_out(fig)
    fig.set_layout_engine("none")
    return fig


def lay_out(fig: Figure) -> None:
    """One pass of the figure's layout engine, without drawing every artist as
    ``draw_without_rendering`` would: the layout is what the positions need."""
    engine = fig.get_layout_engine()
    if engine is None:
        fig.draw_without_rendering()
    else:
        engine.execute(fig)


def empty(ax: Axes, message: str) -> None:
    """Say there is nothing to draw, in place of the axes."""
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color=GREY)
    ax.set_axis_off()


_DAY_NS = 86_400 * 10**9


def datenum(values: Any) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Days since 1970-01-01 (matplotlib's default date epoch) as floats; NaN for NaT."""
    stamps = pd.Series(values, dtype="datetime64[ns]").to_numpy()
    days = stamps.astype("int64").astype(np.float64) / _DAY_NS
    days[np.isnat(stamps)] = np.nan
    return days


def year_ticks(ax: Axes, lo: float, hi: float) -> None:
    """Year labels on a date axis in days: every 1, 2 or 5 years as the span allows."""
    first = pd.Timestamp(int(lo * _DAY_NS)).year
    last = pd.Timestamp(int(hi * _DAY_NS)).year + 1
    span = (hi - lo) / 365.25
    step = 5 if span > 15 else 2 if span > 6 else 1
    years = list(range(first, last + 1))
    starts = datenum(pd.to_datetime([f"{y}-01-01" for y in years]))
    major = [(x, str(y)) for x, y in zip(starts, years, strict=True) if lo <= x <= hi]
    major = [(x, label) for x, label in major if int(label) % step == 0]
    ax.set_xticks([x for x, _ in major], [label for _, label in major])
    ax.set_xticks([x for x in starts if lo <= x <= hi], minor=True)


def key_dates(lo: float, hi: float) -> list[KeyDate]:
    """Key dates within ``[lo, hi]`` on a date axis in days."""
    xs = datenum(pd.to_datetime([d for d, _ in KEY_DATES]))
    return [
        (float(x), day, label)
        for x, (day, label) in zip(xs, KEY_DATES, strict=True)
        if lo <= x <= hi
    ]


def year_key_dates(lo: float, hi: float) -> list[KeyDate]:
    """Key dates as positions on a year axis whose bars are centred on whole years."""
    out = []
    for day, label in KEY_DATES:
        when = pd.Timestamp(day)
        x = when.year - 0.5 + (when.day_of_year - 1) / (366 if when.is_leap_year else 365)
        if lo <= x <= hi:
            out.append((x, day, label))
    return out


def key_date_lines(ax: Axes, marks: Sequence[KeyDate], *, zorder: float = 0) -> None:
    """Dashed vertical lines at the key dates (behind the data unless ``zorder`` says)."""
    for x, _, _ in marks:
        ax.axvline(x, color="#444444", linewidth=0.6, linestyle=(0, (4, 2)), zorder=zorder)


_LABEL_SIZE = 8


def _label_width(text: str) -> float:
    """Estimated width in inches of a key-date label (DejaVu Sans averages 0.55 em)."""
    return max(len(line) for line in text.split("\n")) * _LABEL_SIZE * 0.55 / 72


def _place(
    xs: Sequence[float], widths: Sequence[float], width: float, pad: float = 0.06
) -> list[tuple[str, int]]:
    """Alignment and row for labels at ``xs`` (inches on an axes ``width`` wide).

    Centred where there is room; else leaning left or right of the line, or making the
    previous label lean left; else a row higher. Labels stay within a little of the
    axes' right edge, so they do not squeeze the plot.
    """
    overhang = 0.3
    spans: list[tuple[float, float, int]] = []  # (left, right, row)
    out: list[tuple[str, int]] = []

    def free(
        left: float, right: float, row: int, among: Sequence[tuple[float, float, int]]
    ) -> bool:
        inside = right <= width + overhang
        return inside and all(r != row or left >= end + pad for _, end, r in among)

    for i, (x, w) in enumerate(zip(xs, widths, strict=True)):
        choices = [("center", x - w / 2, x + w / 2), ("right", x - w, x), ("left", x, x + w)]
        placed = False
        for ha, left, right in choices:
            if free(left, right, 0, spans):
                spans.append((left, right, 0))
                out.append((ha, 0))
                placed = True
                break
        if not placed and i > 0 and out[-1] == ("center", 0):
            px, pw = xs[i - 1], widths[i - 1]
            if free(px - pw, px, 0, spans[:-1]):
                moved = [*spans[:-1], (px - pw, px, 0)]
                for ha, left, right in choices:
                    if free(left, right, 0, moved):
                        spans[:] = [*moved, (left, right, 0)]
                        out[-1] = ("right", 0)
                        out.append((ha, 0))
                        placed = True
                        break
        if not placed:
            row = 1
            while not free(x - w / 2, x + w / 2, row, spans) and row < 5:
                row += 1
            spans.append((x - w / 2, x + w / 2, row))
            out.append(("center", row))
    return out


def key_date_labels(fig: Figure, ax: Axes, marks: Sequence[KeyDate]) -> None:
    """Label the key dates above ``ax``, after a layout pass so widths are known."""
    if not marks:
        return
    lay_out(fig)
    box = ax.get_position()
    width_in = box.width * fig.get_figwidth()
    lo, hi = ax.get_xlim()
    texts = [f"{label}\n{day}" for _, day, label in marks]
    xs = [(x - lo) / (hi - lo) * width_in for x, _, _ in marks]
    for (x, _, _), text, (ha, row) in zip(
        marks, texts, _place(xs, [_label_width(t) for t in texts], width_in), strict=True
    ):
        ax.annotate(
            text,
            xy=(x, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(0, 2 + 17 * row),
            textcoords="offset points",
            ha=ha,
            va="bottom",
            fontsize=_LABEL_SIZE,
            color="#333333",
            linespacing=1.1,
            annotation_clip=False,
        )


def levels(xs: Sequence[float], gap: float) -> list[int]:
    """Stack markers closer than ``gap``: the lowest free level for each, in order."""
    last: list[float] = []
    out: list[int] = []
    for x in xs:
        for level, end in enumerate(last):
            if x - end >= gap:
                last[level] = x
                out.append(level)
                break
        else:
            last.append(x)
            out.append(len(last) - 1)
    return out
