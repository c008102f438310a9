"""End-to-end tests of the report: raw data → processed → figures → essay.html + essay.pdf.

Each module-scoped fixture runs the whole pipeline once, into a temporary folder, on
the real ``reports/essay.qmd``: once with the real ``data/raw`` and once with the same
data carrying hostile text in the essay's disputed Trump row. The tests then read the
HTML (parsed with lxml) and the PDF (with pypdf) as a reader would.
"""

from __future__ import annotations

import base64
import csv
import json
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pandas as pd
import pytest
from lxml.html import HtmlElement
from pypdf import PdfReader

import ukreport
from helpers.html import (
    blocks_after,
    by_id,
    parse_html,
    section_text,
    sections,
    table_cells,
    text_of,
)
from helpers.paths import ROOT
from helpers.tables import edit_table, read_rows, set_cell
from helpers.text import flat
from ukreport import datasets, schemas
from ukreport.process import process
from ukreport.report.figures import build_figures
from ukreport.report.render import render
from ukreport.report.render.document import parse
from ukreport.validate import validate

pytestmark = pytest.mark.render

ESSAY = ROOT / "reports" / "essay.qmd"
RAW = ROOT / "data" / "raw"

# -- what the essay says (the original, copy-edited for typography only) -----------------

HEADINGS = [
    "Assessment of US-Russia Dialogue on Ukraine Conflict",
    "Implications of Productive Talks for Global Security",
    "Evaluating the Role of Diplomatic Engagement in Conflict Resolution",
    "Strategies for Sustaining Momentum in US-Russia Relations",
    "Insights and Conclusions",
]
ADDED_HEADINGS = ["Data and methods", "Appendix A: Sources", "Appendix B: Codebook"]

# Each section of the essay (None: before the first heading), with the first and last
# words of each of its paragraphs and the first words of each of its list items.
PARAGRAPHS: dict[str | None, list[tuple[str, str]]] = {
    None: [
        (
            "In a recent statement that has garnered global attention",
            "the potential pathways for resolution in the Ukraine conflict.",
        )
    ],
    HEADINGS[0]: [
        (
            "Recent developments highlighted by former President Donald Trump",
            "effectiveness in influencing actual outcomes on the ground.",
        ),
        ("Evaluating the substance of the US-Russia communications", "several key factors:"),
        ("To further illustrate the current state of affairs", "key figures involved:"),
    ],
    HEADINGS[1]: [
        (
            "The recent dialogue between the United States and Russia",
            "such as arms control and counterterrorism.",
        ),
        (
            "Moreover, the potential outcomes of these discussions",
            "several key consequences, including:",
        ),
        (
            "Understanding the intricacies of such negotiations",
            "a collective commitment to peace over the cycle of conflict.",
        ),
    ],
    HEADINGS[2]: [
        (
            "Diplomatic engagements have increasingly surfaced",
            "that might ultimately lead to pacification.",
        ),
        (
            "Moreover, effective diplomatic efforts often rely",
            "Critical components of this process include:",
        ),
        ("A table summarizing some prominent diplomatic initiatives", "such engagements:"),
    ],
    HEADINGS[3]: [
        (
            "Maintaining momentum in the complex landscape of US-Russia relations",
            "leaders should prioritize the following strategies:",
        ),
        (
            "In addition to dialogue, economic incentives",
            "Consider the following approaches:",
        ),
    ],
    HEADINGS[4]: [
        (
            "The recent discussions between President Donald Trump and Russian President",
            "the stakes are high and the path forward remains uncertain.",
        )
    ],
}
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

