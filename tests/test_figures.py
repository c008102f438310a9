"""Figures: the right artists, disputed rows marked, alt text, and identical bytes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

import ukreport
from ukreport.report import figures
from ukreport.report.figures import (
    DISPUTED_LABEL,
    FIGURES,
    FigureSpec,
    alt_text,
    build_figures,
    events_per_year,
    figure_data,
    initiatives_periods,
    render,
    save,
    timeline,
)
from ukreport.schemas import TABLES

FILES = sorted([f"{name}.{fmt}" for name in FIGURES for fmt in figures.FORMATS] + ["figures.json"])


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return ukreport.load_events()


@pytest.fixture(scope="module")
def initiatives() -> pd.DataFrame:
    return ukreport.load_initiatives()


def _legend_labels(fig: Figure) -> list[str]:
    return [text.get_text() for legend in fig.legends for text in legend.get_texts()]


def _events(rows: list[tuple[str, str, list[str], str]]) -> pd.DataFrame:
    """A small hand-made events table: (day, type, actors, verification)."""
    start = pd.to_datetime([day for day, *_ in rows])
    return pd.DataFrame(
        {
            "event_id": [f"e{i}" for i in range(len(rows))],
            "date": [day for day, *_ in rows],
            "date_start": start,
            "date_end": start,
            "date_precision": pd.Categorical(["day"] * len(rows), ["day", "month", "year"]),
            "event_type": [kind for _, kind, _, _ in rows],
            "actors": [actors for _, _, actors, _ in rows],
            "verification": [status for *_, status in rows],
            "verified_date": [None] * len(rows),
        }
    )


def _initiative(**overrides: object) -> pd.DataFrame:
    row: dict[str, object] = {
        "initiative_id": "talks",
        "name": "Some talks",
        "period": "2020-01-01/2021-06-30",
        "date_start": pd.Timestamp("2020-01-01"),
        "date_end": pd.Timestamp("2021-06-30"),
        "status": "ended",
        "ongoing": False,
        "verification": "verified",
        "verified_period": None,
        "verified_date_start": pd.NaT,
        "verified_date_end": pd.NaT,
    }
    row.update(overrides)
    return pd.DataFrame([row])


# --- the figures ------------------------------------------------------------------------


def _strip_markers(fig: Figure) -> list[Line2D]:
    """The timeline's markers for single events (the strip above the panels)."""
    return [line for line in fig.axes[0].lines if line.get_marker() not in ("None", None)]


def test_timeline_counts_every_event_of_the_window_per_month_and_actor(
    events: pd.DataFrame,
) -> None:
    drawn = figures.with_verdicts(events, ukreport.load_claims())
    fig = timeline(drawn)
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 4  # the strip of single events, then one panel per actor
    kept = events[(events["date_start"] >= "2014-01-01") & (events["verification"] != "disputed")]
    for ax, actor in zip(fig.axes[1:], ["US", "RU", "UA"], strict=True):
        bars = [p for p in ax.patches if isinstance(p, Rectangle)]
        assert round(sum(bar.get_height() for bar in bars)) == sum(
            actor in a for a in kept["actors"]
        )
        # one bar a month, side by side: no two bars overlap, however many events
        lefts = sorted(bar.get_x() for bar in bars)
        width = max(bar.get_width() for bar in bars)
        assert all(b - a > width for a, b in itertools.pairwise(lefts))
    legend = _legend_labels(fig)
    rows = drawn[drawn["decides"] & (drawn["date_start"] >= "2014-01-01")]
    assert set(rows["event_type"]) <= set(legend)


def test_the_timelines_single_events_are_the_claims_evidence_and_never_touch(
    events: pd.DataFrame,
) -> None:
    claims = ukreport.load_claims()
    drawn = figures.with_verdicts(events, claims)
    fig = timeline(drawn)
    deciding = {i for ids in claims["evidence"] for i in ids} | set(claims["essay_row"].dropna())
    in_window = drawn[drawn["event_id"].isin(deciding) & (drawn["date_start"] >= "2014-01-01")]
    markers = _strip_markers(fig)
    assert len(markers) == len(in_window) > 0
    assert sorted(str(line.get_url()) for line in markers) == sorted(
        f"record.html#{i}" for i in in_window["event_id"]
    )
    # markers on one level are at least a marker's width apart (in display units)
    ax = fig.axes[0]
    points = sorted(
        (
            float(line.get_ydata()[0]),
            float(ax.transData.transform((line.get_xdata()[0], 0))[0]),
            line.get_markersize() * fig.dpi / 72,
        )
        for line in markers
    )
    for (y1, x1, s1), (y2, x2, s2) in itertools.pairwise(points):
        assert y1 != y2 or x2 - x1 >= (s1 + s2) / 2, (y1, x1, x2)


