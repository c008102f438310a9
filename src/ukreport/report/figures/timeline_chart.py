"""The timeline: every event on a time axis, one lane per main actor, and its alt text.

Most of the report's marks meet here: event types as marker shapes, verification as
fills, disputed claims with an arrow to the date on record, and a broken axis for the
thin years before 2014.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ukreport.report.figures.data import counts_per_year, main_actors
from ukreport.report.figures.layout import (
    break_marks,
    datenum,
    empty,
    freeze,
    key_date_labels,
    key_date_lines,
    key_dates,
    levels,
    new_figure,
    offset,
    year_ticks,
)
from ukreport.report.figures.style import (
    ACTOR_COLOURS,
    ACTOR_NAMES,
    DISPUTED_LABEL,
    EVENT_MARKERS,
    GREY,
    MARKER_SCALE,
    RECORD_LABEL,
    UNVERIFIED_LABEL,
    WIDTH,
    style,
)
from ukreport.report.figures.words import joined, plural, year_span
from ukreport.schemas import EVENT_TYPES, MAIN_ACTORS

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

SPLIT = "2013-07-01"
"""Where the timeline's axis breaks: the few events before 2014 get a narrow panel."""


def timeline(events: pd.DataFrame) -> Figure:
    """Every event on a time axis, one lane per main actor, so bursts of contact show.

    Shape is the event type; a filled marker is verified, a hollow one in the lane's
    colour unverified, and a hollow black one a disputed claim of the essay, with a
    dotted arrow to the date the record supports. When events fall both before and
    after mid-2013 the axis breaks there, because two decades hold only a handful.
    """
    from matplotlib.lines import Line2D

    with style():
        fig = new_figure(4.2)
        rows = _timeline_rows(events)
        if rows.empty:
            ax = fig.add_subplot()
            empty(ax, "no events")
            return freeze(fig)
        split = float(datenum(pd.to_datetime([SPLIT]))[0])
        early, late = rows[rows["x"] < split], rows[rows["x"] >= split]
        pad = 120.0
        panels: list[tuple[float, float]] = []
        if not early.empty and not late.empty:
            panels = [
                (float(early["lo"].min()) - 365.0, split),
                (split, float(late["hi"].max()) + pad),
            ]
            widths = [1.0, 3.3]
        else:
            panels = [(float(rows["lo"].min()) - pad, float(rows["hi"].max()) + pad)]
            widths = [1.0]
        axes = fig.subplots(1, len(panels), sharey=True, width_ratios=widths, squeeze=False)[0]
        plot_width = WIDTH * 0.82
        for i, (ax, (lo, hi)) in enumerate(zip(axes, panels, strict=True)):
            inches = plot_width * widths[i] / sum(widths)
            gap = (hi - lo) / inches * 0.085  # a marker is about 0.085 in wide
            inside = (rows["x"] >= lo) & (rows["x"] < hi)
            rows.loc[inside, "y"] = _lane_positions(rows[inside], gap)
            _draw_lanes(ax, rows[inside])
            ax.set_xlim(lo, hi)
            year_ticks(ax, lo, hi)
            if i > 0:
                ax.spines["left"].set_visible(False)
                ax.tick_params(axis="y", left=False)
            key_date_lines(ax, key_dates(lo, hi))
        _disputed_arrows(axes, rows, panels)
        if len(axes) == 2:
            break_marks(axes[0], axes[1])
        first = axes[0]
        first.set_yticks([2, 1, 0], [ACTOR_NAMES[a] for a in MAIN_ACTORS])
        for tick, actor in zip(first.get_yticklabels(), MAIN_ACTORS, strict=True):
            tick.set_color(ACTOR_COLOURS[actor])
            tick.set_fontweight("bold")
        first.set_ylim(-0.55, 2.55)

        types = [t for t in EVENT_TYPES if t in set(rows["event_type"])]
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
        if (rows["verification"] == "unverified").any():
            handles.append(
                Line2D(
                    [],
                    [],
                    linestyle="none",
                    marker="o",
                    markersize=5,
                    fillstyle="none",
                    markeredgecolor=GREY,
                    markeredgewidth=1.1,
                    label=UNVERIFIED_LABEL,
                )
            )
        disputed = rows["verification"] == "disputed"
        if disputed.any():
            handles.append(
                Line2D(
                    [],
                    [],
                    linestyle="none",
                    marker="o",
                    markersize=5.5,
                    fillstyle="none",
                    markeredgecolor="black",
                    markeredgewidth=1.4,
                    label=DISPUTED_LABEL,
                )
            )
            if rows.loc[disputed, "record_x"].notna().any():
                handles.append(
                    Line2D([], [], color="black", linewidth=0.8, linestyle=":", label=RECORD_LABEL)
                )
        fig.legend(
            handles=handles,
            loc="outside lower center",
            ncol=min(len(handles), 6),
            handletextpad=0.3,
            columnspacing=1.0,
        )
        for ax, (lo, hi) in zip(axes, panels, strict=True):
            key_date_labels(fig, ax, key_dates(lo, hi))
        return freeze(fig)