# The essay's tables: id → (number, header, rows), with the marks † ‡ left out.
TABLES: dict[str, tuple[int, list[str], list[list[str]]]] = {
    "tbl-interactions": (
        1,
        ["Date", "Participant", "Key theme"],
        [
            ["October 2023", "Donald Trump", "Productive Talks with Putin"],
            ["September 2023", "Joe Biden", "Support for Ukraine"],
            ["August 2023", "Vladimir Putin", "Call for Diplomatic Resolution"],
        ],
    ),
    "tbl-initiatives": (
        2,
        ["Initiative", "Year", "Outcome"],
        [
            ["Minsk Agreements", "2014-2015", "Ceasefire efforts, reduced hostilities"],
            ["Normandy Format Talks", "2014", "Increased diplomatic pressure on parties"],
            [
                "OSCE Monitoring Missions",
                "2014-Present",
                "Ongoing observation of ceasefire compliance",
            ],
        ],
    ),
    "tbl-cooperation": (
        3,
        ["Area of Cooperation", "Potential Benefits"],
        [
            [
                "Energy Sector",
                "Joint investments in energy projects can lead to increased energy security.",
            ],
            [
                "Cybersecurity",
                "Collaborative efforts can mitigate risks and build resilience against threats.",
            ],
            [
                "Trade Agreements",
                "Enhanced trade relations can spur economic growth and create jobs.",
            ],
        ],
    ),
}
TABLE_SECTIONS = {
    "tbl-interactions": HEADINGS[0],
    "tbl-initiatives": HEADINGS[2],
    "tbl-cooperation": HEADINGS[3],
}
# Which dataset each essay table is built from, and which of its columns a dispute is about.
TABLE_DATA = {
    "tbl-interactions": ("events", "date", "verified_date"),
    "tbl-initiatives": ("initiatives", "period", "verified_period"),
    "tbl-cooperation": ("cooperation", "area", None),
}
# The corrections the record requires: what the notes must give.
CORRECTIONS = {
    "tbl-interactions": ["12 February 2025", "16 October 2025", "28 December 2025"],
    "tbl-initiatives": ["2014-03-21/2022-03-31", "2014-06-06/2022-02-10"],
}
FIGURES = {"fig-coverage": 1, "fig-timeline": 2, "fig-initiatives": 3, "fig-events-per-year": 4}
NOTE_TITLE = "Where the record differs"
MARKS = " †‡§"

# -- the pipeline, once per module ---------------------------------------------------------


@dataclass
class Report:
    html_source: str
    dom: HtmlElement
    main: HtmlElement
    pdf: PdfReader
    pdf_text: str
    frames: dict[str, pd.DataFrame]
    processed: Path
    figures: Path


def build_report(raw: Path, out: Path) -> Report:
    """process → build_figures → render, with the kernel reading this run's data."""
    processed, figures, build = out / "processed", out / "figures", out / "build"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("UKREPORT_DATA_DIR", str(processed))
        mp.setenv("UKREPORT_FIGURES_DIR", str(figures))
        process(raw, processed)
        build_figures(figures)
        render(ESSAY, build)
        frames = {t: datasets.load(t) for t in schemas.TABLES}
    html_source = (build / "essay.html").read_text(encoding="utf-8")
    dom = parse_html(html_source)
    (main,) = dom.cssselect("main")
    pdf = PdfReader(build / "essay.pdf")
    pdf_text = flat("\n".join(page.extract_text() for page in pdf.pages))
    return Report(html_source, dom, main, pdf, pdf_text, frames, processed, figures)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    return build_report(RAW, tmp_path_factory.mktemp("report"))


def essay_rows(frames: dict[str, pd.DataFrame], ident: str) -> pd.DataFrame:
    table = TABLE_DATA[ident][0]
    frame = frames[table]
    cited = frame["essay_cited"] if "essay_cited" in frame else frame["essay_context"] == "table"
    return frame[cited]


# -- the essay's text ------------------------------------------------------------------------


def test_every_heading_of_the_essay_in_order(report: Report) -> None:
    headings = [text_of(h) for h in report.main.cssselect("h2")]
    for heading in HEADINGS + ADDED_HEADINGS:
        assert heading in headings, f"heading {heading!r} missing; have {headings}"
    order = [headings.index(h) for h in HEADINGS + ADDED_HEADINGS]
    assert order == sorted(order), headings
    appendices = [text_of(h) for h in report.main.cssselect("h2.appendix")]
    assert appendices == ADDED_HEADINGS[1:]
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


