"""The essay's text in the built HTML report: every heading, paragraph and list item of
the original essay in its section, its copy edits, and references that are links."""

from __future__ import annotations

import pytest

from helpers.essay import ADDED_HEADINGS, FIGURES, HEADINGS, PARAGRAPHS, TABLES
from helpers.html import sections, text_of
from helpers.paths import ESSAY
from helpers.report import Report
from ukreport.report.render.document import parse

pytestmark = pytest.mark.render

# The first words of each list item of the essay, by section.
LIST_ITEMS: dict[str, list[str]] = {
    HEADINGS[0]: [
        "Clarity of Objectives: Are both nations aligned in their goals",
        "Trust and Transparency: Is there mutual assurance",
        "Engagement of Allies: How do these dialogues fit",
    ],
    HEADINGS[1]: [
        "Heightened diplomatic engagement among nations traditionally viewed as rivals.",
        "Increased pressure on leaders to prioritize diplomatic relations",
        "Potential shifts in global alliances, as countries reassess",
    ],
    HEADINGS[2]: [
        "Trust-Building: Establishing rapport between conflicting parties",
        "Mutual Benefits: Identifying common ground",
        "Long-Term Commitments: Ensuring that agreements are sustained",
    ],
    HEADINGS[3]: [
        "Regular High-Level Meetings: Establishing an ongoing schedule",
        "Joint Task Forces: Creating collaborative teams",
        "Public Diplomacy Initiatives: Strengthening cultural exchanges",
    ],
}

# The copy edits: what the essay has after them, and what the original had instead.
TYPOGRAPHY = [
    ("geopolitical dynamics, as the war", "dynamics,as"),
    ("its approach to Russia, particularly as", "Russia,particularly"),
    ("U.S.-Russia relations, and the potential", "relations,and"),
    ("finding common ground, the complexities", "ground,the"),
    ("for global security as a whole. As this story unfolds", "whole.As"),
    ("Trust-Building: Establishing", "trust-Building"),
    ("Mutual Benefits: Identifying", "Mutual benefits"),
]


def test_every_heading_of_the_essay_in_order(report: Report) -> None:
    headings = [text_of(h) for h in report.main.cssselect("h2")]
    for heading in HEADINGS + ADDED_HEADINGS:
        assert heading in headings, f"heading {heading!r} missing; have {headings}"
    order = [headings.index(h) for h in HEADINGS + ADDED_HEADINGS]
    assert order == sorted(order), headings
    appendices = [text_of(h) for h in report.main.cssselect("h2.appendix")]
    assert appendices == ADDED_HEADINGS[2:]  # the references are not an appendix
    assert text_of(report.dom.cssselect("title")[0]) == parse(ESSAY).meta["title"]


def test_every_paragraph_of_the_essay_in_its_section(report: Report) -> None:
    blocks = sections(report.main)
    for heading, paragraphs in PARAGRAPHS.items():
        texts = [text_of(b) for b in blocks[heading] if b.tag == "p"]
        for start, end in paragraphs:
            found = [t for t in texts if t.startswith(start)]
            assert len(found) == 1, f"no paragraph starting {start!r} under {heading!r}"
            assert found[0].endswith(end), found[0]


def test_every_list_item_of_the_essay_in_its_section(report: Report) -> None:
    blocks = sections(report.main)
    for heading, items in LIST_ITEMS.items():
        lists = [b for b in blocks[heading] if b.tag == "ul"]
        assert len(lists) == 1, f"{len(lists)} lists under {heading!r}"
        shown = [text_of(li) for li in lists[0].cssselect("li")]
        assert len(shown) == len(items), shown
        for phrase, text in zip(items, shown, strict=True):
            assert text.startswith(phrase), (phrase, text)


def test_typography_is_fixed(report: Report) -> None:
    text = text_of(report.main)
    for fixed, original in TYPOGRAPHY:
        assert fixed in text
        assert original not in text


def test_references_are_links_to_tables_and_figures(report: Report) -> None:
    links = {(a.get("href"), text_of(a)) for a in report.main.cssselect("a")}
    for ident, (number, _, _) in TABLES.items():
        assert (f"#{ident}", f"Table {number}") in links
    for ident, number in FIGURES.items():
        assert (f"#{ident}", f"Figure {number}") in links
    text = text_of(report.main)
    assert "@tbl-" not in text
    assert "@fig-" not in text