def test_the_timeline_does_not_grow_with_the_record(events: pd.DataFrame) -> None:
    """Ten times the events (new ids, the same days): the same axes and the same single
    markers; only the bars are taller."""
    claims = ukreport.load_claims()
    copies = [
        events.assign(
            event_id=events["event_id"] + f"-copy-{n}", essay_cited=False, verification="verified"
        )
        for n in range(9)
    ]
    large = pd.concat([events, *copies], ignore_index=True)
    small_fig = timeline(figures.with_verdicts(events, claims))
    large_fig = timeline(figures.with_verdicts(large, claims))
    assert len(large_fig.axes) == len(small_fig.axes)
    assert len(_strip_markers(large_fig)) == len(_strip_markers(small_fig))
    for small_ax, large_ax in zip(small_fig.axes[1:], large_fig.axes[1:], strict=True):
        assert len(large_ax.patches) == len(small_ax.patches)
        heights = [round(p.get_height()) for p in large_ax.patches]
        # the disputed row is not counted at 1×; its nine verified copies are at 10×
        assert sum(heights) >= 10 * sum(round(p.get_height()) for p in small_ax.patches)


def test_every_mark_for_events_is_named_or_a_link_in_the_svg(events: pd.DataFrame) -> None:
    claims = ukreport.load_claims()
    tables = {"events": events, "initiatives": ukreport.load_initiatives(), "claims": claims}
    for name in ("timeline", "events-per-year"):
        fig = FIGURES[name].draw(figure_data(name, tables))
        svg = render(fig, name)["svg"].decode("utf-8")
        bars = [
            p for ax in fig.axes for p in ax.patches if isinstance(p, Rectangle) and p.get_gid()
        ]
        assert bars, name
        for bar in bars:
            opening = f'<g id="{name}-{bar.get_gid()}">\n<title>'
            assert svg.count(opening) == 1, (name, bar.get_gid())
        if name == "timeline":
            links = re.findall(r'<a xlink:href="(record\.html#[^"]+)"><title>([^<]+)</title>', svg)
            assert len(links) == len(_strip_markers(fig)) > 0
            assert "target=" not in svg
            titles = dict(links)
            assert titles["record.html#2025-02-12-trump-putin-call"].startswith("12 February 2025:")


def test_timeline_marks_the_disputed_claim(events: pd.DataFrame) -> None:
    drawn = figures.with_verdicts(events, ukreport.load_claims())
    fig = timeline(drawn)
    assert DISPUTED_LABEL in _legend_labels(fig)
    hollow = [
        line
        for line in _strip_markers(fig)
        if line.get_fillstyle() == "none" and line.get_markeredgecolor() == "black"
    ]
    disputed = drawn[drawn["verification"] == "disputed"]
    assert sorted(str(line.get_url()) for line in hollow) == sorted(
        f"record.html#{i}" for i in disputed["event_id"]
    )
    assert len(hollow) > 0


def test_the_timeline_draws_the_essay_rows_as_the_claims_judge_them(
    events: pd.DataFrame,
) -> None:
    claims = pd.DataFrame(
        {
            "essay_row": [
                "2023-09-biden-support-for-ukraine-essay",
                "2023-10-trump-putin-talks-essay",
            ],
            "verdict": ["disputed", "supported"],
        }
    )
    drawn = figures.with_verdicts(events, claims).set_index("event_id")
    assert drawn.loc["2023-09-biden-support-for-ukraine-essay", "verification"] == "disputed"
    assert drawn.loc["2023-10-trump-putin-talks-essay", "verification"] == "verified"
    others = events[~events["essay_cited"]].set_index("event_id")
    assert drawn.loc[others.index, "verification"].equals(others["verification"])
    assert figures.with_verdicts(events, None) is events