# -- the essay's tables ----------------------------------------------------------------------


def test_tables_hold_the_essay_rows_in_their_sections(report: Report) -> None:
    blocks = sections(report.main)
    for ident, (_, header, rows) in TABLES.items():
        table = by_id(report.main, ident)
        assert table.tag == "table"
        assert table in blocks[TABLE_SECTIONS[ident]], f"{ident} not under its heading"
        assert table_cells(table, strip=MARKS) == (header, rows)


def test_table_captions_are_numbered(report: Report) -> None:
    for ident, (number, _, _) in TABLES.items():
        captions = by_id(report.main, ident).cssselect("caption")
        assert len(captions) == 1
        assert text_of(captions[0]).startswith(f"Table {number}: "), text_of(captions[0])


def test_references_are_links_to_tables_and_figures(report: Report) -> None:
    links = {(a.get("href"), text_of(a)) for a in report.main.cssselect("a")}
    for ident, (number, _, _) in TABLES.items():
        assert (f"#{ident}", f"Table {number}") in links
    for ident, number in FIGURES.items():
        assert (f"#{ident}", f"Figure {number}") in links
    text = text_of(report.main)
    assert "@tbl-" not in text
    assert "@fig-" not in text


def _verdicts(frames: dict[str, pd.DataFrame]) -> dict[str, str]:
    claims = frames["claims"]
    judged = claims[claims["essay_row"].notna()]
    return dict(zip(judged["essay_row"], judged["verdict"], strict=True))


def test_disputed_cells_are_marked(report: Report) -> None:
    expected = {
        "tbl-interactions": {"October 2023"},
        "tbl-initiatives": {"2014-Present"},
        "tbl-cooperation": set(),
    }
    verdicts = _verdicts(report.frames)
    for ident, (table, column, _) in TABLE_DATA.items():
        rows = essay_rows(report.frames, ident)
        key = rows[schemas.ID_COLUMNS[table]]
        disputed = set(rows.loc[key.map(verdicts) == "disputed", column])
        spans = by_id(report.main, ident).cssselect("span.disputed")
        assert {text_of(s).rstrip(MARKS) for s in spans} == disputed == expected[ident]
        for span in spans:
            assert text_of(span).endswith("†")


def test_partly_supported_rows_are_marked(report: Report) -> None:
    verdicts = _verdicts(report.frames)
    for ident, (table, _, _) in TABLE_DATA.items():
        rows = essay_rows(report.frames, ident)
        partly = set(
            rows.loc[
                rows[schemas.ID_COLUMNS[table]].map(verdicts) == "partly supported",
                schemas.ID_COLUMNS[table],
            ]
        )
        first_cells = [
            text_of(tr.cssselect("td")[0])
            for tr in by_id(report.main, ident).cssselect("tr")
            if tr.cssselect("td")
        ]
        assert sum(cell.endswith("§") for cell in first_cells) == len(partly), ident


def _note(main: HtmlElement, ident: str) -> HtmlElement | None:
    notes = [
        block
        for block in blocks_after(main, ident)
        if "disputed" in block.classes and NOTE_TITLE in text_of(block)
    ]
    assert len(notes) <= 1
    return notes[0] if notes else None


