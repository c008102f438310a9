"""What the built report computes from the data: the counts and the coverage window in
"Data and methods", no error or missing-value text anywhere, the references the essay
cites (and no more), and the appendix of every column."""

from __future__ import annotations

import csv
import json
import re

import pandas as pd
import pytest

import ukreport
from helpers.essay import MARKS
from helpers.html import by_id, section_text, table_cells, text_of
from helpers.report import Report
from ukreport import schemas
from ukreport.references import key_of

pytestmark = pytest.mark.render


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
    published = pd.concat([f[["source_url", "source_published"]] for f in sourced.values()])
    dated = published.dropna()["source_url"].nunique()
    assert 0 < dated < len(urls)
    assert f"{dated} of the pages state their publication date" in text
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


def test_references_hold_only_what_the_essay_cites_and_the_data_package(report: Report) -> None:
    """The essay cites what it uses: each entry of its list is cited in the text, its
    tables, corrections or evidence, every citation resolves to an entry, and the data
    package is there; the record's other pages are in the record, not here."""
    [refs] = report.main.cssselect("#refs")
    entries = refs.cssselect(".csl-entry")
    ids = [entry.attrib["id"] for entry in entries]
    assert len(ids) == len(set(ids))
    assert all(entry.cssselect("a") for entry in entries), "an entry without a link"
    cited = {
        a.attrib["href"][1:]
        for a in report.main.cssselect(".citation a[href^='#ref-']")
        if not any(parent.get("id") == "refs" for parent in a.iterancestors())
    }
    assert set(ids) == cited
    package = json.loads((report.processed / "datapackage.json").read_text(encoding="utf-8"))
    assert f"ref-{package['name']}" in ids
    # every source an evidence row, a correction or a shown row cites is listed ...
    claims = report.frames["claims"]
    record = {
        row[schemas.SPECS[t].id_column]: row
        for t in schemas.SOURCED_TABLES
        for row in report.frames[t].to_dict("records")
    }
    productive = claims.set_index("claim_id").loc["trump-announced-productive-talks", "evidence"]
    for ident in productive:
        assert f"ref-{key_of(record[ident]['source_url'], report.processed)}" in ids, ident
    # ... and no more: far fewer than the record's pages
    urls = set()
    for frame in (report.frames[t] for t in schemas.SOURCED_TABLES):
        urls |= set(frame["source_url"])
        if "verified_source_url" in frame:
            urls |= set(frame["verified_source_url"].dropna())
    assert len(entries) < len(urls) / 4, (len(entries), len(urls))
    assert "record.html" in {a.attrib.get("href") for a in report.main.cssselect("a")}


def test_every_correction_and_provenance_line_cites(report: Report) -> None:
    for block in report.main.cssselect(".provenance"):
        assert block.cssselect(".citation"), text_of(block)
    for callout in report.main.cssselect("div.disputed"):
        assert callout.cssselect(".citation"), text_of(callout)
    assert (
        "references.json"
        in (report.processed / "datapackage.json").parent.joinpath("references.json").name
    )


def test_codebook_has_a_row_for_every_column(report: Report) -> None:
    for table in schemas.TABLES:
        with (report.processed / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
            columns = next(csv.reader(handle))
        assert columns == list(report.frames[table].columns)
        codebook = by_id(report.main, f"tbl-codebook-{table}")
        _, rows = table_cells(codebook, strip=MARKS)
        assert [row[0] for row in rows] == columns
        assert all(len(row) == 4 and all(row[1:3]) for row in rows), rows