def _timeline_rows(events: pd.DataFrame) -> pd.DataFrame:
    """One row per (event, main actor): its lane, position and how it is drawn."""
    records: list[dict[str, Any]] = []
    if events.empty:
        return pd.DataFrame(
            columns=[
                "x",
                "lo",
                "hi",
                "lane",
                "actor",
                "event_type",
                "verification",
                "record_x",
                "y",
            ]
        )
    mid = datenum(_midpoints(events))
    lo = datenum(events["date_start"])
    hi = datenum(events["date_end"].fillna(events["date_start"]))
    record = np.full(len(events), np.nan)
    if "verified_date" in events:
        from ukreport.dates import parse_dates

        verified = events["verified_date"].astype("string")
        parsed = parse_dates(verified.fillna(""))
        has = verified.notna() & (verified.str.len() > 0) & parsed["start"].notna()
        record_mid = parsed["start"] + (parsed["end"].fillna(parsed["start"]) - parsed["start"]) / 2
        record = np.where(has.to_numpy(), datenum(record_mid.where(has)), np.nan)
    verification = (
        events["verification"] if "verification" in events else pd.Series("verified", events.index)
    )
    for i, (actors, kind, status) in enumerate(
        zip(events["actors"], events["event_type"], verification, strict=True)
    ):
        for actor in main_actors(actors):
            records.append(
                {
                    "x": mid[i],
                    "lo": lo[i],
                    "hi": hi[i],
                    "lane": 2 - MAIN_ACTORS.index(actor),
                    "actor": actor,
                    "event_type": kind,
                    "verification": status,
                    "record_x": record[i] if status == "disputed" else np.nan,
                    "y": np.nan,
                }
            )
    frame = pd.DataFrame.from_records(records)
    if frame.empty:
        return _timeline_rows(events.iloc[0:0])
    return frame.sort_values(["lane", "x", "event_type"], kind="mergesort").reset_index(drop=True)


def _midpoints(frame: pd.DataFrame) -> pd.Series:
    """Middle of each row's stated date: a month-precise date sits mid-month."""
    start = frame["date_start"]
    end = frame["date_end"].fillna(start) if "date_end" in frame else start
    mid: pd.Series = start + (end - start) / 2
    return mid


def _lane_positions(rows: pd.DataFrame, gap: float) -> pd.Series:
    """The y of each marker: its lane, moved up or down where it would overlap."""
    y: dict[Any, float] = {}
    for _, group in rows.groupby("lane", sort=True):
        stack = levels(list(group["x"]), gap)
        for index, lane, level in zip(group.index, group["lane"], stack, strict=True):
            y[index] = float(lane) + offset(level)
    return pd.Series(y, index=rows.index, dtype=float)


