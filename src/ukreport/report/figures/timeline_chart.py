"""The timeline: how often each main actor was at the table, month by month, and the
events the essay's claims rest on, one by one; and its alt text.

Drawing every event as a marker stopped working at a few hundred rows: the markers of
busy years overlapped into solid bands. So the record is counted (one small panel of
monthly bars per actor, on one scale) and only the events that decide the essay's
claims are drawn one by one, in a strip above, each a link to its row in the record,
where every other event is. The figure's size does not grow with the record.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ukreport.report.figures import marks
from ukreport.report.figures.data import deciding, main_actors, undisputed
from ukreport.report.figures.layout import (
    datenum,
    empty,
    freeze,
    key_date_labels,
    key_date_lines,
    key_dates,
    levels,
    new_figure,
    year_ticks,
)
from ukreport.report.figures.style import (
    ACTOR_COLOURS,
    ACTOR_NAMES,
    DISPUTED_LABEL,
    EVENT_MARKERS,
    GREY,
    MARKER_SCALE,
    UNVERIFIED_LABEL,
    WIDTH,
    style,
)
from ukreport.report.figures.words import joined, plural, year_span
from ukreport.schemas import COVERAGE_START, EVENT_TYPES, MAIN_ACTORS

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

SPLIT = COVERAGE_START
"""Where the timeline starts: the swept window's first day (the rows before it are
anchors, listed in the record)."""

RECORD_PAGE = "record.html"
_DECIDING_LABEL = "events the essay's claims rest on"
_MARKER_IN = 0.11
_BEHIND_TEXT = {"facecolor": "white", "edgecolor": "none", "pad": 0.5, "alpha": 0.85}
"""A panel's name stays legible where a key date's line crosses it."""
"""A marker's width, in inches, for stacking the strip's markers apart."""


def timeline(events: pd.DataFrame) -> Figure:
    """Events per month involving each main actor (one panel each, the same scale), from
    the start of the swept window, and above them the events that decide the essay's
    claims, one marker each (shape the event type; hollow black a disputed claim of the
    essay, hollow grey an unverified row), stacked where they would touch."""
    from matplotlib.lines import Line2D

    with style():
        fig = new_figure(4.6)
        window = _in_window(events)
        if window.empty:
            ax = fig.add_subplot()
            empty(ax, "no events")
            return freeze(fig)
        lo = float(datenum(pd.to_datetime([SPLIT]))[0]) - 20.0
        hi = float(datenum(window["date_start"]).max()) + 45.0
        axes = fig.subplots(
            1 + len(MAIN_ACTORS),
            1,
            sharex=True,
            height_ratios=[1.15, *([1.0] * len(MAIN_ACTORS))],
            squeeze=False,
        )[:, 0]
        strip, panels = axes[0], axes[1:]
        plot_width = WIDTH * 0.86
        shown = _draw_deciding(fig, strip, window, gap=(hi - lo) / plot_width * _MARKER_IN)
        _draw_months(fig, panels, window)
        for ax in axes:
            ax.set_xlim(lo, hi)
            key_date_lines(ax, key_dates(lo, hi))
        year_ticks(panels[-1], lo, hi)
        panels[len(panels) // 2].set_ylabel("events per month")
        types = [t for t in EVENT_TYPES if t in set(shown["event_type"])]
        handles: list[Any] = [
            Line2D(
                [],
                [],
                linestyle="none",
                marker=EVENT_MARKERS[t],
                markersize=5 * MARKER_SCALE.get(EVENT_MARKERS[t], 1.0),
                markerfacecolor=GREY,
                markeredgecolor=GREY,
                label=t,
            )
            for t in types
        ]
        for status, label, colour in (
            ("unverified", UNVERIFIED_LABEL, GREY),
            ("disputed", DISPUTED_LABEL, "black"),
        ):
            if (shown["verification"] == status).any():
                handles.append(
                    Line2D(
                        [],
                        [],
                        linestyle="none",
                        marker="o",
                        markersize=5.5,
                        fillstyle="none",
                        markeredgecolor=colour,
                        markeredgewidth=1.3,
                        label=label,
                    )
                )
        if handles:
            fig.legend(
                handles=handles,
                loc="outside lower center",
                ncol=min(len(handles), 4),
                handletextpad=0.3,
                columnspacing=1.0,
            )
        key_date_labels(fig, strip, key_dates(lo, hi))
        return freeze(fig)


def _in_window(events: pd.DataFrame) -> pd.DataFrame:
    """The events from the start of the swept window on."""
    if events.empty:
        return events
    kept: pd.DataFrame = events[events["date_start"] >= pd.Timestamp(SPLIT)]
    return kept


def _month_counts(events: pd.DataFrame) -> pd.DataFrame:
    """Undisputed events per month (rows: the first day of each month of the window, in
    order; columns: US, RU, UA)."""
    kept = undisputed(events)
    if kept.empty:
        return pd.DataFrame(columns=list(MAIN_ACTORS))
    starts = pd.DatetimeIndex(kept["date_start"])
    index = [int(y) * 12 + int(m) - 1 for y, m in zip(starts.year, starts.month, strict=True)]
    first, last = min(index), max(index)
    counts = np.zeros((last - first + 1, len(MAIN_ACTORS)), dtype=int)
    for i, actors in zip(index, kept["actors"], strict=True):
        for actor in main_actors(actors):
            counts[i - first, MAIN_ACTORS.index(actor)] += 1
    months = pd.DatetimeIndex(
        [pd.Timestamp(year=k // 12, month=k % 12 + 1, day=1) for k in range(first, last + 1)]
    )
    return pd.DataFrame(counts, index=months, columns=list(MAIN_ACTORS))


def _draw_months(fig: Figure, panels: Any, events: pd.DataFrame) -> None:
    """One panel of monthly bars per main actor, on one scale, each bar named."""
    from matplotlib.ticker import MaxNLocator

    counts = _month_counts(events)
    middles = datenum(pd.DatetimeIndex(counts.index) + pd.Timedelta(days=15))
    top = max(1, int(counts.to_numpy().max())) if not counts.empty else 1
    for ax, actor in zip(panels, MAIN_ACTORS, strict=True):
        values = counts[actor].to_numpy() if not counts.empty else np.array([])
        bars = ax.bar(middles, values, width=27.0, color=ACTOR_COLOURS[actor], linewidth=0)
        for bar, month, n in zip(bars, counts.index, values, strict=True):
            if n:
                noun = "event" if n == 1 else "events"
                marks.name(
                    fig,
                    bar,
                    f"{month.strftime('%B %Y')}: {n} {noun} involving {ACTOR_NAMES[actor]}",
                )
        ax.set_ylim(0, top * 1.5)  # room for the panel's name
        ax.yaxis.set_major_locator(MaxNLocator(nbins=2, integer=True))
        ax.grid(axis="y", color="#EEEEEE", linewidth=0.5)
        ax.set_axisbelow(True)
        ax.text(
            0.005,
            0.97,
            f"{ACTOR_NAMES[actor]}: {int(values.sum())} events",
            transform=ax.transAxes,
            ha="left",
            va="top",
            fontweight="bold",
            color=ACTOR_COLOURS[actor],
            bbox=_BEHIND_TEXT,
            zorder=4,
        )


def _when(row: dict[str, Any]) -> str:
    """A row's date to its precision (``12 February 2025``, ``October 2023``)."""
    precision = str(row.get("date_precision", "day"))
    form = {"day": "%-d %B %Y", "month": "%B %Y", "year": "%Y"}.get(precision, "%-d %B %Y")
    return str(row["date_start"].strftime(form))


