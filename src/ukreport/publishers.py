"""Who published each cited page, as readers know the publisher: the reviewed host table.

A citation should read "(TASS 2025c)", not "(Tass.com, n.d.)", and a host name is not
a publisher's name, so ``publishers.toml`` beside this module maps every host the record
cites to its publisher's name and kind, and says which hosts serve the same page over
https. ``ukreport validate`` rejects a row citing a host the table lacks (as it rejects
one citing a denied host), and the data package and the bibliography cite the pages of
an https host over https; ``data/raw`` keeps each address as it was read.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from importlib import resources

from ukreport.sources import host_of

__all__ = [
    "FILE",
    "KINDS",
    "Publisher",
    "host_key",
    "known_hosts",
    "publisher_of",
    "secure",
    "unmapped_reason",
]

FILE = "src/ukreport/publishers.toml"
"""Where the table is, as a message names it."""

KINDS = (
    "news agency",
    "newspaper",
    "broadcaster",
    "magazine",
    "news site",
    "government",
    "intergovernmental organisation",
    "archive",
    "reference",
)
"""What a publisher may be: the first five name the publication a page appeared in,
the others the institution that published it."""


@dataclass(frozen=True)
class Publisher:
    """A publisher as readers know it."""

    name: str
    kind: str
    https: bool


def host_key(host: str) -> str:
    """``host`` as the table lists it: lower case, without a leading ``www.`` or a
    trailing dot (``www.TASS.com.`` is ``tass.com``)."""
    return host.lower().rstrip(".").removeprefix("www.")


@functools.cache
def _table() -> dict[str, Publisher]:
    text = resources.files("ukreport").joinpath("publishers.toml").read_text(encoding="utf-8")
    table: dict[str, Publisher] = {}
    for entry in tomllib.loads(text)["publisher"]:
        publisher = Publisher(entry["name"], entry["kind"], bool(entry.get("https", False)))
        if publisher.kind not in KINDS:
            raise ValueError(f"{FILE}: {publisher.name}: unknown kind {publisher.kind!r}")
        for host in entry["hosts"]:
            if host != host_key(host) or host in table:
                raise ValueError(f"{FILE}: host {host!r} is not written once, bare")
            table[host] = publisher
    return table


def known_hosts() -> list[str]:
    """Every host the table maps, sorted."""
    return sorted(_table())


def publisher_of(url: str) -> Publisher | None:
    """The publisher of the page at ``url``, or ``None`` when its host is not listed."""
    return _table().get(host_key(host_of(url)))


def secure(url: str) -> str:
    """``url`` over https when its publisher serves the same page over https."""
    publisher = publisher_of(url)
    if publisher and publisher.https and url[:7].lower() == "http://":
        return "https://" + url[7:]
    return url


def unmapped_reason(url: str) -> str | None:
    """Why ``url`` cannot be cited as it stands (its host has no publisher), or ``None``."""
    if not url or publisher_of(url) is not None:
        return None
    return f"its host {host_key(host_of(url)) or '(none)'} has no publisher"
