"""The built PDF report, read with pypdf as a viewer would: the essay's headings, table
values and paragraphs, every font embedded, and its metadata."""

from __future__ import annotations

import pytest

from helpers.essay import ADDED_HEADINGS, HEADINGS, PARAGRAPHS, TABLES
from helpers.paths import ESSAY
from helpers.pdf import fonts
from helpers.report import Report
from ukreport.report.render.document import parse

pytestmark = pytest.mark.render


def test_pdf_has_the_headings_and_table_values(report: Report) -> None:
    for heading in HEADINGS + ADDED_HEADINGS:
        assert heading in report.pdf_text, heading
    for _, header, rows in TABLES.values():
        for value in header + [cell for row in rows for cell in row]:
            assert value in report.pdf_text, value
    for _, end in (pair for pairs in PARAGRAPHS.values() for pair in pairs):
        assert end in report.pdf_text, end


def test_pdf_embeds_every_font(report: Report) -> None:
    used = fonts(report.pdf)
    assert used
    missing = [f"page {font.page}: {font.name}" for font in used if not font.embedded]
    assert not missing, f"fonts not embedded: {missing}"


def test_pdf_metadata_and_length(report: Report) -> None:
    assert report.pdf.metadata is not None
    assert report.pdf.metadata.title == parse(ESSAY).meta["title"]
    assert len(report.pdf.pages) > 5