def _draw_deciding(fig: Figure, ax: Axes, events: pd.DataFrame, gap: float) -> pd.DataFrame:
    """The events that decide the essay's claims, one marker each, stacked apart, each a
    link to its row; returns the rows drawn."""
    rows = deciding(events).sort_values("date_start", kind="stable")
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.text(
        0.005,
        0.97,
        _DECIDING_LABEL,
        transform=ax.transAxes,
        ha="left",
        va="top",
        color=GREY,
        bbox=_BEHIND_TEXT,
        zorder=4,
    )
    if rows.empty:
        return rows
    x = datenum(
        rows["date_start"] + (rows["date_end"].fillna(rows["date_start"]) - rows["date_start"]) / 2
    )
    stack = levels(list(x), gap)
    depth = max(stack) + 1
    records: list[dict[str, Any]] = [
        {str(k): v for k, v in row.items()} for row in rows.to_dict("records")
    ]
    for xi, level, row in zip(x, stack, records, strict=True):
        marker = EVENT_MARKERS.get(str(row["event_type"]), "o")
        size = 5.2 * MARKER_SCALE.get(marker, 1.0)
        status = row.get("verification", "verified")
        style_: dict[str, Any] = {"markerfacecolor": "#333333", "markeredgecolor": "white",
                                  "markeredgewidth": 0.4}  # fmt: skip
        if status == "disputed":
            style_ = {"fillstyle": "none", "markeredgecolor": "black", "markeredgewidth": 1.4}
            size += 0.6
        elif status == "unverified":
            style_ = {"fillstyle": "none", "markeredgecolor": GREY, "markeredgewidth": 1.1}
        (line,) = ax.plot([xi], [level], linestyle="none", marker=marker, markersize=size,
                          zorder=3, **style_)  # fmt: skip
        what = str(row.get("description") or row["event_type"])
        if len(what) > 140:
            what = what[:140].rsplit(" ", 1)[0] + " …"
        verdict = "" if status == "verified" else f" ({status})"
        marks.name(fig, line, f"{_when(row)}{verdict}: {what}", f"{RECORD_PAGE}#{row['event_id']}")
    ax.set_ylim(-0.8, max(depth, 3) + 0.6)  # room for the strip's name
    return rows


