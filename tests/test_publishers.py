"""The reviewed publisher table: every cited host and nothing else, a publisher as readers
know it for each, and https only where it is justified, applied to the published data
and never to the raw tables."""

from __future__ import annotations

import csv
import tomllib
from pathlib import Path

import pytest

from helpers.paths import ROOT
from ukreport import schemas
from ukreport.publishers import KINDS, host_key, known_hosts, publisher_of, secure
from ukreport.sources import host_of

TABLE = ROOT / "src" / "ukreport" / "publishers.toml"
RAW = ROOT / "data" / "raw"
PROCESSED = ROOT / "data" / "processed"


def _cited(folder: Path) -> list[str]:
    """Every address the sourced tables in ``folder`` cite."""
    urls = []
    for table in schemas.SOURCED_TABLES:
        with (folder / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                urls += [u for u in (row["source_url"], row.get("verified_source_url")) if u]
    return urls


def _entries() -> list[dict[str, object]]:
    entries: list[dict[str, object]] = tomllib.loads(TABLE.read_text(encoding="utf-8"))["publisher"]
    return entries


def test_the_table_lists_every_cited_host_and_no_other() -> None:
    cited = {host_key(host_of(url)) for url in _cited(RAW)}
    assert sorted(cited) == known_hosts()


def test_every_entry_names_a_publisher_of_a_known_kind_on_bare_hosts() -> None:
    entries = _entries()
    assert len(entries) >= 150
    for entry in entries:
        assert isinstance(entry["name"], str) and entry["name"].strip() == entry["name"] != ""
        assert entry["kind"] in KINDS, entry
        hosts = entry["hosts"]
        assert isinstance(hosts, list) and hosts and hosts == sorted(hosts), entry
        assert all(host == host_key(host) and "." in host for host in hosts), entry
        assert not set(entry) - {"name", "kind", "hosts", "https", "note"}, entry


@pytest.mark.parametrize(
    ("url", "name", "kind"),
    [
        ("http://in.reuters.com/article/x", "Reuters", "news agency"),
        ("http://cn.reuters.com/article/x", "Reuters", "news agency"),
        ("https://www.reuters.com/world/x", "Reuters", "news agency"),
        ("http://tass.com/politics/1", "TASS", "news agency"),
        ("https://kyivindependent.com/x", "The Kyiv Independent", "newspaper"),
        ("http://en.special.kremlin.ru/events/1", "President of Russia", "government"),
        ("https://2017-2021.state.gov/x", "U.S. Department of State", "government"),
        ("https://www.presidency.ucsb.edu/x", "The American Presidency Project", "archive"),
        ("https://en.wikipedia.org/wiki/X", "Wikipedia", "reference"),
    ],
)
def test_readers_know_the_publisher_by_its_name(url: str, name: str, kind: str) -> None:
    publisher = publisher_of(url)
    assert publisher is not None and (publisher.name, publisher.kind) == (name, kind)


def test_https_is_claimed_only_where_the_record_cites_the_publisher_over_https() -> None:
    """A publisher marked https has a page the record cites over https, or is the
    Kremlin's site, which the table's header names as the one exception."""
    over_https = {publisher_of(url) for url in _cited(RAW) if url.startswith("https://")}
    marked = {publisher_of(f"http://{host}/") for host in known_hosts()}
    for publisher in marked:
        assert publisher is not None
        if publisher.https:
            assert publisher in over_https or publisher.name == "President of Russia", publisher
    assert {"Reuters", "TASS", "President of Russia"} <= {p.name for p in marked if p and p.https}


def test_secure_rewrites_only_the_marked_hosts() -> None:
    assert secure("http://tass.com/politics/825491") == "https://tass.com/politics/825491"
    assert secure("http://en.special.kremlin.ru/x?y=1") == "https://en.special.kremlin.ru/x?y=1"
    assert secure("http://uk.reuters.com/a") == "https://uk.reuters.com/a"
    assert secure("http://www.bbc.co.uk/news/1") == "http://www.bbc.co.uk/news/1"
    assert secure("https://tass.com/x") == "https://tass.com/x"
    assert secure("http://nowhere.example/x") == "http://nowhere.example/x"


def test_the_published_data_use_https_and_the_raw_data_keep_what_was_read() -> None:
    raw = _cited(RAW)
    published = _cited(PROCESSED)
    assert published == [secure(url) for url in raw]
    rewritten = [url for url in raw if secure(url) != url]
    assert any("tass.com" in url for url in rewritten)  # the raw tables are not rewritten
    for url in published:
        publisher = publisher_of(url)
        assert publisher is not None
        assert not (publisher.https and url.startswith("http://")), url


def test_the_published_tables_name_each_rows_publisher() -> None:
    for table in schemas.SOURCED_TABLES:
        with (PROCESSED / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                publisher = publisher_of(row["source_url"])
                assert publisher is not None
                assert row["source_publisher"] == publisher.name, row["source_url"]