def test_coverage_counts_every_event_of_the_window_by_kind(events: pd.DataFrame) -> None:
    fig = figures.coverage(events)
    bars = [patch for ax in fig.axes for patch in ax.patches]
    in_window = events[
        (events["date_start"] >= "2014-01-01") & (events["verification"] != "disputed")
    ]
    assert round(sum(bar.get_height() for bar in bars)) == len(in_window)
    assert set(_legend_labels(fig)) == set(in_window["event_type"])
    text = alt_text("coverage", events)
    assert f"{len(in_window)} events" in text
    busiest = int(in_window["date_start"].dt.year.value_counts().idxmax())
    assert f"The most are in {busiest}" in text


def test_timeline_annotates_key_dates_sparingly(events: pd.DataFrame) -> None:
    fig = timeline(events)
    texts = [
        t.get_text()
        for ax in fig.axes
        for t in ax.texts
        if re.search(r"\d{4}-\d\d-\d\d", t.get_text())
    ]
    assert len(texts) == len(figures.KEY_DATES)
    assert any("2022-02-24" in t for t in texts)


def test_initiatives_show_status_and_both_periods_of_a_disputed_row(
    initiatives: pd.DataFrame,
) -> None:
    fig = initiatives_periods(initiatives)
    assert len(fig.axes) == 1
    ax = fig.axes[0]
    assert len(ax.get_yticklabels()) == len(initiatives)
    legend = _legend_labels(fig)
    assert {"ended", "suspended", "ongoing (to date)", DISPUTED_LABEL} <= set(legend)
    stated = [p for p in ax.patches if p.get_label() == DISPUTED_LABEL]
    n_disputed = int((initiatives["verification"] == "disputed").sum())
    assert len(stated) == n_disputed > 0
    assert all(isinstance(p, Rectangle) and p.get_hatch() for p in stated)
    texts = [t.get_text() for t in ax.texts]
    osce = initiatives.set_index("initiative_id").loc["osce-smm"]
    assert f"essay: {osce['period']}" in texts
    assert "record: 2014-03-21 to 2022-03-31" in texts
    # the essay's "2014-Present" runs to the right edge as ongoing; the record stops
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    right = max(p.get_x() + p.get_width() for p in bars)
    assert any(p.get_x() + p.get_width() == right for p in stated)


def test_events_per_year_has_a_panel_per_actor_and_reference_lines(
    events: pd.DataFrame,
) -> None:
    fig = events_per_year(events)
    assert len(fig.axes) == 3
    # the years the record sweeps: the anchors before 2014 would take half the width
    kept = events[(events["verification"] != "disputed") & (events["date_start"] >= "2014-01-01")]
    assert fig.axes[0].get_xlim()[0] > 2013
    for ax, actor in zip(fig.axes, ["US", "RU", "UA"], strict=True):
        heights = [p.get_height() for p in ax.containers[0]]  # type: ignore[attr-defined]
        assert sum(heights) == sum(actor in a for a in kept["actors"])
        dashed = [line for line in ax.lines if line.get_linestyle() != "-"]
        assert len(dashed) == len(figures.KEY_DATES)
    top = [t.get_text() for t in fig.axes[0].texts]
    assert any("2014" in t for t in top)
    assert any("2022-02-24" in t for t in top)


# --- small hand-made tables -------------------------------------------------------------


def test_small_frames_without_disputes() -> None:
    small = _events(
        [
            ("2022-02-24", "military", ["RU", "UA"], "verified"),
            ("2025-02-12", "call", ["US", "RU"], "verified"),
            ("2025-03-11", "talks", ["US", "UA", "SA"], "unverified"),
        ]
    )
    fig = timeline(small)
    assert len(fig.axes) == 4
    assert DISPUTED_LABEL not in _legend_labels(fig)
    assert len(events_per_year(small).axes) == 3
    single = initiatives_periods(_initiative())
    assert len(single.axes) == 1
    assert DISPUTED_LABEL not in _legend_labels(single)
    assert "Disputed" not in alt_text("timeline", small)
    assert "1 talks unverified" not in alt_text("timeline", small)
    assert "1 event unverified" in alt_text("timeline", small)


def test_single_day_and_ongoing_initiatives() -> None:
    day = _initiative(
        period="2020-05-01",
        date_start=pd.Timestamp("2020-05-01"),
        date_end=pd.Timestamp("2020-05-01"),
        status="ended",
    )
    fig = initiatives_periods(day)
    assert "single date" in _legend_labels(fig)
    ongoing = _initiative(
        period="2020-01-01/Present", date_end=pd.NaT, status="ongoing", ongoing=True
    )
    fig = initiatives_periods(ongoing)
    ax = fig.axes[0]
    assert any(line.get_marker() == ">" for line in ax.lines)
    assert "ongoing (to date)" in _legend_labels(fig)