def timeline_alt(events: pd.DataFrame) -> str:
    """The timeline in words: the window, events per panel, the busiest month, and the
    events drawn one by one, each disputed or unverified one named, so a reader without
    the image gets the same story."""
    window = _in_window(events)
    if window.empty:
        return "An empty timeline: there are no events."
    counts = _month_counts(window)
    lanes = [f"{ACTOR_NAMES[a]} {int(counts[a].sum())}" for a in MAIN_ACTORS]
    text = (
        f"Timeline of {plural(len(events), 'event')}: the {len(window)} of "
        f"{year_span(window['date_start'])} counted per month in one panel per main actor "
        f"(events involving {joined(lanes)})."
    )
    if not counts.empty:
        totals = counts.sum(axis=1)
        busiest = pd.Timestamp(str(totals.idxmax()))
        text += (
            f" The busiest month is {busiest.strftime('%B %Y')}, with "
            f"{plural(int(totals.max()), 'actor-event')} across the panels."
        )
    before = len(events) - len(window)
    if before:
        text += f" {plural(before, 'event')} before {pd.Timestamp(SPLIT).year} are not drawn."
    rows = deciding(window)
    if not rows.empty:
        types = rows["event_type"].value_counts()
        kinds = [plural(int(types[t]), t) for t in EVENT_TYPES if t in types.index]
        text += (
            f" Above the panels, the {plural(len(rows), 'event')} the essay's claims rest on, "
            f"one marker each, shaped by type ({joined(kinds)}), each linked to its row "
            "in the record."
        )
    verification = rows.get("verification", pd.Series(dtype=str))
    for _, row in rows[verification == "disputed"].iterrows():
        claim = f"{row['event_type']} dated {row['date']}" if "date" in row else row["event_type"]
        record = row.get("verified_date")
        text += f" Disputed, drawn hollow in black: the essay's {claim}"
        if isinstance(record, str) and record:
            text += f"; the record supports {record}"
        text += "."
    all_unverified = events.get("verification", pd.Series(dtype=str)) == "unverified"
    n_unverified = int(all_unverified.sum())
    if n_unverified:
        text += f" {plural(n_unverified, 'event')} unverified in all"
        drawn = int((verification == "unverified").sum())
        text += f", {drawn} of them drawn hollow in grey." if drawn else "."
    return text
