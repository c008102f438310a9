"""The figures in the built HTML report: embedded as SVG with numbered captions and alt
texts that give numbers from the data, and nothing fetched from outside the file."""

from __future__ import annotations

import base64
import json
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from helpers.essay import FIGURES
from helpers.html import by_id, text_of
from helpers.report import Report

pytestmark = pytest.mark.render


def test_figures_are_embedded_with_numbered_captions(report: Report) -> None:
    index = _figure_index(report)
    for ident, number in FIGURES.items():
        figure = by_id(report.main, ident)
        assert figure.tag == "figure"
        (img,) = figure.cssselect("img")
        src = img.attrib["src"]
        assert src.startswith("data:image/svg+xml;base64,"), src[:60]
        svg = base64.b64decode(src.split(",", 1)[1]).decode("utf-8")
        built = (report.figures / f"{ident.removeprefix('fig-')}.svg").read_text("utf-8")
        assert ET.canonicalize(svg, strip_text=True) == ET.canonicalize(built, strip_text=True)
        (caption,) = figure.cssselect("figcaption")
        assert text_of(caption).startswith(f"Figure {number}: "), text_of(caption)
        assert img.get("alt", "").strip()
        assert img.attrib["alt"] == index[ident.removeprefix("fig-")]["alt"]


def _figure_index(report: Report) -> dict[str, Any]:
    index: dict[str, Any] = json.loads((report.figures / "figures.json").read_text("utf-8"))
    return index


def _alt(report: Report, ident: str) -> str:
    (img,) = by_id(report.main, ident).cssselect("img")
    alt: str = img.attrib["alt"]
    return alt


def test_alt_texts_give_numbers_from_the_data(report: Report) -> None:
    events, initiatives = report.frames["events"], report.frames["initiatives"]
    years = f"{events['date_start'].min().year}–{events['date_start'].max().year}"
    timeline = _alt(report, "fig-timeline")
    assert f"{len(events)} events" in timeline
    assert years in timeline
    assert f"{len(initiatives)} initiatives" in _alt(report, "fig-initiatives")
    per_year = _alt(report, "fig-events-per-year")
    counted = events[events["verification"] != "disputed"]
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
