"""The essay's tables in the built HTML report: their rows and numbered captions, the
marks on rows the record disputes or only partly supports, the notes that say where the
record differs, and the table of every claim with its verdict."""

from __future__ import annotations

from urllib.parse import unquote

import pandas as pd
import pytest
from lxml.html import HtmlElement

from helpers.essay import HEADINGS, MARKS, NOTE_TITLE, TABLE_DATA, TABLES
from helpers.html import by_id, section_text, sections, table_cells, text_of
from helpers.report import Report, correction_note, essay_rows
from helpers.text import flat
from ukreport import schemas
from ukreport.references import key_of

pytestmark = pytest.mark.render

# The section each essay table stands in.
TABLE_SECTIONS = {
    "tbl-interactions": HEADINGS[0],
    "tbl-initiatives": HEADINGS[2],
    "tbl-cooperation": HEADINGS[3],
}

# The corrections the record requires: what the notes must give.
CORRECTIONS = {
    "tbl-interactions": ["12 February 2025", "16 October 2025", "28 December 2025"],
    "tbl-initiatives": ["2014-03-21/2022-03-31", "2014-06-06/2022-02-10"],
}


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
        key = rows[schemas.SPECS[table].id_column]
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
                rows[schemas.SPECS[table].id_column].map(verdicts) == "partly supported",
                schemas.SPECS[table].id_column,
            ]
        )
        first_cells = [
            text_of(tr.cssselect("td")[0])
            for tr in by_id(report.main, ident).cssselect("tr")
            if tr.cssselect("td")
        ]
        assert sum(cell.endswith("§") for cell in first_cells) == len(partly), ident


def test_corrections_follow_their_tables(report: Report) -> None:
    """Each claim about an essay row that the record does not simply support gets its
    verdict, its reasoning and every row of its evidence, linked to the row's source."""
    claims = report.frames["claims"]
    record = {
        row[schemas.SPECS[t].id_column]: row
        for t in schemas.SOURCED_TABLES
        for row in report.frames[t].to_dict("records")
    }
    for ident, (table, _, verified_column) in TABLE_DATA.items():
        rows = essay_rows(report.frames, ident)
        mine = claims[claims["essay_row"].isin(rows[schemas.SPECS[table].id_column])]
        differs = mine[~mine["verdict"].isin(["supported", *schemas.NOT_RATED])]
        note = correction_note(report.main, ident)
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
                    cited = key_of(record[ident_]["source_url"], report.processed)
                    assert f"#ref-{cited}" in hrefs, ident_
            row = record[claim["essay_row"]]
            if verified_column and isinstance(row.get(verified_column), str):
                assert row[verified_column] in text
                verified = key_of(row["verified_source_url"], report.processed)
                assert f"#ref-{verified}" in hrefs


def test_claims_table_gives_every_claim_and_verdict(report: Report) -> None:
    claims = report.frames["claims"]
    header, rows = table_cells(by_id(report.main, "tbl-claims"), strip=MARKS)
    assert header == ["The essay says", "Section", "Verdict", "Evidence"]
    assert len(rows) == len(claims)
    for row, claim in zip(rows, claims.to_dict("records"), strict=True):
        assert flat(row[0]).strip("“”") == flat(claim["quote"].replace(" | ", ", "))
        assert row[1] == claim["section"]
        not_rated = {"forecast": "Not rated: a forecast", "opinion": "Not rated: an opinion"}
        if claim["verdict"] in not_rated:
            assert row[2] == not_rated[claim["verdict"]]
        else:
            assert row[2].lower() == claim["verdict"]


def test_every_recorded_productive_occasion_is_listed(report: Report) -> None:
    events = report.frames["events"].set_index("event_id")
    claims = report.frames["claims"].set_index("claim_id")
    occasions = events.loc[claims.loc["trump-announced-productive-talks", "evidence"]]
    text = section_text(report.main, "What the record shows")
    assert f"It holds {len(occasions)} occasions" in text
    for when in occasions["date_start"]:
        assert when.strftime("%-d %B %Y") in text


def _record_links(element: HtmlElement) -> list[str]:
    """The ids of the record's rows ``element`` links to, in order."""
    return [
        unquote(a.attrib["href"]).removeprefix("record.html#")
        for a in element.cssselect("a")
        if a.attrib.get("href", "").startswith("record.html#")
    ]


def test_every_table_row_links_to_its_row_in_the_record(report: Report) -> None:
    for ident, (table, _, _) in TABLE_DATA.items():
        key_column = schemas.SPECS[table].id_column
        shown = {str(i) for i in essay_rows(report.frames, ident)[key_column]}
        rows = [tr for tr in by_id(report.main, ident).cssselect("tbody tr")]
        assert len(rows) == len(shown) > 0, ident
        linked = [_record_links(tr.cssselect("td")[0]) for tr in rows]
        assert all(len(links) == 1 for links in linked), (ident, linked)
        assert {links[0] for links in linked} == shown, ident
    claims = report.frames["claims"]
    rows = by_id(report.main, "tbl-claims").cssselect("tbody tr")
    for tr, claim in zip(rows, claims.to_dict("records"), strict=True):
        first, *_, evidence = tr.cssselect("td")
        assert _record_links(first) == [claim["claim_id"]]
        assert _record_links(evidence) == [i for i in claim["evidence"] if i != claim["essay_row"]]


def test_every_piece_of_evidence_links_to_its_row_in_the_record(report: Report) -> None:
    """The corrections and the evidence list: each item names its row, by link, and
    every link to the record is to a row the data hold."""
    claims = report.frames["claims"].set_index("claim_id")
    ids = {str(i) for t in schemas.TABLES for i in report.frames[t][schemas.SPECS[t].id_column]}
    for ident in TABLE_DATA:
        note = correction_note(report.main, ident)
        if note is None:
            continue
        for item in note.cssselect("li li"):
            assert len(_record_links(item)) == 1, text_of(item)
    occasions = claims.loc["trump-announced-productive-talks", "evidence"]
    lists = [
        ul
        for ul in report.main.cssselect("ul")
        if [i for link in (_record_links(li) for li in ul.cssselect("li")) for i in link]
        == list(occasions)
    ]
    assert len(lists) == 1, "no list of the productive occasions, each linked to its row"
    every = _record_links(report.main)
    assert every and set(every) <= ids, set(every) - ids
