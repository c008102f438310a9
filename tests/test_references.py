"""The bibliography (``references.json``): every cited page is an item a citation
manager can print as a journal would: a publisher as readers know it, the page's own
date at its precision, its byline and its language, and the address over https where
the publisher serves it so."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import pytest

from helpers.paths import ROOT
from ukreport import references, schemas
from ukreport.publishers import publisher_of, secure

PROCESSED = ROOT / "data" / "processed"


@pytest.fixture(scope="module")
def items() -> dict[str, dict[str, Any]]:
    loaded = json.loads((PROCESSED / references.FILE).read_text(encoding="utf-8"))
    return {item["URL"]: item for item in loaded if item["type"] != "dataset"}


@pytest.fixture(scope="module")
def pages() -> pd.DataFrame:
    """One row per page a row cites as its source, with what the row records of it."""
    columns = ["source_url", "source_published", "source_author", "source_language"]
    frames = [
        pd.read_parquet(PROCESSED / f"{table}.parquet", columns=columns)
        for table in schemas.SOURCED_TABLES
    ]
    return pd.concat(frames).drop_duplicates("source_url").set_index("source_url")


def test_every_item_has_a_publisher_that_is_not_a_host(items: dict[str, dict[str, Any]]) -> None:
    assert len(items) > 500
    for url, item in items.items():
        publisher = publisher_of(url)
        assert publisher is not None, url
        assert item.get("container-title") == publisher.name, url
        assert item["URL"] == secure(url), url


def test_every_dated_page_has_its_issued_date_at_its_precision(
    items: dict[str, dict[str, Any]], pages: pd.DataFrame
) -> None:
    dated = pages["source_published"].dropna()
    assert len(dated) > 250
    for url, published in dated.items():
        parts = [int(part) for part in str(published).split("-")]
        assert items[str(url)]["issued"] == {"date-parts": [parts]}, url
    undated = set(pages.index) - set(dated.index)
    assert all("issued" not in items[str(url)] for url in undated)
    precisions = {
        len(item["issued"]["date-parts"][0]) for item in items.values() if "issued" in item
    }
    assert {2, 3} <= precisions  # months and days, as the pages state them


def test_bylines_and_languages_are_carried(
    items: dict[str, dict[str, Any]], pages: pd.DataFrame
) -> None:
    for url, row in pages.iterrows():
        item = items[str(url)]
        authors = list(row["source_author"])
        expected = [
            {"family": name.rpartition(" ")[2], "given": name.rpartition(" ")[0]}
            for name in authors
        ]
        assert item.get("author", []) == expected, url
        language = row["source_language"]
        assert item.get("language") == (language if isinstance(language, str) else None), url
    italian = [item for item in items.values() if item.get("language") == "it"]
    assert any("Zelensky chiama Putin" in item["title"] for item in italian)


def test_a_page_with_a_byline_is_cited_by_its_author() -> None:
    frame = pd.DataFrame(
        {
            "source_url": ["http://tass.com/politics/1", "https://kyivindependent.com/x"],
            "source_title": ["A", "B"],
            "source_kind": ["news", "news"],
            "source_published": ["2025-03", None],
            "source_author": [[], ["Kateryna Hodunova", "Martin Fornusek"]],
            "source_language": ["en", None],
            "accessed": [pd.Timestamp("2026-11-26")] * 2,
        }
    )
    tass, kyiv = sorted(
        references.bibliography({"events": frame}, ["events"]), key=lambda item: item["title"]
    )
    assert tass["container-title"] == "TASS" and tass["issued"] == {"date-parts": [[2025, 3]]}
    assert "author" not in tass and tass["language"] == "en"
    assert kyiv["author"] == [
        {"family": "Hodunova", "given": "Kateryna"},
        {"family": "Fornusek", "given": "Martin"},
    ]
    assert "issued" not in kyiv and "language" not in kyiv


def test_a_page_no_row_titles_is_cited_without_a_title() -> None:
    """A page cited only as the home of a verified value has no title a row gives: its
    item has none, so citeproc cites it by publisher and address, never by its address
    printed title-cased as a title; the data package's sources still name it."""
    frame = pd.DataFrame(
        {
            "source_url": ["http://tass.com/politics/1"],
            "source_title": ["A"],
            "source_kind": ["news"],
            "verified_source_url": ["https://ukrinform.net/amp/rubric-polytics/1-osce.html"],
            "accessed": [pd.Timestamp("2026-11-26")],
        }
    )
    items = {item["URL"]: item for item in references.bibliography({"t": frame}, ["t"])}
    assert items["http://tass.com/politics/1"]["title"] == "A"
    verified = items["https://ukrinform.net/amp/rubric-polytics/1-osce.html"]
    assert "title" not in verified and verified["container-title"] == "Ukrinform"
