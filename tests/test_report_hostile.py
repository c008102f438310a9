"""Hostile text in the data: markup for HTML, Markdown and Typst in the essay's disputed
Trump row reaches the built HTML and PDF as literal text and makes no markup (the
``hostile_report`` fixture in conftest.py)."""

from __future__ import annotations

import re

import pytest
from lxml.html import HtmlElement

from helpers.html import blocks_after, by_id, text_of
from helpers.report import (
    CLASHING,
    HOSTILE_NOTE,
    HOSTILE_THEME,
    HOSTILE_TITLE,
    TRUMP_ROW,
    Report,
    correction_note,
)

# One worker builds the hostile report and runs these; the other is not left waiting.
pytestmark = [pytest.mark.render, pytest.mark.xdist_group("hostile-report")]


def _hostile_row(report: Report) -> HtmlElement:
    """The row of the essay's first table that holds the hostile text."""
    (row,) = [
        tr
        for tr in by_id(report.main, "tbl-interactions").cssselect("tr")
        if "Donald Trump" in text_of(tr)
    ]
    return row


def test_hostile_text_is_shown_literally_in_html(hostile_report: Report) -> None:
    html = hostile_report.html_source
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    cells = [text_of(td) for td in _hostile_row(hostile_report).cssselect("td")]
    assert cells[2] == HOSTILE_THEME
    note = correction_note(hostile_report.main, "tbl-interactions")
    assert note is not None
    assert HOSTILE_THEME in text_of(note)
    assert HOSTILE_NOTE in text_of(note)


def test_hostile_text_makes_no_markup_in_html(hostile_report: Report) -> None:
    html = hostile_report.html_source
    assert not re.search(r"<img\s+src=x", html, re.IGNORECASE)
    assert not re.search(r"<script[^>]*>\s*alert", html, re.IGNORECASE)
    for node in hostile_report.dom.iter("*"):
        assert not any(name.startswith("on") for name in node.attrib), (node.tag, node.attrib)
        href = node.get("href", "")
        assert not re.sub(r"\s", "", href).lower().startswith("javascript:"), href
    for tag in ("strong", "b", "em", "code"):
        assert "bold" not in {text_of(n) for n in hostile_report.main.cssselect(tag)}
        assert "code" not in {text_of(n) for n in hostile_report.main.cssselect(tag)}
    assert not hostile_report.main.cssselect(".math")
    note = correction_note(hostile_report.main, "tbl-interactions")
    assert note is not None
    assert not [a for a in note.cssselect("a") if a.get("href") == "#fig-timeline"]
    # the row's one link is the one the report makes, to the row in the record
    links = [a.get("href") for a in _hostile_row(hostile_report).cssselect("a")]
    assert links == [f"record.html#{TRUMP_ROW}"]


def test_hostile_text_is_shown_literally_in_pdf(hostile_report: Report) -> None:
    for text in (HOSTILE_THEME, HOSTILE_NOTE, "#set page(width: 1cm)", "$x$", "**bold**"):
        assert text in hostile_report.pdf_text, text
    assert len(hostile_report.pdf.pages) > 5
    for number, page in enumerate(hostile_report.pdf.pages, 1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert width > 500, f"page {number} is {width} pt wide"
        assert height > 700, f"page {number} is {height} pt high"


def test_hostile_claim_stays_inside_its_json_ld(hostile_report: Report) -> None:
    """The claim quoting the hostile row (with ``</script>`` and ``<!--``) is one JSON
    string in its ClaimReview: no script element ends early or starts, and every
    JSON-LD block still parses, holding the text exactly."""
    from helpers.jsonld import blocks, claim_review_problems, of_type

    html = hostile_report.html_source
    scripts = re.findall(r"<script\b[^>]*>", html, re.IGNORECASE)
    assert scripts and set(scripts) == {'<script type="application/ld+json">'}
    assert len(scripts) == len(re.findall(r"</script\s*>", html, re.IGNORECASE))
    from ukreport.report.render.jsonld import REVIEWED

    rated = hostile_report.frames["claims"]["verdict"].isin(REVIEWED)
    assert len(blocks(hostile_report.dom)) == int(rated.sum()) + 1
    reviews = {r["claimReviewed"]: r for r in of_type(hostile_report.dom, "ClaimReview")}
    review = reviews[f"October 2023, Donald Trump, {HOSTILE_THEME}"]
    assert review["reviewRating"]["ratingExplanation"] == HOSTILE_NOTE
    assert not claim_review_problems(review, addressed=False)
    head = html[: html.index("</head>")]
    assert "</script><!--" not in head and "<!--" not in head


def _entry(report: Report, url: str) -> HtmlElement:
    """The essay's reference list entry of the page at ``url``."""
    (entry,) = [
        e
        for e in report.main.cssselect("#refs .csl-entry")
        if url in [a.get("href") for a in e.cssselect("a")]
    ]
    return entry


def test_a_hostile_page_title_is_printed_not_applied(hostile_report: Report) -> None:
    """The title of the Trump row's page is cited as its characters (in the style's
    title case) in the HTML and the PDF, and formats nothing."""
    entry = _entry(hostile_report, CLASHING[0])
    assert HOSTILE_TITLE.casefold() in text_of(entry).casefold()
    assert not entry.cssselect("b, strong, i, sup, code, .math")
    assert [a.get("href") for a in entry.cssselect("a")] == [CLASHING[0]]
    unspaced = re.sub(r"\s", "", hostile_report.pdf_text).casefold()
    assert re.sub(r"\s", "", HOSTILE_TITLE).casefold() in unspaced


def test_pages_whose_keys_clash_are_each_cited_by_their_rows(hostile_report: Report) -> None:
    """The Trump and Biden rows' pages share ``reuters.com-29a09274``: both are listed,
    each under its own key, and the table's sources cite each."""
    ids = {url: str(_entry(hostile_report, url).get("id")) for url in CLASHING}
    assert len(set(ids.values())) == 2
    assert all(i.startswith("ref-reuters.com-29a09274") for i in ids.values()), ids
    provenance = next(
        block
        for block in blocks_after(hostile_report.main, "tbl-interactions")
        if "provenance" in block.classes
    )
    cited = [a.get("href") for a in provenance.cssselect(".citation a")]
    for url in CLASHING:
        assert f"#{ids[url]}" in cited, (url, cited)
