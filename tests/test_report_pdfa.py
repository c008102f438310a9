"""The PDF is archival and accessible: it claims PDF/A-2a and PDF/UA-1 in its XMP
metadata, and has what the claim promises, read back with pypdf — a colour profile,
a tagged logical structure (headings, tables, figures with their alt text), the
document's language and title; an image without alt text stops the build."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, BooleanObject, DictionaryObject

from helpers.paths import ASSETS, ESSAY
from helpers.report import Report
from ukreport.errors import RenderError
from ukreport.report.figures import FIGURES
from ukreport.report.render import render
from ukreport.report.render.document import parse

pytestmark = pytest.mark.render

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "dc": "http://purl.org/dc/elements/1.1/",
}


def _xmp(reader: PdfReader) -> ET.Element:
    metadata = reader.trailer["/Root"]["/Metadata"].get_object()
    return ET.fromstring(metadata.get_data())


def _claim(xmp: ET.Element, name: str) -> str:
    """A property of the XMP packet, written as an element or as an attribute."""
    prefix, local = name.split(":")
    for description in xmp.iter(f"{{{NS['rdf']}}}Description"):
        value = description.get(f"{{{NS[prefix]}}}{local}")
        if value is not None:
            return value
        element = description.find(name, NS)
        if element is not None and element.text:
            return element.text.strip()
    raise AssertionError(f"XMP metadata has no {name}")


def _flag(value: object) -> bool:
    """A PDF boolean as Python's (pypdf's BooleanObject is truthy even when false)."""
    return isinstance(value, BooleanObject) and value.value is True


def _structure(node: Any) -> Iterator[DictionaryObject]:
    """Every structure element under ``node``, depth first."""
    kids = node.get("/K")
    if kids is None:
        return
    for kid in kids if isinstance(kids, ArrayObject) else [kids]:
        element = kid.get_object()
        if isinstance(element, DictionaryObject) and "/S" in element:
            yield element
            yield from _structure(element)


def test_pdf_claims_pdfa_2a_and_pdfua_1(report: Report) -> None:
    xmp = _xmp(report.pdf)
    assert _claim(xmp, "pdfaid:part") == "2"
    assert _claim(xmp, "pdfaid:conformance") == "A"
    assert _claim(xmp, "pdfuaid:part") == "1"
    title = xmp.find(".//dc:title//rdf:li", NS)
    assert title is not None and title.text == parse(ESSAY).meta["title"]
    assert report.pdf.pdf_header == "%PDF-1.7"  # PDF/A-2 is based on PDF 1.7


def test_pdf_has_an_output_intent_with_a_colour_profile(report: Report) -> None:
    (intent,) = [i.get_object() for i in report.pdf.trailer["/Root"]["/OutputIntents"]]
    assert intent["/S"] == "/GTS_PDFA1"
    profile = intent["/DestOutputProfile"].get_object()
    assert profile["/N"] == 3  # an RGB profile, for the RGB colours the pages use
    assert profile.get_data()[36:40] == b"acsp"  # the ICC profile signature


def test_pdf_is_tagged_with_language_and_title_shown(report: Report) -> None:
    root = report.pdf.trailer["/Root"]
    assert _flag(root["/MarkInfo"]["/Marked"])
    assert not _flag(root["/MarkInfo"].get("/Suspects"))
    assert root["/Lang"] == parse(ESSAY).meta.get("lang", "en")
    assert _flag(root["/ViewerPreferences"]["/DisplayDocTitle"])


def test_pdf_structure_has_headings_tables_and_figures_with_alt_text(report: Report) -> None:
    tree = report.pdf.trailer["/Root"]["/StructTreeRoot"].get_object()
    elements = list(_structure(tree))
    roles = Counter(str(e["/S"]) for e in elements)
    assert roles["/H1"] + roles["/H2"] >= 8, roles
    assert roles["/Table"] >= 4 and roles["/TH"] and roles["/TD"], roles
    assert roles["/P"] > 50, roles
    figures = [e for e in elements if e["/S"] == "/Figure"]
    alts = {str(e.get("/Alt", "")) for e in figures}
    built = report.figures / "figures.json"
    index = json.loads(built.read_text(encoding="utf-8"))
    for name in FIGURES:
        if name in index:
            assert index[name]["alt"] in alts, f"figure {name}: its alt text is not in the PDF"
    assert all(alts), "a figure without alt text"


def test_image_without_alt_text_stops_the_pdf(tmp_path: Path) -> None:
    svg = tmp_path / "dot.svg"
    svg.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4">'
        '<rect width="4" height="4"/></svg>',
        encoding="utf-8",
    )
    source = tmp_path / "doc.qmd"
    source.write_text(
        '---\ntitle: "No alt"\n---\n\nA dot: ![](dot.svg) and an equation $x^2$.\n',
        encoding="utf-8",
    )
    with pytest.raises(RenderError, match=r"(?s)missing alt text.*PDF/A-2a and PDF/UA-1"):
        render(source, tmp_path / "out", formats=["pdf"], assets=ASSETS, cache=False)
    assert not (tmp_path / "out" / "doc.pdf").exists()
    source.write_text(
        '---\ntitle: "With alt"\n---\n\nA dot: ![](dot.svg){alt="A black square"} and $x^2$.\n',
        encoding="utf-8",
    )
    (pdf,) = render(source, tmp_path / "out", formats=["pdf"], assets=ASSETS, cache=False)
    figures = [
        e
        for e in _structure(PdfReader(pdf).trailer["/Root"]["/StructTreeRoot"].get_object())
        if e["/S"] in ("/Figure", "/Formula")
    ]
    assert {str(e.get("/Alt")) for e in figures} == {"A black square", "x^2"}
