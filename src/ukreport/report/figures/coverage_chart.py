"""The coverage chart: events per year in the swept window by kind, and its alt text.

It shows where the record is full and where it thins; the alt text names the same
years and counts, taken from the same table as the stacked bars.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ukreport.report.figures.data import undisputed
from ukreport.report.figures.layout import empty, freeze, new_figure
from ukreport.report.figures.style import GREY, KIND_COLOURS, style
from ukreport.report.figures.words import joined, plural
from ukreport.schemas import EVENT_TYPES

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def coverage(events: pd.DataFrame) -> Figure:
    """Events per year within the swept window, stacked by kind, so a reader sees what
    the record holds and where it thins, with the day the sources were last read."""
    from ukreport.schemas import COVERAGE_START

    with style():
        fig = new_figure(3.0)
        ax = fig.add_subplot()
        counts = _counts_by_kind(events)
        if counts.empty:
            empty(ax, "no events in the window")
            return freeze(fig)
        years = counts.index.to_numpy()
        bottom = np.zeros(len(years))
        for kind in counts.columns:
            values = counts[kind].to_numpy()
            ax.bar(years, values, bottom=bottom, width=0.75, color=KIND_COLOURS[kind], label=kind,
                   edgecolor="white", linewidth=0.3)  # fmt: skip
            bottom += values
        ax.set_xlim(float(years.min()) - 0.6, float(years.max()) + 0.6)
        from matplotlib.ticker import MaxNLocator, MultipleLocator

        ax.xaxis.set_major_locator(MultipleLocator(2 if len(years) > 8 else 1))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(axis="y", color="#EEEEEE", linewidth=0.5)
        ax.set_axisbelow(True)
        ax.set_ylabel("events per year")
        ax.set_title(
            f"events from {pd.Timestamp(COVERAGE_START).year} on, by kind",
            loc="left",
            color=GREY,
        )
        fig.legend(loc="outside lower center", ncol=min(len(counts.columns), 4))
        return freeze(fig)


def _counts_by_kind(events: pd.DataFrame) -> pd.DataFrame:
    """Events per year in the window by type (undisputed rows only), every year."""
    from ukreport.schemas import COVERAGE_START

    kept = undisputed(events)
    kept = kept[kept["date_start"] >= pd.Timestamp(COVERAGE_START)]
    if kept.empty:
        return pd.DataFrame()
    table = pd.crosstab(kept["date_start"].dt.year, kept["event_type"])
    table = table.reindex(range(int(table.index.min()), int(table.index.max()) + 1), fill_value=0)
    return table[[t for t in EVENT_TYPES if t in table.columns]]


def coverage_alt(events: pd.DataFrame) -> str:
    """The stacked bars in words: the window's years, the events of each kind, and the
    fullest and thinnest year, so a reader knows where the record thins."""
    counts = _counts_by_kind(events)
    if counts.empty:
        return "No events in the coverage window."
    totals = counts.sum(axis=1)
    kinds = counts.sum(axis=0)
    parts = [plural(int(kinds[k]), k) for k in counts.columns if kinds[k]]
    years = f"{int(totals.index.min())}–{int(totals.index.max())}"
    low = int(str(totals.idxmin()))
    return (
        f"Stacked bars of events per year, {years}: {int(totals.sum())} events "
        f"({joined(parts)}). The most are in {int(str(totals.idxmax()))} ({int(totals.max())}), "
        f"the fewest in {low} ({int(totals.min())})."
    )
