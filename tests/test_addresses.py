"""Addresses on odd hosts: refused by validation, never an internal error later on."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.tables import edit_table, set_cell
from ukreport.cli import main
from ukreport.references import key

ODD_HOSTS = [
    "https://[::1]/x",
    "https://[2001:db8::1]:8443/page",
    "https://a]b.com/x",
    "https://a[b.com/x",
    "https://127.0.0.1/report",
    "https://user:secret@www.example.org/",
    "https://www..example.org/",
    "https://example.org../x",
    "https://-example.org/",
    "https://localhost/x",
    "https://exa mple.org/",
    "https://example.org:99999999/x",
]


@pytest.mark.parametrize("url", ODD_HOSTS)
def test_an_address_without_a_plain_host_name_is_refused(
    raw_dir: Path, capsys: pytest.CaptureFixture[str], url: str
) -> None:
    path = raw_dir / "events.csv"
    edit_table(path, set_cell(1, "source_url", url))
    assert main(["validate", str(raw_dir)]) == 1
    assert "is not a web address on a named host" in capsys.readouterr().out
    assert main(["process", "--raw", str(raw_dir), "--out", str(raw_dir.parent / "out")]) == 1
    assert not (raw_dir.parent / "out").exists()


@pytest.mark.parametrize(
    "url",
    [
        # hosts the publisher table knows, each in an odd but valid form
        "https://tass.com./world/talks",
        "http://nrcu.gov.ua./ur3/news.html?newsID=56406",
        "https://TASS.com/news",
        "https://www.reuters.com:8443/a?b=c#d",
    ],
)
def test_a_named_host_passes_and_its_key_is_a_whole_citation_key(raw_dir: Path, url: str) -> None:
    """A trailing dot names the same host; the key drops it, or ``[@host.-…]`` would end
    the key at the dot."""
    edit_table(raw_dir / "events.csv", set_cell(1, "source_url", url))
    assert main(["validate", str(raw_dir)]) == 0
    host = key(url).rsplit("-", 1)[0]
    assert not host.endswith("."), key(url)
    assert host[-1].isalnum()
