"""The essay's in-text citations name publishers and authors as a journal prints them,
"(TASS 2025c)", never a bare host such as "(Tass.com, n.d.-x)"."""

from __future__ import annotations

import re

import pytest

from helpers.html import text_of
from helpers.report import Report
from ukreport.publishers import host_key, known_hosts, publisher_of
from ukreport.sources import host_of

pytestmark = pytest.mark.render


def _bare_hosts() -> list[str]:
    """Every cited host whose publisher is known by another name (``swissinfo.ch`` is
    its publisher's own name, ``tass.com`` is not)."""
    hosts = []
    for host in known_hosts():
        publisher = publisher_of(f"https://{host}/")
        assert publisher is not None
        if publisher.name.casefold() != host.casefold():
            hosts.append(host)
    return hosts


def test_no_in_text_citation_names_a_bare_host(report: Report) -> None:
    citations = [text_of(c) for c in report.main.cssselect(".citation")]
    assert len(citations) >= 20
    hosts = re.compile("|".join(re.escape(host) for host in _bare_hosts()), re.IGNORECASE)
    named = [(text, found.group()) for text in citations if (found := hosts.search(text))]
    assert not named, named[:5]
    in_pdf = re.findall(r"\(([^()]{1,300}?(?:\d{4}[a-z]?|n\.d\.(?:-[a-z]+)?))\)", report.pdf_text)
    assert len(in_pdf) >= 20
    assert not [text for text in in_pdf if hosts.search(text)]


def test_in_text_citations_name_publishers_with_the_pages_year(report: Report) -> None:
    citations = " ".join(text_of(c) for c in report.main.cssselect(".citation"))
    years = re.findall(r"([A-Z][^(;,]*?) (\d{4})[a-z]?\b", citations)
    publishers = {found.name for url in _cited(report) if (found := publisher_of(url))}
    assert any(name.strip() in publishers for name, _ in years), years[:10]
    assert "TASS 20" in citations or "Reuters 20" in citations


def _cited(report: Report) -> set[str]:
    urls: set[str] = set()
    for table in ("events", "initiatives", "cooperation"):
        urls |= set(report.frames[table]["source_url"])
    return {url for url in urls if host_key(host_of(url))}
