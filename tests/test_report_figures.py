"""The figures in the built HTML report: inline SVG with numbered captions, alt texts
that give numbers from the data, every mark that stands for events named or a link to
its row in the record, and nothing fetched from outside the file."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from helpers.essay import FIGURES
from helpers.html import by_id, text_of
from helpers.report import Report

pytestmark = pytest.mark.render


SVG = "{http://www.w3.org/2000/svg}"


def _tag(element: Any) -> str:
    """An element's name without its namespace ('' for a comment)."""
    return element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""


def _svg(report: Report, ident: str) -> Any:
    (svg,) = by_id(report.main, ident).cssselect("svg.figure")
    return svg


def test_figures_are_inline_svg_with_numbered_captions(report: Report) -> None:
    index = _figure_index(report)
    for ident, number in FIGURES.items():
        figure = by_id(report.main, ident)
        assert figure.tag == "figure"
        assert not figure.cssselect("img")
        svg = _svg(report, ident)
        assert svg.get("aria-label", "").strip()
        assert svg.attrib["aria-label"] == index[ident.removeprefix("fig-")]["alt"]
        built = (report.figures / f"{ident.removeprefix('fig-')}.svg").read_text("utf-8")
        # the drawing is the built file's: the same paths, in the same order
        paths = [p.get("d") for p in svg.iter() if _tag(p) == "path" and p.get("d")]
        root = ET.fromstring(built)
        assert paths == [p.get("d") for p in root.iter(f"{SVG}path") if p.get("d")]
        (caption,) = figure.cssselect("figcaption")
        assert text_of(caption).startswith(f"Figure {number}: "), text_of(caption)


def test_every_mark_for_events_is_a_link_to_the_record_or_named(report: Report) -> None:
    """The timeline's single events are links to their rows (named by their titles);
    the bars of the timeline and of the per-year chart are named by their counts."""
    events = report.frames["events"]
    ids = set(events["event_id"])
    timeline = _svg(report, "fig-timeline")
    assert timeline.get("role") == "group"
    links = [a for a in timeline.iter() if _tag(a) == "a"]
    assert links
    for link in links:
        href = link.get("{http://www.w3.org/1999/xlink}href") or link.get("xlink:href")
        assert href and href.startswith("record.html#") and href.split("#", 1)[1] in ids, href
        (title,) = [c for c in link if _tag(c) == "title"]
        assert (title.text or "").strip()
    for ident in ("fig-timeline", "fig-events-per-year"):
        svg = _svg(report, ident)
        named = [g for g in svg.iter() if (g.get("id") or "").startswith(f"{ident[4:]}-mark-")]
        assert named, ident
        for group in named:
            titles = [c for c in group if _tag(c) == "title"]
            links = [c for c in group.iter() if _tag(c) == "a"]
            assert titles or links, group.get("id")
            assert all(re.search(r"\d+ (of \d+ )?events?", t.text or "") for t in titles), ident


def _figure_index(report: Report) -> dict[str, Any]:
    index: dict[str, Any] = json.loads((report.figures / "figures.json").read_text("utf-8"))
    return index


def _alt(report: Report, ident: str) -> str:
    alt: str = _svg(report, ident).attrib["aria-label"]
    return alt


def test_alt_texts_give_numbers_from_the_data(report: Report) -> None:
    events, initiatives = report.frames["events"], report.frames["initiatives"]
    years = f"2014–{events['date_start'].max().year}"  # the years the record sweeps
    timeline = _alt(report, "fig-timeline")
    assert f"{len(events)} events" in timeline
    assert years in timeline
    assert f"{len(initiatives)} initiatives" in _alt(report, "fig-initiatives")
    per_year = _alt(report, "fig-events-per-year")
    counted = events[(events["verification"] != "disputed") & (events["date_start"] >= "2014")]
    for actor in ("US", "RU", "UA"):
        n = int(counted["actors"].map(lambda actors, a=actor: a in actors).sum())
        assert re.search(rf"\b{n}\b", per_year), (actor, n, per_year)


def test_nothing_is_loaded_from_outside(report: Report) -> None:
    for node in report.dom.iter("*"):
        for name in ("src", "srcset", "data"):
            if name in node.attrib:
                assert node.attrib[name].startswith("data:"), (node.tag, node.attrib[name][:80])
        if node.tag == "link":
            assert "stylesheet" not in node.get("rel", ""), dict(node.attrib)
