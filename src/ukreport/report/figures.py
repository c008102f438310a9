"""The report's figures: what the tables cannot show at a glance.

Each figure is a function from DataFrames to a :class:`matplotlib.figure.Figure`, drawn
with the object API (no pyplot state), so it works headless, in a kernel and in tests.
:func:`save` writes SVG and PNG that are byte-identical for the same data (no dates, a
fixed SVG hash salt, a bundled font), and :func:`build_figures` writes every figure
with a ``figures.json`` index holding the alt text the report puts on each image.

Colours are the Okabe–Ito palette, safe for the common colour-vision deficiencies, and
never the only cue: lanes, panels, marker shapes, fills and end caps carry the same
information.
"""

from __future__ import annotations

import io
import json
import logging
import re
import textwrap
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ukreport.schemas import EVENT_TYPES, MAIN_ACTORS

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.typing import RcKeyType

__all__ = [
    "FIGURES",
    "alt_text",
    "build_figures",
    "events_per_year",
    "initiatives_periods",
    "render",
    "save",
    "style",
    "timeline",
]

log = logging.getLogger(__name__)

# --- style ----------------------------------------------------------------------------

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
"""Okabe & Ito (2008), "Color Universal Design": distinguishable with any colour vision."""

GREY = "#6E6E6E"
LIGHT_GREY = "#BDBDBD"

ACTOR_NAMES = {"US": "United States", "RU": "Russia", "UA": "Ukraine"}
ACTOR_COLOURS = {
    "US": OKABE_ITO["blue"],
    "RU": OKABE_ITO["vermillion"],
    "UA": OKABE_ITO["bluish_green"],
}
"""One colour per main actor, the same in every figure."""

EVENT_MARKERS = {
    "call": "o",
    "meeting": "s",
    "summit": "*",
    "talks": "D",
    "statement": "^",
    "agreement": "P",
    "resolution": "v",
    "military": "X",
    "exchange": "h",
    "act": "<",
}
"""One marker shape per event type, so the type reads without colour."""
_MARKER_SCALE = {"*": 1.45, "D": 0.85, "P": 1.1, "X": 1.1, "h": 1.05}

KIND_COLOURS = {
    "call": OKABE_ITO["blue"],
    "meeting": OKABE_ITO["sky_blue"],
    "summit": OKABE_ITO["black"],
    "talks": OKABE_ITO["bluish_green"],
    "statement": LIGHT_GREY,
    "agreement": OKABE_ITO["orange"],
    "resolution": OKABE_ITO["reddish_purple"],
    "military": OKABE_ITO["vermillion"],
    "exchange": OKABE_ITO["yellow"],
    "act": "#6E6E6E",
}
"""One colour per event type for the coverage view (Okabe & Ito, then greys)."""

STATUS_COLOURS = {
    "ended": GREY,
    "suspended": OKABE_ITO["orange"],
    "ongoing": OKABE_ITO["sky_blue"],
}
"""Initiative status; each also has its own end cap (see :func:`initiatives_periods`)."""

DISPUTED_LABEL = "disputed (essay's claim)"
RECORD_LABEL = "date on record"
UNVERIFIED_LABEL = "unverified (no source found)"

KEY_DATES = (
    ("2014-09-05", "Minsk Protocol"),
    ("2022-02-24", "full-scale invasion"),
    ("2025-02-12", "Trump–Putin call"),
)
"""Dates marked on the time axes: the turning points the essay's argument turns on."""

WIDTH = 6.5
"""Figure width in inches: the text width of a US Letter or A4 page."""
DPI = 200
SVG_HASH_SALT = "ukreport"
FONT = "DejaVu Sans"
"""Matplotlib ships this font, so output does not depend on the fonts a system has."""

RC: dict[RcKeyType, Any] = {
    "font.family": FONT,
    "font.size": 8,
    "axes.labelsize": 8,
    "axes.titlesize": 8,
    "xtick.labelsize": 7.5,
    "ytick.labelsize": 7.5,
    "legend.fontsize": 7,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.linewidth": 0.6,
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "hatch.linewidth": 0.6,
    "mathtext.fontset": "dejavusans",
    "svg.hashsalt": SVG_HASH_SALT,
    "svg.fonttype": "path",
    "savefig.dpi": DPI,
    "figure.dpi": DPI,  # lay out at the PNG resolution: text widths vary with dpi
}
"""Settings every figure is drawn and saved with (inside :func:`style`)."""