def test_empty_frames_still_give_a_figure(events: pd.DataFrame, initiatives: pd.DataFrame) -> None:
    assert isinstance(timeline(events.iloc[0:0]), Figure)
    assert isinstance(events_per_year(events.iloc[0:0]), Figure)
    assert isinstance(initiatives_periods(initiatives.iloc[0:0]), Figure)


# --- alt text ---------------------------------------------------------------------------


def test_alt_text_is_computed_from_the_data(
    events: pd.DataFrame, initiatives: pd.DataFrame
) -> None:
    text = alt_text("timeline", events)
    assert f"{len(events)} events" in text
    assert "October 2023" in text and "dotted arrow" not in text
    text = alt_text("initiatives", initiatives)
    assert f"{len(initiatives)} initiatives" in text
    assert "2014-03-21 to 2022-03-31" in text
    text = alt_text("events-per-year", events)
    years = f"2014–{events['date_start'].max().year}"  # the years the record sweeps
    assert years in text and "not counted" in text
    before = int((events["date_start"] < "2014-01-01").sum())
    assert f"{before} events before 2014, anchors outside the sweep, are not drawn" in text
    with pytest.raises(ValueError, match="unknown figure 'map'; choose one of timeline"):
        alt_text("map", events)


@pytest.mark.parametrize("name", list(FIGURES))
def test_each_figure_is_a_spec_whose_alt_text_describes_its_data(
    name: str, events: pd.DataFrame, initiatives: pd.DataFrame
) -> None:
    spec = FIGURES[name]
    assert isinstance(spec, FigureSpec)
    assert spec.name == name
    assert set(spec.tables) <= set(TABLES)
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.name = "renamed"  # type: ignore[misc]
    tables = {"events": events, "initiatives": initiatives, "claims": ukreport.load_claims()}
    data = figure_data(name, tables)
    text = spec.alt(data)
    assert text == alt_text(name, data)
    assert str(int(data["date_start"].max().year)) in text  # the latest year drawn
    assert spec.alt(data.iloc[0:0]) != text  # words from the data, not fixed


# --- files ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[Path]]:
    first = tmp_path_factory.mktemp("first")
    second = tmp_path_factory.mktemp("second")
    written = build_figures(first)
    build_figures(second)
    return first, second, written


def test_build_figures_writes_every_file(built: tuple[Path, Path, list[Path]]) -> None:
    first, _, written = built
    assert sorted(p.name for p in written) == FILES
    assert written[-1].name == "figures.json"  # the index comes last
    assert sorted(p.name for p in first.iterdir()) == FILES  # no temporary files left
    assert (first / "timeline.svg").read_bytes().startswith(b"<?xml")


def test_same_data_same_bytes(built: tuple[Path, Path, list[Path]]) -> None:
    first, second, _ = built
    different = [n for n in FILES if (first / n).read_bytes() != (second / n).read_bytes()]
    assert not different


def test_svg_has_no_date_and_ids_unique_across_figures(
    built: tuple[Path, Path, list[Path]],
) -> None:
    """Inlined in one page, the figures' ids must not collide (clip paths would)."""
    first, _, _ = built
    all_ids: list[str] = []
    for name in FIGURES:
        svg = (first / f"{name}.svg").read_text(encoding="utf-8")
        assert "<dc:date>" not in svg
        assert dt.date.today().isoformat() not in svg
        ids = re.findall(r'\bid="([^"]+)"', svg)
        assert ids and all(i.startswith(f"{name}-") for i in ids)
        refs = re.findall(r'(?:href="#|url\(#)([^")]+)', svg)
        assert refs and set(refs) <= set(ids), "a reference points nowhere"
        all_ids += ids
    assert len(all_ids) == len(set(all_ids)), "duplicate ids"