def test_corrections_follow_their_tables(report: Report) -> None:
    """Each claim about an essay row that the record does not simply support gets its
    verdict, its reasoning and every row of its evidence, linked to the row's source."""
    claims = report.frames["claims"]
    record = {
        row[schemas.ID_COLUMNS[t]]: row
        for t in schemas.SOURCED_TABLES
        for row in report.frames[t].to_dict("records")
    }
    for ident, (table, _, verified_column) in TABLE_DATA.items():
        rows = essay_rows(report.frames, ident)
        mine = claims[claims["essay_row"].isin(rows[schemas.ID_COLUMNS[table]])]
        differs = mine[mine["verdict"] != "supported"]
        note = _note(report.main, ident)
        if differs.empty:
            assert note is None, f"a correction after {ident}, whose claims are all supported"
            continue
        assert note is not None, f"no {NOTE_TITLE!r} between {ident} and the next heading"
        text = text_of(note)
        hrefs = {unquote(a.attrib["href"]) for a in note.cssselect("a")}
        for value in CORRECTIONS.get(ident, []):
            assert value in text
        for claim in differs.to_dict("records"):
            assert flat(claim["reasoning"]) in text
            assert {"disputed": "Disputed", "partly supported": "Partly supported",
                    "unverified": "Unverified"}[claim["verdict"]] in text  # fmt: skip
            for ident_ in claim["evidence"]:
                if ident_ != claim["essay_row"]:
                    assert unquote(record[ident_]["source_url"]) in hrefs, ident_
            row = record[claim["essay_row"]]
            if verified_column and isinstance(row.get(verified_column), str):
                assert row[verified_column] in text
                assert unquote(row["verified_source_url"]) in hrefs


def test_claims_table_gives_every_claim_and_verdict(report: Report) -> None:
    claims = report.frames["claims"]
    header, rows = table_cells(by_id(report.main, "tbl-claims"), strip=MARKS)
    assert header == ["The essay says", "Section", "Verdict", "Evidence"]
    assert len(rows) == len(claims)
    for row, claim in zip(rows, claims.to_dict("records"), strict=True):
        assert flat(row[0]).strip("“”") == flat(claim["quote"].replace(" | ", ", "))
        assert row[1] == claim["section"]
        assert row[2].lower() == claim["verdict"]


def test_every_recorded_productive_occasion_is_listed(report: Report) -> None:
    events = report.frames["events"].set_index("event_id")
    claims = report.frames["claims"].set_index("claim_id")
    occasions = events.loc[claims.loc["trump-announced-productive-talks", "evidence"]]
    text = section_text(report.main, "What the record shows")
    assert f"It holds {len(occasions)} occasions" in text
    for when in occasions["date_start"]:
        assert when.strftime("%-d %B %Y") in text


def test_the_coverage_window_is_the_datas(report: Report) -> None:
    events = report.frames["events"]
    read = max(report.frames[t]["accessed"].max() for t in schemas.SOURCED_TABLES)
    window = (
        f"events from 1 January 2014 to {events['date_start'].max().strftime('%-d %B %Y')}, "
        f"read on {read.strftime('%-d %B %Y')}"
    )
    text = section_text(report.main, "Data and methods")
    assert f"The record covers {window}" in text
    shows = section_text(report.main, "What the record shows")
    assert f"Within the window ({window})" in shows


# -- figures ---------------------------------------------------------------------------------


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


# -- computed values and appendices ------------------------------------------------------------


def test_data_and_methods_states_counts_from_the_data(report: Report) -> None:
    events, initiatives, cooperation = (report.frames[t] for t in schemas.SOURCED_TABLES)
    sourced = {t: report.frames[t] for t in schemas.SOURCED_TABLES}
    text = section_text(report.main, "Data and methods")
    (n_events,) = re.findall(r"(\d+) diplomatic events", text)
    assert int(n_events) == len(events) == len(datasets_events(report))
    first, last = events["date_start"].min().year, events["date_start"].max().year
    assert f"{len(events)} diplomatic events from {first} to {last}" in text
    assert f"{len(initiatives)} initiatives" in text
    assert f"{len(cooperation)} areas of cooperation" in text
    assert f"{len(events) + len(initiatives) + len(cooperation)} rows in all" in text
    urls = {u for f in sourced.values() for u in f["source_url"]}
    urls |= {
        u for f in sourced.values() if "verified_source_url" in f
        for u in f["verified_source_url"].dropna()
    }  # fmt: skip
    assert f"{len(urls)} distinct pages" in text
    assert f"{len(report.frames['claims'])} of the essay’s checkable claims" in text
    kinds = pd.concat([f["source_kind"] for f in sourced.values()]).value_counts()
    assert f"{kinds['primary']} rows cite a primary record" in text
    assert f"{kinds['news']} a wire service or newsroom" in text
    status = pd.concat([f["verification"] for f in sourced.values()]).value_counts()
    assert f"confirms it ({status['verified']} rows)" in text
    assert f"the row keeps ({status.get('disputed', 0)})" in text
    assert "{python}" not in text_of(report.main)