@contextmanager
def style() -> Iterator[None]:
    """Draw or save under :data:`RC`, leaving the caller's matplotlib settings alone.

    :data:`RC` goes on top of matplotlib's built-in defaults, not on the settings in
    force: a ``matplotlibrc`` (in the working folder, ``$MATPLOTLIBRC`` or the user's
    config) or an earlier ``rcParams`` change would otherwise alter the figures.
    """
    import matplotlib as mpl

    with mpl.rc_context():
        mpl.rcdefaults()
        mpl.rcParams.update(RC)
        yield


def _figure(height: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(WIDTH, height), layout="constrained")


_DAY_NS = 86_400 * 10**9


def _freeze(fig: Figure) -> Figure:
    """Run the constrained layout once and keep it, so every render is the same.

    Constrained layout starts from the last positions it found, so a figure drawn
    twice would shift by a fraction of a point; frozen, SVG and PNG agree, and saving
    the same figure again gives the same bytes.
    """
    fig.draw_without_rendering()
    fig.set_layout_engine("none")
    return fig


def _datenum(values: Any) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Days since 1970-01-01 (matplotlib's default date epoch) as floats; NaN for NaT."""
    stamps = pd.Series(values, dtype="datetime64[ns]").to_numpy()
    days = stamps.astype("int64").astype(np.float64) / _DAY_NS
    days[np.isnat(stamps)] = np.nan
    return days


def _year_ticks(ax: Axes, lo: float, hi: float) -> None:
    """Year labels on a date axis in days: every 1, 2 or 5 years as the span allows."""
    first = pd.Timestamp(int(lo * _DAY_NS)).year
    last = pd.Timestamp(int(hi * _DAY_NS)).year + 1
    span = (hi - lo) / 365.25
    step = 5 if span > 15 else 2 if span > 6 else 1
    years = list(range(first, last + 1))
    starts = _datenum(pd.to_datetime([f"{y}-01-01" for y in years]))
    major = [(x, str(y)) for x, y in zip(starts, years, strict=True) if lo <= x <= hi]
    major = [(x, label) for x, label in major if int(label) % step == 0]
    ax.set_xticks([x for x, _ in major], [label for _, label in major])
    ax.set_xticks([x for x in starts if lo <= x <= hi], minor=True)


def _key_dates(lo: float, hi: float) -> list[tuple[float, str, str]]:
    """Key dates within ``[lo, hi]`` as (x, ISO date, label)."""
    xs = _datenum(pd.to_datetime([d for d, _ in KEY_DATES]))
    return [
        (float(x), day, label)
        for x, (day, label) in zip(xs, KEY_DATES, strict=True)
        if lo <= x <= hi
    ]


def _key_date_lines(
    ax: Axes, marks: Sequence[tuple[float, str, str]], *, zorder: float = 0
) -> None:
    """Dashed vertical lines at the key dates (behind the data unless ``zorder`` says)."""
    for x, _, _ in marks:
        ax.axvline(x, color="#444444", linewidth=0.6, linestyle=(0, (4, 2)), zorder=zorder)


_LABEL_SIZE = 6.5


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


def _key_date_labels(fig: Figure, ax: Axes, marks: Sequence[tuple[float, str, str]]) -> None:
    """Label the key dates above ``ax``, after a layout pass so widths are known."""
    if not marks:
        return
    fig.draw_without_rendering()
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


def _main_actors(actors: Any) -> list[str]:
    """The main actors (US, RU, UA) among a row's actor codes, in that order."""
    codes = set() if actors is None or isinstance(actors, float) else set(actors)
    return [code for code in MAIN_ACTORS if code in codes]


def _midpoints(frame: pd.DataFrame) -> pd.Series:
    """Middle of each row's stated date: a month-precise date sits mid-month."""
    start = frame["date_start"]
    end = frame["date_end"].fillna(start) if "date_end" in frame else start
    mid: pd.Series = start + (end - start) / 2
    return mid


def _levels(xs: Sequence[float], gap: float) -> list[int]:
    """Stack markers closer than ``gap``: the lowest free level for each, in order."""
    last: list[float] = []
    levels: list[int] = []
    for x in xs:
        for level, end in enumerate(last):
            if x - end >= gap:
                last[level] = x
                levels.append(level)
                break
        else:
            last.append(x)
            levels.append(len(last) - 1)
    return levels


def _offset(level: int, step: float = 0.16, limit: int = 5) -> float:
    """0, +1, -1, +2, -2 … steps, cycling after ``limit`` levels."""
    k = level % limit
    return step * ((k + 1) // 2) * (1 if k % 2 else -1)


# --- 1. timeline ----------------------------------------------------------------------

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
        fig = _figure(4.2)
        rows = _timeline_rows(events)
        if rows.empty:
            ax = fig.add_subplot()
            _empty(ax, "no events")
            return _freeze(fig)
        split = float(_datenum(pd.to_datetime([SPLIT]))[0])
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
            _year_ticks(ax, lo, hi)
            if i > 0:
                ax.spines["left"].set_visible(False)
                ax.tick_params(axis="y", left=False)
            _key_date_lines(ax, _key_dates(lo, hi))
        _disputed_arrows(axes, rows, panels)
        if len(axes) == 2:
            _break_marks(axes[0], axes[1])
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
                markersize=5 * _MARKER_SCALE.get(EVENT_MARKERS[t], 1.0),
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
            _key_date_labels(fig, ax, _key_dates(lo, hi))
        return _freeze(fig)


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
    mid = _datenum(_midpoints(events))
    lo = _datenum(events["date_start"])
    hi = _datenum(events["date_end"].fillna(events["date_start"]))
    record = np.full(len(events), np.nan)
    if "verified_date" in events:
        from ukreport.dates import parse_dates

        verified = events["verified_date"].astype("string")
        parsed = parse_dates(verified.fillna(""))
        has = verified.notna() & (verified.str.len() > 0) & parsed["start"].notna()
        record_mid = parsed["start"] + (parsed["end"].fillna(parsed["start"]) - parsed["start"]) / 2
        record = np.where(has.to_numpy(), _datenum(record_mid.where(has)), np.nan)
    verification = (
        events["verification"] if "verification" in events else pd.Series("verified", events.index)
    )
    for i, (actors, kind, status) in enumerate(
        zip(events["actors"], events["event_type"], verification, strict=True)
    ):
        for actor in _main_actors(actors):
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


def _lane_positions(rows: pd.DataFrame, gap: float) -> pd.Series:
    """The y of each marker: its lane, moved up or down where it would overlap."""
    y: dict[Any, float] = {}
    for _, group in rows.groupby("lane", sort=True):
        levels = _levels(list(group["x"]), gap)
        for index, lane, level in zip(group.index, group["lane"], levels, strict=True):
            y[index] = float(lane) + _offset(level)
    return pd.Series(y, index=rows.index, dtype=float)


def _draw_lanes(ax: Axes, rows: pd.DataFrame) -> None:
    """Markers for one panel at their lane positions (column ``y``)."""
    for lane in (0, 1, 2):
        ax.axhline(lane, color="#E0E0E0", linewidth=0.6, zorder=0)
    ax.axhline(0.5, color="#CCCCCC", linewidth=0.4, zorder=0)
    ax.axhline(1.5, color="#CCCCCC", linewidth=0.4, zorder=0)
    for _, row in rows.iterrows():
        y = float(row["y"])
        colour = ACTOR_COLOURS[str(row["actor"])]
        if row["hi"] - row["lo"] > 1:  # month or year precision: show the span
            ax.plot(
                [row["lo"], row["hi"]],
                [y, y],
                color=colour,
                linewidth=1.0,
                solid_capstyle="butt",
            )
        marker = EVENT_MARKERS.get(str(row["event_type"]), "o")
        size = 5.2 * _MARKER_SCALE.get(marker, 1.0)
        kwargs: dict[str, Any] = {
            "marker": marker,
            "markersize": size,
            "markerfacecolor": colour,
            "markeredgecolor": "white",
            "markeredgewidth": 0.4,
        }
        if row["verification"] == "disputed":
            kwargs.update(
                fillstyle="none",
                markeredgecolor="black",
                markeredgewidth=1.4,
                markersize=size + 0.6,
                label=DISPUTED_LABEL,
            )
        elif row["verification"] == "unverified":
            kwargs.update(
                fillstyle="none",
                markeredgecolor=colour,
                markeredgewidth=1.1,
                label=UNVERIFIED_LABEL,
            )
        ax.plot([row["x"]], [y], linestyle="none", zorder=3, **kwargs)


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


def _break_marks(left: Axes, right: Axes) -> None:
    """The usual diagonal marks where a broken axis resumes."""
    kwargs: dict[str, Any] = {
        "marker": [(-1, -1.5), (1, 1.5)],
        "markersize": 6,
        "linestyle": "none",
        "color": "black",
        "markeredgewidth": 0.6,
        "clip_on": False,
    }
    left.plot([1], [0], transform=left.transAxes, **kwargs)
    right.plot([0], [0], transform=right.transAxes, **kwargs)
    right.spines["left"].set_visible(False)


def _empty(ax: Axes, message: str) -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color=GREY)
    ax.set_axis_off()


# --- 2. initiatives -------------------------------------------------------------------


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
        fig = _figure(max(2.0, 1.0 + 0.34 * len(rows)))
        ax = fig.add_subplot()
        if rows.empty:
            _empty(ax, "no initiatives")
            return _freeze(fig)
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
                ax.annotate(
                    f"essay: {row['period']}",
                    xy=(min(row["start"], row["v_start"]), yy - 0.19),
                    xytext=(-4, 0),
                    textcoords="offset points",
                    ha="right",
                    va="center",
                    fontsize=6.5,
                    color="#333333",
                )
                ax.annotate(
                    f"on record: {row['verified_period'].replace('/', ' to ')}",
                    xy=(min(row["start"], row["v_start"]), yy + 0.19),
                    xytext=(-4, 0),
                    textcoords="offset points",
                    ha="right",
                    va="center",
                    fontsize=6.5,
                    color="black",
                )
            else:
                _period_bar(ax, yy, row["start"], row["end"], row["status"], hi)
        ax.set_yticks(range(len(rows)), [textwrap.fill(n, 30) for n in rows["name"]])
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        _key_date_lines(ax, _key_dates(lo, hi))
        _year_ticks(ax, lo, hi)
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
            ncol=len(handles),
            handler_map={tuple: HandlerTuple(ndivide=1)},
            handletextpad=0.4,
            columnspacing=1.2,
        )
        _key_date_labels(fig, ax, _key_dates(lo, hi))
        return _freeze(fig)


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
            "start": _datenum(frame["date_start"]),
            "end": _datenum(end),
            "v_start": _datenum(v_start),
            "v_end": _datenum(v_end),
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


