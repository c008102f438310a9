"""Events per year by main actor: one bar panel per actor, and its alt text.

Bars and words come from the same counts (``counts_per_year``), so the numbers in the
alt text are the heights of the bars.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ukreport.report.figures import marks
from ukreport.report.figures.data import counts_per_year
from ukreport.report.figures.layout import (
    empty,
    freeze,
    key_date_labels,
    key_date_lines,
    new_figure,
    year_key_dates,
)
from ukreport.report.figures.style import ACTOR_COLOURS, ACTOR_NAMES, LIGHT_GREY, style
from ukreport.report.figures.words import joined, plural
from ukreport.schemas import MAIN_ACTORS

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def events_per_year(events: pd.DataFrame) -> Figure:
    """Events per year involving each main actor: when each was at the table.

    One panel per actor (the same y scale), its bars over a grey outline of all events
    that year, with the key dates marked, over the years the record sweeps (from
    :data:`~ukreport.schemas.COVERAGE_START`: the few anchor rows before it would take
    half the width). Disputed rows are left out: the record contradicts them (the date
    it supports is usually a row of its own). Each bar is named with its count.
    """
    from matplotlib.legend_handler import HandlerTuple
    from matplotlib.ticker import MaxNLocator, MultipleLocator

    with style():
        fig = new_figure(4.0)
        counts = swept(counts_per_year(events))
        axes = fig.subplots(len(MAIN_ACTORS), 1, sharex=True, sharey=True, squeeze=False)[:, 0]
        if counts.empty:
            for ax in axes:
                empty(ax, "no events")
            return freeze(fig)
        years = counts.index.to_numpy()
        lo, hi = float(years.min()) - 0.6, float(years.max()) + 0.6
        for ax, actor in zip(axes, MAIN_ACTORS, strict=True):
            ax.stairs(
                counts["all"].to_numpy(),
                np.append(years - 0.5, years[-1] + 0.5),
                color=LIGHT_GREY,
                fill=True,
                label="all events",
                zorder=1,
            )
            bars = ax.bar(
                years,
                counts[actor].to_numpy(),
                width=0.72,
                color=ACTOR_COLOURS[actor],
                label="involving the actor",
                zorder=2,
            )
            for bar, year, n, total in zip(bars, years, counts[actor], counts["all"], strict=True):
                marks.name(
                    fig, bar, f"{year}: {n} of {total} events involving {ACTOR_NAMES[actor]}"
                )
            ax.text(
                0.005,
                0.95,
                f"{ACTOR_NAMES[actor]}: {int(counts[actor].sum())} events",
                transform=ax.transAxes,
                ha="left",
                va="top",
                fontweight="bold",
                color=ACTOR_COLOURS[actor],
            )
            ax.yaxis.set_major_locator(MaxNLocator(nbins=3, integer=True))
            ax.grid(axis="y", color="#EEEEEE", linewidth=0.5)
            ax.set_axisbelow(True)
            ax.set_xlim(lo, hi)
            ax.set_ylim(0, max(1, int(counts["all"].max())) * 1.35)  # room for the name
            key_date_lines(ax, year_key_dates(lo, hi), zorder=3)
        axes[-1].xaxis.set_major_locator(MultipleLocator(2 if len(years) > 8 else 1))
        axes[-1].xaxis.set_minor_locator(MultipleLocator(1))
        axes[len(axes) // 2].set_ylabel("events per year")
        legend_handles: list[Any] = [
            _patch(LIGHT_GREY),
            tuple(_patch(ACTOR_COLOURS[a]) for a in MAIN_ACTORS),
        ]
        fig.legend(
            legend_handles,
            ["all events that year", "events involving the panel's actor"],
            loc="outside lower center",
            ncol=2,
            handler_map={tuple: HandlerTuple(ndivide=None, pad=0)},
        )
        key_date_labels(fig, axes[0], year_key_dates(lo, hi))
        return freeze(fig)


def swept(counts: pd.DataFrame) -> pd.DataFrame:
    """The years of ``counts`` the record sweeps (from the coverage window's first year);
    all of them when none is."""
    from ukreport.schemas import COVERAGE_START

    inside = counts[counts.index >= pd.Timestamp(COVERAGE_START).year]
    return inside if not inside.empty else counts


def _patch(colour: str) -> Any:
    from matplotlib.patches import Patch

    return Patch(facecolor=colour, edgecolor=colour)


def per_year_alt(events: pd.DataFrame) -> str:
    """The panels in words: each actor's total and busiest year, the events before 2014
    and from 2022 on, and how many disputed rows the counts leave out."""
    every = counts_per_year(events)
    if every.empty:
        return "Empty bar charts: there are no events."
    counts = swept(every)
    first, last = int(counts.index.min()), int(counts.index.max())
    totals = [f"{ACTOR_NAMES[a]} {int(counts[a].sum())}" for a in MAIN_ACTORS]
    peaks = [
        f"{ACTOR_NAMES[a]} {int(counts.index[int(np.argmax(counts[a].to_numpy()))])}"
        for a in MAIN_ACTORS
        if counts[a].any()
    ]
    text = (
        f"Three bar charts, one per main actor, of events per year {first}–{last}: "
        f"{joined(totals)} events in all; busiest year for each: {joined(peaks)}."
    )
    before = int(every.loc[every.index < first, "all"].sum())
    since = int(counts.loc[counts.index >= 2022, "all"].sum())
    if before:
        text += (
            f" {plural(before, 'event')} before {first}, anchors outside the sweep, are not drawn."
        )
    text += f" {since} events fall from 2022 on."
    verification = events.get("verification", pd.Series(dtype=str))
    n_disputed = int((verification == "disputed").sum())
    if n_disputed:
        text += f" {plural(n_disputed, 'disputed row')} not counted."
    return text