def datasets_events(report: Report) -> pd.DataFrame:
    """``load_events()`` of the processed data this report was built from."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("UKREPORT_DATA_DIR", str(report.processed))
        return ukreport.load_events()


def test_no_error_or_missing_value_text(report: Report) -> None:
    text = text_of(report.main)
    alts = " ".join(img.get("alt", "") for img in report.main.cssselect("img"))
    for shown in (text, alts):
        for part in ("Traceback", "Error", "Exception", "<NA>"):  # also NameError, KeyError …
            assert part not in shown, part
        for word in ("nan", "NaN", "NaT", "None"):
            assert not re.search(rf"\b{word}\b", shown), word


def test_sources_appendix_lists_every_source_once(report: Report) -> None:
    blocks = sections(report.main)["Appendix A: Sources"]
    lists = [b for b in blocks if b.tag == "ol"]
    assert len(lists) == 1
    hrefs = [unquote(a.attrib["href"]) for a in lists[0].cssselect("a")]
    urls = set()
    sourced = {t: report.frames[t] for t in schemas.SOURCED_TABLES}
    for frame in sourced.values():
        urls |= set(frame["source_url"])
        if "verified_source_url" in frame:
            urls |= set(frame["verified_source_url"].dropna())
    assert len(hrefs) == len(set(hrefs))
    assert set(hrefs) == {unquote(u) for u in urls}
    text = text_of(lists[0])
    for table, frame in sourced.items():
        for ident in frame[schemas.ID_COLUMNS[table]]:
            assert ident in text, f"{table} row {ident} is not among the sources' rows"


def test_codebook_has_a_row_for_every_column(report: Report) -> None:
    for table in schemas.TABLES:
        with (report.processed / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
            columns = next(csv.reader(handle))
        assert columns == list(report.frames[table].columns)
        codebook = by_id(report.main, f"tbl-codebook-{table}")
        _, rows = table_cells(codebook, strip=MARKS)
        assert [row[0] for row in rows] == columns
        assert all(len(row) == 4 and all(row[1:3]) for row in rows), rows


# -- the PDF ----------------------------------------------------------------------------------


def test_pdf_has_the_headings_and_table_values(report: Report) -> None:
    for heading in HEADINGS + ADDED_HEADINGS:
        assert heading in report.pdf_text, heading
    for _, header, rows in TABLES.values():
        for value in header + [cell for row in rows for cell in row]:
            assert value in report.pdf_text, value
    for _, end in (pair for pairs in PARAGRAPHS.values() for pair in pairs):
        assert end in report.pdf_text, end


def _fonts(resources: Any, seen: set[int]) -> Iterator[Any]:
    """Every font of a resource dictionary and of the forms (e.g. SVG figures) it uses."""
    if resources is None:
        return
    resources = resources.get_object()
    for font in (resources.get("/Font") or {}).values():
        yield font.get_object()
    for reference in (resources.get("/XObject") or {}).values():
        key = getattr(reference, "idnum", None)
        if key in seen:
            continue
        if key is not None:
            seen.add(key)
        xobject = reference.get_object()
        if xobject.get("/Subtype") == "/Form":
            yield from _fonts(xobject.get("/Resources"), seen)


def test_pdf_embeds_every_font(report: Report) -> None:
    checked = 0
    for number, page in enumerate(report.pdf.pages, 1):
        for font in _fonts(page.get("/Resources"), set()):
            if font.get("/Subtype") == "/Type3":  # glyphs drawn by the PDF itself
                continue
            parts = [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]
            for part in parts:
                descriptor = part.get("/FontDescriptor")
                name = part.get("/BaseFont")
                assert descriptor is not None, f"page {number}: {name} has no descriptor"
                descriptor = descriptor.get_object()
                assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), (
                    f"page {number}: font {name} is not embedded"
                )
                checked += 1
    assert checked


def test_pdf_metadata_and_length(report: Report) -> None:
    assert report.pdf.metadata is not None
    assert report.pdf.metadata.title == parse(ESSAY).meta["title"]
    assert len(report.pdf.pages) > 5


# -- hostile text in the data -------------------------------------------------------------------

TRUMP_ROW = "2023-10-trump-putin-talks-essay"
HOSTILE_THEME = (
    "<img src=x onerror=alert(1)> **bold** [x](javascript:alert(1)) #set page(width: 1cm) $x$"
)
HOSTILE_NOTE = "<script>alert(1)</script> @fig-timeline `code`"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Report:
    """The real data, with markup for HTML, Markdown and Typst in the disputed Trump row."""
    out = tmp_path_factory.mktemp("hostile")
    raw = out / "raw"
    shutil.copytree(RAW, raw)
    events = raw / "events.csv"
    rows = read_rows(events)
    line = [row[0] for row in rows].index(TRUMP_ROW)
    assert rows[line][rows[0].index("verification")] == "disputed"
    edit_table(
        events,
        set_cell(line, "key_theme", HOSTILE_THEME),
        set_cell(line, "verification_note", HOSTILE_NOTE),
    )
    claims = raw / "claims.csv"
    rows = read_rows(claims)
    line = [row[rows[0].index("essay_row")] for row in rows].index(TRUMP_ROW)
    edit_table(
        claims,
        set_cell(line, "quote", f"October 2023 | Donald Trump | {HOSTILE_THEME}"),
        set_cell(line, "reasoning", HOSTILE_NOTE),
    )
    checked = validate([raw])
    assert checked.valid, [str(f) for f in checked.failures]
    return build_report(raw, out)


def _hostile_row(hostile: Report) -> HtmlElement:
    (row,) = [
        tr
        for tr in by_id(hostile.main, "tbl-interactions").cssselect("tr")
        if "Donald Trump" in text_of(tr)
    ]
    return row


def test_hostile_text_is_shown_literally_in_html(hostile: Report) -> None:
    html = hostile.html_source
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    cells = [text_of(td) for td in _hostile_row(hostile).cssselect("td")]
    assert cells[2] == HOSTILE_THEME
    note = _note(hostile.main, "tbl-interactions")
    assert note is not None
    assert HOSTILE_THEME in text_of(note)
    assert HOSTILE_NOTE in text_of(note)


def test_hostile_text_makes_no_markup_in_html(hostile: Report) -> None:
    html = hostile.html_source
    assert not re.search(r"<img\s+src=x", html, re.IGNORECASE)
    assert not re.search(r"<script[^>]*>\s*alert", html, re.IGNORECASE)
    for node in hostile.dom.iter("*"):
        assert not any(name.startswith("on") for name in node.attrib), (node.tag, node.attrib)
        href = node.get("href", "")
        assert not re.sub(r"\s", "", href).lower().startswith("javascript:"), href
    for tag in ("strong", "b", "em", "code"):
        assert "bold" not in {text_of(n) for n in hostile.main.cssselect(tag)}
        assert "code" not in {text_of(n) for n in hostile.main.cssselect(tag)}
    assert not hostile.main.cssselect(".math")
    note = _note(hostile.main, "tbl-interactions")
    assert note is not None
    assert not [a for a in note.cssselect("a") if a.get("href") == "#fig-timeline"]
    assert not _hostile_row(hostile).cssselect("a")


def test_hostile_text_is_shown_literally_in_pdf(hostile: Report) -> None:
    for text in (HOSTILE_THEME, HOSTILE_NOTE, "#set page(width: 1cm)", "$x$", "**bold**"):
        assert text in hostile.pdf_text, text
    assert len(hostile.pdf.pages) > 5
    for number, page in enumerate(hostile.pdf.pages, 1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert width > 500, f"page {number} is {width} pt wide"
        assert height > 700, f"page {number} is {height} pt high"