# --- 3. events per year ---------------------------------------------------------------


def events_per_year(events: pd.DataFrame) -> Figure:
    """Events per year involving each main actor: when each was at the table.

    One panel per actor (the same y scale), its bars over a grey outline of all events
    that year, with the key dates marked. Disputed rows are left out: the record
    contradicts them (the date it supports is usually a row of its own).
    """
    from matplotlib.legend_handler import HandlerTuple
    from matplotlib.ticker import MaxNLocator, MultipleLocator

    with style():
        fig = _figure(4.0)
        counts = _counts_per_year(events)
        axes = fig.subplots(len(MAIN_ACTORS), 1, sharex=True, sharey=True, squeeze=False)[:, 0]
        if counts.empty:
            for ax in axes:
                _empty(ax, "no events")
            return _freeze(fig)
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
            ax.bar(
                years,
                counts[actor].to_numpy(),
                width=0.72,
                color=ACTOR_COLOURS[actor],
                label="involving the actor",
                zorder=2,
            )
            ax.text(
                0.005,
                0.95,
                f"{ACTOR_NAMES[actor]}: {int(counts[actor].sum())} events",
                transform=ax.transAxes,
                ha="left",
                va="top",
                fontsize=7.5,
                fontweight="bold",
                color=ACTOR_COLOURS[actor],
            )
            ax.yaxis.set_major_locator(MaxNLocator(nbins=3, integer=True))
            ax.grid(axis="y", color="#EEEEEE", linewidth=0.5)
            ax.set_axisbelow(True)
            ax.set_xlim(lo, hi)
            _key_date_lines(ax, _year_key_dates(lo, hi), zorder=3)
        axes[-1].xaxis.set_major_locator(MultipleLocator(2 if len(years) > 12 else 1))
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
        _key_date_labels(fig, axes[0], _year_key_dates(lo, hi))
        return _freeze(fig)


