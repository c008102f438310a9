"""CITATION.cff says what the release is: its version and date, its title, its licences
and counts read from the published data, never typed apart from them."""

from __future__ import annotations

import re
import tomllib

import pytest

import ukreport
from helpers.paths import ROOT
from ukreport.review.releases import dated_entries

CFF = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def field(name: str) -> str | None:
    found = re.search(rf"^{name}: (.+)$", CFF, re.MULTILINE)
    return found[1].strip().strip('"') if found else None


def abstract() -> str:
    found = re.search(r"^abstract: >-\n((?:  .*\n?)+)", CFF, re.MULTILINE)
    assert found, "CITATION.cff has no folded `abstract: >-` block"
    return " ".join(line.strip() for line in found[1].splitlines())


def test_version_and_date_are_the_release() -> None:
    assert field("version") == PROJECT["version"]
    dates = dict(dated_entries((ROOT / "CHANGELOG.md").read_text(encoding="utf-8")))
    released = dates.get(PROJECT["version"])
    assert field("date-released") == released, (
        f"CITATION.cff: date-released must be {released} (the CHANGELOG.md entry of "
        f"{PROJECT['version']})"
        if released
        else "CITATION.cff: no date-released before "
        "the release is cut (the version is still under ## [Unreleased])"
    )


def test_one_title_for_package_citation_and_readme() -> None:
    sentence = PROJECT["description"].removesuffix(".")
    assert field("title") == f"ukreport: {sentence}"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    lead = " ".join(readme.split("\n\n")[1].split())
    assert lead == PROJECT["description"]


def test_licences_data_cc_by_and_code_mit() -> None:
    assert field("type") == "dataset"
    assert field("license") == "CC-BY-4.0"
    assert "Creative Commons Attribution 4.0" in (ROOT / "LICENSE-DATA").read_text()
    assert PROJECT["license"] == "MIT"
    assert "licensed CC BY 4.0 (LICENSE-DATA); the code is licensed MIT (LICENSE)" in abstract()


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("events", "diplomatic events"),
        ("initiatives", "diplomatic initiatives"),
        ("cooperation", "areas of US–Russia cooperation"),
        ("claims", "checkable claims"),
    ],
)
def test_abstract_counts_come_from_the_data(name: str, words: str) -> None:
    count = len(ukreport.load(name))
    text = abstract()
    assert re.search(rf"\b{count} (?:\w+ )?{re.escape(words)}", text), (
        f"CITATION.cff's abstract must count {count} {words} (the published {name} table)"
    )


def test_abstract_states_the_events_span() -> None:
    events = ukreport.load_events()
    span = f"({events['date_start'].min().year}–{events['date_start'].max().year})"
    assert f"diplomatic events {span}" in abstract()