def _draw_lanes(ax: Axes, rows: pd.DataFrame) -> None:
    """Markers for one panel at their lane positions (column ``y``).

    Markers that look alike (actor, shape, verification) are one line without a
    stroke, and every span one collection: a few artists instead of one per event,
    which keeps drawing and the SVG small while the picture stays the same.
    """
    from matplotlib.collections import LineCollection

    for lane in (0, 1, 2):
        ax.axhline(lane, color="#E0E0E0", linewidth=0.6, zorder=0)
    ax.axhline(0.5, color="#CCCCCC", linewidth=0.4, zorder=0)
    ax.axhline(1.5, color="#CCCCCC", linewidth=0.4, zorder=0)
    spans = rows[rows["hi"] - rows["lo"] > 1]  # month or year precision: show the span
    if not spans.empty:
        ax.add_collection(
            LineCollection(
                [
                    ((lo, y), (hi, y))
                    for lo, hi, y in zip(spans["lo"], spans["hi"], spans["y"], strict=True)
                ],
                colors=[ACTOR_COLOURS[str(a)] for a in spans["actor"]],
                linewidths=1.0,
                capstyle="butt",
            ),
            autolim=False,
        )
    markers = rows.assign(marker=[EVENT_MARKERS.get(str(t), "o") for t in rows["event_type"]])
    for (actor, marker, status), group in markers.groupby(
        ["actor", "marker", "verification"], sort=True
    ):
        colour = ACTOR_COLOURS[str(actor)]
        size = 5.2 * MARKER_SCALE.get(str(marker), 1.0)
        kwargs: dict[str, Any] = {
            "marker": marker,
            "markersize": size,
            "markerfacecolor": colour,
            "markeredgecolor": "white",
            "markeredgewidth": 0.4,
        }
        if status == "disputed":
            kwargs.update(
                fillstyle="none",
                markeredgecolor="black",
                markeredgewidth=1.4,
                markersize=size + 0.6,
                label=DISPUTED_LABEL,
            )
        elif status == "unverified":
            kwargs.update(
                fillstyle="none",
                markeredgecolor=colour,
                markeredgewidth=1.1,
                label=UNVERIFIED_LABEL,
            )
        ax.plot(group["x"].to_numpy(), group["y"].to_numpy(), linestyle="none", zorder=3, **kwargs)


def _disputed_arrows(
    axes: Sequence[Axes], rows: pd.DataFrame, panels: Sequence[tuple[float, float]]
) -> None:
    """A dotted arrow from each disputed claim to the date on record (same panel only)."""
    claims = rows[(rows["verification"] == "disputed") & rows["record_x"].notna()]
    for _, row in claims.iterrows():
        for ax, (lo, hi) in zip(axes, panels, strict=True):
            if lo <= row["x"] < hi and lo <= row["record_x"] < hi:
                same = rows[
                    (rows["lane"] == row["lane"])
                    & ((rows["x"] - row["record_x"]).abs() < 1.0)
                    & (rows["verification"] != "disputed")
                ]
                target = float(same["y"].iloc[0]) if not same.empty else float(row["lane"])
                ax.annotate(
                    "",
                    xy=(row["record_x"], target),
                    xytext=(row["x"], float(row["y"])),
                    arrowprops={
                        "arrowstyle": "-|>",
                        "linestyle": ":",
                        "linewidth": 0.8,
                        "color": "black",
                        "connectionstyle": "arc3,rad=-0.45",
                        "shrinkA": 4,
                        "shrinkB": 2,
                        "mutation_scale": 8,
                    },
                    zorder=2,
                )


def timeline_alt(events: pd.DataFrame) -> str:
    """The timeline in words: events per lane and type, the busiest year, and each
    disputed or unverified row, so a reader without the image gets the same story."""
    if events.empty:
        return "An empty timeline: there are no events."
    lanes = [
        f"{ACTOR_NAMES[a]} {sum(a in main_actors(x) for x in events['actors'])}"
        for a in MAIN_ACTORS
    ]
    types = events["event_type"].value_counts()
    kinds = [plural(int(types[t]), t) for t in EVENT_TYPES if t in types.index]
    text = (
        f"Timeline of {plural(len(events), 'event')}, {year_span(events['date_start'])}, "
        f"in one lane per main actor (events involving {joined(lanes)}); "
        f"marker shape gives the type ({joined(kinds)})."
    )
    counts = counts_per_year(events)
    if not counts.empty:
        busiest = int(counts.index[int(np.argmax(counts["all"].to_numpy()))])
        text += f" The busiest year is {busiest}, with {int(counts['all'].max())} events."
    verification = events.get("verification", pd.Series(dtype=str))
    disputed = events[verification == "disputed"]
    for _, row in disputed.iterrows():
        claim = f"{row['event_type']} dated {row['date']}" if "date" in row else row["event_type"]
        record = row.get("verified_date")
        text += f" Disputed, drawn hollow in black: the essay's {claim}"
        if isinstance(record, str) and record:
            text += f"; the record supports {record}, where a dotted arrow points"
        text += "."
    n_unverified = int((verification == "unverified").sum())
    if n_unverified:
        text += f" {plural(n_unverified, 'event')} unverified, drawn hollow in the lane's colour."
    return text