def _patch(colour: str) -> Any:
    from matplotlib.patches import Patch

    return Patch(facecolor=colour, edgecolor=colour)


def _year_key_dates(lo: float, hi: float) -> list[tuple[float, str, str]]:
    """Key dates as positions on a year axis whose bars are centred on whole years."""
    out = []
    for day, label in KEY_DATES:
        when = pd.Timestamp(day)
        x = when.year - 0.5 + (when.day_of_year - 1) / (366 if when.is_leap_year else 365)
        if lo <= x <= hi:
            out.append((x, day, label))
    return out


def _counts_per_year(events: pd.DataFrame) -> pd.DataFrame:
    """Events per year (columns US, RU, UA and all), every year in range, disputed left out."""
    if events.empty:
        return pd.DataFrame(columns=[*MAIN_ACTORS, "all"])
    kept = _undisputed(events)
    if kept.empty:
        return pd.DataFrame(columns=[*MAIN_ACTORS, "all"])
    year = [int(y) for y in kept["date_start"].dt.year]
    years = range(min(year), max(year) + 1)
    counts: dict[str, list[int]] = {column: [0] * len(years) for column in [*MAIN_ACTORS, "all"]}
    for y, actors in zip(year, kept["actors"], strict=True):
        counts["all"][y - years.start] += 1
        for actor in _main_actors(actors):
            counts[actor][y - years.start] += 1
    return pd.DataFrame(counts, index=pd.Index(years, name="year"))


