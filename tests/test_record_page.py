"""The record page: every row of the data package, as text, linked both ways, offline.

Read as a browser without JavaScript would (lxml): the tables must already hold the
whole record. The script's behaviour is tested in a real browser
(``test_record_browser.py``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

import pytest
from lxml import html as lxml_html
from lxml.html import HtmlElement

from helpers.paths import ROOT
from helpers.record import HOSTILE, HOSTILE_URL, LONG_WORD, RTL, SCRIPT, hostile_raw, package
from ukreport.errors import InputError, OutputError, TamperedData
from ukreport.report.record import write_record
from ukreport.report.record.page import ESSAY_ANCHOR, href, record_page
from ukreport.report.record.rows import Record, Row, Source, publisher, read_record

if TYPE_CHECKING:  # helpers.report loads the whole pipeline: only for the report's test
    from helpers.report import Report

PROCESSED = ROOT / "data" / "processed"


@pytest.fixture(scope="module")
def record() -> Record:
    return read_record(PROCESSED)


@pytest.fixture(scope="module")
def page(record: Record) -> HtmlElement:
    return lxml_html.fromstring(record_page(record))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Record, str]:
    folder = tmp_path_factory.mktemp("hostile-record")
    record = read_record(package(hostile_raw(folder / "raw"), folder / "processed"))
    return record, record_page(record)


def _rows(page: HtmlElement, table: str) -> list[HtmlElement]:
    return page.xpath(f'//table[contains(@class, "t-{table}")]/tbody/tr')


# -- completeness ---------------------------------------------------------------------------


def test_every_row_of_every_table_is_a_row_anchored_by_its_id(
    record: Record, page: HtmlElement
) -> None:
    for table, rows in record.tables.items():
        assert [tr.get("id") for tr in _rows(page, table)] == [row.id for row in rows], table
    ids = page.xpath("//@id")
    assert len(ids) == len(set(ids)), "an id is used twice"
    assert sum(len(rows) for rows in record.tables.values()) == 547


def test_the_counts_match_the_data(page: HtmlElement) -> None:
    import csv

    for table, noun in [("events", "events"), ("initiatives", "initiatives"), ("claims", "claims")]:
        with (PROCESSED / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
            expected = sum(1 for _ in csv.DictReader(handle))
        [count] = page.xpath(f'//table[contains(@class, "t-{table}")]/caption/span')
        assert count.text_content() == f"{expected} {noun}"
        assert len(_rows(page, table)) == expected


def test_each_event_shows_what_a_reader_checks(record: Record, page: HtmlElement) -> None:
    rows = {tr.get("id"): tr for tr in _rows(page, "events")}
    for event in record.tables["events"]:
        tr = rows[event.id]
        text = " ".join(tr.text_content().split())
        assert " ".join(event.text.split()) in text
        assert event.kind in text and event.verification in text
        assert " ".join(event.note.split()) in text
        for actor in event.actors:
            assert actor in text
        assert event.source is not None
        [link] = tr.xpath('.//span[@class="publisher"]/following-sibling::a[1]')
        assert unquote(link.get("href")) == unquote(event.source.url)
        assert link.text_content() == event.source.title
        named = tr.xpath('.//span[@class="publisher"]')[0].text_content()
        assert event.source.named and named == event.source.named  # the reviewed table's
        assert event.source.accessed in text
        assert tr.get("data-start") == event.start


def test_events_and_claims_link_both_ways(record: Record, page: HtmlElement) -> None:
    ids = set(page.xpath("//tr/@id"))
    claims = {tr.get("id"): tr for tr in _rows(page, "claims")}
    for claim in record.tables["claims"]:
        tr = claims[claim.id]
        targets = [a.get("href") for a in tr.xpath('./td[@data-label="Evidence"]//a')]
        assert targets == [f"#{i}" for i in claim.links]
        assert set(claim.links) <= ids
        assert tr.xpath(f'.//a[@href="essay.html#{ESSAY_ANCHOR}{claim.id}"]')
    cited = {i for claim in record.tables["claims"] for i in claim.links}
    assert cited
    for tr in page.xpath("//tbody/tr"):
        links = [a.get("href") for a in tr.xpath('./td[@data-label="Evidence for"]//a')]
        wanted = record.evidence_for.get(tr.get("id"), ())
        expected = [x for claim in wanted for x in (f"#{claim}", f"essay.html#claim-{claim}")]
        assert links == expected, tr.get("id")
    broken = [
        href
        for href in page.xpath("//a/@href")
        if href.startswith("#") and href[1:] not in set(page.xpath("//@id"))
    ]
    assert broken == []


@pytest.mark.render
def test_every_claim_link_finds_its_row_in_the_built_essay(report: Report) -> None:
    """The links from the record into the essay land on the claims table's rows."""
    record = read_record(report.processed)
    targets = set(report.dom.xpath("//@id"))
    for claim in record.tables["claims"]:
        assert f"{ESSAY_ANCHOR}{claim.id}" in targets, claim.id
    [row] = report.dom.xpath(f'//*[@id="{ESSAY_ANCHOR}{record.tables["claims"][0].id}"]')
    assert row.xpath("ancestor::table")


