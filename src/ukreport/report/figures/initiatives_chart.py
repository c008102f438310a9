"""The initiatives chart: each initiative as a bar over its period, and its alt text.

A status reads from the bar's colour and its end cap alike; a disputed period shows
the essay's dates and the record's side by side, so the difference is seen, not told.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ukreport.report.figures.layout import (
    datenum,
    empty,
    freeze,
    key_date_labels,
    key_date_lines,
    key_dates,
    new_figure,
    year_ticks,
)
from ukreport.report.figures.style import DISPUTED_LABEL, GREY, STATUS_COLOURS, style
from ukreport.report.figures.words import joined, plural

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def initiatives_periods(initiatives: pd.DataFrame) -> Figure:
    """Each initiative as a bar over its period, so overlaps and endings line up.

    The colour and the end cap give the status (a bar for ended, a double bar for
    suspended, an arrow to the right edge for ongoing). A disputed row gets two bars:
    the essay's stated period hatched and faded above, the period on record solid below,
    each labelled. A period that is a single day gets a diamond.
    """
    from matplotlib.legend_handler import HandlerTuple
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    with style():
        rows = _initiative_rows(initiatives)
        fig = new_figure(max(2.0, 1.2 + 0.42 * len(rows)))
        ax = fig.add_subplot()
        if rows.empty:
            empty(ax, "no initiatives")
            return freeze(fig)
        ends = pd.concat([rows["start"], rows["end"], rows["v_start"], rows["v_end"]])
        lo = float(np.nanmin(ends)) - 400.0
        hi = float(np.nanmax(ends)) + 500.0
        ax.set_xlim(lo, hi)
        ax.set_ylim(len(rows) - 0.4, -0.6)
        disputed_any = False
        for y, row in rows.iterrows():
            yy = float(str(y))
            if row["disputed"]:
                disputed_any = True
                _period_bar(ax, yy - 0.19, row["start"], row["end"], row["status"], hi, stated=True)
                v_status = "ended" if not np.isnan(row["v_end"]) else row["status"]
                _period_bar(ax, yy + 0.19, row["v_start"], row["v_end"], v_status, hi)
                notes = (
                    (f"essay: {row['period']}", -0.19, "#333333"),
                    (f"record: {row['verified_period'].replace('/', ' to ')}", 0.19, "black"),
                )
                for text, dy, colour in notes:
                    ax.annotate(
                        text,
                        xy=(min(row["start"], row["v_start"]), yy + dy),
                        xytext=(-4, 0),
                        textcoords="offset points",
                        ha="right",
                        va="center",
                        fontsize=7,
                        color=colour,
                    )
            else:
                _period_bar(ax, yy, row["start"], row["end"], row["status"], hi)
        ax.set_yticks(range(len(rows)), [textwrap.fill(n, 24) for n in rows["name"]])
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        key_date_lines(ax, key_dates(lo, hi))
        year_ticks(ax, lo, hi)
        ax.grid(axis="x", color="#EEEEEE", linewidth=0.5)
        ax.set_axisbelow(True)

        present = set(rows["status"])
        if disputed_any:
            present |= {"ended"}
        handles: list[Any] = []
        labels: list[str] = []
        caps = {"ended": "|", "suspended": _pause_marker(), "ongoing": ">"}
        for status in ("ended", "suspended", "ongoing"):
            if status in present:
                handles.append(
                    (
                        Patch(facecolor=STATUS_COLOURS[status], edgecolor=STATUS_COLOURS[status]),
                        Line2D([], [], linestyle="none", marker=caps[status], color="black"),
                    )
                )
                labels.append("ongoing (to date)" if status == "ongoing" else status)
        if rows["single"].any():
            handles.append(Line2D([], [], linestyle="none", marker="D", markersize=5, color=GREY))
            labels.append("single date")
        if disputed_any:
            handles.append(
                Patch(facecolor="white", edgecolor=GREY, hatch="////", alpha=0.8, linewidth=0.6)
            )
            labels.append(DISPUTED_LABEL)
        fig.legend(
            handles,
            labels,
            loc="outside lower center",
            ncol=min(len(handles), 3),
            handler_map={tuple: HandlerTuple(ndivide=1)},
            handletextpad=0.4,
            columnspacing=1.2,
        )
        key_date_labels(fig, ax, key_dates(lo, hi))
        return freeze(fig)


def _initiative_rows(initiatives: pd.DataFrame) -> pd.DataFrame:
    """Initiatives in order of start, with date numbers for the stated and verified ends."""
    if initiatives.empty:
        return pd.DataFrame(
            columns=["name", "start", "end", "v_start", "v_end", "status", "disputed", "single"]
        )
    frame = initiatives.sort_values(["date_start", "name"], kind="mergesort").reset_index(drop=True)
    ongoing = frame["ongoing"] if "ongoing" in frame else frame["status"] == "ongoing"
    nan = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    v_start = frame.get("verified_date_start", nan)
    v_end = frame.get("verified_date_end", nan)
    verification = frame.get("verification", pd.Series("verified", index=frame.index))
    disputed = (verification == "disputed") & v_start.notna()
    end = frame["date_end"].where(~ongoing.astype(bool))
    out = pd.DataFrame(
        {
            "name": frame["name"].astype(str),
            "period": frame["period"].astype(str) if "period" in frame else "",
            "verified_period": frame["verified_period"].astype("string").fillna("")
            if "verified_period" in frame
            else "",
            "start": datenum(frame["date_start"]),
            "end": datenum(end),
            "v_start": datenum(v_start),
            "v_end": datenum(v_end),
            "status": frame["status"].astype(str),
            "disputed": disputed.to_numpy(dtype=bool),
        }
    )
    out["single"] = (out["end"] == out["start"]) & ~out["disputed"]
    return out


def _pause_marker() -> Any:
    """A double bar, like a pause sign: the end cap of a suspended initiative."""
    from matplotlib.path import Path as MplPath

    return MplPath(
        [(-0.45, -1.0), (-0.45, 1.0), (0.45, -1.0), (0.45, 1.0)],
        [MplPath.MOVETO, MplPath.LINETO, MplPath.MOVETO, MplPath.LINETO],
    )


def _period_bar(
    ax: Axes,
    y: float,
    start: float,
    end: float,
    status: str,
    right_edge: float,
    *,
    stated: bool = False,
) -> None:
    """One period: a bar with its status cap, an arrow when it runs on, a diamond if a day."""
    colour = STATUS_COLOURS.get(status, GREY)
    ongoing = np.isnan(end)
    if not ongoing and end == start:
        ax.plot(
            [start], [y], marker="D", markersize=5, color=colour, markeredgecolor="black",
            markeredgewidth=0.5, linestyle="none", zorder=3,
        )  # fmt: skip
        return
    stop = right_edge - 140.0 if ongoing else end
    bar_kwargs: dict[str, Any] = {
        "height": 0.34 if stated else 0.42,
        "left": start,
        "color": colour,
        "edgecolor": colour,
        "linewidth": 0.8,
        "zorder": 2,
    }
    if stated:
        bar_kwargs.update(color="white", edgecolor=colour, hatch="////", alpha=0.85)
    bars = ax.barh([y], [stop - start], **bar_kwargs)
    if stated:
        for patch in bars:
            patch.set_label(DISPUTED_LABEL)  # findable, e.g. by tests
    if ongoing:
        ax.plot(
            [stop + 60.0], [y], marker=">", markersize=6, color=colour, linestyle="none",
            clip_on=False, zorder=3, alpha=0.85 if stated else 1.0,
        )  # fmt: skip
    else:
        cap = _pause_marker() if status == "suspended" else "|"
        ax.plot(
            [end], [y], marker=cap, markersize=7 if stated else 9, color="black",
            markeredgewidth=1.0, linestyle="none", zorder=3,
        )  # fmt: skip


def initiatives_alt(initiatives: pd.DataFrame) -> str:
    """The initiatives in words: how many, their span and status, what runs to date, and
    for a disputed row both the essay's period and the one on record."""
    if initiatives.empty:
        return "An empty chart: there are no initiatives."
    status = initiatives["status"].value_counts()
    parts = [f"{int(status[s])} {s}" for s in ("ended", "suspended", "ongoing") if s in status]
    text = (
        f"Bars for {plural(len(initiatives), 'initiative')} over their periods, "
        f"the first starting in {int(initiatives['date_start'].min().year)} and the last in "
        f"{int(initiatives['date_start'].max().year)}; as stated, {joined(parts)}."
    )
    verification = initiatives.get("verification", pd.Series("verified", initiatives.index))
    disputed = verification == "disputed"
    ongoing = initiatives[(initiatives["status"] == "ongoing") & ~disputed]
    if not ongoing.empty:
        text += f" Running to date, with an arrow: {joined(list(ongoing['name']))}."
    for _, row in initiatives[disputed].iterrows():
        record = str(row.get("verified_period", "")).replace("/", " to ")
        text += (
            f" {row['name']} is disputed: the essay states {row['period']} (hatched bar); "
            f"the record supports {record} (solid bar below it)."
        )
    return text