def _undisputed(events: pd.DataFrame) -> pd.DataFrame:
    if "verification" not in events:
        return events
    kept: pd.DataFrame = events[events["verification"] != "disputed"]
    return kept


# --- alt text -------------------------------------------------------------------------


def _years(dates: pd.Series) -> str:
    first, last = int(dates.min().year), int(dates.max().year)
    return str(first) if first == last else f"{first}–{last}"


_PLURALS = {"talks": "talks", "military": "military actions"}
_SINGULARS = {"military": "military action"}


def _plural(n: int, word: str) -> str:
    """``3 calls``, ``1 talks``, ``2 military actions``."""
    if n == 1:
        return f"1 {_SINGULARS.get(word, word)}"
    return f"{n} {_PLURALS.get(word, word + 's')}"


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _timeline_alt(events: pd.DataFrame) -> str:
    if events.empty:
        return "An empty timeline: there are no events."
    lanes = [
        f"{ACTOR_NAMES[a]} {sum(a in _main_actors(x) for x in events['actors'])}"
        for a in MAIN_ACTORS
    ]
    types = events["event_type"].value_counts()
    kinds = [_plural(int(types[t]), t) for t in EVENT_TYPES if t in types.index]
    text = (
        f"Timeline of {_plural(len(events), 'event')}, {_years(events['date_start'])}, "
        f"in one lane per main actor (events involving {_join(lanes)}); "
        f"marker shape gives the type ({_join(kinds)})."
    )
    counts = _counts_per_year(events)
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
        text += f" {_plural(n_unverified, 'event')} unverified, drawn hollow in the lane's colour."
    return text


def _initiatives_alt(initiatives: pd.DataFrame) -> str:
    if initiatives.empty:
        return "An empty chart: there are no initiatives."
    status = initiatives["status"].value_counts()
    parts = [f"{int(status[s])} {s}" for s in ("ended", "suspended", "ongoing") if s in status]
    text = (
        f"Bars for {_plural(len(initiatives), 'initiative')} over their periods, "
        f"the first starting in {int(initiatives['date_start'].min().year)} and the last in "
        f"{int(initiatives['date_start'].max().year)}; as stated, {_join(parts)}."
    )
    verification = initiatives.get("verification", pd.Series("verified", initiatives.index))
    disputed = verification == "disputed"
    ongoing = initiatives[(initiatives["status"] == "ongoing") & ~disputed]
    if not ongoing.empty:
        text += f" Running to date, with an arrow: {_join(list(ongoing['name']))}."
    for _, row in initiatives[disputed].iterrows():
        record = str(row.get("verified_period", "")).replace("/", " to ")
        text += (
            f" {row['name']} is disputed: the essay states {row['period']} (hatched bar); "
            f"the record supports {record} (solid bar below it)."
        )
    return text