# -- without JavaScript, offline ------------------------------------------------------------


def test_without_javascript_every_row_is_shown_and_the_useless_form_is_not(
    page: HtmlElement,
) -> None:
    assert page.xpath("//tr[@hidden]") == []
    [form] = page.xpath("//form")
    assert form.get("hidden") is not None  # the script shows it
    [status] = page.xpath('//*[@id="status"]')
    assert "515 events" in status.text_content()


def test_the_page_makes_no_request(record: Record) -> None:
    text = record_page(record)
    dom = lxml_html.fromstring(text)
    assert dom.xpath("//link | //img | //iframe | //object | //embed | //script[@src]") == []
    loaded = dom.xpath("//*[@src] | //*[@srcset] | //*[@poster] | //*[@data]")
    assert loaded == []
    for style in dom.xpath("//style"):
        assert not re.search(r"url\(|@import", style.text_content())
    for script in dom.xpath("//script"):
        assert not re.search(r"fetch|XMLHttpRequest|import\(|https?:", script.text_content())
    outside = [a for a in dom.xpath("//a[@href]") if not a.get("href").startswith("#")]
    for link in outside:
        href = link.get("href")
        assert href.startswith(("https://", "http://", "essay.html")), href


def test_tables_have_captions_and_scoped_headers_and_controls_have_labels(
    page: HtmlElement,
) -> None:
    for table in page.xpath("//table"):
        assert table.xpath("./caption")
        assert all(th.get("scope") == "col" for th in table.xpath("./thead//th"))
        assert all(th.get("scope") == "row" for th in table.xpath("./tbody//th"))
    for control in page.xpath("//input[not(@type='checkbox')] | //select"):
        assert page.xpath(f'//label[@for="{control.get("id")}"]'), control.get("id")
    for box in page.xpath("//input[@type='checkbox']"):
        assert box.getparent().tag == "label"


# -- escaping -------------------------------------------------------------------------------


def test_hostile_text_stays_text(hostile: tuple[Record, str]) -> None:
    _, text = hostile
    dom = lxml_html.fromstring(text)
    assert len(dom.xpath("//script")) == 1  # the page's own
    assert dom.xpath('//*[@id="evil"]') == []
    assert [a for e in dom.iter() for a in e.attrib if a.startswith("on")] == []
    assert dom.xpath("//img") == []
    shown = dom.text_content()
    for cells in HOSTILE.values():
        for value in cells.values():
            if value != HOSTILE_URL:
                for part in value.split("; "):
                    assert part in shown, part
    [link] = dom.xpath('//span[@class="publisher"]/following-sibling::a[1]')[:1]
    assert link.get("href") == href(HOSTILE_URL)
    assert unquote(link.get("href")) == unquote(HOSTILE_URL)
    assert '"' not in link.get("href") and "<" not in link.get("href")
    assert SCRIPT in link.text_content()


def test_right_to_left_text_is_isolated(hostile: tuple[Record, str]) -> None:
    _, text = hostile
    dom = lxml_html.fromstring(text)
    isolated = [b.text_content() for b in dom.xpath("//bdi")]
    assert any(RTL in value for value in isolated)
    assert all(RTL not in e.text for e in dom.iter() if e.tag != "bdi" and e.text)