def test_figures_json_has_alt_text_for_each(built: tuple[Path, Path, list[Path]]) -> None:
    first, _, _ = built
    raw = (first / "figures.json").read_text(encoding="utf-8")
    assert raw.endswith("}\n")
    index = json.loads(raw)
    assert list(index) == sorted(FIGURES)
    for name, entry in index.items():
        assert entry["files"] == [f"{name}.svg"]
        assert len(entry["alt"]) > 40
    assert raw == json.dumps(index, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def test_save_renders_deterministically_with_any_caller_settings(
    tmp_path: Path, events: pd.DataFrame
) -> None:
    import matplotlib as mpl

    fig = events_per_year(events)
    expected = render(fig, "per-year")
    with mpl.rc_context({"svg.hashsalt": None, "font.family": "serif"}):
        assert render(fig, "per-year") == expected
    paths = save(fig, tmp_path / "out" / "per-year")
    assert [p.name for p in paths] == ["per-year.svg"]
    assert paths[0].read_bytes() == expected["svg"]


def test_png_on_request_has_no_software_or_time_chunk(events: pd.DataFrame) -> None:
    images = render(events_per_year(events), "per-year", formats=("png",))
    assert list(images) == ["png"]
    png = images["png"]
    assert png.startswith(b"\x89PNG") and b"Software" not in png and b"tIME" not in png


@pytest.mark.slow
def test_same_bytes_in_a_fresh_interpreter(
    built: tuple[Path, Path, list[Path]], tmp_path: Path
) -> None:
    """Hash randomisation and import order do not leak into the files."""
    first, _, _ = built
    code = (
        "import sys, pathlib, ukreport.report.figures as f; "
        "f.build_figures(pathlib.Path(sys.argv[1]))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-c", code, str(tmp_path)], check=True, env=env)
    different = [n for n in FILES if (first / n).read_bytes() != (tmp_path / n).read_bytes()]
    assert not different


def test_import_does_not_load_matplotlib() -> None:
    code = "import sys, ukreport.report.figures; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_key_dates_are_verified_rows_of_the_data() -> None:
    """A date drawn on a figure is one the data source; none is typed in unsourced."""
    from ukreport import load_events
    from ukreport.report.figures import KEY_DATES

    events = load_events()
    verified = events[(events["verification"] == "verified") & (events["date_precision"] == "day")]
    days = set(verified["date_start"].dt.strftime("%Y-%m-%d"))
    assert {day for day, _ in KEY_DATES} <= days


# --- data are text, never markup ----------------------------------------------------------

MARKUP = st.lists(
    st.sampled_from([*"$\\^_{}%#&~<>'\"aZ (|)", "\\foo", "\\alpha", "$$"]), max_size=12
).map("".join)


@settings(max_examples=15, deadline=None)
@given(
    st.lists(MARKUP.filter(lambda s: s.strip() != ""), min_size=1, max_size=3, unique=True),
    st.sampled_from(["verified", "disputed"]),
)
def test_text_from_the_data_is_drawn_literally(names: list[str], verification: str) -> None:
    """A name like ``Deal $x^2$ $\\alpha$`` is drawn as written, and ``$\\foo$`` does not
    stop the build: no text of a figure is read as mathematics, in any figure that
    draws text from the data, and the alt text carries it unchanged."""
    import matplotlib.text

    disputed = verification == "disputed"
    frame = pd.concat(
        [
            _initiative(
                initiative_id=f"i{i}",
                name=name,
                verification=verification,
                verified_period="2020-01-01/2021-12-31" if disputed else None,
                verified_date_start=pd.Timestamp("2020-01-01") if disputed else pd.NaT,
                verified_date_end=pd.Timestamp("2021-12-31") if disputed else pd.NaT,
            )
            for i, name in enumerate(names)
        ],
        ignore_index=True,
    )
    fig = initiatives_periods(frame)
    images = render(fig, "initiatives")  # drawing the text is where `$\foo$` failed
    assert images and all(images.values())
    texts = fig.findobj(matplotlib.text.Text)
    assert texts and not any(text.get_parse_math() for text in texts)
    drawn = " ".join(text.get_text().replace("\n", " ") for text in texts)
    alt = alt_text("initiatives", frame)
    for name in names:
        assert all(word in drawn for word in name.split())
        if disputed:  # the alt text names the disputed initiatives
            assert f"{name} is disputed" in alt


@pytest.mark.parametrize("name", ["Deal $x^2$ $\\alpha$", "$\\foo$"])
def test_make_figures_draws_a_mathtext_name(tmp_path: Path, name: str) -> None:
    initiatives = ukreport.load_initiatives()
    initiatives.loc[0, "name"] = name
    written = build_figures(tmp_path, initiatives=initiatives)
    index = json.loads((tmp_path / "figures.json").read_text(encoding="utf-8"))
    assert name in index["initiatives"]["alt"]
    assert len(written) == len(FILES)