def _per_year_alt(events: pd.DataFrame) -> str:
    counts = _counts_per_year(events)
    if counts.empty:
        return "Empty bar charts: there are no events."
    first, last = int(counts.index.min()), int(counts.index.max())
    totals = [f"{ACTOR_NAMES[a]} {int(counts[a].sum())}" for a in MAIN_ACTORS]
    peaks = [
        f"{ACTOR_NAMES[a]} {int(counts.index[int(np.argmax(counts[a].to_numpy()))])}"
        for a in MAIN_ACTORS
        if counts[a].any()
    ]
    text = (
        f"Three bar charts, one per main actor, of events per year {first}–{last}: "
        f"{_join(totals)} events in all; busiest year for each: {_join(peaks)}."
    )
    before = int(counts.loc[counts.index < 2014, "all"].sum())
    since = int(counts.loc[counts.index >= 2022, "all"].sum())
    text += f" {before} events fall before 2014 and {since} from 2022 on."
    verification = events.get("verification", pd.Series(dtype=str))
    n_disputed = int((verification == "disputed").sum())
    if n_disputed:
        text += f" {_plural(n_disputed, 'disputed row')} not counted."
    return text


# --- 4. coverage -----------------------------------------------------------------------


def coverage(events: pd.DataFrame) -> Figure:
    """Events per year within the swept window, stacked by kind, so a reader sees what
    the record holds and where it thins, with the day the sources were last read."""
    from ukreport.schemas import COVERAGE_START

    with style():
        fig = _figure(3.0)
        ax = fig.add_subplot()
        counts = _counts_by_kind(events)
        if counts.empty:
            _empty(ax, "no events in the window")
            return _freeze(fig)
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
            fontsize=8,
            loc="left",
            color=GREY,
        )
        fig.legend(loc="outside lower center", ncol=min(len(counts.columns), 5))
        return _freeze(fig)


def _counts_by_kind(events: pd.DataFrame) -> pd.DataFrame:
    """Events per year in the window by type (undisputed rows only), every year."""
    from ukreport.schemas import COVERAGE_START

    kept = _undisputed(events)
    kept = kept[kept["date_start"] >= pd.Timestamp(COVERAGE_START)]
    if kept.empty:
        return pd.DataFrame()
    table = pd.crosstab(kept["date_start"].dt.year, kept["event_type"])
    table = table.reindex(range(int(table.index.min()), int(table.index.max()) + 1), fill_value=0)
    return table[[t for t in EVENT_TYPES if t in table.columns]]


def _coverage_alt(events: pd.DataFrame) -> str:
    counts = _counts_by_kind(events)
    if counts.empty:
        return "No events in the coverage window."
    totals = counts.sum(axis=1)
    kinds = counts.sum(axis=0)
    parts = [_plural(int(kinds[k]), k) for k in counts.columns if kinds[k]]
    years = f"{int(totals.index.min())}–{int(totals.index.max())}"
    low = int(str(totals.idxmin()))
    return (
        f"Stacked bars of events per year, {years}: {int(totals.sum())} events "
        f"({_join(parts)}). The most are in {int(str(totals.idxmax()))} ({int(totals.max())}), "
        f"the fewest in {low} ({int(totals.min())})."
    )


def with_verdicts(events: pd.DataFrame, claims: pd.DataFrame | None) -> pd.DataFrame:
    """The events, with each essay row drawn as its claim's verdict says (disputed,
    unverified, else as a verified row), so the timeline's marks come from the claims."""
    if claims is None or claims.empty or "essay_cited" not in events:
        return events
    verdicts = dict(zip(claims["essay_row"], claims["verdict"], strict=True))
    out = events.copy()
    drawn = {"disputed": "disputed", "unverified": "unverified"}
    for index, row in out[out["essay_cited"]].iterrows():
        verdict = verdicts.get(row["event_id"])
        if verdict is not None:
            out.at[index, "verification"] = drawn.get(verdict, "verified")
    return out