def test_a_long_word_can_wrap(hostile: tuple[Record, str]) -> None:
    _, text = hostile
    assert LONG_WORD in text
    assert "overflow-wrap: break-word" in text


def _row(**fields: object) -> Row:
    base: dict[str, object] = {
        "table": "events",
        "id": "x-1",
        "when": "2020-01-01",
        "start": "2020-01-01",
        "end": "2020-01-01",
        "kind": "call",
        "title": "",
        "text": "text",
        "source": Source("https://example.org/", "title", "news", "2020-01-02"),
        "verification": "verified",
    }
    base.update(fields)
    return Row(**base)  # type: ignore[arg-type]


def test_a_bidi_control_or_a_script_address_cannot_act_even_past_validation() -> None:
    """The validator refuses them; the page does not rely on it."""
    row = _row(
        text="evil \u202e desrever",
        source=Source("javascript:alert(1)", "click", "news", "2020-01-02"),
        corrected=(("Verified from", "data:text/html,<script>alert(1)</script>"),),
        verification="disputed",
    )
    claim = _row(table="claims", id="c-1", source=None, links=("x-1",), verification="supported")
    empty: list[Row] = []
    text = record_page(
        Record(
            "t",
            "1",
            {"events": [row], "initiatives": empty, "cooperation": empty, "claims": [claim]},
            {"x-1": ("c-1",)},
        )
    )
    dom = lxml_html.fromstring(text)
    assert [b.text_content() for b in dom.xpath("//bdi")] == ["evil \u202e desrever"]
    hrefs = dom.xpath("//a/@href")
    assert not [h for h in hrefs if h.startswith(("javascript:", "data:"))]
    assert "click" in dom.text_content()


# -- writing --------------------------------------------------------------------------------


def test_the_same_data_give_the_same_bytes(
    hostile: tuple[Record, str], tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("same")
    data = package(hostile_raw(folder / "raw"), folder / "processed")
    first = write_record(data, tmp_path / "a")
    second = write_record(data, tmp_path / "b")
    assert [p.name for p in first] == ["record.html", "record.pdf"]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_a_changed_file_is_refused_and_the_last_record_kept(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("tampered")
    data = package(hostile_raw(folder / "raw"), folder / "processed")
    out = tmp_path / "site"
    [html, _] = write_record(data, out)
    before = html.read_bytes()
    with (data / "events.csv").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    with pytest.raises(TamperedData, match=r"events\.csv does not match datapackage\.json"):
        write_record(data, out)
    assert html.read_bytes() == before


def test_a_folder_without_a_package_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"datapackage\.json: no data package here"):
        read_record(tmp_path)


def test_the_raw_folder_is_never_written(tmp_path: Path) -> None:
    raw = hostile_raw(tmp_path / "raw")
    with pytest.raises(OutputError, match="raw tables"):
        write_record(PROCESSED, raw)


def test_the_command_line_writes_the_record_and_reports_bad_input(tmp_path: Path) -> None:
    from ukreport.cli import main

    assert main(["record", "--data", str(PROCESSED), "--out", str(tmp_path), "--no-pdf"]) == 0
    assert (tmp_path / "record.html").is_file()
    assert not (tmp_path / "record.pdf").exists()
    assert main(["record", "--data", str(tmp_path), "--out", str(tmp_path)]) == 2


def test_publisher_is_the_data_packages_name_else_the_host() -> None:
    assert publisher("https://www.reuters.com/world/x", "Reuters") == "Reuters"
    assert publisher("https://www.reuters.com/world/x") == "reuters.com"
    assert publisher("http://tass.com./politics/1") == "tass.com"
    assert publisher("not a url") == "unknown publisher"


def test_the_columns_read_are_the_schemas_columns() -> None:
    from ukreport import schemas
    from ukreport.report.record import rows

    assert {t: spec.id_column for t, spec in schemas.SPECS.items()} == rows._ID_COLUMNS
    for name in schemas.TABLES:
        columns = set(schemas.column_order(schemas.SPECS[name].processed))
        assert set(rows._REQUIRED[name]) <= columns, name
        if name in schemas.SOURCED_TABLES:
            assert set(rows._SOURCE) <= columns, name
