"""The printed record: every event, by year, with its source, as a tagged archival PDF."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from collections import Counter

import pytest
from pypdf import PdfReader

from helpers.paths import ROOT
from helpers.pdf import pdf_text
from helpers.record import SCRIPT, TYPST, hostile_raw, package
from ukreport.report.record.printed import printed_record, typst_data
from ukreport.report.record.rows import Record, read_record

pytestmark = pytest.mark.render

PROCESSED = ROOT / "data" / "processed"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"


@pytest.fixture(scope="module")
def record() -> Record:
    return read_record(PROCESSED)


@pytest.fixture(scope="module")
def printed(record: Record) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(printed_record(record)))
    return reader, pdf_text(reader)


def _flat(text: str) -> str:
    """The text without the breaks a line, a hyphenation or a page (its running
    header: "74 / 95The record: …, version 0.2.0 current to 2026-11-26") put in it."""
    text = re.sub(r"\d+ / \d+\s*The record: [^\n]*? current to \d{4}-\d{2}-\d{2}", "", text)
    return re.sub(r"\s+", "", text)


def test_every_event_is_printed_once_with_its_source(
    record: Record, printed: tuple[PdfReader, str]
) -> None:
    _, text = printed
    flat = _flat(text)
    events = record.tables["events"]
    for event in events:
        assert event.source is not None
        assert _flat(event.id) in flat, event.id
        assert _flat(event.source.url) in flat, event.source.url
    # One entry per event: each entry's head line is "<date> · <kind> · <id>".
    heads = Counter(re.findall(r"^\S.* · ([a-z0-9][a-z0-9-]*) ?$", text, re.MULTILINE))
    assert {event.id: heads[event.id] for event in events} == {event.id: 1 for event in events}
    assert len(events) == 515


def test_events_are_grouped_by_year_with_their_count(
    record: Record, printed: tuple[PdfReader, str]
) -> None:
    _, text = printed
    years = Counter(event.start[:4] for event in record.tables["events"])
    for year, count in years.items():
        assert f"{year} ({count})" in text
    data = typst_data(record)
    assert [group["year"] for group in data["years"]] == sorted(years)
    assert sum(len(group["events"]) for group in data["years"]) == len(record.tables["events"])


def test_initiatives_and_claims_are_printed(record: Record, printed: tuple[PdfReader, str]) -> None:
    _, text = printed
    flat = _flat(text)
    for name in ("initiatives", "cooperation", "claims"):
        for row in record.tables[name]:
            assert _flat(row.id) in flat, row.id


def test_the_pdf_is_tagged_archival_and_titled(printed: tuple[PdfReader, str]) -> None:
    reader, _ = printed
    xmp = ET.fromstring(reader.trailer["/Root"]["/Metadata"].get_object().get_data())
    claims = {}
    for description in xmp.iter(f"{RDF}Description"):
        for key, value in description.attrib.items():
            claims[key.split("}")[-1]] = value
        for child in description:
            if child.text and child.text.strip():
                claims[child.tag.split("}")[-1]] = child.text.strip()
    assert claims.get("part") in {"2", "1"}
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en"
    assert reader.metadata is not None
    assert reader.metadata.title == "The record: US–Russia–Ukraine diplomacy"


def test_markup_in_the_data_is_printed_as_text(tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("hostile-printed")
    record = read_record(package(hostile_raw(folder / "raw"), folder / "processed"))
    pdf = printed_record(record)
    reader = PdfReader(io.BytesIO(pdf))
    flat = _flat(pdf_text(reader))
    assert _flat(TYPST) in flat
    assert _flat(SCRIPT) in flat
    assert reader.pages[0].mediabox.width > 500  # "#set page(width: 1cm)" did not act
    assert printed_record(record) == pdf


def test_evidence_links_go_to_their_rows(record: Record, printed: tuple[PdfReader, str]) -> None:
    """Each id in a claim's evidence, and each claim an entry is evidence for, is a link
    inside the PDF (typst refuses a link to an id no entry carries)."""
    reader, _ = printed
    inside = [
        annotation
        for page in reader.pages
        for annotation in (a.get_object() for a in page.get("/Annots") or [])
        if annotation.get("/Subtype") == "/Link" and "/URI" not in annotation.get("/A", {})
    ]
    links = sum(len(claim.links) for claim in record.tables["claims"])
    links += sum(len(claims) for claims in record.evidence_for.values())
    assert links > 0
    assert len(inside) >= links  # a link that wraps is one annotation per line