FIGURES: dict[
    str, tuple[tuple[str, ...], Callable[[pd.DataFrame], Figure], Callable[[pd.DataFrame], str]]
] = {
    "timeline": (("events", "claims"), timeline, _timeline_alt),
    "initiatives": (("initiatives",), initiatives_periods, _initiatives_alt),
    "events-per-year": (("events",), events_per_year, _per_year_alt),
    "coverage": (("events",), coverage, _coverage_alt),
}
"""Figure name → (tables it draws, figure function, alt-text function). A figure drawn
from events and claims gets the events with the claims' verdicts (:func:`with_verdicts`)."""


def figure_data(name: str, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The one frame figure ``name`` draws, from the tables it is made from."""
    needed = FIGURES[name][0]
    if needed == ("events", "claims"):
        return with_verdicts(tables["events"], tables.get("claims"))
    return tables[needed[0]]


def alt_text(name: str, data: pd.DataFrame) -> str:
    """Describe figure ``name`` in words computed from ``data``, for an image's alt text.

    Raises ``ValueError`` for an unknown name.
    """
    if name not in FIGURES:
        raise ValueError(f"unknown figure {name!r}; choose one of {', '.join(FIGURES)}")
    return FIGURES[name][2](data)


# --- output ---------------------------------------------------------------------------

FORMATS = ("svg", "png")


_SVG_REFS = re.compile(rb'(\bid="|href="#|url\(#)')


def render(fig: Figure, name: str = "fig") -> dict[str, bytes]:
    """The figure as SVG and PNG bytes, free of dates and random ids.

    Same figure, same bytes: the SVG has no ``dc:date``, a fixed hash salt and glyphs
    as paths; the PNG has no ``Software`` chunk and a fixed dpi. Every SVG id (and each
    reference to one) is prefixed with ``name``, so several figures inlined in one HTML
    page keep distinct ids and each clip path clips its own figure.
    """
    metadata: dict[str, dict[str, Any]] = {"svg": {"Date": None}, "png": {"Software": None}}
    out: dict[str, bytes] = {}
    with style():
        for fmt in FORMATS:
            buffer = io.BytesIO()
            fig.savefig(buffer, format=fmt, dpi=DPI, metadata=metadata[fmt])
            out[fmt] = buffer.getvalue()
    prefix = re.sub(r"[^A-Za-z0-9_-]", "-", name).encode("ascii")
    out["svg"] = _SVG_REFS.sub(lambda m: m.group(1) + prefix + b"-", out["svg"])
    return out


def save(fig: Figure, stem: Path) -> list[Path]:
    """Write ``stem.svg`` and ``stem.png`` atomically; return their paths.

    The SVG's ids are prefixed with the stem's name (see :func:`render`).
    """
    from ukreport._io import write_atomically

    written: list[Path] = []
    for fmt, data in render(fig, stem.name).items():
        path = stem.parent / f"{stem.name}.{fmt}"
        write_atomically(path, data)
        written.append(path)
    return written


def build_figures(
    out_dir: Path,
    events: pd.DataFrame | None = None,
    initiatives: pd.DataFrame | None = None,
    claims: pd.DataFrame | None = None,
) -> list[Path]:
    """Write every figure (SVG and PNG) and ``figures.json`` to ``out_dir``.

    Loads the packaged data for a table not given. ``figures.json`` maps each figure
    name to its file names and alt text; it is written last, so it never lists a file
    that is not there. Returns the paths written, the index last.
    """
    from ukreport._io import write_atomically
    from ukreport.datasets import load

    if events is None:
        events = load("events")
    if initiatives is None:
        initiatives = load("initiatives")
    if claims is None:
        claims = load("claims")
    tables = {"events": events, "initiatives": initiatives, "claims": claims}
    written: list[Path] = []
    index: dict[str, dict[str, Any]] = {}
    for name, (_, draw, describe) in FIGURES.items():
        data = figure_data(name, tables)
        paths = save(draw(data), out_dir / name)
        written += paths
        index[name] = {"alt": describe(data), "files": sorted(p.name for p in paths)}
        log.info("wrote %s", ", ".join(str(p) for p in paths))
    text = json.dumps(index, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    write_atomically(out_dir / "figures.json", text.encode("utf-8"))
    written.append(out_dir / "figures.json")
    return written
